"""The phone-first layout in Chromium at 390 × 844 (and its wide twin at 1280 × 800): the menu is one
row, the filters fold with chips for what is in use, the first result is on the first screen, wide
tables keep their first column and say they scroll, and no page scrolls sideways."""

from typing import Any

import pytest

from tests.browser.conftest import skip_or_fail
from tests.browser.test_accessibility import assert_no_violations, use_scheme

try:
    from playwright.sync_api import expect
except ImportError:
    skip_or_fail("the Python package playwright is not installed (pip install -e '.[dev]')")

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
READER_PAGES = ["/", "/?side=russia&position=rejects", "/matrix", "/actors", "/actors/vladimir-putin", "/timeline",
                "/common-ground", "/compare?a=vladimir-putin&b=volodymyr-zelenskyy", "/state-of-play",
                "/proposals/ukraine-cedes-occupied-territory", "/corrections", "/sources", "/about", "/download"]


@pytest.fixture
def phone(browser: Any, live_server: str) -> Any:
    ctx = browser.new_context(base_url=live_server, viewport=PHONE)
    ctx.set_default_timeout(10_000)
    yield ctx.new_page()
    ctx.close()


@pytest.fixture
def laptop(browser: Any, live_server: str) -> Any:
    ctx = browser.new_context(base_url=live_server, viewport=LAPTOP)
    ctx.set_default_timeout(10_000)
    yield ctx.new_page()
    ctx.close()


def first_card_top(page: Any) -> float:
    return page.evaluate("document.querySelector('#cards .card').getBoundingClientRect().top")


@pytest.mark.parametrize("url", ["/", "/?side=russia&position=rejects&q=NATO"])
def test_the_first_result_is_on_the_first_screen_of_a_phone(phone: Any, url: str) -> None:
    phone.goto(url)
    top = first_card_top(phone)
    assert top < PHONE["height"] - 80, f"the first proposal starts at {top:.0f}px, below a {PHONE['height']}px screen"
    expect(phone.locator("#cards .card").first.get_by_role("link").first).to_be_in_viewport()


def test_the_phone_menu_is_one_row_and_opens_by_keyboard(phone: Any) -> None:
    phone.goto("/about")
    header = phone.locator(".site-header").bounding_box()
    assert header["height"] < 70, f"the header takes {header['height']:.0f}px: more than one row"
    expect(phone.locator(".nav-links")).to_be_hidden()
    menu = phone.locator(".nav-menu > summary")
    expect(menu).to_have_text("Menu")
    menu.focus()
    phone.keyboard.press("Enter")
    timeline = phone.locator(".nav-menu").get_by_role("link", name="Timeline")
    expect(timeline).to_be_visible()
    timeline.focus()
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(f"{phone.url.split('/about')[0]}/timeline")


def test_a_laptop_shows_the_links_in_a_row_and_the_filters_open(laptop: Any) -> None:
    laptop.goto("/")
    expect(laptop.locator(".nav-menu")).to_be_hidden()
    expect(laptop.locator(".nav-links").get_by_role("link", name="Timeline")).to_be_visible()
    # The filters and the state-of-play grid need no click where there is room.
    expect(laptop.get_by_label("Side", exact=True)).to_be_visible()
    expect(laptop.locator(".state-grid")).to_be_visible()
    expect(laptop.locator(".filters-fold > summary")).to_be_hidden()


def test_phone_filters_fold_show_chips_and_a_chip_removes_its_filter(phone: Any) -> None:
    phone.goto("/?side=russia&position=rejects")
    side = phone.get_by_label("Side", exact=True)
    expect(side).to_be_hidden()
    summary = phone.locator(".filters-fold > summary")
    expect(summary).to_contain_text("2 in use")
    chips = phone.locator("#filter-chips .filter-chip")
    expect(chips).to_have_count(2)
    expect(chips.first).to_have_accessible_name("Remove the filter Side: Russia")
    # Open the fold, change a filter: htmx swaps the results and the chips follow.
    summary.click()
    expect(side).to_be_visible()
    phone.get_by_label("Position", exact=True).select_option("supports")
    expect(phone).to_have_url(f"{phone.url.split('?')[0]}?side=russia&position=supports")
    expect(phone.locator("#filter-chips .filter-chip").nth(1)).to_contain_text("Position: Supports")
    # A chip is a plain link to the view without that one filter.
    phone.locator("#filter-chips .filter-chip").first.click()
    expect(phone).to_have_url(f"{phone.url.split('?')[0]}?position=supports")
    expect(phone.locator("#filter-chips .filter-chip")).to_have_count(1)


@pytest.mark.parametrize("url", ["/matrix", "/common-ground"])
def test_wide_tables_say_they_scroll_and_keep_their_first_column(phone: Any, url: str) -> None:
    phone.goto(url)
    expect(phone.locator(".scroll-hint")).to_be_visible()
    region = phone.locator(".table-scroll").first
    assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "expected the table to overflow at 390px"
    first_cell = phone.locator(".table-scroll tbody th[scope=row]").first
    before = first_cell.bounding_box()["x"]
    region.evaluate("r => { r.scrollLeft = 400; }")
    assert abs(first_cell.bounding_box()["x"] - before) < 1, "the first column scrolled away"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("url", READER_PAGES)
def test_no_page_scrolls_sideways_on_a_phone(phone: Any, url: str) -> None:
    phone.goto(url)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url} is {width}px wide on a {PHONE['width']}px phone"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_phone_layout_with_menu_and_filters_open_passes_axe(browser: Any, live_server: str, scheme: str) -> None:
    ctx = browser.new_context(base_url=live_server, viewport=PHONE, bypass_csp=True)
    page = ctx.new_page()
    use_scheme(page, scheme)
    page.goto("/?as_of=2024-12-26")  # a chip, and the grid's fold (a filtered view leaves the grid out)
    page.locator(".filters-fold > summary").click()
    page.locator(".state-fold > summary").click()
    page.locator(".nav-menu > summary").click()  # last: the open menu lies over the page below it
    assert_no_violations(page, f"phone / with the menu, filters and grid open ({scheme})")
    ctx.close()
