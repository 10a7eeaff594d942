"""Where each principal side stands on every proposal: the state of play on `/`, its lede, and the
side cells of a permalink.

A side holds a position on a proposal when any of its members does (a proposer supports), exactly
as the `side` filter reads it, so a cell, the lede's numbers, the facet counts and
`/api/proposals?side=…&position=…` agree. The side × proposal positions come from one pass over the
reactions a view shows (stated by `as_of`, of `basis`) and are kept per data version
(`app.cache.PerVersionMemo`): computed once after an import, not per request.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from app import i18n
from app.cache import PerVersionMemo
from app.i18n import gettext, pgettext
from app.models import Actor, Basis, Position, Proposal, Reaction, RecordKind, Side
from app.paging import PAGE_SIZE, Window, check_in_range
from app.queries.data_version import data_version_key
from app.queries.proposals import proposal_url, shown
from app.text import cut_words
from app.translations import overlay_for
from app.schemas import POSITIONS, ActorRef, ProposalRef, SideCell, SideCellStance, SideTally, StateOfPlay, StateOfPlayRow
from app.vocabulary import BASIS_ORDER, GRID_SIDES, SIDE_IN_SENTENCE, SIDE_LABELS, SIDES, actor_number, day_label, ngettext, strongest_basis
from app.web import with_query

# Rows of the grid on `/`: the most discussed proposals; the rest are on /state-of-play.
HOME_ROWS = 16
SHORT_TITLE = 34
NAMES_IN_LABEL = 4
# In a sentence, a side "backs" a proposal; the order puts the article's question first. The lede
# says each side's counts in one clause of the language's own (`_side_clause`).
LEDE_VERBS = {Position.rejects: "rejects", Position.conditional: "sets conditions on", Position.supports: "backs"}
# After a name in a cell's label: nothing when stated.
BASIS_IN_LABEL = {Basis.stated: lambda: "", Basis.reported: lambda: " " + pgettext("basis", "(reported)"), Basis.inferred: lambda: " " + gettext("(inferred)")}
# A cell's label, one position at a time, the verb in the number of the side's name (n):
# "rejects: Vladimir Putin, Sergey Lavrov".
CELL_VERBS = {
    Position.supports: lambda names, n: ngettext("supports: %(names)s", "support: %(names)s", n, names=names),
    Position.conditional: lambda names, n: ngettext("sets conditions: %(names)s", "set conditions: %(names)s", n, names=names),
    Position.rejects: lambda names, n: ngettext("rejects: %(names)s", "reject: %(names)s", n, names=names),
}

_memo = PerVersionMemo()


@dataclass
class _Table:
    """The side × proposal positions of one view (as_of, basis), for every proposal."""

    order: list[int] = field(default_factory=list)  # proposals with a shown stance, most discussed first
    refs: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (slug, title)
    by_slug: dict[str, int] = field(default_factory=dict)
    stances: dict[int, int] = field(default_factory=dict)
    # (proposal, side) -> position -> actor slug -> (name, the strongest basis of their reactions)
    cells: dict[tuple[int, Side], dict[Position, dict[str, tuple[str, Basis]]]] = field(default_factory=dict)
    # (side, position or None for any) -> proposal -> its index in the filtered list's order
    list_index: dict[tuple[Side, Position | None], dict[int, int]] = field(default_factory=dict)


def _compute(session: Session, as_of: dt.date | None, basis: Basis | None) -> _Table:
    table = _Table()
    proposals = session.execute(select(Proposal.id, Proposal.slug, Proposal.title).order_by(Proposal.position_in_list, Proposal.slug)).all()
    # The enum columns as their stored text, mapped back here: one pass over every reaction a view
    # shows, where converting 600,000 values one by one costs more than the query.
    rows = session.execute(
        select(
            Reaction.proposal_id, type_coerce(Actor.side, String), Actor.slug, Actor.name, type_coerce(Reaction.position, String),
            Reaction.proposer, type_coerce(Reaction.basis, String),
        )
        .join(Actor, Actor.id == Reaction.actor_id)
        .where(shown(as_of, basis))
    )
    sides, positions, bases = ({m.value: m for m in enum} for enum in (Side, Position, Basis))
    rank = {b: BASIS_ORDER.index(b) for b in Basis}
    cells: dict[tuple[int, Side], dict[Position, dict[str, tuple[str, Basis]]]] = defaultdict(lambda: defaultdict(dict))
    stances: dict[int, int] = defaultdict(int)
    tr = overlay_for(session).text  # names and titles in the request's language
    for proposal_id, side, actor_slug, actor_name, position, proposer, reaction_basis in rows:
        stances[proposal_id] += 1
        held = cells[(proposal_id, sides[side])][Position.supports if proposer else positions[position]]
        reaction_basis = bases[reaction_basis]
        known = held.get(actor_slug)
        # One stated reaction is enough for the stance to count as stated (as on the cards), else one reported.
        if known is None:
            held[actor_slug] = (tr(RecordKind.actor, actor_slug, "name", actor_name), reaction_basis)
        elif rank[reaction_basis] < rank[known[1]]:
            held[actor_slug] = (known[0], reaction_basis)
    list_order = [p.id for p in proposals]
    position_in_list = {proposal_id: index for index, proposal_id in enumerate(list_order)}
    table.refs = {p.id: (p.slug, tr(RecordKind.proposal, p.slug, "title", p.title)) for p in proposals}
    table.by_slug = {p.slug: p.id for p in proposals}
    table.stances = dict(stances)
    table.order = sorted(stances, key=lambda proposal_id: (-stances[proposal_id], position_in_list[proposal_id]))
    # In a cell, the actors' own words first, then reported stances, then our readings; by name within
    # each. The key is complete, so the order never depends on the order the rows came in.
    table.cells = {
        key: {
            position: dict(sorted(held.items(), key=lambda item: (BASIS_ORDER.index(item[1][1]), item[1][0], item[0])))
            for position, held in value.items()
        }
        for key, value in cells.items()
    }
    for side in SIDES:
        for position in (None, *POSITIONS):
            index: dict[int, int] = {}
            for proposal_id in list_order:
                held = table.cells.get((proposal_id, side), {})
                if held and (position is None or position in held):
                    index[proposal_id] = len(index)
            table.list_index[(side, position)] = index
    return table


def _table(session: Session, as_of: dt.date | None, basis: Basis | None) -> _Table:
    """The table for the data this session reads. The key is read through the session itself, never
    taken from elsewhere in the request: during an import swap another connection may already see the
    next file, and a table keyed by one version must hold that version's data."""
    # The language too: the table holds the data's names and titles, which a language may translate.
    key = (str(session.get_bind().url), data_version_key(session), i18n.current_locale(), as_of, basis)
    return _memo.get(key, lambda: _compute(session, as_of, basis))  # type: ignore[return-value]


