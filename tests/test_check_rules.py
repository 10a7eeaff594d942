"""`truce check` rules for the classes of error a fact-check found: weekdays, spans, order,
stated, reported or inferred, one reaction per statement, proposers against their proposal,
paragraph numbers, copying, and the corrections log. Each fails on a bad seed and names the file,
the path inside it and the value."""

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
    path = edit_seed(seed_copy, lambda d: record(d, "reactions", "zelenskyy-lobbied-for-long-range-strikes").pop("rationale"))
    index = index_of(path, "reactions", "zelenskyy-lobbied-for-long-range-strikes")
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
    assert error.startswith(f"{path}: reactions[{index}].rationale: rationale given but basis is 'stated'")


def test_basis_is_required_and_must_be_known(seed_copy: Path) -> None:
    path = edit_seed(seed_copy, lambda d: record(d, "reactions", "putin-rejects-nato-delay").update(basis="implied"))
    index = index_of(path, "reactions", "putin-rejects-nato-delay")
    [error] = errors_for([seed_copy])
    assert error.startswith(f"{path}: reactions[{index}].basis: 'implied'") and "'stated', 'reported' or 'inferred'" in error


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
        record(data, "reactions", "nato-cautious-on-wartime-membership").update(
            condition="Ukraine must be assured that under any agreement, Putin cannot simply invade again."
        )
        record(data, "reactions", "ukraine-demands-reversal-of-annexations").update(
            rationale="Ash’s words “Putin is bluffing; he wants a deal” are an analyst’s view, not Putin’s."
        )

    path = edit_seed(seed_copy, change)
    problems = copied_from_articles(load_seed_set([seed_copy]), ARTICLES_DIR)
    index = index_of(path, "reactions", "nato-cautious-on-wartime-membership")
    assert [p.split(": ")[1] for p in problems] == [f"reactions[{index}].condition"]


def test_reported_needs_reported_by(seed_copy: Path) -> None:
    path = edit_seed(seed_copy, lambda d: record(d, "reactions", "biden-proposed-nato-delay-per-putin").pop("reported_by"))
    index = index_of(path, "reactions", "biden-proposed-nato-delay-per-putin")
    [error] = errors_for([seed_copy])
    assert error.startswith(f"{path}: reactions[{index}].reported_by: a 'reported' reaction needs reported_by")


def test_reported_by_only_on_reported(seed_copy: Path) -> None:
    path = edit_seed(seed_copy, lambda d: record(d, "reactions", "putin-rejects-nato-delay").update(reported_by="sergey-lavrov"))
    index = index_of(path, "reactions", "putin-rejects-nato-delay")
    [error] = errors_for([seed_copy])
    assert error == (
        f"{path}: reactions[{index}].reported_by: 'sergey-lavrov' given but basis is 'stated'; only 'reported' takes reported_by"
    )


def test_reported_by_that_looks_like_a_slug_must_name_an_actor(seed_copy: Path) -> None:
    path = edit_seed(seed_copy, lambda d: record(d, "reactions", "biden-proposed-nato-delay-per-putin").update(reported_by="vladimir-puttin"))
    index = index_of(path, "reactions", "biden-proposed-nato-delay-per-putin")
    [error] = errors_for([seed_copy])
    assert error.startswith(f"{path}: reactions[{index}].reported_by: 'vladimir-puttin' looks like an actor slug but names no actor; closest: vladimir-putin")


def test_a_stated_reaction_without_a_quote_needs_on_record_evidence(seed_copy: Path) -> None:
    # The class the 6 December check found: the Journal's unnamed sources filed as the team's own word.
    def change(data: dict) -> None:
        reaction = record(data, "reactions", "trump-team-proposes-nato-delay")
        reaction.update(basis="stated")
        reaction.pop("reported_by")

    path = edit_seed(seed_copy, change)
    index = index_of(path, "reactions", "trump-team-proposes-nato-delay")
    errors = errors_for([seed_copy])
    [error] = [e for e in errors if f"reactions[{index}]" in e]
    assert error.startswith(
        f"{path}: reactions[{index}].evidence: 'press-report-unnamed' on a 'stated' reaction with no quote: "
        "stated means the actor's own words or act on the record ('on-record' or 'official-document')"
    )
    assert "use basis 'reported' with reported_by" in error
    # and the log's "marked reported" no longer matches it
    assert any("'marked-reported' needs a reaction whose basis is 'reported'; 'trump-team-proposes-nato-delay' is 'stated'" in e for e in errors)


def test_one_statement_is_one_reaction(seed_copy: Path) -> None:
    # The class the 6 December check found: Zelenskyy's NATO-umbrella paragraph filed as two supports.
    def change(data: dict) -> None:
        whole = record(data, "reactions", "zelenskyy-proposes-nato-umbrella")
        first, second = whole.pop("quotes")
        whole["quote"] = first
        at = data["reactions"].index(whole)
        data["reactions"].insert(at + 1, {**whole, "slug": "zelenskyy-diplomatic-return-of-territory", "proposer": False, "quote": second})

    path = edit_seed(seed_copy, change)
    index = index_of(path, "reactions", "zelenskyy-diplomatic-return-of-territory")
    errors = errors_for([seed_copy])
    assert (
        f"{path}: reactions[{index}]: 'zelenskyy-diplomatic-return-of-territory' is a second reaction by 'volodymyr-zelenskyy' "
        f"on 'nato-umbrella-for-controlled-territory' for the same date as 'zelenskyy-proposes-nato-umbrella' (reactions[{index - 1}]); "
        "several sentences of one statement are one reaction: merge them, with every quote in quotes: [...]"
    ) in errors


