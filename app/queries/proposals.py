"""Plain query functions for proposals: a session and typed filters in, view data out."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, distinct, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.errors import BadFilter, NotFound, closest
from app.models import Actor, Position, Proposal, Reaction
from app.schemas import (
    EVIDENCE_LABELS,
    POSITION_LABELS,
    POSITIONS,
    ActorLink,
    ActorRef,
    AppliedFilters,
    DateOut,
    FacetOption,
    Facets,
    ProposalDetail,
    ProposalItem,
    ProposalList,
    ReactionBrief,
    ReactionOut,
    SourceOut,
    Stance,
)
from app.search import search_documents


@dataclass(frozen=True)
class ProposalFilters:
    actor: str | None = None
    position: Position | None = None
    q: str | None = None

    @classmethod
    def parse(cls, actor: str | None, position: str | None, q: str | None) -> "ProposalFilters":
        """Empty strings (from a form's "any" option) mean no filter; bad values raise BadFilter."""
        actor = (actor or "").strip() or None
        q = (q or "").strip() or None
        position_value = (position or "").strip() or None
        parsed_position = None
        if position_value is not None:
            allowed = [p.value for p in POSITIONS]
            if position_value not in allowed:
                raise BadFilter(
                    f"position {position_value!r} is not allowed; use one of {', '.join(allowed)}.",
                    parameter="position",
                    value=position_value,
                    allowed=allowed,
                    suggestions=closest(position_value, allowed),
                )
            parsed_position = Position(position_value)
        return cls(actor=actor, position=parsed_position, q=q)


def proposal_url(slug: str) -> str:
    return f"/proposals/{slug}"


def actor_url(slug: str) -> str:
    return f"/actors/{slug}"


def _position_matches(position: Position):  # type: ignore[no-untyped-def]
    # A proposer supports its own proposal, whatever else it said about it.
    if position is Position.supports:
        return or_(Reaction.position == position, Reaction.proposer.is_(True))
    return Reaction.position == position


def resolve_actor(session: Session, slug: str) -> Actor:
    actor = session.scalars(select(Actor).where(Actor.slug == slug)).first()
    if actor is None:
        known = list(session.scalars(select(Actor.slug).order_by(Actor.slug)))
        suggestions = closest(slug, known)
        hint = f" Closest: {', '.join(suggestions)}." if suggestions else ""
        raise BadFilter(
            f"actor {slug!r} names no actor.{hint} See /actors for the list.",
            parameter="actor",
            value=slug,
            allowed=known,
            suggestions=suggestions,
        )
    return actor


def _matching_reactions(actor_id: int | None, position: Position | None) -> Select:
    query = select(Reaction.proposal_id)
    if actor_id is not None:
        query = query.where(Reaction.actor_id == actor_id)
    if position is not None:
        query = query.where(_position_matches(position))
    return query


def _search_matches(session: Session, q: str | None) -> dict[int, str] | None:
    """proposal id -> best snippet, or None when there is no text filter."""
    if q is None:
        return None
    matches: dict[int, str] = {}
    for hit in search_documents(session, q):
        if hit.proposal_id is not None and hit.kind in ("proposal", "reaction"):
            matches.setdefault(hit.proposal_id, f"{hit.title}: {hit.snippet}" if hit.kind == "reaction" else hit.snippet)
    return matches


def _stance(reactions: list[Reaction]) -> Stance:
    groups: dict[Position, dict[str, ActorRef]] = defaultdict(dict)
    for reaction in reactions:
        position = Position.supports if reaction.proposer else reaction.position
        groups[position].setdefault(reaction.actor.slug, ActorRef(slug=reaction.actor.slug, name=reaction.actor.name))
    return Stance(**{p.value: list(groups[p].values()) for p in POSITIONS})


def _proposers(reactions: list[Reaction]) -> list[Actor]:
    seen: dict[str, Actor] = {}
    for reaction in reactions:
        if reaction.proposer:
            seen.setdefault(reaction.actor.slug, reaction.actor)
    return list(seen.values())


def _sorted_reactions(reactions: list[Reaction]) -> list[Reaction]:
    # Proposers first, then in the order stated (undated last), then by name.
    return sorted(
        reactions,
        key=lambda r: (not r.proposer, r.stated_on is None, r.stated_on or 0, r.actor.name, r.slug),
    )


def list_proposals(session: Session, filters: ProposalFilters) -> ProposalList:
    actor = resolve_actor(session, filters.actor) if filters.actor else None
    actor_id = actor.id if actor else None
    search = _search_matches(session, filters.q)

    query = (
        select(Proposal)
        .options(selectinload(Proposal.reactions).selectinload(Reaction.actor))
        .order_by(Proposal.position_in_list, Proposal.slug)
    )
    if actor_id is not None or filters.position is not None:
        query = query.where(Proposal.id.in_(_matching_reactions(actor_id, filters.position)))
    if search is not None:
        query = query.where(Proposal.id.in_(list(search)))
    proposals = list(session.scalars(query))

    items = []
    for proposal in proposals:
        reactions = _sorted_reactions(proposal.reactions)
        items.append(
            ProposalItem(
                slug=proposal.slug,
                title=proposal.title,
                summary=proposal.summary,
                url=proposal_url(proposal.slug),
                proposers=[ActorRef(slug=a.slug, name=a.name) for a in _proposers(reactions)],
                reactions=[
                    ReactionBrief(slug=r.slug, actor=r.actor.slug, actor_name=r.actor.name, position=r.position, proposer=r.proposer)
                    for r in reactions
                ],
                stance=_stance(reactions),
                match=search.get(proposal.id) if search else None,
            )
        )
    total = session.scalar(select(func.count(Proposal.id))) or 0
    return ProposalList(
        items=items,
        count=len(items),
        filters=AppliedFilters(actor=filters.actor, position=filters.position, q=filters.q),
        facets=_facets(session, filters, actor_id, search),
        total=total,
    )


def _facets(session: Session, filters: ProposalFilters, actor_id: int | None, search: dict[int, str] | None) -> Facets:
    """Counts for each option: how many proposals it gives, with the other filters kept."""
    restrict = (lambda q: q.where(Reaction.proposal_id.in_(list(search)))) if search is not None else (lambda q: q)

    actor_counts_query = (
        select(Actor.slug, Actor.name, func.count(distinct(Reaction.proposal_id)))
        .join(Reaction, Reaction.actor_id == Actor.id)
        .group_by(Actor.id, Actor.slug, Actor.name)
        .order_by(Actor.name)
    )
    if filters.position is not None:
        actor_counts_query = actor_counts_query.where(_position_matches(filters.position))
    actor_counts = {slug: (name, count) for slug, name, count in session.execute(restrict(actor_counts_query))}
    # Every actor who reacted to anything is an option, even when the other filters leave them at 0.
    all_actors = session.execute(
        select(Actor.slug, Actor.name).where(Actor.id.in_(select(Reaction.actor_id))).order_by(Actor.name)
    )
    actor_options = [
        FacetOption(value=slug, label=name, count=actor_counts.get(slug, (name, 0))[1], selected=slug == filters.actor)
        for slug, name in all_actors
    ]

    position_columns = [
        func.count(distinct(Reaction.proposal_id)).filter(_position_matches(position)) for position in POSITIONS
    ]
    position_query = select(*position_columns)
    if actor_id is not None:
        position_query = position_query.where(Reaction.actor_id == actor_id)
    position_counts = session.execute(restrict(position_query)).one()
    position_options = [
        FacetOption(value=p.value, label=POSITION_LABELS[p], count=count, selected=p == filters.position)
        for p, count in zip(POSITIONS, position_counts, strict=True)
    ]
    return Facets(actor=actor_options, position=position_options)


def source_out(source) -> SourceOut:  # type: ignore[no-untyped-def]
    return SourceOut(
        slug=source.slug,
        title=source.title,
        outlet=source.outlet,
        kind=source.kind,
        date=DateOut.of(source.date, source.date_precision, source.date_note),
        url=source.url,
    )


def reaction_fields(reaction: Reaction) -> dict:
    return {
        "slug": reaction.slug,
        "actor": ActorLink(slug=reaction.actor.slug, name=reaction.actor.name, url=actor_url(reaction.actor.slug)),
        "position": reaction.position,
        "proposer": reaction.proposer,
        "quote": reaction.quote,
        "summary": reaction.summary,
        "condition": reaction.condition,
        "stated_on": DateOut.of(reaction.stated_on, reaction.stated_on_precision, reaction.stated_on_note),
        "evidence": reaction.evidence,
        "evidence_label": EVIDENCE_LABELS[reaction.evidence],
        "source": source_out(reaction.source),
    }


def get_proposal(session: Session, slug: str) -> ProposalDetail:
    proposal = session.scalars(
        select(Proposal)
        .where(Proposal.slug == slug)
        .options(
            selectinload(Proposal.reactions).selectinload(Reaction.actor),
            selectinload(Proposal.reactions).selectinload(Reaction.source),
            selectinload(Proposal.first_reported_source),
        )
    ).first()
    if proposal is None:
        raise NotFound.slug("proposal", slug, list(session.scalars(select(Proposal.slug))))
    reactions = _sorted_reactions(proposal.reactions)
    return ProposalDetail(
        slug=proposal.slug,
        title=proposal.title,
        summary=proposal.summary,
        url=proposal_url(proposal.slug),
        proposers=[ActorLink(slug=a.slug, name=a.name, url=actor_url(a.slug)) for a in _proposers(reactions)],
        first_reported=DateOut.of(
            proposal.first_reported_on, proposal.first_reported_precision, proposal.first_reported_note
        ),
        first_reported_by=source_out(proposal.first_reported_source),
        stance=_stance(reactions),
        reactions=[ReactionOut(**reaction_fields(r)) for r in reactions],
    )


def view_title(noun: str, data: ProposalList) -> str:
    """A title that says what the filtered view shows, e.g. 'Proposals Vladimir Putin rejects'."""
    filters = data.filters
    actor_name = next((o.label for o in data.facets.actor if o.selected), filters.actor)
    parts = [noun]
    if actor_name and filters.position:
        verb = {"supports": "supports", "conditional": "sets conditions on", "rejects": "rejects"}[filters.position.value]
        parts.append(f"{actor_name} {verb}")
    elif actor_name:
        parts.append(f"{actor_name} reacted to")
    elif filters.position:
        parts.append({"supports": "someone supports", "conditional": "someone sets conditions on", "rejects": "someone rejects"}[filters.position.value])
    if filters.q:
        parts.append(f"matching “{filters.q}”")
    return " ".join(parts)


def stance_sentence(stance: Stance) -> str:
    """One line for link previews: who supports, who sets conditions, who rejects."""

    def names(actors: list[ActorRef]) -> str:
        return ", ".join(a.name for a in actors)

    parts = []
    if stance.supports:
        parts.append(f"Supported by {names(stance.supports)}.")
    if stance.conditional:
        parts.append(f"Conditional support from {names(stance.conditional)}.")
    if stance.rejects:
        parts.append(f"Rejected by {names(stance.rejects)}.")
    return " ".join(parts) or "No reactions reported."
