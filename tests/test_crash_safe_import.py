"""A killed `truce import` never takes the site down, and no reader sees a half-imported database;
`/download/truce.db` is always one whole committed generation.

Both run against real processes: `truce serve` (uvicorn) and `truce import`, killed with SIGKILL at
points found by watching the data folder (the temporary build file appearing and growing, its
journal coming and going, the swap), never by sleeping.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, SEEDS_DIR, build_database
from tests.serving import Server, truce_env, truce_serve
from tests.test_importer import drop_corrections

SLUG = "nato-membership-20-year-delay"
SEED_FILE = "article-russia-rejects-truce-plan.yaml"
KILLS_WANTED = 22
READ_PATHS = ["/healthz", f"/api/proposals/{SLUG}", "/api/actors", "/"]


@dataclass
class Site:
    folder: Path
    live: Path
    seeds: dict[str, Path]  # "a" (the real seeds) and "b" (the same with a proposal renamed and a reaction dropped)
    server: Server
    versions: dict[str, str] = field(default_factory=dict)  # seed set -> data version
    bodies: dict[str, set[bytes]] = field(default_factory=dict)  # path -> the bodies it may have (old or new)


def _seed_set_b(folder: Path) -> Path:
    target = folder / "seeds-b"
    target.mkdir()
    data = yaml.safe_load((SEEDS_DIR / SEED_FILE).read_text(encoding="utf-8"))
    for proposal in data["proposals"]:
        if proposal["slug"] == SLUG:
            proposal["title"] = "Put off Ukraine’s NATO membership for twenty years"
    # A reaction that no other record's date follows (`after:`), so the seed stays valid without it.
    followed = {ref["after"] for r in data["reactions"] for ref in [r["stated_on"]] if "after" in ref}
    dropped = next(r for r in data["reactions"] if r["proposal"] == SLUG and not r.get("proposer") and r["slug"] not in followed)
    data["reactions"].remove(dropped)
    drop_corrections(data, {dropped["slug"]})
    (target / SEED_FILE).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def _get(server: Server, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(server.url + path, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _live_version(live: Path) -> str:
    with sqlite3.connect(f"file:{live}?mode=ro", uri=True) as connection:
        return connection.execute("SELECT content_hash FROM data_version ORDER BY id DESC LIMIT 1").fetchone()[0]


def _integrity(live: Path) -> str:
    with sqlite3.connect(f"file:{live}?mode=ro", uri=True) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def _import_command(site: Site, seeds: str) -> list[str]:
    return [sys.executable, "-m", "app.cli", "--database-url", f"sqlite:///{site.live}", "import", str(site.seeds[seeds])]


def _run_import(site: Site, seeds: str) -> None:
    subprocess.run(_import_command(site, seeds), cwd=ROOT, env=truce_env(), check=True, capture_output=True, timeout=60)


def _record_bodies(site: Site, seeds: str) -> None:
    site.versions[seeds] = _live_version(site.live)
    for path in READ_PATHS[1:]:
        status, body = _get(site.server, path)
        assert status == 200
        site.bodies.setdefault(path, set()).add(body)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One server over one data folder for the module; each test starts from whichever data set is live."""
    tmp_path = tmp_path_factory.mktemp("crash")
    folder = tmp_path / "data"
    folder.mkdir()
    live = folder / "truce.db"
    build_database(live, [SEEDS_DIR])
    with truce_serve(live) as server:
        site = Site(folder, live, {"a": SEEDS_DIR, "b": _seed_set_b(tmp_path)}, server)
        _record_bodies(site, "a")
        _run_import(site, "b")
        _wait_for_version(site, "b")
        _record_bodies(site, "b")
        assert site.versions["a"] != site.versions["b"]
        for path in READ_PATHS[1:3]:
            assert len(site.bodies[path]) == 2, f"{path} must differ between the two data sets"
        yield site


def _wait_for_version(site: Site, seeds: str) -> None:
    for _ in range(100):
        if json.loads(_get(site.server, "/healthz")[1])["data_version"] == site.versions.get(seeds, _live_version(site.live)):
            return
        time.sleep(0.01)


