"""Errors our views raise on bad input; the app turns them into a JSON error or an HTML page.

An error's words are a `Text`: a msgid and its values, put into words where they are shown. The
JSON error (the API, the CSV exports, oEmbed) is always English, the msgid filled in, byte for byte
what it always said; the HTML page says it in the page's language, with the names a machine reads
(a parameter, a value sent, a path) set in <code>."""

import difflib
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from app import i18n
from app.i18n import N_

PREVIEW_LENGTH = 80


class Code:
    """A value an error names as a machine reads it (a parameter, a slug sent, a path): on a
    translated page it is set in <code>, so it reads as a name, not as an English word."""

    def __init__(self, value: "str | Text | int"):
        self.value = value


class Text:
    """An error's words, put into words when shown: `english()` for the JSON, `str()` in the current
    language, `html()` for a page. Values may be a Text, a Code, or a callable (a word looked up in
    the language being written, such as a side's name: `lambda: SIDE_LABELS[side]`)."""

    def __init__(self, msgid: str, plural: str | None = None, n: int | None = None, /, **variables: Any):
        self.msgid, self.plural, self.n, self.variables = msgid, plural, n, variables

    @classmethod
    def gettext(cls, msgid: str, /, **variables: Any) -> "Text":
        return cls(msgid, None, None, **variables)

    @classmethod
    def ngettext(cls, singular: str, plural: str, n: int, /, **variables: Any) -> "Text":
        """A count's words; %(num)s is n, formatted for the language."""
        return cls(singular, plural, n, **variables)

    def words(self, html: bool = False) -> str:
        catalog = i18n.translations(i18n.current_locale())
        values = {name: _value(value, html) for name, value in self.variables.items()}
        if self.plural is None:
            template = catalog.gettext(self.msgid)
        else:
            template = catalog.ngettext(self.msgid, self.plural, self.n)
            values = {"num": i18n.number(self.n), **values}
        if html:
            return Markup(escape(template)) % values if values else Markup(escape(template))
        return template % values if values else template

    def html(self) -> Markup:
        return Markup(self.words(html=True))

    def english(self) -> str:
        with i18n.using_locale(i18n.DEFAULT_LOCALE):
            return self.words()

    def __str__(self) -> str:
        return self.words()

    def __repr__(self) -> str:
        return f"Text({self.english()!r})"


class Sentences(Text):
    """Texts one after another, a space between them (a message, then a hint)."""

    def __init__(self, *parts: "Text | str"):
        super().__init__("")
        self.parts = parts

    def words(self, html: bool = False) -> str:
        pieces = [_value(part, html) for part in self.parts]
        return Markup(" ").join(pieces) if html else " ".join(str(piece) for piece in pieces)


def _value(value: Any, html: bool) -> Any:
    if isinstance(value, Text):
        return value.words(html)
    if isinstance(value, Code):
        inner = _value(value.value, False)
        return Markup("<code>{}</code>").format(inner) if html else inner
    if callable(value):
        # A label looked up now, in the language being written (a Words table translates it itself;
        # a plain English label is translated here).
        return i18n.gettext(value())
    return value


def english(text: "str | Text") -> str:
    """What the JSON says: the English words."""
    return text.english() if isinstance(text, Text) else text


def page_text(text: "str | Text") -> str:
    """What a page says: the English words as they always were on /, the page's language with the
    machine's names in <code> on /uk/ and /ru/."""
    if not isinstance(text, Text):
        return text
    return text.words() if i18n.current_locale() == i18n.DEFAULT_LOCALE else text.html()


