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
from typing import Any

from sqlalchemy import Boolean, Column, ColumnElement, Date, Index, Integer, MetaData, Select, String, Table, and_, cast, delete, exists, false, func, insert, literal_column, or_, select, true, type_coerce, union_all
from sqlalchemy.orm import Session

from app.models import Actor, Basis, DerivedCount, DerivedDay, DerivedReach, Event, Position, Precision, Reaction, Side, event_actor

ANY = "any"
EVERYONE = "everyone"


def who(actor_id: int | None = None, side: Side | None = None) -> str:
    """Whose stances a choice counts: one actor, else one side, else everyone."""
    if actor_id is not None:
        return f"actor:{actor_id}"
    if side is not None:
        return f"side:{side.value}"
    return EVERYONE


def who_of_actor(actor_id: ColumnElement[int]) -> ColumnElement[str]:
    """`who` of each row's actor, in SQL: for the build, and for a count_of correlated with actors."""
    return literal_column("'actor:'", String) + cast(actor_id, String)


def who_of_item(actor_id: int | None, proposal_id: int | None) -> str | None:
    """Whose timeline a `derived_day` choice counts: one actor's, one proposal's, or everyone's;
    None for an actor on one proposal (a few rows, counted directly)."""
    if actor_id is not None and proposal_id is not None:
        return None
    if actor_id is not None:
        return f"actor:{actor_id}"
    if proposal_id is not None:
        return f"proposal:{proposal_id}"
    return EVERYONE


def choice(value: Position | Basis | None) -> str:
    return value.value if value is not None else ANY


# --- building -------------------------------------------------------------------------------------


# Scratch tables of one build, in the build's transaction: each reaction with its actor's side and
# the positions it matches (one row for the position it holds, `own`; a proposer's also "supports").
_scratch = MetaData()
_matched = Table(
    "derived_build_matched", _scratch,
    Column("proposal_id", Integer), Column("actor_id", Integer), Column("side", String(16)), Column("position", String(16)),
    Column("own", Boolean), Column("basis", String(16)), Column("day", Date),
    prefixes=["TEMPORARY"],
)
# Per choice and day: how many proposals it starts to reach, and how many stances it starts to count.
_changes = Table(
    "derived_build_changes", _scratch,
    Column("who", String(40)), Column("position", String(16)), Column("basis", String(16)), Column("day", Date),
    Column("proposals", Integer), Column("stances", Integer),
    prefixes=["TEMPORARY"],
)
# Built once the changes are in: the sums below then read them in order instead of sorting them twice.
_changes_in_order = Index("ix_derived_build_changes_order", _changes.c.who, _changes.c.position, _changes.c.basis, _changes.c.day)
_changes.indexes.discard(_changes_in_order)  # created by hand, after the rows


def _fill_matched(session: Session) -> None:
    columns = [
        Reaction.proposal_id, Reaction.actor_id, type_coerce(Actor.side, String),
    ]
    rest = [type_coerce(Reaction.basis, String), Reaction.stated_on_end]
    names = ["proposal_id", "actor_id", "side", "position", "own", "basis", "day"]
    held = select(*columns, type_coerce(Reaction.position, String), true(), *rest).join(Actor, Actor.id == Reaction.actor_id)
    proposed = (
        select(*columns, literal_column(f"'{Position.supports.value}'", String), false(), *rest)
        .join(Actor, Actor.id == Reaction.actor_id)
        .where(Reaction.proposer.is_(True), Reaction.position != Position.supports)
    )
    session.execute(insert(_matched).from_select(names, held))
    session.execute(insert(_matched).from_select(names, proposed))


def _choices() -> list[tuple[str, bool, bool]]:
    """(who kind, by position, by basis): the twelve shapes of a choice."""
    return [(kind, by_position, by_basis) for kind in ("everyone", "side", "actor") for by_position in (False, True) for by_basis in (False, True)]


def _grouped(kind: str, by_position: bool, by_basis: bool, extra: str, aggregates: list[ColumnElement[Any]]) -> Select:
    """One shape's choices over the matched reactions, grouped by the choice and the `extra` column.
    Any position counts each reaction once (its own row); a position, every row that matches it."""
    rows = _matched.c
    any_value = literal_column(f"'{ANY}'", String)
    who_column: ColumnElement[str] = {
        "everyone": literal_column(f"'{EVERYONE}'", String),
        "side": literal_column("'side:'", String) + rows.side,
        "actor": who_of_actor(rows.actor_id),
    }[kind]
    keys = {"everyone": [], "side": [rows.side], "actor": [rows.actor_id]}[kind]
    keys += [rows.position] if by_position else []
    keys += [rows.basis] if by_basis else []
    query = select(
        who_column.label("who"),
        (rows.position if by_position else any_value).label("position"),
        (rows.basis if by_basis else any_value).label("basis"),
        rows[extra],
        *aggregates,
    ).group_by(*keys, rows[extra])
    return query if by_position else query.where(rows.own.is_(True))


