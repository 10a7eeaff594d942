"""The migration chain builds exactly the schema the models describe."""

import sqlite3
from pathlib import Path

import pytest

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from app.db import make_engine
from app.models import Base
from tests.conftest import build_database



def _include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    # Same rule as migrations/env.py: the FTS objects are hand-written in migration 0002.
    return not (name or "").startswith(("search_fts", "ix_search_document_tsv"))


def test_upgrade_head_matches_models(tmp_path: Path) -> None:
    url = build_database(tmp_path / "schema.db")
    engine = make_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": _include_object, "render_as_batch": True}
        )
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_upgrade_creates_every_table_and_the_search_index(tmp_path: Path) -> None:
    url = build_database(tmp_path / "tables.db")
    engine = make_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert "search_fts" in tables
    assert "alembic_version" in tables


def test_filter_columns_are_indexed(tmp_path: Path) -> None:
    url = build_database(tmp_path / "indexes.db")
    engine = make_engine(url)
    indexes = {tuple(ix["column_names"]) for ix in inspect(engine).get_indexes("reaction")}
    engine.dispose()
    assert ("actor_id", "position", "proposal_id") in indexes
    assert ("position", "proposal_id") in indexes
    assert ("proposal_id",) in indexes


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    url = build_database(tmp_path / "fk.db")
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_web_engine_cannot_write(seeded_db: Path) -> None:
    engine = make_engine(f"sqlite:///{seeded_db}", read_only=True)
    with engine.connect() as connection:
        try:
            connection.execute(text("DELETE FROM actor"))
        except Exception as exc:  # noqa: BLE001 - any refusal will do; sqlite3 raises OperationalError
            assert "readonly" in str(exc).lower()
        else:
            raise AssertionError("the read-only engine deleted rows")
    engine.dispose()
    assert sqlite3.connect(seeded_db).execute("SELECT count(*) FROM actor").fetchone()[0] > 0