def is_control(char: str) -> bool:
    """C0/C1 controls (NUL, \\x1c, DEL) and the line/paragraph separators (U+2028, U+2029)."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


def preview(value: object, limit: int = PREVIEW_LENGTH) -> str:
    """A user-sent value as an error may echo it: control characters percent-encoded (never raw
    in HTML or JSON), and a long value cut to its first `limit` characters plus its length."""
    return english(preview_text(value, limit))


def preview_text(value: object, limit: int = PREVIEW_LENGTH) -> "str | Text":
    """`preview`, as the words of an error: a cut value says its length in the page's language."""
    text = str(value)
    head = text[:limit]
    shown = "".join(quote(c, safe="") if is_control(c) else c for c in head)
    if len(text) <= limit:
        return shown
    return Text.ngettext("%(value)s… (%(num)s character)", "%(value)s… (%(num)s characters)", len(text), value=shown)


def closest(value: str, candidates: list[str], n: int = 3) -> list[str]:
    return difflib.get_close_matches(value.lower(), candidates, n=n, cutoff=0.5)


class ClientError(Exception):
    status_code = 400

    def __init__(
        self,
        message: str | Text,
        *,
        parameter: str | None = None,
        value: str | None = None,
        allowed: list[str | Text] | None = None,
        suggestions: list[str] | None = None,
        reader_message: str | Text | None = None,
        links: list[tuple[str, str]] | None = None,
    ):
        # The JSON's words are English; `text` is kept for the page, put into words in its language.
        self.text = message
        self.message = english(message)
        super().__init__(self.message)
        self.parameter = parameter
        self.value = None if value is None else preview(value)
        self.allowed_text = allowed or []
        self.allowed = [english(a) for a in self.allowed_text]
        self.suggestions = suggestions or []
        # For the HTML page only: the message in readers' words, and the suggestions as (title, url).
        self.reader_message = reader_message
        self.links = links or []

    def page_message(self) -> str:
        """The message as the page shows it, in the page's language."""
        return page_text(self.reader_message or self.text)

    def page_allowed(self) -> list[str]:
        return [str(a) for a in self.allowed_text]


# "actor 'x' names no actor.", one sentence per kind of record (the word changes its case in uk and ru).
NAMES_NO = {
    "actor": N_("%(parameter)s '%(value)s' names no actor."),
    "proposal": N_("%(parameter)s '%(value)s' names no proposal."),
}
# "We have no proposal called “x”.", the page's words for an unknown slug.
HAVE_NO = {
    "actor": N_("We have no actor called “%(value)s”."),
    "proposal": N_("We have no proposal called “%(value)s”."),
    "seed file": N_("We have no seed file called “%(value)s”."),
}


class BadFilter(ClientError):
    status_code = 422

    @classmethod
    def unknown(cls, parameter: str, value: str, kind: str, known: list[str]) -> "BadFilter":
        """A filter that names no record: say so, with the closest slugs and the full list."""
        suggestions = closest(value, known)
        message: Text | str
        if kind in NAMES_NO:
            message = Text.gettext(NAMES_NO[kind], parameter=Code(parameter), value=Code(preview_text(value)))
        else:
            message = f"{parameter} '{preview(value)}' names no {kind}."
        if suggestions:
            message = Sentences(message, Text.gettext("Closest: %(slugs)s.", slugs=Code(", ".join(suggestions))))
        return cls(
            message,
            parameter=parameter,
            value=value,
            allowed=sorted(known),
            suggestions=suggestions,
        )


class NotFound(ClientError):
    status_code = 404

    @classmethod
    def slug(cls, kind: str, slug: str, known: Mapping[str, str], url_of: Callable[[str], str]) -> "NotFound":
        """An unknown slug: the API names the closest slugs; the page offers them as links by title
        (`known` maps each slug to its title)."""
        suggestions = closest(slug, list(known))
        hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
        reader_message = (
            Text.gettext(HAVE_NO[kind], value=Code(preview_text(slug)))
            if kind in HAVE_NO
            else f"We have no {kind} called “{preview(slug)}”."
        )
        return cls(
            f"No {kind} has the slug '{preview(slug)}'.{hint}",
            parameter="slug",
            value=slug,
            suggestions=suggestions,
            reader_message=reader_message,
            links=[(known[s], url_of(s)) for s in suggestions],
        )
