"""Two actors side by side, and where the sides meet (common ground)."""

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import BadFilter, Code, Text, preview_text
from app.i18n import N_, gettext
from app.models import Actor, Basis, Position, Proposal, Reaction, RecordKind, Side
from app.paging import Window, check_in_range
from app.queries.proposals import actor_url, effective_position, proposal_url, reaction_url
from app.summaries import COMPARE_ORDER, common_ground_mark, compare_summary
from app.schemas import ActorLink, ActorRef, CommonGround, CommonGroundRow, Comparison, CompareRow, ProposalRef, SideStance, StanceCell
from app.translations import overlay_for
from app.vocabulary import strongest_basis

RELATIONS = COMPARE_ORDER  # rows and groups lead with where the two differ
PRINCIPAL_SIDES = [Side.russia, Side.ukraine, Side.united_states]
# A msgid: the page and the API say it in the request's language.
COMMON_GROUND_RULE = N_(
    "Russia, Ukraine and the United States are the principal sides. A proposal is marked ★ when all three "
    "have spoken on it in the article and none rejects it. It is marked ○ when none of those that spoke "
    "rejects it but at least one principal side has not spoken: the mark names that side, because silence "
    "is not agreement."
)


def _latest(reactions: list[Any]) -> Any:
    """The latest of an actor's reactions (ORM objects or rows with the same attribute names)."""
    dated = sorted(reactions, key=lambda r: (r.stated_on_end is not None, r.stated_on_end or r.stated_on or 0, r.id))
    return dated[-1] if dated else None


