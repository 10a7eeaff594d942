"""Sources: each one the data cites, with what it backs (first reports, reactions, events)."""

from collections import defaultdict

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session, joinedload

from app.models import Event, Proposal, Reaction, Source
from app.paging import Window, check_in_range
from app.queries.feeds import event_url
from app.queries.proposals import proposal_url, reaction_title, reaction_url, source_out
from app.schemas import ActorRef, DateOut, EventRef, ProposalRef, SourceDetail, SourceList, SourceOut, SourceReaction


def source_anchor(slug: str) -> str:
    return f"source-{slug}"


SAMPLE = 12  # backing items listed under each source; the rest are counted


def _first_per_source(session: Session, id_column, source_column, order, source_ids: list[int]) -> dict[int, list[int]]:
    """The first SAMPLE ids per source, in one statement: a UNION ALL of small indexed LIMIT queries."""
    if not source_ids:
        return {}
    pieces = []
    for source_id in source_ids:
        piece = select(source_column.label("source_id"), id_column.label("id")).where(source_column == source_id).order_by(*order).limit(SAMPLE).subquery()
        pieces.append(select(*piece.c))
    found: dict[int, list[int]] = defaultdict(list)
    for source_id, id_ in session.execute(union_all(*pieces)):
        found[source_id].append(id_)
    return found


def _counts(session: Session, source_column, source_ids: list[int]) -> dict[int, int]:
    return dict(session.execute(select(source_column, func.count()).where(source_column.in_(source_ids)).group_by(source_column)).all())


def list_sources(session: Session, window: Window = Window()) -> SourceList:
    """One page of the sources, oldest first (undated last); under each, the first few things it backs
    and how many there are in all. The same few statements whatever the size of the data."""
    count = session.scalar(select(func.count(Source.id))) or 0
    check_in_range(window, count)
    sources = session.scalars(
        select(Source).order_by(Source.date.is_(None), Source.date, Source.title, Source.slug).offset(window.offset).limit(window.limit)
    ).all()
    ids = [source.id for source in sources]
    reaction_counts = _counts(session, Reaction.source_id, ids)
    event_counts = _counts(session, Event.source_id, ids)
    proposal_counts = _counts(session, Proposal.first_reported_source_id, ids)
    sample_reactions = _first_per_source(session, Reaction.id, Reaction.source_id, [Reaction.id], ids)
    sample_events = _first_per_source(session, Event.id, Event.source_id, [Event.id], ids)
    sample_proposals = _first_per_source(
        session, Proposal.id, Proposal.first_reported_source_id, [Proposal.position_in_list, Proposal.slug], ids
    )
    reactions = {
        r.id: r
        for r in session.scalars(
            select(Reaction)
            .where(Reaction.id.in_([i for found in sample_reactions.values() for i in found]))
            .options(joinedload(Reaction.actor), joinedload(Reaction.proposal))
        )
    }
    events = {e.id: e for e in session.scalars(select(Event).where(Event.id.in_([i for f in sample_events.values() for i in f])))}
    proposals = {p.id: p for p in session.scalars(select(Proposal).where(Proposal.id.in_([i for f in sample_proposals.values() for i in f])))}

    items = []
    for source in sources:
        backed = sorted(
            (reactions[i] for i in sample_reactions.get(source.id, [])),
            key=lambda r: (r.proposal.position_in_list, r.stated_on is None, r.stated_on or 0, r.actor.name, r.slug),
        )
        items.append(
            SourceDetail(
                **source_out(source).model_dump(),
                anchor=source_anchor(source.slug),
                document=source.document,
                is_document=source.slug == source.document,
                first_reported=[
                    ProposalRef(slug=p.slug, title=p.title, url=proposal_url(p.slug))
                    for p in (proposals[i] for i in sample_proposals.get(source.id, []))
                ],
                first_reported_count=proposal_counts.get(source.id, 0),
                reactions=[
                    SourceReaction(
                        slug=r.slug,
                        title=reaction_title(r),
                        url=reaction_url(r.proposal.slug, r.slug),
                        actor=ActorRef(slug=r.actor.slug, name=r.actor.name),
                        proposal=ProposalRef(slug=r.proposal.slug, title=r.proposal.title, url=proposal_url(r.proposal.slug)),
                        position=r.position,
                        proposer=r.proposer,
                        basis=r.basis,
                        reported_by=r.reported_by,
                        stated_on=DateOut.of(r.stated_on, r.stated_on_precision, r.stated_on_note),
                    )
                    for r in backed
                ],
                reaction_count=reaction_counts.get(source.id, 0),
                events=[
                    EventRef(
                        slug=e.slug,
                        title=e.title,
                        url=event_url(e.slug),
                        occurred_on=DateOut.of(e.occurred_on, e.occurred_on_precision, e.occurred_on_note),
                    )
                    for e in sorted(
                        (events[i] for i in sample_events.get(source.id, [])),
                        key=lambda e: (e.occurred_on is None, e.occurred_on or 0, e.slug),
                    )
                ],
                event_count=event_counts.get(source.id, 0),
            )
        )
    return SourceList(items=items, count=count)


def curated_documents(session: Session) -> list[SourceOut]:
    """The articles the seed files curate (each source whose slug is its own document)."""
    documents = session.scalars(select(Source).where(Source.slug == Source.document).order_by(Source.date, Source.slug))
    return [source_out(source) for source in documents]
