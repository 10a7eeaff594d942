"""Exports that respect the current filter: proposals and reactions as CSV rows."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Actor, Proposal, Reaction, RecordKind, Source
from app.queries.proposals import (
    ProposalFilters,
    matching_proposal_ids,
    proposal_url,
    reaction_briefs,
    chosen_reactions,
    filter_actor_id,
    reaction_url,
    search_matches,
    stance_of,
)
from app.errors import BadFilter
from app.translations import overlay_for
from app.schemas import ActorRef, StanceActor
from app.vocabulary import EVIDENCE_LABELS, date_label

PROPOSAL_COLUMNS = ["slug", "title", "summary", "url", "proposed_by", "supports", "conditional", "rejects"]
REACTION_COLUMNS = [
    "proposal_slug",
    "proposal_title",
    "actor_slug",
    "actor_name",
    "position",
    "proposer",
    "basis",
    "reported_by",
    "rationale",
    "quote",
    "quotes",
    "condition",
    "summary",
    "date",
    "date_precision",
    "date_label",
    "evidence",
    "source_title",
    "source_outlet",
    "source_kind",
    "url",
]
_FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_LEADING_BLANKS = " \t\r\n\u3000"


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A cell starting like a formula would run in a spreadsheet; a leading apostrophe keeps it text.
    looks_like_formula = text.startswith(("\t", "\r")) or text.lstrip(_LEADING_BLANKS).startswith(_FORMULA_STARTS)
    return "'" + text if looks_like_formula else text


def csv_lines(header: list[str], rows: Iterable[list[object]], batch: int = 500) -> Iterator[bytes]:
    """CSV as UTF-8 chunks of `batch` rows: a response can stream them in constant memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    # The byte-order mark makes spreadsheet programs read the file as UTF-8.
    buffer.write("\ufeff")
    writer.writerow(header)
    for index, row in enumerate(rows, 1):
        writer.writerow([_cell(v) for v in row])
        if index % batch == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def to_csv(header: list[str], rows: Iterable[list[object]]) -> str:
    return b"".join(csv_lines(header, rows)).decode("utf-8")


# Rows per round trip when streaming: the database cursor is read this many rows at a time.
STREAM_BATCH = 1000
PROPOSALS_PER_BATCH = 50


def proposal_rows(session: Session, filters: ProposalFilters, base_url: str) -> Iterator[list[object]]:
    """Every proposal the filters give (not one page), one row each, read in batches."""
    actor_id = filter_actor_id(session, filters)
    search = search_matches(session, filters.q, filters)[0]
    matching = matching_proposal_ids(filters, actor_id, search)
    query = (
        select(Proposal.id, Proposal.slug, Proposal.title, Proposal.summary)
        .where(Proposal.id.in_(matching))
        .order_by(Proposal.position_in_list, Proposal.slug)
    )

    def names(actors: list[ActorRef]) -> str:
        # An inferred or reported stance says so in the cell, as on every other surface.
        return "; ".join(a.label if isinstance(a, StanceActor) else a.name for a in actors)

    def rows() -> Iterator[list[object]]:
        tr = overlay_for(session).text  # the text in the request's language
        for batch in _batched(session.execute(query.execution_options(yield_per=STREAM_BATCH))):
            briefs = reaction_briefs(session, [row.id for row in batch], filters)
            for proposal_id, slug, title, summary in batch:
                reactions = briefs.get(proposal_id, [])
                stance = stance_of(reactions)
                proposers = list({r.actor: ActorRef(slug=r.actor, name=r.actor_name) for r in reactions if r.proposer}.values())
                yield [
                    slug,
                    tr(RecordKind.proposal, slug, "title", title),
                    tr(RecordKind.proposal, slug, "summary", summary),
                    base_url + proposal_url(slug),
                    names(proposers),
                    names(stance.supports),
                    names(stance.conditional),
                    names(stance.rejects),
                ]

    return rows()


