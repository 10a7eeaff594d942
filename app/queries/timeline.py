"""The timeline: events and reactions in date order; undated ones kept apart, never guessed into place."""

import datetime as dt
import re
from collections import Counter
from typing import Any

from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.orm import Session

from app import derived
from app.errors import BadFilter, Code, Text
from app.models import Actor, Event, Precision, Proposal, Reaction, RecordKind, event_actor
from app.paging import Window, check_in_range
from app.queries.feeds import load_page_items
from app.queries.proposals import actor_url, places_out, proposal_url, quote_translation_fields, reaction_title, reaction_url, reported_by_link, source_out
from app.translations import overlay_for
from app.timeline_axis import NARROW, WIDE, Dated, TimeAxis, build_axis
from app.vocabulary import month_label
from app.web import with_query
from app.schemas import ActorLink, MonthOption, DateOut, FacetOption, ProposalRef, Timeline, TimelineFilters, TimelineItem, TimelineMonth


def _actor_link(actor: Actor) -> ActorLink:
    return ActorLink(slug=actor.slug, name=actor.name, url=actor_url(actor.slug))


def _check_slug(value: str | None, parameter: str, known: dict[str, str]) -> None:
    if value is not None and value not in known:
        raise BadFilter.unknown(parameter, value, parameter, list(known))


TIMELINE_PAGE = 100
LAYOUTS = (NARROW, WIDE)
# The proposal filter lists the proposals with the most items (and the chosen one), not thousands.
PROPOSAL_OPTIONS = 100


def _reaction_rows(actor_id: int | None, proposal_id: int | None) -> Select:
    query = select(
        literal("reaction").label("kind"),
        Reaction.id.label("id"),
        Reaction.stated_on.label("day"),
        (Reaction.stated_on_precision != Precision.day).label("rough"),
        Reaction.slug.label("slug"),
        Reaction.stated_on_end.label("end"),
        Reaction.stated_on_precision.label("precision"),
    )
    if actor_id is not None:
        query = query.where(Reaction.actor_id == actor_id)
    if proposal_id is not None:
        query = query.where(Reaction.proposal_id == proposal_id)
    return query


def _event_rows(actor_id: int | None) -> Select:
    query = select(
        literal("event").label("kind"),
        Event.id.label("id"),
        Event.occurred_on.label("day"),
        (Event.occurred_on_precision != Precision.day).label("rough"),
        Event.slug.label("slug"),
        Event.occurred_on_end.label("end"),
        Event.occurred_on_precision.label("precision"),
    )
    if actor_id is not None:
        query = query.where(Event.id.in_(select(event_actor.c.event_id).where(event_actor.c.actor_id == actor_id)))
    return query


def _page_of_items(session: Session, parts: list[Select], window: Window, dated_count: int) -> list[tuple[str, int]]:
    """(kind, id) of the page's items in timeline order: dated oldest first, then the undated.

    Each part takes at most offset + limit rows in its own order first, so SQLite walks the date
    index instead of sorting the whole union; and with `dated_count` (how many items are dated),
    a page that holds no undated item (or no dated one) does not read them at all."""
    offset, enough = window.offset, window.offset + window.limit
    wanted = [dated for dated, needed in ((True, offset < dated_count), (False, enough > dated_count)) if needed]
    if wanted == [False]:  # the undated alone: skip the dated before them
        offset, enough = offset - dated_count, enough - dated_count
    pieces = []
    for part in parts:
        day = part.selected_columns.day
        for dated in wanted:
            where = day.is_not(None) if dated else day.is_(None)
            piece = part.where(where).order_by(day, part.selected_columns.rough, part.selected_columns.slug).limit(enough).subquery()
            pieces.append(select(*piece.c))
    items = union_all(*pieces).subquery()
    rows = session.execute(
        select(items.c.kind, items.c.id)
        .order_by(items.c.day.is_(None), items.c.day, items.c.rough, items.c.kind, items.c.slug)
        .offset(offset)
        .limit(window.limit)
    )
    return [(kind, id_) for kind, id_ in rows]


def _month_label(item: TimelineItem) -> str:
    assert item.date.date is not None
    return str(item.date.date.year) if item.date.precision is Precision.year else month_label(item.date.date)


