"""Sources: each one the data cites, with what it backs (first reports, reactions, events)."""

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import Event, Proposal, Reaction, Source
from app.queries.feeds import event_url
from app.queries.proposals import proposal_url, reaction_title, reaction_url, source_out
from app.schemas import ActorRef, DateOut, EventRef, ProposalRef, SourceDetail, SourceList, SourceOut, SourceReaction


def source_anchor(slug: str) -> str:
    return f"source-{slug}"


def list_sources(session: Session) -> SourceList:
    """Every source, oldest first (undated last); the same few statements whatever the number of sources."""
    sources = list(session.scalars(select(Source)))
    first_reported: dict[int, list[ProposalRef]] = defaultdict(list)
    for proposal in session.scalars(select(Proposal).order_by(Proposal.position_in_list, Proposal.slug)):
        first_reported[proposal.first_reported_source_id].append(
            ProposalRef(slug=proposal.slug, title=proposal.title, url=proposal_url(proposal.slug))
        )
    reactions: dict[int, list[Reaction]] = defaultdict(list)
    for reaction in session.scalars(
        select(Reaction).options(selectinload(Reaction.actor), selectinload(Reaction.proposal))
    ):
        reactions[reaction.source_id].append(reaction)
    events: dict[int, list[Event]] = defaultdict(list)
    for event in session.scalars(select(Event)):
        events[event.source_id].append(event)

    items = []
    for source in sources:
        backed = sorted(
            reactions[source.id],
            key=lambda r: (r.proposal.position_in_list, r.stated_on is None, r.stated_on or 0, r.actor.name, r.slug),
        )
        items.append(
            SourceDetail(
                **source_out(source).model_dump(),
                anchor=source_anchor(source.slug),
                document=source.document,
                is_document=source.slug == source.document,
                first_reported=first_reported[source.id],
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
                        stated_on=DateOut.of(r.stated_on, r.stated_on_precision, r.stated_on_note),
                    )
                    for r in backed
                ],
                events=[
                    EventRef(
                        slug=e.slug,
                        title=e.title,
                        url=event_url(e.slug),
                        occurred_on=DateOut.of(e.occurred_on, e.occurred_on_precision, e.occurred_on_note),
                    )
                    for e in sorted(events[source.id], key=lambda e: (e.occurred_on is None, e.occurred_on or 0, e.slug))
                ],
            )
        )
    items.sort(key=lambda s: (s.date.date is None, s.date.date or 0, s.title))
    return SourceList(items=items, count=len(items))


def curated_documents(session: Session) -> list[SourceOut]:
    """The articles the seed files curate (each source whose slug is its own document)."""
    documents = session.scalars(select(Source).where(Source.slug == Source.document).order_by(Source.date, Source.slug))
    return [source_out(source) for source in documents]
