"""The explorer in real Chromium: filters swap results in place, the URL is the state, links can be shared,
the keyboard is enough, and the same filters work with JavaScript off."""

import json
import re
import urllib.request
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.browser.conftest import skip_or_fail

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect
except ImportError:
    skip_or_fail("the Python package playwright is not installed (pip install -e '.[dev]')")

pytestmark = pytest.mark.browser

PUTIN_REJECTS = {"nato-membership-20-year-delay", "biden-2021-nato-delay"}
PROPOSAL = "nato-membership-20-year-delay"


@dataclass(frozen=True)
class Expected:
    """What the seeded database holds, read from the JSON API, so that seed edits do not break these tests."""

    total: int
    putin: set[str]
    rejects: int


@pytest.fixture(scope="module")
def expected(live_server: str) -> Expected:
    def slugs(query: str) -> list[str]:
        with urllib.request.urlopen(f"{live_server}/api/proposals{query}") as response:
            return [item["slug"] for item in json.load(response)["items"]]

    # The one fixed fact the seeds are curated to show.
    assert set(slugs("?actor=vladimir-putin&position=rejects")) == PUTIN_REJECTS
    putin = set(slugs("?actor=vladimir-putin"))
    assert PUTIN_REJECTS < putin
    return Expected(total=len(slugs("")), putin=putin, rejects=len(slugs("?position=rejects")))

CARD_SLUGS_JS = "() => [...document.querySelectorAll('#results .card-title')].map(e => e.id.replace(/^title-/, ''))"


def card_slugs(page: Any) -> list[str]:
    return page.evaluate(CARD_SLUGS_JS)


