"""Plain query functions for proposals: a session and typed filters in, view data out."""

from collections import defaultdict
from collections.abc import Iterable
import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import Select, and_, case, distinct, false, func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from app import derived
from app.errors import BadFilter, Code, NotFound, Text, closest, preview_text
from app.paging import Window, check_in_range
from app.models import Actor, Basis, Correction, CorrectionChange, Position, Proposal, Reaction, RecordKind, Side
from app.places import iso_names, place_name
from app.schemas import BasisOption, ChosenWords, CorrectionOut, StanceActor, ActorMatch, POSITIONS, ActorLink, ActorRef, AppliedFilters, DateOut, FacetOption, Facets, PlaceOut, ProposalDetail, ProposalItem, ProposalList, ProposalRef, ReactionBrief, ReactionOut, SourceOut, Stance, StanceCounts, STANCE_NAMES_PER_POSITION
from app.search import id_set, matching_documents, search_snippets
from app.text import cut_words, first_sentence
from app.translations import overlay_for, quote_translations
from app import i18n
from app.i18n import gettext
from app.vocabulary import (
    BASIS_LABELS,
    CORRECTION_LABELS,
    EVIDENCE_LABELS,
    POSITION_LABELS,
    SIDE_IN_SENTENCE,
    SIDE_LABELS,
    SIDES,
    actor_number,
    basis_note,
    day_label,
    ngettext,
    parse_day_label,
    proposals_of,
    strongest_basis,
)


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_as_of(value: str | None) -> dt.date | None:
    """`as_of=YYYY-MM-DD`: the state of play known on that day. Empty means now."""
    value = (value or "").strip()
    if not value:
        return None
    if not _ISO_DAY.match(value):
        # A person may type the date as the site writes it: "26 December 2024".
        return parse_day_label(value) or _bad_as_of(value)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return _bad_as_of(value)


def _bad_as_of(value: str) -> dt.date:
    raise BadFilter(
        Text.gettext(
            "%(parameter)s '%(value)s' is not a date; write it as a day, month and year, e.g. 1 December 2024, or as %(form)s, e.g. %(example)s.",
            parameter=Code("as_of"), value=Code(preview_text(value)), form=Code("YYYY-MM-DD"), example=Code("2024-12-01"),
        ),
        parameter="as_of",
        value=value,
        allowed=[Text.gettext("a real calendar date: 1 December 2024, or 2024-12-01"), Text.gettext("empty, for the latest state")],
    )


def known_by(as_of: dt.date | None):  # type: ignore[no-untyped-def]
    """Reactions stated by `as_of`: their last possible day is on or before it (undated ones are left out)."""
    if as_of is None:
        return true()
    return and_(Reaction.stated_on_end.is_not(None), Reaction.stated_on_end <= as_of)


def shown(as_of: dt.date | None, basis: Basis | None = None):  # type: ignore[no-untyped-def]
    """The reactions a view counts: stated by `as_of`, and of the chosen basis."""
    if basis is None:
        return known_by(as_of)
    return and_(known_by(as_of), Reaction.basis == basis)


def parse_choice(name: str, value: str | None, choices: type[Position] | type[Basis] | type[Side], allowed_values: list[str]):  # type: ignore[no-untyped-def]
    """An enum filter: empty means any; anything outside the allowed values is a BadFilter naming them."""
    value = (value or "").strip() or None
    if value is None:
        return None
    if value not in allowed_values:
        raise BadFilter(
            Text.gettext("%(parameter)s '%(value)s' is not allowed; use one of %(allowed)s.", parameter=Code(name), value=Code(preview_text(value)), allowed=Code(", ".join(allowed_values))),
            parameter=name,
            value=value,
            allowed=allowed_values,
            suggestions=closest(value, allowed_values),
        )
    return choices(value)


@dataclass(frozen=True)
class ProposalFilters:
    actor: str | None = None
    position: Position | None = None
    q: str | None = None
    as_of: dt.date | None = None
    basis: Basis | None = None
    side: Side | None = None

    @classmethod
    def parse(
        cls,
        actor: str | None,
        position: str | None,
        q: str | None,
        as_of: str | None = None,
        basis: str | None = None,
        side: str | None = None,
    ) -> "ProposalFilters":
        """Empty strings (from a form's "any" option) mean no filter; bad values raise BadFilter."""
        return cls(
            actor=actor or None,  # a slug, as sent (app.routes.params.SlugFilter)
            position=parse_choice("position", position, Position, [p.value for p in POSITIONS]),
            q=(q or "").strip() or None,
            as_of=parse_as_of(as_of),
            basis=parse_basis(basis),
            side=parse_side(side),
        )

    @property
    def shown(self):  # type: ignore[no-untyped-def]
        return shown(self.as_of, self.basis)

    @property
    def narrows_reactions(self) -> bool:
        """True when the view counts only some reactions (stated by a day, or of one basis)."""
        return self.as_of is not None or self.basis is not None


def parse_basis(value: str | None) -> Basis | None:
    return parse_choice("basis", value, Basis, [b.value for b in Basis])


def parse_side(value: str | None) -> Side | None:
    return parse_choice("side", value, Side, [side.value for side in SIDES])


def on_side(side: Side):  # type: ignore[no-untyped-def]
    """Reactions by an actor of that side."""
    return Reaction.actor_id.in_(select(Actor.id).where(Actor.side == side))


