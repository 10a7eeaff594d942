"""The words Python writes (app/vocabulary.py and the sentences built on it) follow the request's
language: dates at their precision with no English month, counts in each language's plural forms,
a date typed in the page's language read back, place names and the map in Cyrillic; English unchanged.

These tests read the real compiled catalogs (app/locales/*/LC_MESSAGES, built by `make setup`).
"""

import datetime as dt
import re

import pytest

from app import i18n
from app.models import Basis, Position, Precision, Side
from app.places import map_tiles, place_name
from app.summaries import common_ground_mark, compare_summary, review_heading
from app.timeline_axis import Dated, build_axis
from app.vocabulary import (
    POSITION_LABELS,
    SIDE_LABELS,
    basis_note,
    date_label,
    day_label,
    file_size,
    parse_day_label,
    position_verb,
    proposals_of,
)

DAY = dt.date(2024, 12, 26)
LATIN = re.compile(r"[A-Za-z]")


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "day", "month", "about", "unknown"),
    [
        ("uk", "26 грудня 2024\u202fр.", "грудень 2024\u202fр.", "близько 26 грудня 2024\u202fр.", "дату не вказано"),
        ("ru", "26 декабря 2024\u202fг.", "декабрь 2024\u202fг.", "около 26 декабря 2024\u202fг.", "дата не указана"),
    ],
)
def test_dates_at_every_precision_in_the_language(lang: str, day: str, month: str, about: str, unknown: str) -> None:
    with i18n.using_locale(lang):
        labels = {precision: date_label(DAY, precision) for precision in Precision}
        assert labels[Precision.day] == day == day_label(DAY)
        assert labels[Precision.month] == month
        assert labels[Precision.year] == "2024"
        assert labels[Precision.approximate] == about
        assert labels[Precision.unknown] == unknown == date_label(None, Precision.day)
        assert not any(LATIN.search(label) for label in labels.values()), labels
        # No English month, in any month.
        for number in range(1, 13):
            for precision in (Precision.day, Precision.month):
                assert not LATIN.search(date_label(dt.date(2024, number, 1), precision))


def test_english_dates_are_unchanged() -> None:
    assert [date_label(DAY, p) for p in Precision] == ["26 December 2024", "December 2024", "2024", "around 26 December 2024", "date not given"]
    assert date_label(DAY, Precision.approximate, "late December 2024") == "late December 2024"
    with i18n.using_locale("uk"):
        # A note is the data's own words (translated with the data), never replaced.
        assert date_label(DAY, Precision.approximate, "наприкінці грудня") == "наприкінці грудня"


@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("uk", "26 грудня 2024"),
        ("uk", "26 грудня 2024 р."),
        ("uk", "26 грудня 2024\u202fр."),  # as day_label writes it, so the As-of field reads its own value
        ("uk", "26 груд. 2024"),
        ("ru", "26 декабря 2024"),
        ("ru", "26 декабря 2024 г."),
        ("ru", "26 декабря 2024 года"),
        ("uk", "26 December 2024"),  # English is read on every page
    ],
)
def test_a_date_typed_in_the_page_s_language_is_read(lang: str, typed: str) -> None:
    with i18n.using_locale(lang):
        assert parse_day_label(typed) == DAY
        assert parse_day_label(day_label(DAY)) == DAY


def test_reading_dates_in_english_is_unchanged() -> None:
    assert parse_day_label("26 December 2024") == DAY
    assert parse_day_label("December 26, 2024") == DAY
    assert parse_day_label("26 грудня 2024") is None  # another language's months only on its own pages
    assert parse_day_label("31 February 2024") is None
    with i18n.using_locale("uk"):
        assert parse_day_label("31 лютого 2024") is None
        assert parse_day_label("26 грудня") is None


def test_spans_say_the_full_month() -> None:
    with i18n.using_locale("uk"):
        assert i18n.day_span(dt.date(2024, 12, 19), DAY) == "19–26 грудня 2024\u202fр."
        assert i18n.day_span(dt.date(2024, 11, 21), DAY) == "21 листопада – 26 грудня 2024\u202fр."
    with i18n.using_locale("ru"):
        assert i18n.day_span(dt.date(2024, 12, 19), DAY) == "19–26 декабря 2024\u202fг."
    assert i18n.day_span(dt.date(2024, 12, 19), DAY) == "19–26 December 2024"


# --- counts ---------------------------------------------------------------------------------------

UK = {0: "0 пропозицій", 1: "1 пропозиція", 2: "2 пропозиції", 5: "5 пропозицій", 11: "11 пропозицій", 21: "21 пропозиція", 22: "22 пропозиції", 25: "25 пропозицій"}
RU = {0: "0 предложений", 1: "1 предложение", 2: "2 предложения", 5: "5 предложений", 11: "11 предложений", 21: "21 предложение", 22: "22 предложения", 25: "25 предложений"}


