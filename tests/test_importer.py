"""The importer: validation errors that name file, path, value and what is allowed; all or nothing;
idempotent; updates and removals by slug; `truce check` writes nothing."""

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from app.cli import main as truce
from app.seeds import SeedValidationError, load_seed_set
from tests.conftest import ROOT, SEEDS_DIR, build_database

SEED_FILE = "article-russia-rejects-truce-plan.yaml"
DATA_TABLES = ["source", "actor", "proposal", "reaction", "event", "event_actor", "correction", "search_document", "data_version"]


def dump_tables(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as connection:
        return {t: connection.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in DATA_TABLES}


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_yaml(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def edit_seed(seed_dir: Path, change) -> Path:  # type: ignore[no-untyped-def]
    path = seed_dir / SEED_FILE
    data = load_yaml(path)
    change(data)
    write_yaml(path, data)
    return path


def drop_corrections(data: dict, records: set[str]) -> None:
    """A record removed by a test takes its correction entries with it (they must name live records)."""
    data["corrections"] = [c for c in data["corrections"] if c["record"] not in records]


def errors_for(paths: list[Path]) -> list[str]:
    with pytest.raises(SeedValidationError) as caught:
        load_seed_set(paths)
    return [str(e) for e in caught.value.errors]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "import.db"
    build_database(path, [SEEDS_DIR])
    return path


def run_import(db: Path, *paths: Path) -> int:
    return truce(["--database-url", f"sqlite:///{db}", "import", *map(str, paths)])


# --- each kind of seed error ---------------------------------------------------------------


def test_bad_position_names_file_path_value_and_allowed(seed_copy: Path) -> None:
    path = edit_seed(seed_copy, lambda d: d["reactions"][4].update(position="backs"))
    [error] = errors_for([seed_copy])
    assert error.startswith(f"{path}: reactions[4].position: 'backs'")
    assert "'supports', 'conditional' or 'rejects'" in error


def test_missing_field(seed_copy: Path) -> None:
    path = edit_seed(seed_copy, lambda d: d["proposals"][1].pop("summary"))
    assert errors_for([seed_copy]) == [f"{path}: proposals[1].summary: required field is missing"]


def test_unknown_field(seed_copy: Path) -> None:
    edit_seed(seed_copy, lambda d: d["actors"][0].update(nickname="The Donald"))
    [error] = errors_for([seed_copy])
    assert "actors[0].nickname: unknown field" in error


def test_bad_slug(seed_copy: Path) -> None:
    edit_seed(seed_copy, lambda d: d["actors"][2].update(slug="JD Vance"))
    errors = errors_for([seed_copy])
    assert any("actors[2].slug: 'JD Vance' is not a slug" in e for e in errors)


def test_date_that_does_not_fit_its_precision(seed_copy: Path) -> None:
    edit_seed(seed_copy, lambda d: d["reactions"][0]["stated_on"].update(date="2024-09-15"))
    [error] = errors_for([seed_copy])
    assert "reactions[0].stated_on" in error
    assert "'2024-09-15' does not fit precision 'month': write it as YYYY-MM" in error


# A reaction with an approximate date ("a Sunday after 26 December"), and where it sits in the file.
LAVROV = "lavrov-rejects-nato-delay"
LAVROV_INDEX = [r["slug"] for r in load_yaml(SEEDS_DIR / SEED_FILE)["reactions"]].index(LAVROV)
# and one dated to the day
PUTIN_INDEX = [r["slug"] for r in load_yaml(SEEDS_DIR / SEED_FILE)["reactions"]].index("putin-rejects-nato-delay")


def test_impossible_date(seed_copy: Path) -> None:
    edit_seed(seed_copy, lambda d: d["reactions"][LAVROV_INDEX]["stated_on"].update(date="2024-02-30", precision="day"))
    [error] = errors_for([seed_copy])
    assert f"reactions[{LAVROV_INDEX}].stated_on" in error and "'2024-02-30' is not a real date" in error


def test_approximate_date_needs_a_note(seed_copy: Path) -> None:
    edit_seed(seed_copy, lambda d: d["reactions"][LAVROV_INDEX]["stated_on"].pop("note"))
    [error] = errors_for([seed_copy])
    assert f"reactions[{LAVROV_INDEX}].stated_on" in error and "approximate date needs a note" in error


def test_conditional_needs_a_condition(seed_copy: Path) -> None:
    def change(data: dict) -> None:
        reaction = next(r for r in data["reactions"] if r["position"] == "conditional")
        reaction.pop("condition")

    edit_seed(seed_copy, change)
    [error] = errors_for([seed_copy])
    assert "a 'conditional' reaction needs a condition" in error


def test_dangling_reference_suggests_the_closest_slug(seed_copy: Path) -> None:
    edit_seed(seed_copy, lambda d: d["reactions"][LAVROV_INDEX].update(actor="vladimir-puttin"))
    [error] = errors_for([seed_copy])
    assert error.endswith(f"reactions[{LAVROV_INDEX}].actor: 'vladimir-puttin' names no actor; closest: vladimir-putin")


def test_proposal_without_proposer(seed_copy: Path) -> None:
    def change(data: dict) -> None:
        for reaction in data["reactions"]:
            if reaction["proposal"] == "demilitarized-zone":
                reaction["proposer"] = False

    edit_seed(seed_copy, change)
    [error] = errors_for([seed_copy])
    assert "'demilitarized-zone' has no reaction with proposer: true" in error


def test_same_slug_defined_differently_in_two_files(seed_copy: Path) -> None:
    data = load_yaml(seed_copy / SEED_FILE)
    other = {
        "document": "second-article",
        "sources": [{"slug": "second-article", "title": "T", "outlet": "O", "kind": "news article", "published": {"precision": "unknown"}}],
        "actors": [{**data["actors"][5], "role": "Someone else"}],
    }
    write_yaml(seed_copy / "second-article.yaml", other)
    [error] = errors_for([seed_copy])
    assert "actors[0].slug: 'vladimir-putin' is already defined differently in" in error


def test_invalid_yaml_names_the_line(seed_copy: Path) -> None:
    path = seed_copy / SEED_FILE
    path.write_text(path.read_text(encoding="utf-8") + "\n  - slug: [unclosed\n", encoding="utf-8")
    [error] = errors_for([seed_copy])
    assert error.startswith(f"{path}: line ") and "not valid YAML" in error


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    [error] = errors_for([path])
    assert "must be a YAML mapping" in error and "got list" in error


def test_no_seed_files(tmp_path: Path) -> None:
    [error] = errors_for([tmp_path])
    assert "no .yaml seed files found" in error


# --- the command line -------------------------------------------------------------------------


def test_import_reports_errors_and_exits_non_zero(db: Path, seed_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_seed(seed_copy, lambda d: d["reactions"][4].update(position="backs"))
    assert run_import(db, seed_copy) == 1
    err = capsys.readouterr().err
    assert "reactions[4].position: 'backs'" in err
    assert "nothing was imported" in err


def test_check_validates_without_writing(db: Path, seed_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = dump_tables(db)
    assert truce(["--database-url", f"sqlite:///{db}", "check", str(seed_copy)]) == 0
    assert "seeds are valid: 14 proposals" in capsys.readouterr().out
    edit_seed(seed_copy, lambda d: d["proposals"][0].update(slug="Bad Slug"))
    assert truce(["check", str(seed_copy)]) == 1
    assert dump_tables(db) == before


def test_bad_database_url_gets_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert truce(["--database-url", "mysql://u:p@localhost/db", "migrate"]) == 2
    err = capsys.readouterr().err
    assert "'mysql://u:***@localhost/db'" in err and "Allowed: sqlite:///" in err
    assert truce(["--database-url", "not a url", "import"]) == 2
    assert "'not a url' is not a database URL" in capsys.readouterr().err


def test_serve_with_bad_database_url_exits_cleanly() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", "1"],
        env={"DATABASE_URL": "oracle://nope", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2
    assert "'oracle://nope'" in result.stderr and "Traceback" not in result.stderr


# --- all or nothing, idempotent, updates by slug -------------------------------------------------


def test_bad_record_at_the_end_changes_nothing(db: Path, seed_copy: Path) -> None:
    before = dump_tables(db)

    def change(data: dict) -> None:
        data["proposals"][0]["title"] = "An edited title that must not land"
        data["events"].append({**data["events"][-1], "slug": "bad-event", "occurred_on": {"date": "2025-13-01", "precision": "day"}})

    edit_seed(seed_copy, change)
    assert run_import(db, seed_copy) == 1
    assert dump_tables(db) == before


def test_a_crash_mid_import_leaves_the_old_data(db: Path, seed_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A database error after other tables were written rolls the whole import back."""
    with sqlite3.connect(db) as connection:
        connection.execute(
            "CREATE TRIGGER refuse_event BEFORE INSERT ON event WHEN NEW.slug = 'late-event' "
            "BEGIN SELECT RAISE(ABORT, 'simulated crash'); END"
        )
    before = dump_tables(db)

    def change(data: dict) -> None:
        data["proposals"][0]["title"] = "Written before the crash"
        data["actors"].append({**data["actors"][0], "slug": "new-actor", "name": "New Actor"})
        data["events"].append({**data["events"][0], "slug": "late-event"})

    edit_seed(seed_copy, change)
    assert run_import(db, seed_copy) == 1
    assert "simulated crash" in capsys.readouterr().err
    assert dump_tables(db) == before


def test_import_twice_gives_identical_tables(db: Path) -> None:
    first = dump_tables(db)
    assert run_import(db, SEEDS_DIR) == 0
    assert dump_tables(db) == first


def test_reimport_updates_by_slug_and_removes_what_is_gone(db: Path, seed_copy: Path) -> None:
    with sqlite3.connect(db) as connection:
        putin_id = connection.execute("SELECT id FROM actor WHERE slug = 'vladimir-putin'").fetchone()[0]

    def change(data: dict) -> None:
        data["actors"][5]["role"] = "President of Russia"
        data["reactions"] = [r for r in data["reactions"] if r["slug"] != "fico-offers-to-host-talks"]
        data["events"] = [e for e in data["events"] if e["slug"] != "trump-inauguration"]
        data["events"][0]["actors"] = ["vladimir-putin"]
        drop_corrections(data, {"fico-offers-to-host-talks", "trump-inauguration"})

    edit_seed(seed_copy, change)
    assert run_import(db, seed_copy) == 0
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT id, role FROM actor WHERE slug = 'vladimir-putin'").fetchone() == (putin_id, "President of Russia")
        assert connection.execute("SELECT count(*) FROM reaction WHERE slug = 'fico-offers-to-host-talks'").fetchone()[0] == 0
        assert connection.execute("SELECT count(*) FROM event WHERE slug = 'trump-inauguration'").fetchone()[0] == 0
        actors = connection.execute(
            "SELECT a.slug FROM event_actor ea JOIN event e ON e.id = ea.event_id JOIN actor a ON a.id = ea.actor_id "
            "WHERE e.slug = 'russia-annexes-crimea'"
        ).fetchall()
        assert actors == [("vladimir-putin",)]
        versions = connection.execute("SELECT count(*) FROM data_version").fetchone()[0]
    assert versions == 2  # a new data version for changed seeds, none for an identical re-import


def test_removing_an_actor_and_its_reactions(db: Path, seed_copy: Path) -> None:
    def change(data: dict) -> None:
        data["actors"] = [a for a in data["actors"] if a["slug"] != "robert-fico"]
        data["reactions"] = [r for r in data["reactions"] if r["actor"] != "robert-fico"]
        for event in data["events"]:
            event["actors"] = [a for a in event["actors"] if a != "robert-fico"]
        drop_corrections(data, {"fico-offers-to-host-talks"})

    edit_seed(seed_copy, change)
    assert run_import(db, seed_copy) == 0
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM actor WHERE slug = 'robert-fico'").fetchone()[0] == 0
        assert connection.execute("SELECT count(*) FROM search_document WHERE title = 'Robert Fico'").fetchone()[0] == 0


def test_until_is_only_for_approximate_dates_and_not_before_the_date(seed_copy: Path) -> None:
    edit_seed(seed_copy, lambda d: d["reactions"][PUTIN_INDEX]["stated_on"].update(until="2024-12-31"))
    [error] = errors_for([seed_copy])
    assert f"reactions[{PUTIN_INDEX}].stated_on" in error and "until is only for approximate dates, not 'day'" in error


def test_until_before_the_date(seed_copy: Path) -> None:
    edit_seed(seed_copy, lambda d: d["reactions"][LAVROV_INDEX]["stated_on"].update(until="2024-12-01"))
    [error] = errors_for([seed_copy])
    assert "until 2024-12-01 is before date 2024-12-29" in error


def test_import_into_an_unmigrated_database_says_to_migrate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert truce(["--database-url", f"sqlite:///{tmp_path / 'blank.db'}", "import"]) == 2
    assert "Run `truce migrate` first" in capsys.readouterr().err


def test_serve_without_a_database_exits_with_a_message(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", "1"],
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'missing.db'}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2
    assert "there is no database file at" in result.stderr and "Traceback" not in result.stderr


def test_removing_a_source_after_moving_what_cites_it(db: Path, seed_copy: Path) -> None:
    """References move to another source and the old one goes, in one import."""
    gone = "wsj-report-2024-11-06"

    def change(data: dict) -> None:
        data["sources"] = [s for s in data["sources"] if s["slug"] != gone]
        for record in data["reactions"] + data["events"]:
            if record["source"] == gone:
                record["source"] = data["document"]
        for proposal in data["proposals"]:
            if proposal["first_reported_by"] == gone:
                proposal["first_reported_by"] = data["document"]
        # the source has log entries, so its removal is logged too
        data["corrections"].append({
            "on": dt.date(2026, 12, 7), "kind": "source", "record": gone, "change": "removed",
            "what_changed": "Removed the Journal's report as a source of its own.", "why": "A test of the import.",
        })

    edit_seed(seed_copy, change)
    assert run_import(db, seed_copy) == 0
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM source WHERE slug = ?", (gone,)).fetchone()[0] == 0
        moved = connection.execute(
            "SELECT s.slug FROM reaction r JOIN source s ON s.id = r.source_id WHERE r.slug = 'trump-team-proposes-nato-delay'"
        ).fetchone()
    assert moved == ("news-guide-russia-rejects-truce-plan",)