def proposal_url(slug: str) -> str:
    return f"/proposals/{slug}"


def api_proposal_url(slug: str, as_of: dt.date | None = None) -> str:
    """A proposal's API record, as of the view's day when it has one."""
    return f"/api/proposals/{slug}" + (f"?as_of={as_of.isoformat()}" if as_of else "")


def actor_url(slug: str) -> str:
    return f"/actors/{slug}"


def reaction_url(proposal_slug: str, reaction_slug: str) -> str:
    """A reaction's anchor on its proposal's page."""
    return f"{proposal_url(proposal_slug)}#reaction-{reaction_slug}"


def effective_position(reaction: Reaction | ReactionBrief) -> Position:
    """A proposer supports its own proposal, whatever else it said about it."""
    return Position.supports if reaction.proposer else reaction.position


def position_matches(position: Position):  # type: ignore[no-untyped-def]
    # A proposer supports its own proposal, whatever else it said about it.
    if position is Position.supports:
        return or_(Reaction.position == position, Reaction.proposer.is_(True))
    return Reaction.position == position


def resolve_actor(session: Session, slug: str) -> Actor:
    actor = session.scalars(select(Actor).where(Actor.slug == slug)).first()
    if actor is None:
        raise BadFilter.unknown("actor", slug, "actor", list(session.scalars(select(Actor.slug))))
    return actor


def filter_actor_id(session: Session, filters: ProposalFilters) -> int | None:
    actor = filter_actor(session, filters)
    return actor.id if actor else None


def filter_actor(session: Session, filters: ProposalFilters) -> Actor | None:
    """The chosen actor; with a side chosen too, the actor must be on that side (else a 422)."""
    if not filters.actor:
        return None
    actor = resolve_actor(session, filters.actor)
    if filters.side is not None and actor.side is not filters.side:
        members = list(session.scalars(select(Actor.slug).where(Actor.side == filters.side).order_by(Actor.slug)))
        raise BadFilter(
            Text.gettext(
                "%(parameter)s '%(value)s' is on the side %(side)s, not %(chosen)s; choose an actor of %(side_name)s, or drop %(side_parameter)s or %(parameter)s.",
                parameter=Code("actor"), value=Code(preview_text(filters.actor)), side=Code(actor.side.value), chosen=Code(filters.side.value),
                side_name=lambda side=filters.side: SIDE_LABELS[side], side_parameter=Code("side"),
            ),
            parameter="actor",
            value=filters.actor,
            allowed=members,
        )
    return actor


def search_matches(session: Session, q: str | None, filters: ProposalFilters) -> tuple[Select | None, list[ActorMatch]]:
    """The ids of the proposals `q` matches, as a subquery (None when there is no text filter), and
    the matching actors. A reaction matches only if the view shows it (stated by `as_of`, of `basis`)."""
    if q is None:
        return None, []
    actor_hits = {h.actor_id: h.snippet for h in search_snippets(session, q, kind="actor")}
    actors = session.scalars(select(Actor).where(Actor.id.in_(list(actor_hits))).order_by(Actor.name)).all() if actor_hits else []
    actor_matches = [ActorMatch(slug=a.slug, name=a.name, url=actor_url(a.slug), snippet=actor_hits[a.id]) for a in actors]
    documents = matching_documents(session, q)
    if documents is None:
        return select(Proposal.id).where(false()), actor_matches
    matches = select(documents.c.proposal_id).where(documents.c.kind.in_(("proposal", "reaction"))).distinct()
    if filters.narrows_reactions:
        matches = matches.where(
            or_(documents.c.reaction_id.is_(None), documents.c.reaction_id.in_(select(Reaction.id).where(filters.shown)))
        )
    # Run the text match once; the count, the page and the facets reuse its proposal ids.
    ids = [id_ for id_ in session.scalars(matches) if id_ is not None]
    return id_set(session, ids), actor_matches


def best_snippets(session: Session, q: str, proposal_ids: list[int], filters: ProposalFilters) -> dict[int, str]:
    """proposal id -> the best matching snippet, for one page of results."""
    hits = search_snippets(session, q, proposal_ids=proposal_ids)
    known: set[int] | None = None
    if filters.narrows_reactions:
        reaction_ids = [h.reaction_id for h in hits if h.reaction_id is not None]
        known = set(session.scalars(select(Reaction.id).where(Reaction.id.in_(reaction_ids), filters.shown)))
    snippets: dict[int, str] = {}
    for hit in hits:
        if known is not None and hit.reaction_id is not None and hit.reaction_id not in known:
            continue
        if hit.proposal_id is not None and hit.kind in ("proposal", "reaction"):
            snippets.setdefault(hit.proposal_id, f"{hit.title}: {hit.snippet}" if hit.kind == "reaction" else hit.snippet)
    return snippets


def stance_from(entries: Iterable[tuple[str, str, Position, Basis, str]]) -> Stance:
    """Each actor once per position, from (actor slug, name, effective position, basis, reported_by):
    the stance takes the strongest basis behind it (one stated reaction makes it stated), and
    names who reports it only when reported is the strongest."""
    groups: dict[Position, dict[str, StanceActor]] = defaultdict(dict)
    for slug, name, position, basis, reported_by in entries:
        entry = groups[position].setdefault(slug, StanceActor(slug=slug, name=name, basis=basis))
        entry.basis = strongest_basis([entry.basis, basis])
        if basis is Basis.reported and reported_by and reported_by not in entry.reported_by:
            entry.reported_by.append(reported_by)
    for group in groups.values():
        for entry in group.values():
            if entry.basis is not Basis.reported:
                entry.reported_by = []
            entry.inferred = entry.basis is Basis.inferred
    return Stance(**{p.value: list(groups[p].values()) for p in POSITIONS})


