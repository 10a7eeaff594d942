"""Exports: CSV that respects the filter, alternate links on every page, and /download."""

import csv
import datetime as dt
import io
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.seeds import load_seed_set
from tests.conftest import FIXTURES_DIR, SEEDS_DIR, build_database, make_client, soup

SEEDS = load_seed_set([SEEDS_DIR])


def read_csv(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # BOM: spreadsheets read UTF-8
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_proposals_csv_takes_the_page_query_string(client: TestClient) -> None:
    rows = read_csv(client.get("/proposals.csv?actor=vladimir-putin&position=rejects"))
    assert [r["slug"] for r in rows] == ["nato-membership-20-year-delay", "biden-2021-nato-delay"]
    # in the order stated; Moscow's rejection is undated, so it comes last, and it is reported
    assert rows[0]["rejects"] == "Vladimir Putin; Sergey Lavrov; Russian government (Moscow) (reported by Russian state media (no outlet named), as cited by the article)"
    assert rows[0]["url"] == "http://testserver/proposals/nato-membership-20-year-delay"
    assert len(read_csv(client.get("/proposals.csv"))) == 14


def test_reactions_csv_has_one_row_per_reaction(client: TestClient) -> None:
    rows = read_csv(client.get("/reactions.csv"))
    assert len(rows) == len({r["url"] for r in rows}) == len(SEEDS.reactions)
    putin = next(r for r in rows if r["url"].endswith("#reaction-putin-rejects-nato-delay"))
    assert putin["actor_name"] == "Vladimir Putin" and putin["position"] == "rejects"
    assert putin["quote"].startswith("In terms of historical distances and timeframes")
    assert (putin["date"], putin["date_precision"], putin["date_label"]) == ("2024-12-26", "day", "26 December 2024")
    assert putin["evidence"] == "On-record statement"
    assert putin["source_outlet"] == "Kremlin"
    assert putin["quotes"] == putin["quote"]  # one quote
    # a statement in several quotes: `quote` is the first, `quotes` all of them, one a line
    zelenskyy = next(r for r in rows if r["url"].endswith("#reaction-zelenskyy-proposes-nato-umbrella"))
    first, second = zelenskyy["quotes"].split("\n")
    assert zelenskyy["quote"] == first and second.startswith("We need to do it fast.")


def test_reactions_csv_filters(client: TestClient) -> None:
    rows = read_csv(client.get("/reactions.csv?actor=vladimir-putin&position=rejects"))
    assert {(r["actor_slug"], r["position"]) for r in rows} == {("vladimir-putin", "rejects")}
    assert len(rows) == 2
    rows = read_csv(client.get("/reactions.csv?proposal=demilitarized-zone"))
    assert {r["proposal_slug"] for r in rows} == {"demilitarized-zone"}
    rows = read_csv(client.get("/reactions.csv?as_of=2024-12-01"))
    assert rows and all(r["date"] and r["date"] <= "2024-12-01" for r in rows)
    # "as of" counts a reaction from its last possible day: Lavrov's Sunday is 29 December at the latest
    lavrov = "#reaction-lavrov-rejects-nato-delay"
    assert not any(r["url"].endswith(lavrov) for r in read_csv(client.get("/reactions.csv?as_of=2024-12-28")))
    assert any(r["url"].endswith(lavrov) for r in read_csv(client.get("/reactions.csv?as_of=2024-12-29")))
    # month precision counts from the month's last day
    vance = "#reaction-vance-proposes-demilitarized-zone"
    assert not any(r["url"].endswith(vance) for r in read_csv(client.get("/reactions.csv?as_of=2024-09-29")))
    assert client.get("/reactions.csv?proposal=nope").status_code == 422
    assert client.get("/proposals.csv?position=backs").status_code == 422


@pytest.mark.parametrize(
    ("url", "status", "parameter"),
    [
        ("/reactions.csv?proposal=nope", 422, "proposal"),
        ("/proposals.csv?position=backs", 422, "position"),
        ("/proposals.csv?actor=nobody", 422, "actor"),
        ("/reactions.csv?as_of=2024-13-01", 422, "as_of"),
    ],
)
def test_csv_errors_are_the_documented_json(client: TestClient, url: str, status: int, parameter: str) -> None:
    """A CSV URL is for programs: its errors are ErrorOut JSON, as /openapi.json says."""
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"]["parameter"] == parameter
    path = url.split("?")[0]
    documented = client.get("/openapi.json").json()["paths"][path]["get"]["responses"][str(status)]
    assert documented["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")


@pytest.mark.parametrize(
    ("url", "json_href", "csv_href"),
    [
        ("/?actor=vladimir-putin", "/api/proposals?actor=vladimir-putin", "/proposals.csv?actor=vladimir-putin"),
        ("/matrix?position=rejects", "/api/matrix?position=rejects", "/proposals.csv?position=rejects"),
        ("/proposals/demilitarized-zone", "/api/proposals/demilitarized-zone", "/reactions.csv?proposal=demilitarized-zone"),
        ("/actors", "/api/actors", "/actors.csv"),
        ("/actors/jd-vance", "/api/actors/jd-vance", "/reactions.csv?actor=jd-vance"),
        ("/timeline?actor=jd-vance", "/api/timeline?actor=jd-vance", "/reactions.csv?actor=jd-vance"),
        ("/common-ground", "/api/common-ground", "/proposals.csv"),
        ("/download", "/api/proposals", "/reactions.csv"),
    ],
)
def test_every_page_links_its_json_and_csv(client: TestClient, url: str, json_href: str, csv_href: str) -> None:
    page = soup(client.get(url))
    assert page.find("link", rel="alternate", type="application/json")["href"] == json_href
    assert page.find("link", rel="alternate", type="text/csv")["href"] == csv_href
    assert client.get(json_href).status_code == 200
    assert client.get(csv_href).status_code == 200


def test_download_page_offers_the_database_and_seeds(client: TestClient, seeded_db: Path, tmp_path: Path) -> None:
    page = soup(client.get("/download"))
    health = client.get("/healthz").json()
    imported = dt.datetime.fromisoformat(health["imported_at"]).date()
    # the data version in words: its day and a short version, no hash lengths or byte counts
    assert page.select_one(".facts dd").get_text().startswith(
        f"Data of {imported.day} {imported:%B %Y}, version {health['data_version'][:8]}, built from 1 seed file"
    )
    size = seeded_db.stat().st_size
    assert f"truce.db ({round(size / 1024):,} KB)" in page.select_one("main").get_text(" ", strip=True)
    text = page.select_one("main").get_text()
    assert "bytes" not in text and "rel=" not in text and "SHA-256 prefix" not in text
    developers = page.select_one("section.developers")
    assert {a["href"] for a in developers.select("a")} >= {"/api/proposals", "/openapi.json", "/feed.atom"}
    assert "Licence" in [h.get_text() for h in page.select("h2")]
    database = client.get("/download/truce.db")
    assert database.status_code == 200 and database.content == seeded_db.read_bytes()
    copy = tmp_path / "copy.db"
    copy.write_bytes(database.content)
    assert sqlite3.connect(copy).execute("SELECT count(*) FROM proposal").fetchone()[0] == 14
    seed = client.get("/download/seeds/article-russia-rejects-truce-plan.yaml")
    assert seed.status_code == 200 and b"putin-rejects-nato-delay" in seed.content
    assert client.get("/download/seeds/../../app/config.py").status_code == 404
    assert client.get("/download/seeds/nope.yaml").status_code == 404


def test_csv_cells_cannot_run_as_formulas(tmp_path: Path) -> None:
    path = tmp_path / "formula.db"
    fixture = FIXTURES_DIR / "xss"
    build_database(path, [fixture])
    with make_client(path) as client:
        rows = read_csv(client.get("/reactions.csv"))
    assert rows and all(not value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())
    assert any(row["summary"].startswith("'=HYPERLINK(") for row in rows)
