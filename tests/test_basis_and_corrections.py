"""Stated, reported and inferred stances on every surface, the `basis` filter, and the corrections
log, over HTTP against the real seeded database."""

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cards import layout_card
from app.db import make_engine
from app.models import Basis, Correction, Reaction
from app.queries.proposals import get_proposal
from app.config import Settings
from tests.conftest import make_client, soup, sqlite_url, vary_of
from tests.test_exports import read_csv

HX = {"HX-Request": "true"}
ATOM = "{http://www.w3.org/2005/Atom}"
# Our reading of NATO members' caution as a condition on Ukraine joining (inferred); Putin's own
# words on the 20-year delay (stated), beside the Journal's unnamed sources on Trump's team
# (reported, by a description) and state media on Moscow (reported); Biden's 2021 idea as Putin
# told it (reported, by an actor in the data).
INFERRED = "nato-cautious-on-wartime-membership"
INFERRED_PROPOSAL = "ukraine-nato-membership"
INFERRED_ACTOR = "nato-members"
INFERRED_NAME = "NATO members"
STATED = "putin-rejects-nato-delay"
STATED_PROPOSAL = "nato-membership-20-year-delay"
REPORTED = "biden-proposed-nato-delay-per-putin"
REPORTED_PROPOSAL = "biden-2021-nato-delay"
REPORTED_BY = "Reported by Vladimir Putin"
UNNAMED = "trump-team-proposes-nato-delay"
UNNAMED_BY = "Reported by three unnamed sources close to Trump, via The Wall Street Journal"


@pytest.fixture(scope="module")
def seeded(seeded_db: Path):  # type: ignore[no-untyped-def]
    engine = make_engine(sqlite_url(seeded_db), read_only=True)
    with Session(engine) as session:
        yield session
    engine.dispose()


def reaction_slugs(session: Session, basis: Basis) -> set[str]:
    return set(session.scalars(select(Reaction.slug).where(Reaction.basis == basis)))


def test_the_seed_marks_all_three_kinds(seeded: Session) -> None:
    inferred = reaction_slugs(seeded, Basis.inferred)
    assert INFERRED in inferred and STATED in reaction_slugs(seeded, Basis.stated)
    assert {REPORTED, UNNAMED} <= reaction_slugs(seeded, Basis.reported)
    rows = {slug: (rationale, by) for slug, rationale, by in seeded.execute(select(Reaction.slug, Reaction.rationale, Reaction.reported_by))}
    assert all(rows[slug][0] for slug in inferred)
    assert all(rows[slug][1] and not rows[slug][0] for slug in reaction_slugs(seeded, Basis.reported))


def card_of(page, proposal: str):  # type: ignore[no-untyped-def]
    return page.select_one(f'.card-title a[href="/proposals/{proposal}"]').find_parent("li")


def test_list_chips_mark_inferred_stances_with_a_symbol_and_a_word(client: TestClient) -> None:
    page = soup(client.get("/"))
    card = card_of(page, INFERRED_PROPOSAL)
    chip = card.select_one(f'.stance-conditional a.chip[href="/actors/{INFERRED_ACTOR}"]')
    assert "chip-inferred" in chip["class"]
    # what a screen reader reads: the name, then "(inferred)"; the ≈ is hidden from it
    assert chip.select_one(".visually-hidden").get_text() == " (inferred)"
    assert chip.select_one('[aria-hidden="true"]').get_text() == "≈"
    # the legend for the marks is once per page, not once per card
    assert card.select_one(".legend") is None and len(page.select(".legend")) == 1
    stated = card_of(page, STATED_PROPOSAL).select_one('.stance-rejects a.chip[href="/actors/vladimir-putin"]')
    assert "chip-stated" in stated["class"] and stated.select_one(".basis-mark") is None
    assert stated.get_text(strip=True) == "Vladimir Putin"


