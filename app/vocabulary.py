"""The words readers see: position, basis, evidence and change names, verbs, dates, counts.

One place for every reader-facing label, so pages, embeds, share cards and feeds say the same thing,
in the request's language: the tables are `Words` (msgids translated at each lookup, app.i18n) and
the helpers go through gettext, so nothing here freezes English at import. CSV and JSON field names
are for machines and stay out of here. Depends only on the models' enums and app.i18n, so anything
may import it.
"""

import datetime as dt
from collections.abc import Callable

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal

from app import i18n
from app.i18n import N_, Words, gettext, pgettext
from app.models import Basis, CorrectionChange, Evidence, Position, Precision, Side

# One name per position, used as the label wherever a position is named (badges, filters, headings).
POSITION_LABELS = Words({
    Position.supports: N_("Supports"),
    Position.conditional: N_("Supports on conditions"),
    Position.rejects: N_("Rejects"),
})
POSITION_ICONS = {Position.supports: "✓", Position.conditional: "◐", Position.rejects: "✗"}
# Verbs after an actor's name, singular and plural ("NATO members set conditions on"), in English;
# `position_verb` says them in the request's language.
POSITION_VERBS = {
    Position.supports: ("supports", "support"),
    Position.conditional: ("sets conditions on", "set conditions on"),
    Position.rejects: ("rejects", "reject"),
}
PROPOSER_VERB = ("proposes", "propose")
_VERBS: dict[Position | None, Callable[[int], str]] = {
    Position.supports: lambda n: i18n.ngettext("supports", "support", n),
    Position.conditional: lambda n: i18n.ngettext("sets conditions on", "set conditions on", n),
    Position.rejects: lambda n: i18n.ngettext("rejects", "reject", n),
    None: lambda n: i18n.ngettext("proposes", "propose", n),  # a proposer
}
BASIS_LABELS = Words({
    Basis.stated: N_("Stated outright"),
    Basis.reported: N_("Reported by someone else"),
    Basis.inferred: N_("Inferred (our reading)"),
})
BASIS_DESCRIPTION = (
    "Stated: the actor’s own words or act take this position on the record, and the quote or cited passage shows it. "
    "Reported: someone else attributes it to the actor (unnamed sources, state media, another actor, an analyst), named in reported_by. "
    "Inferred: our reading of something else in the article, named in the rationale; the actor did not say it outright."
)
# Strongest first: one stated reaction makes an actor's stance stated, else one reported one makes it reported.
BASIS_ORDER: tuple[Basis, ...] = (Basis.stated, Basis.reported, Basis.inferred)
# Said wherever a proposal's proposers are listed, when the source does not name who put it forward
# (a msgid: `proposer_unknown()` says it in the request's language).
PROPOSER_UNKNOWN = N_("Proposer not named in the source")
# The mark of a reported stance beside "Reported by …" (≈ marks an inferred one).
REPORTED_SYMBOL = "↪"


def proposer_unknown() -> str:
    return gettext(PROPOSER_UNKNOWN)


def strongest_basis(bases: "list[Basis]") -> Basis:
    return min(bases, key=BASIS_ORDER.index) if bases else Basis.stated


def basis_note(basis: Basis | None, reported_by: "str | list[str]" = "") -> str:
    """What a stance says of its basis in plain text (cards, embeds, CSV, link previews):
    nothing when stated, ' (inferred)', or ' (reported by …)'."""
    if basis is Basis.inferred:
        return " " + gettext("(inferred)")
    if basis is Basis.reported:
        names = reported_by if isinstance(reported_by, str) else ", ".join(dict.fromkeys(reported_by))
        return " " + (gettext("(reported by %(names)s)", names=names) if names else pgettext("basis", "(reported)"))
    return ""


