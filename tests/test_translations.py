"""The translations of the data (seeds/translations/uk.yaml, ru.yaml): checked, imported all or
nothing with the seeds, shown on /uk/ and /ru/ and by the API's ?lang=, and searched per language.

Real SQLite files through the real migrations and importer, real HTTP through the app."""

import re
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.cli import import_live, main as truce
from app.i18n import TRANSLATED, using_locale
from app.queries.proposals import get_proposal
from app.seed_translations import counts_by_locale, translatable_count
from app.seeds import SeedValidationError, load_seed_set
from app.verbatim import copied_from_articles
from tests.conftest import ARTICLES_DIR, SEEDS_DIR, build_database, soup, sqlite_url
from tests.test_importer import SEED_FILE, dump_tables, errors_for

TRANSLATIONS = SEEDS_DIR / "translations"
PROPOSAL = "nato-membership-20-year-delay"
QUOTED = "putin-rejects-nato-delay"  # a stated reaction on PROPOSAL with one quote


def load(locale: str) -> dict:
    return yaml.safe_load((TRANSLATIONS / f"{locale}.yaml").read_text(encoding="utf-8"))


ENGLISH = yaml.safe_load((SEEDS_DIR / SEED_FILE).read_text(encoding="utf-8"))
UK, RU = load("uk"), load("ru")


def english(collection: str, slug: str) -> dict:
    return next(r for r in ENGLISH[collection] if r["slug"] == slug)