def _build_days(session: Session) -> None:
    """The timeline's items grouped by date for each choice, as the timeline groups them: a
    proposal's are its reactions; everyone's and an actor's add the events (an actor's: those
    that name them)."""
    reaction_date = [Reaction.stated_on, Reaction.stated_on_end, type_coerce(Reaction.stated_on_precision, String), Reaction.stated_on_precision != Precision.day]
    event_date = [Event.occurred_on, Event.occurred_on_end, type_coerce(Event.occurred_on_precision, String), Event.occurred_on_precision != Precision.day]
    items = union_all(
        select(literal_column(f"'{EVERYONE}'", String).label("who"), *reaction_date),
        select(who_of_actor(Reaction.actor_id), *reaction_date),
        select(literal_column("'proposal:'", String) + cast(Reaction.proposal_id, String), *reaction_date),
        select(literal_column(f"'{EVERYONE}'", String), *event_date),
        select(who_of_actor(event_actor.c.actor_id), *event_date).join(Event, Event.id == event_actor.c.event_id),
    ).subquery()
    who_column, day, end, precision, rough = items.c
    session.execute(
        insert(DerivedDay).from_select(
            ["who", "day", "end", "precision", "rough", "items"],
            select(who_column, day, end, precision, rough, func.count()).group_by(who_column, day, end, precision, rough),
        )
    )


def build(session: Session) -> None:
    """Replace the derived tables with ones built from the reactions now in the session's transaction."""
    session.execute(delete(DerivedCount))
    session.execute(delete(DerivedReach))
    session.execute(delete(DerivedDay))
    _build_days(session)
    connection = session.connection()
    _scratch.drop_all(connection, checkfirst=True)
    _scratch.create_all(connection)
    _fill_matched(session)
    for kind, by_position, by_basis in _choices():
        reach = _grouped(kind, by_position, by_basis, "proposal_id", [func.min(_matched.c.day)])
        session.execute(insert(DerivedReach).from_select(["who", "position", "basis", "proposal_id", "known_from"], reach))
    changes = ["who", "position", "basis", "day", "proposals", "stances"]
    session.execute(
        insert(_changes).from_select(
            changes,
            select(
                DerivedReach.who, DerivedReach.position, DerivedReach.basis, DerivedReach.known_from, func.count(), literal_column("0"),
            ).group_by(DerivedReach.who, DerivedReach.position, DerivedReach.basis, DerivedReach.known_from),
        )
    )
    for kind, by_position, by_basis in _choices():
        session.execute(insert(_changes).from_select(changes, _grouped(kind, by_position, by_basis, "day", [literal_column("0"), func.count()])))
    _changes_in_order.create(connection)
    c = _changes.c
    choice_columns = [c.who, c.position, c.basis]
    columns = ["who", "position", "basis", "as_of", "proposals", "stances"]
    session.execute(
        insert(DerivedCount).from_select(
            columns,
            select(*choice_columns, literal_column("NULL"), func.sum(c.proposals), func.sum(c.stances)).group_by(*choice_columns),
        )
    )
    running = {"partition_by": choice_columns, "order_by": c.day}
    session.execute(
        insert(DerivedCount).from_select(
            columns,
            select(
                *choice_columns,
                c.day,
                func.sum(func.sum(c.proposals)).over(**running),  # type: ignore[arg-type]
                func.sum(func.sum(c.stances)).over(**running),  # type: ignore[arg-type]
            )
            .where(c.day.is_not(None))
            .group_by(*choice_columns, c.day),
        )
    )
    _scratch.drop_all(connection)


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


def day_groups(session: Session, who_value: str) -> list[Any]:
    """(day, end, precision, rough, items) of one choice's timeline, dated ones in the timeline's
    order (by day, exact days first), then the undated (`day` None)."""
    return list(
        session.execute(
            select(DerivedDay.day, DerivedDay.end, DerivedDay.precision, DerivedDay.rough, DerivedDay.items)
            .where(DerivedDay.who == who_value)
            .order_by(DerivedDay.day.is_(None), DerivedDay.day, DerivedDay.rough)
        )
    )


def missing(session: Session) -> bool:
    """True when the data has reactions or events but the newest derived table (derived_day) is
    empty: a database migrated past it since its last import. An unchanged seed set is then
    imported again."""
    has_data = session.scalar(select(or_(exists(select(Reaction.id)), exists(select(Event.id)))))
    return bool(has_data) and not session.scalar(select(exists(select(DerivedDay.id).where(DerivedDay.who == EVERYONE))))
