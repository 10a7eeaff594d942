"""Plain query functions for actors."""

import datetime as dt

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session, contains_eager, joinedload

from app.errors import NotFound
from app.models import Actor, Proposal, Reaction, RecordKind
from app.paging import Window, check_in_range
from app.queries.proposals import actor_url, known_by, proposal_url, reaction_fields, side_order
from app.schemas import POSITIONS, ActorRef, ActorDetail, ActorItem, ActorList, ActorReactionOut, ProposalRef
from app.translations import overlay_for


def list_actors(session: Session, window: Window | None = None) -> ActorList:
    """Actors by side (principal sides first: Russia, Ukraine, United States, Europe, then other),
    then by name, with their counts of stances (reactions) and of the proposals those are on: one
    window of them, or all (for the CSV) when None."""
    reaction_count = (
        select(func.count(Reaction.id)).where(Reaction.actor_id == Actor.id).correlate(Actor).scalar_subquery()
    )
    # What the actor filter counts: proposals (an actor may take two stances on one proposal).
    proposal_count = (
        select(func.count(distinct(Reaction.proposal_id))).where(Reaction.actor_id == Actor.id).correlate(Actor).scalar_subquery()
    )
    total = session.scalar(select(func.count(Actor.id))) or 0
    query = select(Actor, reaction_count, proposal_count).order_by(side_order(), Actor.name, Actor.slug)
    if window is not None:
        check_in_range(window, total)
        query = query.offset(window.offset).limit(window.limit)
    rows = session.execute(query)
    items = [
        ActorItem(
            slug=actor.slug,
            name=actor.name,
            kind=actor.kind,
            role=actor.role,
            url=actor_url(actor.slug),
            affiliation=actor.affiliation,
            side=actor.side,
            reaction_count=count,
            proposal_count=proposals,
        )
        for actor, count, proposals in rows
    ]
    return ActorList(items=items, count=total)


def actor_choices(session: Session, excluding: str | None = None) -> list[ActorRef]:
    """Every actor as a choice in a form (name and slug only)."""
    tr = overlay_for(session).text
    return [
        ActorRef(slug=slug, name=tr(RecordKind.actor, slug, "name", name))
        for slug, name in session.execute(select(Actor.slug, Actor.name).order_by(Actor.name))
        if slug != excluding
    ]


def get_actor(session: Session, slug: str, as_of: dt.date | None = None, window: Window = Window()) -> ActorDetail:
    """An actor and one page of their reactions: by position (supports, conditional, rejects), then in
    the proposals' order; the counts per position are for all of them."""
    known = known_by(as_of)
    actor = session.scalars(select(Actor).where(Actor.slug == slug)).first()
    if actor is None:
        raise NotFound.slug("actor", slug, {slug: overlay_for(session).text(RecordKind.actor, slug, "name", text) for slug, text in session.execute(select(Actor.slug, Actor.name))}, actor_url)
    counts = dict(
        session.execute(
            select(Reaction.position, func.count()).where(Reaction.actor_id == actor.id, known).group_by(Reaction.position)
        ).all()
    )
    total = sum(counts.values())
    proposal_count = session.scalar(select(func.count(distinct(Reaction.proposal_id))).where(Reaction.actor_id == actor.id, known)) or 0
    check_in_range(window, total)
    position_order = case({p: i for i, p in enumerate(POSITIONS)}, value=Reaction.position)
    reactions = session.scalars(
        select(Reaction)
        .join(Proposal, Proposal.id == Reaction.proposal_id)
        .where(Reaction.actor_id == actor.id, known)
        .options(contains_eager(Reaction.proposal), joinedload(Reaction.source), joinedload(Reaction.actor))
        .order_by(position_order, Proposal.position_in_list, Reaction.stated_on.is_(None), Reaction.stated_on, Reaction.slug)
        .offset(window.offset)
        .limit(window.limit)
    ).all()
    return ActorDetail(
        slug=actor.slug,
        name=actor.name,
        kind=actor.kind,
        role=actor.role,
        affiliation=actor.affiliation,
        side=actor.side,
        description=actor.description,
        url=actor_url(actor.slug),
        reaction_count=total,
        proposal_count=proposal_count,
        position_counts={p.value: counts.get(p, 0) for p in POSITIONS},
        reactions=[
            ActorReactionOut(
                **reaction_fields(r),
                proposal=ProposalRef(slug=r.proposal.slug, title=r.proposal.title, url=proposal_url(r.proposal.slug)),
            )
            for r in reactions
        ],
    )