def _stance(reactions: list[Reaction]) -> Stance:
    return stance_from(
        (r.actor.slug, r.actor.name, effective_position(r), r.basis, r.reported_by) for r in reactions
    )


def _proposers(reactions: list[Reaction]) -> list[Actor]:
    seen: dict[str, Actor] = {}
    for reaction in reactions:
        if reaction.proposer:
            seen.setdefault(reaction.actor.slug, reaction.actor)
    return list(seen.values())


def _sorted_reactions(reactions: list[Reaction]) -> list[Reaction]:
    # Proposers first, then in the order stated (undated last), then by name.
    return sorted(
        reactions,
        key=lambda r: (not r.proposer, r.stated_on is None, r.stated_on or 0, r.actor.name, r.slug),
    )


def narrows_proposals(filters: ProposalFilters, actor_id: int | None) -> bool:
    """True when some proposals fall out for lack of a matching reaction (not only by text)."""
    return actor_id is not None or filters.side is not None or filters.position is not None or filters.narrows_reactions


def matching_proposal_ids(filters: ProposalFilters, actor_id: int | None, search: Select | None) -> Select:
    """The ids of the proposals a filter gives, as a subquery: the reactions' part read from the
    derived tables (app.derived), the text's from the search index."""
    if narrows_proposals(filters, actor_id):
        query = derived.reached(derived.who(actor_id, filters.side), filters.position, filters.basis, filters.as_of)
    else:
        query = select(Proposal.id)
    if search is not None:
        query = query.where(query.selected_columns[0].in_(search))
    return query


def card_order() -> list:  # type: ignore[type-arg]
    """Reactions by proposal in card order: proposers first, then in the order stated (undated last), then by name."""
    return [Reaction.proposal_id, Reaction.proposer.desc(), Reaction.stated_on.is_(None), Reaction.stated_on, Actor.name, Reaction.slug]


def reaction_briefs(session: Session, proposal_ids: list[int], filters: ProposalFilters) -> dict[int, list[ReactionBrief]]:
    """The reactions of some proposals, only the columns a card shows, in card order:
    proposers first, then in the order stated (undated last), then by name."""
    if not proposal_ids:
        return {}
    rows = session.execute(
        select(
            Reaction.proposal_id, Reaction.slug, Actor.slug, Actor.name, Reaction.position, Reaction.proposer, Reaction.basis,
            Reaction.reported_by,
        )
        .join(Actor, Actor.id == Reaction.actor_id)
        .where(Reaction.proposal_id.in_(proposal_ids), filters.shown)
        .order_by(*card_order())
    )
    briefs: dict[int, list[ReactionBrief]] = defaultdict(list)
    tr = overlay_for(session).text
    for proposal_id, slug, actor_slug, actor_name, position, proposer, basis, reported_by in rows:
        briefs[proposal_id].append(
            ReactionBrief(
                slug=slug, actor=actor_slug, actor_name=tr(RecordKind.actor, actor_slug, "name", actor_name), position=position,
                proposer=proposer, basis=basis, reported_by=tr(RecordKind.reaction, slug, "reported_by", reported_by),
            )
        )
    return briefs


# How a list row's reaction counts: the position it holds, or a proposer's "supports".
_HELD_AS_CODES = {position: code for code, position in enumerate(POSITIONS)}
_SUPPORTS = _HELD_AS_CODES[Position.supports]
_PROPOSES = len(POSITIONS)


