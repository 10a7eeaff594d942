"""/sources, /api/sources and /about over HTTP: every source with what it backs, links that land on real
anchors, the method page's sections, and hostile seed text. HTML is parsed, not grepped."""

from collections import Counter
from functools import cache
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Event, Proposal, Reaction, Source
from app.vocabulary import EVIDENCE_LABELS
from app.seeds import load_seed_set
from tests.conftest import SEEDS_DIR, is_our_script, vary_of, soup

SEEDS = load_seed_set([SEEDS_DIR])

ABOUT_SECTIONS = {
    "source-article": "The source article",
    "positions": "Positions",
    "basis": "Stated, reported or inferred",
    "corrections": "Corrections",
    "evidence": "Evidence types",
    "dates": "Dates and their precision",
    "no-position": "“No public position found” is not “neutral”",
    "developers": "For developers",
    "contribute": "For developers: adding a source article",
    "licence": "Licence",
}



@pytest.fixture(scope="module")
def sources_page(client: TestClient) -> BeautifulSoup:
    response = client.get("/sources")
    assert response.status_code == 200
    assert vary_of(response) >= {"HX-Request", "HX-History-Restore-Request"}
    return soup(response)


@pytest.fixture(scope="module")
def about_page(client: TestClient) -> BeautifulSoup:
    response = client.get("/about")
    assert response.status_code == 200
    return soup(response)


@pytest.fixture(scope="module")
def page_at(client: TestClient):  # type: ignore[no-untyped-def]
    """A page by path, fetched once."""

    @cache
    def fetch(path: str) -> BeautifulSoup:
        response = client.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        return soup(response)

    return fetch


def test_sources_lists_every_source(sources_page: BeautifulSoup, seeded_session: Session) -> None:
    assert sources_page.h1.get_text() == "Sources"
    listed = [li["id"].removeprefix("source-") for li in sources_page.select("ol.source-list > li.source")]
    assert sorted(listed) == sorted(seeded_session.scalars(select(Source.slug)))
    for source in seeded_session.scalars(select(Source)):
        item = sources_page.find(id=f"source-{source.slug}")
        assert item.h2.get_text(" ", strip=True).startswith(source.title)
        facts = {d.dt.get_text(): d.dd for d in item.select(".facts > div")}
        assert facts["Outlet"].get_text() == source.outlet
        assert facts["Kind"].get_text() == source.kind
        # the date at its precision: a <time> no more precise than the source, or "date not given"
        assert facts["Date"].time is not None or facts["Date"].get_text() == "date not given"


def test_sources_are_in_date_order(client: TestClient, sources_page: BeautifulSoup) -> None:
    items = client.get("/api/sources").json()["items"]
    dates = [item["date"]["date"] for item in items]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated) and dates[: len(dated)] == dated  # oldest first, undated last
    assert [li["id"] for li in sources_page.select("li.source")] == [item["anchor"] for item in items]


def test_dates_show_their_precision(sources_page: BeautifulSoup) -> None:
    def date_of(slug: str):  # type: ignore[no-untyped-def]
        item = sources_page.find(id=f"source-{slug}")
        return {d.dt.get_text(): d.dd for d in item.select(".facts > div")}["Date"].time

    assert date_of("wsj-report-2024-11-06")["datetime"] == "2024-11-06"
    # the transcript is dated only by the press conference it records, so it is a span
    kremlin = date_of("kremlin-transcript-press-conference-2024-12-26")
    assert kremlin["datetime"] == "2024-12" and kremlin.get_text().startswith("on or after Putin’s press conference")
    assert date_of("shawn-ryan-show-vance-2024-09").get_text() == "September 2024"
    tass = date_of("tass-lavrov-interview")
    assert tass["datetime"] == "2024-12" and tass.get_text().startswith("a Sunday after")


def test_the_curated_article_is_marked(sources_page: BeautifulSoup, seeded_session: Session) -> None:
    documents = set(seeded_session.scalars(select(Source.document)))
    marked = {li["id"].removeprefix("source-") for li in sources_page.select("li.source") if li.select_one("h2 .tag")}
    assert marked == documents


