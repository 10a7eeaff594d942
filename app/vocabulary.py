"""The words readers see: position, basis, evidence and change names, verbs, dates, counts.

One place for every reader-facing label, so pages, embeds, share cards and feeds say the same thing
(and so a translation can replace this module's strings). CSV and JSON field names are for machines
and stay out of here. Depends only on the models' enums, so anything may import it.
"""

import datetime as dt

from app.models import Basis, CorrectionChange, Evidence, Position, Precision, Side

# One name per position, used as the label wherever a position is named (badges, filters, headings).
POSITION_LABELS = {
    Position.supports: "Supports",
    Position.conditional: "Supports on conditions",
    Position.rejects: "Rejects",
}
POSITION_ICONS = {Position.supports: "✓", Position.conditional: "◐", Position.rejects: "✗"}
# Verbs after an actor's name, singular and plural ("NATO members set conditions on").
POSITION_VERBS = {
    Position.supports: ("supports", "support"),
    Position.conditional: ("sets conditions on", "set conditions on"),
    Position.rejects: ("rejects", "reject"),
}
PROPOSER_VERB = ("proposes", "propose")
BASIS_LABELS = {
    Basis.stated: "Stated outright",
    Basis.reported: "Reported by someone else",
    Basis.inferred: "Inferred (our reading)",
}
BASIS_DESCRIPTION = (
    "Stated: the actor’s own words or act take this position on the record, and the quote or cited passage shows it. "
    "Reported: someone else attributes it to the actor (unnamed sources, state media, another actor, an analyst), named in reported_by. "
    "Inferred: our reading of something else in the article, named in the rationale; the actor did not say it outright."
)
# Strongest first: one stated reaction makes an actor's stance stated, else one reported one makes it reported.
BASIS_ORDER: tuple[Basis, ...] = (Basis.stated, Basis.reported, Basis.inferred)
# Said wherever a proposal's proposers are listed, when the source does not name who put it forward.
PROPOSER_UNKNOWN = "Proposer not named in the source"
# The mark of a reported stance beside "Reported by …" (≈ marks an inferred one).
REPORTED_SYMBOL = "↪"


def strongest_basis(bases: "list[Basis]") -> Basis:
    return min(bases, key=BASIS_ORDER.index) if bases else Basis.stated


def basis_note(basis: Basis | None, reported_by: "str | list[str]" = "") -> str:
    """What a stance says of its basis in plain text (cards, embeds, CSV, link previews):
    nothing when stated, ' (inferred)', or ' (reported by …)'."""
    if basis is Basis.inferred:
        return " (inferred)"
    if basis is Basis.reported:
        names = reported_by if isinstance(reported_by, str) else ", ".join(dict.fromkeys(reported_by))
        return f" (reported by {names})" if names else " (reported)"
    return ""


CORRECTION_LABELS = {
    CorrectionChange.corrected: "Corrected",
    CorrectionChange.marked_inferred: "Marked as our reading",
    CorrectionChange.marked_reported: "Marked as reported by someone else",
    CorrectionChange.removed: "Removed",
    CorrectionChange.added: "Added",
}
# How a review's count of each change reads: "40 records corrected", "9 marked as our reading".
CORRECTION_COUNTS = {
    CorrectionChange.corrected: ("record corrected", "records corrected"),
    CorrectionChange.marked_inferred: ("marked as our reading", "marked as our reading"),
    CorrectionChange.marked_reported: ("marked as reported by someone else", "marked as reported by someone else"),
    CorrectionChange.removed: ("removed", "removed"),
    CorrectionChange.added: ("added", "added"),
}
EVIDENCE_LABELS = {
    Evidence.on_record: "On-record statement",
    Evidence.official_document: "Official document",
    Evidence.press_report_unnamed: "Press report citing unnamed sources",
    Evidence.analyst_assessment: "Analyst assessment",
    Evidence.second_hand_account: "Another actor’s on-record account",
}
# Sides in the order a reader looks for them: the principal sides first, then everyone else.
SIDES: tuple[Side, ...] = (Side.russia, Side.ukraine, Side.united_states, Side.europe, Side.other)
# The columns of the state of play: the sides whose stance the article is about.
GRID_SIDES: tuple[Side, ...] = (Side.russia, Side.ukraine, Side.united_states, Side.europe)
# Sides as column headings, and as named in running text ("but the United States has not spoken").
SIDE_LABELS = {
    Side.russia: "Russia",
    Side.ukraine: "Ukraine",
    Side.united_states: "United States",
    Side.europe: "Europe",
    Side.other: "Other (analysts, NATO)",
}
SIDE_SHORT = {Side.russia: "RU", Side.ukraine: "UA", Side.united_states: "US", Side.europe: "EU", Side.other: "Other"}
# As a sentence names them, taking a singular verb: "Proposals the United States supports",
# "Proposals someone outside the principal sides rejects".
SIDE_NAMES = {**SIDE_LABELS, Side.united_states: "the United States", Side.other: "someone outside the principal sides"}
SIDE_IN_SENTENCE = SIDE_NAMES
# Head nouns that make an actor's name plural ("NATO members", "Russian officials").
_PLURAL_HEADS = frozenset({"members", "officials", "sources", "leaders", "allies", "governments", "diplomats", "analysts"})


