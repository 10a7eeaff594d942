"""The same migrations, importer, filters and full-text search on PostgreSQL.

Runs when TEST_POSTGRES_URL names a server where the role may CREATE DATABASE; each run
uses a fresh, uniquely named database and drops it afterwards. CI sets REQUIRE_POSTGRES=1.
"""

import os
import time
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from app.cli import migrate
from app.config import Settings
from app.db import make_engine
from app.importer import import_seeds
from app.main import create_app
from tests.conftest import SEEDS_DIR

pytestmark = pytest.mark.postgres
ADMIN_URL = os.environ.get("TEST_POSTGRES_URL")


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    if not ADMIN_URL:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set")
        pytest.skip("set TEST_POSTGRES_URL (e.g. postgresql+psycopg://truce:truce@127.0.0.1:5432/postgres) to run")
    name = f"truce_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        drop_database(admin, name)
        admin.dispose()


def drop_database(admin: Engine, name: str) -> None:
    """DROP ... WITH (FORCE), waiting out an autovacuum worker on it.

    Before PostgreSQL 16, FORCE refuses to end an autovacuum worker unless the role holds
    pg_signal_backend (the worker has no role of its own), so a drop right after an import can fail.
    """
    for attempt in range(60):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except ProgrammingError as exc:
            if "pg_signal_backend" not in str(exc) or attempt == 59:
                raise
            time.sleep(0.5)


@pytest.fixture(scope="module")
def pg_client(postgres_url: str) -> Iterator[TestClient]:
    migrate(postgres_url)
    engine = make_engine(postgres_url)
    import_seeds(engine, [SEEDS_DIR])
    import_seeds(engine, [SEEDS_DIR])  # idempotent here too
    engine.dispose()
    with TestClient(create_app(Settings(database_url=postgres_url, base_url="http://testserver")), raise_server_exceptions=False) as client:
        yield client


def slugs(client: TestClient, query: str) -> list[str]:
    response = client.get(f"/api/proposals{query}")
    assert response.status_code == 200, response.text
    return [item["slug"] for item in response.json()["items"]]


def test_filters_match_sqlite(pg_client: TestClient, client: TestClient) -> None:
    for query in ["", "?actor=vladimir-putin&position=rejects", "?position=conditional", "?actor=keith-kellogg", "?position=supports"]:
        assert slugs(pg_client, query) == slugs(client, query), query


def test_full_text_search_stems_and_phrases(pg_client: TestClient) -> None:
    assert slugs(pg_client, "?q=sanction") == ["nato-pause-and-sanctions-relief"]  # stem: sanctions
    assert slugs(pg_client, '?q="barrel of the gun"') == ["demilitarized-zone"]
    assert slugs(pg_client, "?q=vehemently") == ["halt-long-range-strikes-into-russia"]
    assert slugs(pg_client, "?q=zzzzqqq") == []


def test_search_highlights_on_postgres(pg_client: TestClient) -> None:
    from bs4 import BeautifulSoup

    page = BeautifulSoup(pg_client.get("/?q=vehemently").text, "html.parser")
    assert [m.get_text().lower() for m in page.select(".match mark")] == ["vehemently"]


def test_detail_and_errors(pg_client: TestClient) -> None:
    body = pg_client.get("/api/proposals/nato-membership-20-year-delay").json()
    assert {r["actor"]["slug"] for r in body["reactions"] if r["position"] == "rejects"} == {"russian-government", "vladimir-putin", "sergey-lavrov"}
    assert pg_client.get("/api/proposals/nope").status_code == 404
    assert pg_client.get("/api/proposals?actor=putin").status_code == 422


def test_web_process_is_read_only(postgres_url: str) -> None:
    engine = make_engine(postgres_url, read_only=True)
    with engine.connect() as connection, pytest.raises(Exception, match="read-only"):
        connection.execute(text("DELETE FROM actor"))
    engine.dispose()


def test_nul_bytes_are_refused_not_a_500(pg_client: TestClient) -> None:
    for url in ("/?actor=x%00y", "/?q=%00", "/proposals/a%00b", "/api/actors/a%00"):
        assert pg_client.get(url).status_code in (404, 422), url


