"""Stated versus inferred stances on every surface, the `basis` filter, and the corrections log,
over HTTP against the real seeded database."""

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
# An analyst's reading of Putin (inferred) and Putin's own words (stated).
INFERRED = "putin-wants-a-deal-per-ash"
INFERRED_PROPOSAL = "end-war-within-24-hours"
STATED = "putin-rejects-nato-delay"
STATED_PROPOSAL = "nato-membership-20-year-delay"


@pytest.fixture(scope="module")
def seeded(seeded_db: Path):  # type: ignore[no-untyped-def]
    engine = make_engine(sqlite_url(seeded_db), read_only=True)
    with Session(engine) as session:
        yield session
    engine.dispose()


def reaction_slugs(session: Session, basis: Basis) -> set[str]:
    return set(session.scalars(select(Reaction.slug).where(Reaction.basis == basis)))


def test_the_seed_marks_both_kinds(seeded: Session) -> None:
    inferred = reaction_slugs(seeded, Basis.inferred)
    assert INFERRED in inferred and STATED in reaction_slugs(seeded, Basis.stated)
    rationales = {slug: rationale for slug, rationale in seeded.execute(select(Reaction.slug, Reaction.rationale))}
    assert all(rationales[slug] for slug in inferred)


def test_list_chips_mark_inferred_stances_with_a_symbol_and_a_word(client: TestClient) -> None:
    page = soup(client.get("/"))
    card = page.select_one(f'.card-title a[href="/proposals/{INFERRED_PROPOSAL}"]').find_parent("li")
    chip = card.select_one('.stance-conditional a.chip[href="/actors/vladimir-putin"]')
    assert "chip-inferred" in chip["class"]
    # what a screen reader reads: the name, then "(inferred)"; the ≈ is hidden from it
    assert chip.select_one(".visually-hidden").get_text() == " (inferred)"
    assert chip.select_one('[aria-hidden="true"]').get_text() == "≈"
    assert card.select_one(".legend") is not None
    stated_card = page.select_one(f'.card-title a[href="/proposals/{STATED_PROPOSAL}"]').find_parent("li")
    stated = stated_card.select_one('.stance-rejects a.chip[href="/actors/vladimir-putin"]')
    assert "chip-inferred" not in stated["class"] and stated.select_one(".inferred-mark") is None


def test_matrix_cells_mark_inferred_stances(client: TestClient) -> None:
    page = soup(client.get("/matrix"))
    inferred = page.select_one(f'a.cell-link[href="/proposals/{INFERRED_PROPOSAL}#reaction-{INFERRED}"]')
    assert inferred.get_text(" ", strip=True) == "◐ Supports on conditions ≈ (inferred)"
    stated = page.select_one(f'a.cell-link[href="/proposals/{STATED_PROPOSAL}#reaction-{STATED}"]')
    assert stated.get_text(" ", strip=True) == "✗ Rejects"


def test_permalink_shows_the_rationale_beside_an_inferred_stance(client: TestClient, seeded: Session) -> None:
    page = soup(client.get(f"/proposals/{INFERRED_PROPOSAL}"))
    reaction = page.select_one(f"#reaction-{INFERRED}")
    assert reaction.select_one("h3 .tag-inferred").get_text(" ", strip=True) == "≈ Inferred: our reading"
    rationale = seeded.scalar(select(Reaction.rationale).where(Reaction.slug == INFERRED))
    assert reaction.select_one(".rationale").get_text(" ", strip=True) == f"Why we infer it: {rationale}"
    stated = soup(client.get(f"/proposals/{STATED_PROPOSAL}")).select_one(f"#reaction-{STATED}")
    assert stated.select_one(".tag-stated").get_text(strip=True) == "Stated"
    assert stated.select_one(".rationale") is None


def test_actor_page_marks_and_explains(client: TestClient) -> None:
    page = soup(client.get("/actors/vladimir-putin"))
    inferred = page.select_one(f"#reaction-{INFERRED}")
    assert inferred.select_one(".tag-inferred") and inferred.select_one(".rationale")
    assert page.select_one(f"#reaction-{STATED} .tag-stated")


