"""`make bench`: the referee. Prints figures; asserts nothing (tests/test_bounded.py asserts the bounds).

For each data size (the real seeds, and `truce synth` at 20k and 200k reactions, the 200k in two
shapes: 2,000 proposals x 400 actors, and 8,000 x 100; cached in .bench-cache/ between runs):
  - the `truce import` time and peak RSS (of the subprocess, by /usr/bin/time);
  - for every page type, with and without `as_of`, over a real `truce serve` on one keep-alive
    connection, sequentially and with the response cache off: p50 / p95 ms, raw and gzip bytes;
    and the SQL statement count (in-process);
  - the same page types with the response cache on, beside the uncached figures;
  - streaming /reactions.csv of everything: first byte, total, and the server's RSS increase;
  - the server's RSS after all that.
Then one wrk block in a single run (default at the seed size): /healthz, a cached page, the same
page uncached (RESPONSE_CACHE_BYTES=0), its fragment, a permalink, the API, Datasette's filtered
table page on the same SQLite file, and the nginx-cached page when a deploy helper is available.
Ratios last.

    .venv/bin/python tests/perf/bench.py [--sizes seed,20k,200k,200k-many] [--wrk-size seed] [--runs N] [--fresh]
"""

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import event  # noqa: E402

from app.config import Settings  # noqa: E402
from app.main import create_app  # noqa: E402
from app.seeds import expand_paths, seed_content_hash  # noqa: E402
from app.synth import SynthSize, write_synth  # noqa: E402
from tests.serving import free_port  # noqa: E402

CACHE = ROOT / ".bench-cache"
SEEDS_DIR = ROOT / "seeds"
TRUCE = [sys.executable, "-m", "app.cli"]
SIZES = {
    "seed": None,
    "20k": SynthSize(proposals=500, actors=160, density=0.25, seed=1),
    "200k": SynthSize(proposals=2000, actors=400, density=0.25, seed=1),
    # The same 200k reactions spread over four times the proposals, each with fewer actors.
    "200k-many": SynthSize(proposals=8000, actors=100, density=0.25, seed=1),
}
AS_OF = "2024-12-26"
TARGETS = {"html_raw": 300_000, "html_gzip": 50_000, "p95_ms": 50, "server_rss_mb": 250, "csv_rss_mb": 30, "import_s": 60, "import_rss_mb": 400}


@dataclass
class Names:
    """Slugs that exist at a size: the seed's real ones, or the synthetic ones."""

    actor: str
    other: str
    proposal: str
    query: str


def names_for(size: str) -> Names:
    if size == "seed":
        return Names("vladimir-putin", "volodymyr-zelenskyy", "nato-membership-20-year-delay", "NATO")
    return Names("synth-actor-1", "synth-actor-2", "synth-proposal-1", "ceasefire")


def page_types(n: Names, paged: bool, origin: str) -> list[tuple[str, str, dict[str, str]]]:
    """The page types, with `origin` the served site's BASE_URL (oEmbed takes only our own URLs)."""
    hx = {"HX-Request": "true"}
    dated = f"as_of={AS_OF}"
    pages = [
        ("list", "/", {}),
        ("list, as of", f"/?{dated}", {}),
        ("list, filtered", f"/?actor={n.actor}&position=rejects", {}),
        ("list, filtered, as of", f"/?actor={n.actor}&position=rejects&{dated}", {}),
        ("list, fragment", f"/?actor={n.actor}&position=rejects", hx),
        ("list, side", "/?side=russia&position=rejects", {}),
        ("list, side, as of", f"/?side=russia&position=rejects&{dated}", {}),
        ("list, page 3", "/?page=3", {}),
        ("list, search", f"/?q={n.query}", {}),
        ("state of play", "/state-of-play", {}),
        ("state of play, as of", f"/state-of-play?{dated}", {}),
        ("permalink", f"/proposals/{n.proposal}", {}),
        ("permalink, as of", f"/proposals/{n.proposal}?{dated}", {}),
        ("actor", f"/actors/{n.actor}", {}),
        ("actor, as of", f"/actors/{n.actor}?{dated}", {}),
        ("actors", "/actors", {}),
        ("matrix", "/matrix", {}),
        ("matrix, as of", f"/matrix?{dated}", {}),
        ("timeline", "/timeline", {}),
        ("timeline, actor", f"/timeline?actor={n.actor}", {}),
        ("compare", f"/compare?a={n.actor}&b={n.other}", {}),
        ("common ground", "/common-ground", {}),
        ("sources", "/sources", {}),
        ("feed", "/feed.atom", {}),
        ("api list", "/api/proposals", {}),
        ("api list, as of", f"/api/proposals?{dated}", {}),
        ("api list, filtered", f"/api/proposals?actor={n.actor}&position=rejects", {}),
        ("api detail", f"/api/proposals/{n.proposal}", {}),
        ("embed", f"/embed/proposals/{n.proposal}", {}),
        ("embed, actor", f"/embed/actors/{n.actor}", {}),
        ("oembed", "/oembed?" + urlencode({"url": f"{origin}/proposals/{n.proposal}", "format": "json"}), {}),
        ("cite.bib", f"/proposals/{n.proposal}/cite.bib", {}),
        ("corrections", "/corrections", {}),
        ("healthz", "/healthz", {}),
    ]
    # The seed's 14 proposals fit on one page.
    return [p for p in pages if paged or p[0] != "list, page 3"]