def build_timeline(
    session: Session,
    actor: str | None = None,
    proposal: str | None = None,
    window: Window = Window(0, TIMELINE_PAGE),
    axis: bool = False,
) -> Timeline:
    """One page of the timeline: dated items oldest first (grouped by month), then the undated.

    Every filter runs in SQL, and only the page's items are loaded; the month selector goes to
    the page where a month starts (`first_page_of`)."""
    # Slugs as sent ("" means any), like every slug parameter (app.routes.params.SlugFilter).
    actor = actor or None
    proposal = proposal or None
    actor_row = session.execute(select(Actor.id, Actor.slug).where(Actor.slug == actor)).first() if actor else None
    proposal_row = session.execute(select(Proposal.id, Proposal.slug).where(Proposal.slug == proposal)).first() if proposal else None
    if actor and actor_row is None:
        raise BadFilter.unknown("actor", actor, "actor", list(session.scalars(select(Actor.slug))))
    if proposal and proposal_row is None:
        raise BadFilter.unknown("proposal", proposal, "proposal", list(session.scalars(select(Proposal.slug))))
    actor_id = actor_row.id if actor_row else None
    proposal_id = proposal_row.id if proposal_row else None

    # Events are not tied to one proposal, so a proposal filter shows its reactions only.
    parts = [_reaction_rows(actor_id, proposal_id)] + ([] if proposal_id is not None else [_event_rows(actor_id)])
    # The items per date, the whole filter's: the month selector's counts, and the axis of a
    # timeline of several pages. Built at import for everyone, each actor and each proposal; an
    # actor on one proposal (their reactions to it, the one part) is grouped directly.
    who = derived.who_of_item(actor_id, proposal_id)
    all_groups = derived.day_groups(session, who) if who is not None else _date_groups(session, parts[0].subquery())
    groups = [g for g in all_groups if g.day is not None]
    undated_count = sum(g.items for g in all_groups if g.day is None)
    count = undated_count + sum(g.items for g in groups)
    check_in_range(window, count)
    page = _page_of_items(session, parts, window, dated_count=count - undated_count)
    reactions, events = load_page_items(session, page)
    items = [_reaction_item(reactions[id_]) if kind == "reaction" else _event_item(events[id_]) for kind, id_ in page]

    months: list[TimelineMonth] = []
    for item in (i for i in items if i.date.date is not None):
        label = _month_label(item)
        if not months or months[-1].label != label:
            anchor = None if item.date.precision is Precision.year else f"{item.date.date:%Y-%m}"
            months.append(TimelineMonth(label=label, anchor=anchor, items=[]))
        months[-1].items.append(item)
    undated = sorted((i for i in items if i.date.date is None), key=lambda i: (i.kind, i.title))
    params = {"actor": actor, "proposal": proposal}
    month_counts: Counter[str] = Counter()
    for day, _, precision, _, n in groups:
        if precision is not Precision.year:
            month_counts[f"{day:%Y-%m}"] += n
    if not axis:
        axes: list[TimeAxis | None] = []
    elif count <= window.limit:
        # The whole timeline is this page: one mark per item, linked to its place in the list.
        dated = [
            Dated(i.date.date, i.end or i.date.date, i.date.precision, f"#{i.anchor}", title=i.title)
            for i in items
            if i.date.date is not None
        ]
        axes = [build_axis(dated, layout=layout) for layout in LAYOUTS]
    else:
        axes = _grouped_axes(groups, params, window.limit)

    actor_counts = _actor_counts(session, proposal_id)
    proposal_counts = _proposal_counts(session, actor_id)
    shown = sorted(proposal_counts, key=lambda pid: -proposal_counts[pid])[:PROPOSAL_OPTIONS]
    if proposal_id is not None and proposal_id not in shown:
        shown.append(proposal_id)
    proposal_names = session.execute(
        select(Proposal.id, Proposal.slug, Proposal.title).where(Proposal.id.in_(shown)).order_by(Proposal.position_in_list)
    ).all()
    tr = overlay_for(session).text  # the options' names and titles in the request's language
    timeline = Timeline(
        months=months,
        undated=undated,
        count=count,
        undated_count=undated_count,
        filters=TimelineFilters(actor=actor, proposal=proposal),
        actor_options=[
            FacetOption(value=slug, label=tr(RecordKind.actor, slug, "name", name), count=actor_counts.get(id_, 0), selected=slug == actor)
            for id_, slug, name in session.execute(select(Actor.id, Actor.slug, Actor.name).order_by(Actor.name))
        ],
        proposal_options=[
            FacetOption(value=slug, label=tr(RecordKind.proposal, slug, "title", title), count=proposal_counts.get(id_, 0), selected=slug == proposal)
            for id_, slug, title in proposal_names
        ],
        month_options=[
            MonthOption(value=key, label=month_label(dt.date(int(key[:4]), int(key[5:]), 1)), count=n)
            for key, n in sorted(month_counts.items())
        ],
    )
    timeline._axes = [a for a in axes if a is not None]
    first_undated_page = (count - undated_count) // window.limit + 1
    if count > window.limit and first_undated_page != window.number:
        timeline._undated_url = with_query("/timeline", {**params, "page": first_undated_page if first_undated_page > 1 else None}) + "#month-undated"
    return timeline


def _date_groups(session: Session, rows: Any) -> list[Any]:
    """(day, end, precision, rough, items) of the items, grouped directly (an actor on one
    proposal): as `derived.day_groups`, dated ones in the list's order, then the undated."""
    return list(
        session.execute(
            select(rows.c.day, rows.c.end, rows.c.precision, rows.c.rough, func.count().label("items"))
            .group_by(rows.c.day, rows.c.end, rows.c.precision, rows.c.rough)
            .order_by(rows.c.day.is_(None), rows.c.day, rows.c.rough)
        )
    )


