"""The pages over HTTP: full pages, htmx fragments, history restores, links and error pages.
HTML is parsed, not grepped."""

import shutil
import sqlite3
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from app.seeds import load_seed_set
from tests.conftest import SEEDS_DIR, vary_of, make_client, soup

SEEDS = load_seed_set([SEEDS_DIR])

HX = {"HX-Request": "true"}
HISTORY_RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


def card_slugs(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [a["href"].rsplit("/", 1)[1] for a in page.select(".card .card-title a")]


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_home_lists_every_proposal_as_a_card(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert vary_of(response) >= {"HX-Request", "HX-History-Restore-Request"}
    page = soup(response)
    assert page.find("html")["lang"] == "en"
    cards = page.select("ol.cards > li.card")
    assert len(cards) == 14
    first = cards[0]
    assert first.select_one(".card-title a")["href"] == "/proposals/end-war-within-24-hours"
    assert first.select_one(".summary").get_text(strip=True)
    assert [a.get_text() for a in first.select(".proposed-by a")] == ["Donald Trump"]
    # the stance summary carries text labels, not colour alone
    labels = [dt.get_text(" ", strip=True) for dt in first.select(".stance dt")]
    assert labels == ["✓ Supports"]
    # the empty positions are one line, not rows of "no one"
    assert first.select_one(".stance-none").get_text(strip=True) == "No one in the article rejects or sets conditions."
    assert page.select_one("#result-status").get_text(strip=True) == "14 of 14 proposals match."


def test_filter_form_works_without_javascript(client: TestClient) -> None:
    form = soup(client.get("/")).select_one("form#filters")
    assert form["method"] == "get" and form["action"] == "/"
    assert {el["name"] for el in form.select("select, input")} == {"side", "actor", "position", "basis", "q", "as_of"}
    assert form.select_one("button[type=submit]")
    assert form.select_one("a.clear-filters")["href"] == "/"
    # htmx only enhances it
    assert form["data-hx-get"] == "/"
    assert form["data-hx-target"] == "#results"
    assert form["data-hx-push-url"] == "true"
    assert "delay:250ms" in form["data-hx-trigger"]


def test_facet_options_carry_counts(client: TestClient) -> None:
    page = soup(client.get("/?actor=vladimir-putin"))
    positions = {o["value"]: o.get_text(strip=True) for o in page.select("#filter-position option")}
    assert positions == {"": "Any position", "supports": "Supports (1 proposal)", "conditional": "Supports on conditions (0 proposals)", "rejects": "Rejects (2 proposals)"}
    selected = page.select_one("#filter-actor option[selected]")
    assert selected["value"] == "vladimir-putin" and selected.get_text() == "Vladimir Putin (3 proposals)"


def test_filtered_view(client: TestClient) -> None:
    page = soup(client.get("/?actor=vladimir-putin&position=rejects"))
    assert card_slugs(page) == ["nato-membership-20-year-delay", "biden-2021-nato-delay"]
    assert page.title.get_text() == "Proposals Vladimir Putin rejects (2) · Truce Explorer"
    assert page.select_one("#result-status").get_text(strip=True) == "2 of 14 proposals match the current filters."
    alternate = page.find("link", rel="alternate", type="application/json")
    assert query_of(alternate["href"]) == {"actor": ["vladimir-putin"], "position": ["rejects"]}


def test_search_highlights_matches(client: TestClient) -> None:
    page = soup(client.get("/?q=vehemently"))
    assert card_slugs(page) == ["halt-long-range-strikes-into-russia"]
    assert [m.get_text() for m in page.select(".match mark")] == ["vehemently"]


def test_empty_result_says_so(client: TestClient) -> None:
    page = soup(client.get("/?actor=sergey-lavrov&position=conditional"))
    assert card_slugs(page) == []
    assert "No proposal matches these filters" in page.select_one(".empty h3").get_text()


def test_fragment_is_the_results_block(client: TestClient) -> None:
    response = client.get("/?actor=vladimir-putin&position=rejects", headers=HX)
    assert response.status_code == 200
    assert vary_of(response) >= {"HX-Request", "HX-History-Restore-Request"}
    assert response.headers["hx-push-url"] == "/?actor=vladimir-putin&position=rejects"
    fragment = soup(response)
    assert fragment.find("html") is None and fragment.find("head") is None and fragment.find("body") is None
    assert fragment.find("form", id="filters") is None and fragment.find("nav") is None
    assert card_slugs(fragment) == ["nato-membership-20-year-delay", "biden-2021-nato-delay"]
    # out-of-band updates keep the form's counts and the live status in step
    assert fragment.select_one("#result-status")["data-hx-swap-oob"] == "innerHTML"
    assert fragment.select_one('[data-hx-swap-oob="innerHTML:#filter-actor"] option[selected]')["value"] == "vladimir-putin"
    assert fragment.select_one('[data-hx-swap-oob="innerHTML:#filter-position"] option[selected]')["value"] == "rejects"
    assert fragment.title.get_text() == "Proposals Vladimir Putin rejects (2) · Truce Explorer"


def test_fragment_matches_the_full_page_results(client: TestClient) -> None:
    url = "/?q=NATO"
    full = soup(client.get(url)).select_one("#results ol.cards")
    fragment = soup(client.get(url, headers=HX)).select_one("ol.cards")
    assert str(full) == str(fragment)


def test_pushed_url_drops_empty_values(client: TestClient) -> None:
    response = client.get("/?actor=&position=rejects&q=", headers=HX)
    assert response.headers["hx-push-url"] == "/?position=rejects"


def test_pushed_url_round_trips(client: TestClient) -> None:
    pushed = client.get("/?actor=sergey-lavrov&position=&q=NATO", headers=HX).headers["hx-push-url"]
    assert card_slugs(soup(client.get(pushed))) == card_slugs(soup(client.get("/?actor=sergey-lavrov&q=NATO", headers=HX)))


def test_history_restore_gets_the_full_page(client: TestClient) -> None:
    response = client.get("/?actor=vladimir-putin", headers=HISTORY_RESTORE)
    page = soup(response)
    assert page.find("html") and page.select_one("form#filters")
    assert vary_of(response) >= {"HX-Request", "HX-History-Restore-Request"}


def test_no_js_form_submission_redirects_to_the_clean_url(client: TestClient) -> None:
    response = client.get("/?actor=vladimir-putin&position=&q=", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/?actor=vladimir-putin"


def test_chips_link_to_actor_pages(client: TestClient) -> None:
    page = soup(client.get("/"))
    hrefs = {a["href"] for a in page.select(".chip")}
    assert "/actors/vladimir-putin" in hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200


@pytest.mark.parametrize(("url", "status", "named"), [
    ("/?actor=putin", 422, "'putin'"),
    ("/?position=backs", 422, "'backs'"),
    ("/matrix?actor=nobody", 422, "'nobody'"),
    ("/?q=" + "x" * 201, 422, "limit is 200"),
])
def test_bad_filters_get_a_page_naming_the_value_and_the_allowed_ones(client: TestClient, url: str, status: int, named: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    page = soup(response)
    assert named in page.select_one(".error-message").get_text()
    assert page.select_one("nav[aria-label=Site]")


def test_bad_position_page_lists_allowed_values(client: TestClient) -> None:
    page = soup(client.get("/?position=backs"))
    assert [c.get_text() for c in page.select(".allowed li code")] == ["supports", "conditional", "rejects"]


def test_unknown_actor_page_suggests_the_closest(client: TestClient) -> None:
    page = soup(client.get("/?actor=putin"))
    assert [c.get_text() for c in page.select(".suggestions code")][0] == "vladimir-putin"


def test_proposal_permalink(client: TestClient) -> None:
    response = client.get("/proposals/nato-membership-20-year-delay")
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text() == "Delay Ukraine’s NATO membership by 20 years in exchange for a ceasefire"
    facts = {d.dt.get_text(): d.dd.get_text(" ", strip=True) for d in page.select(".facts > div")}
    assert facts["Proposed by"] == "Donald Trump’s team"
    assert facts["First reported"].startswith("6 November 2024 , by The Wall Street Journal")
    groups = {s.h2["id"]: s for s in page.select("section.reaction-group")}
    # the group with the actors' own quoted words first (only the rejecters are quoted here)
    assert list(groups) == ["group-rejects", "group-supports"]
    rejects = groups["group-rejects"].select("article.reaction")
    # quotes first, in the order stated; Moscow is not quoted, so it comes last
    assert [r["id"] for r in rejects] == [
        "reaction-putin-rejects-nato-delay",
        "reaction-lavrov-rejects-nato-delay",
        "reaction-moscow-rejects-nato-delay",
    ]
    assert rejects[2].select_one(".no-quote")  # no words of Moscow's own, and the page says so
    putin = rejects[0]
    assert putin.select_one("h3 a")["href"] == "/actors/vladimir-putin"
    assert putin.select_one("blockquote").get_text(strip=True).startswith("In terms of historical distances")
    meta = {d.dt.get_text(): d.dd for d in putin.select(".meta > div")}
    assert meta["Date"].time["datetime"] == "2024-12-26"
    assert meta["Evidence"].get_text() == "On-record statement"
    assert "Kremlin" in meta["Source"].get_text()
    lavrov_date = rejects[1].select_one(".meta time")
    assert lavrov_date["datetime"] == "2024-12"
    assert lavrov_date.get_text() == SEEDS.reactions["lavrov-rejects-nato-delay"].stated_on.note
    assert lavrov_date.get_text().startswith("a Sunday after Putin’s 26 December press conference")
    nato = soup(client.get("/proposals/ukraine-nato-membership"))
    conditional = nato.select_one("#group-conditional").find_parent("section").select_one("article.reaction")
    assert conditional.select_one(".condition").get_text().startswith("Condition:")


def test_permalink_sharing_metadata(client: TestClient) -> None:
    page = soup(client.get("/proposals/nato-membership-20-year-delay"))
    canonical = page.find("link", rel="canonical")["href"]
    assert canonical == "http://testserver/proposals/nato-membership-20-year-delay"
    og = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
    assert og["og:url"] == canonical
    assert og["og:type"] == "article"
    assert og["og:title"] == page.h1.get_text()
    assert "Supported by Donald Trump’s team" in og["og:description"]
    assert "Rejected by Vladimir Putin, Sergey Lavrov, Russian government (Moscow)" in og["og:description"]
    assert page.find("meta", attrs={"name": "twitter:card"})["content"]
    share = page.select_one(".share")
    assert share.select_one("input#share-url")["value"] == canonical  # the no-JS fallback shows the URL
    assert share.select_one("button.copy-link").has_attr("hidden")  # JS reveals it


def test_og_url_uses_base_url_setting(seeded_db: Path) -> None:
    with make_client(seeded_db, base_url="https://truce.example.org/") as client:
        page = soup(client.get("/proposals/demilitarized-zone"))
    assert page.find("meta", property="og:url")["content"] == "https://truce.example.org/proposals/demilitarized-zone"


def test_unknown_proposal_is_a_404_page_that_keeps_the_navigation(client: TestClient) -> None:
    response = client.get("/proposals/nato-membership-20-year")
    assert response.status_code == 404
    page = soup(response)
    assert page.select_one(".error-message").get_text() == "We have no proposal called “nato-membership-20-year”."
    # Did you mean: links by title, never the word "slug"
    assert [(a.get_text(), a["href"]) for a in page.select(".suggestions a")] == [
        ("Delay Ukraine’s NATO membership by 20 years in exchange for a ceasefire", "/proposals/nato-membership-20-year-delay"),
        ("Ukraine joins NATO", "/proposals/ukraine-nato-membership"),
    ]
    assert "slug" not in page.select_one("main").get_text().lower()
    # the API still names the slugs, for programs
    assert client.get("/api/proposals/nato-membership-20-year").json()["detail"]["suggestions"] == ["nato-membership-20-year-delay", "ukraine-nato-membership"]
    assert page.select_one("nav[aria-label=Site]")
    assert {a["href"] for a in page.select("main ul a")} >= {"/", "/matrix", "/actors"}


def test_unknown_path_is_a_404_page(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "/no/such/page" in soup(response).select_one(".error-message").get_text()
    assert client.get("/api/nothing").json()["error"]


def test_server_error_page_shows_nothing_internal(seeded_db: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.db"
    shutil.copy(seeded_db, broken)
    with make_client(broken) as client:
        with sqlite3.connect(broken) as connection:
            connection.execute("DROP TABLE search_fts")
        response = client.get("/?q=nato")
        api = client.get("/api/proposals?q=nato")
    assert response.status_code == 500
    text = soup(response).get_text()
    assert "Something went wrong" in text
    for internal in ("Traceback", "sqlite", "search_fts", "OperationalError", ".py"):
        assert internal not in text
    assert api.status_code == 500 and api.json() == {"error": "Something went wrong on our side. The error has been logged.", "detail": {"parameter": None, "value": None, "allowed": [], "suggestions": []}}


def test_actor_pages(client: TestClient) -> None:
    page = soup(client.get("/actors"))
    # a heading per side, principal sides first, and the actors of each side by name
    assert [h.get_text() for h in page.select(".actor-side > h2")] == ["Russia", "Ukraine", "United States", "Europe", "Other (analysts, NATO)"]
    for section in page.select(".actor-side"):
        names = [a.get_text() for a in section.select(".actor-card h3 a")]
        assert names and names == sorted(names)
    assert len(page.select(".actor-card h3 a")) == 14
    page = soup(client.get("/actors/sergey-lavrov"))
    assert page.h1.get_text() == "Sergey Lavrov"
    facts = {d.dt.get_text(): d.dd.get_text() for d in page.select(".facts > div")}
    assert facts["Role"] == "Russia’s Foreign Minister"
    links = [a["href"] for a in page.select("#group-rejects ~ article h3 a, section.group-rejects article h3 a")]
    assert "/proposals/nato-membership-20-year-delay#reaction-lavrov-rejects-nato-delay" in links
    # every anchor an actor page links to exists on the proposal page
    for href in links:
        path, anchor = href.split("#")
        assert soup(client.get(path)).find(id=anchor) is not None


def test_unknown_actor_page(client: TestClient) -> None:
    response = client.get("/actors/vladimir-puttin")
    assert response.status_code == 404
    assert [(a.get_text(), a["href"]) for a in soup(response).select(".suggestions a")] == [("Vladimir Putin", "/actors/vladimir-putin")]


def test_matrix_is_an_accessible_table(client: TestClient) -> None:
    page = soup(client.get("/matrix"))
    table = page.select_one("table.matrix")
    assert table.caption.get_text().startswith("Positions of 13 actors on 14 proposals")  # Macron only appears in an event
    assert all(th["scope"] == "col" for th in table.select("thead th"))
    rows = table.select("tbody tr")
    assert all(r.th["scope"] == "row" for r in rows)
    assert table.find_parent(class_="table-scroll")["tabindex"] == "0"
    putin = next(r for r in rows if r.th.get_text() == "Vladimir Putin")
    cells = [c.get_text(" ", strip=True) for c in putin.select("td")]
    headers = [th.get_text() for th in table.select("thead th")][1:]
    by_proposal = dict(zip(headers, cells, strict=True))
    assert by_proposal["Delay Ukraine’s NATO membership by 20 years in exchange for a ceasefire"] == "✗ Rejects"
    # the article does not say who first suggested talks in Slovakia, so Putin supports them, not proposes
    assert by_proposal["Hold Russia–Ukraine peace talks in Slovakia"] == "✓ Supports"
    assert by_proposal["A fortified demilitarized zone along the current front line"] == "· No public position found"
    link = putin.select_one("td a.cell-link")["href"]
    path, anchor = link.split("#")
    assert soup(client.get(path)).find(id=anchor) is not None


def test_matrix_applies_the_same_filters(client: TestClient) -> None:
    page = soup(client.get("/matrix?actor=sergey-lavrov"))
    assert [th.get_text() for th in page.select("tbody th")] == ["Sergey Lavrov"]
    assert len(page.select("thead th")) == 1 + 2
    response = client.get("/matrix?position=rejects", headers=HX)
    assert response.headers["hx-push-url"] == "/matrix?position=rejects"
    fragment = soup(response)
    assert fragment.find("html") is None and fragment.select_one("table.matrix")


def test_static_assets_and_favicon(client: TestClient) -> None:
    page = soup(client.get("/"))
    for link in page.find_all("link", href=True):
        if link["href"].startswith("/static/"):
            response = client.get(link["href"])
            assert response.status_code == 200
            assert "immutable" in response.headers["cache-control"]
    assert page.find("link", rel="icon")["href"].startswith("/static/favicon.svg")
    htmx = page.find("script", src=lambda s: s and "htmx" in s)["src"]
    assert client.get(htmx).text.count('version:"2.0.11"') == 1


def test_permalink_points_link_previews_at_the_share_card(client: TestClient) -> None:
    page = soup(client.get("/proposals/nato-membership-20-year-delay"))
    image = page.find("meta", property="og:image")["content"]
    assert image == "http://testserver/proposals/nato-membership-20-year-delay/card.png"
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    assert page.find("meta", attrs={"name": "twitter:image"})["content"] == image
    response = client.get(image.removeprefix("http://testserver"))
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"


def test_search_finds_actors_with_highlights(client: TestClient) -> None:
    page = soup(client.get("/?q=Chatham"))
    matches = page.select(".actor-matches li")
    assert [li.a["href"] for li in matches] == ["/actors/timothy-ash"]
    assert {m.get_text() for m in matches[0].select("mark")} == {"Chatham"}
    assert client.get("/api/proposals?q=Chatham").json()["actor_matches"] == [
        {"slug": "timothy-ash", "name": "Timothy Ash", "url": "/actors/timothy-ash"}
    ]


def test_search_stems_words(client: TestClient) -> None:
    # "rejecting" finds "rejected"/"reject" through the Porter stemmer
    assert card_slugs(soup(client.get("/?q=negotiating"))) == card_slugs(soup(client.get("/?q=negotiate")))
    assert card_slugs(soup(client.get("/?q=negotiating")))


def test_pages_are_compressed_when_the_client_accepts_gzip(client: TestClient) -> None:
    response = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert vary_of(response) >= {"HX-Request", "HX-History-Restore-Request", "Accept-Encoding"}
    plain = client.get("/", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.text == response.text


def test_dates_known_only_from_a_report_say_so(client: TestClient) -> None:
    page = soup(client.get("/proposals/nato-membership-20-year-delay"))
    team = page.select_one("#reaction-trump-team-proposes-nato-delay .meta > div dd")
    assert team.get_text(" ", strip=True) == "6 November 2024 (reported)"
    putin = page.select_one("#reaction-putin-rejects-nato-delay .meta > div dd")
    assert putin.get_text(" ", strip=True) == "26 December 2024"


@pytest.mark.parametrize("url", ["/actors", "/actors/vladimir-putin", "/proposals/demilitarized-zone", "/common-ground", "/sources", "/about", "/download"])
def test_htmx_request_to_a_page_without_results_gets_the_whole_page(client: TestClient, url: str) -> None:
    response = client.get(url, headers=HX)
    assert response.status_code == 200
    assert soup(response).find("html") is not None


def test_a_bad_filter_through_htmx_gets_the_message_as_a_fragment(client: TestClient) -> None:
    response = client.get("/compare?a=vladimir-putin&b=vladimir-putin", headers=HX)
    assert response.status_code == 422
    fragment = soup(response)
    assert fragment.find("html") is None
    assert "choose two different actors" in fragment.select_one(".error-message").get_text()


def test_htmx_swaps_4xx_answers(client: TestClient) -> None:
    import json

    config = json.loads(soup(client.get("/")).find("meta", attrs={"name": "htmx-config"})["content"])
    assert {"code": "4..", "swap": True, "error": True} in config["responseHandling"]


def test_clean_url_redirect_varies_on_htmx(client: TestClient) -> None:
    response = client.get("/?actor=&q=", follow_redirects=False)
    assert response.status_code == 303 and vary_of(response) >= {"HX-Request"}


@pytest.mark.parametrize("url", ["/", "/matrix", "/timeline", "/compare"])
def test_filter_forms_mark_the_results_while_loading(client: TestClient, url: str) -> None:
    form = soup(client.get(url)).select_one("form#filters")
    assert form["data-hx-indicator"] == "#results" == form["data-hx-target"]
