"""Every summary sentence a reader sees, compared with the data it summarises: on the seeds and on
synthetic data (`truce synth`, tests/conftest.py SYNTH_SIZE). The expected figures are counted here
from the API's records, never copied from the sentence's own code."""

import re
from collections import Counter, defaultdict

import pytest
from fastapi.testclient import TestClient

from app.vocabulary import actor_number, ngettext, position_verb
from tests.conftest import counted
from app.models import Position
from app.seeds import load_seed_set
from tests.conftest import SEEDS_DIR, soup

SEEDS = load_seed_set([SEEDS_DIR])

PRINCIPAL = {"russia": "Russia", "ukraine": "Ukraine", "united-states": "the United States"}


def everything(client: TestClient, url: str, key: str = "items") -> list[dict]:
    """Every item of a paged API list, following its cursors."""
    items, cursor = [], None
    while True:
        sep = "&" if "?" in url else "?"
        body = client.get(f"{url}{sep}limit=200" + (f"&cursor={cursor}" if cursor else "")).json()
        items += body[key]
        cursor = body["page"]["next"]
        if not cursor:
            return items
        cursor = cursor.split("cursor=")[1].split("&")[0]


# --- /compare ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "a", "b"),
    [
        ("seed", "vladimir-putin", "volodymyr-zelenskyy"),
        ("seed", "donald-trump", "volodymyr-zelenskyy"),
        ("seed", "vladimir-putin", "sergey-lavrov"),
        ("seed", "emmanuel-macron", "joe-biden"),  # Macron has no stance at all
        ("synth", "synth-actor-1", "synth-actor-2"),
    ],
)
def test_compare_summary_matches_the_rows(client: TestClient, synth_client: TestClient, data: str, a: str, b: str) -> None:
    http = client if data == "seed" else synth_client
    rows = everything(http, f"/api/compare?a={a}&b={b}", "rows")
    names = {x["slug"]: x["name"] for x in http.get("/api/actors?limit=200").json()["items"]} | {
        x["slug"]: x["name"] for x in everything(http, "/api/actors")
    }
    A, B = names[a], names[b]
    # the relation of each row, from its two cells
    counts: Counter[str] = Counter()
    for row in rows:
        pa, pb = (("supports" if c["proposer"] else c["position"]) if c["position"] else None for c in (row["a"], row["b"]))
        expected = "only-a" if pb is None else "only-b" if pa is None else "agree" if pa == pb else "opposed" if {pa, pb} == {"supports", "rejects"} else "differ"
        assert row["relation"] == expected
        counts[expected] += 1
    page = soup(http.get(f"/compare?a={a}&b={b}"))
    sentence = page.select_one("#result-status").get_text()
    if not rows:
        assert sentence == f"Neither {A} nor {B} has spoken on any proposal in the article."
        assert not page.select("section.compare-group")
        return
    assert sentence.startswith(f"{A} and {B}, over the {counted(len(rows), 'proposal', 'proposals')} either has spoken on: ")
    said = {
        "opposed": r"they are opposed outright on ([\d,]+) proposals?",
        "differ": r"on ([\d,]+) proposals? one sets conditions and the other does not",
        "only-a": rf"only {re.escape(A)} has spoken on ([\d,]+) proposals?",
        "only-b": rf"only {re.escape(B)} has spoken on ([\d,]+) proposals?",
        "agree": r"they agree on ([\d,]+) proposals?",
    }
    for relation, pattern in said.items():
        found = re.search(pattern, sentence)
        if counts[relation]:
            assert found and int(found.group(1).replace(",", "")) == counts[relation], relation
        else:
            assert not found, relation
    # what differs comes first, agreement last
    first = min((sentence.find(m.group(0)), r) for r, p in said.items() if (m := re.search(p, sentence)))
    assert first[1] == next(r for r in ("opposed", "differ", "only-a", "only-b", "agree") if counts[r])
    # the empty groups: named in one line, and no empty section on the page
    empty_line = {
        "opposed": "they are opposed outright",
        "differ": "one sets conditions and the other does not",
        "only-a": f"only {A} has spoken",
        "only-b": f"only {B} has spoken",
        "agree": "they agree",
    }
    missing = [empty_line[r] for r in ("opposed", "differ", "only-a", "only-b", "agree") if not counts[r]]
    if missing:
        assert sentence.endswith(" No proposal where " + " or where ".join(missing) + ".")
    else:
        assert "No proposal where" not in sentence
    if len(rows) <= 24:  # one page: every non-empty group has its section, with its count
        shown = {s.h2["id"].removeprefix("rel-"): s for s in page.select("section.compare-group")}
        assert set(shown) == {r for r in counts if counts[r]}
        for relation, section in shown.items():
            assert len(section.select("tbody tr")) == counts[relation]
            assert section.h2.select_one(".count").get_text() == f"({counted(counts[relation], 'proposal', 'proposals')})"
        assert "None." not in page.select_one("#results").get_text()


