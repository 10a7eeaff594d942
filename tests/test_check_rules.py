"""`truce check` rules for the classes of error a fact-check found: weekdays, spans, order,
stated versus inferred, copying, and the corrections log. Each fails on a bad seed and names
the file, the path inside it and the value."""

from pathlib import Path

import pytest

from app.cli import main as truce
from app.seeds import load_seed_set
from app.verbatim import copied_from_articles
from tests.conftest import ARTICLES_DIR
from tests.test_importer import SEED_FILE, edit_seed, errors_for


def record(data: dict, collection: str, slug: str) -> dict:
    return next(r for r in data[collection] if r["slug"] == slug)


def index_of(data_path: Path, collection: str, slug: str) -> int:
    import yaml

    data = yaml.safe_load(data_path.read_text(encoding="utf-8"))
    return [r["slug"] for r in data[collection]].index(slug)


def test_a_weekday_in_the_note_must_match_the_date(seed_copy: Path) -> None:
    # The bug the review found: "On Saturday" stored as Monday 16 December.
    def change(data: dict) -> None:
        record(data, "events", "zelenskyy-accuses-fico-second-energy-front")["occurred_on"].update(
            date="2024-12-16", until="2024-12-28", note="a Saturday in late December 2024"
        )

    path = edit_seed(seed_copy, change)
    index = index_of(path, "events", "zelenskyy-accuses-fico-second-energy-front")
    [error] = errors_for([seed_copy])
    assert error.startswith(f"{path}: events[{index}].occurred_on: ")
    assert "names a Saturday, but 2024-12-16 is a Monday" in error


def test_a_weekday_named_later_in_the_note_is_context(seed_copy: Path) -> None:
    edit_seed(
        seed_copy,
        lambda d: record(d, "events", "fico-threatens-retaliation-over-gas")["occurred_on"].update(
            note="after the meeting, and before the article that reports Lavrov’s Sunday interview"
        ),
    )
    load_seed_set([seed_copy])  # no error


def test_until_must_not_be_before_the_date(seed_copy: Path) -> None:
    path = edit_seed(
        seed_copy, lambda d: record(d, "events", "putin-fico-meeting-in-moscow")["occurred_on"].update(until="2024-12-10")
    )
    index = index_of(path, "events", "putin-fico-meeting-in-moscow")
    [error] = errors_for([seed_copy])
    assert error.startswith(f"{path}: events[{index}].occurred_on: ")
    assert "until 2024-12-10 is before date 2024-12-16" in error


def test_a_record_cannot_end_before_the_one_it_follows(seed_copy: Path) -> None:
    def change(data: dict) -> None:
        # Fico's threat "following his visit" dated before the visit.
        record(data, "events", "fico-threatens-retaliation-over-gas")["occurred_on"].update(
            date="2024-12-01", until="2024-12-10"
        )

    path = edit_seed(seed_copy, change)
    index = index_of(path, "events", "fico-threatens-retaliation-over-gas")
    [error] = errors_for([seed_copy])
    assert error.startswith(f"{path}: events[{index}].occurred_on.after: ")
    assert "ends 2024-12-10, before the event 'putin-fico-meeting-in-moscow' it followed starts (2024-12-16)" in error


def test_what_came_first_cannot_end_after_what_followed_it(seed_copy: Path) -> None:
    # The bug the review found: the Putin–Fico meeting could end after the announcement that followed it.
    path = edit_seed(
        seed_copy, lambda d: record(d, "events", "putin-fico-meeting-in-moscow")["occurred_on"].update(until="2024-12-31")
    )
    index = index_of(path, "reactions", "putin-open-to-talks-in-slovakia")
    errors = errors_for([seed_copy])
    assert any(
        e.startswith(f"{path}: reactions[{index}].stated_on.after: ")
        and "'putin-fico-meeting-in-moscow' it followed can end as late as 2024-12-31" in e
        for e in errors
    ), errors


def test_after_must_name_an_event_or_reaction(seed_copy: Path) -> None:
    path = edit_seed(
        seed_copy,
        lambda d: record(d, "events", "fico-threatens-retaliation-over-gas")["occurred_on"].update(after="putin-fico-meeting"),
    )
    [error] = errors_for([seed_copy])
    assert f"{path}: " in error and "'putin-fico-meeting' names no event or reaction; closest: putin-fico-meeting-in-moscow" in error