def rss_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", text).group(1)) / 1024


def prepare(size: str, fresh: bool) -> tuple[Path, dict]:
    """The size's SQLite file and its import figures, built once and cached in .bench-cache/<size>/."""
    folder = CACHE / size
    folder.mkdir(parents=True, exist_ok=True)
    seeds = SEEDS_DIR
    spec = SIZES[size]
    if spec is not None:
        seeds = folder / "seeds"
        stamp = folder / "synth.json"
        wanted = json.dumps(spec.__dict__, sort_keys=True)
        if fresh or not stamp.exists() or stamp.read_text() != wanted:
            print(f"[{size}] truce synth {spec}", flush=True)
            write_synth(spec, seeds)
            stamp.write_text(wanted)
    db = folder / "truce.db"
    figures_file = folder / "import.json"
    content_hash = seed_content_hash(expand_paths([seeds]))
    figures = json.loads(figures_file.read_text()) if figures_file.exists() else {}
    if fresh or not db.exists() or figures.get("content_hash") != content_hash:
        db.unlink(missing_ok=True)
        url = f"sqlite:///{db}"
        subprocess.run([*TRUCE, "--database-url", url, "migrate"], cwd=ROOT, check=True, capture_output=True)
        print(f"[{size}] truce import ...", flush=True)
        timed = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", *TRUCE, "--database-url", url, "import", str(seeds)],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )
        seconds, kilobytes = timed.stderr.strip().splitlines()[-1].split()
        counts = re.search(r"imported (.*) \(data", timed.stdout).group(1)
        # The skip of an unchanged seed set, timed the same way (process start-up included).
        start = time.perf_counter()
        subprocess.run([*TRUCE, "--database-url", url, "import", str(seeds)], cwd=ROOT, check=True, capture_output=True)
        figures = {
            "content_hash": content_hash,
            "import_s": float(seconds),
            "import_rss_mb": int(kilobytes) / 1024,
            "reimport_unchanged_s": time.perf_counter() - start,
            "counts": counts,
            "db_mb": db.stat().st_size / 1e6,
        }
        figures_file.write_text(json.dumps(figures))
    return db, figures


