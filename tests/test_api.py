"""The JSON API contract, over real HTTP through the app, against the curated seeds."""

import pytest
from fastapi.testclient import TestClient

from app.routes.params import NO_CONTROL
from app.seeds import load_seed_set
from tests.conftest import SEEDS_DIR

SEEDS = load_seed_set([SEEDS_DIR])

ALL_PROPOSALS = [
    "end-war-within-24-hours",
    "nato-membership-20-year-delay",
    "demilitarized-zone",
    "ukraine-cedes-occupied-territory",
    "military-aid-tied-to-peace-talks",
    "nato-pause-and-sanctions-relief",
    "european-peacekeeping-contingent",
    "biden-2021-nato-delay",
    "halt-long-range-strikes-into-russia",
    "nato-umbrella-for-controlled-territory",
    "peace-talks-in-slovakia",
    "zelenskyy-peace-plan",
    "western-security-guarantees",
    "ukraine-nato-membership",
]


def slugs(client: TestClient, query: str) -> list[str]:
    response = client.get(f"/api/proposals{query}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["items"])
    return [item["slug"] for item in body["items"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL_PROPOSALS),
        # actor + position: where that actor's position is that position
        ("?actor=vladimir-putin&position=rejects", ["nato-membership-20-year-delay", "biden-2021-nato-delay"]),
        ("?actor=vladimir-putin&position=supports", ["peace-talks-in-slovakia"]),
        # our reading of NATO members' caution counts as a position, marked inferred
        ("?actor=vladimir-putin&position=conditional", []),
        ("?actor=sergey-lavrov&position=conditional", []),
        ("?actor=volodymyr-zelenskyy&position=conditional", []),
        ("?actor=nato-members&position=conditional", ["ukraine-nato-membership"]),
        # basis: only stances stated outright, only ones someone else reports, or only our readings
        ("?actor=nato-members&position=conditional&basis=stated", []),
        ("?actor=volodymyr-zelenskyy&basis=inferred", ["halt-long-range-strikes-into-russia"]),
        ("?actor=volodymyr-zelenskyy&basis=stated", ["nato-umbrella-for-controlled-territory", "zelenskyy-peace-plan", "ukraine-nato-membership"]),
        # Moscow's own word is nowhere in the article: state media and Ash report it
        ("?actor=russian-government&basis=stated", []),
        ("?actor=russian-government&basis=reported", ["nato-membership-20-year-delay", "ukraine-cedes-occupied-territory"]),
        ("?actor=joe-biden&basis=stated", []),
        (
            "?basis=reported",
            ["nato-membership-20-year-delay", "ukraine-cedes-occupied-territory", "european-peacekeeping-contingent", "biden-2021-nato-delay"],
        ),
        ("?position=supports&basis=reported&actor=trump-team", ["nato-membership-20-year-delay", "european-peacekeeping-contingent"]),
        ("?position=rejects&basis=stated", ["nato-membership-20-year-delay", "european-peacekeeping-contingent", "biden-2021-nato-delay"]),
        ("?actor=sergey-lavrov&position=rejects", ["nato-membership-20-year-delay", "european-peacekeeping-contingent"]),
        # actor alone: everything that actor reacted to
        ("?actor=keith-kellogg", ["military-aid-tied-to-peace-talks", "nato-pause-and-sanctions-relief"]),
        ("?actor=jd-vance", ["demilitarized-zone", "ukraine-cedes-occupied-territory"]),
        # position alone: anyone holding that position
        (
            "?position=rejects",
            [
                "nato-membership-20-year-delay",
                "ukraine-cedes-occupied-territory",
                "european-peacekeeping-contingent",
                "biden-2021-nato-delay",
                "halt-long-range-strikes-into-russia",
            ],
        ),
        (
            "?position=conditional",
            ["ukraine-nato-membership"],
        ),
        # supports includes proposers, so every proposal has a supporter
        ("?position=supports", ALL_PROPOSALS),
        # empty values mean "any", as a no-JS form submits them
        ("?actor=&position=&q=", ALL_PROPOSALS),
        # text: stems, phrases, quotes and actor names
        # Lavrov's quote on the NATO delay also names the peacekeeping contingent
        ("?q=peacekeeping", ["nato-membership-20-year-delay", "european-peacekeeping-contingent"]),
        ("?q=peacekeeping&actor=vladimir-putin", ["nato-membership-20-year-delay"]),
        ("?q=sanctions", ["nato-pause-and-sanctions-relief"]),
        ('?q="barrel of the gun"', ["demilitarized-zone"]),
        ("?q=Kellogg", ["military-aid-tied-to-peace-talks", "nato-pause-and-sanctions-relief"]),
        ("?q=vehemently", ["halt-long-range-strikes-into-russia"]),
        ("?q=slovakia&actor=robert-fico", ["peace-talks-in-slovakia"]),
        ("?q=zzzzqqq", []),
    ],
)
def test_list_filters(client: TestClient, query: str, expected: list[str]) -> None:
    assert slugs(client, query) == expected


