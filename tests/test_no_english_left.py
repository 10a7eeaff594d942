"""No English is left on a Ukrainian or Russian page, outside what is marked as English (lang="en":
the quotes as the source printed them, the article's title, the switcher's "English"): the visible
text of every page type, and the text a screen reader gets from attributes, has no English word.

A short allowlist keeps names that are written in Latin letters in Ukrainian and Russian too."""

import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import soup
from tests.page_types import PAGE_TYPES

# Names, not words: the site's own name, file formats and citation styles, and the outlets' names,
# which Ukrainian and Russian news media write in Latin letters.
ALLOWED = {
    "Truce", "Explorer",
    "JSON", "CSV", "Atom", "SQLite", "YAML", "API", "PNG", "APA", "Chicago", "BibTeX", "RIS", "CSL", "HTML", "oEmbed", "MIT",
    "The", "Wall", "Street", "Journal", "Time", "Tips", "Tricks", "News", "Guide", "Chatham", "House", "Shawn", "Ryan", "Show",
}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*[A-Za-z]|[A-Za-z]")
# The attributes whose text a reader or a screen reader gets.
READ_ATTRIBUTES = ("aria-label", "alt", "title", "placeholder", "aria-description")


def without_english(page: BeautifulSoup) -> BeautifulSoup:
    for element in page.select('script, style, template, code, pre, [lang="en"], [lang^="en-"]'):
        element.decompose()
    return page


def english_words(text: str) -> list[str]:
    return [word for word in LATIN_WORD.findall(text) if word not in ALLOWED]


@pytest.mark.parametrize("lang", ["uk", "ru"])
@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_no_english_words_in_the_visible_text(client, lang: str, name: str) -> None:  # type: ignore[no-untyped-def]
    url, _status = PAGE_TYPES[name]
    page = without_english(soup(client.get(f"/{lang}{url}")))
    title = page.title.get_text() if page.title else ""
    text = " ".join(((page.body or page).get_text(" ") + " " + title).split())
    found = english_words(text)
    assert not found, f"/{lang}{url} still says {sorted(set(found))[:20]}"


@pytest.mark.parametrize("lang", ["uk", "ru"])
@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_no_english_words_in_what_a_screen_reader_reads(client, lang: str, name: str) -> None:  # type: ignore[no-untyped-def]
    url, _status = PAGE_TYPES[name]
    page = without_english(soup(client.get(f"/{lang}{url}")))
    read = [element[attribute] for element in page.find_all(True) for attribute in READ_ATTRIBUTES if element.has_attr(attribute)]
    read += [meta["content"] for meta in page.select('meta[name="description"], meta[property^="og:"][content]') if meta.get("property") not in ("og:url", "og:image", "og:type", "og:locale", "og:locale:alternate")]
    found = english_words(" ".join(read))
    assert not found, f"/{lang}{url} reads out {sorted(set(found))[:20]}"


def test_the_check_finds_english_and_spares_what_is_marked() -> None:
    page = BeautifulSoup('<html lang="uk"><body><p>Відхиляє</p><blockquote lang="en">we reject it</blockquote><p>Supports</p></body></html>', "html.parser")
    assert english_words(without_english(page).get_text(" ")) == ["Supports"]