def stance_summaries(session: Session, proposal_ids: list[int], filters: ProposalFilters) -> dict[int, tuple[Stance, StanceCounts, list[ActorRef]]]:
    """Per proposal of a page: its stance as a list item names it (the first actors of each
    position, in card order), how many actors hold each position, and its proposers.

    The same rules as `stance_from` (each actor once per position, the strongest basis, who reports
    it only when reported is the strongest). A busy proposal has hundreds of reactions, so the pass
    over them reads a few numbers per reaction (and who reports it, where someone does); names are
    read afterwards, for the few actors each position names."""
    if not proposal_ids:
        return {}
    held_as = case(
        (Reaction.proposer.is_(True), _PROPOSES), *[(Reaction.position == position, code) for position, code in _HELD_AS_CODES.items()]
    )
    rank = case(*[(Reaction.basis == basis, rank) for basis, rank in BASIS_RANK.items()])
    reported = and_(Reaction.basis == Basis.reported, Reaction.reported_by != "")
    # Through the connection: plain rows, without the ORM's per-row work. Who reports a reaction
    # is read only where there is one (else NULL, which costs nothing).
    rows = session.connection().execute(
        select(Reaction.proposal_id, Reaction.actor_id, held_as, rank, case((reported, Reaction.slug)), case((reported, Reaction.reported_by)))
        .join(Actor, Actor.id == Reaction.actor_id)
        .where(Reaction.proposal_id.in_(proposal_ids), filters.shown)
        .order_by(*card_order())
    ).all()
    tr = overlay_for(session).text
    reported_rank = BASIS_RANK[Basis.reported]
    # proposal -> [position -> actor -> [strongest rank, place in the group, who reports it]]
    held: dict[int, list[dict[int, list]]] = {}
    proposers: dict[int, dict[int, None]] = defaultdict(dict)
    for proposal_id, actor_id, code, basis_rank, reaction_slug, reported_by in rows:
        groups = held.get(proposal_id) or held.setdefault(proposal_id, [{} for _ in POSITIONS])
        group = groups[_SUPPORTS if code == _PROPOSES else code]
        entry = group.get(actor_id)
        if entry is None:
            entry = group[actor_id] = [basis_rank, len(group), []]
        elif basis_rank < entry[0]:
            entry[0] = basis_rank
        if reported_by is not None and entry[1] < STANCE_NAMES_PER_POSITION:
            said = tr(RecordKind.reaction, reaction_slug, "reported_by", reported_by)
            if said not in entry[2]:
                entry[2].append(said)
        if code == _PROPOSES:
            proposers[proposal_id][actor_id] = None

    named = {
        proposal_id: [list(group.items())[:STANCE_NAMES_PER_POSITION] for group in groups] for proposal_id, groups in held.items()
    }
    actor_ids = {actor_id for groups in named.values() for group in groups for actor_id, _ in group}
    actor_ids.update(actor_id for ids in proposers.values() for actor_id in ids)
    actors = {
        actor_id: (slug, tr(RecordKind.actor, slug, "name", name))
        for actor_id, slug, name in session.execute(select(Actor.id, Actor.slug, Actor.name).where(Actor.id.in_(actor_ids)))
    }

    def stance_actor(actor_id: int, basis_rank: int, reported_by: list[str]) -> StanceActor:
        slug, name = actors[actor_id]
        basis = RANKED_BASIS[basis_rank]
        return StanceActor(slug=slug, name=name, basis=basis, reported_by=reported_by if basis is Basis.reported else [], inferred=basis is Basis.inferred)

    summaries = {}
    for proposal_id, groups in held.items():
        stance = Stance(
            **{
                position.value: [stance_actor(actor_id, basis_rank, reported_by) for actor_id, (basis_rank, _, reported_by) in named[proposal_id][code]]
                for position, code in _HELD_AS_CODES.items()
            }
        )
        counts = StanceCounts(**{position.value: len(groups[code]) for position, code in _HELD_AS_CODES.items()})
        refs = [ActorRef(slug=actors[actor_id][0], name=actors[actor_id][1]) for actor_id in proposers[proposal_id]]
        summaries[proposal_id] = (stance, counts, refs)
    return summaries


def stance_of(briefs: list[ReactionBrief]) -> Stance:
    return stance_from((r.actor, r.actor_name, effective_position(r), r.basis, r.reported_by) for r in briefs)


def list_proposals(
    session: Session, filters: ProposalFilters, window: Window = Window(), *, with_reactions: bool = True, include_reactions: bool = False
) -> ProposalList:
    """One page of the filtered proposals; the count and the facet counts are for the whole filter.

    `with_reactions=False` leaves out the cards' stances (the stance grid loads its own cells);
    `include_reactions` puts every counted reaction in each item (the API's include=reactions).
    """
    actor = filter_actor(session, filters)
    actor_id = actor.id if actor else None
    search, actor_matches = search_matches(session, filters.q, filters)
    # Evaluate the filter once; the page, the stance grid and the exports reuse its ids (bound as one parameter).
    matching_ids = list(session.scalars(matching_proposal_ids(filters, actor_id, search)))
    matching = id_set(session, matching_ids)
    count = len(matching_ids)
    check_in_range(window, count)
    page = session.execute(
        select(Proposal.id, Proposal.slug, Proposal.title, Proposal.summary, Proposal.proposer_unknown)
        .where(Proposal.id.in_(matching))
        .order_by(Proposal.position_in_list, Proposal.slug)
        .offset(window.offset)
        .limit(window.limit)
    ).all()
    page_ids = [row.id for row in page]
    briefs = reaction_briefs(session, page_ids, filters) if include_reactions else {}
    summaries = stance_summaries(session, page_ids, filters) if with_reactions else {}
    chosen = chosen_words(session, page_ids, filters, actor_id) if with_reactions else {}
    snippets = best_snippets(session, filters.q, page_ids, filters) if filters.q and with_reactions else {}
    items = []
    tr = overlay_for(session).text
    for proposal_id, slug, title, summary, proposer_unknown in page:
        named, counts, proposers = summaries.get(proposal_id) or (Stance(), StanceCounts(supports=0, conditional=0, rejects=0), [])
        items.append(
            ProposalItem(
                slug=slug,
                title=tr(RecordKind.proposal, slug, "title", title),
                summary=tr(RecordKind.proposal, slug, "summary", summary),
                url=proposal_url(slug),
                reactions_url=api_proposal_url(slug, filters.as_of),
                proposers=proposers,
                proposer_unknown=proposer_unknown,
                stance_counts=counts,
                stance=named,
                reactions=briefs.get(proposal_id, []) if include_reactions else None,
                match=snippets.get(proposal_id),
                chosen=chosen.get(proposal_id, []),
            )
        )
    if filters.as_of is None:
        total = session.scalar(select(func.count(Proposal.id))) or 0
    else:  # the proposals anyone had spoken on by then
        total = derived.counts(session, derived.EVERYONE, None, None, filters.as_of)[0]
    result = ProposalList(
        items=items,
        count=count,
        filters=AppliedFilters(
            side=filters.side, actor=filters.actor, position=filters.position, basis=filters.basis, q=filters.q, as_of=filters.as_of
        ),
        facets=_facets(session, filters, actor, search),
        total=total,
        actor_matches=actor_matches,
    )
    # None when no filter narrows the proposals, so views built on the list need not restrict at all.
    narrowed = actor_id is not None or filters.side is not None or filters.position or search is not None or filters.narrows_reactions
    result._matching = matching if narrowed else None
    result._actor_id = actor_id
    result._page_ids = [row.id for row in page]
    return result


