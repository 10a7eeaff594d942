"""Rendering: one template per page; an htmx request gets its `results` block (jinja2-fragments)."""

import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping
from enum import Enum
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2_fragments.fastapi import Jinja2Blocks
from markupsafe import Markup, escape

from app.config import PROJECT_ROOT
from app.models import Basis, Evidence, Position, Side
from app.places import MAP_HEIGHT, MAP_WIDTH, TILE, map_tiles
from app.vocabulary import BASIS_LABELS, EVIDENCE_LABELS, POSITION_ICONS, POSITION_LABELS, REPORTED_SYMBOL, SIDE_IN_SENTENCE, SIDE_LABELS, SIDE_SHORT
from app import i18n, vocabulary
from app.i18n import LANGUAGE_NAMES, LANGUAGES, OG_LOCALES, current_locale, gettext, localize_html, localized_path, pgettext
from app.schemas import STANCE_NAMES_PER_POSITION
from app.search import MARK_END, MARK_START
from app.text import cut_words

HTMX_VERSION = "2.0.11"
HTMX_CONFIG = json.dumps(
    {
        "allowEval": False,
        "includeIndicatorStyles": False,
        "allowScriptTags": False,
        "selfRequestsOnly": True,
        # Back and forward always ask the server (HX-History-Restore-Request) for the full page.
        "historyCacheSize": 0,
        "refreshOnHistoryMiss": False,
        # A 4xx answer (a bad filter) is swapped in like any other, so the person sees why.
        "responseHandling": [
            {"code": "204", "swap": False},
            {"code": "[23]..", "swap": True},
            {"code": "4..", "swap": True, "error": True},
            {"code": "...", "swap": False, "error": True},
        ],
    },
    separators=(",", ":"),
)
# A history restore also sends HX-Request but wants the whole page, so caches must key on both.
VARY = "HX-Request, HX-History-Restore-Request"

templates = Jinja2Blocks(directory=str(PROJECT_ROOT / "templates"))
templates.env.add_extension("jinja2.ext.i18n")
templates.env.autoescape = True  # on for every template, whatever its extension
# {{ _("…") }}, {% trans %} and ngettext read the request's language at each call (app.i18n).
# Jinja's own newstyle callables would put a count into the text as a bare int ("1200"); these
# format every whole number for the language ("1,200", "1 200") and keep autoescape: the
# translation is trusted markup, the values are escaped by Markup's %.
def _localized_values(variables: dict[str, Any]) -> dict[str, Any]:
    return {k: i18n.number(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in variables.items()}


def _template_gettext(message: str, **variables: Any) -> Markup:
    # Always a format string, as in Jinja's own newstyle gettext: "%%" is a literal "%".
    return Markup(i18n.translations(current_locale()).gettext(message)) % _localized_values(variables)


def _template_ngettext(singular: str, plural: str, num: int, **variables: Any) -> Markup:
    text = Markup(i18n.translations(current_locale()).ngettext(singular, plural, num))
    return text % _localized_values({"num": num, **variables})


def _template_pgettext(context: str, message: str, **variables: Any) -> Markup:
    return Markup(i18n.translations(current_locale()).pgettext(context, message)) % _localized_values(variables)


templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    _template_gettext, _template_ngettext, newstyle=True, pgettext=_template_pgettext
)
# install_gettext_callables wraps them in Jinja's newstyle formatter, which would format again;
# the globals are set to ours directly.
templates.env.globals.update(gettext=_template_gettext, _=_template_gettext, ngettext=_template_ngettext, pgettext=_template_pgettext)
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True


def is_partial(request: Request) -> bool:
    """htmx wants a fragment; a history restore (back/forward) wants the whole page."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def _text(value: Any) -> str:
    if isinstance(value, Position):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def canonical_query(params: dict[str, Any]) -> str:
    """The query string with empty values dropped, in a stable order."""
    return urlencode([(k, _text(v)) for k, v in params.items() if v not in (None, "")])


def with_query(path: str, params: dict[str, Any]) -> str:
    query = canonical_query(params)
    return f"{path}?{query}" if query else path


def redirect_to(url: str) -> RedirectResponse:
    """A 303 to the clean, shareable URL of a view (relative: never built from the Host header),
    in the request's language."""
    response = RedirectResponse(localized_path(url), status_code=303)
    response.headers["Vary"] = VARY
    return response


