"""Security headers, and hostile seed text rendered inert on every page and fragment."""

import pytest
from fastapi.testclient import TestClient

from app.security import CONTENT_SECURITY_POLICY
from tests.conftest import is_our_script, soup
from tests.page_types import PAGE_TYPES

EXPECTED_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "manifest-src 'self'; form-action 'self'; base-uri 'none'; frame-src 'self'; frame-ancestors 'none'"
)


def test_csp_is_the_strict_policy() -> None:
    assert CONTENT_SECURITY_POLICY == EXPECTED_CSP


@pytest.mark.parametrize("url", ["/", "/proposals/nato-membership-20-year-delay", "/actors", "/matrix", "/nope", "/api/proposals", "/static/css/site.css"])
def test_security_headers_on_every_response(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.headers["content-security-policy"] == EXPECTED_CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "server" not in response.headers
    assert "x-powered-by" not in response.headers


@pytest.mark.parametrize("url", [url for url, _ in PAGE_TYPES.values()])
def test_no_inline_script_or_style(client: TestClient, url: str) -> None:
    page = soup(client.get(url))
    for script in page.find_all("script"):
        assert is_our_script(script), script
    assert page.find("style") is None
    assert page.find(attrs={"style": True}) is None
    assert not [el for el in page.find_all(True) if any(a.startswith("on") or a.startswith("hx-") for a in el.attrs)]


def test_htmx_runs_with_the_strict_config(client: TestClient) -> None:
    import json

    meta = soup(client.get("/")).find("meta", attrs={"name": "htmx-config"})
    config = json.loads(meta["content"])
    assert config["allowEval"] is False
    assert config["includeIndicatorStyles"] is False
    assert config["allowScriptTags"] is False
    assert config["selfRequestsOnly"] is True



XSS_PAGES = [
    ("/", {}),
    ("/", {"HX-Request": "true"}),
    ("/?actor=evil-actor&position=supports", {}),
    ("/?actor=evil-actor", {"HX-Request": "true"}),
    ("/?q=alert", {}),
    ("/?q=alert", {"HX-Request": "true"}),
    ("/proposals/evil-proposal", {}),
    ("/embed/proposals/evil-proposal", {}),
    ("/embed/actors/evil-actor", {}),
    ("/actors", {}),
    ("/actors/evil-actor", {}),
    ("/actors/other-actor", {}),
    ("/matrix", {}),
    ("/matrix", {"HX-Request": "true"}),
    ("/?actor=<script>alert(1)</script>", {}),
    ("/proposals/<img src=x onerror=alert(1)>", {}),
]


@pytest.mark.parametrize(("url", "headers"), XSS_PAGES)
def test_hostile_text_is_inert(xss_client: TestClient, url: str, headers: dict[str, str]) -> None:
    response = xss_client.get(url, headers=headers)
    assert response.status_code in (200, 404, 422)
    page = soup(response)
    for script in page.find_all("script"):
        assert is_our_script(script), script
    for element in page.find_all(True):
        for attribute, value in element.attrs.items():
            assert not attribute.startswith("on"), f"{element.name} has {attribute}"
            text = " ".join(value) if isinstance(value, list) else value
            assert not text.strip().lower().startswith("javascript:"), f"{element.name}[{attribute}]={text}"
            if attribute.startswith(("data-hx-", "hx-")):
                assert "evil" not in text
    for tag in ("img", "iframe", "svg", "b"):
        # The permalink's embed preview is our own iframe, of our own embed page.
        found = [el for el in page.find_all(tag) if not (tag == "iframe" and el.get("src", "").startswith("/embed/proposals/"))]
        assert not found, f"a <{tag}> from the seed was rendered as markup"
    # A template expression in the data is shown, never evaluated: no 7*7 = 49 anywhere.
    assert "49" not in page.get_text()


def test_hostile_text_is_shown_as_text(xss_client: TestClient) -> None:
    text = soup(xss_client.get("/proposals/evil-proposal")).get_text()
    assert "<script>alert('title')</script>{{7*7}}" in text
    assert "<script>alert('quote')</script> data-hx-get=\"//evil\"" in text
    # who reports a stance is text too, wherever it is shown
    assert "Reported by <script>alert('reported-by')</script> {{7*7}}" in text
    assert "Reported by <script>alert('reported-by')</script>" in soup(xss_client.get("/")).get_text()


@pytest.mark.parametrize(
    "url",
    ["/?actor=x%00y", "/?q=%00", "/proposals/a%00b", "/api/actors/a%00", "/api/proposals?q=a%00", "/timeline?proposal=%00"],
)
def test_nul_bytes_are_refused_by_name(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == (404 if "%00" in url.split("?")[0] else 422)
    text = response.text if "/api/" in url else soup(response).select_one(".error-message").get_text()
    assert "NUL byte (%00)" in text or "did not match" in text or "should match pattern" in text