class Readers:
    """Threads that read the site without pause and count every answer that is not 200 with the
    old or the new data."""

    def __init__(self, site: Site, threads: int = 1):
        self.site = site
        self.stop = threading.Event()
        self.requests = 0
        self.bad: list[str] = []
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def _run(self) -> None:
        versions = set(self.site.versions.values())
        while not self.stop.is_set():
            for path in READ_PATHS:
                status, body = _get(self.site.server, path)
                self.requests += 1
                if status != 200:
                    self.bad.append(f"{path}: {status} {body[:200]!r}")
                elif path == "/healthz":
                    if json.loads(body)["data_version"] not in versions:
                        self.bad.append(f"/healthz: unknown data version {body[:200]!r}")
                elif path in self.site.bodies and body not in self.site.bodies[path]:
                    self.bad.append(f"{path}: neither the old nor the new data")

    def __enter__(self) -> "Readers":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def _files_state(folder: Path, live: Path) -> tuple:
    """What an observer of the data folder sees: the build file's size, its journal's, the live inode."""
    build = journal = None
    live_inode = None
    for entry in os.scandir(folder):
        if entry.name == live.name:
            live_inode = entry.inode()
        elif entry.name.startswith(f".{live.name}.build-"):
            try:
                size = entry.stat().st_size
            except FileNotFoundError:
                continue
            if entry.name.endswith("-journal"):
                journal = size
            else:
                build = size
    return build, journal, live_inode


