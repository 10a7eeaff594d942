"""The state of play on `/` and /state-of-play, and the permalink's side cells: the lede's numbers,
the grid's cells, the facet counts and /api/proposals?side=…&position=… agree for every side and
position, now, on a past day and by basis; cells say their position in words and symbols, silence
is shown as silence, and each cell links to the view that explains it."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.conftest import counted
from tests.conftest import soup

SIDES = {"russia": "Russia", "ukraine": "Ukraine", "united-states": "the United States", "europe": "Europe"}
LEDE_VERBS = {"rejects": "rejects", "conditional": "sets conditions on", "supports": "backs"}
ICONS = {"supports": "✓", "conditional": "◐", "rejects": "✗"}
VIEWS = [{}, {"as_of": "2024-12-26"}, {"basis": "stated"}, {"basis": "inferred"}, {"as_of": "2024-12-01", "basis": "stated"}]


def lede_numbers(lede: str) -> dict[tuple[str, str], int]:
    """Read the lede back: 'Russia rejects 3, sets conditions on 1 and backs 2; Ukraine …'."""
    numbers = {}
    body = lede.split(", ", 1)[1] if lede.startswith(("Of the", "As of", "Counting")) else lede
    for part in body.rstrip(".").split("; "):
        side = next((s for s, name in SIDES.items() if re.search(rf"(^|, ){re.escape(name)} ", part)), None)
        assert side, part
        for position, verb in LEDE_VERBS.items():
            match = re.search(rf"{verb} (\d+)", part)
            numbers[(side, position)] = int(match.group(1)) if match else 0
    return numbers


def grid_cells(client: TestClient, params: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """Every cell of the whole grid (all pages of /state-of-play): side -> [(proposal slug, visible marks)]."""
    cells: dict[str, list[tuple[str, str]]] = {side: [] for side in SIDES}
    url: str | None = "/state-of-play"
    query = dict(params)
    while url:
        page = soup(client.get(url, params=query))
        sides = [th.select_one(".side-name").get_text() for th in page.select("table.state-grid thead th")[1:]]
        assert sides == ["Russia", "Ukraine", "United States", "Europe"]
        for row in page.select("table.state-grid tbody tr"):
            slug = row.select_one("th a")["href"].split("?")[0].rsplit("/", 1)[1]
            for side, td in zip(SIDES, row.select("td"), strict=True):
                cells[side].append((slug, "".join(m.get_text() for m in td.select(".side-mark"))))
        link = page.find("link", rel="next")
        url, query = (link["href"], {}) if link else (None, {})
    return cells


@pytest.mark.parametrize("params", VIEWS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "now")
def test_lede_grid_facets_and_api_agree_for_every_side_and_position(client: TestClient, params: dict[str, str]) -> None:
    home = soup(client.get("/", params=params))
    lede = home.select_one("#state-of-play .state-lede").get_text()
    numbers = lede_numbers(lede)
    cells = grid_cells(client, params)
    api_state = client.get("/api/state-of-play", params={**params, "limit": 200}).json()
    assert api_state["lede"] == lede
    for side in SIDES:
        for position in ICONS:
            api = client.get("/api/proposals", params={**params, "side": side, "position": position}).json()
            in_grid = sorted(slug for slug, marks in cells[side] if ICONS[position] in marks)
            assert numbers[(side, position)] == api["count"] == len(in_grid), (params, side, position, lede)
            assert in_grid == sorted(item["slug"] for item in api["items"])
            # the filter form's side facet, with that position chosen, says the same
            facet = soup(client.get("/", params={**params, "position": position}))
            option = facet.select_one(f'#filter-side option[value="{side}"]').get_text()
            assert option.endswith(f"({counted(api['count'], 'proposal', 'proposals')})"), (option, api["count"])
            # and so does the one-choice select
            stand = home.select_one(f'select#stand option[value="{side}.{position}"]').get_text()
            assert stand.endswith(f"({api['count']})")
            tally = next(t for t in api_state["tallies"] if t["side"] == side)
            assert tally["counts"][position] == api["count"]


def test_the_lede_reads_as_a_sentence(client: TestClient) -> None:
    lede = soup(client.get("/")).select_one(".state-lede").get_text()
    assert lede.startswith("Of the 14 proposals in the article, Russia rejects 3")
    dated = soup(client.get("/?as_of=2024-12-26&basis=stated")).select_one(".state-lede").get_text()
    assert dated.startswith("As of 26 December 2024, counting only stances stated outright, of the ")
    nothing = soup(client.get("/?as_of=2021-01-01")).select_one(".state-lede").get_text()
    assert nothing == "As of 1 January 2021, the article reports no stance on any proposal."


def test_cells_say_where_a_side_stands_in_words_and_link_to_the_view_that_explains_it(client: TestClient) -> None:
    page = soup(client.get("/"))
    row = next(r for r in page.select("#state-of-play tbody tr") if r.select_one("th a")["href"] == "/proposals/nato-membership-20-year-delay")
    russia, ukraine, united_states, europe = row.select("td")
    link = russia.select_one("a.side-cell")
    assert link.select_one(".visually-hidden").get_text() == "Russia rejects: Sergey Lavrov, Vladimir Putin, Russian government (Moscow) (reported)"
    assert link.select_one(".side-mark")["aria-hidden"] == "true" and link.select_one(".side-mark").get_text() == "✗"
    assert link["href"] == "/?side=russia&position=rejects#proposal-nato-membership-20-year-delay"
    target = soup(client.get(link["href"].split("#")[0]))
    assert target.select_one("li.card#proposal-nato-membership-20-year-delay") is not None
    # an inferred stance carries ≈ and says so (Ukraine's rejection of ceding land is our reading)
    territory = next(r for r in page.select("#state-of-play tbody tr") if r.select_one("th a")["href"] == "/proposals/ukraine-cedes-occupied-territory")
    inferred = territory.select("td")[1]
    assert inferred.select_one(".side-mark").get_text() == "✗≈"
    assert "(inferred)" in inferred.select_one(".visually-hidden").get_text()
    assert ukraine.select_one(".side-silent") is not None
    # silence is shown as silence: a mark and words, no link
    assert europe.select_one("a") is None
    assert europe.select_one(".side-silent").get_text(" ", strip=True) == "– Europe: silent, no public position found in the article"
    # dated and by basis, the links keep the view
    dated = soup(client.get("/?as_of=2024-12-26&basis=stated"))
    hrefs = [a["href"] for a in dated.select("#state-of-play a.side-cell")]
    assert hrefs and all(parse_qs(urlsplit(h).query)["as_of"] == ["2024-12-26"] and parse_qs(urlsplit(h).query)["basis"] == ["stated"] for h in hrefs)


def test_titles_are_abbreviated_for_narrow_screens_with_the_full_title_in_the_link(client: TestClient) -> None:
    page = soup(client.get("/"))
    for link in page.select("#state-of-play tbody th a"):
        short = link.select_one(".title-short")
        if short is None:
            continue
        full = link.select_one(".title-full").get_text()
        assert short["aria-hidden"] == "true" and short.get_text().endswith("…")
        assert full.startswith(short.get_text().rstrip("…")) and len(short.get_text()) <= 35


def test_the_state_of_play_follows_htmx_filter_changes(client: TestClient) -> None:
    fragment = soup(client.get("/?as_of=2024-12-26", headers={"HX-Request": "true"}))
    section = fragment.select_one('section#state-of-play[data-hx-swap-oob="true"]')
    assert section.select_one(".state-lede").get_text().startswith("As of 26 December 2024")
    assert section.select_one('input[type=hidden][name=as_of]')["value"] == "2024-12-26"


def test_state_of_play_errors(client: TestClient) -> None:
    assert client.get("/state-of-play?basis=maybe").status_code == 422
    assert client.get("/api/state-of-play?basis=maybe").json()["detail"]["parameter"] == "basis"
    assert client.get("/state-of-play?page=9").status_code == 422
    assert client.get("/state-of-play?as_of=yesterday").status_code == 422


def test_the_permalink_answers_who_why_and_where_from_in_that_order(client: TestClient) -> None:
    page = soup(client.get("/proposals/nato-membership-20-year-delay"))
    header = page.select_one("header.proposal-header")
    # title with the share button beside it, the summary, then where each side stands
    assert header.select_one(".title-row h1") and header.select_one(".title-row button.copy-link[data-copy-from=share-url]")
    assert header.select_one(".title-row a.share-fallback")["href"] == "#share-heading"
    cells = header.select("table.side-cells-table td")
    home = soup(client.get("/"))
    row = next(r for r in home.select("#state-of-play tbody tr") if r.select_one("th a")["href"] == "/proposals/nato-membership-20-year-delay")
    assert [c.select_one(".side-cell").decode() for c in cells] == [c.select_one(".side-cell").decode() for c in row.select("td")]
    # groups: quotes first, then other stated stances, then our readings; the legend once
    order = [a["id"] for a in page.select("article.reaction")]
    reactions = {r["slug"]: r for r in client.get("/api/proposals/nato-membership-20-year-delay").json()["reactions"]}
    ranks = []
    for group in page.select("section.reaction-group"):
        slugs = [a["id"].removeprefix("reaction-") for a in group.select("article.reaction")]
        rank = [0 if reactions[s]["basis"] == "stated" and reactions[s]["quote"] else 1 if reactions[s]["basis"] == "stated" else 3 for s in slugs]
        assert rank == sorted(rank), group["aria-labelledby"]
        ranks.append(rank[0])
    assert ranks == sorted(ranks) and len(order) == len(reactions)
    assert len(page.select(".legend")) == 1
    # corrections in one line near the foot, after the stances
    inferred = soup(client.get("/proposals/end-war-within-24-hours"))
    line = inferred.select_one("p.corrections-line")
    assert line is not None and line.find_previous("section", class_="reaction-group") is not None
    assert line.find_next("section", class_="share") is not None
    assert all(a["href"].startswith("/corrections#correction-") for a in line.select("a"))


def test_empty_positions_collapse_into_one_line(client: TestClient) -> None:
    page = soup(client.get("/"))
    for card in page.select("li.card"):
        rows = card.select(".stance-row")
        assert all(row.select("a.chip") for row in rows), "no row says 'no one'"
        held = {row["class"][1].removeprefix("stance-") for row in rows}
        line = card.select_one(".stance-none")
        verbs = {"rejects": "rejects", "conditional": "sets conditions", "supports": "supports"}
        missing = [verbs[p] for p in ("rejects", "conditional", "supports") if p not in held]
        if missing:
            assert line.get_text().startswith("No one in the article ") and all(v in line.get_text() for v in missing)
        else:
            assert line is None


def test_card_summaries_end_at_a_word_boundary(client: TestClient) -> None:
    page = soup(client.get("/"))
    api = {i["slug"]: i["summary"] for i in client.get("/api/proposals").json()["items"]}
    cut = 0
    for card in page.select("li.card"):
        shown = card.select_one(".summary").get_text()
        full = api[card["id"].removeprefix("proposal-")]
        if shown != full:
            cut += 1
            # cut where a word ends: the next character is a space, or the punctuation that closes the word
            assert shown.endswith("…") and full.startswith(shown[:-1]) and full[len(shown) - 1] in " ,;:."
            assert not shown[:-1].endswith((" ", ",", ";", ":"))
    assert cut > 0


def test_an_inferred_mark_never_stands_alone_on_a_line(client: TestClient) -> None:
    page = client.get("/").text
    # the mark is glued to the name before it by a no-break space
    assert "&nbsp;<span class=\"basis-mark inferred-mark\"" in page
    assert " <span class=\"basis-mark" not in page
