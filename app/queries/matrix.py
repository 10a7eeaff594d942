"""The stance grid: actors as rows, proposals as columns, both paged; the filters choose the columns.

Columns are one page of the filtered proposal list. Rows are one page of the actors who reacted
to any of the filtered proposals, the most active first, so the default view shows the actors with
the most to say. Every cell is reachable: its proposal's page of columns and its actor's page of rows.
"""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import derived
from app.models import Actor, Position, Reaction, RecordKind, Side
from app.paging import Window, check_in_range
from app.queries.proposals import ProposalFilters, actor_url, list_proposals, proposal_url, reaction_url
from app.schemas import ActorLink, Matrix, MatrixEntry, MatrixRow, ProposalRef
from app.translations import overlay_for
from app.vocabulary import BASIS_ORDER


def stance_matrix(session: Session, filters: ProposalFilters, columns: Window, rows: Window) -> Matrix:
    proposals = list_proposals(session, filters, columns, with_reactions=False)
    column_ids = proposals._page_ids
    refs = [ProposalRef(slug=p.slug, title=p.title, url=proposal_url(p.slug)) for p in proposals.items]
    known = filters.shown  # stated by as_of, and of the chosen basis

    if filters.actor is None and filters.side is None and filters.position is None and filters.q is None:
        # Only the day and the basis narrow it: each actor's activity is their count of stances in
        # the derived tables (a reaction known by then is on a proposal known by then).
        reactions = derived.count_of(derived.who_of_actor(Actor.id), None, filters.basis, filters.as_of, "stances")
        active = session.execute(
            select(Actor.id, Actor.slug, Actor.name, Actor.side).where(reactions > 0).order_by(reactions.desc(), Actor.name, Actor.id)
        ).all()
    else:
        # One pass over the filtered reactions gives every actor's activity (a few hundred rows at most):
        # the count of rows and this page of them both come from it.
        counted = select(Reaction.actor_id, func.count().label("reactions")).where(known).group_by(Reaction.actor_id)
        if proposals._matching is not None:
            counted = counted.where(Reaction.proposal_id.in_(proposals._matching))
        if proposals._actor_id is not None:
            counted = counted.where(Reaction.actor_id == proposals._actor_id)
        counted = counted.subquery()
        active = session.execute(
            select(Actor.id, Actor.slug, Actor.name, Actor.side)
            .join(counted, counted.c.actor_id == Actor.id)
            .order_by(counted.c.reactions.desc(), Actor.name, Actor.id)
        ).all()
    actor_count = len(active)
    check_in_range(rows, actor_count, "rows")
    actors = rows.slice(active)

    tr = overlay_for(session).text  # names in the request's language
    # Each row is built once per actor, then filled from the page's reactions only.
    index_of = {proposal_id: index for index, proposal_id in enumerate(column_ids)}
    cells: dict[int, list[list[MatrixEntry]]] = {actor.id: [[] for _ in column_ids] for actor in actors}
    if column_ids and actors:
        slug_of = {proposal_id: ref.slug for proposal_id, ref in zip(column_ids, refs, strict=True)}
        reactions = session.execute(
            select(
                Reaction.proposal_id, Reaction.actor_id, Reaction.slug, Reaction.position, Reaction.proposer, Reaction.basis,
                Reaction.reported_by,
            )
            .where(Reaction.proposal_id.in_(column_ids), Reaction.actor_id.in_(list(cells)), known)
            .order_by(Reaction.proposer.desc(), Reaction.stated_on.is_(None), Reaction.stated_on, Reaction.slug)
        )
        for proposal_id, actor_id, slug, position, proposer, basis, reported_by in reactions:
            cell = cells[actor_id][index_of[proposal_id]]
            effective = Position.supports if proposer else position
            entry = MatrixEntry(
                position=effective, proposer=proposer, basis=basis, reported_by=tr(RecordKind.reaction, slug, "reported_by", reported_by),
                url=reaction_url(slug_of[proposal_id], slug),
            )
            same = next((e for e in cell if e.position == effective), None)
            if same is None:
                cell.append(entry)
            elif BASIS_ORDER.index(basis) < BASIS_ORDER.index(same.basis):
                # A stated reaction outranks a reported one, and both outrank our reading, of the same position.
                cell[cell.index(same)] = entry
    sides = list(Side)
    matrix_rows = [
        MatrixRow(actor=ActorLink(slug=a.slug, name=tr(RecordKind.actor, a.slug, "name", a.name), url=actor_url(a.slug)), side=a.side, cells=cells[a.id])
        for a in actors
    ]
    # The page holds the most active actors; within it, rows are grouped by side, then by name.
    matrix_rows.sort(key=lambda row: (sides.index(row.side), row.actor.name))
    return Matrix(columns=refs, rows=matrix_rows, actor_count=actor_count, proposals=proposals)