def test_compare_and_common_ground_mark_inferred(client: TestClient) -> None:
    page = soup(client.get("/compare?a=vladimir-putin&b=donald-trump"))
    cell = page.select_one(f'a.cell-link[href="/proposals/{INFERRED_PROPOSAL}#reaction-{INFERRED}"]')
    assert "(inferred)" in cell.get_text() and cell.select_one(".badge-inferred")
    ground = soup(client.get("/common-ground"))
    row = ground.select_one(f'th a[href="/proposals/{INFERRED_PROPOSAL}"]').find_parent("tr")
    russia = row.select("td")[0]  # Russia is the first side
    assert russia.select_one(".side-status").get_text(" ", strip=True) == "◐ Supports on conditions ≈ (inferred)"
    assert client.get("/api/common-ground").json()["rows"][0]["sides"][0]["inferred"] is True


def test_link_previews_say_which_stances_are_inferred(client: TestClient) -> None:
    page = soup(client.get(f"/proposals/{INFERRED_PROPOSAL}"))
    description = page.find("meta", property="og:description")["content"]
    assert "Supported on conditions by Vladimir Putin (inferred)" in description


def test_share_card_names_inferred_stances_in_words(seeded: Session) -> None:
    lines = layout_card(get_proposal(seeded, INFERRED_PROPOSAL))
    names = " ".join(line.text for line in lines if line.role == "names")
    assert "Vladimir Putin (inferred)" in names
    stated = " ".join(line.text for line in layout_card(get_proposal(seeded, STATED_PROPOSAL)) if line.role == "names")
    assert "Vladimir Putin" in stated and "Vladimir Putin (inferred)" not in stated


def test_json_carries_basis_and_rationale(client: TestClient) -> None:
    detail = client.get(f"/api/proposals/{INFERRED_PROPOSAL}").json()
    reaction = next(r for r in detail["reactions"] if r["slug"] == INFERRED)
    assert reaction["basis"] == "inferred" and reaction["rationale"]
    assert next(a for a in detail["stance"]["conditional"] if a["slug"] == "vladimir-putin")["inferred"] is True
    listed = client.get("/api/proposals").json()["items"]
    brief = next(r for item in listed for r in item["reactions"] if r["slug"] == STATED)
    assert brief["basis"] == "stated"


def test_csv_carries_basis_and_rationale(client: TestClient, seeded: Session) -> None:
    rows = {row["url"].rsplit("#reaction-", 1)[1]: row for row in read_csv(client.get("/reactions.csv"))}
    assert rows[INFERRED]["basis"] == "inferred" and rows[INFERRED]["rationale"]
    assert rows[STATED]["basis"] == "stated" and rows[STATED]["rationale"] == ""
    proposals = {row["slug"]: row for row in read_csv(client.get("/proposals.csv"))}
    assert "Vladimir Putin (inferred)" in proposals[INFERRED_PROPOSAL]["conditional"]


def test_atom_feed_marks_inferred_entries(client: TestClient, seeded: Session) -> None:
    # The feed holds dated items only; take a dated inferred reaction from the data.
    dated = seeded.execute(
        select(Reaction.slug, Reaction.rationale).where(Reaction.basis == Basis.inferred, Reaction.stated_on.is_not(None))
    ).first()
    assert dated is not None
    feed = ET.fromstring(client.get("/feed.atom").content)
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id").endswith(f"reaction/{dated.slug}"))
    assert "(inferred)" in entry.findtext(f"{ATOM}title")
    assert "Inferred, our reading:" in entry.findtext(f"{ATOM}content") and dated.rationale.split()[0] in entry.findtext(f"{ATOM}content")


