"""The timeline's time axis and the permalink's map in Chromium, at a phone's 390 × 844 and a laptop's
1280 × 800, light and dark: they render, their marks have accessible names and are 24 px targets,
the page never scrolls sideways, and axe (target-size included) finds nothing."""

from typing import Any

import pytest

from tests.browser.conftest import skip_or_fail
from tests.browser.test_accessibility import assert_no_violations, use_scheme

try:
    from playwright.sync_api import expect
except ImportError:
    skip_or_fail("the Python package playwright is not installed (pip install -e '.[dev]')")

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": (390, 844), "laptop": (1280, 800)}
SCHEMES = ["light", "dark"]


@pytest.fixture
def sized(browser: Any, live_server: str, request: pytest.FixtureRequest) -> Any:
    width, height = VIEWPORTS[request.param]
    ctx = browser.new_context(base_url=live_server, bypass_csp=True, viewport={"width": width, "height": height})
    ctx.set_default_timeout(10_000)
    page = ctx.new_page()
    yield page
    ctx.close()


def assert_no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("sized", list(VIEWPORTS), indirect=True)
def test_time_axis_renders_with_named_tappable_marks(sized: Any, scheme: str) -> None:
    page = sized
    use_scheme(page, scheme)
    page.goto("/timeline")
    axes = page.locator("svg.axis-svg")
    expect(axes).to_have_count(2)
    visible = [axes.nth(i) for i in range(2) if axes.nth(i).is_visible()]
    assert len(visible) == 1  # one drawing per width; the other is display: none
    axis = visible[0]
    box = axis.bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    marks = axis.locator("a.mark")
    assert marks.count() > 10
    for i in range(marks.count()):
        mark = marks.nth(i)
        assert mark.get_attribute("aria-label")
        hit = mark.locator("rect.hit").bounding_box()
        assert hit["width"] >= 24 and hit["height"] >= 24, (mark.get_attribute("aria-label"), hit)
    # A mark is a real link with its name: the accessibility tree finds it by role and name.
    expect(page.get_by_role("link", name="Putin and Fico meet in the Kremlin (between 16 and 26 December 2024)")).to_be_visible()
    undated = page.request.get(page.url.replace("/timeline", "/api/timeline")).json()["undated_count"]
    assert undated > 0
    expect(page.get_by_role("link", name=f"{undated} items without a date")).to_be_visible()
    assert_no_sideways_scroll(page)
    page.get_by_role("link", name="Trump’s inauguration (20 January 2025)").click()
    expect(page).to_have_url(page.url.split("#")[0].rstrip("/").removesuffix("/timeline") + "/timeline#event-trump-inauguration")
    expect(page.locator("#event-trump-inauguration")).to_be_in_viewport()
    assert_no_violations(page, f"/timeline ({scheme}, {box['width']:.0f} px axis)")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("sized", list(VIEWPORTS), indirect=True)
def test_permalink_map_renders_with_its_caption_as_name(sized: Any, scheme: str) -> None:
    page = sized
    use_scheme(page, scheme)
    page.goto("/proposals/ukraine-cedes-occupied-territory")
    figure = page.locator("figure.place-map")
    expect(figure).to_be_visible()
    svg = figure.locator("svg")
    box = svg.bounding_box()
    assert box["width"] > 250 and box["height"] > 150
    image = page.get_by_role("img", name="Named in this proposal: Luhansk, Donetsk, Kherson, Zaporizhzhia.", exact=False)
    expect(image).to_have_count(1)
    expect(figure.locator("figcaption")).to_contain_text("The article gives no line; none is drawn.")
    assert figure.locator("g.tile-named").count() == 4
    assert_no_sideways_scroll(page)
    assert_no_violations(page, f"/proposals/ukraine-cedes-occupied-territory ({scheme})")
    page.goto("/timeline")
    expect(page.locator("#event-russia-annexes-crimea figure.place-map")).to_be_visible()
    expect(page.get_by_role("img", name="Named in this event: Crimea.", exact=False)).to_have_count(1)
