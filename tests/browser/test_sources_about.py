"""Sources and About & method in real Chromium: reached from the site nav, their links land on the
item they name (the target is scrolled into view and highlighted), and the feeds are discoverable."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PUTIN_REACTION = "/proposals/nato-membership-20-year-delay#reaction-putin-rejects-nato-delay"


def in_viewport(page: Any, selector: str) -> bool:
    return page.evaluate(
        """selector => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= -1 && box.top < window.innerHeight;  // -1: sub-pixel rounding after a jump
        }""",
        selector,
    )


def test_nav_to_sources_then_a_reaction_it_backs(page: Any) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Sources", exact=True).click()
    expect(page).to_have_url(re.compile(r"/sources$"))
    expect(page.locator("h1")).to_have_text("Sources")
    expect(page).to_have_title("Sources · Truce Explorer")
    expect(page.get_by_role("navigation", name="Site").locator(".nav-links a[aria-current=page]")).to_have_text("Sources")

    kremlin = page.locator("#source-kremlin-transcript-press-conference-2024-12-26")
    # the article does not date the transcript: 26 to 31 December, so only the month is machine-readable
    expect(kremlin.locator("time").first).to_have_attribute("datetime", "2024-12")
    kremlin.locator(f'a[href="{PUTIN_REACTION}"]').click()
    expect(page).to_have_url(re.compile(re.escape(PUTIN_REACTION) + "$"))
    target = page.locator("#reaction-putin-rejects-nato-delay")
    expect(target).to_be_visible()
    assert page.evaluate("document.querySelector(':target')?.id") == "reaction-putin-rejects-nato-delay"
    assert in_viewport(page, "#reaction-putin-rejects-nato-delay")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/sources$"))


def test_about_by_keyboard_and_its_table_of_contents(page: Any) -> None:
    page.goto("/sources")
    about = page.get_by_role("navigation", name="Site").get_by_role("link", name="About & method")
    about.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/about$"))
    expect(page.locator("h1")).to_have_text("About & method")
    expect(page.locator("main h2")).to_have_count(10)

    page.get_by_role("navigation", name="On this page").get_by_role("link", name="No public position found").click()
    expect(page).to_have_url(re.compile(r"/about#no-position$"))
    assert in_viewport(page, "#no-position")

    # the stance grid's explanation leads back here
    page.goto("/matrix")
    page.locator(".lede").get_by_role("link", name="what this means").click()
    expect(page).to_have_url(re.compile(r"/about#no-position$"))


def test_feeds_are_discoverable(page: Any) -> None:
    page.goto("/actors/vladimir-putin")
    feeds = page.locator('head link[rel=alternate][type="application/atom+xml"]')
    expect(feeds).to_have_count(2)
    assert [feeds.nth(i).get_attribute("href") for i in range(2)] == ["/feed.atom", "/actors/vladimir-putin/feed.atom"]
    response = page.request.get("/actors/vladimir-putin/feed.atom")
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    expect(page.locator("footer").get_by_role("link", name="Atom feed", exact=True)).to_have_attribute("href", "/feed.atom")
