"""`make bench`: server timings, page weights and SQL query counts. Prints figures; asserts nothing.

Runs against a freshly built SQLite database (the real migrations and seeds) with the real app,
in-process through httpx's ASGI transport for timings and query counts, and over a real uvicorn
socket for throughput when `wrk` is installed.
"""

import gzip
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import event  # noqa: E402

from app.config import Settings  # noqa: E402
from app.main import create_app  # noqa: E402
from tests.conftest import SEEDS_DIR, build_database  # noqa: E402

PAGES = [
    ("list", "/"),
    ("list, filtered", "/?actor=vladimir-putin&position=rejects"),
    ("list, search", "/?q=NATO"),
    ("list, fragment", "/?actor=vladimir-putin"),
    ("permalink", "/proposals/nato-membership-20-year-delay"),
    ("actor", "/actors/vladimir-putin"),
    ("actors", "/actors"),
    ("matrix", "/matrix"),
    ("matrix, as of", "/matrix?as_of=2024-12-26"),
    ("timeline", "/timeline"),
    ("compare", "/compare?a=vladimir-putin&b=volodymyr-zelenskyy"),
    ("common ground", "/common-ground"),
    ("sources", "/sources"),
    ("feed", "/feed.atom"),
    ("reactions.csv", "/reactions.csv"),
    ("api list", "/api/proposals"),
    ("api detail", "/api/proposals/nato-membership-20-year-delay"),
    ("embed", "/embed/proposals/nato-membership-20-year-delay"),
    ("embed, actor", "/embed/actors/vladimir-putin"),
    ("oembed", "/oembed?url=http%3A%2F%2Ftestserver%2Fproposals%2Fnato-membership-20-year-delay&format=json"),
    ("cite.bib", "/proposals/nato-membership-20-year-delay/cite.bib"),
]
RUNS = 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="truce-bench-"))
    db = tmp / "bench.db"
    url = build_database(db, [SEEDS_DIR])
    app = create_app(Settings(database_url=url, base_url="http://testserver"))  # TestClient sends Host: testserver
    statements: list[str] = []
    event.listen(app.state.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

    print(f"Truce Explorer benchmark — {RUNS} requests per URL, in-process (TestClient), Python {sys.version.split()[0]}")
    print(f"{'view':<16} {'url':<48} {'queries':>7} {'median ms':>9} {'p95 ms':>7} {'HTML B':>8} {'gzip B':>7}")
    with TestClient(app) as client:
        for name, path in PAGES:
            headers = {"HX-Request": "true"} if "fragment" in name else {}
            client.get(path, headers=headers)  # warm
            statements.clear()
            body = client.get(path, headers=headers).content
            queries = len(statements)
            timings = []
            for _ in range(RUNS):
                start = time.perf_counter()
                client.get(path, headers=headers)
                timings.append((time.perf_counter() - start) * 1000)
            timings.sort()
            print(
                f"{name:<16} {path:<48} {queries:>7} {statistics.median(timings):>9.2f} "
                f"{timings[int(RUNS * 0.95)]:>7.2f} {len(body):>8} {len(gzip.compress(body)):>7}"
            )

        print("\nFull-text search (search_documents, FTS5), 500 queries each:")
        from app.search import search_documents

        with app.state.sessionmaker() as session:
            for query in ("NATO", "peacekeeping", '"barrel of the gun"', "negotiat", "zzzz"):
                search_documents(session, query)
                start = time.perf_counter()
                for _ in range(500):
                    hits = search_documents(session, query)
                per_query = (time.perf_counter() - start) / 500 * 1000
                print(f"  {query!r:<24} {len(hits):>3} hits   {per_query:.3f} ms/query")

        print("\nShare cards (render_card, uncached), 20 renders each:")
        from app.cards import render_card
        from app.queries.proposals import get_proposal

        with app.state.sessionmaker() as session:
            for slug in ("nato-membership-20-year-delay", "ukraine-cedes-occupied-territory"):
                detail = get_proposal(session, slug)
                times = []
                for _ in range(20):
                    start = time.perf_counter()
                    png = render_card(detail)
                    times.append((time.perf_counter() - start) * 1000)
                print(f"  {slug:<40} median {statistics.median(times):.1f} ms   {len(png):,} bytes")

        print("\nStatic assets (bytes, raw / gzip):")
        for asset in ("css/site.css", "js/app.js", "vendor/htmx-2.0.11.min.js", "css/embed.css", "js/embed.js"):
            data = (ROOT / "static" / asset).read_bytes()
            print(f"  {asset:<32} {len(data):>7} / {len(gzip.compress(data)):>6}")

    if shutil.which("wrk"):
        port = free_port()
        env = {**os.environ, "DATABASE_URL": url}
        server = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(50):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            print("\nwrk -t2 -c32 -d10s over real uvicorn (one worker; wrk and server share 2 cores):")
            for path in (
                "/",
                "/?actor=vladimir-putin&position=rejects",
                "/proposals/nato-membership-20-year-delay",
                "/api/proposals",
                "/embed/proposals/nato-membership-20-year-delay",
                f"/oembed?url=http%3A%2F%2F127.0.0.1%3A{port}%2Fproposals%2Fnato-membership-20-year-delay",
            ):
                out = subprocess.run(
                    ["wrk", "-t2", "-c32", "-d10s", "--latency", f"http://127.0.0.1:{port}{path}"],
                    capture_output=True, text=True,
                ).stdout
                rps = next((line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")), "?")
                p50 = next((line.split()[1] for line in out.splitlines() if line.strip().startswith("50%")), "?")
                p99 = next((line.split()[1] for line in out.splitlines() if line.strip().startswith("99%")), "?")
                print(f"  {path:<48} {rps:>9} req/s   p50 {p50:>8}   p99 {p99:>8}")
        finally:
            server.terminate()
            server.wait(timeout=10)
    else:
        print("\n(wrk not installed: `apt-get install wrk` for throughput figures)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
