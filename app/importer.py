"""Load validated seeds into the database in one transaction: all or nothing, idempotent, by slug.

Rows go in as bulk Core statements (executemany), never one ORM object per row, so 200k reactions
import in seconds and in bounded memory. An unchanged seed set (same content hash as the live data
version) is not imported again at all.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Engine, Integer, MetaData, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from app.models import Actor, Correction, DataVersion, Event, Proposal, Reaction, RecordKind, Source, Translation, event_actor
from app import derived
from app.search import rebuild_search_index
from app.seeds import DateRef, SeedSet, load_seed_set, seed_set_hash

# Rows per executemany batch: big enough to be fast, small enough to keep memory flat.
BATCH = 2000


@dataclass
class ImportResult:
    content_hash: str
    counts: dict[str, int]
    changed: bool
    # The same seeds, imported again to fill a derived table a migration added (app.derived.missing).
    refilled: bool = False


@dataclass
class Upserted:
    ids: dict[str, int]  # slug -> id of every row the seeds hold
    stale: list[int] = field(default_factory=list)  # ids of rows the seeds no longer hold


def _date_columns(prefix: str, ref: DateRef) -> dict[str, Any]:
    # Columns follow one pattern: stated_on, stated_on_precision, stated_on_note, stated_on_end.
    return {
        prefix: ref.start,
        f"{prefix}_precision": ref.precision,
        f"{prefix}_note": ref.note,
        f"{prefix}_end": ref.end,
    }


def _batches(rows: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _upsert(session: Session, model: type, wanted: Iterable[tuple[str, dict[str, Any]]]) -> Upserted:
    """Insert or update, by slug, the rows in `wanted` ((slug, column values) pairs), in batches.

    Rows not in it stay for now (see _prune), so references can move before their target goes.
    """
    table = model.__table__
    rows = iter(wanted)
    first = next(rows, None)
    existing_ids = dict(session.execute(select(table.c.slug, table.c.id)).all())
    if first is None:
        return Upserted(ids={}, stale=list(existing_ids.values()))
    columns = list(first[1])
    # The stored values, to update only what changed (a re-import of the same seeds writes nothing).
    stored = {
        slug: tuple(values)
        for slug, *values in session.execute(select(table.c.slug, *(table.c[c] for c in columns)))
    }
    update_by_id = update(table).where(table.c.id == bindparam("row_id"))
    seen: set[str] = set()
    for batch in _batches(chain([first], rows)):
        inserts, updates = [], []
        for slug, values in batch:
            seen.add(slug)
            if slug not in existing_ids:
                inserts.append({"slug": slug, **values})
            elif stored[slug] != tuple(values[c] for c in columns):
                updates.append({"row_id": existing_ids[slug], **values})
        if inserts:
            session.execute(insert(table), inserts)
        if updates:
            session.execute(update_by_id, updates)
    ids = {slug: id_ for slug, id_ in session.execute(select(table.c.slug, table.c.id)) if slug in seen}
    return Upserted(ids=ids, stale=[id_ for slug, id_ in existing_ids.items() if slug not in seen])


def _prune(session: Session, model: type, stale: list[int]) -> None:
    """Delete the rows the seeds no longer hold, through a temporary table of their ids.

    One bound parameter per row would break past SQLite's 32,766 variables or PostgreSQL's 65,535.
    """
    if not stale:
        return
    connection = session.connection()
    doomed = Table("import_stale_ids", MetaData(), Column("id", Integer, primary_key=True), prefixes=["TEMPORARY"])
    doomed.create(connection)
    try:
        for batch in _batches(stale):
            connection.execute(insert(doomed), [{"id": id_} for id_ in batch])
        table = model.__table__
        connection.execute(delete(table).where(table.c.id.in_(select(doomed.c.id))))
    finally:
        doomed.drop(connection)


def _event_actors(session: Session, seeds: SeedSet, events: dict[str, int], actors: dict[str, int]) -> None:
    """Make the event-actor links exactly the seeds' ones, adding and removing only the differences."""
    wanted = {(events[e.slug], actors[a]) for e in seeds.events.values() for a in e.actors}
    existing = {tuple(row) for row in session.execute(select(event_actor.c.event_id, event_actor.c.actor_id))}
    added = [{"event_id": e, "actor_id": a} for e, a in sorted(wanted - existing)]
    removed = [{"e": e, "a": a} for e, a in sorted(existing - wanted)]
    if removed:
        session.execute(
            delete(event_actor).where(event_actor.c.event_id == bindparam("e"), event_actor.c.actor_id == bindparam("a")),
            removed,
        )
    if added:
        session.execute(insert(event_actor), added)