@pytest.mark.parametrize(("lang", "expected"), [("uk", UK), ("ru", RU)])
def test_counts_take_the_language_s_plural_form(lang: str, expected: dict[int, str]) -> None:
    with i18n.using_locale(lang):
        assert {n: i18n.ngettext("%(num)s proposal", "%(num)s proposals", n) for n in expected} == expected
        # Thousands are grouped the language's way (Babel: a no-break space).
        assert re.fullmatch(r"1\s200 позицій|1\s200 позиций", i18n.ngettext("%(num)s stance", "%(num)s stances", 1200))


def test_english_counts_are_unchanged() -> None:
    assert [i18n.ngettext("%(num)s proposal", "%(num)s proposals", n) for n in (0, 1, 2, 1200)] == ["0 proposals", "1 proposal", "2 proposals", "1,200 proposals"]
    assert file_size(300 * 1024) == "300 KB" and file_size(int(1.25 * 1024 * 1024)) == "1.2 MB"


def test_sizes_in_the_language() -> None:
    with i18n.using_locale("uk"):
        assert file_size(300 * 1024) == "300 КБ"
        assert file_size(int(1.25 * 1024 * 1024)) == "1,2 МБ"


# --- words and sentences --------------------------------------------------------------------------


def test_labels_follow_the_language_at_each_lookup() -> None:
    assert POSITION_LABELS[Position.rejects] == "Rejects"
    with i18n.using_locale("uk"):
        assert POSITION_LABELS[Position.rejects] == "Відхиляє"
        assert SIDE_LABELS[Side.united_states] == "США"
    with i18n.using_locale("ru"):
        assert POSITION_LABELS[Position.conditional] == "Поддерживает при условиях"
    assert POSITION_LABELS[Position.rejects] == "Rejects"


def test_verbs_agree_with_the_actor() -> None:
    assert position_verb(Position.conditional, actor_name="NATO members") == "set conditions on"
    with i18n.using_locale("uk"):
        assert position_verb(Position.rejects, actor_name="Володимир Путін") == "відхиляє"
        assert position_verb(Position.rejects, actor_name="Члени НАТО") == "відхиляють"
        assert proposals_of("США", Position.supports, 2) == "Пропозиції, які США підтримують"
    with i18n.using_locale("ru"):
        assert position_verb(Position.supports, actor_name="Страны — члены НАТО") == "поддерживают"


def test_sentences_have_no_english_words() -> None:
    for lang in i18n.TRANSLATED:
        with i18n.using_locale(lang):
            sentences = [
                *compare_summary("А", "Б", {"opposed": 1, "differ": 2, "only-a": 5, "only-b": 0, "agree": 21}),
                *compare_summary("А", "Б", {}),
                common_ground_mark([Side.ukraine, Side.united_states], False) or "",
                common_ground_mark([], False) or "",
                review_heading(DAY, []),
                basis_note(Basis.inferred),
                basis_note(Basis.reported, ["А"]),
                basis_note(Basis.reported),
            ]
            for sentence in sentences:
                assert sentence and not LATIN.search(sentence), (lang, sentence)


def test_the_time_axis_speaks_the_language() -> None:
    items = [
        Dated(DAY, DAY, Precision.day, "#a", title="А"),
        Dated(DAY, DAY, Precision.day, "#b", title="Б"),
        Dated(dt.date(2024, 11, 1), dt.date(2024, 11, 1), Precision.month, "#c", title="В"),
        Dated(dt.date(2024, 6, 10), dt.date(2024, 6, 20), Precision.approximate, "#d", title="Г"),
        Dated(dt.date(2014, 1, 1), dt.date(2014, 12, 31), Precision.year, "#e", title="Д"),
    ]
    with i18n.using_locale("uk"):
        axis = build_axis(items)
        assert axis is not None
        words = [m.name for m in axis.marks] + [text for _, text in axis.breaks] + [label.text for label in axis.labels]
        words += [axis.first_words, axis.last_words]
        assert not any(LATIN.search(w) for w in words), words
        grouped = build_axis([Dated(DAY, DAY, Precision.day, "#a", count=2), Dated(dt.date(2024, 11, 1), dt.date(2024, 11, 1), Precision.month, "#c", count=5)], as_groups=True)
        assert grouped is not None
        assert [m.name for m in grouped.marks] == ["5 записів за листопад 2024\u202fр.", "2 записи за 26 грудня 2024\u202fр."]
    grouped = build_axis([Dated(DAY, DAY, Precision.day, "#a", count=2)], as_groups=True)
    assert grouped is not None and grouped.marks[0].name == "2 items on 26 December 2024"


def test_places_and_the_map_in_cyrillic() -> None:
    assert place_name("UA-14") == "Donetsk"
    for lang in i18n.TRANSLATED:
        with i18n.using_locale(lang):
            tiles = map_tiles(["UA-14"])
            assert not any(LATIN.search(t.name + t.label) for t in tiles), [(t.name, t.label) for t in tiles if LATIN.search(t.name + t.label)]
            assert len({t.label for t in tiles}) == len(tiles)  # each label names one region
    with i18n.using_locale("uk"):
        assert place_name("UA-14") == "Донецька область" and place_name("UA-30") == "Київ"
    with i18n.using_locale("ru"):
        assert place_name("UA-30") == "Киев" and place_name("UA-48") == "Николаевская область"
