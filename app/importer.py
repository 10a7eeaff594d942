"""Load validated seeds into the database in one transaction: all or nothing, idempotent, by slug."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from app.models import Actor, Correction, DataVersion, Event, Proposal, Reaction, RecordKind, Source
from app.search import rebuild_search_index
from app.seeds import DateRef, SeedSet, load_seed_set


@dataclass
class ImportResult:
    content_hash: str
    counts: dict[str, int]
    changed: bool


def _date_columns(prefix: str, ref: DateRef) -> dict[str, Any]:
    # Columns follow one pattern: stated_on, stated_on_precision, stated_on_note, stated_on_end.
    return {
        prefix: ref.start,
        f"{prefix}_precision": ref.precision,
        f"{prefix}_note": ref.note,
        f"{prefix}_end": ref.end,
    }


def _upsert(session: Session, model: type, wanted: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Insert or update the rows in `wanted` (slug -> column values); rows not in it stay for now."""
    existing = {row.slug: row for row in session.scalars(select(model))}
    for slug, values in wanted.items():
        row = existing.get(slug)
        if row is None:
            row = model(slug=slug, **values)
            session.add(row)
            existing[slug] = row
        else:
            for key, value in values.items():
                if getattr(row, key) != value:
                    setattr(row, key, value)
    session.flush()
    return existing


def _prune(session: Session, model: type, keep: dict[str, Any]) -> None:
    """Delete the rows whose slug the seeds no longer hold."""
    session.execute(delete(model).where(model.slug.not_in(list(keep))))


def _write_corrections(session: Session, seeds: SeedSet, proposals: dict[str, Any]) -> None:
    """The log has no slugs: it is replaced whole, in file order."""
    session.execute(delete(Correction))
    for index, (document, entry) in enumerate(seeds.corrections):
        proposal_slug = entry.proposal
        if entry.kind is RecordKind.proposal and entry.record in seeds.proposals:
            proposal_slug = entry.record
        elif entry.kind is RecordKind.reaction and entry.record in seeds.reactions:
            proposal_slug = seeds.reactions[entry.record].proposal
        session.add(
            Correction(
                corrected_on=entry.on,
                record_kind=entry.kind,
                record_slug=entry.record,
                change=entry.change,
                what_changed=entry.what_changed,
                why=entry.why,
                proposal_id=proposals[proposal_slug].id if proposal_slug else None,
                document=document,
                position_in_log=index,
            )
        )


def _write(session: Session, seeds: SeedSet) -> None:
    # Parents are written before the rows that point at them, and stale rows are deleted only
    # after every reference has been moved: children first (reactions, events), parents last.
    sources = _upsert(
        session,
        Source,
        {
            s.slug: {
                "title": s.title,
                "outlet": s.outlet,
                "kind": s.kind,
                "url": s.url,
                "document": seeds.source_document[s.slug],
                "date": s.published.start,
                "date_precision": s.published.precision,
                "date_note": s.published.note,
            }
            for s in seeds.sources.values()
        },
    )
    actors = _upsert(
        session,
        Actor,
        {
            a.slug: {
                "name": a.name,
                "kind": a.kind,
                "role": a.role,
                "affiliation": a.affiliation,
                "side": a.side,
                "description": a.description,
            }
            for a in seeds.actors.values()
        },
    )
    proposals = _upsert(
        session,
        Proposal,
        {
            p.slug: {
                "title": p.title,
                "summary": p.summary,
                "first_reported_source_id": sources[p.first_reported_by].id,
                "position_in_list": index,
                "first_reported_on": p.first_reported.start,
                "first_reported_precision": p.first_reported.precision,
                "first_reported_note": p.first_reported.note,
            }
            for index, p in enumerate(seeds.proposals.values())
        },
    )
    _upsert(
        session,
        Reaction,
        {
            r.slug: {
                "proposal_id": proposals[r.proposal].id,
                "actor_id": actors[r.actor].id,
                "position": r.position,
                "proposer": r.proposer,
                "basis": r.basis,
                "rationale": r.rationale,
                "quote": r.quote,
                "summary": r.summary,
                "condition": r.condition,
                "evidence": r.evidence,
                "source_id": sources[r.source].id,
                **_date_columns("stated_on", r.stated_on),
            }
            for r in seeds.reactions.values()
        },
    )
    events = _upsert(
        session,
        Event,
        {
            e.slug: {
                "title": e.title,
                "summary": e.summary,
                "source_id": sources[e.source].id,
                **_date_columns("occurred_on", e.occurred_on),
            }
            for e in seeds.events.values()
        },
    )
    for slug, event in events.items():
        if slug not in seeds.events:
            continue
        wanted_actors = [actors[a] for a in seeds.events[slug].actors]
        if {a.id for a in event.actors} != {a.id for a in wanted_actors}:
            event.actors = wanted_actors
    session.flush()
    _write_corrections(session, seeds, proposals)
    for model, keep in (
        (Reaction, seeds.reactions),
        (Event, seeds.events),
        (Proposal, seeds.proposals),
        (Actor, seeds.actors),
        (Source, seeds.sources),
    ):
        _prune(session, model, keep)
    session.flush()


def import_seeds(engine: Engine, paths: list[Path], *, now: dt.datetime | None = None) -> ImportResult:
    """Validate every seed file, then replace the database's data with them in one transaction."""
    seeds = load_seed_set(paths)  # raises SeedValidationError before anything is written
    with Session(engine) as session, session.begin():
        _write(session, seeds)
        rebuild_search_index(session)
        latest = session.scalars(select(DataVersion).order_by(DataVersion.id.desc()).limit(1)).first()
        changed = latest is None or latest.content_hash != seeds.content_hash
        if changed:
            session.add(
                DataVersion(
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
    return ImportResult(content_hash=seeds.content_hash, counts=counts, changed=changed)