def test_putin_and_zelenskyy_lead_with_what_differs(client: TestClient) -> None:
    sentence = soup(client.get("/compare?a=vladimir-putin&b=volodymyr-zelenskyy")).select_one("#result-status").get_text()
    assert not sentence.startswith("Vladimir Putin and Volodymyr Zelenskyy: agree on 0")
    # since 6 December they share no proposal: Ash's reading of Zelenskyy on the NATO delay is gone
    assert "only Vladimir Putin has spoken on" in sentence and "only Volodymyr Zelenskyy has spoken on" in sentence
    assert sentence.endswith("No proposal where they are opposed outright or where one sets conditions and the other does not or where they agree.")


# --- /common-ground ------------------------------------------------------------------------------


@pytest.mark.parametrize("data", ["seed", "synth"])
def test_common_ground_marks_say_who_is_silent(client: TestClient, synth_client: TestClient, data: str) -> None:
    http = client if data == "seed" else synth_client
    side_of = {a["slug"]: a["side"] for a in everything(http, "/api/actors")}
    body = http.get("/api/common-ground?limit=24").json()  # the page's first 24 rows
    page = soup(http.get("/common-ground"))
    rows = {tr.th.a["href"]: tr for tr in page.select("table.ground tbody tr")}
    assert len(rows) == len(body["rows"]) > 0
    kinds = Counter()
    for row in body["rows"]:
        slug = row["proposal"]["slug"]
        # which principal sides spoke, from the proposal's own reactions
        reactions = http.get(f"/api/proposals/{slug}").json()["reactions"]
        spoke = {side_of[r["actor"]["slug"]] for r in reactions}
        silent = [side for side in PRINCIPAL if side not in spoke]
        status = {s["side"]: s["status"] for s in row["sides"]}
        assert [s for s in PRINCIPAL if status[s] == "silent"] == silent
        rejected = any(status[s] in ("rejects", "split") for s in PRINCIPAL)
        mark = rows[row["proposal"]["url"]].select_one(".common-mark")
        text = mark.get_text(" ", strip=True) if mark else None
        if rejected:
            assert text is None
            kinds["none"] += 1
        elif not silent:
            assert text == "★ Every principal side has spoken, and none rejects it"
            assert "common" in rows[row["proposal"]["url"]].get("class", [])
            kinds["all"] += 1
        else:
            names = [PRINCIPAL[s] for s in silent]
            listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            verb = "has" if len(names) == 1 else "have"
            assert text == f"○ No principal side that has spoken rejects it, but {listed} {verb} not spoken in the article"
            # a silent side is never marked as common ground
            assert "common" not in rows[row["proposal"]["url"]].get("class", [])
            kinds["silent"] += 1
    if data == "seed":
        # the 24-hour pledge was the one proposal all three had spoken on, through two readings of
        # Putin and Zelenskyy that the 6 December review removed; now none qualifies
        assert kinds == {"silent": 9, "none": 5}
        nato = rows["/proposals/ukraine-nato-membership"].select_one(".common-mark").get_text(" ", strip=True)
        assert "but Russia and the United States have not spoken in the article" in nato
    caption = page.select_one("#ground-caption").get_text()
    assert caption.startswith(f"Each side’s stance on {counted(body['count'], 'proposal', 'proposals')}")


# --- /corrections --------------------------------------------------------------------------------


