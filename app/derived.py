"""The derived tables (app.models.DerivedReach, DerivedCount): built once per import, read by views.

Every count a proposal list shows (how many proposals a filter gives, each option's count in the
filter form, the stances behind each basis) is one question: which proposals have at least one
reaction matching a choice of who (everyone, one side, one actor), position and basis, known by a
day? The answer changes only at import, so `build` answers it then for every choice, and a view
reads a few indexed rows:

- `derived_reach`: each proposal a choice reaches, with the first day it does (the last possible
  day of its earliest matching dated reaction), so "as of D" is `known_from <= D`;
- `derived_count`: per choice, the counts over every reaction (`as_of` None), and the counts as of
  each day they change, so "as of D" is the latest row on or before D.

`build` runs inside the import's transaction (on SQLite, in the copy built aside), so the tables
can never describe other data than the rows beside them. tests/test_derived.py checks each count
against a direct count over the reactions.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Select, String, Subquery, and_, cast, delete, func, insert, literal_column, select, type_coerce, union_all
from sqlalchemy.orm import Session

from app.models import Actor, Basis, DerivedCount, DerivedReach, Position, Reaction, Side

ANY = "any"
EVERYONE = "everyone"


def who(actor_id: int | None = None, side: Side | None = None) -> str:
    """Whose stances a choice counts: one actor, else one side, else everyone."""
    if actor_id is not None:
        return f"actor:{actor_id}"
    if side is not None:
        return f"side:{side.value}"
    return EVERYONE


def choice(value: Position | Basis | None) -> str:
    return value.value if value is not None else ANY


# --- building -------------------------------------------------------------------------------------


def _reactions(*, by_position: bool) -> Select:
    """Reactions with their actor's side. By position, a proposer's reaction also matches
    "supports" (so it can be two rows); otherwise each reaction is one row."""
    columns = [
        Reaction.proposal_id.label("proposal_id"),
        Reaction.actor_id.label("actor_id"),
        type_coerce(Actor.side, String).label("side"),
        type_coerce(Reaction.basis, String).label("basis"),
        Reaction.stated_on_end.label("day"),
    ]
    held = select(*columns, type_coerce(Reaction.position, String).label("position")).join(Actor, Actor.id == Reaction.actor_id)
    if not by_position:
        return held
    proposed = (
        select(*columns, literal_column(f"'{Position.supports.value}'", String).label("position"))
        .join(Actor, Actor.id == Reaction.actor_id)
        .where(Reaction.proposer.is_(True), Reaction.position != Position.supports)
    )
    return union_all(held, proposed)  # type: ignore[return-value]


def _choices() -> list[tuple[str, bool, bool]]:
    """(who kind, by position, by basis): the twelve shapes of a choice."""
    return [(kind, by_position, by_basis) for kind in ("everyone", "side", "actor") for by_position in (False, True) for by_basis in (False, True)]


def _grouped(kind: str, by_position: bool, by_basis: bool, extra: str, aggregates: Callable[[Subquery], list[ColumnElement[Any]]]) -> Select:
    """One shape's choices over the reactions, grouped by the choice and the `extra` column."""
    rows = _reactions(by_position=by_position).subquery()
    any_value = literal_column(f"'{ANY}'", String)
    who_column: ColumnElement[str] = {
        "everyone": literal_column(f"'{EVERYONE}'", String),
        "side": literal_column("'side:'", String) + rows.c.side,
        "actor": literal_column("'actor:'", String) + cast(rows.c.actor_id, String),
    }[kind]
    keys = {"everyone": [], "side": [rows.c.side], "actor": [rows.c.actor_id]}[kind]
    keys += [rows.c.position] if by_position else []
    keys += [rows.c.basis] if by_basis else []
    return select(
        who_column.label("who"),
        (rows.c.position if by_position else any_value).label("position"),
        (rows.c.basis if by_basis else any_value).label("basis"),
        rows.c[extra],
        *aggregates(rows),
    ).group_by(*keys, rows.c[extra])


