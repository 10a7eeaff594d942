"""Fixtures: real SQLite files built by the real migrations and loaded by the real importer."""

import json
import shutil
from urllib.parse import urlsplit
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.cli import migrate
from app.config import Settings
from app.db import make_engine
from app.importer import import_seeds
from app.main import create_app
from app.synth import SynthSize, write_synth

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
# The source articles live beside the project (../shared/seeds); a clone elsewhere may not have them.
ARTICLES_DIR = ROOT.parent / "shared" / "seeds"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def build_database(path: Path, seeds: list[Path] | None = None) -> str:
    """Migrate a fresh SQLite file to head and, when given seeds, import them. Returns its URL."""
    url = sqlite_url(path)
    migrate(url)
    if seeds:
        engine = make_engine(url)
        try:
            import_seeds(engine, seeds)
        finally:
            engine.dispose()
    return url


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "truce.db"
    build_database(path, [SEEDS_DIR])
    return path


# A moderate synthetic data set (the real importer over `truce synth` output): big enough that every
# view has several pages, small enough to build in a second or two.
SYNTH_SIZE = SynthSize(proposals=120, actors=60, density=0.4, seed=11)


@pytest.fixture(scope="session")
def synth_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth")
    write_synth(SYNTH_SIZE, folder / "seeds")
    build_database(folder / "synth.db", [folder / "seeds"])
    return folder / "synth.db"


@pytest.fixture(scope="session")
def synth_client(synth_db: Path) -> Iterator[TestClient]:
    with make_client(synth_db) as test_client:
        yield test_client


@pytest.fixture
def empty_db_url(tmp_path: Path) -> str:
    return build_database(tmp_path / "empty.db")


@pytest.fixture
def writable_engine(empty_db_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_db_url)
    yield engine
    engine.dispose()


def make_client(db_path: Path, **settings: object) -> TestClient:
    # TestClient sends Host: testserver; the links are made from BASE_URL, set here to match.
    settings.setdefault("base_url", "http://testserver")
    if "allowed_hosts" not in settings:
        settings["allowed_hosts"] = [urlsplit(str(settings["base_url"])).hostname, "testserver"]
    app = create_app(Settings(database_url=sqlite_url(db_path), **settings))
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="session")
def client(seeded_db: Path) -> Iterator[TestClient]:
    with make_client(seeded_db) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def seeded_session(seeded_db: Path) -> Iterator[Session]:
    """A plain ORM session on the seeded database, for tests that compare pages with the data."""
    engine = make_engine(sqlite_url(seeded_db), read_only=True)
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture(scope="session")
def xss_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over a seed with hostile text (<script>, onerror=, javascript:, {{7*7}}) in every field."""
    path = tmp_path_factory.mktemp("xss") / "xss.db"
    build_database(path, [FIXTURES_DIR / "xss"])
    with make_client(path) as test_client:
        yield test_client


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A private copy of seeds/ that a test may edit, English only: a change to the English would
    otherwise need its translations too (tests/test_translations.py copies them as well)."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, target, ignore=shutil.ignore_patterns("translations"))
    return target


OUR_SCRIPTS = {"/static/vendor/htmx-2.0.11.min.js", "/static/js/app.js", "/static/js/embed.js"}
JSON_LD = "application/ld+json"


def is_our_script(script) -> bool:  # type: ignore[no-untyped-def]
    """One of our script files, or a JSON-LD data block (never run, so the CSP allows it) holding only JSON."""
    if script.get("type") == JSON_LD:
        json.loads(script.string)
        return "<" not in script.string and not script.get("src")
    return script.get("src", "").split("?")[0] in OUR_SCRIPTS and not script.string


def soup(response) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup(response.text, "html.parser")


def vary_of(response) -> set[str]:  # type: ignore[no-untyped-def]
    """The header names a response varies on (gzip adds Accept-Encoding to ours)."""
    return {name.strip() for name in response.headers.get("vary", "").split(",") if name.strip()}


def counted(n: int, singular: str, plural: str) -> str:
    """A count as an English page writes it ('1 proposal', '1,200 proposals'), worked out here, not
    by the app's own code, so a test of a page's count can fail."""
    return f"{n:,} {singular if n == 1 else plural}"