def test_corrections_are_grouped_by_review_with_counts(client: TestClient) -> None:
    items = client.get("/api/corrections").json()["items"]
    page = soup(client.get("/corrections"))
    by_day: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        by_day[item["corrected_on"]].append(item)
    sections = page.select("section.review")
    assert [s["aria-labelledby"].removeprefix("review-") for s in sections] == sorted(by_day, reverse=True)
    words = {"corrected": ("record corrected", "records corrected"), "marked-inferred": ("marked as our reading",) * 2, "marked-reported": ("marked as reported by someone else",) * 2, "removed": ("removed",) * 2, "added": ("added",) * 2}
    for section in sections:
        day = section["aria-labelledby"].removeprefix("review-")
        tally = Counter(i["change"] for i in by_day[day])
        parts = [f"{tally[c]} {ngettext(*words[c], tally[c])}" for c in words if tally[c]]
        y, mo, d = map(int, day.split("-"))
        import datetime as dt

        date = dt.date(y, mo, d)
        assert section.h2.get_text() == f"Review of {date.day} {date:%B %Y}: " + ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
        assert len(section.select("li.correction")) == len(by_day[day])
    # the first review, as a reader would read it (its entries are published and never rewritten)
    assert sections[-1].h2.get_text() == "Review of 29 November 2026: 40 records corrected, 9 marked as our reading, 2 removed and 4 added"


def test_correction_entries_are_named_by_title_and_linked(client: TestClient) -> None:
    items = {f"correction-{i['id']}": i for i in client.get("/api/corrections").json()["items"]}
    page = soup(client.get("/corrections"))
    main = page.select_one("main")
    assert not main.select("code")  # record ids only in the JSON
    for entry in main.select("li.correction"):
        item = items[entry["id"]]
        heading = entry.h3
        assert item["record_slug"] not in heading.get_text()
        link = heading.a
        if item["record_url"]:
            assert link["href"] == item["record_url"]
            target = soup(client.get(item["record_url"].split("#")[0]))
            if item["record_kind"] == "proposal":
                assert link.get_text() == target.h1.get_text()
            if item["record_kind"] == "reaction":
                proposal = client.get(f"/api/proposals/{item['proposal']['slug']}").json()
                reaction = next(r for r in proposal["reactions"] if r["slug"] == item["record_slug"])
                assert link.get_text() == f"{reaction['actor']['name']} on “{proposal['title']}”"
        else:
            assert link is None and "since removed" in heading.get_text()
        assert item["what_changed"] in entry.get_text()


# --- embeds --------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", ["seed", "synth"])
def test_embed_date_line_never_denies_the_stances_it_lists(client: TestClient, synth_client: TestClient, data: str) -> None:
    http = client if data == "seed" else synth_client
    for proposal in everything(http, "/api/proposals")[:40]:
        detail = http.get(f"/api/proposals/{proposal['slug']}").json()
        line = soup(http.get(f"/embed/proposals/{proposal['slug']}")).select_one(".embed-date").get_text()
        dated = [r for r in detail["reactions"] if r["stated_on"]["date"]]
        if dated:
            assert line.startswith("State of play as last reported: ")
        elif detail["reactions"]:
            n = len(detail["reactions"])
            assert line == ("The article does not date this stance." if n == 1 else "The article dates none of these stances.")
        else:
            assert line == "No stances reported in the article yet."
        assert "No reactions" not in line


def test_ukraine_cedes_territory_embed_says_its_stances_are_undated(client: TestClient) -> None:
    page = soup(client.get("/embed/proposals/ukraine-cedes-occupied-territory"))
    assert page.select(".embed-names")  # it lists stances...
    assert page.select_one(".embed-date").get_text() == "The article dates none of these stances."


# --- counts of actors' stances -------------------------------------------------------------------


