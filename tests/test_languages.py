"""The site in English, Ukrainian and Russian: the language is in the path (/, /uk/…, /ru/…), every
page says which it is and where its other versions are, and every link, redirect, fragment and error
stays in it. Nothing is redirected by Accept-Language."""

from urllib.parse import urlsplit

import pytest

from tests.conftest import soup
from tests.page_types import PAGE_TYPES

BASE = "http://testserver"
TRANSLATED = ("uk", "ru")
LANGUAGES = ("en", *TRANSLATED)
OG = {"en": "en_GB", "uk": "uk_UA", "ru": "ru_RU"}
# The same in every language: files, the API (which takes ?lang=), its schema, the health check, oEmbed,
# the database download.
LANGUAGE_FREE = ("/static/", "/api/", "/openapi.json", "/healthz", "/oembed", "/favicon", "/download/", "//")


def in_language(url: str, lang: str) -> str:
    return url if lang == "en" else f"/{lang}{url}"


def site_path(absolute: str) -> str:
    parts = urlsplit(absolute)
    assert f"{parts.scheme}://{parts.netloc}" == BASE, absolute
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_every_page_type_answers_in_the_language_of_its_path(client, lang: str, name: str) -> None:  # type: ignore[no-untyped-def]
    url, status = PAGE_TYPES[name]
    response = client.get(in_language(url, lang))
    assert response.status_code == status, response.text[:300]
    page = soup(response)
    assert page.html["lang"] == lang
    # Every site link on the page stays in the language (files, the API and absolute URLs aside).
    for element in page.select("[href], [action], [data-hx-get]"):
        for attribute in ("href", "action", "data-hx-get"):
            link = element.get(attribute)
            if not link or not link.startswith("/") or link.startswith(LANGUAGE_FREE):
                continue
            assert link == f"/{lang}" or link.startswith(f"/{lang}/") or link.startswith(f"/{lang}?"), (
                f"{url} in {lang} links to {link!r}"
            )


