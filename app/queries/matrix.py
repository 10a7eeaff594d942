"""The stance grid: actors as rows, proposals as columns, built from the filtered proposal list."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Actor, Basis, Side
from app.queries.proposals import ProposalFilters, actor_url, effective_position, list_proposals, reaction_url
from app.schemas import ActorLink, Matrix, MatrixEntry, MatrixRow, ProposalRef



def stance_matrix(session: Session, filters: ProposalFilters) -> Matrix:
    proposals = list_proposals(session, filters)
    columns = [ProposalRef(slug=p.slug, title=p.title, url=p.url) for p in proposals.items]
    entries: dict[str, list[list[MatrixEntry]]] = {}
    for index, item in enumerate(proposals.items):
        for reaction in item.reactions:
            if filters.actor and reaction.actor != filters.actor:
                continue
            cells = entries.setdefault(reaction.actor, [[] for _ in columns])
            position = effective_position(reaction)
            same = next((e for e in cells[index] if e.position == position), None)
            entry = MatrixEntry(
                position=position, proposer=reaction.proposer, basis=reaction.basis, url=reaction_url(item.slug, reaction.slug)
            )
            if same is None:
                cells[index].append(entry)
            elif same.basis is Basis.inferred and reaction.basis is Basis.stated:
                # A stated reaction outranks our reading of the same position.
                cells[index][cells[index].index(same)] = entry
    actors = session.scalars(select(Actor).where(Actor.slug.in_(list(entries)))) if entries else []
    rows = [
        MatrixRow(actor=ActorLink(slug=a.slug, name=a.name, url=actor_url(a.slug)), side=a.side, cells=entries[a.slug])
        for a in actors
    ]
    sides = list(Side)
    rows.sort(key=lambda row: (sides.index(row.side), row.actor.name))
    return Matrix(columns=columns, rows=rows, proposals=proposals)
