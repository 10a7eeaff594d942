"""Exports that respect the current filter: proposals and reactions as CSV rows."""

import csv
import io
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import Position, Proposal, Reaction
from app.queries.proposals import ProposalFilters, list_proposals, reaction_url, resolve_actor
from app.errors import BadFilter
from app.schemas import EVIDENCE_LABELS, date_label

PROPOSAL_COLUMNS = ["slug", "title", "summary", "url", "proposed_by", "supports", "conditional", "rejects"]
REACTION_COLUMNS = [
    "proposal_slug",
    "proposal_title",
    "actor_slug",
    "actor_name",
    "position",
    "proposer",
    "basis",
    "rationale",
    "quote",
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
# Spreadsheets read the full-width forms (＝ U+FF1D and friends) as formula starts too, and skip
# leading spaces and tabs before one.
_FORMULA_STARTS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_LEADING_BLANKS = " \t\r\n\u3000"


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A cell starting like a formula would run in a spreadsheet; a leading apostrophe keeps it text.
    looks_like_formula = text.startswith(("\t", "\r")) or text.lstrip(_LEADING_BLANKS).startswith(_FORMULA_STARTS)
    return "'" + text if looks_like_formula else text


def to_csv(header: list[str], rows: Iterable[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    # The byte-order mark makes spreadsheet programs read the file as UTF-8.
    return "\ufeff" + buffer.getvalue()


def proposal_rows(session: Session, filters: ProposalFilters, base_url: str) -> list[list[object]]:
    data = list_proposals(session, filters)
    # An inferred stance says so in the cell, as on every other surface.
    names = lambda actors: "; ".join(a.name + (" (inferred)" if getattr(a, "inferred", False) else "") for a in actors)  # noqa: E731
    return [
        [
            p.slug,
            p.title,
            p.summary,
            base_url + p.url,
            names(p.proposers),
            names(p.stance.supports),
            names(p.stance.conditional),
            names(p.stance.rejects),
        ]
        for p in data.items
    ]


def reaction_rows(
    session: Session, filters: ProposalFilters, base_url: str, proposal: str | None = None
) -> list[list[object]]:
    """One row per reaction on the filtered proposals; `actor` and `position` narrow the reactions too."""
    slugs = [item.slug for item in list_proposals(session, filters).items]
    query = (
        select(Reaction)
        .join(Proposal, Proposal.id == Reaction.proposal_id)
        .where(Proposal.slug.in_(slugs), filters.shown)
        .options(selectinload(Reaction.actor), selectinload(Reaction.proposal), selectinload(Reaction.source))
    )
    if proposal:
        found = session.scalars(select(Proposal.id).where(Proposal.slug == proposal)).first()
        if found is None:
            raise BadFilter.unknown("proposal", proposal, "proposal", list(session.scalars(select(Proposal.slug))))
        query = query.where(Reaction.proposal_id == found)
    if filters.actor:
        query = query.where(Reaction.actor_id == resolve_actor(session, filters.actor).id)
    if filters.position is Position.supports:
        query = query.where((Reaction.position == Position.supports) | Reaction.proposer.is_(True))
    elif filters.position is not None:
        query = query.where(Reaction.position == filters.position)
    reactions = sorted(
        session.scalars(query),
        key=lambda r: (r.proposal.position_in_list, r.stated_on is None, r.stated_on or 0, r.actor.name, r.slug),
    )
    return [
        [
            r.proposal.slug,
            r.proposal.title,
            r.actor.slug,
            r.actor.name,
            r.position.value,
            "yes" if r.proposer else "no",
            r.basis.value,
            r.rationale,
            r.quote,
            r.condition,
            r.summary,
            r.stated_on.isoformat() if r.stated_on else "",
            r.stated_on_precision.value,
            date_label(r.stated_on, r.stated_on_precision, r.stated_on_note),
            EVIDENCE_LABELS[r.evidence],
            r.source.title,
            r.source.outlet,
            r.source.kind,
            base_url + reaction_url(r.proposal.slug, r.slug),
        ]
        for r in reactions
    ]