CORRECTION_LABELS = Words({
    CorrectionChange.corrected: N_("Corrected"),
    CorrectionChange.marked_inferred: N_("Marked as our reading"),
    CorrectionChange.marked_reported: N_("Marked as reported by someone else"),
    CorrectionChange.removed: N_("Removed"),
    CorrectionChange.added: N_("Added"),
})
# How a review's count of each change reads: "40 records corrected", "9 marked as our reading".
CORRECTION_COUNTS: dict[CorrectionChange, Callable[[int], str]] = {
    CorrectionChange.corrected: lambda n: i18n.ngettext("%(num)s record corrected", "%(num)s records corrected", n),
    CorrectionChange.marked_inferred: lambda n: i18n.ngettext("%(num)s marked as our reading", "%(num)s marked as our reading", n),
    CorrectionChange.marked_reported: lambda n: i18n.ngettext(
        "%(num)s marked as reported by someone else", "%(num)s marked as reported by someone else", n
    ),
    CorrectionChange.removed: lambda n: i18n.ngettext("%(num)s removed", "%(num)s removed", n),
    CorrectionChange.added: lambda n: i18n.ngettext("%(num)s added", "%(num)s added", n),
}
EVIDENCE_LABELS = Words({
    Evidence.on_record: N_("On-record statement"),
    Evidence.official_document: N_("Official document"),
    Evidence.press_report_unnamed: N_("Press report citing unnamed sources"),
    Evidence.analyst_assessment: N_("Analyst assessment"),
    Evidence.second_hand_account: N_("Another actor’s on-record account"),
})
# Sides in the order a reader looks for them: the principal sides first, then everyone else.
SIDES: tuple[Side, ...] = (Side.russia, Side.ukraine, Side.united_states, Side.europe, Side.other)
# The columns of the state of play: the sides whose stance the article is about.
GRID_SIDES: tuple[Side, ...] = (Side.russia, Side.ukraine, Side.united_states, Side.europe)
# Sides as column headings, and as named in running text ("but the United States has not spoken").
_SIDE_LABELS = {
    Side.russia: N_("Russia"),
    Side.ukraine: N_("Ukraine"),
    Side.united_states: N_("United States"),
    Side.europe: N_("Europe"),
    Side.other: N_("Other (analysts, NATO)"),
}
SIDE_LABELS = Words(_SIDE_LABELS)
# The column headings of a narrow grid (aria-hidden beside the full name).
SIDE_SHORT = Words({Side.russia: N_("RU"), Side.ukraine: N_("UA"), Side.united_states: N_("US"), Side.europe: N_("EU"), Side.other: N_("Other")})
# As a sentence names them, taking a singular verb: "Proposals the United States supports",
# "Proposals someone outside the principal sides rejects".
SIDE_NAMES = Words({**_SIDE_LABELS, Side.united_states: N_("the United States"), Side.other: N_("someone outside the principal sides")})
SIDE_IN_SENTENCE = SIDE_NAMES
# Head nouns that make an actor's (or a side's) name plural: last in English ("NATO members", "Russian
# officials"), first in Ukrainian and Russian ("Члени НАТО", "Страны — члены НАТО", "США"), for names
# said in those languages.
_PLURAL_HEADS = frozenset({"members", "officials", "sources", "leaders", "allies", "governments", "diplomats", "analysts"})
_PLURAL_FIRST_WORDS = frozenset({
    # uk
    # and the one side name that takes a plural verb in both (США підтримують, США поддерживают)
    "сша",
    "члени", "посадовці", "представники", "джерела", "лідери", "союзники", "уряди", "дипломати", "аналітики", "країни",
    # ru
    "члены", "чиновники", "представители", "источники", "лидеры", "союзники", "правительства", "дипломаты", "аналитики", "страны",
})


def ngettext(singular: str, plural: str, n: int, **variables: str) -> str:
    """The one pluralising helper: app.i18n's, by the language's own rule (uk and ru have three forms)."""
    return i18n.ngettext(singular, plural, n, **variables)


def actor_number(name: str) -> int:
    """1 for a singular name, 2 for a plural one: the n that ngettext takes for the actor's verb."""
    words = name.split("(")[0].split()
    if not words:
        return 1
    return 2 if words[-1].lower() in _PLURAL_HEADS or words[0].lower() in _PLURAL_FIRST_WORDS else 1


def position_verb(position: Position, proposer: bool = False, actor_name: str = "") -> str:
    """The verb after an actor's name, in its number: 'rejects', 'NATO members set conditions on'."""
    return _VERBS[None if proposer else position](actor_number(actor_name))


def proposals_of(who: str | None, position: Position | None = None, n: int = 1) -> str:
    """A view's heading without its qualifiers: 'Proposals Russia rejects', 'Proposals NATO members
    have spoken on' (n=2: a plural name), 'Proposals someone supports', 'All proposals'."""
    if who:
        if position is Position.supports:
            return ngettext("Proposals %(who)s supports", "Proposals %(who)s support", n, who=who)
        if position is Position.conditional:
            return ngettext("Proposals %(who)s sets conditions on", "Proposals %(who)s set conditions on", n, who=who)
        if position is Position.rejects:
            return ngettext("Proposals %(who)s rejects", "Proposals %(who)s reject", n, who=who)
        return ngettext("Proposals %(who)s has spoken on", "Proposals %(who)s have spoken on", n, who=who)
    if position is Position.supports:
        return gettext("Proposals someone supports")
    if position is Position.conditional:
        return gettext("Proposals someone sets conditions on")
    if position is Position.rejects:
        return gettext("Proposals someone rejects")
    return gettext("All proposals")


def side_proposals(side: "Side | str", position: "Position | str | None" = None) -> str:
    """'Proposals Russia rejects', 'Proposals the United States has spoken on': a side's view, in words."""
    side = Side(side)
    return proposals_of(SIDE_IN_SENTENCE[side], Position(position) if position else None, actor_number(SIDE_IN_SENTENCE[side]))


