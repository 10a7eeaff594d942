"""Embeds in real Chromium, framed by a host page from another origin (a second loopback port):
the widget renders, posts its height, and the README's snippet fits the iframe to it; the same host
page cannot frame any other page; the widget's link opens the permalink; without JavaScript, and in
light and dark. Also the permalink's "Embed this proposal" panel, with and without JavaScript."""

import functools
import http.server
import json
import re
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.embeds import resize_snippet
from tests.browser.conftest import skip_or_fail, watch_errors
from tests.serving import free_port

try:
    from playwright.sync_api import expect
except ImportError:
    skip_or_fail("the Python package playwright is not installed (pip install -e '.[dev]')")

pytestmark = pytest.mark.browser

NATO = "nato-membership-20-year-delay"
PUTIN = "vladimir-putin"
REFUSED_FRAME = "chrome-error://chromewebdata/"


def oembed_html(live_server: str, page_path: str) -> str:
    url = f"{live_server}/oembed?url={urllib.request.quote(live_server + page_path, safe='')}&format=json"
    with urllib.request.urlopen(url) as response:
        return json.load(response)["html"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def host_origin(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A newsroom's page on another origin (another port), pasting our oEmbed code and the resize snippet.

    It also records every height message it gets, to show they arrive."""
    folder: Path = tmp_path_factory.mktemp("host")
    recorder = (
        "<script>window.heights = []; window.addEventListener('message', function (e) {"
        " if (e.data && e.data.type === 'truce-explorer:height') window.heights.push({origin: e.origin, height: e.data.height}); });</script>"
    )
    article = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>'
    (folder / "article.html").write_text(
        article.format(
            title="A newsroom article",
            body=f'<p>Where things stand:</p><div id="slot">{oembed_html(live_server, f"/proposals/{NATO}")}</div>'
            + recorder
            + resize_snippet(live_server),
        )
    )
    (folder / "no-snippet.html").write_text(
        article.format(title="No snippet", body=oembed_html(live_server, f"/actors/{PUTIN}"))
    )
    frames = "".join(
        f'<iframe id="{name}" src="{live_server}{path}" title="{name}" width="400" height="300"></iframe>'
        for name, path in [("home", "/"), ("permalink", f"/proposals/{NATO}"), ("api", "/api/proposals"), ("embed", f"/embed/proposals/{NATO}")]
    )
    (folder / "frames.html").write_text(article.format(title="Framing other pages", body=frames))

    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def host_page(browser: Any, host_origin: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def embed_frame(page: Any, live_server: str) -> Any:
    return next(f for f in page.frames if f.url.startswith(f"{live_server}/embed/"))


def test_host_page_embeds_a_proposal_and_fits_it_to_its_height(host_page: Any, host_origin: str, live_server: str) -> None:
    assert host_origin != live_server
    problems = watch_errors(host_page)
    host_page.goto(f"{host_origin}/article.html")
    iframe = host_page.locator("#slot iframe")
    widget = host_page.frame_locator("#slot iframe")
    expect(widget.locator("h1")).to_contain_text("NATO membership")
    expect(widget.locator("section.group-rejects")).to_contain_text("Vladimir Putin")

    # The height message arrives from our origin, and the snippet sets the iframe to it.
    host_page.wait_for_function("window.heights.length > 0")
    message = host_page.evaluate("window.heights[window.heights.length - 1]")
    assert message["origin"] == live_server and message["height"] > 200
    frame = embed_frame(host_page, live_server)
    content_height = frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
    expect(iframe).to_have_js_property("offsetHeight", content_height)
    assert frame.evaluate("document.documentElement.scrollHeight <= innerHeight")  # nothing hidden, no inner scrollbar

    # Narrower, the widget wraps and grows: a new message, and the iframe follows.
    host_page.set_viewport_size({"width": 360, "height": 800})
    host_page.wait_for_function(f"window.heights[window.heights.length - 1].height > {content_height}")
    taller = frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
    expect(iframe).to_have_js_property("offsetHeight", taller)
    assert not problems, "\n".join(problems)


def test_without_the_snippet_the_oembed_height_shows_the_widget(host_page: Any, host_origin: str, live_server: str) -> None:
    host_page.goto(f"{host_origin}/no-snippet.html")
    widget = host_page.frame_locator("iframe")
    expect(widget.locator("h1")).to_have_text("Vladimir Putin")
    frame = embed_frame(host_page, live_server)
    frame.wait_for_load_state()
    iframe_height = host_page.locator("iframe").evaluate("e => e.offsetHeight")
    content = frame.evaluate("document.documentElement.getBoundingClientRect().height")
    # The default is an estimate: it shows the whole widget without a large empty gap.
    assert content <= iframe_height <= content + 60, (content, iframe_height)


def test_other_pages_refuse_to_be_framed(host_page: Any, host_origin: str, live_server: str) -> None:
    refusals: list[str] = []
    host_page.on("console", lambda m: refusals.append(m.text) if "frame-ancestors" in m.text else None)
    host_page.goto(f"{host_origin}/frames.html")
    expect(host_page.frame_locator("#embed").locator("h1")).to_be_visible()
    host_page.wait_for_load_state("load")
    urls = {frame.name or frame.url: frame.url for frame in host_page.frames}
    by_id = {
        name: host_page.locator(f"#{name}").element_handle().content_frame() for name in ("home", "permalink", "api", "embed")
    }
    for name in ("home", "permalink", "api"):
        assert by_id[name].url == REFUSED_FRAME, (name, urls)
    assert by_id["embed"].url == f"{live_server}/embed/proposals/{NATO}"
    # Chromium says why: our policy.
    assert len([r for r in refusals if "frame-ancestors 'none'" in r]) == 3, refusals


def test_embed_link_opens_the_permalink_in_a_new_tab(host_page: Any, host_origin: str, live_server: str) -> None:
    host_page.goto(f"{host_origin}/article.html")
    widget = host_page.frame_locator("#slot iframe")
    with host_page.context.expect_page() as new_tab:
        widget.get_by_role("link", name=re.compile("^Full record")).click()
    permalink = new_tab.value
    permalink.wait_for_load_state()
    assert permalink.url == f"{live_server}/proposals/{NATO}"
    expect(permalink.locator("h1")).to_contain_text("NATO membership")
    assert permalink.evaluate("window.opener") is None  # rel=noopener
    assert host_page.url == f"{host_origin}/article.html"


def test_embed_works_without_javascript(browser: Any, host_origin: str, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{host_origin}/article.html")
        widget = page.frame_locator("#slot iframe")
        expect(widget.locator("h1")).to_contain_text("NATO membership")
        expect(widget.locator("section.group-supports")).to_be_visible()
        expect(widget.locator("blockquote").first).to_be_visible()
        expect(widget.get_by_role("link", name=re.compile("^Full record"))).to_have_attribute("target", "_blank")
    finally:
        context.close()


def background(page: Any) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


@pytest.mark.parametrize(
    ("theme", "system", "expected"),
    [("light", "dark", "rgb(255, 255, 255)"), ("dark", "light", "rgb(17, 20, 24)"), ("auto", "dark", "rgb(17, 20, 24)"), ("auto", "light", "rgb(255, 255, 255)")],
)
def test_embed_themes(page: Any, live_server: str, screenshots_dir: Path, theme: str, system: str, expected: str) -> None:
    """?theme wins over the reader's setting; auto follows it. Screenshots of light and dark."""
    page.set_viewport_size({"width": 560, "height": 700})
    page.emulate_media(color_scheme=system)
    page.goto(f"/embed/proposals/{NATO}?theme={theme}")
    expect(page.locator("h1")).to_be_visible()
    assert background(page) == expected
    if theme != "auto":
        page.screenshot(path=str(screenshots_dir / f"embed-proposal-{theme}.png"), full_page=True)
        assert (screenshots_dir / f"embed-proposal-{theme}.png").stat().st_size > 1000


# --- the permalink's embed panel -------------------------------------------------------------------------


def test_embed_panel_with_keyboard_copy_theme_and_live_preview(page: Any, context: Any, live_server: str) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto(f"/proposals/{NATO}")
    panel = page.locator("details#embed")
    code = page.locator("#embed-code")
    expect(code).to_be_hidden()
    page.locator("details#embed > summary").focus()
    page.keyboard.press("Enter")
    expect(code).to_be_visible()
    assert f'src="{live_server}/embed/proposals/{NATO}"' in code.input_value()

    copy = page.get_by_role("button", name="Copy code")
    expect(page.locator(".embed-theme-submit")).to_be_hidden()  # with JS the choice applies at once
    copy.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#embed-status")).to_have_text("Embed code copied.")
    assert page.evaluate("() => navigator.clipboard.readText()") == code.input_value()

    # Choosing a theme swaps the code and the preview without a reload.
    page.evaluate("window.__marker = 1")
    panel.get_by_label("Dark").check()
    expect(code).to_have_value(re.compile(r"\?theme=dark"))
    preview = page.locator("iframe.embed-preview")
    expect(preview).to_have_attribute("src", f"/embed/proposals/{NATO}?theme=dark")
    assert page.evaluate("window.__marker") == 1
    preview_frame = page.frame_locator("iframe.embed-preview")
    expect(preview_frame.locator("html")).to_have_attribute("data-theme", "dark")
    # The preview fits its content, as a host page with the snippet does.
    frame = next(f for f in page.frames if "/embed/" in f.url and "theme=dark" in f.url)
    frame.wait_for_load_state()
    height = frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
    expect(preview).to_have_js_property("offsetHeight", height)


def test_embed_panel_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"/proposals/{NATO}?as_of=2024-12-26")
        page.locator("details#embed > summary").click()
        code = page.locator("#embed-code")
        expect(code).to_be_visible()
        assert "as_of=2024-12-26" in code.input_value()
        page.get_by_label("Light").check()
        page.get_by_role("button", name="Show the code for this theme").click()
        expect(page).to_have_url(re.compile(re.escape(f"/proposals/{NATO}?as_of=2024-12-26&embed_theme=light#embed") + "$"))
        expect(page.locator("details#embed")).to_have_attribute("open", "")
        expect(code).to_have_value(re.compile(r"as_of=2024-12-26&amp;theme=light"))
        expect(page.frame_locator("iframe.embed-preview").locator("h1")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_embed_panel_screenshots(browser: Any, live_server: str, screenshots_dir: Path, width: int) -> None:
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        problems = watch_errors(page)
        page.goto(f"/proposals/{NATO}?embed_theme=auto#embed")
        panel = page.locator("details#embed")
        expect(panel).to_have_attribute("open", "")
        expect(page.frame_locator("iframe.embed-preview").locator("h1")).to_be_visible()
        page.wait_for_function("document.querySelector('iframe.embed-preview').offsetHeight !== 520")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        panel.screenshot(path=str(screenshots_dir / f"embed-panel-{width}.png"))
        assert (screenshots_dir / f"embed-panel-{width}.png").stat().st_size > 1000
        assert not problems, "\n".join(problems)
    finally:
        context.close()


@pytest.mark.parametrize("path", [f"/proposals/{NATO}", "/download", "/about"])
def test_json_ld_raises_no_csp_error(page: Any, path: str) -> None:
    """The JSON-LD block is data, not script: Chromium applies no script-src to it (the page fixture fails on any CSP report)."""
    page.goto(path)
    assert page.evaluate("document.querySelectorAll('script[type=\"application/ld+json\"]').length") == 1
    data = json.loads(page.evaluate("document.querySelector('script[type=\"application/ld+json\"]').textContent"))
    assert data["@context"] == "https://schema.org"