def clean_url_redirect(request: Request, params: dict[str, Any]) -> RedirectResponse | None:
    """A no-JS form submits empty fields (?actor=&q=); send people to the clean, shareable URL."""
    if is_partial(request):
        return None
    if any(value == "" for value in request.query_params.values()):
        return redirect_to(with_query(request.url.path, params))
    # A date typed as words ("26 December 2024") is shared as the view's own URL (as_of=2024-12-26).
    as_of = request.query_params.get("as_of")
    if as_of is not None and params.get("as_of") is not None and _text(params["as_of"]) != as_of:
        return redirect_to(with_query(request.url.path, params))
    return None


def absolute_url(request: Request, path: str, locale: str | None = None) -> str:
    """The one place an absolute URL is made: from BASE_URL, never from the request's Host header,
    in the request's language (or the one given)."""
    return request.app.state.settings.base_url + localized_path(path, locale)


def language_versions(request: Request) -> list[dict[str, str]]:
    """This same view in each language: the hreflang alternates and the switcher's links."""
    query = request.url.query
    path = request.url.path + (f"?{query}" if query else "")
    return [
        {"code": code, "name": LANGUAGE_NAMES[code], "og": OG_LOCALES[code], "url": absolute_url(request, path, code),
         "path": localized_path(path, code)}
        for code in LANGUAGES
    ]


def keep_as_of(url: str, as_of: dt.date | None) -> str:
    """A link that stays in the same "as of" day as the page it is on."""
    if not as_of:
        return url
    path, _, fragment = url.partition("#")
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}as_of={as_of.isoformat()}" + (f"#{fragment}" if fragment else "")


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    push_url: str | None = None,
) -> HTMLResponse:
    # Pages without a results block (a permalink, /about) are always whole pages.
    partial = is_partial(request) and "results" in templates.get_template(template).blocks
    context = {"partial": partial, "locale": current_locale(), "language_versions": language_versions(request), **context}
    if context.get("as_of"):
        # The banner's way back: this same view, without the date.
        now = {k: v for k, v in request.query_params.items() if k != "as_of"}
        context["now_url"] = with_query(request.url.path, now)
    if partial:
        response = templates.TemplateResponse(
            request, template, context, status_code=status_code, block_name="results"
        )
        if push_url is not None:
            response.headers["HX-Push-Url"] = localized_path(push_url)
    else:
        response = templates.TemplateResponse(request, template, context, status_code=status_code)
    if current_locale() != i18n.DEFAULT_LOCALE:
        # Templates write site links as English paths; every one of them stays in the page's language.
        response.body = localize_html(response.body.decode()).encode()
        response.headers["content-length"] = str(len(response.body))
    response.headers["Vary"] = VARY
    return response


