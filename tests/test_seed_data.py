"""The curated data itself: complete, traceable and verbatim."""

from pathlib import Path

import pytest

from app.cli import main as truce
from app.models import Evidence, Position
from app.seeds import load_seed_set
from app.verbatim import copied_from_articles, quotes_not_in_articles
from tests.conftest import ARTICLES_DIR, SEEDS_DIR

SEEDS = load_seed_set([SEEDS_DIR])


def test_every_quote_is_verbatim_in_the_article() -> None:
    if not ARTICLES_DIR.is_dir():
        pytest.skip(f"skipped: the source articles are not at {ARTICLES_DIR}, so quotes cannot be checked here")
    assert quotes_not_in_articles(SEEDS, ARTICLES_DIR) == []
    assert sum(1 for r in SEEDS.reactions.values() if r.quote) >= 11


def test_the_check_catches_a_changed_quote(seed_copy: Path) -> None:
    if not ARTICLES_DIR.is_dir():
        pytest.skip(f"skipped: the source articles are not at {ARTICLES_DIR}")
    seed_file = seed_copy / "article-russia-rejects-truce-plan.yaml"
    seed_file.write_text(seed_file.read_text(encoding="utf-8").replace("this is a moment", "this is an instant"), encoding="utf-8")
    [problem] = quotes_not_in_articles(load_seed_set([seed_copy]), ARTICLES_DIR)
    assert "reactions[4].quote" in problem and "an instant" in problem


def test_truce_check_with_articles_passes() -> None:
    if not ARTICLES_DIR.is_dir():
        pytest.skip(f"skipped: the source articles are not at {ARTICLES_DIR}")
    assert truce(["check", str(SEEDS_DIR), "--article-dir", str(ARTICLES_DIR)]) == 0


def test_the_article_is_covered() -> None:
    assert len(SEEDS.proposals) >= 10
    assert len(SEEDS.actors) >= 12
    assert len(SEEDS.events) >= 8
    evidence = {r.evidence for r in SEEDS.reactions.values()}
    assert {Evidence.on_record, Evidence.press_report_unnamed, Evidence.analyst_assessment} <= evidence
    positions = {r.position for r in SEEDS.reactions.values()}
    assert positions == set(Position)
    # proposals the article attributes to advisers, papers and reports, not only heads of state
    proposers = {r.actor for r in SEEDS.reactions.values() if r.proposer}
    assert {"jd-vance", "keith-kellogg", "trump-team", "timothy-ash"} <= proposers


def test_every_actor_and_source_is_used() -> None:
    used_actors = {r.actor for r in SEEDS.reactions.values()} | {a for e in SEEDS.events.values() for a in e.actors}
    assert set(SEEDS.actors) == used_actors
    used_sources = (
        {r.source for r in SEEDS.reactions.values()}
        | {e.source for e in SEEDS.events.values()}
        | {p.first_reported_by for p in SEEDS.proposals.values()}
    )
    assert set(SEEDS.sources) == used_sources


def test_summaries_are_our_own_words() -> None:
    """No summary, condition, rationale, title or description copies eight words running from the article."""
    if not ARTICLES_DIR.is_dir():
        pytest.skip(f"skipped: the source articles are not at {ARTICLES_DIR}")
    assert copied_from_articles(SEEDS, ARTICLES_DIR) == []


def test_every_inferred_stance_names_its_passage() -> None:
    inferred = [r for r in SEEDS.reactions.values() if r.basis.value == "inferred"]
    assert inferred and all(len(r.rationale.split()) >= 8 for r in inferred)
    assert all(not r.rationale for r in SEEDS.reactions.values() if r.basis.value == "stated")


def test_every_change_of_the_review_is_logged() -> None:
    """Each correction names a record; removed records are gone, the others are in the seeds."""
    logged = {(entry.kind.value, entry.record) for _, entry in SEEDS.corrections}
    assert ("reaction", "trump-concedes-ukraine-harder-than-middle-east") in logged
    assert ("proposal", "ukraine-nato-membership") in logged
    marked = {entry.record for _, entry in SEEDS.corrections if entry.change.value == "marked-inferred"}
    assert marked == {slug for slug, r in SEEDS.reactions.items() if r.basis.value == "inferred"}


def test_coverage_table_names_every_record() -> None:
    """seeds/README.md traces each record to a paragraph of the article."""
    readme = (SEEDS_DIR / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Coverage table") :]
    for kind in ("proposals", "actors", "reactions", "events", "sources"):
        missing = [slug for slug in getattr(SEEDS, kind) if f"`{slug}`" not in table]
        assert missing == [], f"{kind} not in the coverage table: {missing}"
    if ARTICLES_DIR.is_dir():
        lines = [l for l in (ARTICLES_DIR / "article-russia-rejects-truce-plan.txt").read_text(encoding="utf-8").splitlines() if l.strip()]
        rows = [l for l in table.splitlines() if l.startswith("| ") and l[2].isdigit()]
        last = max(int(r[2:].split("|")[0].strip().split("–")[-1]) for r in rows)
        assert last == len(lines)


def test_the_review_table_matches_the_corrections_log() -> None:
    """seeds/README.md lists each record's outcome; it must say what the log says."""
    readme = (SEEDS_DIR / "README.md").read_text(encoding="utf-8")
    rows = [line.split(" | ") for line in readme.splitlines() if line.startswith(("| source | `", "| actor | `", "| proposal | `", "| reaction | `", "| event | `"))]
    outcomes = {(row[0].strip("| "), row[1].strip("`")): row[2] for row in rows}
    logged = {(entry.kind.value, entry.record): entry.change.value.replace("-", " ") for _, entry in SEEDS.corrections}
    assert {key: outcome for key, outcome in outcomes.items() if outcome != "unchanged"} == logged
    for kind in ("source", "actor", "proposal", "reaction", "event"):
        live = set(getattr(SEEDS, f"{kind}s"))
        listed = {slug for k, slug in outcomes if k == kind and outcomes[(k, slug)] != "removed"}
        assert listed == live, kind