def test_list_chips_say_who_reports_a_reported_stance(client: TestClient) -> None:
    page = soup(client.get("/"))
    chip = card_of(page, REPORTED_PROPOSAL).select_one('.stance-supports a.chip[href="/actors/joe-biden"]')
    assert "chip-reported" in chip["class"] and "chip-inferred" not in chip["class"]
    # a symbol and visible words, so neither colour nor outline alone carries it
    mark = chip.select_one(".reported-mark")
    assert mark.select_one('[aria-hidden="true"]').get_text() == "↪"
    assert chip.get_text(" ", strip=True) == f"Joe Biden ↪ {REPORTED_BY}"
    unnamed = card_of(page, STATED_PROPOSAL).select_one('.stance-supports a.chip[href="/actors/trump-team"]')
    assert unnamed.select_one(".reported-mark").get_text(" ", strip=True) == f"↪ {UNNAMED_BY}"
    legend = page.select_one(".legend").get_text()
    assert "↪" in legend and "reported: someone else attributes it to the actor" in legend


def test_matrix_cells_mark_inferred_and_reported_stances(client: TestClient) -> None:
    page = soup(client.get("/matrix"))
    inferred = page.select_one(f'a.cell-link[href="/proposals/{INFERRED_PROPOSAL}#reaction-{INFERRED}"]')
    assert inferred.get_text(" ", strip=True) == "◐ Supports on conditions ≈ (inferred)"
    stated = page.select_one(f'a.cell-link[href="/proposals/{STATED_PROPOSAL}#reaction-{STATED}"]')
    assert stated.get_text(" ", strip=True) == "✗ Rejects"
    reported = page.select_one(f'a.cell-link[href="/proposals/{REPORTED_PROPOSAL}#reaction-{REPORTED}"]')
    assert reported.get_text(" ", strip=True) == f"✓ Proposer ↪ {REPORTED_BY}"
    assert reported.select_one(".badge-reported")


def test_permalink_shows_the_rationale_beside_an_inferred_stance(client: TestClient, seeded: Session) -> None:
    page = soup(client.get(f"/proposals/{INFERRED_PROPOSAL}"))
    reaction = page.select_one(f"#reaction-{INFERRED}")
    assert reaction.select_one("h3 .tag-inferred").get_text(" ", strip=True) == "≈ Inferred: our reading"
    rationale = seeded.scalar(select(Reaction.rationale).where(Reaction.slug == INFERRED))
    assert reaction.select_one(".rationale").get_text(" ", strip=True) == f"Why we infer it: {rationale}"
    stated = soup(client.get(f"/proposals/{STATED_PROPOSAL}")).select_one(f"#reaction-{STATED}")
    assert stated.select_one(".tag-stated").get_text(strip=True) == "Stated"
    assert stated.select_one(".rationale") is None


def test_permalink_names_and_links_who_reports_a_stance(client: TestClient) -> None:
    page = soup(client.get(f"/proposals/{REPORTED_PROPOSAL}"))
    tag = page.select_one(f"#reaction-{REPORTED} h3 .tag-reported")
    assert tag.get_text(" ", strip=True) == f"↪ {REPORTED_BY}"
    # an actor in the data is a link to their page; a description is plain text
    assert tag.select_one('a[href="/actors/vladimir-putin"]').get_text() == "Vladimir Putin"
    assert page.select_one(f"#reaction-{REPORTED} .no-quote") is not None
    unnamed = soup(client.get(f"/proposals/{STATED_PROPOSAL}")).select_one(f"#reaction-{UNNAMED} h3 .tag-reported")
    assert unnamed.get_text(" ", strip=True) == f"↪ {UNNAMED_BY}" and unnamed.select_one("a") is None
    # an "as of" view keeps its day on the link
    dated = soup(client.get(f"/proposals/{REPORTED_PROPOSAL}?as_of=2024-12-31"))
    assert dated.select_one(f'#reaction-{REPORTED} .tag-reported a[href="/actors/vladimir-putin?as_of=2024-12-31"]')


