"""`as_of=YYYY-MM-DD`: the state of play known on a given day, on every view that takes it."""

import pytest
from fastapi.testclient import TestClient

from tests.conftest import soup


def slugs(client: TestClient, query: str) -> list[str]:
    return [i["slug"] for i in client.get(f"/api/proposals{query}").json()["items"]]


def test_as_of_keeps_only_reactions_stated_by_then(client: TestClient) -> None:
    # On 1 December 2024 neither Putin (26 Dec) nor Lavrov (a Sunday after 26 Dec) had spoken.
    assert slugs(client, "?position=rejects&as_of=2024-12-01") == []
    assert slugs(client, "?actor=vladimir-putin&position=rejects&as_of=2024-12-26") == [
        "nato-membership-20-year-delay",
        "biden-2021-nato-delay",
    ]
    assert slugs(client, "?actor=sergey-lavrov&as_of=2024-12-28") == []
    assert slugs(client, "?actor=sergey-lavrov&as_of=2024-12-29") == ["nato-membership-20-year-delay", "european-peacekeeping-contingent"]


def test_month_precision_counts_from_the_end_of_the_month(client: TestClient) -> None:
    # Vance's Shawn Ryan interview is dated "September 2024": known by 30 September, not before.
    assert "demilitarized-zone" not in slugs(client, "?as_of=2024-09-15")
    assert "demilitarized-zone" in slugs(client, "?as_of=2024-09-30")


def test_undated_reactions_are_left_out(client: TestClient) -> None:
    # NATO members' "irreversible" stance is undated, so it never shows in an as-of view.
    assert slugs(client, "?actor=nato-members") == ["ukraine-nato-membership"]
    assert slugs(client, "?actor=nato-members&as_of=2025-12-31") == []


def test_detail_and_actor_views_take_as_of(client: TestClient) -> None:
    detail = client.get("/api/proposals/nato-membership-20-year-delay?as_of=2024-12-26").json()
    assert {r["actor"]["slug"] for r in detail["reactions"]} == {"trump-team", "vladimir-putin"}
    actor = client.get("/api/actors/vladimir-putin?as_of=2024-12-25").json()
    assert actor["reactions"] == []


def test_list_page_shows_a_banner_with_a_way_back_to_now(client: TestClient) -> None:
    page = soup(client.get("/?position=supports&as_of=2024-11-30"))
    banner = page.select_one("#as-of-banner .as-of")
    assert "As of 30 November 2024" in banner.get_text()
    assert banner.a["href"] == "/?position=supports"
    # the form shows the day in the site's own format, and accepts it typed so
    assert page.select_one("#filter-as-of")["value"] == "30 November 2024"
    # links stay on the same day
    assert all("as_of=2024-11-30" in a["href"] for a in page.select(".card-title a, .chip"))


@pytest.mark.parametrize(
    "url",
    [
        "/proposals/nato-membership-20-year-delay?as_of=2024-12-26",
        "/actors/vladimir-putin?as_of=2024-12-26",
        "/matrix?as_of=2024-12-26",
    ],
)
def test_every_view_with_as_of_shows_the_banner(client: TestClient, url: str) -> None:
    page = soup(client.get(url))
    assert "As of 26 December 2024" in page.select_one(".as-of").get_text()
    assert "as_of" not in page.select_one(".as-of a")["href"]


def test_permalink_as_of_hides_later_reactions_and_shares_the_dated_view(client: TestClient) -> None:
    page = soup(client.get("/proposals/nato-membership-20-year-delay?as_of=2024-12-26"))
    ids = [a["id"] for a in page.select("article.reaction")]
    assert "reaction-putin-rejects-nato-delay" in ids and "reaction-lavrov-rejects-nato-delay" not in ids
    assert page.select_one("#share-url")["value"].endswith("/proposals/nato-membership-20-year-delay?as_of=2024-12-26")
    assert page.find("link", rel="canonical")["href"].endswith("/proposals/nato-membership-20-year-delay")


def test_fragment_updates_the_banner_out_of_band(client: TestClient) -> None:
    fragment = soup(client.get("/?as_of=2024-12-01", headers={"HX-Request": "true"}))
    oob = fragment.select_one('[data-hx-swap-oob="innerHTML:#as-of-banner"]')
    assert "As of 1 December 2024" in oob.get_text()
    cleared = soup(client.get("/", headers={"HX-Request": "true"}))
    assert cleared.select_one('[data-hx-swap-oob="innerHTML:#as-of-banner"]').get_text(strip=True) == ""


@pytest.mark.parametrize("value", ["2024-13-01", "yesterday", "2024-02-30", "20241201", "2024-12"])
def test_bad_as_of_names_the_format(client: TestClient, value: str) -> None:
    page = client.get(f"/?as_of={value}")
    assert page.status_code == 422
    assert "YYYY-MM-DD" in soup(page).select_one(".error-message").get_text()
    api = client.get(f"/api/proposals?as_of={value}")
    assert api.status_code == 422 and repr(value) in api.json()["error"]
    assert client.get(f"/proposals/demilitarized-zone?as_of={value}").status_code == 422


@pytest.mark.parametrize("value", ["2024-W01-1", "20241201T", "2024-1-01"])
def test_as_of_takes_only_calendar_dates(client: TestClient, value: str) -> None:
    assert client.get(f"/?as_of={value}").status_code == 422


def test_permalink_before_anything_was_said(client: TestClient) -> None:
    page = soup(client.get("/proposals/nato-membership-20-year-delay?as_of=2021-01-01"))
    assert "reports no stance on this proposal yet" in page.select_one(".as-of-empty").get_text()
    assert page.select("article.reaction") == []
    og = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
    assert og["og:url"].endswith("/proposals/nato-membership-20-year-delay?as_of=2021-01-01")
    assert og["og:description"].startswith("As of 1 January 2021:")
    assert page.find("link", rel="canonical")["href"].endswith("/proposals/nato-membership-20-year-delay")