def test_htmx_request_to_a_whole_page(pg_client: TestClient) -> None:
    assert pg_client.get("/actors", headers={"HX-Request": "true"}).status_code == 200


def test_search_follows_typing_on_postgres_too(pg_client: TestClient, client: TestClient) -> None:
    # the last word matches as a prefix on both databases
    assert slugs(pg_client, "?q=zelensk") == slugs(client, "?q=zelensk") != []
    assert slugs(pg_client, "?q=peacekeep") == slugs(client, "?q=peacekeep") != []
    for q in ('"', "*", "NEAR(", "'; DROP TABLE actor; --", "a & b | !c", "a:*", "(x"):
        assert pg_client.get("/api/proposals", params={"q": q}).status_code == 200, q


def test_cli_import_and_migrate_run_in_place_on_postgresql(pg_client: TestClient, postgres_url: str) -> None:
    """No file to build aside: `truce migrate` and `truce import` run in their own transactions."""
    from app.cli import main as truce

    version = pg_client.get("/healthz").json()["data_version"]
    assert truce(["--database-url", postgres_url, "migrate"]) == 0
    assert truce(["--database-url", postgres_url, "import", str(SEEDS_DIR)]) == 0
    assert pg_client.get("/healthz").json()["data_version"] == version
    assert pg_client.get("/download/truce.db").status_code == 404


def test_the_three_bases_and_several_quotes_on_postgres(pg_client: TestClient, client: TestClient) -> None:
    for query in ["?basis=stated", "?basis=reported", "?basis=inferred", "?actor=russian-government&basis=reported"]:
        assert slugs(pg_client, query) == slugs(client, query), query
    assert pg_client.get("/api/proposals").json()["facets"] == client.get("/api/proposals").json()["facets"]
    umbrella = pg_client.get("/api/proposals/nato-umbrella-for-controlled-territory").json()["reactions"][0]
    assert len(umbrella["quotes"]) == 2 and umbrella["quote"] == umbrella["quotes"][0]
    assert slugs(pg_client, '?q="pursue their return"') == ["nato-umbrella-for-controlled-territory"]
    biden = pg_client.get("/api/proposals/biden-2021-nato-delay").json()["reactions"]
    assert next(r for r in biden if r["slug"] == "biden-proposed-nato-delay-per-putin")["reported_by_actor"]["slug"] == "vladimir-putin"


def test_migration_0005_round_trip_on_postgres(pg_client: TestClient, postgres_url: str) -> None:
    """Down to 0004 and back with the data in place: the CHECKs swap, rows resting on someone else's
    account become reported by their source's outlet, quotes become lists; an import restores the rest."""
    from alembic import command
    from alembic.config import Config

    from app.config import PROJECT_ROOT

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = postgres_url
    engine = make_engine(postgres_url)
    try:
        command.downgrade(config, "0004")
        with engine.connect() as connection:
            assert {b for (b,) in connection.execute(text("SELECT DISTINCT basis FROM reaction"))} == {"stated", "inferred"}
            count = connection.execute(text("SELECT count(*) FROM reaction")).scalar()
        command.upgrade(config, "head")
        with engine.connect() as connection:
            rows = dict(connection.execute(text("SELECT slug, basis || '|' || reported_by FROM reaction")).all())
            assert len(rows) == count
            assert rows["biden-proposed-nato-delay-per-putin"] == "reported|Kremlin"
            assert rows["putin-rejects-nato-delay"] == "stated|"
            quotes = connection.execute(text("SELECT quotes::text FROM reaction WHERE slug = 'putin-rejects-biden-nato-delay'")).scalar()
            assert quotes == '["What difference does it make to us—today, tomorrow, or in 10 years?"]'
        with pytest.raises(Exception, match="ck_reaction_basis"), engine.begin() as connection:
            connection.execute(text("UPDATE reaction SET basis = 'implied'"))
        import_seeds(engine, [SEEDS_DIR], force=True)
    finally:
        engine.dispose()
    body = pg_client.get("/api/proposals/biden-2021-nato-delay").json()
    assert next(r for r in body["reactions"] if r["slug"] == "biden-proposed-nato-delay-per-putin")["reported_by"] == "Vladimir Putin"