def _cell(reaction: Any, proposal_slug: str, reported_by: str | None = None) -> StanceCell:
    if reaction is None:
        return StanceCell(position=None)
    return StanceCell(
        position=effective_position(reaction),
        proposer=reaction.proposer,
        basis=reaction.basis,
        reported_by=reaction.reported_by if reported_by is None else reported_by,
        url=reaction_url(proposal_slug, reaction.slug),
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


def _resolve(parameter: str, slug: str | None, known: dict[str, Any]) -> Any:
    # As sent: "" means any; a slug with spaces around it names nothing (the schema's slug rule).
    slug = slug or None
    if slug is None:
        return None
    if slug not in known:
        raise BadFilter.unknown(parameter, slug, "actor", list(known))
    return known[slug]


def compare_actors(session: Session, a_slug: str | None, b_slug: str | None, window: Window = Window()) -> Comparison:
    """Two actors over every proposal either spoke on; the counts cover all of them, `rows` one page
    (grouped by relation: opposed, differ, only-a, only-b, agree; then in the proposals' order)."""
    tr = overlay_for(session).text  # names, titles and who reports a stance, in the request's language
    actors = {
        slug: (id_, tr(RecordKind.actor, slug, "name", name))
        for id_, slug, name in session.execute(select(Actor.id, Actor.slug, Actor.name).order_by(Actor.name))
    }
    a = _resolve("a", a_slug, actors)
    b = _resolve("b", b_slug, actors)
    if a is not None and a == b:
        raise BadFilter(
            Text.gettext("%(a)s and %(b)s are both '%(value)s'; choose two different actors to compare.", a=Code("a"), b=Code("b"), value=Code(preview_text(a_slug))),
            parameter="b",
            value=b_slug,
            allowed=[slug for slug in actors if slug != a_slug],
        )
    options = [ActorRef(slug=slug, name=name) for slug, (_, name) in actors.items()]
    link = lambda slug: ActorLink(slug=slug, name=actors[slug][1], url=actor_url(slug)) if slug else None  # noqa: E731
    a_slug = a_slug or None
    b_slug = b_slug or None
    rows: list[CompareRow] = []
    related: list[tuple[str, int, Any, Any]] = []  # (relation, proposal id, a's latest, b's latest)
    if a is not None and b is not None:
        # Only the columns a cell needs, for the two actors' reactions: no ORM objects, no other actors.
        found = session.execute(
            select(
                Reaction.proposal_id, Reaction.actor_id, Reaction.slug, Reaction.position, Reaction.proposer,
                Reaction.stated_on_end, Reaction.stated_on, Reaction.id,
                Proposal.slug.label("proposal_slug"), Proposal.title.label("proposal_title"), Proposal.position_in_list,
                Reaction.basis, Reaction.reported_by,
            )
            .join(Proposal, Proposal.id == Reaction.proposal_id)
            .where(Reaction.actor_id.in_([a[0], b[0]]))
        ).all()
        by_proposal: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        proposals: dict[int, tuple[str, str, int]] = {}
        for row in found:
            by_proposal[row[0]][row[1]].append(row)
            proposals[row[0]] = (row[8], row[9], row[10])

        def cell(reaction: Any, slug: str) -> StanceCell:
            who = tr(RecordKind.reaction, reaction.slug, "reported_by", reaction.reported_by) if reaction is not None else None
            return _cell(reaction, slug, who)

        # Relations from the latest positions first; cells only for the page's rows (the counts
        # need every proposal, a page 50 of them).
        for proposal_id in sorted(proposals, key=lambda pid: proposals[pid][2]):
            latest_a, latest_b = _latest(by_proposal[proposal_id][a[0]]), _latest(by_proposal[proposal_id][b[0]])
            relation = _relation(*(effective_position(r) if r is not None else None for r in (latest_a, latest_b)))
            if relation is not None:
                related.append((relation, proposal_id, latest_a, latest_b))
        related.sort(key=lambda r: RELATIONS.index(r[0]))  # stable: proposals' order within a relation
    check_in_range(window, len(related))
    for relation, proposal_id, latest_a, latest_b in window.slice(related):
        slug, title, _ = proposals[proposal_id]
        title = tr(RecordKind.proposal, slug, "title", title)
        rows.append(CompareRow(proposal=ProposalRef(slug=slug, title=title, url=proposal_url(slug)), a=cell(latest_a, slug), b=cell(latest_b, slug), relation=relation))
    counts = {relation: sum(1 for r in related if r[0] == relation) for relation in RELATIONS}
    return Comparison(
        a=link(a_slug) if a else None,
        b=link(b_slug) if b else None,
        rows=rows,
        row_count=len(related),
        counts=counts,
        summary=compare_summary(actors[a_slug][1], actors[b_slug][1], counts) if a and b else [],
        actor_options=options,
    )


def common_ground(session: Session, window: Window = Window()) -> CommonGround:
    """One page of proposals, each with every side's stance; loads only that page's reactions."""
    count = session.scalar(select(func.count(Proposal.id))) or 0
    check_in_range(window, count)
    page = session.execute(
        select(Proposal.id, Proposal.slug, Proposal.title).order_by(Proposal.position_in_list, Proposal.slug).offset(window.offset).limit(window.limit)
    ).all()
    # The few columns a side's status needs, as rows (no ORM objects: a page holds thousands), so
    # their words are translated here, as a load would translate them (app.translations).
    stances = select(
        Reaction.id, Reaction.slug, Reaction.proposal_id, Reaction.position, Reaction.proposer, Reaction.basis, Reaction.reported_by,
        Reaction.stated_on, Reaction.stated_on_end, Actor.slug.label("actor_slug"), Actor.name.label("actor_name"), Actor.side.label("actor_side"),
    ).join(Actor, Actor.id == Reaction.actor_id)
    # proposal id -> side -> actor slug -> their reactions, in the order read
    reactions: dict[int, dict[Side, dict[str, list[Any]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for row in session.execute(stances.where(Reaction.proposal_id.in_([p.id for p in page])).order_by(Reaction.id)):
        reactions[row.proposal_id][row.actor_side][row.actor_slug].append(row)
    rows = []
    tr = overlay_for(session).text
    for proposal_id, proposal_slug, proposal_title in page:
        proposal_title = tr(RecordKind.proposal, proposal_slug, "title", proposal_title)
        sides = []
        for side in Side:
            by_member = reactions[proposal_id][side]
            members = [ActorRef(slug=slug, name=tr(RecordKind.actor, slug, "name", rs[0].actor_name)) for slug, rs in by_member.items()]
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
            # The status is as strong as the strongest stance behind it; a reported one names who reports it.
            basis = strongest_basis([r.basis for r in latest]) if latest else None
            reporters = list(dict.fromkeys(tr(RecordKind.reaction, r.slug, "reported_by", r.reported_by) for r in latest if r.basis is Basis.reported)) if basis is Basis.reported else []
            sides.append(
                SideStance(side=side, status=status, basis=basis, reported_by=reporters, inferred=basis is Basis.inferred, actors=members)
            )
        rejecting = {s.side for s in sides if s.status in ("rejects", "split")}
        silent = [s.side for s in sides if s.side in PRINCIPAL_SIDES and s.status == "silent"]
        rows.append(
            CommonGroundRow(
                proposal=ProposalRef(slug=proposal_slug, title=proposal_title, url=proposal_url(proposal_slug)),
                sides=sides,
                no_principal_side_rejects=not rejecting & set(PRINCIPAL_SIDES),
                silent_principal_sides=silent,
                mark=common_ground_mark(silent, bool(rejecting & set(PRINCIPAL_SIDES))),
            )
        )
    return CommonGround(rule=gettext(COMMON_GROUND_RULE), principal_sides=PRINCIPAL_SIDES, sides=list(Side), rows=rows, count=count)
