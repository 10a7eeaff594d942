"""Stated versus inferred in real Chromium: the marking reaches a screen reader through the
accessible name, it does not rest on colour alone, and the basis filter works like the others."""

from typing import Any

import pytest

from tests.browser.conftest import skip_or_fail

try:
    from playwright.sync_api import expect
except ImportError:
    skip_or_fail("the Python package playwright is not installed (pip install -e '.[dev]')")

pytestmark = pytest.mark.browser

INFERRED_PROPOSAL = "end-war-within-24-hours"  # Putin's conditional stance there is Ash's reading
STATED_PROPOSAL = "nato-membership-20-year-delay"  # Putin's rejection there is his own words


def putin_chip(page: Any, proposal: str) -> Any:
    card = page.locator("li.card").filter(has=page.locator(f'.card-title a[href="/proposals/{proposal}"]'))
    return card.locator('a.chip[href="/actors/vladimir-putin"]')


def test_inferred_stances_are_announced_by_name(page: Any) -> None:
    page.goto("/")
    expect(putin_chip(page, INFERRED_PROPOSAL)).to_have_accessible_name("Vladimir Putin (inferred)")
    expect(putin_chip(page, STATED_PROPOSAL)).to_have_accessible_name("Vladimir Putin")
    page.goto("/matrix")
    cell = page.locator(f'a.cell-link[href="/proposals/{INFERRED_PROPOSAL}#reaction-putin-wants-a-deal-per-ash"]')
    expect(cell).to_have_accessible_name("Supports on conditions (inferred)")
    page.goto(f"/proposals/{INFERRED_PROPOSAL}")
    reaction = page.locator("#reaction-putin-wants-a-deal-per-ash")
    expect(reaction.get_by_role("heading", level=3)).to_contain_text("Inferred: our reading")
    expect(reaction.locator(".rationale")).to_be_visible()


def test_the_marking_does_not_rest_on_colour(page: Any) -> None:
    page.goto("/")
    inferred, stated = putin_chip(page, INFERRED_PROPOSAL), putin_chip(page, STATED_PROPOSAL)
    # A symbol a sighted reader sees, and a border shape that survives greyscale and colour blindness.
    assert "≈" in inferred.inner_text() and "≈" not in stated.inner_text()
    style = "e => getComputedStyle(e).borderTopStyle"
    assert inferred.evaluate(style) == "dashed" and stated.evaluate(style) == "solid"
    # With every colour taken away the two still differ in what is drawn.
    page.emulate_media(forced_colors="active")
    assert "≈" in inferred.inner_text() and inferred.evaluate(style) == "dashed"


def test_basis_filter_swaps_in_place_and_pushes_the_url(page: Any) -> None:
    page.goto("/?actor=vladimir-putin")
    page.evaluate("window.__marker = 1")
    expect(putin_chip(page, INFERRED_PROPOSAL)).to_have_count(1)
    page.select_option("#filter-basis", "stated")
    page.wait_for_url("**/?actor=vladimir-putin&basis=stated")
    expect(page.locator(f'.card-title a[href="/proposals/{INFERRED_PROPOSAL}"]')).to_have_count(0)
    expect(page.locator(f'.card-title a[href="/proposals/{STATED_PROPOSAL}"]')).to_have_count(1)
    assert page.evaluate("window.__marker") == 1, "the page reloaded instead of swapping #results"
    expect(page.locator("#result-status")).to_contain_text("counting only stances stated outright")
    page.go_back()
    page.wait_for_url("**/?actor=vladimir-putin")
    expect(putin_chip(page, INFERRED_PROPOSAL)).to_have_count(1)


def test_basis_filter_works_with_javascript_off(browser: Any, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        page.select_option("#filter-basis", "inferred")
        with page.expect_navigation():
            page.get_by_role("button", name="Apply filters").click()
        assert page.url.endswith("/?basis=inferred")
        chips = page.locator("a.chip")
        assert chips.count() > 0
        assert chips.count() == page.locator("a.chip.chip-inferred").count()
    finally:
        context.close()
