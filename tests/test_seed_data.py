"""The curated data itself: complete, traceable and verbatim."""

import re
from pathlib import Path

import pytest

from app.cli import main as truce
from app.models import Evidence, Position
from app.seeds import DateRef, SeedSet, load_seed_set
from app.verbatim import copied_from_articles, quotes_not_in_articles
from tests.conftest import ARTICLES_DIR, SEEDS_DIR

SEEDS = load_seed_set([SEEDS_DIR])


def test_every_quote_is_verbatim_in_the_article() -> None:
    if not ARTICLES_DIR.is_dir():
        pytest.skip(f"skipped: the source articles are not at {ARTICLES_DIR}, so quotes cannot be checked here")
    assert quotes_not_in_articles(SEEDS, ARTICLES_DIR) == []
    # the check read something: every actor the seed quotes on a proposal has a quote checked (the
    # team member's remark on the zone is context in a proposal summary, not a reaction, since 6 December)
    quoted = {r.actor for r in SEEDS.reactions.values() if r.all_quotes}
    assert quoted == {"donald-trump", "vladimir-putin", "sergey-lavrov", "volodymyr-zelenskyy", "timothy-ash", "nato-members"}


def changed_quote_problems(seed_copy: Path, old: str, new: str) -> tuple[Path, list[str]]:
    """The quote check's problems after changing the words `old` to `new` in the seed file."""
    if not ARTICLES_DIR.is_dir():
        pytest.skip(f"skipped: the source articles are not at {ARTICLES_DIR}")
    seed_file = seed_copy / "article-russia-rejects-truce-plan.yaml"
    seed_file.write_text(seed_file.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return seed_file, quotes_not_in_articles(load_seed_set([seed_copy]), ARTICLES_DIR)


def test_the_check_catches_a_changed_quote(seed_copy: Path) -> None:
    _, [problem] = changed_quote_problems(seed_copy, "this is a moment", "this is an instant")
    index = list(SEEDS.reactions).index("putin-rejects-nato-delay")
    assert f"reactions[{index}].quote" in problem and "an instant" in problem


def test_the_check_reads_every_quote_of_a_reaction(seed_copy: Path) -> None:
    # the second quote of Zelenskyy's statement, changed
    seed_file, [problem] = changed_quote_problems(seed_copy, "We need to do it fast.", "We must do it fast.")
    index = list(SEEDS.reactions).index("zelenskyy-proposes-nato-umbrella")
    assert problem.startswith(f"{seed_file}: reactions[{index}].quotes[1]: 'We must do it fast.")


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
    assert all(not r.rationale for r in SEEDS.reactions.values() if r.basis.value != "inferred")


def test_every_stated_stance_is_the_actors_own_on_record() -> None:
    """What "Only stances stated outright" shows: the actor's own words (a quote) or an act the
    article reports, on the record; nothing someone else attributes to them."""
    stated = [r for r in SEEDS.reactions.values() if r.basis.value == "stated"]
    assert stated
    assert {r.evidence for r in stated} <= {Evidence.on_record, Evidence.official_document}
    assert all(not r.reported_by for r in stated)
    reported = [r for r in SEEDS.reactions.values() if r.basis.value == "reported"]
    assert reported and all(r.reported_by for r in reported)
    # the classes the 6 December check found are reported now, by whom the article says
    by = {slug: SEEDS.reactions[slug].reported_by for slug in (
        "trump-team-proposes-nato-delay", "trump-team-proposes-peacekeepers-per-lavrov",
        "biden-proposed-nato-delay-per-putin", "moscow-rejects-nato-delay",
    )}
    assert by == {
        "trump-team-proposes-nato-delay": "three unnamed sources close to Trump, via The Wall Street Journal",
        "trump-team-proposes-peacekeepers-per-lavrov": "sergey-lavrov",
        "biden-proposed-nato-delay-per-putin": "vladimir-putin",
        "moscow-rejects-nato-delay": "Russian state media (no outlet named), as cited by the article",
    }


def test_one_statement_is_one_reaction() -> None:
    keys = [(r.actor, r.proposal, r.stated_on.date, r.stated_on.precision, r.stated_on.until) for r in SEEDS.reactions.values()]
    assert len(keys) == len(set(keys))
    assert len(SEEDS.reactions["zelenskyy-proposes-nato-umbrella"].all_quotes) == 2


def test_every_change_of_the_review_is_logged() -> None:
    """Each correction names a record; removed records are gone, the others are in the seeds."""
    logged = {(entry.kind.value, entry.record) for _, entry in SEEDS.corrections}
    assert ("reaction", "trump-concedes-ukraine-harder-than-middle-east") in logged
    assert ("proposal", "ukraine-nato-membership") in logged
    # a reaction's latest re-marking is its basis now; every inferred or reported one was re-marked
    latest: dict[str, str] = {}
    for _, entry in SEEDS.corrections:
        if entry.change.value in ("marked-inferred", "marked-reported"):
            latest[entry.record] = entry.change.value.removeprefix("marked-")
    live = {slug: r.basis.value for slug, r in SEEDS.reactions.items() if r.basis.value != "stated"}
    assert {slug: basis for slug, basis in latest.items() if slug in SEEDS.reactions} == live


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


def review_sections(readme: str) -> dict[str, str]:
    """'## Review of 6 December 2026…' -> its text, up to the next heading of that level."""
    import re

    parts = re.split(r"^## ", readme, flags=re.MULTILINE)
    return {m.group(1): part for part in parts if (m := re.match(r"Review of (\d{1,2} \w+ \d{4})", part))}


def test_each_review_table_matches_its_day_of_the_corrections_log() -> None:
    """seeds/README.md lists each record's outcome in each review; it must say what that day's log
    entries say, its counts must add up, and the latest review must list every live record."""
    import datetime as dt

    readme = (SEEDS_DIR / "README.md").read_text(encoding="utf-8")
    sections = review_sections(readme)
    assert {"29 November 2026", "6 December 2026"} <= set(sections)
    prefixes = ("| source | `", "| actor | `", "| proposal | `", "| reaction | `", "| event | `")
    for day, text in sections.items():
        on = dt.datetime.strptime(day, "%d %B %Y").date()
        rows = [line.split(" | ") for line in text.splitlines() if line.startswith(prefixes)]
        outcomes = {(row[0].strip("| "), row[1].strip("`")): row[2] for row in rows}
        logged = {(e.kind.value, e.record): e.change.value.replace("-", " ") for _, e in SEEDS.corrections if e.on == on}
        assert logged, day
        assert {key: outcome for key, outcome in outcomes.items() if outcome != "unchanged"} == logged, day
        # the count table: one row per kind, each cell the number of that outcome in the record table
        header = next(line for line in text.splitlines() if line.startswith("| kind | unchanged"))
        columns = [c.strip() for c in header.strip("|").split("|")][1:]
        for kind in ("source", "actor", "proposal", "reaction", "event"):
            row = next(line for line in text.splitlines() if line.startswith(f"| {kind}s |"))
            cells = [int(c.strip()) for c in row.strip("|").split("|")[1:]]
            expected = [sum(1 for (k, _), o in outcomes.items() if k == kind and o == column) for column in columns]
            assert cells == expected, (day, kind)
    latest = max(sections, key=lambda d: dt.datetime.strptime(d, "%d %B %Y"))
    rows = [line.split(" | ") for line in sections[latest].splitlines() if line.startswith(prefixes)]
    outcomes = {(row[0].strip("| "), row[1].strip("`")): row[2] for row in rows}
    for kind in ("source", "actor", "proposal", "reaction", "event"):
        live = set(getattr(SEEDS, f"{kind}s"))
        listed = {slug for k, slug in outcomes if k == kind and outcomes[(k, slug)] != "removed"}
        assert listed == live, kind


def test_the_latest_review_counts_the_bases() -> None:
    readme = (SEEDS_DIR / "README.md").read_text(encoding="utf-8")
    counts = {b: sum(1 for r in SEEDS.reactions.values() if r.basis.value == b) for b in ("stated", "reported", "inferred")}
    sentence = (
        f"the seed holds {len(SEEDS.reactions)} reactions: {counts['stated']} stated, "
        f"{counts['reported']} reported and {counts['inferred']} inferred."
    )
    assert sentence in " ".join(review_sections(readme)["6 December 2026"].split())


def _date_refs(seeds: SeedSet) -> list[tuple[str, DateRef]]:
    refs = [(f"sources.{s}.published", r.published) for s, r in seeds.sources.items()]
    refs += [(f"proposals.{s}.first_reported", r.first_reported) for s, r in seeds.proposals.items()]
    refs += [(f"reactions.{s}.stated_on", r.stated_on) for s, r in seeds.reactions.items()]
    refs += [(f"events.{s}.occurred_on", r.occurred_on) for s, r in seeds.events.items()]
    return refs


def test_every_year_from_context_says_so_in_one_phrasing() -> None:
    """The README's rule on years: the article prints a year beside none of the days, months,
    spans or weekdays it dates records by, so every such date's note says where its year comes
    from, in the same words; only year-precision dates (2014, 2021) are the article's own."""
    refs = _date_refs(SEEDS)
    assert len(refs) == len(SEEDS.sources) + len(SEEDS.proposals) + len(SEEDS.reactions) + len(SEEDS.events)
    missing = [
        where for where, ref in refs
        if ref.date is not None and ref.precision.value != "year"
        and not re.search(r"; no year in the article\b[^;]*, 20\d\d from context", ref.note or "")
    ]
    assert missing == []
    # the days inside a note carry no year either; an undated record may name the article's own span
    own_span = "which appeared by 31 December 2024"
    dated = [where for where, ref in refs if re.search(r"\d{1,2} (November|December) 20\d\d", (ref.note or "").replace(own_span, ""))]
    assert dated == []