def test_an_out_of_date_schema_is_refused_with_what_to_run(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from app.config import PROJECT_ROOT
    from app.db import DatabaseNotReady, check_database_ready

    url = build_database(tmp_path / "old.db")
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = url
    command.downgrade(config, "0002")
    engine = make_engine(url, read_only=True)
    try:
        check_database_ready(engine)
    except DatabaseNotReady as exc:
        assert "'0002'" in str(exc) and "Run `truce migrate`" in str(exc)
    else:
        raise AssertionError("an out-of-date schema was accepted")
    finally:
        engine.dispose()


def test_a_missing_database_file_is_not_created(tmp_path: Path) -> None:
    from app.cli import main as truce

    missing = tmp_path / "typo" / "truce.db"
    assert truce(["--database-url", f"sqlite:///{missing}", "import"]) == 2
    assert not missing.exists()


def test_passwords_are_masked_in_database_url_errors(capsys) -> None:  # type: ignore[no-untyped-def]
    from app.cli import main as truce

    assert truce(["--database-url", "mysql://user:hunter2@db/x", "migrate"]) == 2
    err = capsys.readouterr().err
    assert "hunter2" not in err and "mysql://user:***@db/x" in err


def test_migration_0003_backfills_date_ends(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from app.config import PROJECT_ROOT
    from tests.conftest import SEEDS_DIR

    db = tmp_path / "backfill.db"
    url = build_database(db, [SEEDS_DIR])
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = url
    command.downgrade(config, "0002")
    command.upgrade(config, "head")
    with sqlite3.connect(db) as connection:
        ends = dict(connection.execute("SELECT slug, stated_on_end FROM reaction"))
        events = dict(connection.execute("SELECT slug, occurred_on_end FROM event"))
    assert ends["putin-rejects-nato-delay"] == "2024-12-26"
    assert ends["vance-proposes-demilitarized-zone"] == "2024-09-30"  # month precision: its last day
    assert ends["biden-proposed-nato-delay-per-putin"] == "2021-12-31"
    assert ends["nato-cautious-on-wartime-membership"] is None  # undated
    assert events["russia-annexes-crimea"] == "2014-12-31"


def test_migration_0004_marks_existing_reactions_stated_and_adds_the_log(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from app.config import PROJECT_ROOT
    from tests.conftest import SEEDS_DIR

    db = tmp_path / "basis.db"
    url = build_database(db, [SEEDS_DIR])
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = url
    command.downgrade(config, "0003")
    with sqlite3.connect(db) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(reaction)")}
        assert "basis" not in columns and "rationale" not in columns
        assert connection.execute("SELECT count(*) FROM sqlite_master WHERE name = 'correction'").fetchone()[0] == 0
        reactions = connection.execute("SELECT count(*) FROM reaction").fetchone()[0]
    command.upgrade(config, "0004")
    with sqlite3.connect(db) as connection:
        # rows already there are 'stated' with no rationale until the next import says otherwise
        assert connection.execute("SELECT basis, rationale, count(*) FROM reaction GROUP BY 1, 2").fetchall() == [("stated", "", reactions)]
        assert connection.execute("SELECT count(*) FROM correction").fetchone()[0] == 0
        indexes = {row[1] for row in connection.execute("PRAGMA index_list(reaction)")}
        assert "ix_reaction_basis_proposal" in indexes
        # the CHECK constraint holds the allowed values
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute("UPDATE reaction SET basis = 'implied'")


def test_migration_0005_marks_second_hand_stated_rows_reported_and_keeps_every_row(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from app.config import PROJECT_ROOT
    from tests.conftest import SEEDS_DIR

    db = tmp_path / "reported.db"
    url = build_database(db, [SEEDS_DIR])
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = url
    with sqlite3.connect(db) as connection:
        before = {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("reaction", "proposal", "search_document", "correction")}
        # Below 0007 there are no translations: the uk and ru search rows go with the downgrade.
        before["search_document"] = connection.execute("SELECT count(*) FROM search_document WHERE locale = 'en'").fetchone()[0]
        imported = dict(connection.execute("SELECT slug, basis FROM reaction"))
    command.downgrade(config, "0004")
    with sqlite3.connect(db) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(reaction)")}
        assert not {"reported_by", "reported_by_actor_id", "quotes"} & columns
        assert "proposer_unknown" not in {row[1] for row in connection.execute("PRAGMA table_info(proposal)")}
        # an 0004 database knows two bases: what the import marked reported reads as stated there
        assert {basis for (basis,) in connection.execute("SELECT DISTINCT basis FROM reaction")} == {"stated", "inferred"}
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute("UPDATE reaction SET basis = 'reported'")
        # the state an 0004 import leaves: a position someone else relays, filed as stated
        connection.execute("UPDATE reaction SET basis = 'stated' WHERE slug = 'moscow-would-accept-territory-deal-per-ash'")
        connection.execute("UPDATE reaction SET rationale = '' WHERE slug = 'moscow-would-accept-territory-deal-per-ash'")
    command.upgrade(config, "head")
    with sqlite3.connect(db) as connection:
        # rebuilding the proposal and reaction tables cascaded into no row that points at them
        after = {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in before}
        assert after == before
        rows = {
            slug: (basis, reported_by, evidence, outlet)
            for slug, basis, reported_by, evidence, outlet in connection.execute(
                "SELECT r.slug, r.basis, r.reported_by, r.evidence, s.outlet FROM reaction r JOIN source s ON s.id = r.source_id"
            )
        }
        # stated rows resting on someone else's account become reported, by their source's outlet
        second_hand = {"press-report-unnamed", "second-hand-account", "analyst-assessment"}
        for slug, (basis, reported_by, evidence, outlet) in rows.items():
            if imported[slug] == "inferred" and slug != "moscow-would-accept-territory-deal-per-ash":
                assert (basis, reported_by) == ("inferred", ""), slug  # our reading stays ours
            elif evidence in second_hand:
                assert (basis, reported_by) == ("reported", outlet), slug
            else:
                assert (basis, reported_by) == ("stated", ""), slug
        assert rows["biden-proposed-nato-delay-per-putin"][:2] == ("reported", "Kremlin")
        assert rows["moscow-would-accept-territory-deal-per-ash"][:2] == ("reported", "Tips & Tricks News Guide")
        assert rows["putin-rejects-nato-delay"][:2] == ("stated", "")
        # each quote becomes a one-item list
        quotes = dict(connection.execute("SELECT slug, quotes FROM reaction WHERE quote <> ''"))
        assert quotes["putin-rejects-biden-nato-delay"] == '["What difference does it make to us—today, tomorrow, or in 10 years?"]'
        assert connection.execute("SELECT count(*) FROM reaction WHERE quote = '' AND quotes <> '[]'").fetchone()[0] == 0
        assert connection.execute("SELECT count(*) FROM proposal WHERE proposer_unknown").fetchone()[0] == 0
        # the CHECK constraints hold the new values, and only those
        connection.execute("UPDATE correction SET change = 'marked-reported' WHERE id = (SELECT min(id) FROM correction)")
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute("UPDATE reaction SET basis = 'implied'")
        indexes = {row[1] for row in connection.execute("PRAGMA index_list(reaction)")}
        assert {"ix_reaction_basis_proposal", "ix_reaction_reported_by_actor_id"} <= indexes
    # the next import names who reports each one
    from app.importer import import_seeds

    engine = make_engine(url)
    import_seeds(engine, [SEEDS_DIR], force=True)
    engine.dispose()
    with sqlite3.connect(db) as connection:
        assert dict(connection.execute("SELECT slug, reported_by FROM reaction WHERE basis = 'reported'"))["biden-proposed-nato-delay-per-putin"] == "Vladimir Putin"