@dataclass(frozen=True)
class FacetCounts:
    """How many proposals each option of the filter form gives, with the other filters kept."""

    side: dict[Side, int]
    actor: dict[str, int]
    position: list[int]  # in POSITIONS order
    basis: list[tuple[int, int]]  # per Basis: (stances, proposals)


def _facets(session: Session, filters: ProposalFilters, actor: Actor | None, search: Select | None) -> Facets:
    """Counts for each option: how many proposals it gives, with the other filters kept."""
    counted = _derived_facet_counts(session, filters, actor) if search is None else _searched_facet_counts(session, filters, actor, search)
    chosen_actor_side = actor.side if actor else None
    side_options = [
        FacetOption(
            value=side.value,
            label=SIDE_LABELS[side],
            count=counted.side.get(side, 0),
            selected=side == filters.side,
            # With an actor chosen, only their side is a choice that can hold.
            disabled=chosen_actor_side is not None and side is not chosen_actor_side,
        )
        for side in SIDES
    ]
    # Every actor is an option, even when the filters (or the "as of" day) leave them at 0,
    # so a chosen actor never drops out of the form. Grouped by side, principal sides first.
    all_actors = session.execute(select(Actor.slug, Actor.name, Actor.side).order_by(side_order(), Actor.name))
    tr = overlay_for(session).text
    actor_options = [
        FacetOption(
            value=slug,
            label=tr(RecordKind.actor, slug, "name", name),
            count=counted.actor.get(slug, 0) if filters.side is None or side is filters.side else 0,
            selected=slug == filters.actor,
            side=side,
            disabled=filters.side is not None and side is not filters.side,
        )
        for slug, name, side in all_actors
    ]
    position_options = [
        FacetOption(value=p.value, label=POSITION_LABELS[p], count=count, selected=p == filters.position)
        for p, count in zip(POSITIONS, counted.position, strict=True)
    ]
    basis_options = [
        BasisOption(value=basis, label=BASIS_LABELS[basis], stances=stances, count=count, selected=basis == filters.basis)
        for basis, (stances, count) in zip(Basis, counted.basis, strict=True)
    ]
    return Facets(side=side_options, actor=actor_options, position=position_options, basis=basis_options)


def _derived_facet_counts(session: Session, filters: ProposalFilters, actor: Actor | None) -> FacetCounts:
    """The facet counts without a text filter: a few rows of the derived tables (app.derived), in one statement."""
    as_of, position, basis = filters.as_of, filters.position, filters.basis
    chosen = derived.who(actor.id if actor else None, filters.side)
    # Side: with an actor chosen, only their side holds their count; otherwise each side's own.
    side_who = {side: derived.who(side=side) for side in SIDES} if actor is None else {actor.side: chosen}
    columns = [derived.count_of(w, position, basis, as_of) for w in side_who.values()]
    columns += [derived.count_of(chosen, p, basis, as_of) for p in POSITIONS]
    columns += [derived.count_of(chosen, position, b, as_of, column) for b in Basis for column in ("stances", "proposals")]
    row = session.execute(select(*columns)).one()
    sides = dict(zip(side_who, row[: len(side_who)], strict=True))
    positions = list(row[len(side_who) : len(side_who) + len(POSITIONS)])
    rest = row[len(side_who) + len(POSITIONS) :]
    bases = [(rest[2 * i], rest[2 * i + 1]) for i in range(len(Basis))]
    actors = dict(session.execute(select(Actor.slug, derived.count_of(derived.who_of_actor(Actor.id), position, basis, as_of))).all())
    return FacetCounts(side=sides, actor=actors, position=positions, basis=bases)


def _searched_facet_counts(session: Session, filters: ProposalFilters, actor: Actor | None, search: Select) -> FacetCounts:
    """The facet counts within a text filter. Every count is of proposals (or of their stances), so
    it adds up over any split of the proposals: when the words match most proposals, the counts
    are those of every proposal (the derived tables) less those of the few left out."""
    every, matched = session.execute(select(func.count(Proposal.id), func.count(Proposal.id).filter(Proposal.id.in_(search)))).one()
    if 2 * matched <= every:
        return _live_facet_counts(session, filters, actor, search)
    left_out = _live_facet_counts(session, filters, actor, select(Proposal.id).where(Proposal.id.not_in(search)))
    return _minus(_derived_facet_counts(session, filters, actor), left_out)


def _minus(whole: FacetCounts, part: FacetCounts) -> FacetCounts:
    return FacetCounts(
        side={side: n - part.side.get(side, 0) for side, n in whole.side.items()},
        actor={slug: n - part.actor.get(slug, 0) for slug, n in whole.actor.items()},
        position=[n - m for n, m in zip(whole.position, part.position, strict=True)],
        basis=[(s - t, n - m) for (s, n), (t, m) in zip(whole.basis, part.basis, strict=True)],
    )


