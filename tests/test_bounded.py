"""Every view is bounded: at a moderate synthetic size (the real importer over `truce synth` output),
every page type answers within a size budget, in a few SQL statements, with a bounded number of rows;
and paging is exact: following rel=next (or the API's `next`) visits every row once."""

import gzip
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from app.db import make_engine
from app.models import Actor, Event, Precision, Proposal, Reaction, event_actor
from app.paging import API_LIMIT, PAGE_SIZE
from app.schemas import STANCE_NAMES_PER_POSITION
from app.i18n import ngettext
from tests.conftest import SYNTH_SIZE, soup
from tests.page_types import PAGED_PAGE_TYPES

HX = {"HX-Request": "true"}
A = "{http://www.w3.org/2005/Atom}"
TOTAL_REACTIONS = SYNTH_SIZE.proposals * round(SYNTH_SIZE.actors * SYNTH_SIZE.density)

# url -> (CSS selector of one row, most rows a page may hold)
HTML_PAGES = {
    "/": ("ol.cards > li", PAGE_SIZE),
    "/?page=3": ("ol.cards > li", PAGE_SIZE),
    "/?actor=synth-actor-1&position=rejects": ("ol.cards > li", PAGE_SIZE),
    "/?q=ceasefire": ("ol.cards > li", PAGE_SIZE),
    "/?side=russia": ("ol.cards > li", PAGE_SIZE),
    "/?side=russia&position=rejects": ("ol.cards > li", PAGE_SIZE),
    "/?side=ukraine&position=supports&as_of=2024-12-31&basis=stated": ("ol.cards > li", PAGE_SIZE),
    "/matrix?side=europe&position=conditional": ("table.matrix tbody tr", PAGE_SIZE),
    "/state-of-play": ("table.state-grid tbody tr", PAGE_SIZE),
    "/state-of-play?page=2&basis=inferred": ("table.state-grid tbody tr", PAGE_SIZE),
    "/proposals/synth-proposal-1": ("article.reaction", SYNTH_SIZE.actors),
    "/matrix": ("table.matrix tbody tr", PAGE_SIZE),
    "/matrix?page=2&rows=2": ("table.matrix tbody tr", PAGE_SIZE),
    "/timeline": (".timeline-item", 100),
    "/timeline?page=4": (".timeline-item", 100),
    "/timeline?actor=synth-actor-1": (".timeline-item", 100),
    "/actors": ("li.actor-card", PAGE_SIZE),
    "/actors/synth-actor-1": ("article.reaction", PAGE_SIZE),
    "/compare?a=synth-actor-1&b=synth-actor-2": ("table.compare tbody tr", PAGE_SIZE),
    "/common-ground": ("table.ground tbody tr", PAGE_SIZE),
    "/sources": ("li.source", PAGE_SIZE),
}
API_PAGES = ["/api/proposals", "/api/proposals?side=russia&position=rejects", "/api/state-of-play", "/api/actors", "/api/actors/synth-actor-1", "/api/timeline", "/api/sources", "/api/common-ground", "/api/compare?a=synth-actor-1&b=synth-actor-2", "/api/matrix"]
MAX_HTML_BYTES = 300_000
MAX_GZIP_BYTES = 50_000
# Flat at any size: a search page is the largest (its list, facets, snippets and the cards' named
# actors; when the words match most proposals, the facets are every proposal's less the rest's).
MAX_STATEMENTS = 18