def _names(actors: dict[str, tuple[str, Basis]]) -> str:
    names = [name + BASIS_IN_LABEL[basis]() for name, basis in actors.values()]
    shown_names = ", ".join(names[:NAMES_IN_LABEL])
    if len(names) <= NAMES_IN_LABEL:
        return shown_names
    return gettext("%(names)s and %(num)s more", names=shown_names, num=i18n.number(len(names) - NAMES_IN_LABEL))


def _cell(table: _Table, proposal_id: int, side: Side, as_of: dt.date | None, basis: Basis | None) -> SideCell:
    held = table.cells.get((proposal_id, side), {})
    positions = [p for p in POSITIONS if p in held]
    name = SIDE_LABELS[side]
    if not positions:
        return SideCell(
            side=side,
            stances=[],
            label=ngettext(
                "%(side)s: silent, no public position found in the article",
                "%(side)s: silent, no public position found in the article",
                actor_number(name),
                side=name,
            ),
        )
    stances = [
        SideCellStance(
            position=p,
            actors=[ActorRef(slug=slug, name=actor_name) for slug, (actor_name, _) in list(held[p].items())[:NAMES_IN_LABEL]],
            actor_count=len(held[p]),
            basis=strongest_basis([basis for _, basis in held[p].values()]),
            inferred=all(basis is Basis.inferred for _, basis in held[p].values()),
        )
        for p in positions
    ]
    label = name + " " + "; ".join(CELL_VERBS[p](_names(held[p]), actor_number(name)) for p in positions)
    # The filtered view that explains the cell: that side (and its one position), on the page that holds the card.
    position = positions[0] if len(positions) == 1 else None
    index = table.list_index[(side, position)][proposal_id]
    slug = table.refs[proposal_id][0]
    params = {
        "side": side.value,
        "position": position.value if position else None,
        "basis": basis.value if basis else None,
        "as_of": as_of,
        "page": index // PAGE_SIZE + 1 if index >= PAGE_SIZE else None,
    }
    return SideCell(side=side, stances=stances, label=label, url=with_query("/", params) + f"#proposal-{slug}")


def _tallies(table: _Table) -> list[SideTally]:
    return [
        SideTally(
            side=side,
            label=SIDE_LABELS[side],
            counts={p.value: len(table.list_index[(side, p)]) for p in POSITIONS},
            spoken=len(table.list_index[(side, None)]),
        )
        for side in SIDES
    ]