def _live_facet_counts(session: Session, filters: ProposalFilters, actor: Actor | None, search: Select) -> FacetCounts:
    """The facet counts over the reactions of the proposals `search` selects."""
    known = filters.shown
    actor_id = actor.id if actor else None

    def restrict(query: Select, visible=known, side=filters.side) -> Select:  # type: ignore[no-untyped-def]
        query = query.where(visible, Reaction.proposal_id.in_(search))
        return query.where(on_side(side)) if side is not None else query

    side_counts_query = (
        select(Actor.side, func.count(distinct(Reaction.proposal_id))).join(Reaction, Reaction.actor_id == Actor.id).group_by(Actor.side)
    )
    if actor_id is not None:
        side_counts_query = side_counts_query.where(Reaction.actor_id == actor_id)
    if filters.position is not None:
        side_counts_query = side_counts_query.where(position_matches(filters.position))
    side_counts = dict(session.execute(restrict(side_counts_query, side=None)).all())

    actor_counts_query = (
        select(Actor.slug, func.count(distinct(Reaction.proposal_id))).join(Reaction, Reaction.actor_id == Actor.id).group_by(Actor.id, Actor.slug)
    )
    if filters.position is not None:
        actor_counts_query = actor_counts_query.where(position_matches(filters.position))
    actor_counts = dict(session.execute(restrict(actor_counts_query)).all())

    position_query = select(*[func.count(distinct(Reaction.proposal_id)).filter(position_matches(p)) for p in POSITIONS])
    if actor_id is not None:
        position_query = position_query.where(Reaction.actor_id == actor_id)
    position_counts = list(session.execute(restrict(position_query)).one())
    # Basis: how many stances of each kind, and how many proposals each choice would give,
    # with every filter but basis itself kept.
    basis_query = select(
        *[
            column
            for basis in Basis
            for column in (
                func.count(Reaction.id).filter(Reaction.basis == basis),
                func.count(distinct(Reaction.proposal_id)).filter(Reaction.basis == basis),
            )
        ]
    )
    if actor_id is not None:
        basis_query = basis_query.where(Reaction.actor_id == actor_id)
    if filters.position is not None:
        basis_query = basis_query.where(position_matches(filters.position))
    row = session.execute(restrict(basis_query, known_by(filters.as_of))).one()
    bases = [(row[2 * i], row[2 * i + 1]) for i in range(len(Basis))]
    return FacetCounts(side=side_counts, actor=actor_counts, position=position_counts, basis=bases)


def side_order():  # type: ignore[no-untyped-def]
    """Actors sorted by side, principal sides first (Russia, Ukraine, United States, Europe, then other)."""
    return case({side: index for index, side in enumerate(SIDES)}, value=Actor.side)


def chosen_reactions(query: Select, filters: ProposalFilters, actor_id: int | None) -> Select:
    """A query over reactions (joined to their actor) narrowed to the chosen actor, side and position."""
    if actor_id is not None:
        query = query.where(Reaction.actor_id == actor_id)
    if filters.side is not None:
        query = query.where(Actor.side == filters.side)
    if filters.position is not None:
        query = query.where(position_matches(filters.position))
    return query


def chosen_words(session: Session, proposal_ids: list[int], filters: ProposalFilters, actor_id: int | None) -> dict[int, list[ChosenWords]]:
    """With an actor or a side chosen: what they said on each of a page's proposals (holding the
    chosen position, if any), stated quotes first, for the cards."""
    if not proposal_ids or (actor_id is None and filters.side is None):
        return {}
    query = (
        select(
            Reaction.proposal_id, Proposal.slug, Reaction.slug, Actor.slug, Actor.name, Reaction.position, Reaction.proposer,
            Reaction.basis, Reaction.reported_by, Reaction.quote, Reaction.summary,
        )
        .join(Actor, Actor.id == Reaction.actor_id)
        .join(Proposal, Proposal.id == Reaction.proposal_id)
        .where(Reaction.proposal_id.in_(proposal_ids), filters.shown)
        .order_by(Reaction.proposal_id, stance_rank_sql(), Reaction.stated_on.is_(None), Reaction.stated_on, Actor.name, Reaction.slug)
    )
    query = chosen_reactions(query, filters, actor_id)
    words: dict[int, list[ChosenWords]] = defaultdict(list)
    overlay = overlay_for(session)
    tr = overlay.text
    for proposal_id, proposal_slug, slug, actor_slug, actor_name, position, proposer, basis, reported_by, quote, summary in session.execute(query):
        stated_quote = quote if basis is Basis.stated else ""
        words[proposal_id].append(
            ChosenWords(
                actor=ActorRef(slug=actor_slug, name=tr(RecordKind.actor, actor_slug, "name", actor_name)),
                position=Position.supports if proposer else position,
                proposer=proposer,
                basis=basis,
                reported_by=tr(RecordKind.reaction, slug, "reported_by", reported_by),
                quote=stated_quote,
                quote_translation=(overlay.quote_translations(slug) or [""])[0] if stated_quote else "",
                line=cut_words(stated_quote, 240) if stated_quote else first_sentence(tr(RecordKind.reaction, slug, "summary", summary)),
                url=reaction_url(proposal_slug, slug),
            )
        )
    return words


