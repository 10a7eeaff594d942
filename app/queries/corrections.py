"""The public corrections log, as a page, JSON and an Atom feed."""

from sqlalchemy.orm import Session

from app.models import Precision
from app.queries.feeds import TAG, feed_updated
from app.queries.proposals import corrections_out, corrections_query
from app.schemas import CorrectionList, CorrectionOut, DateOut, Feed, FeedEntry

CORRECTIONS_FEED_PATH = "/corrections.atom"


def list_corrections(session: Session) -> CorrectionList:
    items = corrections_out(session.scalars(corrections_query()).all())
    return CorrectionList(items=items, count=len(items))


def correction_title(correction: CorrectionOut) -> str:
    where = f" on “{correction.proposal.title}”" if correction.proposal else ""
    return f"{correction.change_label}: {correction.record_kind.value} {correction.record_slug}{where}"


def corrections_feed(session: Session) -> Feed:
    corrections = list_corrections(session).items
    entries = [
        FeedEntry(
            id=f"{TAG}correction/{c.corrected_on.isoformat()}/{c.record_kind.value}/{c.record_slug}",
            kind="correction",
            slug=c.record_slug,
            title=correction_title(c),
            path=c.url,
            date=DateOut.of(c.corrected_on, Precision.day),
            authors=["Truce Explorer"],
            summary=f"{c.what_changed} Why: {c.why}",
        )
        for c in corrections
    ]
    return Feed(
        id=f"{TAG}corrections",
        title="Truce Explorer: corrections",
        subtitle="Every change we made to a published record, newest first, with what changed and why.",
        # The log is editorial, a few entries per review, so one page holds it.
        path=CORRECTIONS_FEED_PATH,
        first_path=CORRECTIONS_FEED_PATH,
        page_path="/corrections",
        updated=feed_updated(session, entries),
        entries=entries,
    )
