"""The Atom feeds' data: every dated reaction and event, newest first, for the site or for one actor,
in the request's language (a translated feed and its entries have their own tag URIs)."""

import datetime as dt
from types import SimpleNamespace

from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import Session, joinedload

from app.errors import NotFound
from app.i18n import DEFAULT_LOCALE, N_, Words, current_locale, gettext as _
from app.models import Actor, Event, Precision, Reaction, RecordKind, Side
from app.paging import Window
from app.queries.data_version import latest_data_version
from app.queries.proposals import actor_url, on_side, quote_translation_fields, reaction_title, reaction_url, source_out
from app.translations import overlay_for
from app.schemas import DateOut, Feed, FeedEntry
from app.vocabulary import EVIDENCE_LABELS, SIDE_LABELS
from app.web import with_query

# Tag URIs (RFC 4151): stable whatever host serves the site.
TAG = "tag:truce-explorer,2024:"
SITE_FEED_PATH = "/feed.atom"
# Before any import there is no date at all; an Atom feed still needs one.
EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


# The side feeds' subtitles, one sentence per side (its name changes its case in uk and ru).
SIDE_FEED_SUBTITLES = Words({
    Side.russia: N_("The newest dated stances by actors of Russia, and the events they took part in, newest first."),
    Side.ukraine: N_("The newest dated stances by actors of Ukraine, and the events they took part in, newest first."),
    Side.united_states: N_("The newest dated stances by actors of the United States, and the events they took part in, newest first."),
    Side.europe: N_("The newest dated stances by actors of Europe, and the events they took part in, newest first."),
    Side.other: N_("The newest dated stances by actors of someone outside the principal sides, and the events they took part in, newest first."),
})


def tag() -> str:
    """The tag URI prefix of the current language: the English one, or e.g. tag:truce-explorer,2024:uk/."""
    locale = current_locale()
    return TAG if locale == DEFAULT_LOCALE else f"{TAG}{locale}/"


def actor_feed_path(slug: str) -> str:
    return f"{actor_url(slug)}/feed.atom"


def event_url(slug: str) -> str:
    return f"/timeline#event-{slug}"


def _reaction_entry(reaction: Reaction) -> FeedEntry:
    return FeedEntry(
        id=f"{tag()}reaction/{reaction.slug}",
        kind="reaction",
        slug=reaction.slug,
        title=reaction_title(reaction),
        path=reaction_url(reaction.proposal.slug, reaction.slug),
        date=DateOut.of(reaction.stated_on, reaction.stated_on_precision, reaction.stated_on_note),
        authors=[reaction.actor.name],
        summary=reaction.summary,
        quote=reaction.quote,
        quotes=reaction.quotes,
        **quote_translation_fields(reaction),
        condition=reaction.condition,
        basis=reaction.basis,
        reported_by=reaction.reported_by,
        rationale=reaction.rationale,
        evidence_label=_(EVIDENCE_LABELS[reaction.evidence]),
        source=source_out(reaction.source),
    )


def _event_entry(event: Event) -> FeedEntry:
    return FeedEntry(
        id=f"{tag()}event/{event.slug}",
        kind="event",
        slug=event.slug,
        title=event.title,
        path=event_url(event.slug),
        date=DateOut.of(event.occurred_on, event.occurred_on_precision, event.occurred_on_note),
        authors=[actor.name for actor in event.actors],
        summary=event.summary,
        source=source_out(event.source),
    )


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


FEED_SIZE = 50


def _newest_items(session: Session, window: Window, actor_id: int | None, side: Side | None = None) -> list[tuple[str, int]]:
    """(kind, id) of one page of dated reactions and events, newest first (ties by kind, then slug).

    Each part takes at most offset + limit rows in its own order, so the date index does the work."""
    enough = window.offset + window.limit
    reactions = select(literal("reaction").label("kind"), Reaction.id.label("id"), Reaction.stated_on.label("day"), Reaction.slug.label("slug")).where(
        Reaction.stated_on.is_not(None), Reaction.stated_on_precision != Precision.unknown
    )
    events = select(literal("event").label("kind"), Event.id.label("id"), Event.occurred_on.label("day"), Event.slug.label("slug")).where(
        Event.occurred_on.is_not(None), Event.occurred_on_precision != Precision.unknown
    )
    if actor_id is not None:
        reactions = reactions.where(Reaction.actor_id == actor_id)
        events = events.where(Event.actors.any(Actor.id == actor_id))
    if side is not None:
        reactions = reactions.where(on_side(side))
        events = events.where(Event.actors.any(Actor.side == side))
    pieces = []
    for part in (reactions, events):
        piece = part.order_by(part.selected_columns.day.desc(), part.selected_columns.slug).limit(enough).subquery()
        pieces.append(select(*piece.c))
    items = union_all(*pieces).subquery()
    rows = session.execute(
        select(items.c.kind, items.c.id)
        .order_by(items.c.day.desc(), items.c.kind, items.c.slug)
        .offset(window.offset)
        .limit(window.limit + 1)  # one more says whether there is a next page
    )
    return [(kind, id_) for kind, id_ in rows]


