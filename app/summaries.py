"""Summary sentences built from counts: each one says only what its data shows (tests/test_summaries.py
checks every one against the data, on the seeds and on synthetic data)."""

import datetime as dt
from collections import Counter

from app.models import CorrectionChange, Side
from app.vocabulary import CORRECTION_COUNTS, SIDE_NAMES, counted, day_label, ngettext, side_list

# The order /compare leads with: where the two differ, then where only one has spoken, then agreement.
COMPARE_ORDER = ("opposed", "differ", "only-a", "only-b", "agree")


def compare_summary(a: str, b: str, counts: dict[str, int]) -> list[str]:
    """'Vladimir Putin and Volodymyr Zelenskyy, over the 9 proposals either has spoken on: on 2 proposals
    one sets conditions and the other does not; only …', then one line naming the empty groups."""
    total = sum(counts.get(relation, 0) for relation in COMPARE_ORDER)
    if total == 0:
        return [f"Neither {a} nor {b} has spoken on any proposal in the article."]

    def clause(relation: str, n: int) -> str:
        proposals = counted(n, "proposal", "proposals")
        return {
            "opposed": f"they are opposed outright on {proposals}",
            "differ": f"on {proposals} one sets conditions and the other does not",
            "only-a": f"only {a} has spoken on {proposals}",
            "only-b": f"only {b} has spoken on {proposals}",
            "agree": f"they agree on {proposals}",
        }[relation]

    empty = {
        "opposed": "they are opposed outright",
        "differ": "one sets conditions and the other does not",
        "only-a": f"only {a} has spoken",
        "only-b": f"only {b} has spoken",
        "agree": "they agree",
    }
    present = [clause(r, counts[r]) for r in COMPARE_ORDER if counts.get(r)]
    sentences = [f"{a} and {b}, over the {counted(total, 'proposal', 'proposals')} either has spoken on: {'; '.join(present)}."]
    missing = [empty[r] for r in COMPARE_ORDER if not counts.get(r)]
    if missing:
        sentences.append("No proposal where " + " or where ".join(missing) + ".")
    return sentences


def common_ground_mark(silent_principal_sides: list[Side], any_principal_rejects: bool) -> str | None:
    """The mark beside a proposal no principal side rejects, naming any principal side that is silent:
    silence is not agreement, so the two cases never share a mark."""
    if any_principal_rejects:
        return None
    if not silent_principal_sides:
        return "Every principal side has spoken, and none rejects it"
    names = side_list([SIDE_NAMES[side] for side in silent_principal_sides])
    verb = ngettext("has", "have", len(silent_principal_sides))
    return f"No principal side that has spoken rejects it, but {names} {verb} not spoken in the article"


def review_heading(day: dt.date, changes: list[CorrectionChange]) -> str:
    """'Review of 29 November 2026: 40 records corrected, 9 marked as our reading, 2 removed, 4 added'."""
    tally = Counter(changes)
    parts = [f"{tally[change]:,} {ngettext(*CORRECTION_COUNTS[change], tally[change])}" for change in CORRECTION_COUNTS if tally[change]]
    return f"Review of {day_label(day)}: " + side_list(parts)


def embed_date_line(as_of: dt.date | None, latest_label: str | None, stances: int) -> str:
    """The embed's last line: as of a day, the latest date in view, or why there is none."""
    if as_of:
        return f"As of {day_label(as_of)}: only what was said by that day."
    if latest_label:
        return f"State of play as last reported: {latest_label}."
    if stances:
        # Stances were listed above but none carries a date: say that, not "no stances".
        return ngettext("The article does not date this stance.", "The article dates none of these stances.", stances)
    return "No stances reported in the article yet."