def test_actor_page_marks_and_explains(client: TestClient) -> None:
    page = soup(client.get(f"/actors/{INFERRED_ACTOR}"))
    inferred = page.select_one(f"#reaction-{INFERRED}")
    assert inferred.select_one(".tag-inferred") and inferred.select_one(".rationale")
    assert soup(client.get("/actors/vladimir-putin")).select_one(f"#reaction-{STATED} .tag-stated")
    reported = soup(client.get("/actors/joe-biden")).select_one(f"#reaction-{REPORTED} .tag-reported")
    assert reported.get_text(" ", strip=True) == f"↪ {REPORTED_BY}" and reported.select_one('a[href="/actors/vladimir-putin"]')


def test_compare_and_common_ground_mark_inferred_and_reported(client: TestClient) -> None:
    page = soup(client.get(f"/compare?a={INFERRED_ACTOR}&b=vladimir-putin"))
    cell = page.select_one(f'a.cell-link[href="/proposals/{INFERRED_PROPOSAL}#reaction-{INFERRED}"]')
    assert "(inferred)" in cell.get_text() and cell.select_one(".badge-inferred")
    reported = soup(client.get("/compare?a=joe-biden&b=vladimir-putin")).select_one(
        f'a.cell-link[href="/proposals/{REPORTED_PROPOSAL}#reaction-{REPORTED}"]'
    )
    assert reported.get_text(" ", strip=True) == f"✓ Proposer ↪ {REPORTED_BY}"
    ground = soup(client.get("/common-ground"))
    row = ground.select_one(f'th a[href="/proposals/{REPORTED_PROPOSAL}"]').find_parent("tr")
    united_states = row.select("td")[2]  # Russia, Ukraine, the United States
    assert united_states.select_one(".side-status").get_text(" ", strip=True) == f"✓ Supports ↪ {REPORTED_BY}"
    rows = {r["proposal"]["slug"]: {s["side"]: s for s in r["sides"]} for r in client.get("/api/common-ground").json()["rows"]}
    assert rows[REPORTED_PROPOSAL]["united-states"]["basis"] == "reported"
    assert rows[REPORTED_PROPOSAL]["united-states"]["reported_by"] == ["Vladimir Putin"]
    # a side with one stated stance is stated, whatever else its members said
    assert rows[STATED_PROPOSAL]["russia"]["basis"] == "stated" and rows[STATED_PROPOSAL]["russia"]["reported_by"] == []
    ukraine = rows["ukraine-cedes-occupied-territory"]["ukraine"]
    assert ukraine["basis"] == "inferred" and ukraine["inferred"] is True


def test_link_previews_say_which_stances_are_inferred_or_reported(client: TestClient) -> None:
    description = soup(client.get(f"/proposals/{INFERRED_PROPOSAL}")).find("meta", property="og:description")["content"]
    assert f"Supported on conditions by {INFERRED_NAME} (inferred)" in description
    description = soup(client.get(f"/proposals/{STATED_PROPOSAL}")).find("meta", property="og:description")["content"]
    assert "Donald Trump’s team (reported by three unnamed sources close to Trump, via The Wall Street Journal)" in description
    reported = soup(client.get(f"/proposals/{REPORTED_PROPOSAL}")).find("meta", property="og:description")["content"]
    assert "Supported by Joe Biden (reported by Vladimir Putin)." in reported


def test_share_card_names_inferred_and_reported_stances_in_words(seeded: Session) -> None:
    lines = layout_card(get_proposal(seeded, INFERRED_PROPOSAL))
    names = " ".join(line.text for line in lines if line.role == "names")
    assert f"{INFERRED_NAME} (inferred)" in names
    names = " ".join(line.text for line in layout_card(get_proposal(seeded, STATED_PROPOSAL)) if line.role == "names")
    assert "Vladimir Putin" in names and "Vladimir Putin (" not in names
    reported = " ".join(line.text for line in layout_card(get_proposal(seeded, REPORTED_PROPOSAL)) if line.role == "names")
    assert "Joe Biden (reported by Vladimir Putin)" in reported


