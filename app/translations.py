"""How the records' text is shown in the request's language: the one place that decides it.

The translations (seeds/translations/<locale>.yaml, imported into the `translations` table) are read
once per data version and language into an `Overlay`: {(kind, slug): {column: text}}, plus each
reaction's translated quotes. It is kept per process (keyed by the database, its data version and
the language) and handed to each session once (`session.info`).

- Records loaded as ORM objects (Source, Actor, Proposal, Reaction, Event) get their translated
  text on load: a "load" event sets each translated column with `set_committed_value`, so nothing is
  ever dirty (the web sessions are read-only; nothing is flushed). English loads are untouched.
- Queries that select columns rather than objects ask `overlay_for(session).text(kind, slug,
  column, english)`.
- Quotes are never replaced: the English words stay, and `quote_translations(reaction)` (or
  `Overlay.quotes`) gives our translation beside them, [] in English.
- An actor named as the one who reports a stance (`reported_by`) takes the actor's translated name.
Where a language has no translation of a field (a data set without translations), the English stays.
"""

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, event, select
from sqlalchemy.orm import ORMExecuteState, QueryContext, Session, object_session
from sqlalchemy.orm.attributes import set_committed_value

from app.i18n import DEFAULT_LOCALE, current_locale
from app.models import Actor, DataVersion, Event, Proposal, Reaction, RecordKind, Source, Translation

# The models whose text is translated, and the record kind of each.
TRANSLATED_MODELS: dict[type, RecordKind] = {
    Source: RecordKind.source,
    Actor: RecordKind.actor,
    Proposal: RecordKind.proposal,
    Reaction: RecordKind.reaction,
    Event: RecordKind.event,
}
QUOTES = "quotes"


@dataclass(frozen=True)
class Overlay:
    """One language's text for one data version."""

    locale: str
    fields: dict[tuple[RecordKind, str], dict[str, str]] = field(default_factory=dict)
    quotes: dict[str, list[str]] = field(default_factory=dict)  # reaction slug -> translated quotes

    @property
    def translated(self) -> bool:
        """True when this language has any translation at all (else everything stays English)."""
        return bool(self.fields)

    def text(self, kind: RecordKind, slug: str, column: str, english: str) -> str:
        """The column's text in this language, or the English when there is none."""
        if not self.fields:
            return english
        return self.fields.get((kind, slug), {}).get(column, english)

    def quote_translations(self, reaction_slug: str) -> list[str]:
        return list(self.quotes.get(reaction_slug, []))


ENGLISH = Overlay(DEFAULT_LOCALE)
_MAX_ENTRIES = 16
_cache: OrderedDict[tuple[str, str, str], Overlay] = OrderedDict()
_lock = threading.Lock()


def _data_version(connection: Connection) -> str:
    # Core, not the ORM: this runs while an ORM statement is about to execute.
    latest = connection.execute(
        select(DataVersion.id, DataVersion.content_hash).order_by(DataVersion.id.desc()).limit(1)
    ).first()
    return f"{latest.id}-{latest.content_hash}" if latest else "none"


def read_overlay(connection: Connection, locale: str) -> Overlay:
    """One language's overlay, read now (the importer builds the search documents from it)."""
    fields: dict[tuple[RecordKind, str], dict[str, str]] = defaultdict(dict)
    quotes: dict[str, list[str]] = defaultdict(list)
    rows = connection.execute(
        select(Translation.record_kind, Translation.record_slug, Translation.field, Translation.text)
        .where(Translation.locale == locale)
        .order_by(Translation.record_kind, Translation.record_slug, Translation.field, Translation.position)
    )
    for kind, slug, column, text in rows:
        if column == QUOTES:
            quotes[slug].append(text)
        else:
            fields[(RecordKind(kind), slug)][column] = text
    if fields:
        # A stance reported by an actor in the data names that actor: in their name in this language.
        reporters = connection.execute(
            select(Reaction.slug, Actor.slug).join(Actor, Actor.id == Reaction.reported_by_actor_id)
        )
        for reaction_slug, actor_slug in reporters:
            name = fields.get((RecordKind.actor, actor_slug), {}).get("name")
            if name:
                fields[(RecordKind.reaction, reaction_slug)]["reported_by"] = name
    return Overlay(locale, dict(fields), dict(quotes))


def overlay_of(connection: Connection, locale: str) -> Overlay:
    """The overlay of this language for the data this connection reads (read once per data version)."""
    if locale == DEFAULT_LOCALE:
        return ENGLISH
    key = (str(connection.engine.url), _data_version(connection), locale)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    overlay = read_overlay(connection, locale)
    with _lock:
        _cache[key] = overlay
        while len(_cache) > _MAX_ENTRIES:
            _cache.popitem(last=False)
    return overlay


def overlay_for(session: Session, locale: str | None = None) -> Overlay:
    """The current language's overlay for what this session reads (English: no lookup at all)."""
    locale = locale or current_locale()
    if locale == DEFAULT_LOCALE:
        return ENGLISH
    key = ("translations", locale)
    overlay = session.info.get(key)
    if overlay is None:
        overlay = overlay_of(session.connection(), locale)
        session.info[key] = overlay
    return overlay


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def quote_translations(reaction: Reaction) -> list[str]:
    """Our translation of each of the reaction's quotes, in the current language; [] in English."""
    if current_locale() == DEFAULT_LOCALE:
        return []
    session = object_session(reaction)
    if session is None:
        return []
    return overlay_for(session).quote_translations(reaction.slug)


def translate(target: Any, overlay: Overlay, only: set[str] | None = None) -> None:
    """Set the translated columns of a loaded record, as if loaded so (nothing becomes dirty)."""
    kind = TRANSLATED_MODELS[type(target)]
    for column, text in overlay.fields.get((kind, target.slug), {}).items():
        if only is None or column in only:
            set_committed_value(target, column, text)


# --- the ORM events --------------------------------------------------------------------------------


@event.listens_for(Session, "do_orm_execute")
def _before_select(state: ORMExecuteState) -> None:
    # Read the overlay before the rows arrive, so the load events below only look it up.
    if state.is_select and current_locale() != DEFAULT_LOCALE:
        overlay_for(state.session)


def _on_load(target: Any, context: QueryContext) -> None:
    if current_locale() == DEFAULT_LOCALE:
        return
    overlay = overlay_for(context.session)
    if overlay.translated:
        translate(target, overlay)


def _on_refresh(target: Any, context: QueryContext, attrs: Any) -> None:
    if current_locale() == DEFAULT_LOCALE:
        return
    overlay = overlay_for(context.session)
    if overlay.translated:
        translate(target, overlay, set(attrs) if attrs is not None else None)


for _model in TRANSLATED_MODELS:
    event.listen(_model, "load", _on_load)
    event.listen(_model, "refresh", _on_refresh)