def path_and_query(page: Any) -> str:
    parts = urlsplit(page.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def expect_view(
    page: Any, total: int, url: str, cards: set[str] | int, actor: str = "", position: str = "", q: str = ""
) -> None:
    """Wait until the page shows this view (URL, cards, form values), then assert on each part."""
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    count = len(cards) if isinstance(cards, set) else cards
    expect(page.locator("#results .card-title")).to_have_count(count)
    if isinstance(cards, set):
        try:
            page.wait_for_function(
                "expected => JSON.stringify((" + CARD_SLUGS_JS + ")().sort()) === JSON.stringify(expected)",
                arg=sorted(cards),
                timeout=5_000,
            )
        except PlaywrightError:
            pass  # the assertion below reports what is shown instead
        assert sorted(card_slugs(page)) == sorted(cards)
    expect(page.locator("#filter-actor")).to_have_value(actor)
    expect(page.locator("#filter-position")).to_have_value(position)
    expect(page.locator("#filter-q")).to_have_value(q)
    verb = "matches" if count == 1 else "match"
    status = f"{count} of {total} proposals {verb}" + (" the current filters." if actor or position or q else ".")
    expect(page.locator("#result-status")).to_have_text(status)


def track_document_loads(page: Any) -> list[str]:
    """URLs of full-document requests from now on; htmx swaps make fetch/XHR requests instead."""
    loads: list[str] = []
    page.on("request", lambda request: loads.append(request.url) if request.resource_type == "document" else None)
    return loads


def test_choosing_actor_and_position_swaps_results_in_place(page: Any, expected: Expected) -> None:
    page.goto("/")
    expect_view(page, expected.total, "/", expected.total)
    page.evaluate("window.__marker = 1")
    loads = track_document_loads(page)

    page.select_option("#filter-actor", "vladimir-putin")
    expect_view(page, expected.total, "/?actor=vladimir-putin", expected.putin, actor="vladimir-putin")
    expect(page).to_have_title(f"Proposals Vladimir Putin has spoken on ({len(expected.putin)}) · Truce Explorer")

    page.select_option("#filter-position", "rejects")
    expect_view(page, expected.total, "/?actor=vladimir-putin&position=rejects", PUTIN_REJECTS, actor="vladimir-putin", position="rejects")
    expect(page).to_have_title(f"Proposals Vladimir Putin rejects ({len(PUTIN_REJECTS)}) · Truce Explorer")

    assert page.evaluate("window.__marker") == 1, "the page reloaded instead of swapping #results"
    assert loads == [], f"expected only htmx requests, got full page loads: {loads}"
    # The facet counts came out of band: both selects now count within the current filters.
    expect(page.locator("#filter-actor option:checked")).to_have_text("Vladimir Putin (2 proposals)")
    expect(page.locator("#filter-position option:checked")).to_have_text("Rejects (2 proposals)")
    # The out-of-band carriers were moved into the form, not left in the results.
    assert page.locator("#results title, #results datalist, #results [data-hx-swap-oob]").count() == 0
    assert page.locator("#filter-actor").count() == 1 and page.locator("#result-status").count() == 1


def test_back_twice_quickly_shows_the_view_of_the_address(page: Any, expected: Expected) -> None:
    """Each Back asks the server for its page. Two quick Backs send two requests; if the first answer
    came last, the page would show the middle view under the first view's address."""
    page.goto("/")
    page.select_option("#filter-actor", "vladimir-putin")
    expect_view(page, expected.total, "/?actor=vladimir-putin", expected.putin, actor="vladimir-putin")
    page.select_option("#filter-position", "rejects")
    expect_view(page, expected.total, "/?actor=vladimir-putin&position=rejects", PUTIN_REJECTS, actor="vladimir-putin", position="rejects")
    # Count the restore requests that have ended, by load or by abort.
    page.evaluate(
        """() => { window.__ended = 0; document.addEventListener("htmx:historyCacheMiss",
        e => e.detail.xhr.addEventListener("loadend", () => { window.__ended += 1; })); }"""
    )
    held: list[Any] = []  # the middle view's answer, let through only after the first view's
    page.route(lambda url: url.endswith("/?actor=vladimir-putin"), lambda route: held.append(route))
    page.go_back()
    for _ in range(50):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "Back did not ask the server for the middle view"
    page.go_back()
    expect_view(page, expected.total, "/", expected.total)
    try:
        held[0].continue_()
    except PlaywrightError:
        pass  # the page gave up on that request, as it should
    page.wait_for_function("() => window.__ended === 2")
    expect_view(page, expected.total, "/", expected.total)


def test_url_is_the_state_for_reload_back_and_forward(page: Any, expected: Expected) -> None:
    page.goto("/")
    page.select_option("#filter-actor", "vladimir-putin")
    expect_view(page, expected.total, "/?actor=vladimir-putin", expected.putin, actor="vladimir-putin")
    page.select_option("#filter-position", "rejects")
    expect_view(page, expected.total, "/?actor=vladimir-putin&position=rejects", PUTIN_REJECTS, actor="vladimir-putin", position="rejects")

    page.evaluate("window.__marker = 1")
    page.reload()
    assert page.evaluate("window.__marker") is None, "reload did not load a new document"
    expect_view(page, expected.total, "/?actor=vladimir-putin&position=rejects", PUTIN_REJECTS, actor="vladimir-putin", position="rejects")

    page.go_back()
    expect_view(page, expected.total, "/?actor=vladimir-putin", expected.putin, actor="vladimir-putin")
    page.go_back()
    expect_view(page, expected.total, "/", expected.total)
    page.go_forward()
    expect_view(page, expected.total, "/?actor=vladimir-putin", expected.putin, actor="vladimir-putin")
    page.go_forward()
    expect_view(page, expected.total, "/?actor=vladimir-putin&position=rejects", PUTIN_REJECTS, actor="vladimir-putin", position="rejects")

    # Back to "Any actor": the pushed URL drops the parameter instead of keeping an empty one.
    page.select_option("#filter-actor", "")
    expect_view(page, expected.total, "/?position=rejects", expected.rejects, position="rejects")
    assert "=&" not in page.url and not page.url.endswith("=")


def test_typing_a_search_filters_and_announces_the_count(page: Any, expected: Expected) -> None:
    page.goto("/")
    status = page.locator("#result-status")
    expect(status).to_have_text(f"{expected.total} of {expected.total} proposals match.")
    page.locator("#filter-q").press_sequentially("peacekeeping", delay=20)

    expect(page).to_have_url(re.compile(r"/\?q=peacekeeping$"))
    expect(status).to_have_text(re.compile(rf"^\d+ of {expected.total} proposals match the current filters\.$"))
    expect(page.locator("#result-status")).not_to_have_text(f"{expected.total} of {expected.total} proposals match.")
    slugs = card_slugs(page)
    assert "european-peacekeeping-contingent" in slugs
    assert 0 < len(slugs) < expected.total
    assert status.inner_text().startswith(f"{len(slugs)} of {expected.total} ")
    # Every card says where it matched, with the word marked.
    marks = page.locator("#results .card .match mark")
    assert marks.count() >= len(slugs)
    assert {m.lower() for m in marks.all_inner_texts()} == {"peacekeeping"}
    # Focus stays in the box, so the person can keep typing.
    assert page.evaluate("document.activeElement.id") == "filter-q"


def test_copy_link_on_a_proposal_opens_the_same_proposal_in_a_fresh_browser(
    page: Any, context: Any, browser: Any, live_server: str
) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto(f"/proposals/{PROPOSAL}")
    title = page.locator("h1").inner_text()
    button = page.get_by_role("button", name="Copy link", exact=True)
    expect(button).to_be_visible()
    button.click()

    permalink = f"{live_server}/proposals/{PROPOSAL}"
    expect(page.locator("#share-status")).to_have_text(f"Link copied: {permalink}")
    assert page.evaluate("() => navigator.clipboard.readText()") == permalink
    copied = page.locator("#share-status").inner_text().removeprefix("Link copied: ")

    fresh = browser.new_context()
    try:
        other = fresh.new_page()
        response = other.goto(copied)
        assert response is not None and response.status == 200
        expect(other.locator("h1")).to_have_text(title)
        expect(other.locator("#reaction-putin-rejects-nato-delay")).to_be_attached()
    finally:
        fresh.close()


def test_copy_link_to_a_filtered_view_opens_that_view_in_a_fresh_browser(
    page: Any, context: Any, browser: Any, live_server: str, expected: Expected
) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto("/")
    page.select_option("#filter-actor", "vladimir-putin")
    expect_view(page, expected.total, "/?actor=vladimir-putin", expected.putin, actor="vladimir-putin")
    page.select_option("#filter-position", "rejects")
    expect_view(page, expected.total, "/?actor=vladimir-putin&position=rejects", PUTIN_REJECTS, actor="vladimir-putin", position="rejects")
    # After a history restore the form is new HTML from the server: the button must still work.
    page.go_back()
    expect_view(page, expected.total, "/?actor=vladimir-putin", expected.putin, actor="vladimir-putin")
    page.go_forward()
    expect_view(page, expected.total, "/?actor=vladimir-putin&position=rejects", PUTIN_REJECTS, actor="vladimir-putin", position="rejects")

    page.get_by_role("button", name="Copy link to this view").click()
    view_url = f"{live_server}/?actor=vladimir-putin&position=rejects"
    expect(page.locator("#share-status")).to_have_text(f"Link copied: {view_url}")
    assert page.evaluate("() => navigator.clipboard.readText()") == view_url

    fresh = browser.new_context()
    try:
        other = fresh.new_page()
        other.goto(page.locator("#share-status").inner_text().removeprefix("Link copied: "))
        expect_view(other, expected.total, "/?actor=vladimir-putin&position=rejects", PUTIN_REJECTS, actor="vladimir-putin", position="rejects")
    finally:
        fresh.close()


REFUSE_CLIPBOARD = """() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused', 'NotAllowedError'));
    document.execCommand = () => false;
}"""


def test_copy_link_says_what_to_do_when_the_clipboard_refuses(page: Any, live_server: str) -> None:
    page.goto(f"/proposals/{PROPOSAL}")
    page.evaluate(REFUSE_CLIPBOARD)
    page.get_by_role("button", name="Copy link", exact=True).click()
    expect(page.locator("#share-status")).to_have_text("Could not copy; the link is selected, press Ctrl+C or ⌘+C.")
    assert focused(page) == "#share-url"
    selected = page.locator("#share-url").evaluate("field => field.value.slice(field.selectionStart, field.selectionEnd)")
    assert selected == f"{live_server}/proposals/{PROPOSAL}"

    # The view's button has no field to select, so it must show the link rather than claim it is selected.
    page.goto("/?actor=vladimir-putin")
    page.evaluate(REFUSE_CLIPBOARD)
    page.get_by_role("button", name="Copy link to this view").click()
    expect(page.locator("#share-status")).to_have_text(f"Could not copy. The link to this view is {live_server}/?actor=vladimir-putin")


def focused(page: Any) -> str:
    """A short name for the focused element: its id, or its tag and text."""
    return page.evaluate(
        "() => { const e = document.activeElement; return e.id ? '#' + e.id : e.tagName.toLowerCase() + ':' + e.textContent.trim(); }"
    )


def test_keyboard_alone_reaches_and_drives_the_filters(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    assert focused(page) == "a:Skip to content"
    box = page.locator(".skip-link").first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is off screen"

    # The second skip link goes past the header and the state of play, straight to the filters.
    page.keyboard.press("Tab")
    assert focused(page) == "a:Skip to the filters"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page) == "#filter-side"
    page.keyboard.press("Tab")
    assert focused(page) == "#filter-actor"

    page.keyboard.press("ArrowDown")  # "Any actor" -> the first actor
    first_actor = page.locator("#filter-actor option").nth(1).get_attribute("value")
    expect(page).to_have_url(re.compile(rf"/\?actor={first_actor}$"))
    expect(page.locator("#result-status")).to_have_text(re.compile(r"the current filters\.$"))
    expect(page.locator("#filter-actor")).to_have_value(first_actor)
    assert focused(page) == "#filter-actor", "focus was lost when the results were swapped"

    page.keyboard.press("Tab")
    assert focused(page) == "#filter-position"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Any -> supports -> conditional -> rejects
    expect(page).to_have_url(re.compile(rf"/\?actor={first_actor}&position=rejects$"))
    expect(page.locator("#filter-position")).to_have_value("rejects")
    assert focused(page) == "#filter-position"

    page.keyboard.press("Tab")  # on to the next field of the form
    assert page.evaluate("document.activeElement.closest('#filters') !== null")
    assert focused(page) not in ("#filter-position", "#filter-actor")
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "#filter-position"
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "#filter-actor"
    page.keyboard.press("ArrowDown")  # the next actor
    second_actor = page.locator("#filter-actor option").nth(2).get_attribute("value")
    expect(page).to_have_url(re.compile(rf"/\?actor={second_actor}&position=rejects$"))
    assert focused(page) == "#filter-actor"


def test_skip_link_moves_focus_past_the_navigation(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    assert focused(page) == "a:Skip to content"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/#main$"))
    assert focused(page) == "#main"
    # the first thing in the content is the state of play: its first proposal's permalink
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#state-of-play tbody th') !== null")
    assert page.evaluate("document.activeElement.getAttribute('href')").startswith("/proposals/")


def test_filters_work_with_javascript_off(browser: Any, live_server: str, expected: Expected) -> None:
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        expect(page.get_by_role("button", name="Copy link to this view")).to_be_hidden()
        page.select_option("#filter-actor", "vladimir-putin")
        page.select_option("#filter-position", "rejects")
        with page.expect_navigation():
            page.get_by_role("button", name="Apply filters").click()
        # The form sends q= too; the server redirects to the clean URL.
        assert path_and_query(page) == "/?actor=vladimir-putin&position=rejects"
        expect_view(page, expected.total, "/?actor=vladimir-putin&position=rejects", PUTIN_REJECTS, actor="vladimir-putin", position="rejects")

        page.get_by_role("link", name="Clear filters").click()
        expect_view(page, expected.total, "/", expected.total)
    finally:
        context.close()


def matrix_row_names(page: Any) -> list[str]:
    return page.locator("table.matrix tbody th[scope=row]").all_inner_texts()


def test_matrix_filters_in_place_and_every_cell_links_to_an_existing_reaction(page: Any, expected: Expected) -> None:
    page.goto("/matrix")
    rows = matrix_row_names(page)
    assert "Vladimir Putin" in rows and len(rows) > 5
    hrefs = page.locator("table.matrix a.cell-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) > 20

    # Every cell link is a proposal permalink with a reaction anchor that exists on that page.
    anchors: dict[str, set[str]] = defaultdict(set)
    for href in hrefs:
        path, _, fragment = href.partition("#")
        assert re.fullmatch(r"/proposals/[a-z0-9-]+", path) and fragment.startswith("reaction-"), href
        anchors[path].add(fragment)
    for path, fragments in anchors.items():
        response = page.request.get(urljoin(page.url, path))
        assert response.ok, path
        ids = {tag["id"] for tag in BeautifulSoup(response.text(), "html.parser").select("article.reaction[id]")}
        assert fragments <= ids, f"{path} lacks {sorted(fragments - ids)}"

    page.evaluate("window.__marker = 1")
    page.select_option("#filter-actor", "vladimir-putin")
    expect(page).to_have_url(re.compile(r"/matrix\?actor=vladimir-putin$"))
    expect(page.locator("table.matrix tbody th[scope=row]")).to_have_text(["Vladimir Putin"])
    expect(page.locator("table.matrix caption")).to_have_text(f"Positions of 1 actor on {len(expected.putin)} proposals")
    assert page.evaluate("window.__marker") == 1

    page.select_option("#filter-position", "rejects")
    expect(page).to_have_url(re.compile(r"/matrix\?actor=vladimir-putin&position=rejects$"))
    expect(page.locator("table.matrix caption")).to_have_text(f"Positions of 1 actor on {len(PUTIN_REJECTS)} proposals")
    expect(page.locator("table.matrix thead th[scope=col] a")).to_have_count(2)

    # Following a cell lands on that reaction, named by the actor.
    page.locator("table.matrix a.cell-link").first.click()
    expect(page).to_have_url(re.compile(r"/proposals/[a-z0-9-]+#reaction-[a-z0-9-]+$"))
    target = page.locator("article.reaction:target")
    expect(target).to_have_count(1)
    expect(target.locator("h3")).to_contain_text("Vladimir Putin")
    expect(target).to_be_in_viewport()


def test_unknown_filter_value_gets_a_page_naming_it(page: Any) -> None:
    response = page.goto("/?actor=nobody")
    assert response is not None and response.status == 422
    expect(page.locator("h1")).to_have_text("That filter does not work")
    expect(page.locator(".error-message")).to_contain_text("'nobody'")
    expect(page.locator(".allowed summary")).to_contain_text("actor")
    expect(page.locator(".allowed li code").filter(has_text="vladimir-putin")).to_have_count(1)
    expect(page).to_have_title(re.compile("That filter does not work"))


def test_unknown_path_gets_the_not_found_page(page: Any) -> None:
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.locator(".error-message")).to_contain_text("/no-such-page")
    expect(page.get_by_role("link", name="All proposals")).to_have_attribute("href", "/")
