"""Query parameters shared by the pages and the API, documented once for OpenAPI."""

from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query
from pydantic import WithJsonSchema

from app.errors import BadFilter, Code, Text
from app.i18n import DEFAULT_LOCALE, LANGUAGES, set_request_locale
from app.models import Basis, Position, Side
from app.queries.proposals import ProposalFilters
from app.schemas import ErrorOut
from app.search import MAX_QUERY_LENGTH
from app.seeds import SLUG_MAX_LENGTH, SLUG_PATTERN

# No text parameter may hold a control character (PostgreSQL cannot store a NUL; none belongs in a
# slug or filter), and the schema says so. app.deps.check_request_text enforces it for every route.
NO_CONTROL = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"
NO_NUL = NO_CONTROL  # the older name, still imported by routes

# A parameter that names a record by slug. The schema gives the seeds' slug rule, so a generated
# client never sends a malformed one; the app does not validate the pattern itself: any value that
# names no record (malformed or not) gets the lookup's clear error, which names the value and lists
# the closest slugs (slug_errors documents it). Values are used as sent: "" means any, nothing is
# stripped, so no value outside the schema is ever accepted.
SLUG_SCHEMA: dict[str, Any] = {"type": "string", "pattern": SLUG_PATTERN, "maxLength": SLUG_MAX_LENGTH}
Slug = Annotated[str, WithJsonSchema(SLUG_SCHEMA)]
SlugFilter = Annotated[
    str | None, WithJsonSchema({"anyOf": [SLUG_SCHEMA, {"type": "string", "const": ""}, {"type": "null"}]})
]


def slug_query(description: str, example: str) -> Any:
    """The Query() of a SlugFilter. Its example sits on the parameter, as WithJsonSchema replaces
    the whole schema (and any example in it)."""
    return Query(description=description, openapi_examples={"example": {"value": example}})


def slug_path(example: str) -> Any:
    """The Path() of a Slug, with its example."""
    return Path(openapi_examples={"example": {"value": example}})


def slug_errors(*filters: str, path: str | None = None, also: str = "") -> dict[int | str, dict[str, Any]]:
    """The documented answers for a slug that names nothing: a 404 for the path's `{slug}` (a
    `path` record), a 422 for a slug filter; both are ErrorOut naming the parameter and the value."""
    responses: dict[int | str, dict[str, Any]] = {}
    if path:
        responses[404] = {
            "model": ErrorOut,
            "description": f"No {path} has that slug: `detail.value` is the slug, `detail.suggestions` the closest ones",
        }
    reasons = [f"{' or '.join(f'`{f}`' for f in filters)} names no record: `detail.parameter` and `detail.value` name it, `detail.allowed` lists the slugs"] if filters else []
    reasons += [also] if also else []
    responses[422] = {"model": ErrorOut, "description": "; ".join(reasons) or "A parameter is out of range"}
    return responses


# Every other way a filter is refused, for the operations that take the list's filters.
FILTER_REFUSALS = "`position` or `basis` outside its values, `as_of` not a YYYY-MM-DD date, `q` too long, or `limit` or `cursor` out of range"
FILTER_ERRORS = slug_errors("actor", also=FILTER_REFUSALS)

ActorParam = Annotated[SlugFilter, slug_query("An actor slug (see /api/actors): proposals this actor reacted to.", "vladimir-putin")]
PositionText = Annotated[
    str | None,
    Query(description="supports, conditional or rejects. `supports` includes proposers. Empty means any.", pattern=NO_NUL),
]
# Parsed by parse_as_of (for its clear error), documented as what it accepts: a date, or empty.
AsOfParam = Annotated[
    str | None,
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "const": ""}, {"type": "null"}], "examples": ["2024-12-01"]}),
    Query(description="YYYY-MM-DD: show the state of play known on that day (only reactions stated by then).", examples=["2024-12-01"]),
]
# The API validates position itself (so OpenAPI lists the values); "" means any, as a form sends it.
PositionParam = Annotated[
    Position | Literal[""] | None,
    Query(description="supports, conditional or rejects. `supports` includes proposers. Empty means any."),
]
BasisText = Annotated[
    str | None,
    Query(description="stated (only the actors' own on-record stances), reported (only stances someone else attributes to them) or inferred (only our readings). Empty means any.", pattern=NO_NUL),
]
BasisParam = Annotated[
    Basis | Literal[""] | None,
    Query(description="stated (only the actors' own on-record stances), reported (only stances someone else attributes to them) or inferred (only our readings). Empty means any."),
]
SideText = Annotated[
    str | None,
    Query(
        description="russia, ukraine, united-states, europe or other: proposals on which an actor of that side holds the position (any position when none is given). Empty means any.",
        pattern=NO_NUL,
    ),
]
SideParam = Annotated[
    Side | Literal[""] | None,
    Query(description="russia, ukraine, united-states, europe or other: proposals on which an actor of that side holds the position. With `actor`, the actor must be on that side. Empty means any."),
]
# checked_q enforces the length (with its own message); the schema documents it.
QParam = Annotated[
    str | None,
    WithJsonSchema(
        {"anyOf": [{"type": "string", "maxLength": MAX_QUERY_LENGTH, "pattern": NO_NUL}, {"type": "null"}], "examples": ["NATO membership"]}
    ),
    Query(
        description='Full-text search over proposals, quotes and actors. Words are stemmed; "quote marks" search a phrase.',
        examples=["NATO membership"],
    ),
]


