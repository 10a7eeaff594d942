"""The data model: sources, actors, proposals, reactions and events, as SQLAlchemy 2 typed models."""

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    JSON,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Position(str, enum.Enum):
    supports = "supports"
    conditional = "conditional"
    rejects = "rejects"


class Precision(str, enum.Enum):
    day = "day"
    month = "month"
    year = "year"
    approximate = "approximate"
    unknown = "unknown"


class Evidence(str, enum.Enum):
    on_record = "on-record"
    official_document = "official-document"
    press_report_unnamed = "press-report-unnamed"
    analyst_assessment = "analyst-assessment"
    # Known only because another actor described it on the record (e.g. Putin on Biden's 2021 idea).
    second_hand_account = "second-hand-account"


class Basis(str, enum.Enum):
    """How a position is known: said outright by the actor, attributed to them by someone else,
    or our reading of something else. In that order, each is weaker than the one before."""

    stated = "stated"
    reported = "reported"
    inferred = "inferred"


class CorrectionChange(str, enum.Enum):
    corrected = "corrected"
    marked_inferred = "marked-inferred"
    marked_reported = "marked-reported"
    removed = "removed"
    added = "added"


class RecordKind(str, enum.Enum):
    source = "source"
    actor = "actor"
    proposal = "proposal"
    reaction = "reaction"
    event = "event"


class ActorKind(str, enum.Enum):
    person = "person"
    government = "government"
    organization = "organization"
    group = "group"


class Side(str, enum.Enum):
    russia = "russia"
    ukraine = "ukraine"
    united_states = "united-states"
    europe = "europe"
    other = "other"


def _enum(enum_cls: type[enum.Enum], name: str) -> Enum:
    # Store the public values ("on-record"), not the Python member names.
    return Enum(
        enum_cls,
        name=name,
        values_callable=lambda members: [m.value for m in members],
        native_enum=False,
        create_constraint=True,
        length=32,
    )


