"""Places the proposals and events name: checked against ISO 3166-2 (pycountry), carried to the API,
and drawn as a schematic tile map whose caption, in words, is also its text alternative."""

import gzip
from pathlib import Path

import pycountry
import pytest
from fastapi.testclient import TestClient

from app.cli import main as truce
from app.places import map_tiles, place_name
from tests.conftest import ROOT, soup
from tests.test_importer import edit_seed, errors_for

FIXTURE = ROOT / "tests" / "fixtures" / "places" / "unknown-place.yaml"
TERRITORY = "ukraine-cedes-occupied-territory"
MAP_BUDGET = 30_000  # bytes of gzip, for the map's markup on the page


def test_check_rejects_an_unknown_code_naming_file_path_value_and_the_allowed_form(capsys) -> None:  # type: ignore[no-untyped-def]
    assert truce(["check", str(FIXTURE)]) == 1
    err = capsys.readouterr().err
    assert f"{FIXTURE}: proposals[0].places[1]: 'UA-99' is not the ISO 3166-2 code of a region of Ukraine" in err
    assert "write it as UA- and two digits" in err and "UA-14 (Donetsk)" in err
    assert "UA-14'" not in err  # the valid code beside it is not blamed


def test_a_place_named_twice_is_rejected(seed_copy: Path) -> None:
    def change(data: dict) -> None:
        next(e for e in data["events"] if e["slug"] == "russia-annexes-crimea")["places"] = ["UA-43", "UA-43"]

    path = edit_seed(seed_copy, change)
    [error] = errors_for([seed_copy])
    assert error.startswith(f"{path}: events[0].places: ") and "UA-43 named more than once" in error


def test_the_tiles_are_exactly_the_iso_regions_of_ukraine() -> None:
    iso = {s.code for s in pycountry.subdivisions.get(country_code="UA")}
    tiles = map_tiles([])
    assert {t.code for t in tiles} == iso and len(tiles) == 27
    assert len({(t.x, t.y) for t in tiles}) == 27  # one square each, none on another


def test_api_lists_the_places_with_names(client: TestClient) -> None:
    body = client.get(f"/api/proposals/{TERRITORY}").json()
    assert body["places"] == [
        {"code": "UA-09", "name": "Luhansk", "iso_name": "Luhanska oblast"},
        {"code": "UA-14", "name": "Donetsk", "iso_name": "Donetska oblast"},
        {"code": "UA-65", "name": "Kherson", "iso_name": "Khersonska oblast"},
        {"code": "UA-23", "name": "Zaporizhzhia", "iso_name": "Zaporizka oblast"},
    ]
    assert client.get("/api/proposals/demilitarized-zone").json()["places"] == []  # the article names no region for it
    timeline = client.get("/api/timeline").json()
    crimea = next(i for m in timeline["months"] for i in m["items"] if i["slug"] == "russia-annexes-crimea")
    assert crimea["places"] == [{"code": "UA-43", "name": "Crimea", "iso_name": "Avtonomna Respublika Krym"}]
    named = [i["slug"] for m in timeline["months"] for i in m["items"] + timeline["undated"] if i["places"]]
    assert named == ["russia-annexes-crimea"]


def test_the_permalink_map_highlights_the_named_regions_and_says_so_in_words(client: TestClient) -> None:
    page = soup(client.get(f"/proposals/{TERRITORY}"))
    figure = page.select_one("figure.place-map")
    caption = figure.select_one("figcaption")
    names = [p["name"] for p in client.get(f"/api/proposals/{TERRITORY}").json()["places"]]
    assert caption.select_one("strong").get_text() == f"Named in this proposal: {', '.join(names)}."
    assert names == ["Luhansk", "Donetsk", "Kherson", "Zaporizhzhia"]
    text = caption.get_text(" ", strip=True)
    assert "schematic" in text and "The article gives no line; none is drawn." in text
    svg = figure.select_one("svg")
    assert svg["role"] == "img" and svg["aria-labelledby"] == caption["id"] == figure["aria-labelledby"]
    tiles = svg.select("g.tile")
    assert len(tiles) == 27 and all(t.title.get_text() for t in tiles)
    named = [t.title.get_text() for t in svg.select("g.tile-named")]
    assert sorted(named) == sorted(f"{n}: named in this proposal" for n in names)
    assert not svg.select("line, path, polyline")  # no line of contact, no zone


def test_a_timeline_event_with_places_has_its_map(client: TestClient) -> None:
    page = soup(client.get("/timeline"))
    crimea = page.select_one("#event-russia-annexes-crimea figure.place-map")
    assert crimea.select_one("figcaption strong").get_text() == "Named in this event: Crimea."
    assert [t.title.get_text() for t in crimea.select("g.tile-named")] == ["Crimea: named in this event"]
    assert len(page.select("figure.place-map")) == 1


def test_no_map_where_no_place_is_named(client: TestClient) -> None:
    assert soup(client.get("/proposals/demilitarized-zone")).select_one(".place-map") is None


def test_the_map_weighs_under_its_budget(client: TestClient) -> None:
    html = client.get(f"/proposals/{TERRITORY}").text
    start = html.index('<figure class="place-map"')
    markup = html[start : html.index("</figure>", start) + len("</figure>")]
    size = len(gzip.compress(markup.encode()))
    print(f"map: {len(markup.encode())} bytes, {size} bytes gzip")
    assert 0 < size <= MAP_BUDGET


@pytest.mark.parametrize("code", ["UA-09", "UA-30", "UA-32", "UA-40", "UA-43"])
def test_short_names_are_the_ones_readers_know(code: str) -> None:
    assert place_name(code) == {"UA-09": "Luhansk", "UA-30": "Kyiv", "UA-32": "Kyiv region", "UA-40": "Sevastopol", "UA-43": "Crimea"}[code]