@pytest.mark.parametrize("data", ["seed", "synth"])
def test_actor_counts_agree_everywhere(client: TestClient, synth_client: TestClient, data: str) -> None:
    """/actors, the actor filter and the actor page count proposals the same way; stances are reactions."""
    http = client if data == "seed" else synth_client
    page = soup(http.get("/actors"))
    select = {o["value"]: o.get_text() for o in soup(http.get("/")).select("#filter-actor option") if o["value"]}
    checked = 0
    for card in page.select(".actor-card")[:12]:
        slug = card.h3.a["href"].removeprefix("/actors/")
        reactions = everything(http, f"/api/actors/{slug}", "reactions")
        proposals = len({r["proposal"]["slug"] for r in reactions})
        expected = counted(proposals, "proposal", "proposals")
        if len(reactions) != proposals:
            expected += f" ({counted(len(reactions), 'stance', 'stances')})"
        assert card.select_one(".meta").get_text().endswith(" · " + expected)
        assert select[slug].endswith(f"({counted(proposals, 'proposal', 'proposals')})")
        actor_page = soup(http.get(f"/actors/{slug}"))
        name = actor_page.h1.get_text()
        assert f"{name}: {counted(len(reactions), 'stance', 'stances')} on {counted(proposals, 'proposal', 'proposals')} in the article." in actor_page.get_text()
        checked += 1
    assert checked
    if data == "seed":
        # counted from the seed: one stance per proposal for him since the 6 December review
        his = [r for r in SEEDS.reactions.values() if r.actor == "volodymyr-zelenskyy"]
        proposals = len({r.proposal for r in his})
        assert len(his) == proposals > 1
        zelenskyy = next(c for c in page.select(".actor-card") if c.h3.get_text() == "Volodymyr Zelenskyy")
        assert zelenskyy.select_one(".meta").get_text().endswith(f"{proposals} proposals")
        assert select["volodymyr-zelenskyy"] == f"Volodymyr Zelenskyy ({proposals} proposals)"


def test_actor_page_speaks_in_stances(client: TestClient) -> None:
    page = soup(client.get("/actors/vladimir-putin"))
    text = page.select_one("main").get_text(" ", strip=True)
    assert "Kind" not in [dt.get_text() for dt in page.select(".facts dt")]
    assert "Stances from Vladimir Putin" in text and "Atom feed of" not in text
    assert "reaction" not in text.lower()


# --- other counted sentences ---------------------------------------------------------------------


@pytest.mark.parametrize("data", ["seed", "synth"])
def test_counted_captions_match_the_api(client: TestClient, synth_client: TestClient, data: str) -> None:
    http = client if data == "seed" else synth_client
    sources = http.get("/api/sources").json()["page"]["total"]
    lede = soup(http.get("/sources")).select_one(".lede").get_text()
    assert lede.startswith(f"The {counted(sources, 'source', 'sources')} behind the data")
    matrix = http.get("/api/matrix").json()
    caption = soup(http.get("/matrix")).select_one("#matrix-caption").get_text()
    assert caption.startswith(
        f"Positions of {counted(matrix['actor_count'], 'actor', 'actors')} on {counted(matrix['proposals']['count'], 'proposal', 'proposals')}"
    )
    listing = http.get("/api/proposals?position=rejects").json()
    status = soup(http.get("/?position=rejects")).select_one("#result-status").get_text()
    n = listing["page"]["total"]
    assert status.startswith(f"{n} of {counted(listing['total'], 'proposal', 'proposals')} {'matches' if n == 1 else 'match'} the current filters")


# --- grammar follows number ----------------------------------------------------------------------


def test_plural_actors_take_plural_verbs(client: TestClient) -> None:
    assert actor_number("NATO members") == 2 and actor_number("Vladimir Putin") == 1
    assert actor_number("Russian government (Moscow)") == 1
    assert position_verb(Position.conditional, actor_name="NATO members") == "set conditions on"
    assert position_verb(Position.conditional, actor_name="Keith Kellogg") == "sets conditions on"
    sources = soup(client.get("/sources")).get_text(" ", strip=True)
    assert "NATO members set conditions on" in sources and "NATO members sets" not in sources
    timeline = soup(client.get("/timeline?actor=nato-members")).get_text(" ", strip=True)
    assert "NATO members set conditions on: Ukraine joins NATO" in timeline
    feed = client.get("/actors/nato-members/feed.atom").text
    assert "NATO members sets" not in feed
    title = soup(client.get("/?actor=nato-members&position=conditional")).title.get_text()
    assert title.startswith("Proposals NATO members set conditions on")
