"""The site in Ukrainian and Russian, in real Chromium: filtering, "Show more", sharing and the
language switcher keep the reader in the language they started in, and the English home page offers
(never imposes) the browser's preferred language."""

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import skip_or_fail, watched_page

try:
    from playwright.sync_api import expect
except ImportError:
    skip_or_fail("the Python package playwright is not installed (pip install -e '.[dev]')")

pytestmark = pytest.mark.browser

PROPOSAL = "nato-membership-20-year-delay"
CYRILLIC = re.compile(r"[А-Яа-яЄєІіЇїҐґЁё]")
LANGUAGES = ("uk", "ru")


def site_links(page: Any, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("els => els.map(e => e.getAttribute('href'))")


@pytest.fixture
def synth_page(browser: Any, synth_live_server: str) -> Iterator[Any]:
    yield from watched_page(browser, synth_live_server)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_filter_swaps_results_in_place_and_stays_in_the_language(page: Any, lang: str) -> None:
    page.goto(f"/{lang}/")
    page.evaluate("window.__marker = 1")
    page.select_option("#filter-position", "rejects")
    expect(page).to_have_url(re.compile(rf"/{lang}/\?position=rejects$"))
    assert page.evaluate("window.__marker") == 1, "the filter must not reload the page"
    assert page.locator("html").get_attribute("lang") == lang
    heading = page.locator("#results-heading").inner_text()
    assert CYRILLIC.search(heading), heading
    links = site_links(page, "#results a[href^='/']")
    assert links and all(link.startswith(f"/{lang}/") for link in links), links[:5]
    # Back goes to the unfiltered view, still in the language.
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/{lang}/$"))
    assert page.locator("html").get_attribute("lang") == lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_show_more_appends_the_next_page_in_the_language(synth_page: Any, lang: str) -> None:
    page = synth_page
    page.goto(f"/{lang}/")
    page.evaluate("window.__marker = 1")
    first = page.locator("ol.cards > li").count()
    more = page.locator("a.show-more")
    assert CYRILLIC.search(more.inner_text())
    more.click()
    expect(page).to_have_url(re.compile(rf"/{lang}/\?page=2$"))
    expect(page.locator("ol.cards > li")).not_to_have_count(first)
    assert page.evaluate("window.__marker") == 1, "Show more must not reload the page"
    links = site_links(page, "ol.cards a[href^='/']")
    assert all(link.startswith(f"/{lang}/") for link in links), [link for link in links if not link.startswith(f"/{lang}/")][:5]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_copy_link_shares_the_page_in_its_language(page: Any, context: Any, browser: Any, live_server: str, lang: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto(f"/{lang}/proposals/{PROPOSAL}")
    title = page.locator("h1").inner_text()
    assert CYRILLIC.search(title), title
    page.locator("button[data-copy-status='share-status']").click()
    permalink = f"{live_server}/{lang}/proposals/{PROPOSAL}"
    expect(page.locator("#share-status")).to_contain_text(permalink)
    assert CYRILLIC.search(page.locator("#share-status").inner_text())
    assert page.evaluate("() => navigator.clipboard.readText()") == permalink

    fresh = browser.new_context()
    try:
        other = fresh.new_page()
        response = other.goto(permalink)
        assert response is not None and response.status == 200
        assert other.locator("html").get_attribute("lang") == lang
        expect(other.locator("h1")).to_have_text(title)
    finally:
        fresh.close()


def test_the_switcher_keeps_the_view(page: Any) -> None:
    """A person opens the language menu (one disclosure in the header) and picks a language."""
    def choose(lang: str) -> None:
        page.locator("nav.language-switcher summary").click()
        page.locator(f"nav.language-switcher a[hreflang='{lang}']").click()

    page.goto("/?side=russia&position=rejects")
    expect(page.locator(f"nav.language-switcher a[hreflang='uk']")).to_be_hidden()  # folded until opened
    choose("uk")
    expect(page).to_have_url(re.compile(r"/uk/\?side=russia&position=rejects$"))
    assert page.locator("html").get_attribute("lang") == "uk"
    choose("ru")
    expect(page).to_have_url(re.compile(r"/ru/\?side=russia&position=rejects$"))
    choose("en")
    expect(page).to_have_url(re.compile(r"/\?side=russia&position=rejects$"))
    assert page.locator("html").get_attribute("lang") == "en"


def test_the_language_menu_opens_by_keyboard_and_names_itself(page: Any) -> None:
    page.goto("/uk/proposals/nato-membership-20-year-delay")
    summary = page.locator("nav.language-switcher summary")
    expect(summary).to_have_accessible_name("Мова: Українська")
    summary.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('hreflang')")
    assert focused == "en"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/proposals/nato-membership-20-year-delay$"))


@pytest.mark.parametrize(("browser_locale", "offered"), [("uk-UA", "uk"), ("ru-RU", "ru"), ("en-GB", None), ("de-DE", None)])
def test_the_home_page_offers_the_preferred_language_without_redirecting(
    browser: Any, live_server: str, browser_locale: str, offered: str | None
) -> None:
    for page in watched_page(browser, live_server, locale=browser_locale):
        page.goto("/")
        expect(page).to_have_url(f"{live_server}/")
        assert page.locator("html").get_attribute("lang") == "en"
        offer = page.locator(".language-offer a:visible")
        if offered is None:
            expect(offer).to_have_count(0)
        else:
            expect(offer).to_have_count(1)
            assert offer.get_attribute("hreflang") == offered
            offer.click()
            expect(page).to_have_url(f"{live_server}/{offered}/")