def highlight(snippet: str | None) -> Markup:
    """Escape a search snippet, then mark the matched words."""
    if not snippet:
        return Markup("")
    escaped = str(escape(snippet))
    return Markup(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


# The empty positions of a stance, in one line: "No one in the article rejects or sets conditions".
# One whole sentence for each set of empty positions (in this order), so each language words its own.
NO_ONE_VERBS = {"rejects": "rejects", "conditional": "sets conditions", "supports": "supports"}
_NO_ONE: dict[tuple[str, ...], Callable[[], str]] = {
    ("rejects",): lambda: gettext("No one in the article rejects."),
    ("conditional",): lambda: gettext("No one in the article sets conditions."),
    ("supports",): lambda: gettext("No one in the article supports."),
    ("rejects", "conditional"): lambda: gettext("No one in the article rejects or sets conditions."),
    ("rejects", "supports"): lambda: gettext("No one in the article rejects or supports."),
    ("conditional", "supports"): lambda: gettext("No one in the article sets conditions or supports."),
    ("rejects", "conditional", "supports"): lambda: gettext("No one in the article rejects, sets conditions or supports."),
}


def no_one(stance: Any) -> str:
    # A Stance, or a mapping of position -> who holds it (a permalink's groups).
    held = stance.get if isinstance(stance, dict) else lambda position: getattr(stance, position)
    empty = tuple(position for position in NO_ONE_VERBS if not held(position))
    return _NO_ONE[empty]() if empty else ""


# The filters' names on their chips ("Side: Russia"), by parameter.
_FILTER_NAMES: dict[str, Callable[[], str]] = {
    "side": lambda: pgettext("filter", "Side"),
    "actor": lambda: pgettext("filter", "Actor"),
    "position": lambda: pgettext("filter", "Position"),
    "basis": lambda: pgettext("filter", "Basis"),
    "proposal": lambda: pgettext("filter", "Proposal"),
}


def filter_chips_of(data: Any, params: dict[str, Any]) -> list[tuple[str, str]]:
    """The filters in use, as (parameter, what a reader sees): ("side", "Side: Russia")."""
    chips: list[tuple[str, str]] = []
    for key in ("side", "actor", "position", "basis"):
        chosen = [option for option in getattr(data.facets, key, []) if option.selected]
        if params.get(key) and chosen:
            chips.append((key, f"{_FILTER_NAMES[key]()}: {chosen[0].label}"))
    as_of = getattr(data.filters, "as_of", None)
    if as_of:
        chips.append(("as_of", gettext("As of %(day)s", day=vocabulary.day_label(as_of))))
    if params.get("q"):
        chips.append(("q", gettext("Search: “%(q)s”", q=params["q"])))
    return chips


def chips_of_options(choices: list[tuple[str, str, list[Any]]]) -> list[tuple[str, str]]:
    """Chips from selects' options: [("actor", "Actor", options)] -> [("actor", "Actor: Vladimir Putin")].
    A known parameter's name is said in the page's language, whatever name the template passed."""
    return [
        (key, f"{_FILTER_NAMES[key]() if key in _FILTER_NAMES else name}: {option.label}")
        for key, name, options in choices
        for option in options
        if option.selected
    ]


class ByValue(Mapping[str, str]):
    """A table of words keyed by an enum, looked up by the enum's value, in the language of the page
    being rendered (templates write `position_labels["rejects"]`)."""

    def __init__(self, words: Mapping[Any, str], enum: type[Enum]):
        self._words, self._enum = words, enum

    def __getitem__(self, value: str) -> str:
        try:
            return self._words[self._enum(value)]
        except ValueError:
            raise KeyError(value) from None

    def __iter__(self) -> Iterator[str]:
        return (member.value for member in self._words)

    def __len__(self) -> int:
        return len(self._words)


class _Said(Mapping[str, str]):
    """{position value: the singular verb after a side}: "Proposals Russia rejects"."""

    def __getitem__(self, value: str) -> str:
        return vocabulary.position_verb(Position(value))

    def __iter__(self) -> Iterator[str]:
        return (p.value for p in Position)

    def __len__(self) -> int:
        return len(Position)


class Lazy:
    """Words that a template global says at render time, in the page's language."""

    def __init__(self, words: Callable[[], str]):
        self._words = words

    def __str__(self) -> str:
        return self._words()

    def __html__(self) -> str:
        return str(escape(self._words()))

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


def dict_without(params: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in params.items() if k != key and k != "page"}


def _static_url(path: str) -> str:
    # Cache-busting by file modification time, so long max-age is safe.
    file = PROJECT_ROOT / "static" / path
    version = int(file.stat().st_mtime) if file.exists() else 0
    return f"/static/{path}?v={version}"


templates.env.globals.update(
    with_query=with_query,
    keep_as_of=keep_as_of,
    static_url=_static_url,
    htmx_config=HTMX_CONFIG,
    htmx_path=f"vendor/htmx-{HTMX_VERSION}.min.js",
    # Tables of words, looked up when a page is rendered, so each page says them in its language.
    position_labels=ByValue(POSITION_LABELS, Position),
    position_icons={p.value: icon for p, icon in POSITION_ICONS.items()},
    evidence_labels=ByValue(EVIDENCE_LABELS, Evidence),
    basis_labels=ByValue(BASIS_LABELS, Basis),
    positions=[p.value for p in Position],
    stance_names_per_position=STANCE_NAMES_PER_POSITION,
    proposer_unknown_text=Lazy(vocabulary.proposer_unknown),
    reported_symbol=REPORTED_SYMBOL,
    # a side takes the singular verb: "Proposals Russia rejects"; side_proposals says the whole heading
    position_verbs=_Said(),
    side_labels=ByValue(SIDE_LABELS, Side),
    side_short=ByValue(SIDE_SHORT, Side),
    side_in_sentence=ByValue(SIDE_IN_SENTENCE, Side),
    side_proposals=vocabulary.side_proposals,
    no_one=no_one,
    filter_chips_of=filter_chips_of,
    chips_of_options=chips_of_options,
    map_tiles=map_tiles,
    map_size=(MAP_WIDTH, MAP_HEIGHT),
    map_tile=TILE,
    # The vocabulary's helpers, so templates pluralise and date the same way as the code.
    day_label=vocabulary.day_label,
    date_label=vocabulary.date_label,
    month_label=vocabulary.month_label,
    file_size=vocabulary.file_size,
    data_version_label=vocabulary.data_version_label,
)
templates.env.filters["highlight"] = highlight
templates.env.filters["cut_words"] = cut_words
templates.env.filters["dict_without"] = dict_without
# Macros are a global so that a block rendered on its own (jinja2-fragments) sees them too.
templates.env.globals["m"] = templates.env.get_template("_macros.html").module