def test_list_item_shape(client: TestClient) -> None:
    body = client.get("/api/proposals?actor=vladimir-putin&position=rejects").json()
    item = body["items"][0]
    assert set(item) >= {"slug", "title", "summary", "url", "reactions_url", "proposers", "stance_counts", "stance", "reactions"}
    assert item["url"] == "/proposals/nato-membership-20-year-delay"
    assert item["reactions_url"] == "/api/proposals/nato-membership-20-year-delay"
    assert item["proposers"] == [{"slug": "trump-team", "name": "Donald Trump’s team"}]
    # The item sums up its stance; its reactions are one link away, or in it with include=reactions.
    assert item["reactions"] is None
    detail = client.get(item["reactions_url"]).json()
    assert item["stance_counts"] == {p: len(detail["stance"][p]) for p in ("supports", "conditional", "rejects")}
    assert item["stance"] == detail["stance"]  # the seed's proposals have fewer than 8 actors per position
    included = client.get("/api/proposals?actor=vladimir-putin&position=rejects&include=reactions").json()["items"][0]
    assert {"actor": "vladimir-putin", "position": "rejects", "proposer": False}.items() <= next(
        r for r in included["reactions"] if r["actor"] == "vladimir-putin"
    ).items()
    assert [r["actor"] for r in included["reactions"] if r["proposer"]] == ["trump-team"]
    assert sorted(r["slug"] for r in included["reactions"]) == sorted(r["slug"] for r in detail["reactions"])
    assert {k: v for k, v in included.items() if k != "reactions"} == {k: v for k, v in item.items() if k != "reactions"}


def test_a_dated_item_links_to_its_dated_reactions(client: TestClient) -> None:
    item = client.get("/api/proposals?as_of=2024-12-26&actor=vladimir-putin").json()["items"][0]
    assert item["reactions_url"] == f"/api/proposals/{item['slug']}?as_of=2024-12-26"
    detail = client.get(item["reactions_url"]).json()
    assert item["stance_counts"] == {p: len(detail["stance"][p]) for p in ("supports", "conditional", "rejects")}


@pytest.mark.parametrize("bad", ["everything", "reaction", "reactions,stance"])
def test_include_names_what_it_allows(client: TestClient, bad: str) -> None:
    response = client.get(f"/api/proposals?include={bad}")
    assert response.status_code == 422
    body = response.json()
    assert bad in str(body) and "reactions" in str(body["detail"])


def test_facet_counts_say_what_each_option_gives(client: TestClient) -> None:
    facets = client.get("/api/proposals?actor=vladimir-putin").json()["facets"]
    positions = {o["value"]: o["count"] for o in facets["position"]}
    assert positions == {"supports": 1, "conditional": 0, "rejects": 2}
    actors = {o["value"]: o for o in facets["actor"]}
    assert actors["vladimir-putin"]["selected"] is True
    assert actors["keith-kellogg"]["count"] == 2
    # with a position chosen, actor counts are "proposals where this actor holds that position"
    facets = client.get("/api/proposals?position=rejects").json()["facets"]
    actors = {o["value"]: o["count"] for o in facets["actor"]}
    assert actors["sergey-lavrov"] == 2 and actors["keith-kellogg"] == 0


