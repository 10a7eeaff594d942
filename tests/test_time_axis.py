"""/timeline's time axis: a mark per dated item (or per date where marks would crowd), shaped by its
precision, each a named link to its item; the undated counted beside it; the month selector in words."""

import datetime as dt
import gzip

import pytest
from fastapi.testclient import TestClient

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Event, Precision, Reaction
from app.timeline_axis import MAX_LANES, NARROW, WIDE, Dated, build_axis
from tests.conftest import soup

AXIS_BUDGET = 30_000  # bytes of gzip, both drawings


def axis_markup(html: str) -> str:
    start = html.index('<figure class="time-axis"')
    return html[start : html.index("</figure>", start) + len("</figure>")]


@pytest.fixture(scope="module")
def timeline(client: TestClient):  # type: ignore[no-untyped-def]
    return client.get("/api/timeline").json()


@pytest.fixture(scope="module")
def page(client: TestClient):  # type: ignore[no-untyped-def]
    return soup(client.get("/timeline"))


@pytest.mark.parametrize("layout", ["narrow", "wide"])
def test_every_dated_item_has_a_named_mark_linking_to_it(page, timeline, layout: str) -> None:  # type: ignore[no-untyped-def]
    svg = page.select_one(f"svg.axis-{layout}")
    assert svg["aria-labelledby"] == "axis-caption" and page.find(id="axis-caption")
    marks = svg.select("a.mark")
    dated = {i["anchor"]: i for m in timeline["months"] for i in m["items"]}
    covered = 0
    for mark in marks:
        name = mark["aria-label"]
        target = page.find(id=mark["href"].removeprefix("#"))
        assert target is not None and target.name == "li", mark["href"]
        count = int(mark.select_one(".mark-count").get_text()) if mark.select_one(".mark-count") else 1
        covered += count
        first = dated[mark["href"].removeprefix("#")]
        # A mark's name is its item's title and date in words, or the count and the date.
        assert (first["title"] in name) if count <= 3 else name.startswith(f"{count} items")
    assert covered == len(dated) == timeline["count"] - timeline["undated_count"]


def test_precision_shows_in_the_shape(page) -> None:  # type: ignore[no-untyped-def]
    svg = page.select_one("svg.axis-narrow")

    def shape(anchor: str) -> list[str]:
        mark = svg.select_one(f'a[href="#{anchor}"]')
        return [c for c in mark["class"] if c.startswith("mark-")]

    assert shape("event-russia-annexes-crimea") == ["mark-year"]
    assert shape("event-trump-wins-presidential-election") == ["mark-month"]
    assert shape("event-putin-fico-meeting-in-moscow") == ["mark-span"]  # between 16 and 26 December
    assert shape("event-kellogg-appointed-special-envoy") == ["mark-day"]
    assert shape("event-gas-transit-agreement-expires") == ["mark-about"]
    span = svg.select_one('a[href="#event-putin-fico-meeting-in-moscow"]')
    assert span["aria-label"] == "Putin and Fico meet in the Kremlin (between 16 and 26 December 2024)"
    assert float(span.select_one("rect.bar")["width"]) > float(svg.select_one('a[href="#event-kellogg-appointed-special-envoy"] circle')["r"]) * 2


def test_items_of_one_date_share_a_mark_with_their_count(page) -> None:  # type: ignore[no-untyped-def]
    mark = page.select_one('svg.axis-narrow a[href="#event-putin-annual-press-conference"]')
    assert mark.select_one(".mark-count").get_text() == "3"
    assert mark["aria-label"].startswith("3 items on 26 December 2024: Putin’s annual press conference; ")


