"""Sides as a filter, a grouping and a column: the `side` filter on every view that takes filters,
its facet counts and errors, the actor select grouped by side, the view's heading in words, and the
chosen actor's (or side's) words on the cards. Expected proposals come from the data itself (plain
ORM queries on the seeded database), not from the app's own query code."""

import csv
import datetime as dt
import io
import itertools
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Actor, Basis, Position, Proposal, Reaction, Side
from tests.conftest import counted
from tests.conftest import soup, vary_of

HX = {"HX-Request": "true"}
ATOM = "{http://www.w3.org/2005/Atom}"
SIDES = ["russia", "ukraine", "united-states", "europe", "other"]
POSITIONS = ["supports", "conditional", "rejects"]


def expected_slugs(session: Session, side: str, position: str | None = None, as_of: dt.date | None = None, basis: str | None = None) -> list[str]:
    """The proposals on which an actor of `side` holds `position` (a proposer supports), in list order."""
    query = (
        select(Proposal.slug)
        .join(Reaction, Reaction.proposal_id == Proposal.id)
        .join(Actor, Actor.id == Reaction.actor_id)
        .where(Actor.side == Side(side))
        .distinct()
    )
    if position == "supports":
        query = query.where(or_(Reaction.position == Position.supports, Reaction.proposer.is_(True)))
    elif position:
        query = query.where(Reaction.position == Position(position))
    if as_of:
        query = query.where(Reaction.stated_on_end.is_not(None), Reaction.stated_on_end <= as_of)
    if basis:
        query = query.where(Reaction.basis == Basis(basis))
    order = {slug: i for i, slug in enumerate(session.scalars(select(Proposal.slug).order_by(Proposal.position_in_list, Proposal.slug)))}
    return sorted(session.scalars(query), key=order.__getitem__)


