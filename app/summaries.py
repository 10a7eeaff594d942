"""Summary sentences built from counts: each one says only what its data shows (tests/test_summaries.py
checks every one against the data, on the seeds and on synthetic data)."""

import datetime as dt
from collections import Counter

from app.i18n import gettext
from app.models import CorrectionChange, Side
from app.vocabulary import CORRECTION_COUNTS, SIDE_NAMES, and_list, day_label, ngettext

# The order /compare leads with: where the two differ, then where only one has spoken, then agreement.
COMPARE_ORDER = ("opposed", "differ", "only-a", "only-b", "agree")


def _either_or(clauses: list[str]) -> str:
    """'where A or where B or where C': clauses joined one by one, as the language joins two."""
    joined = clauses[0]
    for clause in clauses[1:]:
        joined = gettext("%(first)s or %(second)s", first=joined, second=clause)
    return joined


def compare_summary(a: str, b: str, counts: dict[str, int]) -> list[str]:
    """'Vladimir Putin and Volodymyr Zelenskyy, over the 9 proposals either has spoken on: on 2 proposals
    one sets conditions and the other does not; only …', then one line naming the empty groups."""
    total = sum(counts.get(relation, 0) for relation in COMPARE_ORDER)
    if total == 0:
        return [gettext("Neither %(a)s nor %(b)s has spoken on any proposal in the article.", a=a, b=b)]

    def clause(relation: str, n: int) -> str:
        if relation == "opposed":
            return ngettext("they are opposed outright on %(num)s proposal", "they are opposed outright on %(num)s proposals", n)
        if relation == "differ":
            return ngettext(
                "on %(num)s proposal one sets conditions and the other does not",
                "on %(num)s proposals one sets conditions and the other does not",
                n,
            )
        if relation in ("only-a", "only-b"):
            name = a if relation == "only-a" else b
            return ngettext("only %(name)s has spoken on %(num)s proposal", "only %(name)s has spoken on %(num)s proposals", n, name=name)
        return ngettext("they agree on %(num)s proposal", "they agree on %(num)s proposals", n)

    def where(relation: str) -> str:
        if relation == "opposed":
            return gettext("where they are opposed outright")
        if relation == "differ":
            return gettext("where one sets conditions and the other does not")
        if relation in ("only-a", "only-b"):
            return gettext("where only %(name)s has spoken", name=a if relation == "only-a" else b)
        return gettext("where they agree")

    present = [clause(r, counts[r]) for r in COMPARE_ORDER if counts.get(r)]
    sentences = [
        ngettext(
            "%(a)s and %(b)s, over the %(num)s proposal either has spoken on: %(clauses)s.",
            "%(a)s and %(b)s, over the %(num)s proposals either has spoken on: %(clauses)s.",
            total,
            a=a,
            b=b,
            clauses="; ".join(present),
        )
    ]
    missing = [where(r) for r in COMPARE_ORDER if not counts.get(r)]
    if missing:
        sentences.append(gettext("No proposal %(cases)s.", cases=_either_or(missing)))
    return sentences


def common_ground_mark(silent_principal_sides: list[Side], any_principal_rejects: bool) -> str | None:
    """The mark beside a proposal no principal side rejects, naming any principal side that is silent:
    silence is not agreement, so the two cases never share a mark."""
    if any_principal_rejects:
        return None
    if not silent_principal_sides:
        return gettext("Every principal side has spoken, and none rejects it")
    return ngettext(
        "No principal side that has spoken rejects it, but %(names)s has not spoken in the article",
        "No principal side that has spoken rejects it, but %(names)s have not spoken in the article",
        len(silent_principal_sides),
        names=and_list([SIDE_NAMES[side] for side in silent_principal_sides]),
    )


def review_heading(day: dt.date, changes: list[CorrectionChange]) -> str:
    """'Review of 29 November 2026: 40 records corrected, 9 marked as our reading, 2 removed, 4 added'."""
    tally = Counter(changes)
    parts = [CORRECTION_COUNTS[change](tally[change]) for change in CORRECTION_COUNTS if tally[change]]
    return gettext("Review of %(day)s: %(changes)s", day=day_label(day), changes=and_list(parts))


def embed_date_line(as_of: dt.date | None, latest_label: str | None, stances: int) -> str:
    """The embed's last line: as of a day, the latest date in view, or why there is none."""
    if as_of:
        return gettext("As of %(day)s: only what was said by that day.", day=day_label(as_of))
    if latest_label:
        return gettext("State of play as last reported: %(date)s.", date=latest_label)
    if stances:
        # Stances were listed above but none carries a date: say that, not "no stances".
        return ngettext("The article does not date this stance.", "The article dates none of these stances.", stances)
    return gettext("No stances reported in the article yet.")
