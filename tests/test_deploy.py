"""The deployment topology (deploy/): nginx as a caching reverse proxy in front of two `truce serve`
processes on two ports, on PostgreSQL.

The real thing: a fresh PostgreSQL database migrated and imported with the real CLI, two app
processes, and Debian's nginx started unprivileged from the rendered template. Runs when
TEST_POSTGRES_URL is set (CI sets it, and REQUIRE_POSTGRES=1, which turns a skip into a failure).
"""

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from deploy.topology import NGINX, Topology, render_nginx_config
from tests.conftest import ROOT, SEEDS_DIR
from tests.test_postgres import postgres_url  # noqa: F401 (the fixture: a fresh database, dropped afterwards)

pytestmark = [pytest.mark.deploy, pytest.mark.postgres]

MAX_AGE = 2  # seconds: CACHE_MAX_AGE for the apps, so the test sees entries expire
SLUG = "nato-membership-20-year-delay"
SEED_FILE = "article-russia-rejects-truce-plan.yaml"
HX = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


def truce(database_url: str, *args: str) -> None:
    """The real command line, as an operator runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "--database-url", database_url, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"truce {' '.join(args)}: {result.stdout}{result.stderr}"


@pytest.fixture(scope="module")
def deployed(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Topology, Path]]:  # noqa: F811
    if not Path(NGINX).exists():
        reason = f"nginx is not installed at {NGINX} (apt-get install nginx-light)"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 (CI) but {reason}")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("deploy")
    seeds = folder / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    truce(postgres_url, "migrate")
    truce(postgres_url, "import", str(seeds))
    with Topology(postgres_url, folder / "run", app_env={"CACHE_MAX_AGE": str(MAX_AGE)}) as topology:
        yield topology, seeds


@pytest.fixture
def http(deployed: tuple[Topology, Path]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=deployed[0].url, timeout=30) as client:
        yield client


def cache_status(response: httpx.Response) -> str:
    return response.headers["x-cache-status"]


def test_the_template_renders_every_placeholder(tmp_path: Path) -> None:
    config = render_nginx_config(listen="127.0.0.1:8080", apps=["127.0.0.1:8001", "127.0.0.1:8002"], run_dir=tmp_path)
    assert "{{" not in config
    assert "server 127.0.0.1:8001" in config and "server 127.0.0.1:8002" in config
    for directive in ("proxy_cache_lock on", "proxy_cache_use_stale", "proxy_next_upstream error", "client_header_timeout"):
        assert directive in config


@pytest.mark.parametrize(
    "url", ["/?actor=vladimir-putin&position=rejects", f"/proposals/{SLUG}", "/api/proposals?position=rejects", "/reactions.csv", "/feed.atom"]
)
def test_a_repeated_request_is_a_hit(http: httpx.Client, url: str) -> None:
    first = http.get(url)
    assert first.status_code == 200
    assert cache_status(first) in ("MISS", "EXPIRED", "STALE", "UPDATING", "REVALIDATED")
    again = http.get(url)
    assert cache_status(again) == "HIT"
    assert again.content == first.content
    # The app's headers pass through nginx unchanged.
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["cache-control"] == f"public, max-age={MAX_AGE}, stale-while-revalidate=600, s-maxage={MAX_AGE}"
    assert "content-security-policy" in again.headers
    # nginx answers a browser's revalidation itself, from the kept ETag.
    revalidated = http.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert revalidated.status_code == 304 and cache_status(revalidated) == "HIT"


def test_errors_are_not_cached_by_nginx(http: httpx.Client) -> None:
    for _ in range(2):
        response = http.get("/proposals/no-such-proposal")
        assert response.status_code == 404
        assert response.headers["cache-control"] == "no-store"
        assert cache_status(response) == "MISS"


@pytest.mark.parametrize("first", ["fragment", "page"])
def test_a_fragment_is_never_served_for_a_page_nor_the_other_way(http: httpx.Client, first: str) -> None:
    url = "/?position=conditional" if first == "fragment" else "/?position=supports"
    order = [HX, {}, RESTORE] if first == "fragment" else [{}, HX, RESTORE]
    statuses = []
    for _ in range(3):
        for headers in order:
            response = http.get(url, headers=headers)
            assert response.status_code == 200
            statuses.append(cache_status(response))
            if headers == HX:
                assert "<html" not in response.text and response.headers["hx-push-url"] == url
            else:
                assert "<html" in response.text and "hx-push-url" not in response.headers
    assert "HIT" in statuses  # the variants were kept, side by side


def retitle(seeds: Path, title: str) -> None:
    seed = seeds / SEED_FILE
    data = yaml.safe_load(seed.read_text(encoding="utf-8"))
    [proposal] = [p for p in data["proposals"] if p["slug"] == SLUG]
    proposal["title"] = title
    seed.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_after_an_import_new_data_appears_within_max_age(
    deployed: tuple[Topology, Path], http: httpx.Client, postgres_url: str  # noqa: F811
) -> None:
    _, seeds = deployed
    urls = [f"/api/proposals/{SLUG}", f"/proposals/{SLUG}"]  # the page was cached by an earlier test
    for url in urls:
        http.get(url)
        assert cache_status(http.get(url)) == "HIT"
    title = "Put off Ukraine’s NATO membership for two decades"
    assert title not in http.get(urls[1]).text

    retitle(seeds, title)
    truce(postgres_url, "import", str(seeds))
    imported = time.monotonic()
    for url in urls:
        # The first request after expiry may get the stale copy while nginx refreshes it (stale-while-revalidate).
        while title not in (seen := http.get(url).text) and time.monotonic() - imported < 30:
            time.sleep(0.1)
        elapsed = time.monotonic() - imported
        assert title in seen, f"{url} still shows the old title 30 s after the import"
        # max-age, plus nginx counting in whole seconds, plus the app re-reading the version each second.
        assert elapsed <= MAX_AGE + 1 + 1 + 1.5, f"new data took {elapsed:.1f} s to appear at {url} through nginx"


def test_killing_one_app_process_loses_no_request(deployed: tuple[Topology, Path]) -> None:
    """Requests that miss the cache, from four clients, while one app process is SIGKILLed."""
    topology, _ = deployed
    failures: list[str] = []
    counts: list[int] = []
    stop = threading.Event()

    def client(number: int) -> None:
        done = 0
        with httpx.Client(base_url=topology.url, timeout=30) as session:
            while not stop.is_set():
                url = f"/api/proposals?q=kill{number}x{done}"  # a new URL each time: a miss, so an app answers
                try:
                    response = session.get(url)
                    if response.status_code != 200:
                        failures.append(f"{url}: {response.status_code}")
                except httpx.HTTPError as exc:
                    failures.append(f"{url}: {exc!r}")
                done += 1
        counts.append(done)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    victim, survivor = topology.apps
    victim.kill()
    time.sleep(3.0)  # longer than fail_timeout, so nginx tries the dead process again
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sum(counts) > 20

    log = topology.access_log.read_text()
    kill_lines = [line for line in log.splitlines() if "q=kill" in line]
    assert len(kill_lines) == sum(counts)
    served_by = [re.search(r'upstream="([^"]*)"', line).group(1) for line in kill_lines]  # type: ignore[union-attr]
    victim_address, survivor_address = f"127.0.0.1:{victim.port}", f"127.0.0.1:{survivor.port}"
    assert victim_address in served_by  # it took its share before the kill
    # After the kill, a request that reached the dead process went on to the live one.
    assert f"{victim_address}, {survivor_address}" in served_by
    assert survivor.process.poll() is None