def test_json_carries_basis_reported_by_and_rationale(client: TestClient) -> None:
    detail = client.get(f"/api/proposals/{INFERRED_PROPOSAL}").json()
    reaction = next(r for r in detail["reactions"] if r["slug"] == INFERRED)
    assert reaction["basis"] == "inferred" and reaction["rationale"] and reaction["reported_by"] == ""
    assert next(a for a in detail["stance"]["conditional"] if a["slug"] == INFERRED_ACTOR)["inferred"] is True
    detail = client.get(f"/api/proposals/{STATED_PROPOSAL}").json()
    team = next(a for a in detail["stance"]["supports"] if a["slug"] == "trump-team")
    assert team["basis"] == "reported" and team["reported_by"] == ["three unnamed sources close to Trump, via The Wall Street Journal"]
    unnamed = next(r for r in detail["reactions"] if r["slug"] == UNNAMED)
    assert unnamed["reported_by_actor"] is None
    reported = client.get(f"/api/proposals/{REPORTED_PROPOSAL}").json()
    biden = next(r for r in reported["reactions"] if r["slug"] == REPORTED)
    assert (biden["basis"], biden["reported_by"], biden["reported_by_actor"]) == (
        "reported", "Vladimir Putin", {"slug": "vladimir-putin", "name": "Vladimir Putin", "url": "/actors/vladimir-putin"},
    )
    listed = client.get("/api/proposals?include=reactions").json()["items"]
    brief = next(r for item in listed for r in item["reactions"] if r["slug"] == STATED)
    assert brief["basis"] == "stated" and brief["reported_by"] == ""
    assert next(r for item in listed for r in item["reactions"] if r["slug"] == REPORTED)["reported_by"] == "Vladimir Putin"


def test_csv_carries_basis_reported_by_and_rationale(client: TestClient, seeded: Session) -> None:
    rows = {row["url"].rsplit("#reaction-", 1)[1]: row for row in read_csv(client.get("/reactions.csv"))}
    assert rows[INFERRED]["basis"] == "inferred" and rows[INFERRED]["rationale"] and rows[INFERRED]["reported_by"] == ""
    assert rows[STATED]["basis"] == "stated" and rows[STATED]["rationale"] == "" and rows[STATED]["reported_by"] == ""
    assert (rows[REPORTED]["basis"], rows[REPORTED]["reported_by"]) == ("reported", "Vladimir Putin")
    assert rows[UNNAMED]["reported_by"] == "three unnamed sources close to Trump, via The Wall Street Journal"
    proposals = {row["slug"]: row for row in read_csv(client.get("/proposals.csv"))}
    assert f"{INFERRED_NAME} (inferred)" in proposals[INFERRED_PROPOSAL]["conditional"]
    assert proposals[REPORTED_PROPOSAL]["supports"] == "Joe Biden (reported by Vladimir Putin)"


def test_atom_feed_says_who_reports_a_stance(client: TestClient) -> None:
    feed = ET.fromstring(client.get("/feed.atom").content)
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id").endswith(f"reaction/{REPORTED}"))
    assert "(reported by Vladimir Putin)" in entry.findtext(f"{ATOM}title")
    assert "Reported by Vladimir Putin:" in entry.findtext(f"{ATOM}content")


def test_atom_feed_marks_inferred_entries(seed_copy: Path, tmp_path: Path) -> None:
    # The feed holds dated items only, and every inferred stance in the seed is undated: date one.
    from tests.conftest import build_database, make_client
    from tests.test_importer import edit_seed

    slug = INFERRED
    edit_seed(seed_copy, lambda d: next(r for r in d["reactions"] if r["slug"] == slug).update(stated_on={"date": "2024-09", "precision": "month"}))
    build_database(tmp_path / "dated.db", [seed_copy])
    with make_client(tmp_path / "dated.db") as dated_client:
        feed = ET.fromstring(dated_client.get("/feed.atom").content)
        rationale = next(r for r in dated_client.get(f"/api/proposals/{INFERRED_PROPOSAL}").json()["reactions"] if r["slug"] == slug)["rationale"]
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id").endswith(f"reaction/{slug}"))
    assert "(inferred)" in entry.findtext(f"{ATOM}title")
    assert f"Inferred, our reading:</strong> {rationale}" in entry.findtext(f"{ATOM}content")