def _import_watched(site: Site, seeds: str, kill_at: int | None) -> tuple[list[tuple], bool]:
    """Run `truce import`, noting each change in the data folder; SIGKILL it at change number
    `kill_at`. Returns the changes seen and whether the kill hit a running import."""
    process = subprocess.Popen(_import_command(site, seeds), cwd=ROOT, env=truce_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    changes: list[tuple] = []
    last = _files_state(site.folder, site.live)
    killed = False
    while process.poll() is None:
        time.sleep(0.0002)  # a poll interval, not a timing: the kill waits for a file change
        state = _files_state(site.folder, site.live)
        if state != last:
            changes.append(state)
            last = state
            if kill_at is not None and len(changes) == kill_at:
                process.send_signal(signal.SIGKILL)
                killed = process.wait() == -signal.SIGKILL
                break
    process.wait()
    return changes, killed


def test_killed_imports_never_take_the_site_down(site: Site) -> None:
    # One watched import, not killed, maps the points an import passes through.
    trace, _ = _import_watched(site, "a", kill_at=None)
    assert trace, "the import changed no file in the data folder"
    assert any(build is not None for build, _, _ in trace) and trace[-1][2] != trace[0][2], trace
    kills = attempts = 0
    points_hit: set[int] = set()
    with Readers(site) as readers:
        while kills < KILLS_WANTED and attempts < 4 * KILLS_WANTED:
            # The next import always changes the data: to the set that is not live now.
            seeds = "b" if _live_version(site.live) == site.versions["a"] else "a"
            # Points spread evenly over the mapped import, from the first file change to the swap.
            point = 1 + (attempts * len(trace) // KILLS_WANTED) % len(trace)
            attempts += 1
            _, killed = _import_watched(site, seeds, kill_at=point)
            if killed:
                kills += 1
                points_hit.add(point)
            # After every kill: the live file is whole, and the server answers with old or new data.
            assert _integrity(site.live) == "ok"
            assert _live_version(site.live) in site.versions.values()
            status, body = _get(site.server, "/healthz")
            assert status == 200, body
        _run_import(site, "a")  # the next import clears what the killed ones left
    leftovers = [p.name for p in site.folder.iterdir() if ".build-" in p.name]
    print(
        f"\nkill test: {kills} SIGKILLs in {attempts} imports, at {len(points_hit)} of {len(trace)} file-change points; "
        f"{readers.requests} reads during them, {len(readers.bad)} bad"
    )
    assert kills >= 20
    assert len(points_hit) >= min(len(trace), 5), "the kills must spread over the import"
    assert readers.bad == [], readers.bad[:5]
    assert leftovers == []
    assert _integrity(site.live) == "ok"


def test_downloads_during_imports_are_whole_generations(site: Site) -> None:
    stop = threading.Event()
    results: list[tuple[str, str, str]] = []  # (etag, integrity, version inside)
    errors: list[str] = []

    def download_loop() -> None:
        while not stop.is_set():
            try:
                with urllib.request.urlopen(site.server.url + "/download/truce.db", timeout=10) as response:
                    etag = response.headers["ETag"].strip('"')
                    body = response.read()
            except Exception as exc:  # noqa: BLE001 - any failed download is a finding
                errors.append(repr(exc))
                continue
            copy = sqlite3.connect(":memory:")
            try:
                copy.deserialize(body)
                integrity = copy.execute("PRAGMA integrity_check").fetchone()[0]
                version = copy.execute("SELECT content_hash FROM data_version ORDER BY id DESC LIMIT 1").fetchone()[0]
            except sqlite3.DatabaseError as exc:
                integrity, version = f"unreadable: {exc}", ""
            finally:
                copy.close()
            results.append((etag, integrity, version))

    threads = [threading.Thread(target=download_loop, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    imports = 6
    for number in range(imports):
        _run_import(site, "a" if number % 2 == 0 else "b")
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    corrupt = [r for r in results if r[1] != "ok"]
    mismatched = [r for r in results if r[1] == "ok" and r[0] != r[2]]
    print(f"\ndownload race: {len(results)} downloads during {imports} data-changing imports, {len(corrupt)} corrupt, {len(mismatched)} with an ETag not their data version")
    assert errors == []
    assert len(results) >= 100
    assert corrupt == [] and mismatched == []
    assert {r[0] for r in results} <= set(site.versions.values())


def test_download_etag_is_the_data_version_and_revalidates(site: Site) -> None:
    request = urllib.request.Request(site.server.url + "/download/truce.db")
    with urllib.request.urlopen(request, timeout=10) as response:
        etag = response.headers["ETag"]
        assert etag == f'"{_live_version(site.live)}"'
        assert int(response.headers["Content-Length"]) == len(response.read()) == site.live.stat().st_size
    request.add_header("If-None-Match", etag)
    with pytest.raises(urllib.error.HTTPError) as not_modified:
        urllib.request.urlopen(request, timeout=10)
    assert not_modified.value.code == 304


def test_a_stale_build_is_removed_and_the_live_file_untouched(site: Site) -> None:
    if _live_version(site.live) != site.versions["b"]:
        _run_import(site, "b")
    stale = site.folder / f".{site.live.name}.build-deadbeef"
    stale.write_bytes(b"half a database")
    (site.folder / f"{stale.name}-journal").write_bytes(b"hot journal")
    inode = site.live.stat().st_ino
    _run_import(site, "b")  # the same data: nothing to swap in, but the leftovers go
    assert site.live.stat().st_ino == inode
    assert not stale.exists() and not (site.folder / f"{stale.name}-journal").exists()
    _run_import(site, "a")
    assert site.live.stat().st_ino != inode and _live_version(site.live) == site.versions["a"]


def test_migrate_of_a_live_database_swaps_too(site: Site) -> None:
    inode = site.live.stat().st_ino
    subprocess.run(
        [sys.executable, "-m", "app.cli", "--database-url", f"sqlite:///{site.live}", "migrate"],
        cwd=ROOT, env=truce_env(), check=True, capture_output=True, timeout=60,
    )
    assert site.live.stat().st_ino != inode
    assert _integrity(site.live) == "ok" and _live_version(site.live) in site.versions.values()
    assert _get(site.server, "/healthz")[0] == 200


def test_importing_over_a_file_that_is_not_a_database_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main as truce

    live = tmp_path / "truce.db"
    live.write_bytes(b"not a database " * 10)
    assert truce(["--database-url", f"sqlite:///{live}", "import", str(SEEDS_DIR)]) == 1
    assert "cannot read the database file" in capsys.readouterr().err
    assert live.read_bytes() == b"not a database " * 10
    assert sorted(p.name for p in tmp_path.iterdir()) == [".truce.db.lock", "truce.db"]


def test_every_reader_follows_a_swap_not_only_the_routes(tmp_path: Path) -> None:
    """app.state.sessionmaker is what other readers (a cache's data-version probe, scripts) call:
    after a swap it gives sessions on the new file too, and the old engine is let go."""
    from sqlalchemy import text

    from app.cli import main as truce
    from tests.conftest import make_client

    live = tmp_path / "truce.db"
    build_database(live, [SEEDS_DIR])
    with make_client(live) as client:
        old_version = client.get("/healthz").json()["data_version"]
        old_engine = client.app.state.engine
        assert truce(["--database-url", f"sqlite:///{live}", "import", str(_seed_set_b(tmp_path))]) == 0
        with client.app.state.sessionmaker() as session:  # before any route has run
            new_version = session.execute(text("SELECT content_hash FROM data_version ORDER BY id DESC LIMIT 1")).scalar_one()
        assert new_version != old_version and new_version == _live_version(live)
        assert client.app.state.engine is not old_engine
        assert client.get("/healthz").json()["data_version"] == new_version
