"""View data: computed once per request, rendered as a page, an htmx fragment or JSON."""

import datetime as dt

from typing import Any

from pydantic import BaseModel, Field, PrivateAttr, SerializerFunctionWrapHandler, model_serializer

from app.i18n import DEFAULT_LOCALE, current_locale
from app.models import ActorKind, Basis, CorrectionChange, Evidence, Position, Precision, RecordKind, Side
from app.paging import PageInfo
from app.vocabulary import basis_note, date_label

POSITIONS: tuple[Position, ...] = (Position.supports, Position.conditional, Position.rejects)


QUOTE_TRANSLATION_FIELDS = ("quote_translation", "quote_translations")
QUOTE_TRANSLATION = Field(
    "", description="Our translation of `quote` into the requested language (`lang`); the quote itself stays in English. Only with lang=uk or ru"
)
QUOTE_TRANSLATIONS = Field(
    [], description="Our translation of each of `quotes`, in the same order, into the requested language (`lang`). Only with lang=uk or ru"
)


class WithQuoteTranslations(BaseModel):
    """A view that carries quotes: the English words stay, and their translations sit beside them.
    In English ("" and []) the translation fields are left out of the JSON."""

    @model_serializer(mode="wrap")
    def _translations_only_when_translated(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        data = handler(self)
        if current_locale() == DEFAULT_LOCALE and isinstance(data, dict):
            for name in QUOTE_TRANSLATION_FIELDS:
                data.pop(name, None)
        return data


class DateOut(BaseModel):
    date: dt.date | None = Field(description="First day the date can stand for; null when not given")
    precision: Precision
    note: str = Field("", description="What the source says when the date is approximate")
    label: str = Field(description="Human-readable, at the true precision")

    @property
    def html_datetime(self) -> str | None:
        """The value for <time datetime>, no more precise than the source."""
        if self.date is None:
            return None
        if self.precision is Precision.day:
            return self.date.isoformat()
        if self.precision is Precision.year:
            return f"{self.date.year:04d}"
        return f"{self.date:%Y-%m}"

    @classmethod
    def of(cls, date: dt.date | None, precision: Precision, note: str = "") -> "DateOut":
        return cls(date=date, precision=precision, note=note, label=date_label(date, precision, note))


class SourceOut(BaseModel):
    slug: str
    title: str
    outlet: str
    kind: str
    date: DateOut
    url: str = ""


class ActorRef(BaseModel):
    slug: str
    name: str


class ActorLink(ActorRef):
    url: str


BASIS_FIELD = Field(
    description="stated: the actor's own words or act take this position on the record; reported: someone else "
    "attributes it to the actor, see reported_by; inferred: our reading, see rationale"
)
REPORTED_BY_FIELD = Field(
    "", description="For a reported stance: who attributes it (an actor's name, or a description of the source); empty otherwise"
)


class ReactionBrief(BaseModel):
    slug: str = Field(description="Reaction id; anchor #reaction-{slug} on the proposal page")
    actor: str = Field(description="actor slug")
    actor_name: str
    position: Position
    proposer: bool
    basis: Basis = BASIS_FIELD
    reported_by: str = REPORTED_BY_FIELD


class StanceActor(ActorRef):
    basis: Basis = Field(Basis.stated, description="The strongest basis among the reactions behind this stance: stated, then reported, then inferred")
    reported_by: list[str] = Field([], description="When the stance is reported: who attributes it")
    inferred: bool = Field(False, description="True when every reaction behind this stance is our reading, none stated or reported")

    @property
    def label(self) -> str:
        """The name with its basis in words: 'Joe Biden (reported by Vladimir Putin)'."""
        return self.name + basis_note(self.basis, self.reported_by)


class Stance(BaseModel):
    """Who supports, who sets conditions and who rejects: each actor once per position."""

    supports: list[StanceActor] = []
    conditional: list[StanceActor] = []
    rejects: list[StanceActor] = []


class ChosenWords(WithQuoteTranslations):
    """What the chosen actor (or a member of the chosen side) said on a proposal, for its card."""

    actor: ActorRef
    position: Position
    proposer: bool
    basis: Basis
    reported_by: str = Field("", description="When the stance is reported: who attributes it")
    quote: str = Field(description="Their words, verbatim; empty when the article quotes none")
    quote_translation: str = QUOTE_TRANSLATION
    line: str = Field(description="The quote, or else the first sentence of the stance's summary (our words)")
    url: str = Field(description="The reaction's anchor on the proposal page")


# A list item (a card, an API list item) names at most this many actors per position; its
# stance_counts say how many there are, and its permalink (or reactions_url) shows them all.
STANCE_NAMES_PER_POSITION = 8


class StanceCounts(BaseModel):
    """How many actors hold each position (each actor once per position)."""

    supports: int = Field(description="Actors who support it, its proposers included")
    conditional: int = Field(description="Actors who support it on conditions")
    rejects: int = Field(description="Actors who reject it")


class ProposalItem(BaseModel):
    slug: str
    title: str
    summary: str
    url: str
    reactions_url: str = Field(description="Every reaction to it, with quotes, sources and dates: its record in the API")
    proposers: list[ActorRef]
    proposer_unknown: bool = Field(False, description="True when the source does not say who put it forward")
    stance_counts: StanceCounts
    stance: Stance = Field(
        description=f"Who supports, sets conditions or rejects: up to {STANCE_NAMES_PER_POSITION} actors per position, "
        "proposers first, then in the order they spoke; stance_counts says how many there are"
    )
    reactions: list[ReactionBrief] | None = Field(
        None, description="Only with include=reactions: every reaction the view counts, in card order (else null; see reactions_url)"
    )
    match: str | None = Field(None, exclude=True)
    chosen: list[ChosenWords] = Field([], exclude=True)


class FacetOption(BaseModel):
    value: str
    label: str
    count: int = Field(description="How many proposals selecting this option would give")
    selected: bool
    side: Side | None = Field(None, description="For an actor: their side (the select groups actors by side)")
    disabled: bool = Field(False, description="Not a possible choice with the other filters (an actor of another side than the chosen one)")


class BasisOption(BaseModel):
    value: Basis
    label: str
    stances: int = Field(description="How many stances (reactions) of this kind the other filters leave")
    count: int = Field(description="How many proposals selecting this option would give")
    selected: bool


class Facets(BaseModel):
    side: list[FacetOption] = []
    actor: list[FacetOption]
    position: list[FacetOption]
    basis: list[BasisOption]


class AppliedFilters(BaseModel):
    side: Side | None = Field(None, description="Only proposals on which an actor of this side holds the position")
    actor: str | None = None
    position: Position | None = None
    basis: Basis | None = Field(None, description="Only stances of this kind: stated outright, reported by someone else, or inferred")
    q: str | None = None
    as_of: dt.date | None = Field(None, description="Only reactions stated by this day")


class ActorMatch(BaseModel):
    slug: str
    name: str
    url: str
    snippet: str = Field("", exclude=True)


class ProposalList(BaseModel):
    items: list[ProposalItem] = Field(description="One page of the proposals the filters give")
    count: int = Field(description="Proposals the filters give, on every page")
    filters: AppliedFilters
    facets: Facets
    total: int = Field(description="Proposals in the database, unfiltered")
    actor_matches: list[ActorMatch] = Field([], description="Actors whose name, role or affiliation match q")
    page: PageInfo | None = Field(None, description="Where this page sits, and the link to the next")
    # For views built on the list (the stance grid): the filter as SQL, the actor's id, this page's ids.
    _matching: Any = PrivateAttr(None)
    _actor_id: int | None = PrivateAttr(None)
    _page_ids: list[int] = PrivateAttr(default_factory=list)


class ProposalRef(BaseModel):
    slug: str
    title: str
    url: str


class ReactionOut(WithQuoteTranslations):
    slug: str = Field(description="Stable id; the permalink anchor is #reaction-{slug}")
    actor: ActorLink
    position: Position
    proposer: bool
    basis: Basis = BASIS_FIELD
    reported_by: str = REPORTED_BY_FIELD
    reported_by_actor: ActorLink | None = Field(None, description="When the one who reports it is an actor in the data")
    rationale: str = Field("", description="For an inferred stance: the passage it is read from, in our words")
    quote: str = Field(description="The speaker's first quote, verbatim from the article; empty if none")
    quotes: list[str] = Field([], description="Every quote of the statement, verbatim, in the article's order")
    quote_translation: str = QUOTE_TRANSLATION
    quote_translations: list[str] = QUOTE_TRANSLATIONS
    summary: str
    condition: str
    stated_on: DateOut
    evidence: Evidence
    evidence_label: str
    source: SourceOut


class CorrectionOut(BaseModel):
    id: int
    anchor: str = Field(description="The id of this entry on /corrections")
    url: str
    corrected_on: dt.date
    record_kind: RecordKind
    record_slug: str
    record_url: str | None = Field(description="Where the record is shown now; null when it was removed")
    change: CorrectionChange
    change_label: str
    what_changed: str
    why: str
    proposal: ProposalRef | None = None
    record_title: str = Field("", description="What readers call the record: its title or name (a stance: its actor and proposal)")


class CorrectionReview(BaseModel):
    corrected_on: dt.date
    heading: str = Field(description="e.g. 'Review of 29 November 2026: 40 records corrected, 9 marked as our reading, 2 removed and 4 added'")
    ids: list[int] = Field(description="The ids of its entries in `items`, in the log's order")


class CorrectionList(BaseModel):
    items: list[CorrectionOut] = Field(description="Newest first")
    count: int
    reviews: list[CorrectionReview] = Field([], description="The entries grouped by the day of the review, newest first")


class PlaceOut(BaseModel):
    code: str = Field(description="ISO 3166-2 code, e.g. UA-14")
    name: str = Field(description="The region's short English name, e.g. Donetsk")
    iso_name: str = Field(description="The region's name in ISO 3166-2, e.g. Donetska oblast")


class ProposalDetail(BaseModel):
    slug: str
    title: str
    summary: str
    url: str
    places: list[PlaceOut] = Field([], description="Regions the article names for this proposal, in its order")
    proposers: list[ActorLink]
    proposer_unknown: bool = Field(False, description="True when the source does not say who put it forward")
    first_reported: DateOut
    first_reported_by: SourceOut
    stance: Stance
    reactions: list[ReactionOut]
    corrections: list[CorrectionOut] = Field([], description="Corrections to this proposal or its reactions, newest first")


class ActorItem(BaseModel):
    slug: str
    name: str
    kind: ActorKind
    role: str
    url: str
    affiliation: str
    side: Side
    reaction_count: int = Field(description="Their stances (reactions)")
    proposal_count: int = Field(0, description="The proposals those stances are on (what the actor filter counts)")


class ActorList(BaseModel):
    items: list[ActorItem] = Field(description="One page of the actors, by name")
    count: int = Field(description="Actors in all, on every page")
    page: PageInfo | None = None


class ActorReactionOut(ReactionOut):
    proposal: ProposalRef


class ActorDetail(BaseModel):
    slug: str
    name: str
    kind: ActorKind
    role: str
    affiliation: str
    side: Side
    description: str
    url: str
    reaction_count: int = Field(0, description="All their reactions (within as_of), on every page")
    proposal_count: int = Field(0, description="The proposals those reactions are on")
    position_counts: dict[str, int] = Field({}, description="How many of them are supports, conditional and rejects")
    reactions: list[ActorReactionOut] = Field(description="One page of their reactions: by position, then in the proposals' order")
    page: PageInfo | None = None


class Health(BaseModel):
    """Small whatever the data size: a count, not the list of seed files."""

    status: str
    data_version: str | None = Field(description="SHA-256 of the imported seed files")
    imported_at: dt.datetime | None
    file_count: int | None = Field(description="How many seed files the import read")


class ErrorDetail(BaseModel):
    parameter: str | None = None
    value: str | None = None
    allowed: list[str] = []
    suggestions: list[str] = []


class ErrorOut(BaseModel):
    error: str = Field(description="What went wrong, naming the bad value")
    detail: ErrorDetail = ErrorDetail()


class MatrixEntry(BaseModel):
    position: Position
    proposer: bool
    basis: Basis = BASIS_FIELD
    reported_by: str = REPORTED_BY_FIELD
    url: str = Field(description="The reaction's anchor on the proposal page")


class MatrixRow(BaseModel):
    actor: ActorLink
    side: Side
    cells: list[list[MatrixEntry]] = Field(description="One list per column; empty when the actor said nothing")


class Matrix(BaseModel):
    columns: list[ProposalRef] = Field(description="One page of the filtered proposals")
    rows: list[MatrixRow] = Field(description="One page of the actors who reacted to them, most active first")
    actor_count: int = Field(description="Actors who reacted to the filtered proposals, on every page of rows")
    proposals: ProposalList = Field(description="The filtered proposals: count and facets (items are the columns, without reactions)")
    row_page: PageInfo | None = Field(None, description="Paging of the rows (actors): `rows_cursor` continues")


class TimelineItem(WithQuoteTranslations):
    kind: str = Field(description="reaction or event")
    slug: str
    anchor: str = Field(description="The id of this item on /timeline")
    date: DateOut
    end: dt.date | None = Field(None, description="The last day the date can stand for (a month's or year's last day, an approximate date's until)")
    title: str
    summary: str
    quote: str = ""
    quotes: list[str] = []
    quote_translation: str = QUOTE_TRANSLATION
    quote_translations: list[str] = QUOTE_TRANSLATIONS
    position: Position | None = None
    proposer: bool = False
    basis: Basis | None = None
    reported_by: str = REPORTED_BY_FIELD
    reported_by_actor: ActorLink | None = None
    rationale: str = ""
    evidence: Evidence | None = None
    actors: list[ActorLink]
    proposal: ProposalRef | None = None
    url: str = Field(description="Where the item is told in full")
    source: SourceOut
    places: list[PlaceOut] = Field([], description="For an event: the regions the article names for it")


class TimelineMonth(BaseModel):
    label: str
    anchor: str | None = Field(None, description="YYYY-MM: the id month-YYYY-MM of this group on /timeline; null for a year")
    items: list[TimelineItem]


class MonthOption(BaseModel):
    value: str = Field(description="YYYY-MM, for ?month=")
    label: str = Field(description="e.g. December 2024")
    count: int = Field(description="Items dated in that month (by their first possible day), for these filters")


class TimelineFilters(BaseModel):
    actor: str | None = None
    proposal: str | None = None


class Timeline(BaseModel):
    months: list[TimelineMonth] = Field(description="This page's dated items, oldest first, grouped by month")
    undated: list[TimelineItem] = Field(description="This page's items whose date the source does not give (they come last); not guessed into place")
    count: int = Field(description="Items on the whole timeline for these filters, on every page")
    undated_count: int = Field(0, description="How many of them have no date")
    page: PageInfo | None = None
    filters: TimelineFilters
    actor_options: list[FacetOption]
    proposal_options: list[FacetOption]
    month_options: list[MonthOption] = Field([], description="The months that have items dated to a month or a day in them, oldest first")
    # The time axis drawn above the list, narrow and wide (app/timeline_axis.py); for the page only.
    _axes: list[Any] = PrivateAttr(default_factory=list)
    _undated_url: str = PrivateAttr("#month-undated")


class StanceCell(BaseModel):
    position: Position | None = Field(description="The actor's latest position; null when the article reports none")
    proposer: bool = False
    basis: Basis | None = None
    reported_by: str = REPORTED_BY_FIELD
    url: str | None = Field(None, description="The reaction's anchor on the proposal page")


class CompareRow(BaseModel):
    proposal: ProposalRef
    a: StanceCell
    b: StanceCell
    relation: str = Field(description="agree | opposed | differ | only-a | only-b")


class Comparison(BaseModel):
    a: ActorLink | None
    b: ActorLink | None
    rows: list[CompareRow] = Field(description="One page of the proposals either spoke on, by relation, then in the proposals' order")
    row_count: int = Field(0, description="Proposals either spoke on, on every page")
    counts: dict[str, int] = Field(description="Proposals per relation, on every page")
    summary: list[str] = Field([], description="The page's summary sentences, from the counts")
    page: PageInfo | None = None
    actor_options: list[ActorRef]


class SideStance(BaseModel):
    side: Side
    status: str = Field(description="supports | conditional | rejects | split | silent")
    basis: Basis | None = Field(None, description="The strongest basis among the stances behind the status; null when silent")
    reported_by: list[str] = Field([], description="When the status rests on reported stances: who attributes them")
    inferred: bool = Field(False, description="True when the status rests only on inferred stances")
    actors: list[ActorRef] = Field(description="Members of this side who reacted")


class CommonGroundRow(BaseModel):
    proposal: ProposalRef
    sides: list[SideStance]
    no_principal_side_rejects: bool = Field(description="No principal side rejects it (some may not have spoken)")
    silent_principal_sides: list[Side] = Field([], description="Principal sides with no stance on it in the article")
    mark: str | None = Field(None, description="The mark's words: every principal side spoke and none rejects, or none rejects but some are silent")


class CommonGround(BaseModel):
    rule: str
    principal_sides: list[Side]
    sides: list[Side]
    rows: list[CommonGroundRow] = Field(description="One page of the proposals, in their order")
    count: int = Field(0, description="Proposals in all, on every page")
    page: PageInfo | None = None


class FeedEntry(WithQuoteTranslations):
    """A dated reaction or event, as one Atom entry."""

    id: str = Field(description="A stable tag: URI")
    kind: str = Field(description="reaction or event")
    slug: str
    title: str
    path: str = Field(description="Where the item is told in full: the reaction's anchor or the timeline's")
    date: DateOut
    authors: list[str] = Field(description="The actors' names")
    summary: str
    quote: str = ""
    quotes: list[str] = []
    quote_translation: str = QUOTE_TRANSLATION
    quote_translations: list[str] = QUOTE_TRANSLATIONS
    condition: str = ""
    basis: Basis | None = None
    reported_by: str = REPORTED_BY_FIELD
    rationale: str = ""
    evidence_label: str = ""
    source: SourceOut | None = Field(None, description="null for a correction, which is our own note")


class Feed(BaseModel):
    id: str = Field(description="A stable tag: URI")
    title: str
    subtitle: str
    path: str = Field(description="The feed's own path (with ?page=N past the first page)")
    first_path: str = Field(description="The first page: the newest entries (RFC 5005 rel=first)")
    next_path: str | None = Field(None, description="The page of older entries (RFC 5005 rel=next)")
    prev_path: str | None = Field(None, description="The page of newer entries (RFC 5005 rel=previous)")
    page_path: str = Field(description="The HTML page the feed follows")
    updated: dt.datetime = Field(description="The newest entry's date, else the last import")
    entries: list[FeedEntry] = Field(description="Newest first; undated items are left out")


class SourceReaction(BaseModel):
    slug: str
    title: str = Field(description="e.g. 'Vladimir Putin rejects: …'")
    url: str = Field(description="The reaction's anchor on its proposal page")
    actor: ActorRef
    proposal: ProposalRef
    position: Position
    proposer: bool
    basis: Basis = BASIS_FIELD
    reported_by: str = REPORTED_BY_FIELD
    stated_on: DateOut


class EventRef(BaseModel):
    slug: str
    title: str
    url: str = Field(description="The event's anchor on /timeline")
    occurred_on: DateOut


class SourceDetail(SourceOut):
    anchor: str = Field(description="The id of this source on /sources")
    document: str = Field(description="Slug of the curated article that cites this source")
    is_document: bool = Field(description="True for the curated article itself")
    first_reported: list[ProposalRef] = Field(description="The first (up to 12) proposals this source is the first report of")
    first_reported_count: int = Field(0, description="How many proposals it first reported, in all")
    reactions: list[SourceReaction] = Field(description="The first (up to 12) reactions that cite this source")
    reaction_count: int = Field(0, description="How many reactions cite it, in all")
    events: list[EventRef] = Field(description="The first (up to 12) events that cite this source")
    event_count: int = Field(0, description="How many events cite it, in all")


class SourceList(BaseModel):
    items: list[SourceDetail] = Field(description="One page of the sources, oldest first; undated sources last")
    count: int = Field(description="Sources in all, on every page")
    page: PageInfo | None = None


class SideCellStance(BaseModel):
    position: Position
    actors: list[ActorRef] = Field(description="The side's members who hold it (the first few)")
    actor_count: int = Field(description="How many of the side's members hold it")
    basis: Basis = Field(Basis.stated, description="The strongest basis among them: stated, then reported, then inferred")
    inferred: bool = Field(description="True when every one of these stances is our reading")


class SideCell(BaseModel):
    """Where one side stands on one proposal: every position any member holds; none is silence."""

    side: Side
    stances: list[SideCellStance] = Field(description="Empty when no member of the side has spoken: silence, not agreement")
    label: str = Field(description="In words, e.g. 'Russia rejects: Vladimir Putin, Sergey Lavrov'")
    url: str | None = Field(None, description="The filtered view that explains it; null for silence")


class StateOfPlayRow(BaseModel):
    proposal: ProposalRef
    short_title: str = Field(description="The title cut at a word boundary, for narrow screens")
    stances: int = Field(description="Stances shown on the proposal (how much it is discussed)")
    cells: list[SideCell]


class SideTally(BaseModel):
    side: Side
    label: str
    counts: dict[str, int] = Field(description="Per position: proposals on which a member of the side holds it")
    spoken: int = Field(description="Proposals on which a member of the side has spoken at all")


class StateOfPlay(BaseModel):
    sides: list[Side] = Field(description="The columns: the principal sides")
    rows: list[StateOfPlayRow] = Field(description="One page of the proposals, most discussed first")
    count: int = Field(description="Proposals with at least one stance shown, on every page")
    tallies: list[SideTally] = Field(description="Every side's counts, for the lede and the side-and-position choice")
    lede: str = Field(description="The counts in one sentence")
    as_of: dt.date | None = None
    basis: Basis | None = None
    page: PageInfo | None = None