# --- dates and numbers ------------------------------------------------------------------------------


def day_label(date: dt.date) -> str:
    """A full date as readers see it everywhere: '6 December 2026', '6 грудня 2026 р.'."""
    return i18n.day(date)


def month_label(date: dt.date) -> str:
    """A month standing alone: 'December 2024', 'грудень 2024 р.', 'декабрь 2024 г.'."""
    return i18n.month(date)


def day_and_month(date: dt.date) -> str:
    """A day of a month, the year said elsewhere: '21 November', '21 листопада'."""
    if i18n.current_locale() == i18n.DEFAULT_LOCALE:
        return f"{date.day} {date:%B}"
    return format_date(date, "d MMMM", locale=i18n.babel_locale())


def short_month(date: dt.date, with_year: bool = False) -> str:
    """A tick label: 'Dec', 'Dec 2024'; 'груд.', 'груд. 2024'."""
    if i18n.current_locale() == i18n.DEFAULT_LOCALE:
        return f"{date:%b %Y}" if with_year else f"{date:%b}"
    return format_date(date, "LLL y" if with_year else "LLL", locale=i18n.babel_locale())


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
# What may follow the year in a date a person types: 'р.', 'року' (uk), 'г.', 'года' (ru).
_YEAR_WORDS = frozenset({"р", "р.", "рік", "року", "г", "г.", "год", "года"})


def parse_day_label(text: str) -> dt.date | None:
    """The inverse of day_label, for a date a person types: '26 December 2024' (or 'December 26, 2024'),
    and in the current language '26 грудня 2024', '26 грудня 2024 р.', '26 декабря 2024 г.'."""
    words = text.replace(",", " ").split()
    if len(words) == 4 and words[3].lower() in _YEAR_WORDS:
        words = words[:3]
    elif len(words) == 3 and words[2].lower().endswith(tuple(_YEAR_WORDS)) and words[2][:4].isdigit():
        words[2] = words[2][:4]  # '2024р.'
    if len(words) != 3:
        return None
    months = {name.lower(): number for number, name in enumerate(MONTH_NAMES, 1)}
    if i18n.current_locale() != i18n.DEFAULT_LOCALE:
        months.update(i18n.month_names())
    day, month, year = (words[0], words[1], words[2]) if words[0].isdigit() else (words[1], words[0], words[2])
    month = month.lower().rstrip(".")
    if not (day.isdigit() and year.isdigit() and month in months):
        return None
    try:
        return dt.date(int(year), months[month], int(day))
    except ValueError:
        return None


def date_label(date: dt.date | None, precision: Precision, note: str = "") -> str:
    """A date at its true precision: '26 December 2024', 'December 2024', 'late December 2024'."""
    if precision is Precision.unknown or date is None:
        return gettext("date not given")
    if precision is Precision.approximate:
        return note or gettext("around %(day)s", day=day_label(date))
    if precision is Precision.year:
        return str(date.year)
    if precision is Precision.month:
        return month_label(date)
    return day_label(date)


def file_size(n_bytes: int) -> str:
    """A size as readers say it: '240 KB', '1.2 MB' (1 KB = 1,024 bytes); '240 КБ', '1,2 МБ'."""
    if n_bytes < 1024 * 1024:
        return gettext("%(num)s KB", num=i18n.number(max(1, round(n_bytes / 1024))))
    size = n_bytes / (1024 * 1024)
    if i18n.current_locale() == i18n.DEFAULT_LOCALE:
        return f"{size:,.1f} MB"
    return gettext("%(num)s MB", num=format_decimal(round(size, 1), format="#,##0.0", locale=i18n.babel_locale()))


def and_list(items: list[str]) -> str:
    """'Russia', 'Russia and Ukraine', 'Russia, Ukraine and the United States' (no serial comma in
    English); 'Росія, Україна і США' in the language's own way."""
    if len(items) <= 1:
        return "".join(items)
    if i18n.current_locale() == i18n.DEFAULT_LOCALE:
        return ", ".join(items[:-1]) + " and " + items[-1]
    return format_list(items, style="standard", locale=i18n.babel_locale())


def or_list(items: list[str]) -> str:
    """'rejects', 'rejects or supports', 'rejects, sets conditions or supports'."""
    if len(items) <= 1:
        return "".join(items)
    if i18n.current_locale() == i18n.DEFAULT_LOCALE:
        return ", ".join(items[:-1]) + " or " + items[-1]
    return format_list(items, style="or", locale=i18n.babel_locale())


side_list = and_list


def data_version_label(imported_at: dt.datetime, content_hash: str) -> str:
    """What a data version is, in words: 'Data of 29 November 2026, version 57b640bb'."""
    return gettext("Data of %(day)s, version %(version)s", day=day_label(imported_at.date()), version=content_hash[:8])