@pytest.mark.parametrize("name", ["home", "filtered", "proposal", "actor", "matrix-as-of", "timeline", "not-found", "compare"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_hreflang_alternates_are_absolute_reciprocal_and_resolve(client, name: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    url, status = PAGE_TYPES[name]
    page = soup(client.get(in_language(url, lang)))
    alternates = {link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')}
    assert set(alternates) == {*LANGUAGES, "x-default"}
    assert alternates["x-default"] == alternates["en"]
    assert site_path(alternates[lang]) == in_language(url, lang)
    for other in LANGUAGES:
        response = client.get(site_path(alternates[other]))
        assert response.status_code == status
        theirs = {link["hreflang"]: link["href"] for link in soup(response).select('link[rel="alternate"][hreflang]')}
        assert theirs == alternates, f"{alternates[other]} does not list the same versions"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_open_graph_names_the_locale_and_its_alternates(client, lang: str) -> None:  # type: ignore[no-untyped-def]
    page = soup(client.get(in_language("/proposals/nato-membership-20-year-delay", lang)))
    assert page.select_one('meta[property="og:locale"]')["content"] == OG[lang]
    others = {meta["content"] for meta in page.select('meta[property="og:locale:alternate"]')}
    assert others == {OG[other] for other in LANGUAGES if other != lang}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_switcher_keeps_the_view_its_filters_and_page(client, lang: str) -> None:  # type: ignore[no-untyped-def]
    view = "/?side=russia&position=rejects&as_of=2024-12-26"
    page = soup(client.get(in_language(view, lang)))
    switcher = page.select_one('nav.language-switcher')
    assert switcher is not None
    current = switcher.select_one('[aria-current]')
    assert current["lang"] == lang and current.name != "a"
    links = {a["hreflang"]: site_path(a["href"]) for a in switcher.select("a[hreflang]")}
    assert links == {other: in_language(view, other) for other in LANGUAGES if other != lang}
    # Each language is named in itself, and marked so a screen reader pronounces it right.
    for a in switcher.select("a[hreflang]"):
        assert a["lang"] == a["hreflang"]


def test_no_redirect_by_accept_language_only_an_offer(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/", headers={"Accept-Language": "uk-UA,uk;q=0.9,ru;q=0.8"}, follow_redirects=False)
    assert response.status_code == 200
    page = soup(response)
    assert page.html["lang"] == "en"
    offer = page.select_one(".language-offer")
    # Hidden until app.js sees the browser's preference; the page itself is the same for everyone.
    assert offer is not None and offer.has_attr("hidden")
    assert {a["href"] for a in offer.select("a")} == {"/uk/", "/ru/"}
    assert "Accept-Language" not in response.headers.get("vary", "")
    # The offer is only on the English home page.
    assert soup(client.get("/uk/")).select_one(".language-offer") is None
    assert soup(client.get("/matrix")).select_one(".language-offer") is None


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("url", ["/?position=rejects", "/matrix?side=russia", "/timeline?actor=vladimir-putin", "/compare?a=vladimir-putin&b=volodymyr-zelenskyy"])
def test_htmx_fragments_stay_in_the_language_and_push_its_urls(client, lang: str, url: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(in_language(url, lang), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "HX-Request" in response.headers["vary"]
    push = response.headers.get("hx-push-url")
    if push is not None:
        assert push.startswith(f"/{lang}/"), push
    links = [a["href"] for a in soup(response).select("a[href^='/']") if not a["href"].startswith(LANGUAGE_FREE)]
    assert links and all(link.startswith(f"/{lang}/") for link in links), links[:5]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_redirects_keep_the_language(client, lang: str) -> None:  # type: ignore[no-untyped-def]
    # A no-JS form's empty fields: the 303 to the clean URL.
    response = client.get(f"/{lang}/?actor=&q=&position=rejects", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/{lang}/?position=rejects"
    # A trailing slash: the 307 to the route without it.
    response = client.get(f"/{lang}/actors/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == f"/{lang}/actors"
    # A date typed in words: the 303 to the view's own URL, in the language.
    response = client.get(f"/{lang}/matrix?as_of=26 December 2024", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/{lang}/matrix?as_of=2024-12-26"


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("url", ["/no-such-page", "/proposals/nato-membership-20-year", "/?actor=nobody", "/matrix?position=bogus"])
def test_errors_are_in_the_language_of_the_page(client, lang: str, url: str) -> None:  # type: ignore[no-untyped-def]
    english = soup(client.get(url))
    response = client.get(in_language(url, lang))
    assert response.status_code in (404, 422)
    page = soup(response)
    assert page.html["lang"] == lang
    assert page.h1.get_text(strip=True) != english.h1.get_text(strip=True)
    assert page.title.get_text() != english.title.get_text()


def test_the_response_cache_keeps_each_language_apart(client) -> None:  # type: ignore[no-untyped-def]
    etags = {lang: client.get(in_language("/matrix", lang)).headers["etag"] for lang in LANGUAGES}
    assert len(set(etags.values())) == 3
    for lang, etag in etags.items():
        again = client.get(in_language("/matrix", lang), headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert soup(client.get(in_language("/matrix", lang))).html["lang"] == lang


def test_files_and_the_api_are_the_same_in_every_language(client) -> None:  # type: ignore[no-untyped-def]
    page = soup(client.get("/uk/"))
    assert all(link["href"].startswith("/static/") for link in page.select('link[rel="stylesheet"]'))
    assert page.select_one('link[rel="alternate"][type="application/json"]')["href"].startswith("/api/")


@pytest.mark.parametrize(("lang", "says"), [("uk", "наш переклад"), ("ru", "наш перевод")])
def test_the_method_says_the_quotes_are_english_and_the_translations_ours(client, lang: str, says: str) -> None:  # type: ignore[no-untyped-def]
    """/about in uk and ru says the quotes stay as the article printed them (English), the text under
    them is our translation, and none of them is anyone's original Russian; the English page, which
    shows no translation, does not."""
    note = soup(client.get(f"/{lang}/about")).select_one("#quotes-in-english")
    assert note is not None
    text = note.get_text(" ").lower()
    assert says in text and ("англійською" in text or "английском" in text)
    assert ("путіна" in text and "російські" in text) or ("путина" in text and "русские" in text)
    assert soup(client.get("/about")).select_one("#quotes-in-english") is None