# How a position group lists its stances: the actor's own quoted words first, then stances stated
# without a quote, then stances reported by others, then our readings.
BASIS_RANK = {Basis.stated: 1, Basis.reported: 2, Basis.inferred: 3}
RANKED_BASIS = {rank: basis for basis, rank in BASIS_RANK.items()}


def stance_rank(basis: Basis, quote: str) -> int:
    return 0 if basis is Basis.stated and quote else BASIS_RANK[basis]


def stance_groups(reactions: list[ReactionOut]) -> list[tuple[Position, list[ReactionOut]]]:
    """A permalink's position groups: the groups holding the actors' own quoted words first, then
    the rest in the usual order; within a group, quotes first, then other stated stances, then stances
    reported by others, then our readings (stable: proposers and dates keep their order inside each rank). Empty groups are left
    out (the page sums them up in one line)."""
    groups = []
    for position in POSITIONS:
        group = sorted((r for r in reactions if r.position is position), key=lambda r: stance_rank(r.basis, r.quote))
        if group:
            groups.append((position, group))
    return sorted(groups, key=lambda g: stance_rank(g[1][0].basis, g[1][0].quote) > 0)


def stance_rank_sql():  # type: ignore[no-untyped-def]
    """stance_rank in SQL, for queries that sort stances the same way."""
    return case(
        (and_(Reaction.basis == Basis.stated, Reaction.quote != ""), 0),
        *[(Reaction.basis == basis, rank) for basis, rank in BASIS_RANK.items()],
        else_=max(BASIS_RANK.values()),
    )


def source_out(source) -> SourceOut:  # type: ignore[no-untyped-def]
    return SourceOut(
        slug=source.slug,
        title=source.title,
        outlet=source.outlet,
        kind=source.kind,
        date=DateOut.of(source.date, source.date_precision, source.date_note),
        url=source.url,
    )


def reported_by_link(reaction: Reaction) -> ActorLink | None:
    """The actor who reports a position, when it is one in the data."""
    actor = reaction.reported_by_actor
    return ActorLink(slug=actor.slug, name=actor.name, url=actor_url(actor.slug)) if actor is not None else None


def places_out(codes: list[str]) -> list[PlaceOut]:
    return [PlaceOut(code=c, name=place_name(c), iso_name=iso_names()[c]) for c in codes]


def quote_translation_fields(reaction: Reaction) -> dict:
    """Our translation of the reaction's quotes, beside the English ones ("" and [] in English)."""
    translated = quote_translations(reaction)
    return {"quote_translation": translated[0] if translated else "", "quote_translations": translated}


def reaction_fields(reaction: Reaction) -> dict:
    return {
        "slug": reaction.slug,
        "actor": ActorLink(slug=reaction.actor.slug, name=reaction.actor.name, url=actor_url(reaction.actor.slug)),
        "position": reaction.position,
        "proposer": reaction.proposer,
        "basis": reaction.basis,
        "reported_by": reaction.reported_by,
        "reported_by_actor": reported_by_link(reaction),
        "rationale": reaction.rationale,
        "quote": reaction.quote,
        "quotes": reaction.quotes,
        **quote_translation_fields(reaction),
        "summary": reaction.summary,
        "condition": reaction.condition,
        "stated_on": DateOut.of(reaction.stated_on, reaction.stated_on_precision, reaction.stated_on_note),
        "evidence": reaction.evidence,
        "evidence_label": EVIDENCE_LABELS[reaction.evidence],
        "source": source_out(reaction.source),
    }


def get_proposal(session: Session, slug: str, as_of: dt.date | None = None) -> ProposalDetail:
    known = known_by(as_of)
    proposal = session.scalars(
        select(Proposal)
        .where(Proposal.slug == slug)
        .options(
            selectinload(Proposal.reactions.and_(known)).selectinload(Reaction.actor),
            selectinload(Proposal.reactions.and_(known)).selectinload(Reaction.source),
            selectinload(Proposal.first_reported_source),
        )
    ).first()
    if proposal is None:
        raise NotFound.slug("proposal", slug, {slug: overlay_for(session).text(RecordKind.proposal, slug, "title", text) for slug, text in session.execute(select(Proposal.slug, Proposal.title))}, proposal_url)
    reactions = _sorted_reactions(proposal.reactions)
    return ProposalDetail(
        slug=proposal.slug,
        title=proposal.title,
        summary=proposal.summary,
        url=proposal_url(proposal.slug),
        places=places_out(proposal.places),
        proposers=[ActorLink(slug=a.slug, name=a.name, url=actor_url(a.slug)) for a in _proposers(reactions)],
        proposer_unknown=proposal.proposer_unknown,
        first_reported=DateOut.of(
            proposal.first_reported_on, proposal.first_reported_precision, proposal.first_reported_note
        ),
        first_reported_by=source_out(proposal.first_reported_source),
        stance=_stance(reactions),
        reactions=[ReactionOut(**reaction_fields(r)) for r in reactions],
        corrections=corrections_out(session.scalars(corrections_query().where(Correction.proposal_id == proposal.id)).all()),
    )


def corrections_query() -> Select:
    """The corrections log, newest day first; entries of one day in the order they were written."""
    return (
        select(Correction)
        .options(selectinload(Correction.proposal))
        .order_by(Correction.corrected_on.desc(), Correction.position_in_log)
    )


