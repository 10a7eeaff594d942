"""Plain query functions for actors."""

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.errors import NotFound
from app.models import Actor, Reaction
from app.queries.proposals import actor_url, known_by, proposal_url, reaction_fields
from app.schemas import ActorDetail, ActorItem, ActorList, ActorReactionOut, ProposalRef


def list_actors(session: Session) -> ActorList:
    reaction_count = (
        select(func.count(Reaction.id)).where(Reaction.actor_id == Actor.id).correlate(Actor).scalar_subquery()
    )
    rows = session.execute(select(Actor, reaction_count).order_by(Actor.name))
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
        )
        for actor, count in rows
    ]
    return ActorList(items=items, count=len(items))


def get_actor(session: Session, slug: str, as_of: dt.date | None = None) -> ActorDetail:
    known = known_by(as_of)
    actor = session.scalars(
        select(Actor)
        .where(Actor.slug == slug)
        .options(
            selectinload(Actor.reactions.and_(known)).selectinload(Reaction.proposal),
            selectinload(Actor.reactions.and_(known)).selectinload(Reaction.source),
        )
    ).first()
    if actor is None:
        raise NotFound.slug("actor", slug, list(session.scalars(select(Actor.slug))))
    reactions = sorted(
        actor.reactions,
        key=lambda r: (r.proposal.position_in_list, r.stated_on is None, r.stated_on or 0, r.slug),
    )
    return ActorDetail(
        slug=actor.slug,
        name=actor.name,
        kind=actor.kind,
        role=actor.role,
        affiliation=actor.affiliation,
        side=actor.side,
        description=actor.description,
        url=actor_url(actor.slug),
        reactions=[
            ActorReactionOut(
                **reaction_fields(r),
                proposal=ProposalRef(slug=r.proposal.slug, title=r.proposal.title, url=proposal_url(r.proposal.slug)),
            )
            for r in reactions
        ],
    )
