"""A new reader in Chromium: "Which proposals does Russia reject?" is one choice in one control; the
state of play is on the first screen (1280 × 800, and it starts within 390 × 844); the permalink's
share button is on its first screen; by keyboard, a permalink is at most 10 Tabs from the top of `/`
and the first result card at most 10 Tabs from the start of the filter form; after a filter change on
a phone, focus and scroll go to the results heading, which reads the view and its count."""

import re
from typing import Any

import pytest

from tests.browser.conftest import skip_or_fail, watch_errors

try:
    from playwright.sync_api import expect
except ImportError:
    skip_or_fail("the Python package playwright is not installed (pip install -e '.[dev]')")

pytestmark = pytest.mark.browser

PERMALINK = "/proposals/nato-membership-20-year-delay"
RUSSIA_REJECTS = ["nato-membership-20-year-delay", "european-peacekeeping-contingent", "biden-2021-nato-delay"]


def focused(page: Any) -> dict[str, str]:
    return page.evaluate(
        "() => { const e = document.activeElement; return {tag: e.tagName, id: e.id || '', href: e.getAttribute('href') || '', text: (e.textContent || '').trim()} }"
    )


def in_first_screen(page: Any, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] < height


@pytest.fixture
def phone(browser: Any, live_server: str) -> Any:
    ctx = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    ctx.set_default_timeout(10_000)
    page = ctx.new_page()
    problems = watch_errors(page)
    yield page
    assert not problems, "\n".join(problems)
    ctx.close()


def test_which_proposals_does_russia_reject_is_one_choice_in_one_control(page: Any) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    page.evaluate("window.__marker = 1")
    control = page.get_by_label("Which proposals does a side reject, set conditions on or support?")
    control.select_option(label="Proposals Russia rejects (3)")
    expect(page).to_have_url(re.compile(r"/\?side=russia&position=rejects$"))
    heading = page.locator("#results-heading")
    expect(heading).to_have_text("Proposals Russia rejects (3)")
    expect(page).to_have_title("Proposals Russia rejects (3) · Truce Explorer")
    expect(page.locator("#results li.card")).to_have_count(3)
    assert page.locator("#results li.card").evaluate_all("els => els.map(e => e.id.replace('proposal-', ''))") == RUSSIA_REJECTS
    assert page.evaluate("window.__marker") == 1, "answered in place by htmx, not by a reload"
    # the answer is in view and has the focus: its heading reads the view and the count
    expect(heading).to_be_focused()
    assert in_first_screen(page, "#results-heading")
    # the filter form follows: side and position chosen
    expect(page.locator("#filter-side")).to_have_value("russia")
    expect(page.locator("#filter-position")).to_have_value("rejects")
    # each card shows who and with what words
    for card in page.locator("#results li.card").all():
        expect(card.locator(".chosen-words li").first).to_be_visible()


def test_the_one_choice_works_without_javascript(browser: Any, live_server: str) -> None:
    ctx = browser.new_context(base_url=live_server, java_script_enabled=False, viewport={"width": 1280, "height": 800})
    try:
        page = ctx.new_page()
        page.goto("/")
        page.locator("#stand").select_option("russia.rejects")
        page.locator("#stand-form").get_by_role("button", name="Show").click()
        expect(page).to_have_url(re.compile(r"/\?side=russia&position=rejects$"))
        expect(page.locator("#results-heading")).to_have_text("Proposals Russia rejects (3)")
        # the state of play is server-rendered: its cells are there without JavaScript
        expect(page.locator("#state-of-play tbody tr")).to_have_count(14)
    finally:
        ctx.close()


def test_a_state_of_play_cell_leads_to_the_view_that_explains_it(page: Any) -> None:
    page.goto("/")
    cell = page.get_by_role("link", name="Russia rejects: Sergey Lavrov, Vladimir Putin, Russian government (Moscow) (reported)")
    cell.click()
    expect(page).to_have_url(re.compile(r"/\?side=russia&position=rejects#proposal-nato-membership-20-year-delay$"))
    expect(page.locator("#proposal-nato-membership-20-year-delay .chosen-words li")).to_have_count(3)