@pytest.mark.parametrize("path", ["/", "/matrix"])
def test_basis_filter_on_pages_and_fragments(client: TestClient, path: str) -> None:
    base = f"{path}?actor={INFERRED_ACTOR}&position=conditional"
    assert INFERRED_PROPOSAL in client.get(base).text
    page = soup(client.get(f"{base}&basis=stated"))
    assert page.select_one(f'#results a[href^="/proposals/{INFERRED_PROPOSAL}"]') is None
    assert page.select_one('#filter-basis option[value="stated"]').has_attr("selected")
    fragment = client.get(f"{base}&basis=stated", headers=HX)
    assert "<html" not in fragment.text and "HX-Request" in vary_of(fragment)
    assert fragment.headers["HX-Push-Url"] == f"{base}&basis=stated"


def test_basis_facet_counts_stances_of_each_kind(client: TestClient, seeded: Session) -> None:
    facets = {o["value"]: o for o in client.get("/api/proposals").json()["facets"]["basis"]}
    assert list(facets) == ["stated", "reported", "inferred"]
    for basis in Basis:
        assert facets[basis.value]["stances"] == len(reaction_slugs(seeded, basis)) > 0
        # each option's proposal count is what choosing it gives, on the API and on the page
        assert facets[basis.value]["count"] == client.get(f"/api/proposals?basis={basis.value}").json()["count"]
        assert soup(client.get(f"/?basis={basis.value}")).select_one("#result-status").get_text().startswith(
            f"{facets[basis.value]['count']} of "
        )
    page = soup(client.get("/"))
    options = [o.get_text() for o in page.select("#filter-basis option")]
    total = sum(o["stances"] for o in facets.values())
    assert options == [
        f"Stated, reported and inferred ({total} stances)",
        f"Only stances stated outright ({facets['stated']['stances']} stances, {facets['stated']['count']} proposals)",
        f"Only stances reported by someone else ({facets['reported']['stances']} stances, {facets['reported']['count']} proposals)",
        f"Only inferred stances ({facets['inferred']['stances']} stances, {facets['inferred']['count']} proposals)",
    ]
    assert total == seeded.query(Reaction).count()


def test_only_stances_stated_outright_are_the_actors_own_on_record(client: TestClient, seeded: Session) -> None:
    """`basis=stated` shows no reaction resting on someone else's account, and none without the
    actor's own words or an on-record act: on the page, in the grid, in the API and the CSV."""
    on_record = {"on-record", "official-document"}
    rows = read_csv(client.get("/reactions.csv?basis=stated"))
    assert rows and {row["basis"] for row in rows} == {"stated"}
    assert {row["evidence"] for row in rows} <= {"On-record statement", "Official document"}
    assert all(row["reported_by"] == "" for row in rows)
    shown = {row["url"].rsplit("#reaction-", 1)[1] for row in rows}
    for reaction in seeded.scalars(select(Reaction).where(Reaction.slug.in_(shown))):
        assert reaction.evidence.value in on_record and reaction.basis is Basis.stated, reaction.slug
        # the actor's words, or an act the article reports of them on the record
        assert reaction.quotes or reaction.evidence.value in on_record, reaction.slug
    api = client.get("/api/proposals?basis=stated&limit=200&include=reactions").json()["items"]
    assert {r["slug"] for item in api for r in item["reactions"]} == shown
    page = soup(client.get("/?basis=stated"))
    assert not page.select(".reported-mark, .inferred-mark, .chip-reported, .chip-inferred")
    assert "Reported by" not in page.select_one("#results").get_text()
    grid = soup(client.get("/matrix?basis=stated"))
    assert not grid.select(".badge-reported, .badge-inferred")
    linked = {a["href"].rsplit("#reaction-", 1)[1] for a in grid.select("a.cell-link")}
    assert linked and linked <= shown
    for slug in (REPORTED, UNNAMED, "moscow-rejects-nato-delay", "trump-team-proposes-peacekeepers-per-lavrov"):
        assert slug not in shown