@pytest.mark.parametrize("path", ["/", "/matrix"])
def test_basis_filter_on_pages_and_fragments(client: TestClient, path: str) -> None:
    base = f"{path}?actor=vladimir-putin&position=conditional"
    assert INFERRED_PROPOSAL in client.get(base).text
    page = soup(client.get(f"{base}&basis=stated"))
    assert page.select_one(f'a[href^="/proposals/{INFERRED_PROPOSAL}"]') is None
    assert page.select_one('#filter-basis option[value="stated"]').has_attr("selected")
    fragment = client.get(f"{base}&basis=stated", headers=HX)
    assert "<html" not in fragment.text and "HX-Request" in vary_of(fragment)
    assert fragment.headers["HX-Push-Url"] == f"{base}&basis=stated"


def test_basis_facet_counts_stances_of_each_kind(client: TestClient, seeded: Session) -> None:
    facets = {o["value"]: o for o in client.get("/api/proposals").json()["facets"]["basis"]}
    assert facets["stated"]["stances"] == len(reaction_slugs(seeded, Basis.stated))
    assert facets["inferred"]["stances"] == len(reaction_slugs(seeded, Basis.inferred))
    page = soup(client.get("/"))
    options = [o.get_text() for o in page.select("#filter-basis option")]
    assert options[1] == f"Only stances stated outright ({facets['stated']['stances']} stances, {facets['stated']['count']} proposals)"


def test_basis_filter_on_the_api_and_csv(client: TestClient, seeded: Session) -> None:
    stated = client.get("/api/proposals?basis=stated").json()
    shown = {r["slug"] for item in stated["items"] for r in item["reactions"]}
    assert shown and shown <= reaction_slugs(seeded, Basis.stated)
    assert stated["filters"]["basis"] == "stated"
    rows = read_csv(client.get("/reactions.csv?basis=inferred"))
    assert {row["basis"] for row in rows} == {"inferred"}
    assert len(rows) == len(reaction_slugs(seeded, Basis.inferred))


@pytest.mark.parametrize("url", ["/?basis=implied", "/api/proposals?basis=implied", "/reactions.csv?basis=implied", "/matrix?basis=implied"])
def test_a_bad_basis_is_a_clear_422(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 422
    if url.startswith(("/api", "/reactions")):
        detail = response.json()["detail"]
        assert detail["parameter"] == "basis" and detail["value"] == "implied"
        assert set(detail["allowed"]) >= {"stated", "inferred"}
    else:
        assert "implied" in response.text and "stated" in response.text


def test_about_explains_the_difference(client: TestClient) -> None:
    section = soup(client.get("/about")).select_one("section:has(#basis)")
    text = section.get_text(" ", strip=True)
    assert "stated" in text and "inferred" in text and "rationale" in text


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
    corrected = seeded.scalars(select(Correction).where(Correction.proposal_id.is_not(None))).first()
    assert corrected is not None
    note = soup(client.get(f"/proposals/{corrected.proposal.slug}")).select_one(".corrections-note")
    assert note is not None and "Corrected on" in note.get_text()
    link = note.select_one(f'a[href="/corrections#correction-{corrected.id}"]')
    assert link is not None
    target = soup(client.get("/corrections")).select_one(f"#correction-{corrected.id}")
    assert corrected.what_changed in target.get_text(" ", strip=True)


def test_embeds_say_which_stances_are_inferred(client: TestClient) -> None:
    proposal = soup(client.get(f"/embed/proposals/{INFERRED_PROPOSAL}"))
    conditional = proposal.select_one(".group-conditional .embed-names").get_text()
    assert "Vladimir Putin (inferred)" in conditional
    stated = soup(client.get(f"/embed/proposals/{STATED_PROPOSAL}")).select_one(".group-rejects .embed-names").get_text()
    assert "Vladimir Putin" in stated and "(inferred)" not in stated
    actor = soup(client.get("/embed/actors/vladimir-putin"))
    items = [li.get_text() for li in actor.select(".group-conditional li")]
    assert any(item.endswith("(inferred)") for item in items)
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