def _grouped_axes(groups: list[Any], params: dict[str, str | None], size: int) -> list[TimeAxis | None]:
    """A timeline of several pages is drawn from counts per date: each mark links to the page
    where its first item is, at its month's heading."""
    dated = []
    seen, first_of = 0, {}
    for day, end, precision, rough, n in groups:
        # Items before the first one of this (day, rough), in the list's own order.
        before = first_of.setdefault((day, rough), seen)
        seen += n
        page = before // size + 1
        anchor = "" if precision is Precision.year else f"#month-{day:%Y-%m}"
        href = with_query("/timeline", {**params, "page": page if page > 1 else None}) + anchor
        dated.append(Dated(day, end or day, precision, href, count=n))
    return [build_axis(dated, as_groups=True, layout=layout) for layout in LAYOUTS]


def _actor_counts(session: Session, proposal_id: int | None) -> dict[int, int]:
    """Items per actor with the proposal filter kept: their reactions, plus their events when no proposal is chosen."""
    reactions = select(Reaction.actor_id, func.count()).group_by(Reaction.actor_id)
    if proposal_id is not None:
        reactions = reactions.where(Reaction.proposal_id == proposal_id)
    counts = {a: n for a, n in session.execute(reactions)}
    if proposal_id is None:
        for actor_id, n in session.execute(select(event_actor.c.actor_id, func.count()).group_by(event_actor.c.actor_id)):
            counts[actor_id] = counts.get(actor_id, 0) + n
    return counts


def _proposal_counts(session: Session, actor_id: int | None) -> dict[int, int]:
    query = select(Reaction.proposal_id, func.count()).group_by(Reaction.proposal_id)
    if actor_id is not None:
        query = query.where(Reaction.actor_id == actor_id)
    return {p: n for p, n in session.execute(query)}


def first_page_of(session: Session, month: str, actor: str | None, proposal: str | None, size: int = TIMELINE_PAGE) -> int:
    """The page on which `month` (YYYY-MM) starts, for the month selector: items before it, over the page size."""
    if not re.fullmatch(r"\d{4}-\d{2}", month or "") or not 1 <= int(month[5:]) <= 12:
        raise BadFilter(
            Text.gettext("%(parameter)s %(value)s is not a month; write it as %(form)s, e.g. %(example)s.", parameter=Code("month"), value=Code(repr(month)), form=Code("YYYY-MM"), example=Code("2024-12")),
            parameter="month",
            value=month,
            allowed=["YYYY-MM"],
        )
    start = dt.date(int(month[:4]), int(month[5:]), 1)
    actor_id = session.scalar(select(Actor.id).where(Actor.slug == actor)) if actor else None
    proposal_id = session.scalar(select(Proposal.id).where(Proposal.slug == proposal)) if proposal else None
    if (who := derived.who_of_item(actor_id, proposal_id)) is not None:
        before = sum(g.items for g in derived.day_groups(session, who) if g.day is not None and g.day < start)
    else:  # an actor on one proposal: their few reactions to it
        rows = _reaction_rows(actor_id, proposal_id).subquery()
        before = session.scalar(select(func.count()).select_from(rows).where(rows.c.day < start)) or 0
    return before // size + 1


def _reaction_item(r: Reaction) -> TimelineItem:
    return TimelineItem(
        kind="reaction",
        slug=r.slug,
        anchor=f"reaction-{r.slug}",
        date=DateOut.of(r.stated_on, r.stated_on_precision, r.stated_on_note),
        end=r.stated_on_end,
        title=reaction_title(r, mark_basis=False),
        summary=r.summary,
        quote=r.quote,
        quotes=r.quotes,
        **quote_translation_fields(r),
        position=r.position,
        proposer=r.proposer,
        basis=r.basis,
        reported_by=r.reported_by,
        reported_by_actor=reported_by_link(r),
        rationale=r.rationale,
        evidence=r.evidence,
        actors=[_actor_link(r.actor)],
        proposal=ProposalRef(slug=r.proposal.slug, title=r.proposal.title, url=proposal_url(r.proposal.slug)),
        url=reaction_url(r.proposal.slug, r.slug),
        source=source_out(r.source),
    )


def _event_item(e: Event) -> TimelineItem:
    return TimelineItem(
        kind="event",
        slug=e.slug,
        anchor=f"event-{e.slug}",
        date=DateOut.of(e.occurred_on, e.occurred_on_precision, e.occurred_on_note),
        end=e.occurred_on_end,
        title=e.title,
        summary=e.summary,
        actors=[_actor_link(a) for a in e.actors],
        url=f"/timeline#event-{e.slug}",
        source=source_out(e.source),
        places=places_out(e.places),
    )