def test_basis_filter_on_the_api_and_csv(client: TestClient, seeded: Session) -> None:
    stated = client.get("/api/proposals?basis=stated&include=reactions").json()
    shown = {r["slug"] for item in stated["items"] for r in item["reactions"]}
    assert shown and shown <= reaction_slugs(seeded, Basis.stated)
    assert stated["filters"]["basis"] == "stated"
    rows = read_csv(client.get("/reactions.csv?basis=inferred"))
    assert {row["basis"] for row in rows} == {"inferred"}
    assert len(rows) == len(reaction_slugs(seeded, Basis.inferred))
    reported = read_csv(client.get("/reactions.csv?basis=reported"))
    assert {row["url"].rsplit("#reaction-", 1)[1] for row in reported} == reaction_slugs(seeded, Basis.reported)


@pytest.mark.parametrize("url", ["/?basis=implied", "/api/proposals?basis=implied", "/reactions.csv?basis=implied", "/matrix?basis=implied"])
def test_a_bad_basis_is_a_clear_422(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 422
    if url.startswith(("/api", "/reactions")):
        detail = response.json()["detail"]
        assert detail["parameter"] == "basis" and detail["value"] == "implied"
        assert detail["allowed"] == ["stated", "reported", "inferred"]
    else:
        assert "basis 'implied' is not allowed; use one of stated, reported, inferred." in soup(response).get_text()


def test_about_explains_the_difference(client: TestClient) -> None:
    section = soup(client.get("/about")).select_one("section:has(#basis)")
    text = section.get_text(" ", strip=True)
    assert "stated" in text and "reported" in text and "inferred" in text and "rationale" in text
    assert "Reported by" in text and "dotted" in text and "dashed" in text


def test_corrections_page_is_newest_first_and_linked_everywhere(client: TestClient, seeded: Session) -> None:
    response = client.get("/corrections")
    assert response.status_code == 200
    page = soup(response)
    entries = page.select("li.correction")
    assert len(entries) == seeded.query(Correction).count() > 0
    # grouped by review, newest first
    days = [dt.date.fromisoformat(s["aria-labelledby"].removeprefix("review-")) for s in page.select("section.review")]
    assert days == sorted(days, reverse=True) and len(days) == len(set(days))
    assert page.select_one('link[rel="alternate"][type="application/atom+xml"][href="/corrections.atom"]')
    for url in ("/", "/about", f"/proposals/{STATED_PROPOSAL}"):
        assert soup(client.get(url)).select_one('footer a[href="/corrections"]'), url
    assert soup(client.get("/about")).select_one('main a[href="/corrections"]')


def test_corrections_feed_and_json(client: TestClient, seeded: Session) -> None:
    feed = ET.fromstring(client.get("/corrections.atom").content)
    entries = list(feed.iter(f"{ATOM}entry"))
    api = client.get("/api/corrections").json()
    assert len(entries) == api["count"] == len(api["items"]) > 0
    first = api["items"][0]
    assert entries[0].find(f"{ATOM}link").get("href").endswith(first["url"])
    assert first["what_changed"] in entries[0].findtext(f"{ATOM}summary")


def test_a_corrected_proposal_says_so_on_its_permalink(client: TestClient, seeded: Session) -> None:
    # the newest correction of a proposal: its page's line opens with that day
    corrected = seeded.scalars(
        select(Correction).where(Correction.proposal_id.is_not(None)).order_by(Correction.corrected_on.desc(), Correction.id)
    ).first()
    assert corrected is not None
    note = soup(client.get(f"/proposals/{corrected.proposal.slug}")).select_one(".corrections-line")
    day = corrected.corrected_on
    assert note is not None and note.get_text().startswith(f"Updated {day.day} {day:%B %Y}:")
    assert corrected.what_changed in note.get_text()
    link = note.select_one(f'a[href="/corrections#correction-{corrected.id}"]')
    assert link is not None
    target = soup(client.get("/corrections")).select_one(f"#correction-{corrected.id}")
    assert corrected.what_changed in target.get_text(" ", strip=True)


def test_a_removed_reactions_history_stays_on_its_proposal_and_links_nowhere(client: TestClient) -> None:
    # Putin's stance read from Ash was marked inferred on 29 November and removed on 6 December.
    entries = [c for c in client.get("/api/corrections").json()["items"] if c["record_slug"] == "putin-wants-a-deal-per-ash"]
    assert [(c["corrected_on"], c["change"]) for c in entries] == [("2026-12-06", "removed"), ("2026-11-29", "marked-inferred")]
    assert {c["proposal"]["slug"] for c in entries} == {"end-war-within-24-hours"}
    assert all(c["record_url"] is None for c in entries)
    note = soup(client.get("/proposals/end-war-within-24-hours")).select_one(".corrections-line").get_text(" ", strip=True)
    assert "Removed Putin’s conditional stance on Trump’s 24-hour pledge" in note
    # a live record's entries still lead to it
    live = next(c for c in client.get("/api/corrections").json()["items"] if c["record_slug"] == REPORTED)
    assert live["record_url"] == f"/proposals/{REPORTED_PROPOSAL}#reaction-{REPORTED}"


def test_embeds_say_which_stances_are_inferred_or_reported(client: TestClient) -> None:
    proposal = soup(client.get(f"/embed/proposals/{INFERRED_PROPOSAL}"))
    conditional = proposal.select_one(".group-conditional .embed-names").get_text()
    assert f"{INFERRED_NAME} (inferred)" in conditional
    rejects = soup(client.get(f"/embed/proposals/{STATED_PROPOSAL}")).select_one(".group-rejects .embed-names").get_text()
    assert "Vladimir Putin" in rejects and "Vladimir Putin (" not in rejects
    assert "Russian government (Moscow) (reported by Russian state media (no outlet named), as cited by the article)" in rejects
    reported = soup(client.get(f"/embed/proposals/{REPORTED_PROPOSAL}")).select_one(".group-supports .embed-names").get_text()
    assert reported == "Joe Biden (reported by Vladimir Putin)"
    actor = soup(client.get(f"/embed/actors/{INFERRED_ACTOR}"))
    items = [li.get_text() for li in actor.select(".group-conditional li")]
    assert any(item.endswith("(inferred)") for item in items)
    biden = [li.get_text() for li in soup(client.get("/embed/actors/joe-biden")).select(".group-supports li")]
    assert biden == ["Delay Ukraine’s NATO admission by 10 to 15 years (Biden, 2021) (proposer) (reported by Vladimir Putin)"]
    # an inferred stance does not lend its words to the group as if they stated it
    nato = soup(client.get("/embed/proposals/ukraine-nato-membership"))
    assert nato.select_one(".group-conditional blockquote") is None


@pytest.mark.parametrize(
    ("contact", "href"),
    [("corrections@example.org", "mailto:corrections@example.org"), ("https://example.org/report", "https://example.org/report")],
)
def test_corrections_contact_is_on_the_log_and_every_permalink(seeded_db: Path, contact: str, href: str) -> None:
    with make_client(seeded_db, corrections_contact=contact) as configured:
        for url in ("/corrections", f"/proposals/{STATED_PROPOSAL}", "/about"):
            line = soup(configured.get(url)).select_one("main .report-error")
            assert line.get_text().startswith("Spotted an error? Tell us"), url
            assert line.a["href"] == href and line.a.get_text() == "Tell us"


def test_without_a_contact_the_page_says_how_to_reach_the_publisher(client: TestClient) -> None:
    for url in ("/corrections", f"/proposals/{STATED_PROPOSAL}"):
        line = soup(client.get(url)).select_one("main .report-error")
        assert line.get_text().startswith("Spotted an error? Tell whoever publishes this site") and line.a is None
    # readers are no longer sent to pull-request instructions
    page = soup(client.get("/corrections"))
    assert not page.select('main a[href="/about#contribute"]') and "pull request" not in page.get_text()


@pytest.mark.parametrize("bad", ["nope", "ftp://example.org", "corrections@", "javascript:alert(1)"])
def test_a_bad_corrections_contact_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="CORRECTIONS_CONTACT"):
        Settings(corrections_contact=bad)
