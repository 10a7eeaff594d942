"""The derived tables (app/derived.py) equal a direct count over the reactions, for every choice of
who (everyone, each side, each actor), position and basis, over every reaction and as of every day
that matters (each day a stance becomes known, the day before it, and days before and after all).

Checked after an import, after a changed seed is imported over it, and over synthetic data (where
proposers may set conditions, so one reaction matches two positions); on SQLite always and on
PostgreSQL when TEST_POSTGRES_URL is set (CI requires it).
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from app import derived
from app.cli import main as cli_main, migrate
from app.db import make_engine
from app.importer import import_seeds
from app.models import Actor, Basis, DerivedCount, DerivedDay, Event, Position, Precision, Proposal, Reaction, Side, event_actor
from app.synth import SynthSize, write_synth
from tests.conftest import sqlite_url
from tests.test_postgres import postgres_url  # noqa: F401 (the fixture: a fresh database, dropped afterwards)


@dataclass(frozen=True)
class Row:
    proposal_id: int
    actor_id: int
    side: Side
    position: Position
    proposer: bool
    basis: Basis
    known_on: dt.date | None


def base_rows(session: Session) -> list[Row]:
    return [
        Row(*row)
        for row in session.execute(
            select(
                Reaction.proposal_id, Reaction.actor_id, Actor.side, Reaction.position, Reaction.proposer, Reaction.basis,
                Reaction.stated_on_end,
            ).join(Actor, Actor.id == Reaction.actor_id)
        )
    ]


def holds(row: Row, actor_id: int | None, side: Side | None, position: Position | None, basis: Basis | None, as_of: dt.date | None) -> bool:
    """The rule as the site states it, written out again: a proposer supports its own proposal, and
    "as of D" counts what was known by D (so never an undated stance)."""
    if actor_id is not None and row.actor_id != actor_id:
        return False
    if side is not None and row.side is not side:
        return False
    if position is not None and not (row.position is position or (position is Position.supports and row.proposer)):
        return False
    if basis is not None and row.basis is not basis:
        return False
    return as_of is None or (row.known_on is not None and row.known_on <= as_of)


def days_that_matter(rows: list[Row], most: int) -> list[dt.date | None]:
    """Each day a stance becomes known and the day before (at most `most` of them, spread evenly),
    and days before and after all."""
    known = sorted({r.known_on for r in rows if r.known_on is not None})
    known = known[:: max(1, len(known) // most)]
    days: set[dt.date] = set(known) | {d - dt.timedelta(days=1) for d in known}
    days |= {dt.date(1990, 1, 1), dt.date(2100, 1, 1)}
    return [None, *sorted(days)]


def check_every_choice(engine: Engine, most_days: int = 40) -> int:
    """Compare every choice; returns how many comparisons were made."""
    compared = 0
    with Session(engine) as session:
        rows = base_rows(session)
        actors = list(session.execute(select(Actor.id, Actor.side)))
        all_proposals = set(session.scalars(select(Proposal.id)))
        whos: list[tuple[int | None, Side | None]] = [(None, None)] + [(None, side) for side in Side] + [(a, None) for a, _ in actors]
        by_who: dict[tuple[int | None, Side | None], list[Row]] = defaultdict(list)
        for row in rows:
            by_who[(None, None)].append(row)
            by_who[(None, row.side)].append(row)
            by_who[(row.actor_id, None)].append(row)
        mismatches: list[str] = []
        for as_of in days_that_matter(rows, most_days):
            for actor_id, side in whos:
                for position in [None, *Position]:
                    for basis in [None, *Basis]:
                        matching = [r for r in by_who[(actor_id, side)] if holds(r, actor_id, side, position, basis, as_of)]
                        expected_ids = {r.proposal_id for r in matching}
                        who = derived.who(actor_id, side)
                        got = derived.counts(session, who, position, basis, as_of)
                        got_ids = set(session.scalars(derived.reached(who, position, basis, as_of)))
                        if got != (len(expected_ids), len(matching)) or got_ids != expected_ids:
                            mismatches.append(
                                f"{who} {position} {basis} as of {as_of}: derived {got} {sorted(got_ids)}, "
                                f"direct {(len(expected_ids), len(matching))} {sorted(expected_ids)}"
                            )
                        assert expected_ids <= all_proposals
                        compared += 1
        assert mismatches == [], f"{len(mismatches)} of {compared} choices differ, e.g. {mismatches[:5]}"
    return compared


def check_every_timeline(engine: Engine) -> int:
    """The timeline's items per date (derived_day) equal a direct count: for everyone, each actor
    (their reactions and the events that name them) and each proposal (its reactions), dated ones
    in the timeline's order and then the undated. Returns how many choices were compared."""
    with Session(engine) as session:
        reactions = session.execute(
            select(Reaction.actor_id, Reaction.proposal_id, Reaction.stated_on, Reaction.stated_on_end, Reaction.stated_on_precision)
        ).all()
        events = {
            id_: (day, end, precision)
            for id_, day, end, precision in session.execute(select(Event.id, Event.occurred_on, Event.occurred_on_end, Event.occurred_on_precision))
        }
        named = session.execute(select(event_actor.c.event_id, event_actor.c.actor_id)).all()
        expected: dict[str, Counter[tuple]] = defaultdict(Counter)
        for actor_id, proposal_id, day, end, precision in reactions:
            key = (day, end, precision, precision is not Precision.day)
            for who in (derived.EVERYONE, f"actor:{actor_id}", f"proposal:{proposal_id}"):
                expected[who][key] += 1
        for day, end, precision in events.values():
            expected[derived.EVERYONE][(day, end, precision, precision is not Precision.day)] += 1
        for event_id, actor_id in named:
            day, end, precision = events[event_id]
            expected[f"actor:{actor_id}"][(day, end, precision, precision is not Precision.day)] += 1
        whos = [derived.EVERYONE]
        whos += [f"actor:{a}" for a in session.scalars(select(Actor.id))]
        whos += [f"proposal:{p}" for p in session.scalars(select(Proposal.id))]
        mismatches = []
        for who in whos:
            groups = derived.day_groups(session, who)
            got = Counter({(g.day, g.end, g.precision, g.rough): g.items for g in groups})
            if got != expected[who] or len(groups) != len(got):
                mismatches.append(f"{who}: derived {sorted(got.items(), key=str)[:3]}, direct {sorted(expected[who].items(), key=str)[:3]}")
            dated = [(g.day, g.rough) for g in groups if g.day is not None]
            if dated != sorted(dated) or any(g.day is not None for g in groups[len(dated):]):
                mismatches.append(f"{who}: not in the timeline's order")
        stray = set(session.scalars(select(DerivedDay.who).distinct())) - set(whos)
        assert mismatches == [] and not stray, f"{len(mismatches)} of {len(whos)} timelines differ, e.g. {mismatches[:3]}; rows for no one: {stray}"
    return len(whos)