def test_every_reaction_event_and_first_report_is_listed_once(sources_page: BeautifulSoup, seeded_session: Session) -> None:
    hrefs = Counter(a["href"] for a in sources_page.select(".backs a"))
    expected = [f"/proposals/{r.proposal.slug}#reaction-{r.slug}" for r in seeded_session.scalars(select(Reaction))]
    expected += [f"/timeline#event-{e.slug}" for e in seeded_session.scalars(select(Event))]
    expected += [f"/proposals/{p.slug}" for p in seeded_session.scalars(select(Proposal))]
    assert hrefs == Counter(expected)


def test_backing_links_are_under_the_source_they_cite(sources_page: BeautifulSoup) -> None:
    kremlin = sources_page.find(id="source-kremlin-transcript-press-conference-2024-12-26")
    links = {a["href"]: a.get_text() for a in kremlin.select(".backs a")}
    putin = "/proposals/nato-membership-20-year-delay#reaction-putin-rejects-nato-delay"
    assert links[putin] == "Vladimir Putin rejects: Delay Ukraine’s NATO membership by 20 years in exchange for a ceasefire"
    assert "/timeline#event-putin-annual-press-conference" in links
    wsj = sources_page.find(id="source-wsj-report-2024-11-06")
    first = wsj.find("dt", string="First report of").find_next_sibling("dd")
    assert [a["href"] for a in first.select("a")] == ["/proposals/nato-membership-20-year-delay"]


def test_backing_links_land_on_real_anchors(sources_page: BeautifulSoup, page_at) -> None:  # type: ignore[no-untyped-def]
    hrefs = {a["href"] for a in sources_page.select(".backs a")}
    assert hrefs
    for href in sorted(hrefs):
        parts = urlsplit(href)
        page = page_at(parts.path)
        if parts.fragment:
            target = page.find(id=parts.fragment)
            assert target is not None, f"{href}: no element with id {parts.fragment!r}"
            # the anchor is the item itself, not a stray id
            assert target.name in ("article", "li"), f"{href}: lands on a <{target.name}>"


def test_api_sources_matches_the_page(client: TestClient, sources_page: BeautifulSoup) -> None:
    data = client.get("/api/sources").json()
    assert data["count"] == len(data["items"]) == len(sources_page.select("li.source"))
    kremlin = next(i for i in data["items"] if i["slug"] == "kremlin-transcript-press-conference-2024-12-26")
    assert kremlin["kind"] == "press conference transcript"
    note = SEEDS.sources["kremlin-transcript-press-conference-2024-12-26"].published.note
    assert "does not date the transcript" in note
    assert kremlin["date"] == {"date": "2024-12-26", "precision": "approximate", "note": note, "label": note}
    reaction = next(r for r in kremlin["reactions"] if r["slug"] == "putin-rejects-nato-delay")
    assert reaction["url"] == "/proposals/nato-membership-20-year-delay#reaction-putin-rejects-nato-delay"
    assert reaction["actor"] == {"slug": "vladimir-putin", "name": "Vladimir Putin"}
    assert reaction["position"] == "rejects"
    assert kremlin["events"][0]["url"] == "/timeline#event-putin-annual-press-conference"


