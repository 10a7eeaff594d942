"""One client cannot freeze or balloon `truce serve`: header size and count caps, a header-read
deadline against slowloris, and uvicorn's own error answers carrying our security headers.
Against the real server process (uvicorn with app.server's protocol), not the TestClient."""

import shutil
import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.server import MAX_HEADER_BYTES, MAX_HEADER_COUNT
from tests.serving import Server, raw_request, truce_serve

HEADER_TIMEOUT = 2.0


@pytest.fixture(scope="module")
def server(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    database = tmp_path_factory.mktemp("limits") / "truce.db"
    shutil.copy(seeded_db, database)
    with truce_serve(database, HEADER_TIMEOUT=str(HEADER_TIMEOUT), KEEP_ALIVE_TIMEOUT="2") as running:
        yield running


def _get(server: Server, path: str = "/healthz") -> int:
    with urllib.request.urlopen(server.url + path, timeout=5) as response:
        return response.status


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


def _request_with_header(port: int, size: int) -> int:
    head = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Padding: " + b"a" * size + b"\r\n\r\n"
    return _status(raw_request(port, head))


def test_a_100_mb_header_is_refused_in_milliseconds(server: Server) -> None:
    rss_before = server.rss_kib()
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    started = time.monotonic()
    sent = 0
    chunk = b"a" * 65536
    try:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: ")
        while sent < 100 * 1024 * 1024:
            sock.sendall(chunk)
            sent += len(chunk)
    except (ConnectionResetError, BrokenPipeError):
        pass
    refused_after = time.monotonic() - started
    try:
        answer = sock.recv(4096)
    except ConnectionResetError:
        answer = b""  # the reset may overtake the 431 the server wrote
    sock.close()
    growth_mib = (server.rss_kib() - rss_before) / 1024
    print(f"\n100 MB header: refused after {sent / 1e6:.1f} MB sent, in {refused_after * 1000:.1f} ms; server RSS grew {growth_mib:.1f} MiB")
    assert sent < 100 * 1024 * 1024, "the server read the whole 100 MB"
    assert refused_after < 1.0
    assert answer == b"" or _status(answer) == 431
    assert growth_mib < 20
    assert _get(server) == 200


def test_the_header_cap_names_its_limit_and_the_largest_header_accepted(server: Server) -> None:
    answer = raw_request(server.port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 40_000 + b"\r\n\r\n")
    assert _status(answer) == 431
    assert f"at most {MAX_HEADER_BYTES} bytes".encode() in answer
    # The largest single header value accepted, found by bisection.
    low, high = 0, 2 * MAX_HEADER_BYTES
    assert _request_with_header(server.port, low) == 200 and _request_with_header(server.port, high) == 431
    while high - low > 1:
        middle = (low + high) // 2
        if _request_with_header(server.port, middle) == 200:
            low = middle
        else:
            high = middle
    print(f"\nlargest header value accepted: {low} bytes (request line and headers capped at {MAX_HEADER_BYTES})")
    # At least what nginx in front lets through (8 KiB per header line), at most the cap.
    assert 8 * 1024 <= low < MAX_HEADER_BYTES


def test_a_1_mb_host_gets_a_small_431(server: Server) -> None:
    answer = raw_request(server.port, b"GET /feed.atom HTTP/1.1\r\nHost: " + b"h" * 1_000_000 + b"\r\n\r\n")
    print(f"\nresponse to a 1 MB Host: {len(answer)} bytes, status {_status(answer)}")
    assert _status(answer) == 431
    assert len(answer) < 2048 and b"hhhh" not in answer


def test_a_foreign_host_is_a_400_from_the_real_server(server: Server) -> None:
    answer = raw_request(server.port, b"GET /feed.atom HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
    assert _status(answer) == 400 and b"evil" not in answer and len(answer) < 2048


def test_too_many_header_fields_are_a_431(server: Server) -> None:
    fields = b"".join(b"X-N%d: 1\r\n" % i for i in range(MAX_HEADER_COUNT + 20))
    answer = raw_request(server.port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + fields + b"\r\n")
    assert _status(answer) == 431 and b"at most 100 are allowed" in answer
    assert b"content-security-policy: default-src 'none'" in answer.lower()


def test_uvicorns_own_400_carries_the_security_headers(server: Server) -> None:
    answer = raw_request(server.port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n")
    assert _status(answer) == 400
    lower = answer.lower()
    assert b"content-security-policy: default-src 'none'" in lower and b"x-content-type-options: nosniff" in lower


def test_slowloris_connections_are_closed_at_the_header_deadline(server: Server) -> None:
    """200 connections that send half a request and then one byte every 0.5 s, plus one that sends
    nothing: all are closed soon after HEADER_TIMEOUT, and real requests are served meanwhile."""
    slow = []
    for _ in range(200):
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sock.setblocking(False)
        slow.append(sock)
    silent = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    silent.setblocking(False)
    started = time.monotonic()
    open_socks = set(slow) | {silent}
    served = 0
    while open_socks and time.monotonic() - started < HEADER_TIMEOUT + 5:
        for sock in list(open_socks):
            try:
                if sock.recv(1) == b"":
                    open_socks.discard(sock)
                    continue
            except BlockingIOError:
                pass
            except ConnectionError:
                open_socks.discard(sock)
                continue
            if sock is not silent:
                try:
                    sock.send(b"X")  # one more byte of an endless header
                except (BlockingIOError, ConnectionError):
                    pass
        served += _get(server) == 200
        time.sleep(0.5)
    elapsed = time.monotonic() - started
    for sock in slow + [silent]:
        sock.close()
    print(f"\nslowloris: 201 half-sent connections all closed after {elapsed:.1f} s (deadline {HEADER_TIMEOUT} s); {served} real requests served meanwhile")
    assert not open_socks, f"{len(open_socks)} slow connections still open"
    assert elapsed < HEADER_TIMEOUT + 2
    assert served >= 3