def _batched(result: Iterable[Any], size: int = STREAM_BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in result:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def reaction_rows(
    session: Session, filters: ProposalFilters, base_url: str, proposal: str | None = None
) -> Iterator[list[object]]:
    """One row per reaction on the filtered proposals; `actor`, `side` and `position` narrow the reactions too.

    Filters are checked now (a bad one raises BadFilter before anything is sent); the rows come
    from one server-side query read STREAM_BATCH rows at a time, only the columns the CSV has."""
    actor_id = filter_actor_id(session, filters)
    search = search_matches(session, filters.q, filters)[0]
    query = (
        select(
            Proposal.slug,
            Proposal.title,
            Actor.slug,
            Actor.name,
            Reaction.position,
            Reaction.proposer,
            Reaction.basis,
            Reaction.reported_by,
            Reaction.rationale,
            Reaction.quote,
            Reaction.quotes,
            Reaction.condition,
            Reaction.summary,
            Reaction.stated_on,
            Reaction.stated_on_precision,
            Reaction.stated_on_note,
            Reaction.evidence,
            Source.title,
            Source.outlet,
            Source.kind,
            Reaction.slug,
            Source.slug,
        )
        .join(Proposal, Proposal.id == Reaction.proposal_id)
        .join(Actor, Actor.id == Reaction.actor_id)
        .join(Source, Source.id == Reaction.source_id)
        .where(filters.shown)
        .order_by(Proposal.position_in_list, Proposal.slug, Reaction.stated_on.is_(None), Reaction.stated_on, Actor.name, Reaction.slug)
    )
    if proposal:
        found = session.scalar(select(Proposal.id).where(Proposal.slug == proposal))
        if found is None:
            raise BadFilter.unknown("proposal", proposal, "proposal", list(session.scalars(select(Proposal.slug))))
        query = query.where(Reaction.proposal_id == found)
    # The proposals in order (a few thousand ids at most); their reactions follow in batches of
    # proposals, each sorted on its own, so the first rows go out at once instead of after a sort of all.
    proposal_ids = list(
        session.scalars(
            select(Proposal.id)
            .where(Proposal.id.in_(matching_proposal_ids(filters, actor_id, search)))
            .order_by(Proposal.position_in_list, Proposal.slug)
        )
    )
    if proposal:
        proposal_ids = [id_ for id_ in proposal_ids if id_ == found]
    query = chosen_reactions(query, filters, actor_id)

    def batches() -> Iterator[Any]:
        for start in range(0, len(proposal_ids), PROPOSALS_PER_BATCH):
            ids = proposal_ids[start : start + PROPOSALS_PER_BATCH]
            yield from session.execute(query.where(Reaction.proposal_id.in_(ids)).execution_options(yield_per=STREAM_BATCH))

    def rows() -> Iterator[list[object]]:
        # The text in the request's language; the quotes stay in English (the pages show the translation).
        tr = overlay_for(session).text
        for (
            proposal_slug, proposal_title, actor_slug, actor_name, position, proposer, basis, reported_by, rationale, quote, quotes,
            condition, summary,
            stated_on, precision, note, evidence, source_title, source_outlet, source_kind, slug, source_slug,
        ) in batches():
            yield [
                proposal_slug,
                tr(RecordKind.proposal, proposal_slug, "title", proposal_title),
                actor_slug,
                tr(RecordKind.actor, actor_slug, "name", actor_name),
                position.value,
                "yes" if proposer else "no",
                basis.value,
                tr(RecordKind.reaction, slug, "reported_by", reported_by),
                tr(RecordKind.reaction, slug, "rationale", rationale),
                quote,
                # Every quote of the statement, one a line.
                "\n".join(quotes),
                tr(RecordKind.reaction, slug, "condition", condition),
                tr(RecordKind.reaction, slug, "summary", summary),
                stated_on.isoformat() if stated_on else "",
                precision.value,
                date_label(stated_on, precision, tr(RecordKind.reaction, slug, "stated_on_note", note)),
                EVIDENCE_LABELS[evidence],
                tr(RecordKind.source, source_slug, "title", source_title),
                tr(RecordKind.source, source_slug, "outlet", source_outlet),
                tr(RecordKind.source, source_slug, "kind", source_kind),
                base_url + reaction_url(proposal_slug, slug),
            ]

    return rows()