event_actor = Table(
    "event_actor",
    Base.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("actor_id", ForeignKey("actor.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Source(Base):
    __tablename__ = "source"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(Text)
    outlet: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    date: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[Precision] = mapped_column(_enum(Precision, "precision"))
    date_note: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    # The seed document (article) this source is cited in.
    document: Mapped[str] = mapped_column(String(120))


class Actor(Base):
    __tablename__ = "actor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ActorKind] = mapped_column(_enum(ActorKind, "actor_kind"))
    role: Mapped[str] = mapped_column(Text, default="")
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    side: Mapped[Side] = mapped_column(_enum(Side, "side"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")

    reactions: Mapped[list["Reaction"]] = relationship(back_populates="actor", foreign_keys="Reaction.actor_id")


class Proposal(Base):
    __tablename__ = "proposal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    first_reported_on: Mapped[dt.date | None] = mapped_column(Date)
    first_reported_precision: Mapped[Precision] = mapped_column(_enum(Precision, "precision"))
    first_reported_note: Mapped[str] = mapped_column(Text, default="")
    first_reported_source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    position_in_list: Mapped[int] = mapped_column(Integer, default=0)
    # True when the source does not say who put it forward: it has no proposer, and says so.
    proposer_unknown: Mapped[bool] = mapped_column(Boolean, default=False)
    # ISO 3166-2 codes of the regions the article names for it (app/places.py), in its order.
    places: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")

    first_reported_source: Mapped[Source] = relationship()
    reactions: Mapped[list["Reaction"]] = relationship(back_populates="proposal")


class Reaction(Base):
    __tablename__ = "reaction"
    __table_args__ = (
        # The filters: "this actor's position", "anyone's position", "this actor's reactions".
        Index("ix_reaction_actor_position", "actor_id", "position", "proposal_id"),
        Index("ix_reaction_position_proposal", "position", "proposal_id"),
        Index("ix_reaction_proposal_id", "proposal_id"),
        # "Only stances stated outright" (basis=stated).
        Index("ix_reaction_basis_proposal", "basis", "proposal_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"))
    position: Mapped[Position] = mapped_column(_enum(Position, "position"))
    proposer: Mapped[bool] = mapped_column(Boolean, default=False)
    basis: Mapped[Basis] = mapped_column(_enum(Basis, "basis"), default=Basis.stated)
    # For an inferred position: one sentence in our words naming the passage it rests on.
    rationale: Mapped[str] = mapped_column(Text, default="")
    # For a reported position, who attributes it, as a reader sees it: the actor's name (then
    # reported_by_actor_id names them too) or the seed's description ("three unnamed sources …").
    reported_by: Mapped[str] = mapped_column(Text, default="")
    reported_by_actor_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id", ondelete="SET NULL"), index=True)
    # The first of `quotes`, kept as its own column for the views and the API's `quote` field.
    quote: Mapped[str] = mapped_column(Text, default="")
    # Every quote of the statement, verbatim, in the article's order (one statement, one reaction).
    quotes: Mapped[list[str]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text)
    condition: Mapped[str] = mapped_column(Text, default="")
    stated_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    stated_on_precision: Mapped[Precision] = mapped_column(_enum(Precision, "precision"))
    stated_on_note: Mapped[str] = mapped_column(Text, default="")
    # The last day the statement can have been made: what "as of" views compare against.
    stated_on_end: Mapped[dt.date | None] = mapped_column(Date, index=True)
    evidence: Mapped[Evidence] = mapped_column(_enum(Evidence, "evidence"))
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)

    proposal: Mapped[Proposal] = relationship(back_populates="reactions")
    actor: Mapped[Actor] = relationship(back_populates="reactions", foreign_keys=[actor_id])
    # Joined whenever a reaction is loaded: every view that shows a reaction names who reported it.
    reported_by_actor: Mapped[Actor | None] = relationship(foreign_keys=[reported_by_actor_id], lazy="joined")
    source: Mapped[Source] = relationship()


class Event(Base):
    __tablename__ = "event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    occurred_on_precision: Mapped[Precision] = mapped_column(_enum(Precision, "precision"))
    occurred_on_note: Mapped[str] = mapped_column(Text, default="")
    occurred_on_end: Mapped[dt.date | None] = mapped_column(Date)
    places: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)

    source: Mapped[Source] = relationship()
    actors: Mapped[list[Actor]] = relationship(secondary=event_actor, order_by=Actor.name)


class Correction(Base):
    """One entry of the public corrections log: what changed in a record, when and why."""

    __tablename__ = "correction"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    corrected_on: Mapped[dt.date] = mapped_column(Date, index=True)
    record_kind: Mapped[RecordKind] = mapped_column(_enum(RecordKind, "record_kind"))
    record_slug: Mapped[str] = mapped_column(String(160))
    change: Mapped[CorrectionChange] = mapped_column(_enum(CorrectionChange, "correction_change"))
    what_changed: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text)
    # The proposal whose permalink shows the note (its own record, or one of its reactions).
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"), index=True)
    document: Mapped[str] = mapped_column(String(120))
    position_in_log: Mapped[int] = mapped_column(Integer, default=0)

    proposal: Mapped[Proposal | None] = relationship()


class DataVersion(Base):
    """One row per successful import: what was imported (a hash of the seed files) and when."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    files: Mapped[str] = mapped_column(Text)


class Translation(Base):
    """The text of one field of one record in another language (seeds/translations/<locale>.yaml),
    which the site shows in that language instead of the English (app.translations). A reaction's
    quotes are a list: one row per quote, `position` its index; the English quotes are never replaced."""

    __tablename__ = "translations"
    __table_args__ = (UniqueConstraint("locale", "record_kind", "record_slug", "field", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_kind: Mapped[RecordKind] = mapped_column(_enum(RecordKind, "record_kind"))
    record_slug: Mapped[str] = mapped_column(String(160))
    # The column it stands for: title, summary, date_note, …, or quotes.
    field: Mapped[str] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(8))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)


class SearchDocument(Base):
    """Searchable text, one row per proposal, reaction and actor and per language; rebuilt by every import.

    SQLite searches the English rows through the FTS5 table `search_fts` (Porter stemming) and the
    Ukrainian and Russian ones through `search_fts_plain` (no stemming), migrations 0002 and 0007;
    PostgreSQL through GIN indexes on their tsvectors ('english', and 'simple' for uk and ru).
    """

    __tablename__ = "search_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Indexed: a search of one kind (actors) first finds the span of rowids that kind holds.
    kind: Mapped[str] = mapped_column(String(20), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    reaction_id: Mapped[int | None] = mapped_column(ForeignKey("reaction.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    # The language of the text: en, or a translated one (uk, ru).
    locale: Mapped[str] = mapped_column(String(8), default="en", server_default="en", index=True)


# Derived at import (app/derived.py), in the same all-or-nothing build as the rows they sum up.
# `who` names whose stances a row counts: "everyone", "side:russia" or "actor:42";
# `position` and `basis` are a value or "any". A reaction matches the position it holds, and a
# proposer's matches "supports" too (a proposer supports its own proposal).


class DerivedReach(Base):
    """One row per proposal that a (who, position, basis) choice reaches, and the first day it does."""

    __tablename__ = "derived_reach"
    # The primary key is the only index: a choice's rows are a range of it (at most one per proposal).
    __table_args__ = ({"sqlite_with_rowid": False},)

    who: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[str] = mapped_column(String(16), primary_key=True)
    basis: Mapped[str] = mapped_column(String(16), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True)
    # The last possible day of its earliest matching dated reaction; None when all are undated
    # (counted in the present view, never in an "as of" one).
    known_from: Mapped[dt.date | None] = mapped_column(Date)


class DerivedCount(Base):
    """How many proposals a (who, position, basis) choice reaches and how many stances it counts:
    with `as_of` None, over every reaction; otherwise as of that day, one row per day the counts
    change (a view as of D reads the latest row on or before D)."""

    __tablename__ = "derived_count"
    __table_args__ = (Index("ix_derived_count_choice_as_of", "who", "position", "basis", "as_of"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    who: Mapped[str] = mapped_column(String(40))
    position: Mapped[str] = mapped_column(String(16))
    basis: Mapped[str] = mapped_column(String(16))
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    proposals: Mapped[int] = mapped_column(Integer)
    stances: Mapped[int] = mapped_column(Integer)


class DerivedDay(Base):
    """The timeline's items per date, for everyone, one actor or one proposal: how many items
    share a (day, end, precision, rough) date; `day` None counts the undated."""

    __tablename__ = "derived_day"
    __table_args__ = (Index("ix_derived_day_who_day", "who", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    who: Mapped[str] = mapped_column(String(40))
    day: Mapped[dt.date | None] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)
    precision: Mapped[Precision] = mapped_column(_enum(Precision, "precision"))
    # Not to the day: a month, a year, "about" a day or a span; sorted after exact days.
    rough: Mapped[bool] = mapped_column(Boolean)
    items: Mapped[int] = mapped_column(Integer)
