"""Paging in real Chromium, over the synthetic data set: plain rel=next/prev links with JavaScript off;
with it on, "Show more" appends the next page in place and pushes its URL; back and reload keep the
place; a shared link to page 3 opens page 3 in a fresh browser profile."""

import json
import re
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from app.paging import PAGE_SIZE
from tests.browser.conftest import skip_or_fail, watched_page

try:
    from playwright.sync_api import expect
except ImportError:
    skip_or_fail("the Python package playwright is not installed (pip install -e '.[dev]')")

pytestmark = pytest.mark.browser

CARDS = "ol.cards > li"
SLUGS_JS = "() => [...document.querySelectorAll('ol.cards .card-title')].map(e => e.id.replace(/^title-/, ''))"


@pytest.fixture(scope="module")
def all_slugs(synth_live_server: str) -> list[str]:
    with urllib.request.urlopen(f"{synth_live_server}/api/proposals?limit=200") as response:
        return [item["slug"] for item in json.load(response)["items"]]


@pytest.fixture
def js_page(browser: Any, synth_live_server: str) -> Iterator[Any]:
    yield from watched_page(browser, synth_live_server)


@pytest.fixture
def no_js_page(browser: Any, synth_live_server: str) -> Iterator[Any]:
    yield from watched_page(browser, synth_live_server, java_script_enabled=False)


def test_without_javascript_next_and_previous_are_plain_links(no_js_page: Any, all_slugs: list[str]) -> None:
    page = no_js_page
    page.goto("/")
    titles = page.locator("ol.cards .card-title").evaluate_all("els => els.map(e => e.id)")
    assert titles == [f"title-{slug}" for slug in all_slugs[:PAGE_SIZE]]
    page.get_by_role("link", name="Show more proposals").click()
    expect(page).to_have_url(re.compile(r"/\?page=2$"))
    titles = page.locator("ol.cards .card-title").evaluate_all("els => els.map(e => e.id)")
    assert titles == [f"title-{slug}" for slug in all_slugs[PAGE_SIZE : 2 * PAGE_SIZE]]
    expect(page.locator("ol.cards")).to_have_attribute("start", str(PAGE_SIZE + 1))
    page.get_by_role("link", name="Previous proposals").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(CARDS)).to_have_count(PAGE_SIZE)


def test_show_more_appends_pushes_the_url_and_back_and_reload_keep_the_place(js_page: Any, all_slugs: list[str]) -> None:
    page = js_page
    page.goto("/")
    page.evaluate("window.__marker = 1")
    page.get_by_role("link", name="Show more proposals").click()
    expect(page).to_have_url(re.compile(r"/\?page=2$"))
    expect(page.locator(CARDS)).to_have_count(2 * PAGE_SIZE)
    assert page.evaluate(SLUGS_JS) == all_slugs[: 2 * PAGE_SIZE]
    page.get_by_role("link", name="Show more proposals").click()
    expect(page).to_have_url(re.compile(r"/\?page=3$"))
    expect(page.locator(CARDS)).to_have_count(3 * PAGE_SIZE)
    assert page.evaluate("window.__marker") == 1, "Show more must not reload the page"
    assert page.evaluate(SLUGS_JS) == all_slugs[: 3 * PAGE_SIZE]
    # One pager, pointing past what is on screen; the head's rel=next follows it.
    expect(page.locator("nav.pager")).to_have_count(1)
    expect(page.locator("nav.pager a[rel=next]")).to_have_attribute("href", "/?page=4")

    # A URL shows exactly one page, as it does without JS: a reload of ?page=3 shows page 3.
    page.reload()
    expect(page).to_have_url(re.compile(r"/\?page=3$"))
    assert page.evaluate(SLUGS_JS) == all_slugs[2 * PAGE_SIZE : 3 * PAGE_SIZE]
    expect(page.locator("link[rel=prev]")).to_have_attribute("href", "/?page=2")

    # Back asks the server for the page its URL names (htmx's history restore), once the URL changes.
    first_card = page.locator("ol.cards .card-title").first
    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?page=2$"))
    expect(first_card).to_have_attribute("id", f"title-{all_slugs[PAGE_SIZE]}")
    assert page.evaluate(SLUGS_JS) == all_slugs[PAGE_SIZE : 2 * PAGE_SIZE]
    page.go_back()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(first_card).to_have_attribute("id", f"title-{all_slugs[0]}")
    assert page.evaluate(SLUGS_JS) == all_slugs[:PAGE_SIZE]


def test_a_shared_link_to_page_3_opens_page_3(browser: Any, synth_live_server: str, all_slugs: list[str]) -> None:
    for page in watched_page(browser, synth_live_server):
        page.goto("/?page=3")
        assert page.evaluate(SLUGS_JS) == all_slugs[2 * PAGE_SIZE : 3 * PAGE_SIZE]
        expect(page.locator("#result-status")).to_have_text(f"{len(all_slugs)} of {len(all_slugs)} proposals match.")
        expect(page.locator(".pager-status")).to_contain_text("Page 3 of")


def test_filters_reset_the_page_and_show_more_keeps_them(js_page: Any) -> None:
    page = js_page
    page.goto("/?page=2")
    page.select_option("#filter-position", "rejects")
    expect(page).to_have_url(re.compile(r"/\?position=rejects$"))
    total = int(page.locator("#result-status").inner_text().split()[0])
    assert total > PAGE_SIZE
    page.get_by_role("link", name="Show more proposals").click()
    expect(page).to_have_url(re.compile(r"/\?position=rejects&page=2$"))
    expect(page.locator(CARDS)).to_have_count(min(total, 2 * PAGE_SIZE))


def test_keyboard_show_more(js_page: Any) -> None:
    page = js_page
    page.goto("/")
    link = page.get_by_role("link", name="Show more proposals")
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/\?page=2$"))
    expect(page.locator(CARDS)).to_have_count(2 * PAGE_SIZE)
    # Focus moves to the first new card, not back to the top of the page.
    first_new = page.locator(CARDS).nth(PAGE_SIZE).locator("a").first
    expect(first_new).to_be_focused()
