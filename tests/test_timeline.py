"""/timeline: dated items in order at their true precision; undated ones apart; filters like the list."""

import datetime as dt

from fastapi.testclient import TestClient

from tests.conftest import vary_of, soup


def test_timeline_is_in_date_order_with_undated_items_apart(client: TestClient) -> None:
    body = client.get("/api/timeline").json()
    dates = [dt.date.fromisoformat(i["date"]["date"]) for m in body["months"] for i in m["items"]]
    assert dates == sorted(dates)
    assert [m["label"] for m in body["months"]][:3] == ["2014", "2021", "April 2024"]
    assert all(i["date"]["precision"] == "unknown" for i in body["undated"])
    undated = {i["slug"] for i in body["undated"]}
    assert {"nato-cautious-on-wartime-membership", "vance-proposes-territorial-concessions"} <= undated
    assert body["count"] == sum(len(m["items"]) for m in body["months"]) + len(body["undated"])


def test_page_groups_by_month_and_marks_the_undated_group(client: TestClient) -> None:
    page = soup(client.get("/timeline"))
    headings = [h.get_text() for h in page.select(".timeline-month > h2")]
    assert headings[-1] == "Date not given"
    assert "December 2024" in headings
    putin = page.select_one("#reaction-putin-rejects-nato-delay")
    assert putin.select_one("time")["datetime"] == "2024-12-26"
    assert putin.select_one("h3 a")["href"] == "/proposals/nato-membership-20-year-delay#reaction-putin-rejects-nato-delay"
    lavrov = page.select_one("#reaction-lavrov-rejects-nato-delay time")
    assert lavrov.get_text().startswith("a Sunday after Putin’s 26 December press conference") and lavrov["datetime"] == "2024-12"
    assert page.select_one("#event-trump-inauguration")
    undated = page.select_one(".timeline-undated")
    assert undated.select_one("#reaction-nato-cautious-on-wartime-membership")
    assert undated.select_one(".undated").get_text() == "date not given"


def test_filter_by_actor_includes_their_events(client: TestClient) -> None:
    body = client.get("/api/timeline?actor=robert-fico").json()
    slugs = [i["slug"] for m in body["months"] for i in m["items"]]
    assert "putin-fico-meeting-in-moscow" in slugs and "fico-threatens-retaliation-over-gas" in slugs
    # his offer to host talks is undated, so it sits in the undated group
    assert [i["slug"] for i in body["undated"]] == ["fico-offers-to-host-talks"]
    assert all(any(a["slug"] == "robert-fico" for a in i["actors"]) for m in body["months"] for i in m["items"])


def test_filter_by_proposal_shows_its_reactions(client: TestClient) -> None:
    page = soup(client.get("/timeline?proposal=nato-membership-20-year-delay"))
    ids = [li["id"] for li in page.select(".timeline-item")]
    assert ids and all(i.startswith("reaction-") for i in ids)
    assert "reaction-putin-rejects-nato-delay" in ids and "reaction-putin-rejects-biden-nato-delay" not in ids


def test_timeline_form_and_fragment(client: TestClient) -> None:
    page = soup(client.get("/timeline?actor=vladimir-putin"))
    form = page.select_one("form#filters")
    assert form["method"] == "get" and form["data-hx-push-url"] == "true" and form["data-hx-target"] == "#results"
    assert page.select_one("#filter-actor option[selected]")["value"] == "vladimir-putin"
    counts = {o["value"]: o.get_text() for o in page.select("#filter-proposal option")}
    assert counts["nato-membership-20-year-delay"].endswith("(1)")
    response = client.get("/timeline?actor=vladimir-putin&proposal=", headers={"HX-Request": "true"})
    assert vary_of(response) >= {"HX-Request", "HX-History-Restore-Request"}
    assert response.headers["hx-push-url"] == "/timeline?actor=vladimir-putin"
    fragment = soup(response)
    assert fragment.find("html") is None and fragment.select(".timeline-item")
    restore = client.get("/timeline?actor=vladimir-putin", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert soup(restore).find("html")


def test_timeline_bad_filters(client: TestClient) -> None:
    response = client.get("/timeline?proposal=nato-delay")
    assert response.status_code == 422
    assert "'nato-delay'" in soup(response).select_one(".error-message").get_text()
    assert client.get("/api/timeline?actor=putin").json()["detail"]["suggestions"][0] == "vladimir-putin"
    redirect = client.get("/timeline?actor=&proposal=", follow_redirects=False)
    assert redirect.status_code == 303 and redirect.headers["location"] == "/timeline"
