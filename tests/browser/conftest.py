"""Real-browser fixtures: the app served by `truce serve` on a free loopback port, driven by Debian's Chromium.

Without Chromium or Playwright the browser tests skip, unless REQUIRE_BROWSER=1 (as in CI), where they fail.
Screenshots go to tests/artifacts/screenshots/ (git-ignored): the page-by-width set taken by
test_screenshots, and one per failed browser test, under failures/.
"""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SEEDS_DIR, build_database
from tests.serving import truce_serve

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS_DIR = ROOT / "tests" / "artifacts"
SCREENSHOTS_DIR = ARTIFACTS_DIR / "screenshots"
# Console errors that are not faults: an error page's own status, and htmx logging the request it
# aborted on purpose (data-hx-sync="this:replace" drops a stale request when the filters change again).
EXPECTED_CONSOLE_ERRORS = ("Failed to load resource", "htmx:sendAbort", "htmx:afterRequest")


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose tool is missing, or fail it when REQUIRE_BROWSER=1 says the tool must be there."""
    if browser_required():
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`truce serve` on a free loopback port over a freshly migrated and seeded SQLite file; yields the base URL."""
    database = tmp_path_factory.mktemp("live") / "truce.db"
    build_database(database, [SEEDS_DIR])
    yield from serve(database)


@pytest.fixture(scope="session")
def synth_live_server(tmp_path_factory: pytest.TempPathFactory, synth_db: Path) -> Iterator[str]:
    """The same over the synthetic data set (tests/conftest.py SYNTH_SIZE), where views have several pages."""
    yield from serve(synth_db)


def serve(database: Path) -> Iterator[str]:
    # truce_serve leaves out any BASE_URL of ours: canonical and share links must point at this server.
    with truce_serve(database) as server:
        yield server.url


@pytest.fixture(scope="session")
def playwright_api() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the Python package playwright is not installed (pip install -e '.[dev]')")
    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as api:
        yield api


@pytest.fixture(scope="session")
def browser(playwright_api: Any) -> Iterator[Any]:
    try:
        chromium = playwright_api.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:  # playwright raises its own Error type for a browser that will not start
        skip_or_fail(f"Chromium at {CHROMIUM} did not start: {exc}")
    yield chromium
    chromium.close()


@pytest.fixture
def context(browser: Any, live_server: str) -> Iterator[Any]:
    """A fresh profile (no cookies, storage or history) whose relative URLs resolve against the live server."""
    ctx = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


def watch_errors(page: Any) -> list[str]:
    """Script errors and CSP refusals (an inline script or style slipped in) reported by a page."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: problems.append(f"console {message.type}: {message.text}")
        if message.type == "error" and not message.text.startswith(EXPECTED_CONSOLE_ERRORS)
        else None,
    )
    return problems


def watched_page(browser: Any, base_url: str, **options: Any) -> Iterator[Any]:
    """A page in a fresh context on `base_url` (options: locale, java_script_enabled, ...) that fails
    the test on script errors and CSP refusals; `yield from` it in a fixture, or loop over it."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900}, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = watch_errors(page)
    yield page
    context.close()
    assert not problems, "the browser reported errors:\n" + "\n".join(problems)


@pytest.fixture
def page(context: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page that records script errors and CSP violations, and is photographed if the test fails."""
    new_page = context.new_page()
    problems = watch_errors(new_page)
    yield new_page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and not new_page.is_closed():
        save_failure_screenshot(new_page, request.node.nodeid)
    if report is not None and report.passed:
        # Script errors and CSP refusals (an inline script or style slipped in) show up as console errors.
        assert not problems, "the browser reported errors:\n" + "\n".join(problems)


def save_failure_screenshot(page: Any, nodeid: str) -> None:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid)[-150:]
    target = SCREENSHOTS_DIR / "failures" / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(target), full_page=True)
    except Exception as exc:  # a screenshot must never hide the real failure
        print(f"could not save a failure screenshot: {exc}")
    else:
        print(f"failure screenshot: {target}")


@pytest.fixture(scope="session", autouse=True)
def _clear_failure_screenshots() -> None:
    """Failure screenshots describe this run only."""
    shutil.rmtree(SCREENSHOTS_DIR / "failures", ignore_errors=True)


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS_DIR


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the test item so fixtures can tell, at teardown, whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
