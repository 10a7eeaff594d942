"""The public corrections log, as a page, JSON and an Atom feed."""

from collections import defaultdict
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Actor, Event, Precision, Proposal, Reaction, RecordKind, Source
from app.i18n import N_, gettext as _
from app.queries.feeds import feed_updated, tag
from app.queries.proposals import corrections_out, corrections_query
from app.schemas import CorrectionList, CorrectionOut, CorrectionReview, DateOut, Feed, FeedEntry
from app.summaries import review_heading
from app.translations import overlay_for

CORRECTIONS_FEED_PATH = "/corrections.atom"


def _record_titles(session: Session, corrections: list[CorrectionOut]) -> dict[tuple[RecordKind, str], str]:
    """What readers call each logged record (a title or a name), one query per kind of record."""
    wanted: dict[RecordKind, set[str]] = defaultdict(set)
    for c in corrections:
        wanted[c.record_kind].add(c.record_slug)
    columns = {
        RecordKind.source: (Source.slug, Source.title),
        RecordKind.actor: (Actor.slug, Actor.name),
        RecordKind.proposal: (Proposal.slug, Proposal.title),
        RecordKind.event: (Event.slug, Event.title),
    }
    titles: dict[tuple[RecordKind, str], str] = {}
    tr = overlay_for(session).text  # what readers call them, in the request's language
    for kind, slugs in wanted.items():
        if kind is RecordKind.reaction:
            rows = [
                (slug, tr(RecordKind.actor, actor_slug, "name", actor), tr(RecordKind.proposal, proposal_slug, "title", proposal))
                for slug, actor_slug, actor, proposal_slug, proposal in session.execute(
                    select(Reaction.slug, Actor.slug, Actor.name, Proposal.slug, Proposal.title)
                    .join(Actor, Actor.id == Reaction.actor_id)
                    .join(Proposal, Proposal.id == Reaction.proposal_id)
                    .where(Reaction.slug.in_(slugs))
                )
            ]
            titles.update({(kind, slug): _("%(actor)s on “%(proposal)s”", actor=actor, proposal=proposal) for slug, actor, proposal in rows})
        else:
            slug_column, title_column = columns[kind]
            titles.update({
                (kind, slug): tr(kind, slug, title_column.key, title)
                for slug, title in session.execute(select(slug_column, title_column).where(slug_column.in_(slugs)))
            })
    return titles


# A removed record is gone, so it is named by its kind (and a stance by its proposal).
_REMOVED = {
    RecordKind.reaction: N_("A stance, since removed"),
    RecordKind.source: N_("A source, since removed"),
    RecordKind.actor: N_("An actor, since removed"),
    RecordKind.proposal: N_("A proposal, since removed"),
    RecordKind.event: N_("An event, since removed"),
}


def _named(correction: CorrectionOut, titles: dict[tuple[RecordKind, str], str]) -> CorrectionOut:
    title = titles.get((correction.record_kind, correction.record_slug))
    if title is None and correction.record_kind is RecordKind.reaction and correction.proposal:
        title = _("A stance on “%(proposal)s”, since removed", proposal=correction.proposal.title)
    elif title is None:
        title = _(_REMOVED[correction.record_kind])
    return correction.model_copy(update={"record_title": title})


def list_corrections(session: Session) -> CorrectionList:
    items = corrections_out(session.scalars(corrections_query()).all())
    titles = _record_titles(session, items)
    items = [_named(c, titles) for c in items]
    reviews = [
        CorrectionReview(corrected_on=day, heading=review_heading(day, [c.change for c in group]), ids=[c.id for c in group])
        for day, group in ((day, list(group)) for day, group in groupby(items, key=lambda c: c.corrected_on))
    ]
    return CorrectionList(items=items, count=len(items), reviews=reviews)


def correction_title(correction: CorrectionOut) -> str:
    return f"{correction.change_label}: {correction.record_title}"


def corrections_feed(session: Session) -> Feed:
    corrections = list_corrections(session).items
    entries = [
        FeedEntry(
            id=f"{tag()}correction/{c.corrected_on.isoformat()}/{c.record_kind.value}/{c.record_slug}",
            kind="correction",
            slug=c.record_slug,
            title=correction_title(c),
            path=c.url,
            date=DateOut.of(c.corrected_on, Precision.day),
            authors=["Truce Explorer"],
            summary=_("%(what_changed)s Why: %(why)s", what_changed=c.what_changed, why=c.why),
        )
        for c in corrections
    ]
    return Feed(
        id=f"{tag()}corrections",
        title=_("Truce Explorer: corrections"),
        subtitle=_("Every change we made to a published record, newest first, with what changed and why."),
        # The log is editorial, a few entries per review, so one page holds it.
        path=CORRECTIONS_FEED_PATH,
        first_path=CORRECTIONS_FEED_PATH,
        page_path="/corrections",
        updated=feed_updated(session, entries),
        entries=entries,
    )