def card_slugs(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [a["href"].rsplit("/", 1)[1] for a in page.select("li.card .card-title a")]


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("position", [None, *POSITIONS])
def test_side_filter_gives_the_proposals_any_member_of_the_side_holds_that_position_on(
    client: TestClient, seeded_session: Session, side: str, position: str | None
) -> None:
    expected = expected_slugs(seeded_session, side, position)
    query = f"side={side}" + (f"&position={position}" if position else "")
    api = client.get(f"/api/proposals?{query}").json()
    assert [item["slug"] for item in api["items"]] == expected and api["count"] == len(expected)
    assert api["filters"]["side"] == side
    assert card_slugs(soup(client.get(f"/?{query}"))) == expected
    matrix = soup(client.get(f"/matrix?{query}"))
    assert [a["href"].rsplit("/", 1)[1] for a in matrix.select("thead th a")] == expected
    rows = list(csv.DictReader(io.StringIO(client.get(f"/proposals.csv?{query}").text.lstrip("\ufeff"))))
    assert [row["slug"] for row in rows] == expected


def test_russia_rejects_three_proposals_and_the_cards_say_who_and_with_what_words(client: TestClient, seeded_session: Session) -> None:
    page = soup(client.get("/?side=russia&position=rejects"))
    assert card_slugs(page) == expected_slugs(seeded_session, "russia", "rejects") and len(card_slugs(page)) == 3
    assert page.select_one("#results-heading").get_text() == "Proposals Russia rejects (3)"
    russians = set(seeded_session.scalars(select(Actor.slug).where(Actor.side == Side.russia)))
    for card in page.select("#results li.card"):
        proposal = card["id"].removeprefix("proposal-")
        words = card.select(".chosen-words li a")
        assert words, proposal
        for link in words:
            # each line is a Russian actor's rejection, linked to that reaction's anchor on the permalink
            path, _, anchor = link["href"].partition("#")
            assert path == f"/proposals/{proposal}" and anchor.startswith("reaction-")
            reaction = seeded_session.scalars(select(Reaction).where(Reaction.slug == anchor.removeprefix("reaction-"))).one()
            assert reaction.actor.slug in russians and reaction.position is Position.rejects
            text = link.get_text(" ", strip=True)
            assert reaction.actor.name in text
            if reaction.quote and reaction.basis is Basis.stated:
                assert link.q is not None and reaction.quote[:40] in link.q.get_text()
            else:
                assert link.q is None and reaction.summary.split(".")[0][:40] in text
        # the chips of the side's members who reject are highlighted, and no one else's
        highlighted = {a["href"].rsplit("/", 1)[1] for a in card.select("a.chip-chosen")}
        assert highlighted and highlighted <= russians
        assert all("(your choice)" in a.get_text() for a in card.select("a.chip-chosen"))


def test_an_actor_filter_highlights_that_actor_and_shows_their_quote(client: TestClient, seeded_session: Session) -> None:
    page = soup(client.get("/?actor=vladimir-putin"))
    assert page.select_one("#results-heading").get_text().startswith("Proposals Vladimir Putin has spoken on (")
    for card in page.select("#results li.card"):
        assert {a["href"] for a in card.select("a.chip-chosen")} == {"/actors/vladimir-putin"}
        assert all("Vladimir Putin:" in li.get_text() for li in card.select(".chosen-words li a"))
    # an inferred or reported stance shows the first line of our summary, with its mark (Putin has
    # neither in the seed, so ask for an actor with each)
    for basis, mark in ((Basis.inferred, ".inferred-mark"), (Basis.reported, ".reported-mark")):
        reaction = seeded_session.scalars(
            select(Reaction).where(Reaction.basis == basis).order_by(Reaction.slug)
        ).first()
        assert reaction is not None
        actor_page = soup(client.get(f"/?actor={reaction.actor.slug}"))
        line = actor_page.select_one(f'.chosen-words a[href$="#reaction-{reaction.slug}"]')
        assert line.select_one(mark) is not None and line.q is None


def test_no_filter_shows_no_chosen_words(client: TestClient) -> None:
    page = soup(client.get("/"))
    assert page.select(".chosen-words") == [] and page.select(".chip-chosen") == []


def test_side_facet_counts_keep_the_other_filters(client: TestClient, seeded_session: Session) -> None:
    for position in [None, *POSITIONS]:
        page = soup(client.get("/" + (f"?position={position}" if position else "")))
        options = {o["value"]: o.get_text() for o in page.select("#filter-side option") if o["value"]}
        assert list(options) == SIDES
        for side in SIDES:
            count = counted(len(expected_slugs(seeded_session, side, position)), "proposal", "proposals")
            assert options[side].endswith(f"({count})"), (position, side, options[side])
    # with an actor chosen, only their side is a choice that can hold
    page = soup(client.get("/?actor=vladimir-putin"))
    disabled = {o["value"] for o in page.select("#filter-side option[disabled]")}
    assert disabled == set(SIDES) - {"russia"}


def test_actor_select_is_grouped_by_side_principal_sides_first(client: TestClient, seeded_session: Session) -> None:
    page = soup(client.get("/"))
    groups = page.select("#filter-actor optgroup")
    # the sides' reader names, principal sides first
    assert [g["label"] for g in groups] == ["Russia", "Ukraine", "United States", "Europe", "Other (analysts, NATO)"]
    for group in groups:
        side = {"United States": Side.united_states, "Other (analysts, NATO)": Side.other}.get(group["label"]) or Side(group["label"].lower())
        names = [o.get_text().rsplit(" (", 1)[0] for o in group.select("option")]
        assert names == sorted(seeded_session.scalars(select(Actor.name).where(Actor.side == side)))
    # a side chosen: the other sides' actors are not a choice
    page = soup(client.get("/?side=ukraine"))
    enabled = {o["value"] for o in page.select("#filter-actor option[value]:not([disabled])") if o["value"]}
    assert enabled == set(seeded_session.scalars(select(Actor.slug).where(Actor.side == Side.ukraine)))


def test_bad_side_is_a_422_naming_the_value_and_the_sides(client: TestClient) -> None:
    api = client.get("/api/proposals?side=mars")
    assert api.status_code == 422
    assert api.json()["detail"]["parameter"] == "side" and api.json()["detail"]["allowed"] == SIDES
    for url in ("/?side=mars", "/matrix?side=mars"):
        page = client.get(url)
        assert page.status_code == 422 and "mars" in page.text
        assert all(side in page.text for side in SIDES)
    for url in ("/proposals.csv?side=mars", "/reactions.csv?side=mars", "/feed.atom?side=mars"):
        response = client.get(url)
        assert response.status_code == 422 and "mars" in response.text


def test_side_with_an_actor_of_another_side_is_a_422(client: TestClient, seeded_session: Session) -> None:
    ukrainians = sorted(seeded_session.scalars(select(Actor.slug).where(Actor.side == Side.ukraine)))
    for url in ("/api/proposals?side=ukraine&actor=vladimir-putin", "/proposals.csv?side=ukraine&actor=vladimir-putin", "/reactions.csv?side=ukraine&actor=vladimir-putin"):
        response = client.get(url)
        assert response.status_code == 422, url
        detail = response.json()["detail"]
        assert detail["parameter"] == "actor" and detail["value"] == "vladimir-putin" and detail["allowed"] == ukrainians
        assert "russia" in response.json()["error"] and "ukraine" in response.json()["error"]
    page = client.get("/?side=ukraine&actor=vladimir-putin")
    assert page.status_code == 422 and "vladimir-putin" in page.text
    # the same actor with their own side is the actor filter
    same = client.get("/api/proposals?side=russia&actor=vladimir-putin").json()
    assert [i["slug"] for i in same["items"]] == [i["slug"] for i in client.get("/api/proposals?actor=vladimir-putin").json()["items"]]


def test_side_narrows_the_reactions_csv_and_the_feed(client: TestClient, seeded_session: Session) -> None:
    russians = set(seeded_session.scalars(select(Actor.slug).where(Actor.side == Side.russia)))
    rows = list(csv.DictReader(io.StringIO(client.get("/reactions.csv?side=russia&position=rejects").text.lstrip("\ufeff"))))
    expected = seeded_session.scalars(
        select(Reaction.slug).join(Actor, Actor.id == Reaction.actor_id).where(Actor.side == Side.russia, Reaction.position == Position.rejects)
    ).all()
    assert rows and {row["actor_slug"] for row in rows} <= russians and len(rows) == len(expected)
    assert all(row["position"] == "rejects" for row in rows)
    feed = ET.fromstring(client.get("/feed.atom?side=russia").content)
    entries = list(feed.iter(f"{ATOM}entry"))
    names = set(seeded_session.scalars(select(Actor.name).where(Actor.side == Side.russia)))
    assert entries and all({a.findtext(f"{ATOM}name") for a in e.iter(f"{ATOM}author")} & names for e in entries)
    everything = ET.fromstring(client.get("/feed.atom").content)
    assert len(entries) < len(list(everything.iter(f"{ATOM}entry")))
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith("/feed.atom?side=russia")
    # the filtered page links its side's feed
    page = soup(client.get("/?side=russia"))
    assert page.find("link", rel="alternate", href="/feed.atom?side=russia") is not None


def test_side_filter_fragment_push_url_and_no_js(client: TestClient) -> None:
    response = client.get("/?side=russia&position=rejects", headers=HX)
    assert response.status_code == 200 and "<html" not in response.text
    assert response.headers["HX-Push-Url"] == "/?side=russia&position=rejects"
    assert "HX-Request" in vary_of(response)
    fragment = soup(response)
    assert fragment.select_one('[data-hx-swap-oob="innerHTML:#filter-side"] option[selected]')["value"] == "russia"
    assert fragment.title.get_text() == "Proposals Russia rejects (3) · Truce Explorer"
    # a no-JS form sends empty fields: redirected to the clean URL
    redirect = client.get("/?side=russia&actor=&position=rejects&basis=&as_of=&q=", follow_redirects=False)
    assert redirect.status_code == 303 and redirect.headers["location"] == "/?side=russia&position=rejects"


def test_the_one_choice_side_and_position_select(client: TestClient) -> None:
    """"Which proposals does Russia reject?" is one option of one select; without JS it redirects to
    the view's own URL, with htmx it answers that view and pushes that URL."""
    page = soup(client.get("/"))
    form = page.select_one("form#stand-form")
    assert form["method"] == "get" and form["action"] == "/"
    option = form.select_one('select#stand option[value="russia.rejects"]')
    assert option.get_text() == "Proposals Russia rejects (3)"
    redirect = client.get("/?stand=russia.rejects", follow_redirects=False)
    assert redirect.status_code == 303 and redirect.headers["location"] == "/?side=russia&position=rejects"
    kept = client.get("/?stand=ukraine&as_of=2024-12-26&basis=stated", follow_redirects=False)
    assert kept.headers["location"] == "/?side=ukraine&basis=stated&as_of=2024-12-26"
    fragment = client.get("/?stand=russia.rejects", headers=HX)
    assert fragment.headers["HX-Push-Url"] == "/?side=russia&position=rejects"
    assert card_slugs(soup(fragment)) == card_slugs(soup(client.get("/?side=russia&position=rejects")))
    chosen = soup(client.get("/?side=russia&position=rejects")).select_one("select#stand option[selected]")
    assert chosen["value"] == "russia.rejects"
    bad = client.get("/?stand=russia.maybe")
    assert bad.status_code == 422 and "russia.maybe" in bad.text


NAMES = {"vladimir-putin": "Vladimir Putin", "volodymyr-zelenskyy": "Volodymyr Zelenskyy"}
WHO = {"russia": "Russia", "united-states": "the United States"}
VERB = {None: "has spoken on", "supports": "supports", "conditional": "sets conditions on", "rejects": "rejects"}


def expected_heading(side: str | None, actor: str | None, position: str | None, basis: str | None, as_of: str | None, q: str | None, count: int) -> str:
    if actor:
        words = f"Proposals {NAMES[actor]} {VERB[position]}"
    elif side:
        words = f"Proposals {WHO[side]} {VERB[position]}"
    elif position:
        words = f"Proposals someone {VERB[position]}"
    else:
        words = "All proposals"
    words += {None: "", "stated": ", stated outright", "inferred": ", by our reading"}[basis]
    words += f", matching “{q}”" if q else ""
    words += {None: "", "2024-12-26": ", as of 26 December 2024"}[as_of]
    return f"{words} ({count})"


COMBINATIONS = [
    combo
    for combo in itertools.product(
        [None, "russia", "united-states"],
        [None, "vladimir-putin"],
        [None, *POSITIONS],
        [None, "stated", "inferred"],
        [None, "2024-12-26"],
        [None, "NATO"],
    )
    # an actor with another side is a 422 (tested above)
    if not (combo[0] == "united-states" and combo[1])
]


@pytest.mark.parametrize("side,actor,position,basis,as_of,q", COMBINATIONS)
def test_every_view_is_named_in_words_in_heading_title_og_title_and_the_htmx_title(
    client: TestClient, side: str | None, actor: str | None, position: str | None, basis: str | None, as_of: str | None, q: str | None
) -> None:
    params = {k: v for k, v in dict(side=side, actor=actor, position=position, basis=basis, as_of=as_of, q=q).items() if v}
    count = client.get("/api/proposals", params=params).json()["count"]
    words = expected_heading(side, actor, position, basis, as_of, q, count)
    page = soup(client.get("/", params=params))
    assert page.select_one("#results-heading").get_text() == words
    assert page.title.get_text() == f"{words} · Truce Explorer"
    assert page.find("meta", property="og:title")["content"] == words
    fragment = soup(client.get("/", params=params, headers=HX))
    assert fragment.title.get_text() == f"{words} · Truce Explorer"
    assert fragment.select_one("#results-heading").get_text() == words