def test_api_sources_is_in_the_openapi_schema(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    responses = schema["paths"]["/api/sources"]["get"]["responses"]
    assert responses["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/SourceList")
    assert {"/sources", "/about", "/feed.atom"}.isdisjoint(schema["paths"])  # pages and feeds are not API


@pytest.mark.parametrize(("url", "label"), [("/sources", "Sources"), ("/about", "About & method")])
def test_nav_links_and_marks_the_current_page(client: TestClient, url: str, label: str) -> None:
    page = soup(client.get(url))
    nav = {a.get_text(): a for a in page.select("nav[aria-label=Site] .nav-links a")}
    assert nav[label]["href"] == url and nav[label]["aria-current"] == "page"
    assert [a.get_text() for a in page.select("nav[aria-label=Site] .nav-links a[aria-current]")] == [label]
    # the phone's menu holds the same links, the same one marked
    menu = [(a.get_text(), a["href"], a.get("aria-current")) for a in page.select("nav[aria-label=Site] .nav-menu a")]
    assert menu == [(a.get_text(), a["href"], a.get("aria-current")) for a in page.select("nav[aria-label=Site] .nav-links a")]
    assert page.title.get_text() == f"{label} · Truce Explorer"
    home = soup(client.get("/"))
    assert {"Sources", "About & method"} <= {a.get_text() for a in home.select("nav[aria-label=Site] a")}


def test_about_has_the_required_sections(about_page: BeautifulSoup) -> None:
    assert about_page.h1.get_text() == "About & method"
    headings = {h2["id"]: h2.get_text(" ", strip=True) for h2 in about_page.select("main h2")}
    assert headings == ABOUT_SECTIONS
    # the table of contents points at those sections
    toc = [a["href"] for a in about_page.select("nav.toc a")]
    assert toc == [f"#{anchor}" for anchor in ABOUT_SECTIONS]


def section(page: BeautifulSoup, anchor: str) -> BeautifulSoup:
    return page.find(id=anchor).find_parent("section")


def test_about_explains_positions_and_proposers(about_page: BeautifulSoup) -> None:
    positions = section(about_page, "positions")
    assert [dt.get_text(" ", strip=True) for dt in positions.select("dt")] == ["✓ Supports", "◐ Supports on conditions", "✗ Rejects"]
    text = positions.get_text(" ", strip=True)
    assert "condition" in text.lower() and "Proposer" in text and "counts as support" in text


def test_about_lists_the_five_evidence_types(about_page: BeautifulSoup) -> None:
    labels = [dt.get_text(strip=True) for dt in section(about_page, "evidence").select("dt")]
    assert labels == list(EVIDENCE_LABELS.values())


def test_about_explains_date_precision_and_as_of(client: TestClient, about_page: BeautifulSoup) -> None:
    dates = section(about_page, "dates")
    assert [dt.get_text() for dt in dates.select("dt")] == ["Day", "Month", "Year", "Approximate", "Date not given"]
    assert dates.find("code", string="?as_of=YYYY-MM-DD")
    # the worked example is true: as of 28 December, Putin's rejection is known and Lavrov's is not yet
    example = dates.find("a", href=lambda h: h and "as_of=" in h)["href"]
    shown = {a["id"] for a in soup(client.get(example)).select("article.reaction")}
    assert "reaction-putin-rejects-nato-delay" in shown
    assert "reaction-lavrov-rejects-nato-delay" not in shown
    assert "reaction-lavrov-rejects-nato-delay" in {a["id"] for a in soup(client.get(urlsplit(example).path)).select("article.reaction")}


def test_no_public_position_is_worded_the_same_everywhere(client: TestClient, about_page: BeautifulSoup) -> None:
    text = section(about_page, "no-position").get_text(" ", strip=True)
    assert "absence of evidence" in text and "Neutral" in text
    matrix = soup(client.get("/matrix"))
    empty = {span.get_text(strip=True) for span in matrix.select(".no-position .visually-hidden")}
    assert empty == {"No public position found"}
    assert matrix.select_one(".lede a")["href"] == "/about#no-position"


def test_about_says_how_to_contribute(about_page: BeautifulSoup) -> None:
    contribute = section(about_page, "contribute")
    code = [c.get_text() for c in contribute.select("code")]
    assert "seeds/<article-slug>.yaml" in code
    assert ".venv/bin/truce check seeds --article-dir ../shared/seeds" in code
    assert "make seed" in code
    assert "pull request" in contribute.get_text()
    assert "MIT" in section(about_page, "licence").get_text()


def test_about_names_the_article_from_the_database(about_page: BeautifulSoup, seeded_session: Session) -> None:
    titles = [s.title for s in seeded_session.scalars(select(Source).where(Source.slug == Source.document))]
    cited = [c.get_text() for c in section(about_page, "source-article").select("cite")]
    assert cited == titles


def test_about_links_resolve(client: TestClient, about_page: BeautifulSoup) -> None:
    for href in {a["href"] for a in about_page.select("main a")}:
        parts = urlsplit(href)
        if not parts.path:
            assert about_page.find(id=parts.fragment), href
            continue
        response = client.get(href)
        assert response.status_code == 200, f"{href}: {response.status_code}"



@pytest.mark.parametrize("url", ["/sources", "/about"])
def test_hostile_text_is_inert(xss_client: TestClient, url: str) -> None:
    response = xss_client.get(url)
    assert response.status_code == 200
    page = soup(response)
    for script in page.find_all("script"):
        assert is_our_script(script), script
    for tag in ("img", "iframe", "svg", "b"):
        assert page.find(tag) is None, f"a <{tag}> from the seed was rendered as markup"
    for element in page.find_all(True):
        assert not any(attribute.startswith("on") for attribute in element.attrs)
        assert not element.get("href", "").lower().startswith("javascript:")
    assert "<script>alert('source-title')</script>" in page.get_text()