def ngettext(singular: str, plural: str, n: int) -> str:
    """The one pluralising helper (gettext's signature, so a translation can take it over)."""
    return singular if n == 1 else plural


def counted(n: int, singular: str, plural: str) -> str:
    """'1 proposal', '7 proposals', '1,200 stances'."""
    return f"{n:,} {ngettext(singular, plural, n)}"


def actor_number(name: str) -> int:
    """1 for a singular name, 2 for a plural one: the n that ngettext takes for the actor's verb."""
    words = name.split("(")[0].split()
    return 2 if words and words[-1].lower() in _PLURAL_HEADS else 1


def position_verb(position: Position, proposer: bool = False, actor_name: str = "") -> str:
    """The verb after an actor's name, in its number: 'rejects', 'NATO members set conditions on'."""
    singular, plural = PROPOSER_VERB if proposer else POSITION_VERBS[position]
    return ngettext(singular, plural, actor_number(actor_name))


def day_label(date: dt.date) -> str:
    """A full date as readers see it everywhere: '6 December 2026'."""
    return f"{date.day} {date:%B %Y}"


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def parse_day_label(text: str) -> dt.date | None:
    """The inverse of day_label, for a date a person types: '26 December 2024' (or 'December 26, 2024')."""
    words = text.replace(",", " ").split()
    if len(words) != 3:
        return None
    months = {name.lower(): number for number, name in enumerate(MONTH_NAMES, 1)}
    day, month, year = (words[0], words[1], words[2]) if words[0].isdigit() else (words[1], words[0], words[2])
    if not (day.isdigit() and year.isdigit() and month.lower() in months):
        return None
    try:
        return dt.date(int(year), months[month.lower()], int(day))
    except ValueError:
        return None


def date_label(date: dt.date | None, precision: Precision, note: str = "") -> str:
    """A date at its true precision: '26 December 2024', 'December 2024', 'late December 2024'."""
    if precision is Precision.unknown or date is None:
        return "date not given"
    if precision is Precision.approximate:
        return note or f"around {day_label(date)}"
    if precision is Precision.year:
        return str(date.year)
    if precision is Precision.month:
        return f"{date:%B %Y}"
    return day_label(date)


def file_size(n_bytes: int) -> str:
    """A size as readers say it: '240 KB', '1.2 MB' (1 KB = 1,024 bytes)."""
    if n_bytes < 1024 * 1024:
        return f"{max(1, round(n_bytes / 1024)):,} KB"
    return f"{n_bytes / (1024 * 1024):,.1f} MB"


def side_list(names: list[str]) -> str:
    """'Russia', 'Russia and Ukraine', 'Russia, Ukraine and the United States'."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def data_version_label(imported_at: dt.datetime, content_hash: str) -> str:
    """What a data version is, in words: 'Data of 29 November 2026, version 57b640bb'."""
    return f"Data of {day_label(imported_at.date())}, version {content_hash[:8]}"