def checked_q(q: str | None) -> str | None:
    if q is not None and len(q) > MAX_QUERY_LENGTH:
        raise BadFilter(
            Text.ngettext(
                "%(parameter)s is %(length)s character long; the limit is %(limit)s.",
                "%(parameter)s is %(length)s characters long; the limit is %(limit)s.",
                len(q), parameter=Code("q"), length=len(q), limit=MAX_QUERY_LENGTH,
            ),
            parameter="q",
            value=q,
            allowed=[Text.ngettext("up to %(limit)s character", "up to %(limit)s characters", MAX_QUERY_LENGTH, limit=MAX_QUERY_LENGTH)],
        )
    return q


def position_text(value: Position | Basis | Side | str | None) -> str | None:
    return value.value if isinstance(value, Position | Basis | Side) else value


def page_filters(
    actor: ActorParam = None,
    position: PositionText = None,
    q: QParam = None,
    as_of: AsOfParam = None,
    basis: BasisText = None,
    side: SideText = None,
) -> ProposalFilters:
    """The filters of the pages and CSV exports: empty values mean any, bad ones raise BadFilter."""
    return ProposalFilters.parse(actor, position, checked_q(q), as_of, basis, side)


def api_filters(
    actor: ActorParam = None,
    position: PositionParam = None,
    q: QParam = None,
    as_of: AsOfParam = None,
    basis: BasisParam = None,
    side: SideParam = None,
) -> ProposalFilters:
    """The same filters for the JSON API, where OpenAPI lists the positions, bases and sides."""
    return ProposalFilters.parse(actor, position_text(position), checked_q(q), as_of, position_text(basis), position_text(side))


PageFilters = Annotated[ProposalFilters, Depends(page_filters)]
ApiFilters = Annotated[ProposalFilters, Depends(api_filters)]


def filter_params(filters: ProposalFilters) -> dict[str, str | None]:
    """The filters as the canonical query parameters of a shareable URL."""
    return {
        "side": filters.side.value if filters.side else None,
        "actor": filters.actor,
        "position": filters.position.value if filters.position else None,
        "basis": filters.basis.value if filters.basis else None,
        "q": filters.q,
        "as_of": filters.as_of.isoformat() if filters.as_of else None,
    }

# The language of the API's text fields (?lang=uk); app.translations replaces the English text.
LangParam = Annotated[
    Literal[LANGUAGES] | None,  # type: ignore[valid-type]
    Query(
        description="The language of the text fields: en (the default), uk (Ukrainian) or ru (Russian). The same field "
        "names, with the titles, summaries, names, roles, conditions, rationales and date notes translated. Quotes stay "
        "in English, as said; with uk or ru, `quote_translation` and `quote_translations` give our translation beside them.",
        examples=["uk"],
    ),
]


async def api_language(lang: LangParam = None) -> str:
    """Sets the request's language from ?lang= (async, so it is set in the request's own context,
    where the endpoint runs and its response is serialised). A bad value is a 422 naming the allowed ones."""
    locale = lang or DEFAULT_LOCALE
    set_request_locale(locale)
    return locale


# For an API operation's `dependencies`: the ?lang= parameter, documented in its schema.
API_LANG = Depends(api_language)
# An operation whose only checked parameter is ?lang= documents its 422 with this.
LANG_ERRORS: dict[int | str, dict[str, Any]] = {422: {"model": ErrorOut, "description": "lang is not one of en, uk, ru"}}

# The embeds' colour theme; "auto" follows the reader's system setting.
ThemeParam = Annotated[
    Literal["auto", "light", "dark"],
    Query(description="Colour theme of an embed: light, dark, or auto (the reader's system setting)."),
]