def test_proposal_detail(client: TestClient) -> None:
    response = client.get("/api/proposals/nato-membership-20-year-delay")
    assert response.status_code == 200
    body = response.json()
    assert body["title"].startswith("Delay Ukraine’s NATO membership")
    note = SEEDS.proposals["nato-membership-20-year-delay"].first_reported.note
    assert "no year in the article" in note
    assert body["first_reported"] == {"date": "2024-11-06", "precision": "day", "note": note, "label": "6 November 2024"}
    assert body["first_reported_by"]["outlet"] == "The Wall Street Journal"
    by_actor = {r["actor"]["slug"]: r for r in body["reactions"]}
    putin = by_actor["vladimir-putin"]
    assert putin["position"] == "rejects"
    assert putin["quote"].startswith("In terms of historical distances and timeframes")
    assert putin["stated_on"]["label"] == "26 December 2024"
    assert putin["evidence"] == "on-record"
    assert putin["source"]["kind"] == "press conference transcript"
    assert putin["actor"]["url"] == "/actors/vladimir-putin"
    lavrov = by_actor["sergey-lavrov"]
    assert lavrov["stated_on"] == {
        "date": "2024-12-29",
        "precision": "approximate",
        "note": SEEDS.reactions["lavrov-rejects-nato-delay"].stated_on.note,
        "label": SEEDS.reactions["lavrov-rejects-nato-delay"].stated_on.note,
    }
    assert lavrov["basis"] == "stated" and lavrov["rationale"] == ""
    # Ash's suggestion that Zelenskyy might compromise on NATO is not a stance on this delay (removed 6 December)
    assert "volodymyr-zelenskyy" not in by_actor
    moscow = by_actor["russian-government"]
    assert moscow["evidence"] == "press-report-unnamed" and moscow["stated_on"]["precision"] == "unknown"
    assert by_actor["trump-team"]["evidence"] == "press-report-unnamed"
    assert by_actor["trump-team"]["proposer"] is True


def test_one_statement_is_one_reaction_with_all_its_quotes(client: TestClient) -> None:
    body = client.get("/api/proposals/nato-umbrella-for-controlled-territory").json()
    [zelenskyy] = [r for r in body["reactions"] if r["actor"]["slug"] == "volodymyr-zelenskyy"]
    assert zelenskyy["slug"] == "zelenskyy-proposes-nato-umbrella" and zelenskyy["proposer"] is True
    assert [q.split(",")[0] for q in zelenskyy["quotes"]] == ["If we want to stop the hot phase of the war", "We need to do it fast. Then"]
    # `quote` keeps working for existing consumers: the first one
    assert zelenskyy["quote"] == zelenskyy["quotes"][0]
    assert [a["slug"] for a in body["stance"]["supports"]] == ["volodymyr-zelenskyy"]  # one actor, once
    # and the permalink shows both, in order
    from tests.conftest import soup

    page = soup(client.get("/proposals/nato-umbrella-for-controlled-territory"))
    shown = [b.get_text(strip=True) for b in page.select("#reaction-zelenskyy-proposes-nato-umbrella blockquote")]
    assert shown == zelenskyy["quotes"]
    # the second quote is found by search too
    assert slugs(client, '?q="pursue their return"') == ["nato-umbrella-for-controlled-territory"]


def test_a_proposal_whose_proposer_the_article_does_not_name_says_so(client: TestClient) -> None:
    body = client.get("/api/proposals/peace-talks-in-slovakia").json()
    assert body["proposers"] == [] and body["proposer_unknown"] is True
    assert not any(r["proposer"] for r in body["reactions"])
    listed = next(i for i in client.get("/api/proposals").json()["items"] if i["slug"] == "peace-talks-in-slovakia")
    assert listed["proposers"] == [] and listed["proposer_unknown"] is True
    assert client.get("/api/proposals/biden-2021-nato-delay").json()["proposer_unknown"] is False


def test_actors(client: TestClient) -> None:
    body = client.get("/api/actors").json()
    assert body["count"] == len(body["items"]) == 14
    putin = next(a for a in body["items"] if a["slug"] == "vladimir-putin")
    assert putin == {
        "slug": "vladimir-putin",
        "name": "Vladimir Putin",
        "kind": "person",
        "role": "Russian President",
        "url": "/actors/vladimir-putin",
        "affiliation": "Russia",
        "side": "russia",
        "reaction_count": 3,
        "proposal_count": 3,
    }


def test_actor_detail(client: TestClient) -> None:
    body = client.get("/api/actors/sergey-lavrov").json()
    assert body["role"] == "Russia’s Foreign Minister"
    assert [(r["proposal"]["slug"], r["position"]) for r in body["reactions"]] == [
        ("nato-membership-20-year-delay", "rejects"),
        ("european-peacekeeping-contingent", "rejects"),
    ]
    assert body["reactions"][0]["proposal"]["url"] == "/proposals/nato-membership-20-year-delay"


