"""The stance grid: actors as rows, proposals as columns, built from the filtered proposal list."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Actor, Side
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
            if not any(e.position == position for e in cells[index]):
                cells[index].append(
                    MatrixEntry(position=position, proposer=reaction.proposer, url=reaction_url(item.slug, reaction.slug))
                )
    actors = session.scalars(select(Actor).where(Actor.slug.in_(list(entries)))) if entries else []
    rows = [
        MatrixRow(actor=ActorLink(slug=a.slug, name=a.name, url=actor_url(a.slug)), side=a.side, cells=entries[a.slug])
        for a in actors
    ]
    sides = list(Side)
    rows.sort(key=lambda row: (sides.index(row.side), row.actor.name))
    return Matrix(columns=columns, rows=rows, proposals=proposals)