def change_the_seeds(folder: Path) -> None:
    """Edits a reader's correction might make: a stance turned round, and its date moved."""
    (seed_file,) = folder.glob("*.yaml")
    text = seed_file.read_text(encoding="utf-8")
    block = text[text.index("  - slug: putin-rejects-nato-delay") :]
    block = block[: block.index("  - slug:", 10)]
    changed = block.replace("position: rejects", "position: conditional\n    condition: Changed for the derived-tables test.")
    changed = changed.replace("stated_on: {date: 2024-12-26,", "stated_on: {date: 2024-12-02,")
    assert changed.count("Changed for") == 1 and "2024-12-02" in changed
    seed_file.write_text(text.replace(block, changed), encoding="utf-8")


def run_the_checks(url: str, seeds: Path, synthetic: Path) -> None:
    migrate(url)
    engine = make_engine(url)
    try:
        import_seeds(engine, [seeds])
        assert check_every_choice(engine) > 1000
        assert check_every_timeline(engine) > 20
        change_the_seeds(seeds)
        import_seeds(engine, [seeds])
        check_every_choice(engine)
        check_every_timeline(engine)
        import_seeds(engine, [synthetic])  # everything replaced
        check_every_choice(engine, most_days=6)
        check_every_timeline(engine)
    finally:
        engine.dispose()


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    folder = tmp_path / "synthetic"
    write_synth(SynthSize(proposals=24, actors=14, density=0.5, seed=5), folder)
    return folder


def test_derived_counts_equal_direct_counts_on_sqlite(tmp_path: Path, seed_copy: Path, synthetic: Path) -> None:
    run_the_checks(sqlite_url(tmp_path / "derived.db"), seed_copy, synthetic)


@pytest.mark.postgres
def test_derived_counts_equal_direct_counts_on_postgresql(postgres_url: str, seed_copy: Path, synthetic: Path) -> None:  # noqa: F811
    run_the_checks(postgres_url, seed_copy, synthetic)


def tampered_with(tmp_path: Path, seed_copy: Path, change: Any) -> Engine:
    """A fresh import whose derived rows `change` (an UPDATE) then alters behind the importer's back."""
    url = sqlite_url(tmp_path / "stale.db")
    migrate(url)
    engine = make_engine(url)
    import_seeds(engine, [seed_copy])
    with Session(engine) as session, session.begin():
        session.execute(change)
    return engine


def test_the_check_catches_a_stale_table(tmp_path: Path, seed_copy: Path) -> None:
    """The comparison can fail: a derived row changed behind the importer's back is found."""
    change = (
        update(DerivedCount)
        .where(DerivedCount.who == derived.EVERYONE, DerivedCount.as_of.is_(None))
        .values(proposals=DerivedCount.proposals + 1)
    )
    engine = tampered_with(tmp_path, seed_copy, change)
    try:
        with pytest.raises(AssertionError, match="choices differ"):
            check_every_choice(engine)
    finally:
        engine.dispose()


def test_the_timeline_check_catches_a_stale_table(tmp_path: Path, seed_copy: Path) -> None:
    """The timeline comparison can fail too: one day's count changed behind the importer's back."""
    first_day = select(DerivedDay.id).where(DerivedDay.who == derived.EVERYONE).limit(1).scalar_subquery()
    engine = tampered_with(tmp_path, seed_copy, update(DerivedDay).where(DerivedDay.id == first_day).values(items=DerivedDay.items + 1))
    try:
        with pytest.raises(AssertionError, match="timelines differ"):
            check_every_timeline(engine)
    finally:
        engine.dispose()


def test_a_database_migrated_past_a_new_derived_table_gets_it_filled(tmp_path: Path, seed_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A migration that adds a derived table leaves it empty; the next import of the same seeds
    fills it (through the live file's build-aside) instead of answering "already up to date"."""
    url = sqlite_url(tmp_path / "live.db")
    argv = ["--database-url", url]
    assert cli_main([*argv, "migrate"]) == 0
    assert cli_main([*argv, "import", str(seed_copy)]) == 0
    engine = make_engine(url)
    try:
        with Session(engine) as session, session.begin():
            session.execute(delete(DerivedDay))  # as a migration that has just created the table leaves it
        capsys.readouterr()
        assert cli_main([*argv, "import", str(seed_copy)]) == 0
        assert "filled the new derived tables" in capsys.readouterr().out
        engine.dispose()  # the live file was swapped
        check_every_timeline(engine)
        assert cli_main([*argv, "import", str(seed_copy)]) == 0
        assert "already up to date" in capsys.readouterr().out
    finally:
        engine.dispose()
