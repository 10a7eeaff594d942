"""The HTTP server `truce serve` runs: uvicorn with h11, bounded against one client freezing it.

uvicorn's default parser (httptools) has no limit on header size, so a 100 MB header is buffered
whole. h11 refuses any request whose headers exceed `h11_max_incomplete_event_size`; this
protocol answers that with a 431 naming the limit rather than h11's bare 400, and adds what
uvicorn lacks: a deadline for the request headers (slowloris), counted from the connection's first
byte (or from the end of the previous response on a keep-alive connection).
"""

import asyncio
from http import HTTPStatus

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.config import get_settings
from app.security import security_headers  # the same headers as every app response

# The most a request line plus its headers may take; nginx in front allows 4 x 8 KiB.
MAX_HEADER_BYTES = 16 * 1024
# The most header fields a request may carry (checked by the app, in LimitHeaderCount).
MAX_HEADER_COUNT = 100


class BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol plus a header-read deadline and a 431 for oversized headers."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self.header_timeout = settings.header_timeout
        self.https = settings.https
        self.header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        # A connection that never sends a byte is closed too.
        self._arm_header_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE:
            # The first bytes of a (next) request: its headers must be complete before the deadline.
            self._arm_header_deadline()
            # h11 checks its limit only while it waits for more data, so headers that arrive whole
            # in one read (up to 256 KiB) would pass: the head must end within the cap.
            head = self.conn.trailing_data[0] + data
            if len(head) > MAX_HEADER_BYTES and b"\r\n\r\n" not in head[: MAX_HEADER_BYTES + 4]:
                self._send_header_too_large()
                return
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._cancel_header_deadline()  # the headers are in (or the request failed)

    def _arm_header_deadline(self) -> None:
        if self.header_deadline is None:
            self.header_deadline = self.loop.call_later(self.header_timeout, self._header_deadline_passed)

    def _cancel_header_deadline(self) -> None:
        if self.header_deadline is not None:
            self.header_deadline.cancel()
            self.header_deadline = None

    def _header_deadline_passed(self) -> None:
        self.header_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            # Still no complete request: close without a word (a 408 would only feed a slow client).
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        if len(self.conn.trailing_data[0]) > MAX_HEADER_BYTES:
            self._send_header_too_large()
        else:
            self._send_plain_error(400, msg)

    def _send_header_too_large(self) -> None:
        self._send_plain_error(
            431, f"Request header fields too large: the request line and headers may take at most {MAX_HEADER_BYTES} bytes."
        )

    def _send_plain_error(self, status: int, message: str) -> None:
        """A short plain-text answer, then close. Written as bytes: h11 will not send a response
        to a request it never parsed."""
        body = message.encode()
        headers = [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
            *security_headers("/", self.https),
        ]
        head = f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n".encode()
        head += b"".join(name + b": " + value + b"\r\n" for name, value in headers)
        if not self.transport.is_closing():
            self.transport.write(head + b"\r\n" + body)
            self.transport.close()


def uvicorn_options(host: str, port: int) -> dict[str, object]:
    """The options `truce serve` passes to uvicorn.run: what bounds one client, in one place."""
    settings = get_settings()
    return {
        "host": host,
        "port": port,
        "http": "app.server:BoundedH11Protocol",
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        "timeout_keep_alive": settings.keep_alive_timeout,
        "limit_concurrency": settings.max_connections,
        "server_header": False,
        "date_header": True,
        "proxy_headers": False,
        "log_level": "info",
    }