def _side_clause(who: str, counts: dict[str, int]) -> str:
    """'Russia rejects 3, sets conditions on 2 and backs 1': one whole clause for each set of positions
    held, the verbs in the number of the side's name ('США підтримують 9')."""
    r, c, s = (counts[p.value] for p in (Position.rejects, Position.conditional, Position.supports))
    n = actor_number(who)
    words = {"side": who, "rejects": i18n.number(r), "conditional": i18n.number(c), "supports": i18n.number(s)}
    if r and c and s:
        return ngettext(
            "%(side)s rejects %(rejects)s, sets conditions on %(conditional)s and backs %(supports)s",
            "%(side)s reject %(rejects)s, set conditions on %(conditional)s and back %(supports)s",
            n,
            **words,
        )
    if r and c:
        return ngettext(
            "%(side)s rejects %(rejects)s and sets conditions on %(conditional)s",
            "%(side)s reject %(rejects)s and set conditions on %(conditional)s",
            n,
            **words,
        )
    if r and s:
        return ngettext("%(side)s rejects %(rejects)s and backs %(supports)s", "%(side)s reject %(rejects)s and back %(supports)s", n, **words)
    if c and s:
        return ngettext(
            "%(side)s sets conditions on %(conditional)s and backs %(supports)s",
            "%(side)s set conditions on %(conditional)s and back %(supports)s",
            n,
            **words,
        )
    if r:
        return ngettext("%(side)s rejects %(rejects)s", "%(side)s reject %(rejects)s", n, **words)
    if c:
        return ngettext("%(side)s sets conditions on %(conditional)s", "%(side)s set conditions on %(conditional)s", n, **words)
    if s:
        return ngettext("%(side)s backs %(supports)s", "%(side)s back %(supports)s", n, **words)
    return ngettext("%(side)s has taken no position on any", "%(side)s have taken no position on any", n, side=who)


def lede(tallies: list[SideTally], count: int, as_of: dt.date | None, basis: Basis | None) -> str:
    """The counts in one sentence: 'Of the 14 proposals in the article, Russia rejects 3, …'."""
    qualifiers = []
    if as_of:
        qualifiers.append(gettext("As of %(day)s", day=day_label(as_of)))
    if basis is Basis.stated:
        qualifiers.append(gettext("counting only stances stated outright"))
    elif basis is Basis.reported:
        qualifiers.append(gettext("counting only stances reported by someone else"))
    elif basis is Basis.inferred:
        qualifiers.append(gettext("counting only our readings (inferred stances)"))
    if count == 0:
        if not qualifiers:
            return gettext("The article reports no stance on any proposal.")
        return gettext("%(qualifiers)s, the article reports no stance on any proposal.", qualifiers=", ".join(qualifiers))
    if qualifiers:
        start = ngettext(
            "%(qualifiers)s, of the %(num)s proposal with a stance shown",
            "%(qualifiers)s, of the %(num)s proposals with a stance shown",
            count,
            qualifiers=", ".join(qualifiers),
        )
        start = start[0].upper() + start[1:]
    else:
        start = ngettext("Of the %(num)s proposal in the article", "Of the %(num)s proposals in the article", count)
    parts = [_side_clause(SIDE_IN_SENTENCE[tally.side], tally.counts) for tally in tallies if tally.side in GRID_SIDES]
    return f"{start}, " + "; ".join(parts) + "."


def state_of_play(
    session: Session,
    as_of: dt.date | None = None,
    basis: Basis | None = None,
    window: Window = Window(0, HOME_ROWS),
) -> StateOfPlay:
    """One page of the grid (most discussed first), every side's counts, and the lede."""
    table = _table(session, as_of, basis)
    count = len(table.order)
    check_in_range(window, count)
    rows = []
    for proposal_id in window.slice(table.order):
        slug, title = table.refs[proposal_id]
        rows.append(
            StateOfPlayRow(
                proposal=ProposalRef(slug=slug, title=title, url=proposal_url(slug)),
                short_title=cut_words(title, SHORT_TITLE),
                stances=table.stances[proposal_id],
                cells=[_cell(table, proposal_id, side, as_of, basis) for side in GRID_SIDES],
            )
        )
    tallies = _tallies(table)
    return StateOfPlay(
        sides=list(GRID_SIDES),
        rows=rows,
        count=count,
        tallies=tallies,
        lede=lede(tallies, count, as_of, basis),
        as_of=as_of,
        basis=basis,
    )


def side_cells(session: Session, proposal_slug: str, as_of: dt.date | None = None) -> list[SideCell]:
    """Where each principal side stands on one proposal: the same cells as the state of play."""
    table = _table(session, as_of, None)
    proposal_id = table.by_slug.get(proposal_slug)
    if proposal_id is None:
        return []
    return [_cell(table, proposal_id, side, as_of, None) for side in GRID_SIDES]