def _write_corrections(session: Session, seeds: SeedSet, proposal_ids: dict[str, int]) -> None:
    """The log has no slugs: it is replaced whole, in file order."""
    session.execute(delete(Correction))
    rows = []
    # A removed reaction's earlier entries show on the proposal its removal names.
    removed_from = {entry.record: entry.proposal for _, entry in seeds.corrections if entry.kind is RecordKind.reaction and entry.proposal}
    for index, (document, entry) in enumerate(seeds.corrections):
        proposal_slug = entry.proposal or (removed_from.get(entry.record) if entry.kind is RecordKind.reaction else None)
        if entry.kind is RecordKind.proposal and entry.record in seeds.proposals:
            proposal_slug = entry.record
        elif entry.kind is RecordKind.reaction and entry.record in seeds.reactions:
            proposal_slug = seeds.reactions[entry.record].proposal
        rows.append(
            {
                "corrected_on": entry.on,
                "record_kind": entry.kind,
                "record_slug": entry.record,
                "change": entry.change,
                "what_changed": entry.what_changed,
                "why": entry.why,
                "proposal_id": proposal_ids[proposal_slug] if proposal_slug else None,
                "document": document,
                "position_in_log": index,
            }
        )
    if rows:
        session.execute(insert(Correction), rows)

def _write_translations(session: Session, seeds: SeedSet) -> None:
    """Make the translations table exactly the seeds' translations, writing only the differences
    (a re-import of the same files writes nothing)."""
    table = Translation.__table__
    wanted = {(t.locale, t.kind, t.slug, t.field, t.position): t.text for t in seeds.translations}
    stored = {
        (locale, kind, slug, field_, position): (id_, text_)
        for id_, locale, kind, slug, field_, position, text_ in session.execute(
            select(table.c.id, table.c.locale, table.c.record_kind, table.c.record_slug, table.c.field, table.c.position, table.c.text)
        )
    }
    _prune(session, Translation, [id_ for key, (id_, _) in stored.items() if key not in wanted])
    changed = [{"row_id": stored[key][0], "new_text": text_} for key, text_ in wanted.items() if key in stored and stored[key][1] != text_]
    if changed:
        session.execute(update(table).where(table.c.id == bindparam("row_id")).values(text=bindparam("new_text")), changed)
    added = [
        {"locale": locale, "record_kind": kind, "record_slug": slug, "field": field_, "position": position, "text": text_}
        for (locale, kind, slug, field_, position), text_ in wanted.items()
        if (locale, kind, slug, field_, position) not in stored
    ]
    for batch in _batches(added):
        session.execute(insert(table), batch)


def _reported_by_columns(seeds: SeedSet, reported_by: str, actor_ids: dict[str, int]) -> dict[str, Any]:
    """Who reports a position, as a reader sees it: an actor slug becomes that actor's name (and id)."""
    actor = seeds.actors.get(reported_by)
    if actor is None:
        return {"reported_by": reported_by, "reported_by_actor_id": None}
    return {"reported_by": actor.name, "reported_by_actor_id": actor_ids[actor.slug]}


