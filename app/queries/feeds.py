"""The Atom feeds' data: every dated reaction and event, newest first, for the site or for one actor."""

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.errors import NotFound
from app.models import Actor, Event, Precision, Reaction
from app.queries.data_version import latest_data_version
from app.queries.proposals import actor_url, reaction_title, reaction_url, source_out
from app.schemas import EVIDENCE_LABELS, DateOut, Feed, FeedEntry

# Tag URIs (RFC 4151): stable whatever host serves the site.
TAG = "tag:truce-explorer,2024:"
SITE_FEED_PATH = "/feed.atom"
# Before any import there is no date at all; an Atom feed still needs one.
EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def actor_feed_path(slug: str) -> str:
    return f"{actor_url(slug)}/feed.atom"


def event_url(slug: str) -> str:
    return f"/timeline#event-{slug}"


def _reaction_entry(reaction: Reaction) -> FeedEntry:
    return FeedEntry(
        id=f"{TAG}reaction/{reaction.slug}",
        kind="reaction",
        slug=reaction.slug,
        title=reaction_title(reaction),
        path=reaction_url(reaction.proposal.slug, reaction.slug),
        date=DateOut.of(reaction.stated_on, reaction.stated_on_precision, reaction.stated_on_note),
        authors=[reaction.actor.name],
        summary=reaction.summary,
        quote=reaction.quote,
        condition=reaction.condition,
        basis=reaction.basis,
        rationale=reaction.rationale,
        evidence_label=EVIDENCE_LABELS[reaction.evidence],
        source=source_out(reaction.source),
    )


def _event_entry(event: Event) -> FeedEntry:
    return FeedEntry(
        id=f"{TAG}event/{event.slug}",
        kind="event",
        slug=event.slug,
        title=event.title,
        path=event_url(event.slug),
        date=DateOut.of(event.occurred_on, event.occurred_on_precision, event.occurred_on_note),
        authors=[actor.name for actor in event.actors],
        summary=event.summary,
        source=source_out(event.source),
    )


def _newest_first(entries: list[FeedEntry]) -> list[FeedEntry]:
    # A stable order for items on the same day, then newest day first.
    entries = sorted(entries, key=lambda e: (e.kind, e.slug))
    return sorted(entries, key=lambda e: e.date.date or dt.date.min, reverse=True)


def feed_updated(session: Session, entries: list[FeedEntry]) -> dt.datetime:
    """The newest entry's day; with no entries, when the data was last imported."""
    if entries and entries[0].date.date is not None:
        day = entries[0].date.date
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
    latest = latest_data_version(session)
    imported_at = latest.imported_at if latest else None
    if imported_at is None:
        return EPOCH
    return imported_at if imported_at.tzinfo else imported_at.replace(tzinfo=dt.timezone.utc)


def _dated_reactions():  # type: ignore[no-untyped-def]
    return (
        select(Reaction)
        .where(Reaction.stated_on.is_not(None), Reaction.stated_on_precision != Precision.unknown)
        .options(selectinload(Reaction.actor), selectinload(Reaction.proposal), selectinload(Reaction.source))
    )


def _dated_events():  # type: ignore[no-untyped-def]
    return (
        select(Event)
        .where(Event.occurred_on.is_not(None), Event.occurred_on_precision != Precision.unknown)
        .options(selectinload(Event.actors), selectinload(Event.source))
    )


def site_feed(session: Session) -> Feed:
    entries = [_reaction_entry(r) for r in session.scalars(_dated_reactions())]
    entries += [_event_entry(e) for e in session.scalars(_dated_events())]
    entries = _newest_first(entries)
    return Feed(
        id=f"{TAG}feed",
        title="Truce Explorer: reactions and events",
        subtitle="Every dated reaction to a Russia–Ukraine truce proposal, and the events around them, newest first.",
        path=SITE_FEED_PATH,
        page_path="/",
        updated=feed_updated(session, entries),
        entries=entries,
    )


def actor_feed(session: Session, slug: str) -> Feed:
    actor = session.scalars(select(Actor).where(Actor.slug == slug)).first()
    if actor is None:
        raise NotFound.slug("actor", slug, list(session.scalars(select(Actor.slug))))
    reactions = session.scalars(_dated_reactions().where(Reaction.actor_id == actor.id))
    events = session.scalars(_dated_events().where(Event.actors.any(Actor.id == actor.id)))
    entries = _newest_first([_reaction_entry(r) for r in reactions] + [_event_entry(e) for e in events])
    return Feed(
        id=f"{TAG}actor/{actor.slug}/feed",
        title=f"{actor.name}: reactions and events · Truce Explorer",
        subtitle=f"Every dated reaction by {actor.name}, and the events they took part in, newest first.",
        path=actor_feed_path(actor.slug),
        page_path=actor_url(actor.slug),
        updated=feed_updated(session, entries),
        entries=entries,
    )
