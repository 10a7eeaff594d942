"""`truce synth` and the importer at scale: deterministic valid synthetic seeds, the C YAML loader,
skipping an unchanged seed set, bulk writes, and pruning past SQLite's variable limit."""

import sqlite3
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from sqlalchemy import event

from app.cli import main as truce
from app.db import make_engine
from app.importer import import_seeds
from app.seeds import YamlLoader, load_seed_set
from app.synth import SynthSize, write_synth
from tests.conftest import SEEDS_DIR, build_database, sqlite_url


def test_synth_is_deterministic_valid_and_realistic(tmp_path: Path) -> None:
    size = SynthSize(proposals=40, actors=30, density=0.2, seed=7)
    first = write_synth(size, tmp_path / "a")
    second = write_synth(size, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    other = write_synth(SynthSize(proposals=40, actors=30, density=0.2, seed=8), tmp_path / "c")
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]

    seeds = load_seed_set([tmp_path / "a"])  # the real validation
    assert len(seeds.proposals) == 40 and len(seeds.actors) == 30 and len(seeds.reactions) == 40 * 6
    assert {r.proposal for r in seeds.reactions.values() if r.proposer} == set(seeds.proposals)
    assert len(seeds.sources) > 5
    precisions = Counter(r.stated_on.precision.value for r in seeds.reactions.values())
    assert {"day", "month", "approximate", "unknown"} <= set(precisions)
    conditional = [r for r in seeds.reactions.values() if r.position.value == "conditional"]
    assert conditional and all(len(r.condition) >= 40 for r in conditional)
    quotes = [len(r.quote) for r in seeds.reactions.values() if r.quote]
    assert quotes and 60 <= sum(quotes) / len(quotes) <= 300
    summaries = [len(p.summary) for p in seeds.proposals.values()]
    assert min(summaries) >= 150
    # Activity is skewed: the busiest actor speaks far more often than the quietest.
    activity = Counter(r.actor for r in seeds.reactions.values())
    assert max(activity.values()) >= 3 * min(activity.values())


def test_synth_command_writes_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert truce(["synth", "--proposals", "5", "--actors", "4", "--density", "0.5", str(tmp_path)]) == 0
    assert "10 reactions" in capsys.readouterr().out
    assert load_seed_set([tmp_path]).reactions
    assert truce(["synth", "--proposals", "0", str(tmp_path)]) == 2
    assert "--proposals" in capsys.readouterr().err


def test_the_c_yaml_loader_is_used_when_present() -> None:
    if yaml.__with_libyaml__:
        assert YamlLoader is yaml.CSafeLoader
    text = (SEEDS_DIR / "article-russia-rejects-truce-plan.yaml").read_text(encoding="utf-8")
    assert yaml.load(text, Loader=YamlLoader) == yaml.safe_load(text)


def test_an_unchanged_seed_set_is_not_imported_again(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    write_synth(SynthSize(proposals=60, actors=40, density=0.5, seed=3), seeds)
    db = tmp_path / "skip.db"
    build_database(db)
    engine = make_engine(sqlite_url(db))
    try:
        start = time.perf_counter()
        first = import_seeds(engine, [seeds])
        full = time.perf_counter() - start
        statements: list[str] = []
        event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        start = time.perf_counter()
        again = import_seeds(engine, [seeds])
        skipped = time.perf_counter() - start
    finally:
        engine.dispose()
    assert first.changed and not again.changed
    assert again.content_hash == first.content_hash and again.counts == first.counts
    # Nothing written: no INSERT, UPDATE or DELETE, only the version and count lookups.
    assert not [s for s in statements if s.split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert skipped < 0.5 and skipped < full / 4, (skipped, full)
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM data_version").fetchone()[0] == 1


def test_force_imports_an_unchanged_seed_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "force.db"
    build_database(db, [SEEDS_DIR])
    url = f"sqlite:///{db}"
    assert truce(["--database-url", url, "import", str(SEEDS_DIR)]) == 0
    assert "already up to date" in capsys.readouterr().out
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE actor SET name = 'Tampered' WHERE slug = 'vladimir-putin'")
    assert truce(["--database-url", url, "import", "--force", str(SEEDS_DIR)]) == 0
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT name FROM actor WHERE slug = 'vladimir-putin'").fetchone()[0] == "Vladimir Putin"


def test_bulk_writes_not_one_statement_per_row(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    write_synth(SynthSize(proposals=100, actors=60, density=0.5, seed=5), seeds)  # 3,000 reactions
    db = tmp_path / "bulk.db"
    build_database(db)
    engine = make_engine(sqlite_url(db))
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    try:
        import_seeds(engine, [seeds])
    finally:
        engine.dispose()
    # About 50 for the rows, in batches, and a fixed 35 for the derived tables (app/derived.py),
    # which are built by INSERT ... SELECT whatever the size.
    assert len(statements) < 100, f"{len(statements)} statements for 3,000 reactions"


def test_prune_works_past_sqlites_default_variable_limit(tmp_path: Path) -> None:
    """SQLite's default SQLITE_MAX_VARIABLE_NUMBER is 32,766; Debian builds it higher, so set it."""
    seeds = tmp_path / "seeds"
    write_synth(SynthSize(proposals=330, actors=100, density=1.0, seed=2), seeds)  # 33,000 reactions
    db = tmp_path / "limit.db"
    build_database(db)
    engine = make_engine(sqlite_url(db))

    @event.listens_for(engine, "connect")
    def _default_limit(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32766)

    try:
        assert import_seeds(engine, [seeds]).counts["reactions"] == 33_000
        with engine.connect() as connection:
            assert connection.connection.dbapi_connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) == 32766
        # Every one of the 33,000 reactions (and all the synthetic actors and proposals) goes.
        import_seeds(engine, [SEEDS_DIR])
    finally:
        engine.dispose()
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM reaction WHERE slug LIKE 'synth-%'").fetchone()[0] == 0
        assert connection.execute("SELECT count(*) FROM actor WHERE slug LIKE 'synth-%'").fetchone()[0] == 0
        assert connection.execute("SELECT count(*) FROM reaction").fetchone()[0] > 0
