"""The timeline, compare, common-ground, download and as-of views in real Chromium: filters swap in place
and push a clean URL, the same forms work with JavaScript off, dated links can be shared, and the
pages fit a phone's width."""

import json
import re
import sqlite3
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import skip_or_fail, watch_errors

try:
    from playwright.sync_api import expect
except ImportError:
    skip_or_fail("the Python package playwright is not installed (pip install -e '.[dev]')")

pytestmark = pytest.mark.browser

PUTIN = "vladimir-putin"
ZELENSKYY = "volodymyr-zelenskyy"
LAVROV = "sergey-lavrov"
AS_OF = "2024-12-01"
NATO_DELAY = "nato-membership-20-year-delay"
RELATIONS = ["agree", "opposed", "differ", "only-a", "only-b"]


def api(live_server: str, path: str) -> Any:
    with urllib.request.urlopen(live_server + path) as response:
        return json.load(response)


def path_and_query(page: Any) -> str:
    parts = urlsplit(page.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def track_document_loads(page: Any) -> list[str]:
    """URLs of full-document requests from now on; htmx swaps make fetch/XHR requests instead."""
    loads: list[str] = []
    page.on("request", lambda request: loads.append(request.url) if request.resource_type == "document" else None)
    return loads


# --- /timeline ---------------------------------------------------------------------------------------


def timeline_anchors(body: dict[str, Any]) -> list[str]:
    return [item["anchor"] for month in body["months"] for item in month["items"]] + [item["anchor"] for item in body["undated"]]


def timeline_status(body: dict[str, Any]) -> str:
    count, undated = body["count"], len(body["undated"])
    return f"{count} item{'' if count == 1 else 's'} on the timeline" + (f", {undated} without a date" if undated else "") + "."


def shown_timeline_items(page: Any) -> list[str]:
    return page.locator("#results .timeline-item").evaluate_all("items => items.map(li => li.id)")


def expect_timeline(page: Any, url: str, body: dict[str, Any], actor: str = "") -> None:
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    expect(page.locator("#result-status")).to_have_text(timeline_status(body))
    expect(page.locator("#results .timeline-item")).to_have_count(body["count"])
    assert shown_timeline_items(page) == timeline_anchors(body)
    expect(page.locator("#filter-actor")).to_have_value(actor)
    expect(page.locator("#month-undated")).to_have_count(1 if body["undated"] else 0)


def test_timeline_actor_filter_swaps_in_place_and_the_url_is_the_state(page: Any, live_server: str) -> None:
    everything = api(live_server, "/api/timeline")
    putin = api(live_server, f"/api/timeline?actor={PUTIN}")
    assert everything["undated"] and 0 < putin["count"] < everything["count"]

    page.goto("/timeline")
    expect_timeline(page, "/timeline", everything)
    expect(page.locator("#month-undated")).to_have_text("Date not given")
    # The undated group comes last, after every dated month.
    assert page.locator(".timeline-month > h2").all_inner_texts()[-1] == "Date not given"
    page.evaluate("window.__marker = 1")
    loads = track_document_loads(page)

    page.select_option("#filter-actor", PUTIN)
    expect_timeline(page, f"/timeline?actor={PUTIN}", putin, actor=PUTIN)
    expect(page).to_have_title("Timeline of Vladimir Putin · Truce Explorer")
    assert page.evaluate("window.__marker") == 1, "the page reloaded instead of swapping #results"
    assert loads == [], f"expected only htmx requests, got full page loads: {loads}"
    # The proposal select now counts within the chosen actor (its options came out of band).
    expect(page.locator(f'#filter-proposal option[value="{NATO_DELAY}"]')).to_have_text(re.compile(r"\(1\)$"))
    assert page.locator("#results [data-hx-swap-oob], #results title, #results datalist").count() == 0

    page.reload()
    assert page.evaluate("window.__marker") is None, "reload did not load a new document"
    expect_timeline(page, f"/timeline?actor={PUTIN}", putin, actor=PUTIN)

    page.go_back()
    expect_timeline(page, "/timeline", everything)
    expect(page.locator("#month-undated")).to_have_text("Date not given")
    page.go_forward()
    expect_timeline(page, f"/timeline?actor={PUTIN}", putin, actor=PUTIN)


def test_timeline_filters_work_with_javascript_off(browser: Any, live_server: str) -> None:
    putin = api(live_server, f"/api/timeline?actor={PUTIN}")
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/timeline")
        page.select_option("#filter-actor", PUTIN)
        with page.expect_navigation():
            page.get_by_role("button", name="Apply filters").click()
        # The form sends proposal= too; the server redirects to the clean URL.
        assert path_and_query(page) == f"/timeline?actor={PUTIN}"
        expect_timeline(page, f"/timeline?actor={PUTIN}", putin, actor=PUTIN)

        page.get_by_role("link", name="Clear filters").click()
        expect(page).to_have_url(re.compile(r"/timeline$"))
        expect(page.locator("#month-undated")).to_have_text("Date not given")
    finally:
        context.close()


# --- /compare ----------------------------------------------------------------------------------------


def compare_status(body: dict[str, Any]) -> str:
    # The sentences themselves are checked against the rows in tests/test_summaries.py.
    return " ".join(body["summary"])


def expect_comparison(page: Any, body: dict[str, Any]) -> None:
    a, b = body["a"], body["b"]
    expect(page).to_have_url(re.compile(re.escape(f"/compare?a={a['slug']}&b={b['slug']}") + "$"))
    expect(page.locator("#result-status")).to_have_text(compare_status(body))
    expect(page).to_have_title(f"{a['name']} and {b['name']} compared · Truce Explorer")
    expect(page.locator("#compare-a")).to_have_value(a["slug"])
    expect(page.locator("#compare-b")).to_have_value(b["slug"])
    headings = page.locator("#results .compare-group > h2")
    # Empty groups get no section (the summary names them).
    present = [relation for relation in RELATIONS if body["counts"][relation]]
    expect(headings).to_have_count(len(present))
    for relation in present:
        n = body["counts"][relation]
        expect(page.locator(f"#rel-{relation} .count")).to_have_text(f"({n} proposal{'' if n == 1 else 's'})")
        expected = [row["proposal"]["url"] for row in body["rows"] if row["relation"] == relation]
        shown = page.locator(f"section.compare-group:has(#rel-{relation}) tbody th a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        assert sorted(shown) == sorted(expected), relation


def test_compare_from_an_actor_page_then_change_the_second_actor(page: Any, live_server: str) -> None:
    putin_zelenskyy = api(live_server, f"/api/compare?a={PUTIN}&b={ZELENSKYY}")
    putin_lavrov = api(live_server, f"/api/compare?a={PUTIN}&b={LAVROV}")

    page.goto(f"/actors/{PUTIN}")
    form = page.get_by_role("form", name="Compare Vladimir Putin with another actor")
    form.get_by_label("Compare Vladimir Putin with").select_option(ZELENSKYY)
    with page.expect_navigation():
        form.get_by_role("button", name="Compare").click()
    expect_comparison(page, putin_zelenskyy)
    # since 6 December they share no proposal, so there is no "differ" group
    expect(page.locator("#rel-differ")).to_have_count(0)
    expect(page.locator("#rel-only-a")).to_contain_text("Where only Vladimir Putin has spoken")
    expect(page.locator("#rel-only-b")).to_contain_text("Where only Volodymyr Zelenskyy has spoken")

    page.evaluate("window.__marker = 1")
    loads = track_document_loads(page)
    page.select_option("#compare-b", LAVROV)
    expect_comparison(page, putin_lavrov)
    assert page.evaluate("window.__marker") == 1, "the page reloaded instead of swapping #results"
    assert loads == [], f"expected only htmx requests, got full page loads: {loads}"
    expect(page.locator("#rel-only-b")).to_contain_text("Where only Sergey Lavrov has spoken")
    agree = page.locator("section.compare-group:has(#rel-agree) tbody th a")
    expect(agree).to_have_attribute("href", f"/proposals/{NATO_DELAY}")
    assert page.locator("#results [data-hx-swap-oob], #results title").count() == 0

    page.go_back()
    expect_comparison(page, putin_zelenskyy)
    page.reload()
    expect_comparison(page, putin_zelenskyy)

    # A position cell leads to that actor's reaction on the proposal's page.
    page.locator("section.compare-group:has(#rel-only-a) a.cell-link").first.click()
    expect(page).to_have_url(re.compile(r"/proposals/[a-z0-9-]+#reaction-[a-z0-9-]+$"))
    expect(page.locator("article.reaction:target")).to_have_count(1)


def test_compare_works_with_javascript_off(browser: Any, live_server: str) -> None:
    putin_zelenskyy = api(live_server, f"/api/compare?a={PUTIN}&b={ZELENSKYY}")
    putin_lavrov = api(live_server, f"/api/compare?a={PUTIN}&b={LAVROV}")
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"/actors/{PUTIN}")
        form = page.locator("form.compare-with")
        form.locator("select[name=b]").select_option(ZELENSKYY)
        with page.expect_navigation():
            form.get_by_role("button", name="Compare").click()
        assert path_and_query(page) == f"/compare?a={PUTIN}&b={ZELENSKYY}"
        expect_comparison(page, putin_zelenskyy)

        page.select_option("#compare-b", LAVROV)
        with page.expect_navigation():
            page.locator("form#filters").get_by_role("button", name="Compare").click()
        assert path_and_query(page) == f"/compare?a={PUTIN}&b={LAVROV}"
        expect_comparison(page, putin_lavrov)
    finally:
        context.close()


# --- /common-ground ----------------------------------------------------------------------------------


def test_common_ground_marks_the_rows_and_links_to_actors(page: Any, live_server: str) -> None:
    ground = api(live_server, "/api/common-ground")
    # ★ where every principal side has spoken and none rejects; ○ where none rejects but one is silent
    common = {row["proposal"]["url"] for row in ground["rows"] if row["mark"] and not row["silent_principal_sides"]}
    silent = {row["proposal"]["url"] for row in ground["rows"] if row["mark"] and row["silent_principal_sides"]}
    principal = {"russia", "ukraine", "united-states"}
    for row in ground["rows"]:
        sides = [s["status"] for s in row["sides"] if s["side"] in principal]
        every_one_spoke_none_rejects = "silent" not in sides and not {"rejects", "split"} & set(sides)
        assert (row["proposal"]["url"] in common) is every_one_spoke_none_rejects, row["proposal"]["url"]
    assert "/proposals/peace-talks-in-slovakia" in silent and "/proposals/ukraine-nato-membership" in silent
    assert f"/proposals/{NATO_DELAY}" not in common | silent

    page.goto("/")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Common ground").click()
    expect(page).to_have_url(re.compile(r"/common-ground$"))
    expect(page.locator("h1")).to_have_text("Common ground")
    expect(page.locator("p.rule")).to_have_text(f"The rule: {ground['rule']}")
    table = page.get_by_role("table", name=re.compile(r"^Each side’s stance on \d+ proposals$"))
    expect(table.locator("caption")).to_have_text(f"Each side’s stance on {len(ground['rows'])} proposals")
    expect(table.locator("tbody tr")).to_have_count(len(ground["rows"]))

    marked = table.locator("tbody tr").filter(has_text="Every principal side has spoken, and none rejects it")
    hrefs = marked.locator("th[scope=row] > a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert set(hrefs) == common
    quiet = table.locator("tbody tr").filter(has_text="has not spoken in the article").or_(
        table.locator("tbody tr").filter(has_text="have not spoken in the article")
    )
    hrefs = quiet.locator("th[scope=row] > a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert set(hrefs) == silent
    expect(table.locator("tbody tr.common")).to_have_count(len(common))

    # In the NATO-delay row, Russia's cell names Putin; following it lands on his page.
    nato_row = table.locator("tbody tr").filter(has=page.locator(f'th a[href="/proposals/{NATO_DELAY}"]'))
    russia = nato_row.locator("td").nth([side for side in ground["sides"]].index("russia"))
    expect(russia).to_contain_text("Rejects")
    russia.get_by_role("link", name="Vladimir Putin").click()
    expect(page).to_have_url(re.compile(rf"/actors/{PUTIN}$"))
    expect(page.locator("h1")).to_have_text("Vladimir Putin")


def focused(page: Any) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement; return e.id ? '#' + e.id : e.tagName.toLowerCase() + '.' + e.className + ':' + (e.getAttribute('aria-labelledby') || e.textContent.trim().slice(0, 40)); }"
    )


def test_common_ground_table_scrolls_by_keyboard_on_a_phone(browser: Any, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        problems = watch_errors(page)
        page.goto("/common-ground")
        region = page.get_by_role("region", name=re.compile(r"^Each side’s stance"))
        expect(region).to_have_attribute("tabindex", "0")
        visited = []
        for _ in range(20):
            page.keyboard.press("Tab")
            visited.append(focused(page))
            if page.evaluate("document.activeElement.matches('.table-scroll[role=region]')"):
                break
        else:
            pytest.fail(f"Tab never reached the table's scroll region: {visited}")
        # It is reached before any link inside the table: the region is its own stop.
        assert not any("/proposals/" in stop for stop in visited)
        # The table is wider than a phone, and the focused region scrolls with the arrow keys.
        assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "expected the table to overflow at 390px"
        assert region.evaluate("r => r.scrollLeft") == 0
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.querySelector('.table-scroll').scrollLeft > 0")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page itself scrolls sideways"
        assert not problems, "\n".join(problems)
    finally:
        context.close()


# --- /download ---------------------------------------------------------------------------------------


def test_download_links_deliver_the_database_and_seed_files(page: Any, live_server: str, tmp_path: Path) -> None:
    total = api(live_server, "/api/proposals")["total"]
    page.goto("/")
    page.locator("footer").get_by_role("link", name="Download all the data").click()
    expect(page).to_have_url(re.compile(r"/download$"))
    expect(page.locator("h1")).to_have_text("Download the data")
    expect(page).to_have_title("Download the data · Truce Explorer")

    database_link = page.get_by_role("link", name="truce.db", exact=True)
    expect(database_link).to_have_attribute("href", "/download/truce.db")
    with page.expect_download() as info:
        database_link.click()
    download = info.value
    assert download.suggested_filename == "truce.db"
    saved = tmp_path / "truce.db"
    download.save_as(saved)
    assert saved.read_bytes()[:16] == b"SQLite format 3\x00"
    connection = sqlite3.connect(f"file:{saved}?mode=ro", uri=True)
    try:
        assert connection.execute("select count(*) from proposal").fetchone()[0] == total
    finally:
        connection.close()

    seed_links = page.locator('main a[href^="/download/seeds/"]')
    assert seed_links.count() >= 1
    first = seed_links.first
    name = first.inner_text()
    assert name.endswith(".yaml") and first.get_attribute("download") is not None
    with page.expect_download() as info:
        first.click()
    seed = info.value
    assert seed.suggested_filename == name
    seed_path = tmp_path / name
    seed.save_as(seed_path)
    assert seed_path.stat().st_size > 1000

    # Every file and export link on the page answers, with its type.
    types = {"/cite.json": "application/vnd.citationstyles.csl+json", "/cite.bib": "application/x-bibtex", "/download/truce.db": "application/vnd.sqlite3", ".yaml": "application/yaml", ".csv": "text/csv", "/api/": "application/json", ".json": "application/json", ".atom": "application/atom+xml", "/healthz": "application/json", "/about": "text/html"}
    hrefs = page.locator("main a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "/download/truce.db" in hrefs and "/proposals.csv" in hrefs and "/reactions.csv" in hrefs
    for href in hrefs:
        response = page.request.get(href)
        assert response.status == 200, href
        content_type = response.headers["content-type"]
        wanted = next((kind for marker, kind in types.items() if marker in href.split("?")[0]), None)
        assert wanted is not None, f"no expected type for {href}"
        assert content_type.startswith(wanted), f"{href}: {content_type}"
        if wanted in ("application/yaml", "text/csv", "application/vnd.sqlite3", "application/x-bibtex"):
            assert response.headers["content-disposition"].startswith("attachment"), href
    # The page states the sizes it offers.
    size = page.locator("main p").filter(has=page.locator('a[href="/download/truce.db"]'))
    expect(size).to_contain_text(f"truce.db ({round(saved.stat().st_size / 1024):,} KB)")


# --- as_of -------------------------------------------------------------------------------------------

CARD_SLUGS_JS = "() => [...document.querySelectorAll('#results .card-title')].map(e => e.id.replace(/^title-/, ''))"


AS_OF_WORDS = "1 December 2024"


def expect_as_of_list(page: Any, url: str, slugs: list[str]) -> None:
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    expect(page.locator("#as-of-banner .as-of")).to_contain_text("As of 1 December 2024:")
    expect(page.locator("#results .card-title")).to_have_count(len(slugs))
    page.wait_for_function(
        "expected => JSON.stringify((" + CARD_SLUGS_JS + ")()) === JSON.stringify(expected)", arg=slugs, timeout=5_000
    )
    # the field shows the day as typed in place, or in the site's own format on a fresh load
    expect(page.locator("#filter-as-of")).to_have_value(re.compile(rf"^({AS_OF}|{AS_OF_WORDS})$"))
    # Links on a dated page stay on that day.
    card_links = page.locator("#results .card-title a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert card_links and all(href.endswith(f"?as_of={AS_OF}") for href in card_links), card_links


def test_as_of_set_in_the_form_then_shared_to_a_fresh_browser(
    page: Any, context: Any, browser: Any, live_server: str
) -> None:
    dated = [item["slug"] for item in api(live_server, f"/api/proposals?as_of={AS_OF}")["items"]]
    everything = api(live_server, "/api/proposals")
    assert 0 < len(dated) < everything["total"]
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)

    page.goto("/")
    expect(page.locator("#as-of-banner .as-of")).to_have_count(0)
    page.evaluate("window.__marker = 1")
    loads = track_document_loads(page)
    page.locator(".field-as-of summary").click()  # the day is folded away until asked for
    # A text field (the site's date format, not the browser's): the change lands on Enter, or on leaving it.
    page.locator("#filter-as-of").fill(AS_OF)
    page.locator("#filter-as-of").press("Enter")
    expect_as_of_list(page, f"/?as_of={AS_OF}", dated)
    expect(page.locator("#as-of-banner").get_by_role("link", name="Show the state of play now")).to_have_attribute("href", "/")
    assert page.evaluate("window.__marker") == 1, "the page reloaded instead of swapping #results"
    assert loads == [], f"expected only htmx requests, got full page loads: {loads}"

    page.get_by_role("button", name="Copy link to this view").click()
    view_url = f"{live_server}/?as_of={AS_OF}"
    expect(page.locator("#share-status")).to_have_text(f"Link copied: {view_url}")
    assert page.evaluate("() => navigator.clipboard.readText()") == view_url
    copied = page.locator("#share-status").inner_text().removeprefix("Link copied: ")

    # Clearing the date in the form takes the banner away again, in place.
    page.locator("#filter-as-of").fill("")
    page.locator("#filter-as-of").press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("#as-of-banner .as-of")).to_have_count(0)
    expect(page.locator("#results .card-title")).to_have_count(everything["total"])
    assert page.evaluate("window.__marker") == 1

    fresh = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        other = fresh.new_page()
        problems = watch_errors(other)
        response = other.goto(copied)
        assert response is not None and response.status == 200
        expect_as_of_list(other, f"/?as_of={AS_OF}", dated)
        expect(other.locator("#as-of-banner .as-of")).to_contain_text("As of 1 December 2024")

        # A card keeps the day: the proposal page shows the same banner.
        other.locator(f"#title-{NATO_DELAY} a").click()
        expect(other).to_have_url(re.compile(re.escape(f"/proposals/{NATO_DELAY}?as_of={AS_OF}") + "$"))
        expect(other.locator("#as-of-banner .as-of")).to_contain_text("As of 1 December 2024")
        other.go_back()
        expect_as_of_list(other, f"/?as_of={AS_OF}", dated)

        other.get_by_role("link", name="Show the state of play now").click()
        expect(other).to_have_url(re.compile(r"/$"))
        expect(other.locator("#as-of-banner .as-of")).to_have_count(0)
        expect(other.locator("#results .card-title")).to_have_count(everything["total"])
        expect(other.locator("#filter-as-of")).to_have_value("")
        expect(other.locator("#result-status")).to_have_text(f"{everything['total']} of {everything['total']} proposals match.")
        assert not problems, "\n".join(problems)
    finally:
        fresh.close()


def test_dated_proposal_permalink_shows_what_was_known_that_day(page: Any, browser: Any, live_server: str) -> None:
    dated = f"/proposals/{NATO_DELAY}?as_of=2024-12-26"
    page.goto(dated)
    expect(page.locator("#as-of-banner .as-of")).to_contain_text("As of 26 December 2024")
    expect(page.locator("#reaction-putin-rejects-nato-delay")).to_be_visible()
    expect(page.locator("#reaction-lavrov-rejects-nato-delay")).to_have_count(0)
    expect(page.locator("#share-url")).to_have_value(live_server + dated)
    # Actor links on the dated page stay on that day.
    expect(page.locator("#reaction-putin-rejects-nato-delay h3 a")).to_have_attribute("href", f"/actors/{PUTIN}?as_of=2024-12-26")

    # Lavrov's rejection ("a Sunday after 26 December") counts from the 29th.
    page.goto(f"/proposals/{NATO_DELAY}?as_of=2024-12-29")
    expect(page.locator("#reaction-lavrov-rejects-nato-delay")).to_be_visible()

    fresh = browser.new_context()
    try:
        other = fresh.new_page()
        problems = watch_errors(other)
        other.goto(live_server + dated)
        expect(other.locator("#reaction-putin-rejects-nato-delay")).to_be_visible()
        expect(other.locator("#reaction-lavrov-rejects-nato-delay")).to_have_count(0)
        other.get_by_role("link", name="Show the state of play now").click()
        expect(other).to_have_url(re.compile(re.escape(f"/proposals/{NATO_DELAY}") + "$"))
        expect(other.locator("#as-of-banner .as-of")).to_have_count(0)
        expect(other.locator("#reaction-lavrov-rejects-nato-delay")).to_be_visible()
        assert not problems, "\n".join(problems)
    finally:
        fresh.close()


# --- screenshots -------------------------------------------------------------------------------------

SCREENSHOT_PAGES = {
    "home": "/",
    "filtered": "/?actor=vladimir-putin&position=rejects",
    "proposal": f"/proposals/{NATO_DELAY}",
    "actor": f"/actors/{PUTIN}",
    "matrix": "/matrix",
    "timeline": "/timeline",
    "compare": f"/compare?a={PUTIN}&b={ZELENSKYY}",
    "common-ground": "/common-ground",
    "download": "/download",
    "as-of": f"/?as_of={AS_OF}",
    "sources": "/sources",
    "about": "/about",
    "not-found": "/no-such-page",
}


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_and_no_sideways_scrolling(browser: Any, live_server: str, screenshots_dir: Any, width: int) -> None:
    """Saves tests/artifacts/screenshots/<page>-<width>.png, and checks each page fits the width."""
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 844 if width < 500 else 900})
    try:
        page = context.new_page()
        problems = watch_errors(page)
        too_wide = {}
        for name, url in SCREENSHOT_PAGES.items():
            response = page.goto(url)
            assert response is not None and response.status == (404 if name == "not-found" else 200), url
            expect(page.locator("h1")).to_be_visible()
            page.screenshot(path=str(screenshots_dir / f"{name}-{width}.png"), full_page=True)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                too_wide[name] = scroll_width
            # Form controls are comfortable targets (WCAG 2.5.8 asks for at least 24px).
            for control in page.locator("main form :is(input, select, button):visible").all():
                box = control.bounding_box()
                assert box is not None and box["height"] >= 24, f"{name}: control under 24px tall {control.evaluate('e => e.outerHTML')[:80]} ({box})"
        assert not too_wide, f"pages wider than {width}px (they scroll sideways): {too_wide}"
        assert all((screenshots_dir / f"{name}-{width}.png").stat().st_size > 1000 for name in SCREENSHOT_PAGES)
        assert not problems, "\n".join(problems)
    finally:
        context.close()



def test_compare_shows_the_last_choice_when_an_earlier_answer_is_slow(page: Any, live_server: str) -> None:
    """Two quick changes while the first answer is held back: the view ends on the second choice."""
    putin_lavrov = api(live_server, f"/api/compare?a={PUTIN}&b={LAVROV}")
    page.goto(f"/compare?a={PUTIN}&b={ZELENSKYY}")
    held: list[Any] = []

    def hold_the_first(route: Any) -> None:
        if not held and "b=donald-trump" in route.request.url:
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(r"/compare\?"), hold_the_first)
    page.select_option("#compare-b", "donald-trump")
    for _ in range(100):  # route handlers run while Playwright waits
        if held:
            break
        page.wait_for_timeout(20)
    assert len(held) == 1, "the first request never reached the route"
    page.select_option("#compare-b", LAVROV)
    held[0].continue_()
    expect_comparison(page, putin_lavrov)
    page.wait_for_load_state("networkidle")
    expect_comparison(page, putin_lavrov)
