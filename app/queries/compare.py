"""Two actors side by side, and where the sides meet (common ground)."""

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.errors import BadFilter, preview
from app.models import Actor, Basis, Position, Proposal, Reaction, Side
from app.queries.proposals import actor_url, effective_position, proposal_url, reaction_url
from app.schemas import (
    ActorLink,
    ActorRef,
    CommonGround,
    CommonGroundRow,
    Comparison,
    CompareRow,
    ProposalRef,
    SideStance,
    StanceCell,
)

RELATIONS = ("agree", "opposed", "differ", "only-a", "only-b")
PRINCIPAL_SIDES = [Side.russia, Side.ukraine, Side.united_states]
COMMON_GROUND_RULE = (
    "A proposal is marked as common ground when no actor from Russia, Ukraine or the United States "
    "— the principal sides — rejects it in the article; a side that said nothing is shown as silent, "
    "which is not the same as agreeing."
)


def _latest(reactions: list[Reaction]) -> Reaction | None:
    dated = sorted(reactions, key=lambda r: (r.stated_on_end is not None, r.stated_on_end or r.stated_on or 0, r.id))
    return dated[-1] if dated else None


def _cell(reaction: Reaction | None) -> StanceCell:
    if reaction is None:
        return StanceCell(position=None)
    return StanceCell(
        position=effective_position(reaction),
        proposer=reaction.proposer,
        basis=reaction.basis,
        url=reaction_url(reaction.proposal.slug, reaction.slug),
    )


def _relation(a: Position | None, b: Position | None) -> str | None:
    if a is None and b is None:
        return None
    if b is None:
        return "only-a"
    if a is None:
        return "only-b"
    if a == b:
        return "agree"
    if {a, b} == {Position.supports, Position.rejects}:
        return "opposed"
    return "differ"


def _resolve(parameter: str, slug: str | None, known: dict[str, Actor]) -> Actor | None:
    slug = (slug or "").strip() or None
    if slug is None:
        return None
    if slug not in known:
        raise BadFilter.unknown(parameter, slug, "actor", list(known))
    return known[slug]


def compare_actors(session: Session, a_slug: str | None, b_slug: str | None) -> Comparison:
    actors = {a.slug: a for a in session.scalars(select(Actor).order_by(Actor.name))}
    a = _resolve("a", a_slug, actors)
    b = _resolve("b", b_slug, actors)
    if a is not None and a is b:
        raise BadFilter(
            f"a and b are both '{preview(a.slug)}'; choose two different actors to compare.",
            parameter="b",
            value=b.slug,
            allowed=[slug for slug in actors if slug != a.slug],
        )
    options = [ActorRef(slug=x.slug, name=x.name) for x in actors.values()]
    link = lambda x: ActorLink(slug=x.slug, name=x.name, url=actor_url(x.slug)) if x else None  # noqa: E731
    rows: list[CompareRow] = []
    if a is not None and b is not None:
        proposals = session.scalars(
            select(Proposal)
            .options(selectinload(Proposal.reactions.and_(Reaction.actor_id.in_([a.id, b.id]))))
            .order_by(Proposal.position_in_list)
        )
        for proposal in proposals:
            cell_a = _cell(_latest([r for r in proposal.reactions if r.actor_id == a.id]))
            cell_b = _cell(_latest([r for r in proposal.reactions if r.actor_id == b.id]))
            relation = _relation(cell_a.position, cell_b.position)
            if relation is None:
                continue
            rows.append(
                CompareRow(
                    proposal=ProposalRef(slug=proposal.slug, title=proposal.title, url=proposal_url(proposal.slug)),
                    a=cell_a,
                    b=cell_b,
                    relation=relation,
                )
            )
    counts = {relation: sum(1 for r in rows if r.relation == relation) for relation in RELATIONS}
    return Comparison(a=link(a), b=link(b), rows=rows, counts=counts, actor_options=options)


def common_ground(session: Session) -> CommonGround:
    proposals = session.scalars(
        select(Proposal)
        .options(selectinload(Proposal.reactions).selectinload(Reaction.actor))
        .order_by(Proposal.position_in_list)
    )
    rows = []
    for proposal in proposals:
        sides = []
        for side in Side:
            by_member: dict[str, list[Reaction]] = defaultdict(list)
            for r in proposal.reactions:
                if r.actor.side == side:
                    by_member[r.actor.slug].append(r)
            members = [ActorRef(slug=slug, name=rs[0].actor.name) for slug, rs in by_member.items()]
            # Each member's latest word counts; a side is split when one member rejects and another does not.
            latest = [r for rs in by_member.values() if (r := _latest(rs)) is not None]
            positions = {effective_position(r) for r in latest}
            if not positions:
                status = "silent"
            elif len(positions) == 1:
                status = positions.pop().value
            elif Position.rejects in positions and (Position.supports in positions or Position.conditional in positions):
                status = "split"
            else:
                status = "conditional"
            inferred = bool(latest) and all(r.basis is Basis.inferred for r in latest)
            sides.append(SideStance(side=side, status=status, inferred=inferred, actors=members))
        rejecting = {s.side for s in sides if s.status in ("rejects", "split")}
        rows.append(
            CommonGroundRow(
                proposal=ProposalRef(slug=proposal.slug, title=proposal.title, url=proposal_url(proposal.slug)),
                sides=sides,
                no_principal_side_rejects=not rejecting & set(PRINCIPAL_SIDES),
            )
        )
    return CommonGround(rule=COMMON_GROUND_RULE, principal_sides=PRINCIPAL_SIDES, sides=list(Side), rows=rows)
