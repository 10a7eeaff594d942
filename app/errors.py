"""Errors our views raise on bad input; the app turns them into a JSON error or an HTML page."""

import difflib
import unicodedata
from collections.abc import Callable, Mapping
from urllib.parse import quote

PREVIEW_LENGTH = 80


def is_control(char: str) -> bool:
    """C0/C1 controls (NUL, \\x1c, DEL) and the line/paragraph separators (U+2028, U+2029)."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


def preview(value: object, limit: int = PREVIEW_LENGTH) -> str:
    """A user-sent value as an error may echo it: control characters percent-encoded (never raw
    in HTML or JSON), and a long value cut to its first `limit` characters plus its length."""
    text = str(value)
    head = text[:limit]
    shown = "".join(quote(c, safe="") if is_control(c) else c for c in head)
    return shown if len(text) <= limit else f"{shown}… ({len(text):,} characters)"


def closest(value: str, candidates: list[str], n: int = 3) -> list[str]:
    return difflib.get_close_matches(value.lower(), candidates, n=n, cutoff=0.5)


class ClientError(Exception):
    status_code = 400

    def __init__(
        self,
        message: str,
        *,
        parameter: str | None = None,
        value: str | None = None,
        allowed: list[str] | None = None,
        suggestions: list[str] | None = None,
        reader_message: str | None = None,
        links: list[tuple[str, str]] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.parameter = parameter
        self.value = None if value is None else preview(value)
        self.allowed = allowed or []
        self.suggestions = suggestions or []
        # For the HTML page only: the message in readers' words, and the suggestions as (title, url).
        self.reader_message = reader_message
        self.links = links or []


class BadFilter(ClientError):
    status_code = 422

    @classmethod
    def unknown(cls, parameter: str, value: str, kind: str, known: list[str]) -> "BadFilter":
        """A filter that names no record: say so, with the closest slugs and the full list."""
        suggestions = closest(value, known)
        hint = f" Closest: {', '.join(suggestions)}." if suggestions else ""
        return cls(
            f"{parameter} '{preview(value)}' names no {kind}.{hint}",
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
        return cls(
            f"No {kind} has the slug '{preview(slug)}'.{hint}",
            parameter="slug",
            value=slug,
            suggestions=suggestions,
            reader_message=f"We have no {kind} called “{preview(slug)}”.",
            links=[(known[s], url_of(s)) for s in suggestions],
        )