def test_the_state_of_play_is_on_the_first_screen_at_1280(page: Any) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    grid = page.locator("#state-of-play table.state-grid")
    expect(grid).to_be_visible()
    assert in_first_screen(page, "#state-of-play .state-lede")
    assert in_first_screen(page, "#state-of-play table.state-grid tbody tr")
    # most of the grid, not just its top edge, is on the first screen
    rows_seen = page.locator("#state-of-play tbody tr").evaluate_all("rows => rows.filter(r => r.getBoundingClientRect().bottom <= innerHeight).length")
    assert rows_seen >= 10


def test_at_390_the_state_of_play_starts_on_the_first_screen_and_fits_without_sideways_scrolling(phone: Any) -> None:
    phone.goto("/")
    assert in_first_screen(phone, "#state-of-play table.state-grid tbody tr")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    grid = phone.locator("#state-of-play table.state-grid").bounding_box()
    assert grid["x"] >= 0 and grid["x"] + grid["width"] <= 390
    # the short titles show; the full title stays in the link's accessible name
    first = phone.locator("#state-of-play tbody th a").first
    expect(first.locator(".title-short")).to_be_visible()
    assert first.evaluate("a => a.querySelector('.title-full').getBoundingClientRect().width") <= 1
    full = "Delay Ukraine’s NATO membership by 20 years in exchange for a ceasefire"
    expect(phone.locator("#state-of-play").get_by_role("link", name=full, exact=True)).to_have_count(1)


def test_after_a_filter_change_on_a_phone_the_results_heading_takes_focus(phone: Any) -> None:
    phone.goto("/")
    phone.locator(".filters-fold > summary").click()  # a phone folds the filters away until asked for
    phone.locator("#filter-side").select_option("ukraine")
    heading = phone.locator("#results-heading")
    expect(heading).to_have_text(re.compile(r"^Proposals Ukraine has spoken on \(\d+\)$"))
    expect(heading).to_be_focused()
    assert in_first_screen(phone, "#results-heading")
    expect(phone.locator("#result-status")).to_have_attribute("aria-live", "polite")


def test_the_permalink_share_button_is_on_the_first_screen(page: Any, phone: Any) -> None:
    for tab, width in ((page, 1280), (phone, 390)):
        tab.set_viewport_size({"width": width, "height": 800 if width == 1280 else 844})
        tab.goto(PERMALINK)
        button = tab.locator(".title-row button.copy-link")
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box["y"] + box["height"] <= tab.viewport_size["height"], width
        # the side cells are on the first screen too
        assert in_first_screen(tab, "table.side-cells-table")


def test_the_share_button_copies_the_link(page: Any, context: Any, live_server: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto(PERMALINK)
    page.locator(".title-row button.copy-link").click()
    expect(page.locator("#share-top-status")).to_have_text(f"Link copied: {live_server}{PERMALINK}")
    expect(page.locator(".share-fallback")).to_be_hidden()


def test_keyboard_a_permalink_is_at_most_10_tabs_from_the_top(page: Any) -> None:
    page.goto("/")
    for tabs in range(1, 11):
        page.keyboard.press("Tab")
        if focused(page)["href"].startswith("/proposals/"):
            break
    else:
        pytest.fail(f"no proposal permalink within 10 Tabs; last focused {focused(page)}")
    assert tabs <= 10
    # and the skip link takes a keyboard user there in two
    page.goto("/")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page)["href"].startswith("/proposals/")


def test_keyboard_the_first_result_card_is_at_most_10_tabs_after_the_filter_form(page: Any) -> None:
    page.goto("/")
    first_card = page.locator("#results li.card .card-title a").first.get_attribute("href")
    page.locator("#filter-side").focus()
    for tabs in range(1, 11):
        page.keyboard.press("Tab")
        if focused(page)["href"] == first_card:
            break
    else:
        pytest.fail(f"the first card is more than 10 Tabs after the filter form; last focused {focused(page)}")
    # the skip links reach the filters, and past them to the results, from the top
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to the filters"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "filter-side"
    page.locator("#stand-form button").focus()
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to the results"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page)["href"] == first_card
