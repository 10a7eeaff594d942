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


# --- errors in the page's language ------------------------------------------------------------------

# Every kind of refusal a reader's page can get, in English and (prefixed) in Ukrainian and Russian.
REFUSALS = [
    "/no-such-page",
    "/proposals/nato-membership-20-year",
    "/actors/vladimir-puti",
    "/?actor=vladimir-puti",
    "/matrix?position=bogus",
    "/?basis=implied",
    "/?side=mars",
    "/?side=ukraine&actor=vladimir-putin",
    "/?as_of=bogus",
    "/?page=x",
    "/?page=99",
    "/?stand=x",
    "/?q=" + "z" * 300,
    "/?x=1&x=2",
    "/?as_of=%1C",
    "/compare?a=vladimir-putin&b=vladimir-putin",
    "/timeline?actor=nobody",
    "/embed/proposals/nato-membership-20-year",
    "/embed/actors/vladimir-putin?theme=blue",
    "/download/seeds/nope.yaml",
]


def page_error(response) -> tuple[str, str, list[str]]:  # type: ignore[no-untyped-def]
    page = soup(response)
    return page.h1.get_text(strip=True), page.select_one(".error-message").get_text(), [li.get_text() for li in page.select(".allowed li")]


@pytest.mark.parametrize("lang", ["uk", "ru"])
@pytest.mark.parametrize("url", REFUSALS)
def test_an_error_page_says_it_in_the_language_of_its_path(client: TestClient, lang: str, url: str) -> None:
    """Title and message translated; what the reader sent (a parameter, a value, a path) is named
    as sent, in <code>, and nothing else on the message is English."""
    english = client.get(url)
    response = client.get(f"/{lang}{url}")
    assert response.status_code == english.status_code and response.status_code in (404, 422)
    (title, message, allowed), (en_title, en_message, _) = page_error(response), page_error(english)
    assert title != en_title and message != en_message
    names = soup(response).select_one(".error-message")
    for code in names.select("code"):
        code.decompose()
    # Names written in Latin letters in any language (NUL, U+2028), and none of the English words.
    words = set(re.findall(r"[A-Za-z]{3,}", names.get_text())) - {"NUL", "SQLite", "PostgreSQL"}
    assert not words, f"/{lang}{url}: {names.get_text()!r}"


@pytest.mark.parametrize("url", ["/api/proposals?actor=vladimir-puti", "/proposals.csv?actor=nobody", "/api/proposals?as_of=bogus", "/reactions.csv?proposal=nope"])
def test_the_api_and_the_files_keep_their_english_errors_in_every_language(client: TestClient, url: str) -> None:
    english = client.get(url)
    assert english.status_code in (404, 422) and english.headers["content-type"] == "application/json"
    for lang in ("uk", "ru"):
        path, _, query = url.partition("?")
        if path.startswith("/api/"):
            continue  # the API is the same in every language: /api/… has no prefix
        translated = client.get(f"/{lang}{url}")
        assert translated.status_code == english.status_code
        assert translated.content == english.content


def test_error_text_is_english_for_the_json_and_translated_for_the_page() -> None:
    from app.errors import BadFilter, Code, Sentences, Text, english, page_text, preview_text
    from app.i18n import using_locale

    error = BadFilter.unknown("actor", "vladimir-puti", "actor", ["vladimir-putin", "sergey-lavrov"])
    assert error.message == "actor 'vladimir-puti' names no actor. Closest: vladimir-putin."
    assert str(error) == error.message and error.page_message() == error.message
    with using_locale("uk"):
        page = error.page_message()
        assert error.message == "actor 'vladimir-puti' names no actor. Closest: vladimir-putin."
    assert "<code>actor</code>" in page and "<code>vladimir-puti</code>" in page and "names no" not in page
    # A value that would be markup is escaped on the page, in <code> or not.
    text = Sentences(Text.gettext("%(parameter)s '%(value)s' names no actor.", parameter=Code("actor"), value=Code("<b>")), "a & b")
    with using_locale("ru"):
        assert "<b>" not in page_text(text) and "&lt;b&gt;" in page_text(text) and "a &amp; b" in page_text(text)
    assert english(text) == "actor '<b>' names no actor. a & b"
    # A long value's length is said in the language, and the JSON's preview is as it always was.
    long = preview_text("z" * 1234)
    assert english(long) == preview("z" * 1234) == "z" * 80 + "… (1,234 characters)"
    with using_locale("uk"):
        assert "characters" not in str(long) and "1" in str(long)