@pytest.mark.parametrize(
    ("url", "named"),
    [("/api/proposals/no-such-plan", "'no-such-plan'"), ("/api/actors/nobody", "'nobody'"), ("/api/proposals/nato-membership-20-year", "nato-membership-20-year-delay")],
)
def test_unknown_slug_is_a_404_naming_it(client: TestClient, url: str, named: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert named in response.json()["error"]


def test_bad_position_is_a_422_listing_the_allowed_values(client: TestClient) -> None:
    response = client.get("/api/proposals?position=backs")
    assert response.status_code == 422
    body = response.json()
    assert "'backs'" in body["error"]
    assert body["detail"]["allowed"] == ["supports", "conditional", "rejects"]
    assert body["detail"]["parameter"] == "position"  # not the union member pydantic reports
    assert client.get("/api/proposals?position=reject").json()["detail"]["suggestions"] == ["rejects"]


def test_unknown_actor_filter_is_a_422_with_the_closest_slugs(client: TestClient) -> None:
    response = client.get("/api/proposals?actor=putin&position=rejects")
    assert response.status_code == 422
    body = response.json()
    assert "'putin'" in body["error"]
    assert body["detail"]["suggestions"][0] == "vladimir-putin"
    assert "vladimir-putin" in body["detail"]["allowed"]


def test_overlong_query_is_a_422(client: TestClient) -> None:
    response = client.get("/api/proposals?q=" + "a" * 201)
    assert response.status_code == 422
    assert "limit is 200" in response.json()["error"]


@pytest.mark.parametrize("q", ['"', "NEAR(", "a AND", "*", "-", "'; DROP TABLE actor; --", "NOT putin", "(", "^start"])
def test_search_never_breaks_on_syntax(client: TestClient, q: str) -> None:
    response = client.get("/api/proposals", params={"q": q})
    assert response.status_code == 200


def test_healthz_reports_the_data_version(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert len(body["data_version"]) == 64
    assert body["imported_at"] and body["file_count"] == 1
    assert set(body) == {"status", "data_version", "imported_at", "file_count"}
    # OpenAPI's date-time needs a zone; SQLite returns the stored UTC time without one.
    assert body["imported_at"].endswith(("Z", "+00:00"))


def test_wrong_method_is_a_405_with_allow(client: TestClient) -> None:
    response = client.post("/api/proposals")
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
    assert response.json()["error"] == "Method Not Allowed"


def test_openapi_documents_what_the_filters_accept(client: TestClient) -> None:
    """as_of is a date or empty, q has a length limit, and the API's slugs have working examples."""
    paths = client.get("/openapi.json").json()["paths"]
    parameters = {p["name"]: p["schema"] for p in paths["/api/proposals"]["get"]["parameters"]}
    assert {"type": "string", "format": "date"} in parameters["as_of"]["anyOf"]
    assert {"type": "string", "const": ""} in parameters["as_of"]["anyOf"]
    assert {"type": "string", "maxLength": 200, "pattern": NO_CONTROL} in parameters["q"]["anyOf"]
    for path in ("/api/proposals/{slug}", "/api/actors/{slug}"):
        slug = next(p for p in paths[path]["get"]["parameters"] if p["name"] == "slug")
        (example,) = slug["examples"].values()  # on the parameter: its schema is the slug rule
        assert client.get(path.replace("{slug}", example["value"])).status_code == 200
    for path in ("/api/proposals", "/api/timeline", "/api/compare", "/reactions.csv"):
        for parameter in paths[path]["get"]["parameters"]:
            if parameter["name"] in ("actor", "proposal", "a", "b"):
                (example,) = parameter["examples"].values()
                assert client.get(path, params={parameter["name"]: example["value"]}).status_code == 200, (path, parameter["name"])


def test_openapi_describes_the_contract(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    assert {"/api/proposals", "/api/proposals/{slug}", "/api/actors", "/api/actors/{slug}", "/healthz"} <= set(paths)
    assert not any(p in paths for p in ("/", "/matrix", "/actors"))  # pages are not API
    parameters = {p["name"]: p for p in paths["/api/proposals"]["get"]["parameters"]}
    position_schema = parameters["position"]["schema"]["anyOf"][0]
    assert parameters["position"]["schema"]["anyOf"][1] == {"type": "string", "const": ""}
    assert schema["components"]["schemas"][position_schema["$ref"].split("/")[-1]]["enum"] == ["supports", "conditional", "rejects"]
    responses = paths["/api/proposals"]["get"]["responses"]
    assert responses["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/ProposalList")
    assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert paths["/api/proposals/{slug}"]["get"]["responses"]["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    reaction = schema["components"]["schemas"]["ReactionOut"]["properties"]
    assert {"actor", "position", "proposer", "quote", "summary", "condition", "stated_on", "evidence", "source"} <= set(reaction)