def test_inferred_needs_a_rationale(seed_copy: Path) -> None:
    path = edit_seed(seed_copy, lambda d: record(d, "reactions", "putin-wants-a-deal-per-ash").pop("rationale"))
    index = index_of(path, "reactions", "putin-wants-a-deal-per-ash")
    [error] = errors_for([seed_copy])
    assert error == (
        f"{path}: reactions[{index}]: an 'inferred' reaction needs a rationale: one sentence naming the passage it rests on"
    )


def test_a_rationale_only_on_inferred(seed_copy: Path) -> None:
    path = edit_seed(
        seed_copy, lambda d: record(d, "reactions", "putin-rejects-nato-delay").update(rationale="Our reading of it.")
    )
    index = index_of(path, "reactions", "putin-rejects-nato-delay")
    [error] = errors_for([seed_copy])
    assert error.startswith(f"{path}: reactions[{index}]: rationale given but basis is 'stated'")


def test_basis_is_required_and_must_be_known(seed_copy: Path) -> None:
    path = edit_seed(seed_copy, lambda d: record(d, "reactions", "putin-rejects-nato-delay").update(basis="implied"))
    index = index_of(path, "reactions", "putin-rejects-nato-delay")
    [error] = errors_for([seed_copy])
    assert error.startswith(f"{path}: reactions[{index}].basis: 'implied'") and "'stated' or 'inferred'" in error


@pytest.mark.skipif(not ARTICLES_DIR.is_dir(), reason=f"the source articles are not at {ARTICLES_DIR}")
def test_a_summary_that_copies_eight_words_is_caught(seed_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copied = "Putin dismissed the notion that deferring Ukraine’s NATO membership would be an acceptable compromise."
    path = edit_seed(seed_copy, lambda d: record(d, "reactions", "putin-rejects-nato-delay").update(summary=copied))
    index = index_of(path, "reactions", "putin-rejects-nato-delay")
    [problem] = copied_from_articles(load_seed_set([seed_copy]), ARTICLES_DIR)
    assert problem.startswith(f"{path}: reactions[{index}].summary: {copied!r} copies 8 or more consecutive words")
    # and `truce check` fails on it, naming the same place
    assert truce(["check", str(seed_copy), "--article-dir", str(ARTICLES_DIR)]) == 1
    assert f"reactions[{index}].summary" in capsys.readouterr().err


@pytest.mark.skipif(not ARTICLES_DIR.is_dir(), reason=f"the source articles are not at {ARTICLES_DIR}")
def test_a_condition_that_copies_is_caught_but_a_quoted_phrase_is_not(seed_copy: Path) -> None:
    def change(data: dict) -> None:
        record(data, "reactions", "zelenskyy-nato-compromise-per-ash").update(
            condition="Ukraine must be assured that under any agreement, Putin cannot simply invade again."
        )
        record(data, "reactions", "putin-wants-a-deal-per-ash").update(
            rationale="Ash’s words “Putin is bluffing; he wants a deal” are an analyst’s view, not Putin’s."
        )

    path = edit_seed(seed_copy, change)
    problems = copied_from_articles(load_seed_set([seed_copy]), ARTICLES_DIR)
    index = index_of(path, "reactions", "zelenskyy-nato-compromise-per-ash")
    assert [p.split(": ")[1] for p in problems] == [f"reactions[{index}].condition"]


def test_corrections_must_name_records_that_exist_unless_removed(seed_copy: Path) -> None:
    def change(data: dict) -> None:
        data["corrections"].append(
            {"on": "2026-11-29", "kind": "reaction", "record": "putin-rejects-nato-dela", "change": "corrected", "what_changed": "x", "why": "y"}
        )
        data["corrections"].append(
            {"on": "2026-11-29", "kind": "reaction", "record": "putin-rejects-nato-delay", "change": "removed", "what_changed": "x", "why": "y"}
        )

    path = edit_seed(seed_copy, change)
    count = len(load_yaml_corrections(path))
    errors = errors_for([seed_copy])
    assert any(
        e.startswith(f"{path}: corrections[{count - 2}].record: 'putin-rejects-nato-dela' names no reaction; closest: putin-rejects-nato-delay")
        for e in errors
    ), errors
    assert f"{path}: corrections[{count - 1}].record: 'putin-rejects-nato-delay' is logged as removed but is still a reaction in the seeds" in errors


def test_a_bare_on_key_is_read_as_the_date_not_as_yaml_true(seed_copy: Path) -> None:
    seeds = load_seed_set([seed_copy])
    assert seeds.corrections and all(entry.on.year >= 2026 for _, entry in seeds.corrections)
    assert "\n  - on: " in (seed_copy / SEED_FILE).read_text(encoding="utf-8")


def load_yaml_corrections(path: Path) -> list[dict]:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))["corrections"]