def build(session: Session) -> None:
    """Replace the derived tables with ones built from the reactions now in the session's transaction."""
    session.execute(delete(DerivedCount))
    session.execute(delete(DerivedReach))
    for kind, by_position, by_basis in _choices():
        reach = _grouped(kind, by_position, by_basis, "proposal_id", lambda rows: [func.min(rows.c.day)])
        session.execute(insert(DerivedReach).from_select(["who", "position", "basis", "proposal_id", "known_from"], reach))
    # What changes on each day, per choice: proposals it starts to reach, and stances it starts to count.
    started = [
        select(
            DerivedReach.who, DerivedReach.position, DerivedReach.basis, DerivedReach.known_from.label("day"),
            func.count().label("proposals"), literal_column("0").label("stances"),
        ).group_by(DerivedReach.who, DerivedReach.position, DerivedReach.basis, DerivedReach.known_from)
    ]
    for kind, by_position, by_basis in _choices():
        started.append(_grouped(kind, by_position, by_basis, "day", lambda rows: [literal_column("0"), func.count()]))
    changes = union_all(*started).subquery()
    choice_columns = [changes.c.who, changes.c.position, changes.c.basis]
    columns = ["who", "position", "basis", "as_of", "proposals", "stances"]
    session.execute(
        insert(DerivedCount).from_select(
            columns,
            select(*choice_columns, literal_column("NULL").label("as_of"), func.sum(changes.c.proposals), func.sum(changes.c.stances)).group_by(
                *choice_columns
            ),
        )
    )
    running = {"partition_by": choice_columns, "order_by": changes.c.day}
    session.execute(
        insert(DerivedCount).from_select(
            columns,
            select(
                *choice_columns,
                changes.c.day,
                func.sum(func.sum(changes.c.proposals)).over(**running),  # type: ignore[arg-type]
                func.sum(func.sum(changes.c.stances)).over(**running),  # type: ignore[arg-type]
            )
            .where(changes.c.day.is_not(None))
            .group_by(*choice_columns, changes.c.day),
        )
    )


# --- reading --------------------------------------------------------------------------------------


def _known(as_of: dt.date | None) -> ColumnElement[bool]:
    if as_of is None:
        return DerivedCount.as_of.is_(None)
    return DerivedCount.as_of <= as_of


def count_of(who_column: ColumnElement[str] | str, position: Position | None, basis: Basis | None, as_of: dt.date | None, column: str = "proposals"):  # type: ignore[no-untyped-def]
    """A scalar subquery: the choice's count of proposals (or stances), over every reaction or as of a day."""
    query = select(getattr(DerivedCount, column)).where(
        DerivedCount.who == who_column, DerivedCount.position == choice(position), DerivedCount.basis == choice(basis), _known(as_of)
    )
    if as_of is not None:
        query = query.order_by(DerivedCount.as_of.desc())
    return func.coalesce(query.limit(1).scalar_subquery(), 0)


def counts(session: Session, who_value: str, position: Position | None, basis: Basis | None, as_of: dt.date | None) -> tuple[int, int]:
    """(proposals, stances) for one choice."""
    row = session.execute(
        select(count_of(who_value, position, basis, as_of), count_of(who_value, position, basis, as_of, "stances"))
    ).one()
    return row[0], row[1]


def reached(who_value: str, position: Position | None, basis: Basis | None, as_of: dt.date | None) -> Select:
    """The ids of the proposals a choice reaches (by `as_of`, when given)."""
    query = select(DerivedReach.proposal_id).where(
        DerivedReach.who == who_value, DerivedReach.position == choice(position), DerivedReach.basis == choice(basis)
    )
    if as_of is not None:
        query = query.where(and_(DerivedReach.known_from.is_not(None), DerivedReach.known_from <= as_of))
    return query
