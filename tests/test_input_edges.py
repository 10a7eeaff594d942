"""Odd input at the edges: control characters, repeated parameters, NULs in unmatched paths,
405's Allow, trailing slashes on static files, CSV formula starts, and long values cut to a preview."""

import re

import pytest
from fastapi.testclient import TestClient

from app.errors import preview
from app.queries.exports import _cell
from tests.conftest import soup


@pytest.mark.parametrize(
    "url",
    [
        "/?as_of=%1C",
        "/?as_of=%E2%80%A8",  # U+2028, which str.strip() treats as blank
        "/?as_of=2024-12-01%1F",
        "/matrix?actor=%0Avladimir-putin",
        "/api/proposals?as_of=%1C",
        "/api/proposals?q=%E2%80%A9",
        "/reactions.csv?proposal=%7F",
        "/timeline?actor=%C2%85",  # U+0085, a C1 control
    ],
)
def test_control_characters_are_a_422(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 422
    text = response.text if response.headers["content-type"].startswith("application/json") else soup(response).select_one(".error-message").get_text()
    assert "control character" in text
    # Shown percent-encoded, never raw.
    assert not any(c in response.text for c in "\x1c\x1f\x7f\u2028\u2029\x85")


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/?actor=vladimir-putin&actor=volodymyr-zelenskyy", "actor"),
        ("/matrix?position=rejects&position=supports", "position"),
        ("/api/proposals?q=nato&q=nato", "q"),
        ("/proposals.csv?as_of=2024-12-01&as_of=2024-12-02", "as_of"),
        ("/compare?a=vladimir-putin&b=donald-trump&b=volodymyr-zelenskyy", "b"),
    ],
)
def test_repeated_parameters_are_a_422_naming_them(client: TestClient, url: str, parameter: str) -> None:
    response = client.get(url)
    assert response.status_code == 422
    if "/api/" in url or ".csv" in url:
        body = response.json()
        assert body["detail"]["parameter"] == parameter
        assert body["error"].startswith(f"{parameter} is given more than once")
    else:
        assert f"{parameter} is given more than once" in soup(response).select_one(".error-message").get_text()


@pytest.mark.parametrize("url", ["/no%00such", "/%00", "/a/b%00c/d", "/x%1Cy", "/x%E2%80%A8y"])
def test_control_characters_in_an_unmatched_path_are_never_written_raw(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert not any(c in response.text for c in "\x00\x1c\u2028")
    assert "%00" in response.text or "%1C" in response.text or "%E2%80%A8" in response.text


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_405_allows_get_and_head(client: TestClient, method: str) -> None:
    response = client.request(method, "/actors")
    assert response.status_code == 405
    assert [m.strip() for m in response.headers["allow"].split(",")] == ["GET", "HEAD"]
    assert client.head("/actors").status_code == 200


def test_static_file_with_a_trailing_slash_is_a_404(client: TestClient) -> None:
    assert client.get("/static/css/site.css").status_code == 200
    for url in ("/static/css/site.css/", "/static/css/site.css//", "/static/js/app.js/"):
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 404, url


def test_a_route_with_a_trailing_slash_redirects_relative(client: TestClient) -> None:
    response = client.get("/actors/?x=1", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/actors?x=1"


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\uff1dHYPERLINK(\"x\")", "\uff0b1", "\uff0d1", "\uff20SUM(A1)",
     "  =1+1", "\t=1+1", "\r=1", " \t \uff1d1", "\u3000=1", "\tplain", "\rplain"],
)
def test_csv_formula_starts_are_neutralised(value: str) -> None:
    assert _cell(value) == "'" + value


@pytest.mark.parametrize("value", ["plain", "a=b", "  plain", "2024-12-01", "", None, 13])
def test_ordinary_csv_cells_are_unchanged(value: object) -> None:
    assert _cell(value) == ("" if value is None else str(value))


def test_preview_cuts_long_values_and_encodes_controls() -> None:
    assert preview("abc") == "abc"
    assert preview("a\x00b\u2028") == "a%00b%E2%80%A8"
    long = "x" * 10_000
    assert preview(long) == "x" * 80 + "… (10,000 characters)"


@pytest.mark.parametrize(
    "url",
    ["/?actor={}", "/api/proposals?actor={}", "/api/proposals?position={}", "/?as_of={}", "/proposals/{}",
     "/api/proposals/{}", "/actors/{}", "/reactions.csv?proposal={}", "/compare?a={}&b=donald-trump", "/{}",
     "/api/proposals?q={}", "/timeline?proposal={}"],
)
def test_long_invalid_values_are_echoed_as_a_preview(client: TestClient, url: str) -> None:
    value = "z" * 10_000
    response = client.get(url.format(value))
    assert response.status_code in (404, 422)
    assert "z" * 81 not in response.text
    assert re.search(r"… \(10,00[01] characters\)", response.text)
    assert len(response.content) < 40_000