def correction_url(correction_id: int) -> str:
    return f"/corrections#correction-{correction_id}"


def corrections_out(corrections: list[Correction]) -> list[CorrectionOut]:
    """Log entries for a page; a removed record's earlier entries link nowhere, as it is gone.
    (A removal is filed under the same proposal as the record's other entries, so it is in the list.)"""
    gone = {(c.record_kind, c.record_slug) for c in corrections if c.change is CorrectionChange.removed}
    return [correction_out(c, gone) for c in corrections]


def correction_out(correction: Correction, gone: frozenset[tuple[RecordKind, str]] | set[tuple[RecordKind, str]] = frozenset()) -> CorrectionOut:
    record_url = None
    if correction.change is not CorrectionChange.removed and (correction.record_kind, correction.record_slug) not in gone:
        slug = correction.record_slug
        record_url = {
            RecordKind.proposal: proposal_url(slug),
            RecordKind.actor: actor_url(slug),
            RecordKind.source: f"/sources#source-{slug}",
            RecordKind.event: f"/timeline#event-{slug}",
            RecordKind.reaction: reaction_url(correction.proposal.slug, slug) if correction.proposal else None,
        }[correction.record_kind]
    proposal = correction.proposal
    return CorrectionOut(
        id=correction.id,
        anchor=f"correction-{correction.id}",
        url=correction_url(correction.id),
        corrected_on=correction.corrected_on,
        record_kind=correction.record_kind,
        record_slug=correction.record_slug,
        record_url=record_url,
        change=correction.change,
        change_label=CORRECTION_LABELS[correction.change],
        what_changed=correction.what_changed,
        why=correction.why,
        proposal=ProposalRef(slug=proposal.slug, title=proposal.title, url=proposal_url(proposal.slug)) if proposal else None,
    )


# "has spoken on" after a singular name, "have spoken on" after a plural one ("NATO members"):
# the headings are whole sentences in app.vocabulary.proposals_of.
SPOKEN = ("has spoken on", "have spoken on")
# A view's heading, then how it counts: "Proposals Russia rejects, stated outright".
BASIS_WORDS = {
    Basis.stated: lambda title: gettext("%(title)s, stated outright", title=title),
    Basis.reported: lambda title: gettext("%(title)s, as reported by others", title=title),
    Basis.inferred: lambda title: gettext("%(title)s, by our reading", title=title),
}


def view_title(data: ProposalList) -> str:
    """The view in words, with its count: 'Proposals Russia rejects (3)', 'Proposals Vladimir Putin
    has spoken on (4)'. The heading, <title>, og:title and the htmx title update all use it."""
    filters = data.filters
    actor_name = next((o.label for o in data.facets.actor if o.selected), filters.actor)
    who = actor_name or (SIDE_IN_SENTENCE[filters.side] if filters.side else None)
    text = proposals_of(who, filters.position, actor_number(who) if who else 1)
    if filters.basis:
        text = BASIS_WORDS[filters.basis](text)
    if filters.q:
        text = gettext("%(title)s, matching “%(q)s”", title=text, q=filters.q)
    if filters.as_of:
        text = gettext("%(title)s, as of %(day)s", title=text, day=day_label(filters.as_of))
    return f"{text} ({data.count})"


def stance_sentence(stance: Stance) -> str:
    """One line for link previews: who supports, who sets conditions, who rejects."""

    def names(actors: list[StanceActor]) -> str:
        return ", ".join(a.label for a in actors)

    parts = []
    # The same English for one name or more; a language may say the verb in its number.
    if stance.supports:
        parts.append(ngettext("Supported by %(names)s.", "Supported by %(names)s.", len(stance.supports), names=names(stance.supports)))
    if stance.conditional:
        parts.append(
            ngettext(
                "Supported on conditions by %(names)s.", "Supported on conditions by %(names)s.", len(stance.conditional),
                names=names(stance.conditional),
            )
        )
    if stance.rejects:
        parts.append(ngettext("Rejected by %(names)s.", "Rejected by %(names)s.", len(stance.rejects), names=names(stance.rejects)))
    return " ".join(parts) or gettext("No stances reported in the article.")


def reaction_title(reaction: Reaction, *, mark_basis: bool = True) -> str:
    """'Vladimir Putin rejects: …', 'NATO members set conditions on: …', with '(inferred)' where
    the stance is our reading and '(reported by …)' where someone else attributes it."""
    note = basis_note(reaction.basis, reaction.reported_by) if mark_basis else ""
    words = {"actor": reaction.actor.name, "note": note, "proposal": reaction.proposal.title}
    n = actor_number(reaction.actor.name)
    if reaction.proposer:
        return ngettext("%(actor)s proposes%(note)s: %(proposal)s", "%(actor)s propose%(note)s: %(proposal)s", n, **words)
    if reaction.position is Position.supports:
        return ngettext("%(actor)s supports%(note)s: %(proposal)s", "%(actor)s support%(note)s: %(proposal)s", n, **words)
    if reaction.position is Position.conditional:
        return ngettext(
            "%(actor)s sets conditions on%(note)s: %(proposal)s", "%(actor)s set conditions on%(note)s: %(proposal)s", n, **words
        )
    return ngettext("%(actor)s rejects%(note)s: %(proposal)s", "%(actor)s reject%(note)s: %(proposal)s", n, **words)