@pytest.fixture
def translated_copy(tmp_path: Path) -> Path:
    """A private copy of seeds/ with its translations, that a test may edit."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, target)
    return target


def edit_translation(seed_dir: Path, locale: str, change) -> Path:  # type: ignore[no-untyped-def]
    path = seed_dir / "translations" / f"{locale}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def dump_all(db: Path) -> dict[str, list[tuple]]:
    tables = dump_tables(db)
    with sqlite3.connect(db) as connection:
        tables["translations"] = connection.execute("SELECT * FROM translations ORDER BY 1").fetchall()
    return tables


# --- the counts ------------------------------------------------------------------------------------


def test_every_translatable_field_is_translated_in_every_language() -> None:
    seeds = load_seed_set([SEEDS_DIR])
    expected = translatable_count(seeds)
    counts = counts_by_locale(seeds.translations)
    assert set(counts) == set(TRANSLATED) == {"uk", "ru"}
    # 56 source, 44 actor, 41 proposal, 59 reaction (10 of them quotes) and 44 event fields.
    assert expected == 244
    assert counts == {"uk": expected, "ru": expected}


def test_the_import_stores_every_translation(seeded_db: Path) -> None:
    with sqlite3.connect(seeded_db) as connection:
        rows = dict(connection.execute("SELECT locale, count(*) FROM translations GROUP BY locale").fetchall())
        quotes = connection.execute("SELECT count(*) FROM translations WHERE locale = 'uk' AND field = 'quotes'").fetchone()[0]
    assert rows == {"uk": 244, "ru": 244}
    assert quotes == 10


# --- the check: a malformed translation file gets a clear error -------------------------------------


def test_a_missing_translation_names_the_file_the_key_and_the_english(translated_copy: Path) -> None:
    path = edit_translation(translated_copy, "ru", lambda d: d["proposals"][PROPOSAL].pop("summary"))
    [error] = errors_for([translated_copy])
    assert error.startswith(f"{path}: proposals.{PROPOSAL}.summary: missing: the English 'A truce in which")
    assert "has no ru translation" in error


def test_a_data_key_is_refused(translated_copy: Path) -> None:
    def change(data: dict) -> None:
        data["reactions"][QUOTED]["position"] = "rejects"
        data["proposals"][PROPOSAL]["slug"] = "other-slug"
        data["events"]["russia-annexes-crimea"]["occurred_on.date"] = "2014-03-18"

    path = edit_translation(translated_copy, "uk", change)
    errors = errors_for([translated_copy])
    assert f"{path}: reactions.{QUOTED}.position: 'position' is data, not text" in "\n".join(errors)
    assert any(e.startswith(f"{path}: proposals.{PROPOSAL}.slug: 'slug' is data, not text") for e in errors)
    assert any(e.startswith(f"{path}: events.russia-annexes-crimea.occurred_on.date: 'occurred_on.date' is data") for e in errors)
    assert len(errors) == 3


def test_an_actor_slug_in_reported_by_is_data(translated_copy: Path) -> None:
    # biden-proposed-nato-delay-per-putin is reported by vladimir-putin: the page shows his translated name.
    path = edit_translation(translated_copy, "uk", lambda d: d["reactions"]["biden-proposed-nato-delay-per-putin"].update(reported_by="Путін"))
    [error] = errors_for([translated_copy])
    assert error.startswith(f"{path}: reactions.biden-proposed-nato-delay-per-putin.reported_by: 'Путін' translates nothing")
    assert "'vladimir-putin' is an actor slug (data)" in error


def test_an_unknown_field_suggests_the_translatable_ones(translated_copy: Path) -> None:
    path = edit_translation(translated_copy, "uk", lambda d: d["proposals"][PROPOSAL].update(titel="Назва"))
    [error] = errors_for([translated_copy])
    assert error.startswith(f"{path}: proposals.{PROPOSAL}.titel: unknown field; the translatable fields of a proposal are title, summary")
    assert "(closest: title)" in error


def test_an_unknown_record_slug_suggests_the_closest(translated_copy: Path) -> None:
    def change(data: dict) -> None:
        data["proposals"]["nato-membership-20-year-dealy"] = data["proposals"][PROPOSAL]

    path = edit_translation(translated_copy, "ru", change)
    [error] = errors_for([translated_copy])
    assert error.startswith(f"{path}: proposals.nato-membership-20-year-dealy: 'nato-membership-20-year-dealy' names no proposal in the seeds; closest: {PROPOSAL}")


def test_quotes_must_be_as_many_as_the_english(translated_copy: Path) -> None:
    path = edit_translation(translated_copy, "uk", lambda d: d["reactions"][QUOTED]["quotes"].append("Зайва цитата"))
    [error] = errors_for([translated_copy])
    assert error.startswith(f"{path}: reactions.{QUOTED}.quotes: 2 quote(s) where the English has 1 ('In terms of historical")


def test_a_translation_identical_to_the_english_is_refused_unless_a_name(translated_copy: Path) -> None:
    source = english("sources", "wsj-report-2024-11-06")

    def change(data: dict) -> None:
        data["sources"]["wsj-report-2024-11-06"]["kind"] = source["kind"]  # "newspaper report": text
        assert data["sources"]["wsj-report-2024-11-06"]["outlet"] == source["outlet"]  # a name, kept as it is

    path = edit_translation(translated_copy, "uk", change)
    [error] = errors_for([translated_copy])
    assert error.startswith(f"{path}: sources.wsj-report-2024-11-06.kind: {source['kind']!r} is the English text itself; translate it")


def test_a_translation_file_names_its_language_and_every_language_has_one(translated_copy: Path) -> None:
    path = edit_translation(translated_copy, "uk", lambda d: d.update(language="ru"))
    [error] = errors_for([translated_copy])
    assert error == f"{path}: language: 'ru': this file translates into 'uk' (its name); write language: uk"
    (translated_copy / "translations" / "uk.yaml").rename(translated_copy / "translations" / "ua.yaml")
    errors = errors_for([translated_copy])
    assert errors[0].startswith(f"{translated_copy / 'translations' / 'ua.yaml'}: 'ua.yaml' is not a language of the site")
    assert errors[1].startswith(f"{translated_copy / 'translations' / 'uk.yaml'}: file not found")
    assert len(errors) == 2


def test_invalid_yaml_in_a_translation_names_the_line(translated_copy: Path) -> None:
    path = translated_copy / "translations" / "ru.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  broken: [unclosed\n", encoding="utf-8")
    [error] = errors_for([translated_copy])
    assert error.startswith(f"{path}: line ") and "not valid YAML" in error


def test_errors_in_the_english_come_first(translated_copy: Path) -> None:
    """The translations are checked only against valid English records."""
    path = translated_copy / SEED_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["reactions"][4]["position"] = "backs"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    [error] = errors_for([translated_copy])
    assert "reactions[4].position: 'backs'" in error


def test_a_seed_folder_without_translations_is_english_only(seed_copy: Path) -> None:
    seeds = load_seed_set([seed_copy])
    assert seeds.translations == [] and seeds.translation_files == []
    # The English alone hashes as it did before translations existed.
    assert load_seed_set([seed_copy / SEED_FILE]).content_hash == seeds.content_hash


@pytest.mark.skipif(not ARTICLES_DIR.is_dir(), reason=f"the source articles are not at {ARTICLES_DIR}")
def test_a_translation_must_not_copy_the_article(translated_copy: Path) -> None:
    # Left in English, copied from the article: eight words in a row.
    copied = "Trump has said he would end the war within 24 hours of taking office"
    path = edit_translation(translated_copy, "uk", lambda d: d["events"]["trump-wins-presidential-election"].update(summary=copied))
    problems = copied_from_articles(load_seed_set([translated_copy]), ARTICLES_DIR)
    assert [p for p in problems if p.startswith(f"{path}: events.trump-wins-presidential-election.summary: ")], problems
    assert copied_from_articles(load_seed_set([SEEDS_DIR]), ARTICLES_DIR) == []


def test_truce_check_names_a_bad_translation(translated_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert truce(["check", str(SEEDS_DIR)]) == 0
    assert "translated: uk 244 fields, ru 244 fields" in capsys.readouterr().out
    path = edit_translation(translated_copy, "ru", lambda d: d["actors"]["vladimir-putin"].update(side="russia"))
    assert truce(["check", str(translated_copy)]) == 1
    assert f"{path}: actors.vladimir-putin.side: 'side' is data, not text" in capsys.readouterr().err


# --- the import: all or nothing, and an unchanged one is a no-op -------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "translated.db"
    build_database(path, [SEEDS_DIR])
    return path


def test_a_bad_translation_imports_nothing(db: Path, translated_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = dump_all(db)
    english_path = translated_copy / SEED_FILE
    english_path.write_text(english_path.read_text(encoding="utf-8").replace("Delay Ukraine’s NATO membership", "Postpone Ukraine’s NATO membership"), encoding="utf-8")
    edit_translation(translated_copy, "uk", lambda d: d["reactions"][QUOTED]["quotes"].clear())
    assert truce(["--database-url", sqlite_url(db), "import", str(translated_copy)]) == 1
    assert "nothing was imported" in capsys.readouterr().err
    assert dump_all(db) == before


def test_a_changed_translation_is_imported_alone(db: Path, translated_copy: Path) -> None:
    before = dump_all(db)
    edit_translation(translated_copy, "ru", lambda d: d["proposals"][PROPOSAL].update(title="Новое название"))
    result = import_live(sqlite_url(db), [translated_copy])
    assert result.changed  # the content hash covers the translation files
    after = dump_all(db)
    changed = set(after["translations"]) ^ set(before["translations"])
    assert {row[1:] for row in changed} == {
        ("proposal", PROPOSAL, "title", "ru", 0, RU["proposals"][PROPOSAL]["title"]),
        ("proposal", PROPOSAL, "title", "ru", 0, "Новое название"),
    }
    for table in ("source", "actor", "proposal", "reaction", "event", "correction"):
        assert after[table] == before[table]
    with sqlite3.connect(db) as connection:
        titles = connection.execute(
            "SELECT d.locale, d.title FROM search_document d JOIN proposal p ON p.id = d.proposal_id "
            "WHERE d.kind = 'proposal' AND p.slug = ?",
            (PROPOSAL,),
        ).fetchall()
    assert ("ru", "Новое название") in titles and ("uk", UK["proposals"][PROPOSAL]["title"]) in titles


def test_an_unchanged_import_is_a_no_op_in_milliseconds(db: Path) -> None:
    before = dump_all(db)
    started = time.perf_counter()
    result = import_live(sqlite_url(db), [SEEDS_DIR])
    elapsed = time.perf_counter() - started
    assert not result.changed
    assert elapsed < 0.5, f"an unchanged import took {elapsed:.3f}s"
    assert dump_all(db) == before


# --- shown on /uk/ and /ru/ --------------------------------------------------------------------------


def test_the_uk_permalink_shows_the_uk_title_and_summary(client: TestClient) -> None:
    response = client.get(f"/uk/proposals/{PROPOSAL}")
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text(" ", strip=True) == UK["proposals"][PROPOSAL]["title"]
    assert UK["proposals"][PROPOSAL]["summary"] in page.get_text(" ")
    # The quote stays in English, as said.
    assert english("reactions", QUOTED)["quote"] in page.get_text(" ")
    english_page = soup(client.get(f"/proposals/{PROPOSAL}"))
    assert english_page.h1.get_text(" ", strip=True) == english("proposals", PROPOSAL)["title"]
    assert not re.search("[А-Яа-яІіЇїЄєҐґ]", english_page.main.get_text(" ") if english_page.main else english_page.get_text(" "))


def test_a_quote_stays_english_with_its_translation_beside_it(seeded_session: Session) -> None:
    with using_locale("uk"):
        detail = get_proposal(seeded_session, PROPOSAL)
    [reaction] = [r for r in detail.reactions if r.slug == QUOTED]
    assert reaction.quote == english("reactions", QUOTED)["quote"]
    assert reaction.quotes == [english("reactions", QUOTED)["quote"]]
    assert reaction.quote_translations == UK["reactions"][QUOTED]["quotes"]
    assert reaction.quote_translation == UK["reactions"][QUOTED]["quotes"][0]
    assert reaction.summary == UK["reactions"][QUOTED]["summary"]
    assert reaction.actor.name == UK["actors"]["vladimir-putin"]["name"]


def test_english_view_data_has_no_translations(seeded_session: Session) -> None:
    detail = get_proposal(seeded_session, PROPOSAL)
    [reaction] = [r for r in detail.reactions if r.slug == QUOTED]
    assert reaction.quote_translations == [] and reaction.quote_translation == ""
    assert detail.title == english("proposals", PROPOSAL)["title"]


def test_a_reported_stance_names_the_reporting_actor_in_the_language(client: TestClient) -> None:
    body = client.get("/api/proposals/biden-2021-nato-delay?lang=ru").json()
    [reaction] = [r for r in body["reactions"] if r["slug"] == "biden-proposed-nato-delay-per-putin"]
    assert reaction["reported_by"] == RU["actors"]["vladimir-putin"]["name"]
    assert reaction["reported_by_actor"]["name"] == RU["actors"]["vladimir-putin"]["name"]


def test_the_state_of_play_is_kept_per_language(client: TestClient) -> None:
    uk = client.get("/uk/state-of-play").text
    en = client.get("/state-of-play").text
    assert UK["proposals"][PROPOSAL]["title"] in uk
    assert UK["proposals"][PROPOSAL]["title"] not in en


# --- the API's ?lang= --------------------------------------------------------------------------------


def test_api_lang_ru_returns_the_ru_titles(client: TestClient) -> None:
    body = client.get("/api/proposals?lang=ru&limit=100").json()
    titles = {item["slug"]: item["title"] for item in body["items"]}
    assert titles == {slug: fields["title"] for slug, fields in RU["proposals"].items()}
    english_titles = {item["slug"]: item["title"] for item in client.get("/api/proposals?limit=100").json()["items"]}
    assert english_titles == {p["slug"]: p["title"] for p in ENGLISH["proposals"]}


def test_api_quotes_stay_english_with_translations_only_when_asked(client: TestClient) -> None:
    translated = client.get(f"/api/proposals/{PROPOSAL}?lang=uk").json()
    [reaction] = [r for r in translated["reactions"] if r["slug"] == QUOTED]
    assert reaction["quote"] == english("reactions", QUOTED)["quote"]
    assert reaction["quote_translations"] == UK["reactions"][QUOTED]["quotes"]
    english_body = client.get(f"/api/proposals/{PROPOSAL}").json()
    [plain] = [r for r in english_body["reactions"] if r["slug"] == QUOTED]
    assert "quote_translations" not in plain and "quote_translation" not in plain
    assert client.get(f"/api/proposals/{PROPOSAL}?lang=en").json() == english_body
    timeline = client.get("/api/timeline?lang=ru").json()
    items = [i for m in timeline["months"] for i in m["items"]] + timeline["undated"]
    [item] = [i for i in items if i["slug"] == QUOTED]
    assert item["quote_translations"] == RU["reactions"][QUOTED]["quotes"]


def test_api_bad_lang_is_a_422_naming_the_value_and_the_allowed_ones(client: TestClient) -> None:
    response = client.get("/api/actors?lang=de")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]["parameter"] == "lang" and body["detail"]["value"] == "de"
    assert body["detail"]["allowed"] == ["en", "uk", "ru"]
    assert "lang 'de'" in body["error"]


def test_api_lang_is_documented_on_every_api_operation(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    api = [path for path in paths if path.startswith("/api/")]
    assert len(api) == 11
    for path in api:
        [lang] = [p for p in paths[path]["get"]["parameters"] if p["name"] == "lang"]
        assert lang["schema"]["anyOf"][0]["enum"] == ["en", "uk", "ru"], path


# --- search per language -----------------------------------------------------------------------------


def test_a_search_on_uk_matches_ukrainian_text(client: TestClient) -> None:
    # A word of the uk title of the demilitarized zone, in another case than written.
    word = "ДЕМІЛІТАРИЗОВАНА"
    assert word.lower() in UK["proposals"]["demilitarized-zone"]["title"].lower()
    page = soup(client.get(f"/uk/?q={word}"))
    assert page.find(id="proposal-demilitarized-zone") is not None
    assert "<mark>" in str(page) or page.find("mark") is not None
    # English documents hold no Ukrainian, Russian ones no Ukrainian spelling of it.
    assert client.get(f"/api/proposals?q={word}").json()["count"] == 0
    assert client.get(f"/api/proposals?q={word}&lang=ru").json()["count"] == 0
    found = client.get(f"/api/proposals?q={word}&lang=uk").json()
    assert "demilitarized-zone" in [item["slug"] for item in found["items"]]


def test_a_search_on_ru_matches_russian_text_and_english_keeps_stemming(client: TestClient) -> None:
    found = client.get("/api/proposals?lang=ru&q=миротворческий").json()
    assert "european-peacekeeping-contingent" in [item["slug"] for item in found["items"]]
    # English: Porter stemming ("rejected" finds "rejects"); uk and ru: no stemming, whole forms (and a prefix while typing).
    assert client.get("/api/proposals?q=peacekeepers").json()["count"] >= 1
    assert client.get("/api/proposals?lang=uk&q=миротворчі").json()["count"] >= 1


def test_a_language_without_translations_searches_and_shows_english(synth_client: TestClient) -> None:
    english_body = synth_client.get("/api/proposals?limit=5").json()
    assert synth_client.get("/api/proposals?limit=5&lang=uk").json()["items"] == english_body["items"]
    word = english_body["items"][0]["title"].split()[0]
    assert synth_client.get(f"/api/proposals?q={word}&lang=uk").json()["count"] == synth_client.get(f"/api/proposals?q={word}").json()["count"]


def test_migration_0007_round_trip_keeps_the_english_search(db: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from app.config import PROJECT_ROOT

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = sqlite_url(db)
    command.downgrade(config, "0006")
    with sqlite3.connect(db) as connection:
        assert "translations" not in {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        assert connection.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH 'rejected'").fetchone()[0] > 0
    command.upgrade(config, "head")
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH 'rejected'").fetchone()[0] > 0
    import_live(sqlite_url(db), [SEEDS_DIR], force=True)
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM search_fts_plain WHERE search_fts_plain MATCH 'відкласти'").fetchone()[0] > 0


def test_a_record_left_out_of_a_translation_is_missing_field_by_field(translated_copy: Path) -> None:
    edit_translation(translated_copy, "uk", lambda d: d["actors"].pop("vladimir-putin"))
    with pytest.raises(SeedValidationError) as caught:
        load_seed_set([translated_copy])
    # His name, role and affiliation, each named.
    assert sorted(e.path for e in caught.value.errors) == [f"actors.vladimir-putin.{f}" for f in ("affiliation", "name", "role")]