def test_marks_are_big_enough_to_tap_and_never_overlap() -> None:
    day = dt.date(2024, 12, 1)
    items = [Dated(day + dt.timedelta(days=i % 20), day + dt.timedelta(days=i % 20 + i % 3), Precision.approximate if i % 3 else Precision.day, f"#i{i}", title=f"item {i}") for i in range(60)]
    for layout in (NARROW, WIDE):
        axis = build_axis(items, layout=layout)
        assert axis.lanes <= MAX_LANES and axis.count == 60
        for a in axis.marks:
            assert a.hit_width >= layout.hit
            for b in axis.marks:
                if a is not b and a.lane == b.lane:
                    assert a.hit_x + a.hit_width < b.hit_x or b.hit_x + b.hit_width < a.hit_x
        # drawn at its narrowest column, a mark is still 24 CSS px
        assert layout.hit * layout.min_column / layout.width >= 24


def test_crowded_axes_merge_marks_per_week_then_month() -> None:
    start = dt.date(2021, 1, 1)
    items = [Dated(start + dt.timedelta(days=d), start + dt.timedelta(days=d), Precision.day, f"#d{d}", count=2) for d in range(0, 1600)]
    axis = build_axis(items, as_groups=True)
    assert axis.level in ("week", "month", "year") and axis.lanes <= MAX_LANES
    assert axis.count == 3200 and len(axis.marks) < 100
    assert all(m.name.startswith(f"{m.count} items in ") for m in axis.marks)


def test_undated_items_are_counted_beside_the_axis(page, timeline, seeded_session: Session) -> None:  # type: ignore[no-untyped-def]
    strip = page.select_one(".time-axis .undated-strip a")
    assert strip.get_text(" ", strip=True) == f"{timeline['undated_count']} items without a date"
    assert strip["href"] == "#month-undated" and page.find(id="month-undated")
    assert timeline["undated_count"] == len(timeline["undated"]) == undated_in_db(seeded_session) > 0


def undated_in_db(session: Session) -> int:
    """Counted straight from the tables: reactions and events whose date the article does not give."""
    reactions = session.scalar(select(func.count()).select_from(Reaction).where(Reaction.stated_on.is_(None)))
    events = session.scalar(select(func.count()).select_from(Event).where(Event.occurred_on.is_(None)))
    return (reactions or 0) + (events or 0)


def test_caption_says_what_the_axis_covers(page, timeline, seeded_session: Session) -> None:  # type: ignore[no-untyped-def]
    caption = page.select_one("#axis-caption").get_text(" ", strip=True)
    total = timeline["count"]
    dated = total - undated_in_db(seeded_session)
    assert caption.startswith(f"Time axis of the {dated} dated items of {total}, from 2014 to 20 January 2025;")


def test_month_selector_lists_months_in_words(client: TestClient, page, timeline) -> None:  # type: ignore[no-untyped-def]
    assert page.select_one('input[type="month"]') is None
    select = page.select_one("form.month-jump select#month")
    assert select.find_parent("form")["method"] == "get"
    options = [(o["value"], o.get_text()) for o in select.select("option")]
    assert options[0] == ("", "Choose a month")
    expected = {}
    for month in timeline["months"]:
        for item in month["items"]:
            if item["date"]["precision"] != "year":
                key = item["date"]["date"][:7]
                expected[key] = expected.get(key, 0) + 1
    assert [v for v, _ in options[1:]] == sorted(expected)
    assert ("2024-12", f"December 2024 ({expected['2024-12']} items)") in options
    response = client.get("/timeline?month=2024-12", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/timeline#month-2024-12"


def test_a_filtered_fragment_redraws_the_axis_and_the_months(client: TestClient) -> None:
    fragment = soup(client.get("/timeline?actor=robert-fico", headers={"HX-Request": "true"}))
    marks = fragment.select("svg.axis-narrow a.mark")
    assert marks and all(fragment.find(id=m["href"][1:]) for m in marks)
    months = fragment.select_one('datalist[data-hx-swap-oob="innerHTML:#month"]')
    assert [o["value"] for o in months.select("option")] == ["", "2024-12"]


def test_the_axis_weighs_under_its_budget(client: TestClient) -> None:
    markup = axis_markup(client.get("/timeline").text)
    size = len(gzip.compress(markup.encode()))
    print(f"axis: {len(markup.encode())} bytes, {size} bytes gzip")
    assert 0 < size <= AXIS_BUDGET