def test_the_same_actor_may_speak_again_on_another_day(seed_copy: Path) -> None:
    def change(data: dict) -> None:
        whole = record(data, "reactions", "putin-rejects-nato-delay")
        data["reactions"].append({**whole, "slug": "putin-rejects-nato-delay-again", "stated_on": {"date": "2024-12-27", "precision": "day"}})

    edit_seed(seed_copy, change)
    load_seed_set([seed_copy])  # no error


def test_quote_and_quotes_are_not_both_given(seed_copy: Path) -> None:
    path = edit_seed(seed_copy, lambda d: record(d, "reactions", "zelenskyy-proposes-nato-umbrella").update(quote="We need to do it fast."))
    index = index_of(path, "reactions", "zelenskyy-proposes-nato-umbrella")
    [error] = errors_for([seed_copy])
    assert error == f"{path}: reactions[{index}]: give either quote (one) or quotes (a list), not both"


def test_a_proposer_tag_must_not_contradict_its_proposal(seed_copy: Path) -> None:
    # The class the 6 December check found: Putin tagged proposer of talks whose proposer the article does not name.
    path = edit_seed(seed_copy, lambda d: record(d, "reactions", "putin-open-to-talks-in-slovakia").update(proposer=True))
    index = index_of(path, "reactions", "putin-open-to-talks-in-slovakia")
    [error] = errors_for([seed_copy])
    assert error.startswith(
        f"{path}: reactions[{index}].proposer: true, but proposal 'peace-talks-in-slovakia' says the source does not name "
        "who proposed it (proposer_unknown: true)"
    )


def test_a_summary_saying_the_proposer_is_unknown_needs_the_flag(seed_copy: Path) -> None:
    path = edit_seed(seed_copy, lambda d: record(d, "proposals", "peace-talks-in-slovakia").pop("proposer_unknown"))
    index = index_of(path, "proposals", "peace-talks-in-slovakia")
    [error] = errors_for([seed_copy])
    assert error.startswith(f"{path}: proposals[{index}]: the summary says the source does not name who proposed it; add proposer_unknown: true")


def test_a_proposal_with_no_proposer_says_so_or_fails(seed_copy: Path) -> None:
    def change(data: dict) -> None:
        record(data, "proposals", "peace-talks-in-slovakia").update(
            proposer_unknown=False, summary="Negotiations hosted by Slovakia, which Putin was open to."
        )

    path = edit_seed(seed_copy, change)
    index = index_of(path, "proposals", "peace-talks-in-slovakia")
    [error] = errors_for([seed_copy])
    assert error.startswith(f"{path}: proposals[{index}]: 'peace-talks-in-slovakia' has no reaction with proposer: true")
    assert "add proposer_unknown: true" in error


@pytest.mark.parametrize(
    ("collection", "slug", "field", "text"),
    [
        ("reactions", "zelenskyy-lobbied-for-long-range-strikes", "rationale", "Rests on ¶23, where Zelenskyy lobbied for the strikes."),
        ("reactions", "putin-rejects-nato-delay", "summary", "Dismissed a NATO deferral (¶24)."),
        ("reactions", "nato-cautious-on-wartime-membership", "condition", "Peace first, as in ¶38."),
        ("proposals", "biden-2021-nato-delay", "summary", "Biden’s idea, as Putin told it in ¶25."),
    ],
)
def test_no_paragraph_numbers_in_what_readers_see(seed_copy: Path, collection: str, slug: str, field: str, text: str) -> None:
    path = edit_seed(seed_copy, lambda d: record(d, collection, slug).update({field: text}))
    index = index_of(path, collection, slug)
    [error] = errors_for([seed_copy])
    assert error.startswith(f"{path}: {collection}[{index}].{field}: {text!r} points at a paragraph number (¶)")


def test_no_paragraph_numbers_in_date_notes_or_the_log(seed_copy: Path) -> None:
    def change(data: dict) -> None:
        record(data, "reactions", "lavrov-rejects-nato-delay")["stated_on"]["note"] = "a Sunday after 26 December 2024 (¶26)"
        data["corrections"][0]["why"] = "See ¶26."

    path = edit_seed(seed_copy, change)
    index = index_of(path, "reactions", "lavrov-rejects-nato-delay")
    errors = errors_for([seed_copy])
    assert any(e.startswith(f"{path}: reactions[{index}].stated_on.note: 'a Sunday after 26 December 2024 (¶26)' points at") for e in errors), errors
    assert any(e.startswith(f"{path}: corrections[0].why: 'See ¶26.' points at") for e in errors), errors


def test_marked_reported_needs_a_reported_reaction(seed_copy: Path) -> None:
    def change(data: dict) -> None:
        data["corrections"].append(
            {"on": "2026-12-06", "kind": "reaction", "record": "putin-rejects-nato-delay", "change": "marked-reported", "what_changed": "x", "why": "y"}
        )

    path = edit_seed(seed_copy, change)
    count = len(load_yaml_corrections(path))
    [error] = errors_for([seed_copy])
    assert error == (
        f"{path}: corrections[{count - 1}].change: 'marked-reported' needs a reaction whose basis is 'reported'; "
        "'putin-rejects-nato-delay' is 'stated'"
    )


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
