"""The locale: which language a request is in, and the words, dates and numbers of that language.

One place for it all:
- the language is in the path: English at /, Ukrainian at /uk/…, Russian at /ru/… (LocalePrefix
  strips the prefix before routing, so every route serves every language);
- `current_locale()` is that request's language (a ContextVar the middleware sets, so code far from
  the request, such as the vocabulary, follows it); views take it from the `get_locale` dependency;
- interface strings go through gettext (`_`, `ngettext`, `N_` to mark a msgid for later), from the
  catalogs in app/locales/ that `make` compiles with Babel;
- links stay in the language: `localized_path` prefixes a site path, `localize_html` every
  root-relative link of a rendered page.
Nothing here imports the rest of the app, so anything may import it.
"""

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from gettext import NullTranslations
from pathlib import Path
from typing import Any, TypeVar

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from babel.support import Translations
from starlette.types import ASGIApp, Receive, Scope, Send

LANGUAGES: tuple[str, ...] = ("en", "uk", "ru")
DEFAULT_LOCALE = "en"
TRANSLATED: tuple[str, ...] = tuple(lang for lang in LANGUAGES if lang != DEFAULT_LOCALE)
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
# Each language's own name, as the switcher shows it (in that language, so a reader finds theirs).
LANGUAGE_NAMES = {"en": "English", "uk": "Українська", "ru": "Русский"}
# og:locale wants a territory.
OG_LOCALES = {"en": "en_GB", "uk": "uk_UA", "ru": "ru_RU"}
# Paths that are the same in every language: files, the API (which takes ?lang=), the schema.
_UNPREFIXED = ("/static/", "/api/", "/openapi.json", "/healthz", "/oembed", "/favicon", "/download/")

_current_locale: ContextVar[str] = ContextVar("locale", default=DEFAULT_LOCALE)


def current_locale() -> str:
    return _current_locale.get()


@contextmanager
def using_locale(locale: str) -> Iterator[None]:
    """Render something in another language (a feed, a test) and come back."""
    token = _current_locale.set(locale)
    try:
        yield
    finally:
        _current_locale.reset(token)


def set_request_locale(locale: str) -> None:
    """The language for the rest of this request, chosen by a parameter (the API's ?lang=) rather
    than the path; LocalePrefix restores the previous value when the request ends."""
    _current_locale.set(locale)


def split_locale(path: str) -> tuple[str, str]:
    """'/uk/actors' -> ('uk', '/actors'); '/uk' -> ('uk', '/'); '/actors' -> ('en', '/actors')."""
    for locale in TRANSLATED:
        prefix = f"/{locale}"
        if path == prefix or path.startswith(prefix + "/"):
            return locale, path[len(prefix):] or "/"
    return DEFAULT_LOCALE, path


def localized_path(path: str, locale: str | None = None) -> str:
    """A site path in a language: '/actors' -> '/uk/actors'. Files and the API stay where they are."""
    locale = locale or current_locale()
    if locale == DEFAULT_LOCALE or not path.startswith("/") or path.startswith("//"):
        return path
    if path.startswith(_UNPREFIXED) or split_locale(path)[0] != DEFAULT_LOCALE:
        return path
    return f"/{locale}{path}"


# Root-relative links in the attributes a page links with; absolute URLs (hreflang alternates, the
# switcher's links to the other languages) are left as written.
_LINK_ATTRIBUTE = re.compile(r'(\s(?:href|action|src|data-hx-get|data-hx-push-url|data-copy-url|formaction)=")(/[^"/][^"]*|/)(")')


def localize_html(html: str, locale: str | None = None) -> str:
    """Every root-relative link of a rendered page, in the page's language."""
    locale = locale or current_locale()
    if locale == DEFAULT_LOCALE:
        return html
    return _LINK_ATTRIBUTE.sub(lambda m: m.group(1) + localized_path(m.group(2), locale) + m.group(3), html)


class LocalePrefix:
    """Takes the language off the front of the path (/uk/actors is /actors in Ukrainian) and sets
    it for the request. It sits inside the response cache, which keys on the whole path."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        locale, path = split_locale(scope["path"])
        state = {**scope.get("state", {}), "locale": locale}
        if locale != DEFAULT_LOCALE:
            scope = {**scope, "path": path, "raw_path": path.encode(), "state": state}
        else:
            scope = {**scope, "state": state}
        token = _current_locale.set(locale)
        try:
            await self.app(scope, receive, send)
        finally:
            _current_locale.reset(token)


# --- gettext --------------------------------------------------------------------------------------


@cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalog of a language (English is the msgids themselves)."""
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    catalog = Translations.load(str(LOCALES_DIR), [locale], domain="messages")
    if not isinstance(catalog, Translations):
        raise RuntimeError(f"no compiled catalog for {locale!r} in {LOCALES_DIR}; run `make setup` (pybabel compile)")
    return catalog