class Server:
    """`truce serve` on a free port, as `make run` starts it."""

    def __init__(self, db: Path, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {k: v for k, v in os.environ.items() if k not in ("BASE_URL", "DATABASE_URL")}
        environment.update(DATABASE_URL=f"sqlite:///{db}", **env)
        self.process = subprocess.Popen(
            [*TRUCE, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(self.url + "/healthz")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def statement_counts(db: Path, pages: list[tuple[str, str, dict[str, str]]]) -> dict[str, int]:
    # Cache off, so every request runs its queries; TestClient sends Host: testserver.
    app = create_app(Settings(database_url=f"sqlite:///{db}", base_url="http://testserver", response_cache_bytes=0))
    statements: list[str] = []
    event.listen(app.state.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    counts = {}
    with TestClient(app) as client:
        for name, path, headers in pages:
            client.get(path, headers=headers)
            statements.clear()
            client.get(path, headers=headers)
            counts[name] = len(statements)
    app.state.engine.dispose()
    return counts


def bench_size(size: str, runs: int, fresh: bool) -> dict:
    db, figures = prepare(size, fresh)
    print(f"\n## {size}: {figures['counts']} ({figures['db_mb']:.0f} MB SQLite)")
    print(
        f"truce import: {figures['import_s']:.1f} s, peak RSS {figures['import_rss_mb']:.0f} MB; "
        f"again, unchanged (skipped; process start included): {figures['reimport_unchanged_s']:.2f} s"
    )
    counts = statement_counts(db, page_types(names_for(size), paged=size != "seed", origin="http://testserver"))
    # Sequential timings are uncached: the response cache is off, so each request renders.
    server = Server(db, RESPONSE_CACHE_BYTES="0")
    pages = page_types(names_for(size), paged=size != "seed", origin=server.url)
    results = []
    try:
        with httpx.Client(base_url=server.url, headers={"Accept-Encoding": "identity"}, timeout=120) as client:
            print(f"\n{'page type':<22} {'url':<52} {'SQL':>4} {'p50 ms':>8} {'p95 ms':>8} {'raw B':>9} {'gzip B':>8}")
            for name, path, headers in pages:
                body = client.get(path, headers=headers).content  # warm
                timings = []
                for _ in range(runs):
                    start = time.perf_counter()
                    response = client.get(path, headers=headers)
                    timings.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200, (path, response.status_code)
                timings.sort()
                p50 = statistics.median(timings)
                p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
                zipped = len(gzip.compress(body))
                results.append((name, path, counts[name], p50, p95, len(body), zipped))
                print(f"{name:<22} {path[:52]:<52} {counts[name]:>4} {p50:>8.1f} {p95:>8.1f} {len(body):>9,} {zipped:>8,}", flush=True)

            # Streaming every reaction as CSV: time to first byte, and how much the server grows.
            baseline = rss_mb(server.process.pid)
            peak = [baseline]
            done = threading.Event()

            def sample() -> None:
                while not done.is_set():
                    peak[0] = max(peak[0], rss_mb(server.process.pid))
                    time.sleep(0.02)

            sampler = threading.Thread(target=sample)
            sampler.start()
            start = time.perf_counter()
            first_byte = None
            size_bytes = 0
            with client.stream("GET", "/reactions.csv") as response:
                for chunk in response.iter_raw():
                    if first_byte is None:
                        first_byte = (time.perf_counter() - start) * 1000
                    size_bytes += len(chunk)
            total = time.perf_counter() - start
            done.set()
            sampler.join()
            csv_figures = {"first_byte_ms": first_byte, "total_s": total, "mb": size_bytes / 1e6, "rss_increase_mb": peak[0] - baseline}
            print(
                f"\n/reactions.csv (all): first byte {first_byte:.0f} ms, {size_bytes / 1e6:.1f} MB in {total:.1f} s, "
                f"server RSS +{peak[0] - baseline:.1f} MB (from {baseline:.0f} MB)"
            )
        server_rss = rss_mb(server.process.pid)
        print(f"server RSS after the bench: {server_rss:.0f} MB")
    finally:
        server.stop()

    # The same pages with the response cache on (the default), in the same run: every repeat after
    # the first is a cache hit. Printed beside the uncached figures and /healthz.
    cached_server = Server(db)
    try:
        with httpx.Client(base_url=cached_server.url, headers={"Accept-Encoding": "identity"}, timeout=120) as client:
            print(f"\n{'page type':<22} {'cached p50':>10} {'uncached p50':>13} {'uncached p95':>13}")
            for (name, path, headers), result in zip(page_types(names_for(size), paged=size != "seed", origin=cached_server.url), results, strict=True):
                client.get(path, headers=headers)
                timings = []
                for _ in range(max(10, runs // 2)):
                    start = time.perf_counter()
                    client.get(path, headers=headers)
                    timings.append((time.perf_counter() - start) * 1000)
                print(f"{name:<22} {statistics.median(timings):>10.1f} {result[3]:>13.1f} {result[4]:>13.1f}", flush=True)
    finally:
        cached_server.stop()

    html = [r for r in results if not r[1].startswith(("/api", "/healthz", "/feed"))]
    worst_raw = max(html, key=lambda r: r[5])
    worst_gzip = max(html, key=lambda r: r[6])
    slow = [r[0] for r in results if r[4] > TARGETS["p95_ms"]]
    print(
        f"targets: largest page {worst_raw[5]:,} B raw ({worst_raw[0]}), {worst_gzip[6]:,} B gzip ({worst_gzip[0]}); "
        f"p95 over {TARGETS['p95_ms']} ms: {', '.join(slow) or 'none'}"
    )
    return {"figures": figures, "pages": results, "csv": csv_figures, "server_rss_mb": server_rss}


def wrk(url: str, seconds: int, headers: dict[str, str] | None = None) -> float:
    command = ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency"]
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(match.group(1)) if match else 0.0


def nginx_topology(db: Path):  # type: ignore[no-untyped-def]
    """deploy/'s topology (nginx caching in front of two `truce serve` processes) on the bench's
    database, or None when nginx is not installed."""
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        return None
    from deploy.topology import Topology

    return Topology(f"sqlite:///{db}", Path(tempfile.mkdtemp(prefix="truce-bench-nginx-")))


def wrk_block(size: str, seconds: int) -> None:
    if not shutil.which("wrk"):
        print("\n(wrk not installed: apt-get install wrk)")
        return
    db, _ = prepare(size, False)
    n = names_for(size)
    page = f"/?actor={n.actor}&position=rejects"
    rows: list[tuple[str, float]] = []
    print(f"\n## wrk -t2 -c32 -d{seconds}s, one run, at the {size} size (wrk and the server share the 2 cores)")
    server = Server(db)
    try:
        base = server.url
        for label, url, headers in (
            ("/healthz", base + "/healthz", None),
            ("cached page", base + page, None),
            ("fragment", base + page, {"HX-Request": "true"}),
            ("permalink", base + f"/proposals/{n.proposal}", None),
            ("API", base + f"/api/proposals?actor={n.actor}&position=rejects", None),
        ):
            wrk(url, 2, headers)  # warm
            rows.append((label, wrk(url, seconds, headers)))
            print(f"  {label:<24} {rows[-1][1]:>10.1f} req/s", flush=True)
    finally:
        server.stop()
    topology = nginx_topology(db)
    if topology is None:
        print("  nginx-cached page        (nginx not installed: apt-get install nginx-light)")
    else:
        with topology as nginx:
            wrk(nginx.url + page, 2)
            rows.append(("nginx-cached page", wrk(nginx.url + page, seconds)))
            print(f"  {'nginx-cached page':<24} {rows[-1][1]:>10.1f} req/s", flush=True)
    # The same page with the response cache off (RESPONSE_CACHE_BYTES=0, issue 9 part A's setting).
    uncached = Server(db, RESPONSE_CACHE_BYTES="0")
    try:
        wrk(uncached.url + page, 2)
        rows.append(("uncached page", wrk(uncached.url + page, seconds)))
        print(f"  {'uncached page':<24} {rows[-1][1]:>10.1f} req/s", flush=True)
    finally:
        uncached.stop()
    datasette = shutil.which("datasette") or str(Path(sys.executable).parent / "datasette")
    if Path(datasette).exists():
        import sqlite3

        with sqlite3.connect(db) as connection:
            actor_id = connection.execute("SELECT id FROM actor WHERE slug = ?", (n.actor,)).fetchone()[0]
        port = free_port()
        process = subprocess.Popen([datasette, "serve", str(db), "-h", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/{db.stem}/reaction?actor_id={actor_id}&position=rejects"
            wait_for(url)
            wrk(url, 2)
            rows.append(("Datasette filtered table", wrk(url, seconds)))
            print(f"  {'Datasette filtered table':<24} {rows[-1][1]:>10.1f} req/s   ({url.split(str(port))[1]})")
        finally:
            process.terminate()
            process.wait(timeout=20)
    else:
        print("  Datasette: not installed (pip install -e '.[bench]')")

    rate = dict(rows)
    print("\n## ratios")
    if rate.get("/healthz"):
        print(f"  cached page / healthz   = {rate['cached page'] / rate['/healthz']:.2f}")
    if rate.get("Datasette filtered table"):
        print(f"  page / Datasette        = {rate['cached page'] / rate['Datasette filtered table']:.2f}x")
    if rate.get("nginx-cached page"):
        print(f"  nginx / app             = {rate['nginx-cached page'] / rate['cached page']:.1f}x")
    else:
        print("  nginx / app             = (no nginx yet)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="seed,20k,200k,200k-many")
    parser.add_argument("--wrk-size", default="seed", help="data size for the wrk block ('' to skip it)")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=0, help="requests per page type (default: 100 seed, 40 20k, 20 200k)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the synthetic seeds and databases")
    args = parser.parse_args()
    print(f"Truce Explorer bench, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M')}")
    for size in [s for s in args.sizes.split(",") if s]:
        runs = args.runs or {"seed": 100, "20k": 40, "200k": 20, "200k-many": 20}[size]
        bench_size(size, runs, args.fresh)
    if args.wrk_size:
        wrk_block(args.wrk_size, args.wrk_seconds)


if __name__ == "__main__":
    main()