def _write(session: Session, seeds: SeedSet) -> None:
    # Parents are written before the rows that point at them, and stale rows are deleted only
    # after every reference has been moved: children first (reactions, events), parents last.
    sources = _upsert(
        session,
        Source,
        (
            (
                s.slug,
                {
                    "title": s.title,
                    "outlet": s.outlet,
                    "kind": s.kind,
                    "url": s.url,
                    "document": seeds.source_document[s.slug],
                    "date": s.published.start,
                    "date_precision": s.published.precision,
                    "date_note": s.published.note,
                },
            )
            for s in seeds.sources.values()
        ),
    )
    actors = _upsert(
        session,
        Actor,
        (
            (
                a.slug,
                {
                    "name": a.name,
                    "kind": a.kind,
                    "role": a.role,
                    "affiliation": a.affiliation,
                    "side": a.side,
                    "description": a.description,
                },
            )
            for a in seeds.actors.values()
        ),
    )
    proposals = _upsert(
        session,
        Proposal,
        (
            (
                p.slug,
                {
                    "title": p.title,
                    "summary": p.summary,
                    "first_reported_source_id": sources.ids[p.first_reported_by],
                    "position_in_list": index,
                    "proposer_unknown": p.proposer_unknown,
                    "first_reported_on": p.first_reported.start,
                    "first_reported_precision": p.first_reported.precision,
                    "first_reported_note": p.first_reported.note,
                    "places": list(p.places),
                },
            )
            for index, p in enumerate(seeds.proposals.values())
        ),
    )
    reactions = _upsert(
        session,
        Reaction,
        (
            (
                r.slug,
                {
                    "proposal_id": proposals.ids[r.proposal],
                    "actor_id": actors.ids[r.actor],
                    "position": r.position,
                    "proposer": r.proposer,
                    "basis": r.basis,
                    "rationale": r.rationale,
                    **_reported_by_columns(seeds, r.reported_by, actors.ids),
                    "quote": (r.all_quotes or [""])[0],
                    "quotes": r.all_quotes,
                    "summary": r.summary,
                    "condition": r.condition,
                    "evidence": r.evidence,
                    "source_id": sources.ids[r.source],
                    **_date_columns("stated_on", r.stated_on),
                },
            )
            for r in seeds.reactions.values()
        ),
    )
    events = _upsert(
        session,
        Event,
        (
            (
                e.slug,
                {
                    "title": e.title,
                    "summary": e.summary,
                    "source_id": sources.ids[e.source],
                    "places": list(e.places),
                    **_date_columns("occurred_on", e.occurred_on),
                },
            )
            for e in seeds.events.values()
        ),
    )
    _event_actors(session, seeds, events.ids, actors.ids)
    _write_corrections(session, seeds, proposals.ids)
    _write_translations(session, seeds)
    for model, upserted in (
        (Reaction, reactions),
        (Event, events),
        (Proposal, proposals),
        (Actor, actors),
        (Source, sources),
    ):
        _prune(session, model, upserted.stale)


def live_content_hash(session: Session) -> str | None:
    return session.scalar(select(DataVersion.content_hash).order_by(DataVersion.id.desc()).limit(1))


def _stored_counts(session: Session) -> dict[str, int]:
    models = {"sources": Source, "actors": Actor, "proposals": Proposal, "reactions": Reaction, "events": Event}
    return {name: session.scalar(select(func.count()).select_from(model)) or 0 for name, model in models.items()}


def already_imported(engine: Engine, paths: list[Path]) -> ImportResult | None:
    """The live data's result when the seeds' content hash is its data version, else None.

    Hashing the files takes milliseconds, parsing them seconds, and writing a copy (SQLite's
    build-aside import) more: an unchanged seed set is answered without any of that."""
    content_hash = seed_set_hash(paths)  # the seed files and their translations
    if content_hash is None:
        return None
    with Session(engine) as session:
        # Unless a migration has added a derived table since: the same seeds then fill it.
        if live_content_hash(session) == content_hash and not derived.missing(session):
            return ImportResult(content_hash=content_hash, counts=_stored_counts(session), changed=False)
    return None


def import_seeds(
    engine: Engine, paths: list[Path], *, now: dt.datetime | None = None, force: bool = False
) -> ImportResult:
    """Validate every seed file, then replace the database's data with them in one transaction.

    When the seeds' content hash is the live data version, nothing is parsed or written
    (unless `force`): hashing the files takes milliseconds, parsing them seconds.
    """
    if not force and (unchanged := already_imported(engine, paths)) is not None:
        return unchanged
    seeds = load_seed_set(paths)  # raises SeedValidationError before anything is written
    with Session(engine) as session, session.begin():
        refilled = derived.missing(session)
        _write(session, seeds)
        rebuild_search_index(session)
        derived.build(session)  # in the same transaction: it can never describe other rows
        changed = live_content_hash(session) != seeds.content_hash
        if changed:
            session.execute(
                insert(DataVersion).values(
                    content_hash=seeds.content_hash,
                    imported_at=now or dt.datetime.now(dt.UTC),
                    files=", ".join(p.name for p in seeds.files),
                )
            )
    counts = {
        "sources": len(seeds.sources),
        "actors": len(seeds.actors),
        "proposals": len(seeds.proposals),
        "reactions": len(seeds.reactions),
        "events": len(seeds.events),
    }
    return ImportResult(content_hash=seeds.content_hash, counts=counts, changed=changed, refilled=refilled and not changed)