def gettext(message: str, **variables: Any) -> str:
    """The message in the current language; %(name)s placeholders are filled from `variables`."""
    text = translations(current_locale()).gettext(message)
    return text % variables if variables else text


_ = gettext


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    """One of a message's plural forms, chosen by the language's own rule (uk and ru have three);
    %(num)s is n, formatted for the language."""
    text = translations(current_locale()).ngettext(singular, plural, n)
    return text % {"num": number(n), **variables}


def pgettext(context: str, message: str, **variables: Any) -> str:
    """A message whose meaning depends on where it stands ('Position' the filter vs. a job)."""
    text = translations(current_locale()).pgettext(context, message)
    return text % variables if variables else text


def N_(message: str) -> str:
    """Marks a msgid for extraction, to be translated where it is used (a table of labels)."""
    return message


K = TypeVar("K")


class Words(Mapping[K, str]):
    """A table of labels whose values are msgids, translated into the current language at each
    lookup: `POSITION_LABELS[Position.rejects]` is "Rejects" on / and "Відхиляє" on /uk/."""

    def __init__(self, msgids: Mapping[K, str]):
        self._msgids = dict(msgids)

    def __getitem__(self, key: K) -> str:
        return gettext(self._msgids[key])

    def __iter__(self) -> Iterator[K]:
        return iter(self._msgids)

    def __len__(self) -> int:
        return len(self._msgids)


# --- dates and numbers ------------------------------------------------------------------------------


def babel_locale(locale: str | None = None) -> Locale:
    return Locale.parse(locale or current_locale())


def number(n: int | float) -> str:
    """'1,200' in English, '1 200' in Ukrainian and Russian."""
    return _formatted_number(n, current_locale())


@lru_cache(maxsize=8192)
def _formatted_number(n: int | float, locale: str) -> str:
    # Kept: a page formats hundreds of counts (every actor in the filter form), and Babel's
    # formatting costs about 6 µs each; the same few numbers recur on every page.
    return format_decimal(n, locale=babel_locale(locale))


def day(date: dt.date) -> str:
    """'26 December 2024', '26 грудня 2024 р.', '26 декабря 2024 г.'."""
    if current_locale() == DEFAULT_LOCALE:
        return f"{date.day} {date:%B %Y}"
    return format_date(date, "long", locale=babel_locale())


def month(date: dt.date) -> str:
    """'December 2024', 'грудень 2024 р.', 'декабрь 2024 г.' (the month standing alone)."""
    if current_locale() == DEFAULT_LOCALE:
        return f"{date:%B %Y}"
    return format_skeleton("yMMMM", date, locale=babel_locale())


def month_name(date: dt.date) -> str:
    """The month alone, standing alone: 'December', 'грудень'."""
    return format_date(date, "LLLL", locale=babel_locale()) if current_locale() != DEFAULT_LOCALE else f"{date:%B}"


def day_span(start: dt.date, end: dt.date) -> str:
    """'19–26 December 2024', '19–26 грудня 2024 р.'."""
    if current_locale() == DEFAULT_LOCALE:
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{end.day} {end:%B %Y}"
        if start.year == end.year:
            return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
        return f"{day(start)} – {day(end)}"
    # Babel's yMMMMd interval abbreviates the months in uk and ru ("19–26 груд."): the full names, as in `day`.
    locale = babel_locale()
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end, 'long', locale=locale)}"
    if start.year == end.year:
        return f"{format_date(start, 'd MMMM', locale=locale)} – {format_date(end, 'long', locale=locale)}"
    return f"{format_date(start, 'long', locale=locale)} – {format_date(end, 'long', locale=locale)}"


def month_names() -> dict[str, int]:
    """Every way the current language names a month in a date, lowercased, to its number:
    for reading a date a person types ('26 грудня 2024')."""
    names: dict[str, int] = {}
    for locale in {DEFAULT_LOCALE, current_locale()}:
        months = babel_locale(locale).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number_, name in months[context][width].items():
                    names[name.lower().rstrip(".")] = number_
    return names