def measured(client: TestClient, url: str, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(client.app.state.engine, "before_cursor_execute", listener)
    try:
        response = client.get(url, headers=headers or {})
    finally:
        event.remove(client.app.state.engine, "before_cursor_execute", listener)
    return response, statements


@pytest.mark.parametrize("url", list(HTML_PAGES))
def test_html_page_is_bounded(synth_client: TestClient, url: str) -> None:
    selector, most = HTML_PAGES[url]
    response, statements = measured(synth_client, url)
    assert response.status_code == 200, response.text[:300]
    rows = soup(response).select(selector)
    assert 0 < len(rows) <= most, f"{url}: {len(rows)} rows"
    assert len(response.content) <= MAX_HTML_BYTES, f"{url}: {len(response.content)} bytes"
    assert len(gzip.compress(response.content)) <= MAX_GZIP_BYTES
    assert len(statements) <= MAX_STATEMENTS, f"{url}: {len(statements)} statements"
    fragment, _ = measured(synth_client, url, HX)
    assert len(fragment.content) <= len(response.content)


@pytest.mark.parametrize("url", API_PAGES)
def test_api_list_is_bounded(synth_client: TestClient, url: str) -> None:
    response, statements = measured(synth_client, url)
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    rows = body.get("items") or body.get("reactions") or body.get("rows") or [i for m in body.get("months", []) for i in m["items"]]
    assert 0 < len(rows) <= API_LIMIT, f"{url}: {len(rows)} rows"
    assert len(response.content) <= 400_000
    assert len(statements) <= MAX_STATEMENTS


@pytest.mark.parametrize("url", ["/feed.atom", "/feed.atom?page=2", "/feed.atom?side=ukraine", "/feed.atom?side=ukraine&page=2", "/actors/synth-actor-1/feed.atom", "/healthz"])
def test_feeds_and_health_are_bounded(synth_client: TestClient, url: str) -> None:
    response, statements = measured(synth_client, url)
    assert response.status_code == 200
    if url.endswith(("atom", "page=2")):
        assert len(ET.fromstring(response.content).findall(f"{A}entry")) == 50
    assert len(response.content) <= 150_000 and len(statements) <= 6


def test_csv_streams_every_row(synth_client: TestClient) -> None:
    with synth_client.stream("GET", "/reactions.csv") as response:
        assert response.status_code == 200 and "content-length" not in response.headers
        chunks = list(response.iter_bytes())
    assert b"".join(chunks).count(b"\r\n") == TOTAL_REACTIONS + 1
    proposals = synth_client.get("/proposals.csv")
    assert proposals.content.count(b"\r\n") == SYNTH_SIZE.proposals + 1


def next_link(page) -> str | None:  # type: ignore[no-untyped-def]
    link = page.find("link", rel="next")
    visible = page.select_one("nav.pager a[rel=next]")
    assert (link is None) == (visible is None)
    if link is not None:
        assert link["href"] == visible["href"]
    return link["href"] if link else None


@pytest.mark.parametrize("start", ["/", "/?position=rejects", "/?q=ceasefire", "/?side=russia&position=rejects"])
def test_following_rel_next_visits_every_proposal_once(synth_client: TestClient, start: str) -> None:
    first = soup(synth_client.get(start))
    expected = int(re.match(r"(\d+) of", first.select_one("#result-status").get_text()).group(1))
    api = synth_client.get("/api/proposals" + start[1:] + ("&" if "?" in start else "?") + "limit=200").json()
    assert api["count"] == expected
    seen: list[str] = []
    url: str | None = start
    pages = 0
    while url:
        page = soup(synth_client.get(url))
        cards = [a["href"] for a in page.select("ol.cards > li .card-title a")]
        assert len(cards) <= PAGE_SIZE
        assert page.select_one("#result-status").get_text().startswith(f"{expected} of"), "the count is for the whole filter"
        if pages:
            assert page.find("link", rel="prev") and page.select_one("nav.pager a[rel=prev]")
        seen += cards
        pages += 1
        url = next_link(page)
    assert len(seen) == len(set(seen)) == expected
    assert pages == -(-expected // PAGE_SIZE) and pages > 1


def test_api_cursor_walk_matches_the_link_header(synth_client: TestClient) -> None:
    seen: list[str] = []
    url: str | None = "/api/proposals?limit=50"
    while url:
        response = synth_client.get(url)
        body = response.json()
        seen += [item["slug"] for item in body["items"]]
        url = body["page"]["next"]
        if url:
            assert response.headers["link"].startswith(f"<{url}>; rel=\"next\"")
            assert "limit" not in url or "limit=50" not in url  # the default is not repeated
        else:
            assert "rel=\"next\"" not in response.headers.get("link", "")
    assert len(seen) == len(set(seen)) == SYNTH_SIZE.proposals


def test_api_limit_and_cursor_are_checked(synth_client: TestClient) -> None:
    assert len(synth_client.get("/api/proposals").json()["items"]) == API_LIMIT
    assert len(synth_client.get("/api/proposals?limit=200").json()["items"]) == SYNTH_SIZE.proposals
    for bad in ("limit=0", "limit=201", "limit=x", "cursor=abc", "cursor=-1"):
        response = synth_client.get(f"/api/proposals?{bad}")
        assert response.status_code == 422, bad
        assert response.json()["detail"]["parameter"] == bad.split("=")[0]
    assert synth_client.get("/api/proposals?cursor=100000").json()["items"] == []
    paths = synth_client.get("/openapi.json").json()["paths"]
    for path in ("/api/proposals", "/api/actors", "/api/timeline", "/api/sources", "/api/common-ground", "/api/compare", "/api/actors/{slug}", "/api/matrix"):
        names = {p["name"] for p in paths[path]["get"]["parameters"]}
        assert {"limit", "cursor"} <= names, path


@pytest.mark.parametrize(("url", "parameter"), [("/?page=0", "page"), ("/?page=two", "page"), ("/?page=99", "page"), ("/matrix?rows=99", "rows"), ("/timeline?page=-1", "page"), ("/timeline?month=2024-13", "month")])
def test_bad_pages_are_a_clear_422(synth_client: TestClient, url: str, parameter: str) -> None:
    response = synth_client.get(url)
    assert response.status_code == 422
    message = soup(response).select_one(".error-message").get_text()
    assert parameter in message


def test_month_selector_goes_to_the_page_where_the_month_starts(synth_client: TestClient) -> None:
    response = synth_client.get("/timeline?month=2023-05", follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/timeline") and location.endswith("#month-2023-05")
    page = soup(synth_client.get(location.split("#")[0]))
    assert page.find(id="month-2023-05") is not None


def test_feed_pages_are_rfc5005_linked(synth_client: TestClient) -> None:
    seen: set[str] = set()
    url: str | None = "http://testserver/feed.atom"
    pages = 0
    while url and pages < 100:
        feed = ET.fromstring(synth_client.get(url).content)
        ids = [e.findtext(f"{A}id") for e in feed.findall(f"{A}entry")]
        assert len(ids) <= 50 and not seen & set(ids)
        seen |= set(ids)
        links = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
        if pages:
            assert links["first"] == "http://testserver/feed.atom" and links["previous"]
        url = links.get("next")
        pages += 1
    assert pages > 1 and len(seen) > 50


def test_matrix_columns_follow_the_filters_and_every_cell_is_reachable(synth_client: TestClient) -> None:
    api = synth_client.get("/api/matrix?limit=200").json()
    assert len(api["columns"]) == SYNTH_SIZE.proposals
    rows = api["actor_count"]
    assert rows == SYNTH_SIZE.actors and len(api["rows"]) == API_LIMIT and api["row_page"]["next"]
    # The default rows are the most active actors: nobody off the first page spoke more often.
    page = soup(synth_client.get("/matrix"))
    shown = {a.get_text() for a in page.select("table.matrix tbody th a")}
    actors = synth_client.get("/api/actors?limit=200").json()["items"]
    counts = sorted((a["reaction_count"] for a in actors), reverse=True)
    shown_counts = sorted((a["reaction_count"] for a in actors if a["name"] in shown), reverse=True)
    assert shown_counts == counts[:PAGE_SIZE]
    filtered = soup(synth_client.get("/matrix?actor=synth-actor-5"))
    assert [th.get_text() for th in filtered.select("tbody th")] == [next(a["name"] for a in actors if a["slug"] == "synth-actor-5")]


@pytest.mark.parametrize("name", list(PAGED_PAGE_TYPES))
def test_paged_page_types_answer(synth_client: TestClient, name: str) -> None:
    url, status = PAGED_PAGE_TYPES[name]
    response = synth_client.get(url)
    assert response.status_code == status
    if status == 200:
        page = soup(response)
        assert page.find("link", rel="prev") and page.select_one("nav.pager")


def test_facet_counts_are_for_the_whole_filter_not_the_page(synth_client: TestClient) -> None:
    everything = synth_client.get("/api/proposals?limit=200").json()
    page = soup(synth_client.get("/?page=2"))
    options = {o["value"]: o.get_text() for o in page.select("#filter-position option") if o["value"]}
    for position in ("supports", "conditional", "rejects"):
        walked = synth_client.get(f"/api/proposals?position={position}&limit=200").json()["count"]
        assert options[position].endswith(f"({ngettext('%(num)s proposal', '%(num)s proposals', walked)})"), (position, options[position], walked)
    assert len(page.select("ol.cards > li")) == PAGE_SIZE < everything["count"]


def test_the_state_of_play_shows_the_most_discussed_and_pages_the_rest(synth_client: TestClient) -> None:
    from app.queries.state_of_play import HOME_ROWS

    home = soup(synth_client.get("/"))
    rows = home.select("#state-of-play table.state-grid tbody tr")
    api = synth_client.get("/api/state-of-play", params={"limit": 200}).json()
    assert len(rows) == HOME_ROWS < api["count"] == SYNTH_SIZE.proposals
    # most discussed first: the grid's rows are the API's first rows, whose stance counts never rise
    stances = [row["stances"] for row in api["rows"]]
    assert stances == sorted(stances, reverse=True)
    assert [r.select_one("th a")["href"] for r in rows] == [row["proposal"]["url"] for row in api["rows"][:HOME_ROWS]]
    assert home.select_one("#state-of-play .state-more a")["href"] == "/state-of-play"
    # the rest are paged: following rel=next visits every proposal once
    seen: list[str] = []
    url: str | None = "/state-of-play"
    while url:
        page = soup(synth_client.get(url))
        seen += [a["href"] for a in page.select("table.state-grid tbody th a")]
        url = next_link(page)
    assert len(seen) == len(set(seen)) == SYNTH_SIZE.proposals


def test_a_state_of_play_cell_links_to_the_page_that_holds_its_card(synth_client: TestClient) -> None:
    """At scale the card a cell explains may sit on a later page of the filtered view: the link names it."""
    api = synth_client.get("/api/state-of-play", params={"limit": 200}).json()
    cells = [cell for row in api["rows"] for cell in row["cells"] if cell["url"]]
    later = [cell for cell in cells if "page=" in cell["url"]]
    assert later, "some cards sit past the first page"
    for cell in later[:5] + cells[:5]:
        path, _, anchor = cell["url"].partition("#")
        page = soup(synth_client.get(path))
        assert page.select_one(f"li.card#{anchor}") is not None, cell["url"]


def test_the_state_of_play_is_computed_once_per_data_version(synth_client: TestClient) -> None:
    from app.queries import state_of_play

    synth_client.get("/?basis=inferred&as_of=2024-12-31")
    before = state_of_play._memo.computed
    response, statements = measured(synth_client, "/?basis=inferred&as_of=2024-12-31&side=europe")
    assert response.status_code == 200
    assert state_of_play._memo.computed == before, "a second view of the same day and basis reuses the table"
    assert not any("GROUP BY" not in s and "reaction.proposal_id, actor.side" in s for s in statements)
@pytest.mark.parametrize("url", ["/timeline", "/timeline?page=4", "/timeline?actor=synth-actor-1"])
def test_time_axis_is_bounded_and_its_marks_lead_to_their_pages(synth_client: TestClient, url: str) -> None:
    """Thousands of dated items: the axis merges marks per week, month or year (each with its count),
    stays a few KB, and every mark links to the page where its first item is."""
    from app.timeline_axis import MAX_LANES
    from tests.test_time_axis import axis_markup

    response = synth_client.get(url)
    body = synth_client.get("/api/timeline" + url.removeprefix("/timeline").split("page=")[0].rstrip("?&")).json()
    page = soup(response)
    for layout in ("narrow", "wide"):
        marks = page.select(f"svg.axis-{layout} a.mark")
        assert 0 < len(marks) <= 400
        assert sum(int(m["aria-label"].split()[0]) for m in marks) == body["count"] - body["undated_count"]
        assert int(page.select_one(f"svg.axis-{layout}")["viewbox"].split()[3]) <= (MAX_LANES + 1) * 60 + 100
    assert len(gzip.compress(axis_markup(response.text).encode())) <= 15_000
    for mark in page.select("svg.axis-narrow a.mark")[:: max(1, len(marks) // 6)]:
        path, _, anchor = mark["href"].partition("#")
        target = soup(synth_client.get(path))
        assert target.select(".timeline-item") and (not anchor or target.find(id=anchor) is not None), mark["href"]


def test_an_api_list_item_sums_up_its_stance_in_bounded_words(synth_client: TestClient) -> None:
    """An item names at most STANCE_NAMES_PER_POSITION actors per position and counts them all, so
    a page at the default limit stays small however many actors spoke (300 KB at 200k reactions)."""
    response = synth_client.get("/api/proposals")
    items = response.json()["items"]
    assert len(items) == API_LIMIT
    assert len(response.content) / len(items) <= 300_000 / API_LIMIT
    capped = 0
    for item in items:
        assert item["reactions"] is None
        for position, count in item["stance_counts"].items():
            assert len(item["stance"][position]) == min(count, STANCE_NAMES_PER_POSITION)
            capped += count > STANCE_NAMES_PER_POSITION
    assert capped, "no position held by more actors than an item names: the cap is not exercised"
    busiest = max(items, key=lambda i: sum(i["stance_counts"].values()))
    detail = synth_client.get(busiest["reactions_url"]).json()
    assert busiest["stance_counts"] == {p: len(actors) for p, actors in detail["stance"].items()}
    assert {p: actors[:STANCE_NAMES_PER_POSITION] for p, actors in detail["stance"].items()} == busiest["stance"]
    included = synth_client.get("/api/proposals?include=reactions").json()["items"]
    assert sum(len(i["reactions"]) for i in included) > sum(sum(i["stance_counts"].values()) for i in items) / 2
    # The card says how many more there are, from the same counts.
    card = soup(synth_client.get("/")).select_one(f'li.card:has(a[href="{busiest["url"]}"])')
    more = {a.find_parent(class_="stance-row")["class"][1]: a.get_text() for a in card.select("a.chip-more")}
    for position, count in busiest["stance_counts"].items():
        if count > STANCE_NAMES_PER_POSITION:
            assert more[f"stance-{position}"] == f"and {count - STANCE_NAMES_PER_POSITION} more"


@pytest.mark.parametrize("query", ["", "?actor=synth-actor-1", "?proposal=synth-proposal-1", "?actor=synth-actor-1&proposal=synth-proposal-1"])
def test_timeline_pages_hold_every_item_once_in_order(synth_client: TestClient, synth_db: Path, query: str) -> None:
    """Page by page, the timeline lists every item once: dated ones oldest first (exact days before
    rough dates on the same day), then the undated, across the page where the two meet. A direct
    sort over the tables is the reference."""
    engine = make_engine(f"sqlite:///{synth_db}")
    with engine.connect() as connection:
        actor_id = connection.scalar(select(Actor.id).where(Actor.slug == "synth-actor-1")) if "actor" in query else None
        proposal_id = connection.scalar(select(Proposal.id).where(Proposal.slug == "synth-proposal-1")) if "proposal" in query else None
        reactions = select(Reaction.slug, Reaction.stated_on, Reaction.stated_on_precision)
        if actor_id:
            reactions = reactions.where(Reaction.actor_id == actor_id)
        if proposal_id:
            reactions = reactions.where(Reaction.proposal_id == proposal_id)
        items = [("reaction", slug, day, precision) for slug, day, precision in connection.execute(reactions)]
        if not proposal_id:
            events = select(Event.slug, Event.occurred_on, Event.occurred_on_precision)
            if actor_id:
                events = events.where(Event.id.in_(select(event_actor.c.event_id).where(event_actor.c.actor_id == actor_id)))
            items += [("event", slug, day, precision) for slug, day, precision in connection.execute(events)]
    engine.dispose()
    dated = sorted((i for i in items if i[2] is not None), key=lambda i: (i[2], i[3] is not Precision.day, i[0], i[1]))
    expected = [(kind, slug) for kind, slug, _, _ in dated] + sorted((kind, slug) for kind, slug, day, _ in items if day is None)
    listed: list[tuple[str, str]] = []
    undated_seen: set[tuple[str, str]] = set()
    url: str | None = f"/api/timeline{query}"
    while url:  # following each page's next link
        body = synth_client.get(url).json()
        listed += [(i["kind"], i["slug"]) for month in body["months"] for i in month["items"]]
        undated_seen |= {(i["kind"], i["slug"]) for i in body["undated"]}
        url = body["page"]["next"]
    assert expected and body["count"] == len(expected)
    assert listed == expected[: len(listed)]
    assert undated_seen == set(expected[len(listed):]) and len(listed) + len(undated_seen) == len(expected)
    if not query:
        assert 0 < len(undated_seen) < len(expected)  # the walk crossed from dated to undated
