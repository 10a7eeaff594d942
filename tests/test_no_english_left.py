"""No English is left on a Ukrainian or Russian page, outside what is marked as English (lang="en":
the quotes as the source printed them, the article's title, the switcher's "English"): the visible
text of every page type, and the text a screen reader gets from attributes, has no English word.

A short allowlist keeps names that are written in Latin letters in Ukrainian and Russian too."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.conftest import soup
from tests.page_types import PAGE_TYPES

# Names, not words: the site's own name, file formats, standards, tools and citation styles, key
# names (Ctrl+C, U+2028, %1C), and the outlets' names, which Ukrainian and Russian news media write
# in Latin letters.
ALLOWED = {
    "Truce", "Explorer",
    "JSON", "CSV", "Atom", "SQLite", "YAML", "API", "PNG", "APA", "Chicago", "BibTeX", "RIS", "CSL", "HTML", "oEmbed", "MIT",
    "RSS", "CMS", "WordPress", "Ghost", "Zotero", "Mendeley", "pandoc", "CSL-JSON", "Datasette", "OpenAPI", "PostgreSQL",
    "SHA", "UTF", "BOM", "NUL", "U", "C", "Ctrl",
    "The", "Wall", "Street", "Journal", "WSJ", "New", "York", "Post", "Sky", "Time", "Tips", "Tricks", "News", "Guide", "Chatham", "House", "Shawn", "Ryan", "Show",
}
# Addresses, data versions (fd5e5662), file names and paths (truce.db, /healthz) are names too, not words.
FILE_OR_PATH = re.compile(r"https?://\S+|\b(?=[0-9a-f]*[0-9])[0-9a-f]{8,}\b|(?<![\w/])/[\w./?=&-]+|\b[\w-]+\.(?:db|yaml|csv|json|atom|png|bib|ris|txt|md)\b")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*[A-Za-z]|[A-Za-z]")
# The attributes whose text a reader or a screen reader gets.
READ_ATTRIBUTES = ("aria-label", "alt", "title", "placeholder", "aria-description")


def without_english(page: BeautifulSoup) -> BeautifulSoup:
    # translate="no" marks code to copy (the embed snippet), which is no language's text.
    for element in page.select('script, style, template, code, pre, [translate="no"], [lang="en"], [lang^="en-"]'):
        element.decompose()
    return page


def english_words(text: str, own_words: str = "") -> list[str]:
    """The Latin-letter words of `text` that are not names; `own_words` are the reader's own (a search)."""
    spared = ALLOWED | set(LATIN_WORD.findall(own_words))
    return [word for word in LATIN_WORD.findall(FILE_OR_PATH.sub(" ", text)) if word not in spared]


def searched(url: str) -> str:
    """What the reader typed into the search box: shown back to them as they wrote it."""
    return " ".join(parse_qs(urlsplit(url).query).get("q", []))


@pytest.mark.parametrize("lang", ["uk", "ru"])
@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_no_english_words_in_the_visible_text(client, lang: str, name: str) -> None:  # type: ignore[no-untyped-def]
    url, _status = PAGE_TYPES[name]
    page = without_english(soup(client.get(f"/{lang}{url}")))
    title = page.title.get_text() if page.title else ""
    text = " ".join(((page.body or page).get_text(" ") + " " + title).split())
    found = english_words(text, searched(url))
    assert not found, f"/{lang}{url} still says {sorted(set(found))[:20]}"


@pytest.mark.parametrize("lang", ["uk", "ru"])
@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_no_english_words_in_what_a_screen_reader_reads(client, lang: str, name: str) -> None:  # type: ignore[no-untyped-def]
    url, _status = PAGE_TYPES[name]
    page = without_english(soup(client.get(f"/{lang}{url}")))
    read = [element[attribute] for element in page.find_all(True) for attribute in READ_ATTRIBUTES if element.has_attr(attribute)]
    read += [meta["content"] for meta in page.select('meta[name="description"], meta[property^="og:"][content]') if meta.get("property") not in ("og:url", "og:image", "og:type", "og:locale", "og:locale:alternate")]
    found = english_words(" ".join(read), searched(url))
    assert not found, f"/{lang}{url} reads out {sorted(set(found))[:20]}"


def test_the_check_finds_english_and_spares_what_is_marked() -> None:
    page = BeautifulSoup('<html lang="uk"><body><p>Відхиляє</p><blockquote lang="en">we reject it</blockquote><p>Supports</p></body></html>', "html.parser")
    assert english_words(without_english(page).get_text(" ")) == ["Supports"]


def test_names_files_and_the_readers_own_words_are_spared_but_nothing_else() -> None:
    assert english_words("Завантажте truce.db або /healthz у RSS-читачі") == []
    assert english_words("Пошук «peacekeeping»: 2 пропозиції", "peacekeeping") == []
    assert english_words("Пошук «peacekeeping» supports", "peacekeeping") == ["supports"]
    assert english_words("the summary", "") == ["the", "summary"]
