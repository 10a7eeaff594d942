"""The timeline: events and reactions in date order; undated ones kept apart, never guessed into place."""

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.errors import BadFilter
from app.models import Actor, Event, Precision, Proposal, Reaction
from app.queries.proposals import actor_url, proposal_url, reaction_title, reaction_url, source_out
from app.schemas import (
    ActorLink,
    DateOut,
    FacetOption,
    ProposalRef,
    Timeline,
    TimelineFilters,
    TimelineItem,
    TimelineMonth,
)


def _actor_link(actor: Actor) -> ActorLink:
    return ActorLink(slug=actor.slug, name=actor.name, url=actor_url(actor.slug))


def _check_slug(value: str | None, parameter: str, known: dict[str, str]) -> None:
    if value is not None and value not in known:
        raise BadFilter.unknown(parameter, value, parameter, list(known))


def build_timeline(session: Session, actor: str | None = None, proposal: str | None = None) -> Timeline:
    actor = (actor or "").strip() or None
    proposal = (proposal or "").strip() or None
    actors = {a.slug: a.name for a in session.scalars(select(Actor).order_by(Actor.name))}
    proposals = {p.slug: p.title for p in session.scalars(select(Proposal).order_by(Proposal.position_in_list))}
    _check_slug(actor, "actor", actors)
    _check_slug(proposal, "proposal", proposals)

    reactions = session.scalars(
        select(Reaction).options(
            selectinload(Reaction.actor), selectinload(Reaction.proposal), selectinload(Reaction.source)
        )
    ).all()
    events = session.scalars(select(Event).options(selectinload(Event.actors), selectinload(Event.source))).all()

    items: list[TimelineItem] = []
    for r in reactions:
        items.append(
            TimelineItem(
                kind="reaction",
                slug=r.slug,
                anchor=f"reaction-{r.slug}",
                date=DateOut.of(r.stated_on, r.stated_on_precision, r.stated_on_note),
                title=reaction_title(r, mark_inferred=False),
                summary=r.summary,
                quote=r.quote,
                position=r.position,
                proposer=r.proposer,
                basis=r.basis,
                rationale=r.rationale,
                evidence=r.evidence,
                actors=[_actor_link(r.actor)],
                proposal=ProposalRef(slug=r.proposal.slug, title=r.proposal.title, url=proposal_url(r.proposal.slug)),
                url=reaction_url(r.proposal.slug, r.slug),
                source=source_out(r.source),
            )
        )
    for e in events:
        items.append(
            TimelineItem(
                kind="event",
                slug=e.slug,
                anchor=f"event-{e.slug}",
                date=DateOut.of(e.occurred_on, e.occurred_on_precision, e.occurred_on_note),
                title=e.title,
                summary=e.summary,
                actors=[_actor_link(a) for a in e.actors],
                url=f"/timeline#event-{e.slug}",
                source=source_out(e.source),
            )
        )

    def keep(item: TimelineItem, by_actor: str | None, by_proposal: str | None) -> bool:
        if by_actor and by_actor not in {a.slug for a in item.actors}:
            return False
        # Events are not tied to one proposal, so a proposal filter shows its reactions only.
        return not by_proposal or (item.proposal is not None and item.proposal.slug == by_proposal)

    shown = [i for i in items if keep(i, actor, proposal)]
    actor_counts = Counter(a.slug for i in items if keep(i, None, proposal) for a in i.actors)
    proposal_counts = Counter(i.proposal.slug for i in items if i.proposal and keep(i, actor, None))

    dated = sorted(
        (i for i in shown if i.date.date is not None),
        key=lambda i: (i.date.date, i.date.precision is not Precision.day, i.kind, i.slug),
    )
    months: list[TimelineMonth] = []
    for item in dated:
        assert item.date.date is not None
        label = str(item.date.date.year) if item.date.precision is Precision.year else f"{item.date.date:%B %Y}"
        if not months or months[-1].label != label:
            months.append(TimelineMonth(label=label, items=[]))
        months[-1].items.append(item)
    undated = sorted((i for i in shown if i.date.date is None), key=lambda i: (i.kind, i.title))
    return Timeline(
        months=months,
        undated=undated,
        count=len(shown),
        filters=TimelineFilters(actor=actor, proposal=proposal),
        actor_options=[
            FacetOption(value=slug, label=name, count=actor_counts.get(slug, 0), selected=slug == actor)
            for slug, name in actors.items()
        ],
        proposal_options=[
            FacetOption(value=slug, label=title, count=proposal_counts.get(slug, 0), selected=slug == proposal)
            for slug, title in proposals.items()
        ],
    )
