"""Every reader page type speaks a reader's language: the visible text holds none of the database's
words (slug, reaction, kind, rel=, paragraph marks, byte counts, OpenAPI), outside the sections
for developers, and writes its dates one way ("6 December 2026")."""

import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import soup
from tests.page_types import PAGE_TYPES

# Words for machines and curators, not readers (the API, the schema and the "For developers" sections keep them).
INTERNAL_WORDS = {
    "slug": re.compile(r"\bslugs?\b", re.I),
    "reaction": re.compile(r"\breactions?\b", re.I),
    "kind": re.compile(r"\bkind:", re.I),
    "rel=": re.compile(r"\brel="),
    "paragraph mark": re.compile("¶"),
    "byte count": re.compile(r"\d[\d,.]*\s*bytes\b", re.I),
    "OpenAPI": re.compile(r"openapi", re.I),
    "data version hash": re.compile(r"\b[0-9a-f]{40,64}\b"),
}
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# The ways a date can be written; a page may use the first (the site's) and no other.
DATE_FORMATS = {
    "6 December 2026": re.compile(rf"\b[1-9]\d? (?:{MONTHS}) \d{{4}}\b"),
    "06 December 2026": re.compile(rf"\b0\d (?:{MONTHS})\b"),
    "December 6, 2026": re.compile(rf"\b(?:{MONTHS}) \d{{1,2}}, \d{{4}}\b"),
    "2026-12-06": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "12/06/2026": re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b"),
}
READER_PAGES = {name: url for name, (url, _status) in PAGE_TYPES.items()}


def visible_text(page: BeautifulSoup) -> str:
    """What a reader sees: the body without scripts, styles, hidden templates, the developer sections,
    file names (code), and a reference to copy in a citation style's own format (APA dates it
    "December 7, 2026"); quotes are the article's words (a quote may say "November 6")."""
    for element in page.select("script, style, template, textarea, .developers, code, pre, .reference, blockquote, q, .quote"):
        element.decompose()
    body = page.body or page
    return " ".join(body.get_text(" ").split())


@pytest.mark.parametrize("name", sorted(READER_PAGES))
def test_no_internal_words_on_reader_pages(client, name: str) -> None:  # type: ignore[no-untyped-def]
    text = visible_text(soup(client.get(READER_PAGES[name])))
    found = {word: pattern.findall(text)[:3] for word, pattern in INTERNAL_WORDS.items() if pattern.search(text)}
    assert not found, f"{READER_PAGES[name]} shows {found}"


@pytest.mark.parametrize("name", sorted(READER_PAGES))
def test_one_date_format_per_page(client, name: str) -> None:  # type: ignore[no-untyped-def]
    # Words in quotation marks are the source's ("the photo caption’s “December 25, 2024”").
    text = re.sub(r"“[^”]*”", "", visible_text(soup(client.get(READER_PAGES[name]))))
    others = {fmt: pattern.findall(text)[:3] for fmt, pattern in DATE_FORMATS.items() if fmt != "6 December 2026" and pattern.search(text)}
    assert not others, f"{READER_PAGES[name]} writes dates as {others}, not as '6 December 2026'"


def test_the_checks_catch_what_they_look_for() -> None:
    page = BeautifulSoup("<body><p>Atom feed of Putin’s reactions, 245,760 bytes, ¶40, 06 December 2026, 2024-12-26</p>"
                         "<section class='developers'><p>slug</p></section></body>", "html.parser")
    text = visible_text(page)
    assert {w for w, p in INTERNAL_WORDS.items() if p.search(text)} == {"reaction", "byte count", "paragraph mark"}
    assert {f for f, p in DATE_FORMATS.items() if p.search(text)} == {"06 December 2026", "2026-12-06"}