def load_page_items(session: Session, page: list[tuple[str, int]]) -> tuple[dict[int, Reaction], dict[int, Event]]:
    """The reactions and events of one page of (kind, id) pairs, with what a feed entry or a
    timeline item shows of them, in two queries."""
    reaction_ids = [id_ for kind, id_ in page if kind == "reaction"]
    event_ids = [id_ for kind, id_ in page if kind == "event"]
    reactions = {
        r.id: r
        for r in session.scalars(
            select(Reaction)
            .where(Reaction.id.in_(reaction_ids))
            .options(joinedload(Reaction.actor), joinedload(Reaction.proposal), joinedload(Reaction.source))
        )
    }
    events = {
        e.id: e
        for e in session.scalars(select(Event).where(Event.id.in_(event_ids)).options(joinedload(Event.actors), joinedload(Event.source))).unique()
    }
    return reactions, events


def _entries(session: Session, page: list[tuple[str, int]]) -> list[FeedEntry]:
    reactions, events = load_page_items(session, page)
    return [_reaction_entry(reactions[id_]) if kind == "reaction" else _event_entry(events[id_]) for kind, id_ in page]


def _paged_feed(session: Session, window: Window, actor_id: int | None, path: str, side: Side | None = None, **fields: str) -> Feed:
    """The newest FEED_SIZE entries, and older ones on `?page=N` (RFC 5005 paged feed)."""
    page = _newest_items(session, window, actor_id, side)
    has_next = len(page) > window.limit
    entries = _entries(session, page[: window.limit])
    with_page = lambda n: with_query(path, {"side": side.value if side else None, "page": n if n > 1 else None})  # noqa: E731
    return Feed(
        path=with_page(window.number),
        first_path=with_page(1),
        next_path=with_page(window.number + 1) if has_next else None,
        prev_path=with_page(window.number - 1) if window.number > 1 else None,
        updated=feed_updated(session, entries),
        entries=entries,
        **fields,
    )


def site_feed(session: Session, window: Window = Window(0, FEED_SIZE), side: Side | None = None) -> Feed:
    """Every dated reaction and event; with `side`, only those of that side's actors."""
    if side is None:
        return _paged_feed(
            session,
            window,
            None,
            SITE_FEED_PATH,
            id=f"{tag()}feed",
            title=_("Truce Explorer: stances and events"),
            subtitle=_("The newest dated stances on Russia–Ukraine truce proposals, and the events around them, newest first; older ones on the next pages."),
            page_path="/",
        )
    return _paged_feed(
        session,
        window,
        None,
        SITE_FEED_PATH,
        side,
        id=f"{tag()}feed/side/{side.value}",
        title=_("Truce Explorer: stances and events, %(side)s", side=_(SIDE_LABELS[side])),
        subtitle=SIDE_FEED_SUBTITLES[side],
        page_path=with_query("/", {"side": side.value}),
    )


def actor_feed(session: Session, slug: str, window: Window = Window(0, FEED_SIZE)) -> Feed:
    actor = session.execute(select(Actor.id, Actor.slug, Actor.name).where(Actor.slug == slug)).first()
    if actor is None:
        raise NotFound.slug("actor", slug, {slug: overlay_for(session).text(RecordKind.actor, slug, "name", text) for slug, text in session.execute(select(Actor.slug, Actor.name))}, actor_feed_path)
    name = overlay_for(session).text(RecordKind.actor, actor.slug, "name", actor.name)  # in the request's language
    actor = SimpleNamespace(id=actor.id, slug=actor.slug, name=name)
    return _paged_feed(
        session,
        window,
        actor.id,
        actor_feed_path(actor.slug),
        id=f"{tag()}actor/{actor.slug}/feed",
        title=_("%(name)s: stances and events · Truce Explorer", name=actor.name),
        subtitle=_("The newest dated stances by %(name)s, and the events they took part in, newest first.", name=actor.name),
        page_path=actor_url(actor.slug),
    )
