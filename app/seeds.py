"""The seed file format: one YAML file per source document, validated with pydantic.

Errors name the file, the path inside it (`reactions[4].position`), the bad value and
what is allowed, so a reviewer can fix a seed without reading this code.
"""

import calendar
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.errors import closest
from app.models import ActorKind, Basis, CorrectionChange, Evidence, Position, Precision, RecordKind, Side
from app.places import place_error

# libyaml's C loader parses the same documents ~8x faster than the pure-Python one.
YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MAX_LENGTH = 120
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=SLUG_MAX_LENGTH)]
Text = Annotated[str, Field(min_length=1)]


def _known_place(code: str) -> str:
    if (problem := place_error(code)) is not None:
        raise ValueError(problem)
    return code


def _distinct_places(codes: list[str]) -> list[str]:
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise ValueError(f"{', '.join(repeated)} named more than once; name each place once")
    return codes


# ISO 3166-2 codes of the regions the article names for a record, in the article's order.
Places = Annotated[list[Annotated[str, AfterValidator(_known_place)]], AfterValidator(_distinct_places)]

_DATE_FORMATS = {
    Precision.day: (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "YYYY-MM-DD"),
    Precision.approximate: (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "YYYY-MM-DD (the earliest possible day)"),
    Precision.month: (re.compile(r"^\d{4}-\d{2}$"), "YYYY-MM"),
    Precision.year: (re.compile(r"^\d{4}$"), "YYYY"),
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# A note that opens by naming the day ("Saturday", "a Sunday after …", "on Thursday") dates it by
# that weekday; a weekday named later ("after Lavrov's Sunday interview") is context.
_WEEKDAY_NOTE = re.compile(r"^(?:an?\s+|on\s+)?(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)


class SeedModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class DateRef(SeedModel):
    """A date at the precision the source gives it; `note` says what is known when approximate."""

    date: str | None = None
    precision: Precision
    note: str = ""
    # For approximate dates: the last day the note allows, when the text bounds it.
    until: dt.date | None = None
    # The event or reaction this one followed ("followed", "reinforced"): it cannot end before
    # that one starts, and that one cannot end after it.
    after: Slug | None = None

    @model_validator(mode="before")
    @classmethod
    def _dates_as_text(cls, data: Any) -> Any:
        # YAML reads 2024-12-26 as a date; keep the text so precision can be checked against it.
        if isinstance(data, dict) and isinstance(data.get("date"), dt.date):
            data = {**data, "date": data["date"].isoformat()}
        if isinstance(data, dict) and isinstance(data.get("date"), int):
            data = {**data, "date": str(data["date"])}
        return data

    @model_validator(mode="after")
    def _date_fits_precision(self) -> "DateRef":
        if self.precision is Precision.unknown:
            if self.date is not None:
                raise ValueError(f"date {self.date!r} given with precision 'unknown'; leave date empty")
            return self
        if self.date is None:
            raise ValueError(f"precision {self.precision.value!r} needs a date; use precision 'unknown' when none is given")
        pattern, shape = _DATE_FORMATS[self.precision]
        if not pattern.match(self.date):
            raise ValueError(f"date {self.date!r} does not fit precision {self.precision.value!r}: write it as {shape}")
        self.start  # noqa: B018 - raises on impossible dates such as 2024-02-30
        if self.precision is Precision.approximate and not self.note:
            raise ValueError("an approximate date needs a note saying what is known, e.g. 'late December 2024'")
        if self.until is not None:
            if self.precision is not Precision.approximate:
                raise ValueError(f"until is only for approximate dates, not {self.precision.value!r}")
            if self.start and self.until < self.start:
                raise ValueError(f"until {self.until.isoformat()} is before date {self.date}; until must be on or after date")
        self._weekday_matches_note()
        return self

    def _weekday_matches_note(self) -> None:
        """A note that names the date's weekday ("On Saturday") must fit the stored day(s)."""
        match = _WEEKDAY_NOTE.match(self.note.strip("“”\"' "))
        if match is None or self.start is None or self.precision not in (Precision.day, Precision.approximate):
            return
        weekday = match.group(1).capitalize()
        for day in dict.fromkeys(d for d in (self.start, self.until) if d is not None):
            if WEEKDAYS[day.weekday()] != weekday:
                raise ValueError(
                    f"note {self.note!r} names a {weekday}, but {day.isoformat()} is a {WEEKDAYS[day.weekday()]}; "
                    f"store a {weekday} or change the note"
                )

    @property
    def end(self) -> dt.date | None:
        """The last day the date can stand for."""
        if self.until is not None:
            return self.until
        return date_end(self.start, self.precision)

    @property
    def start(self) -> dt.date | None:
        """The first day the date can stand for."""
        if self.date is None:
            return None
        parts = [int(p) for p in self.date.split("-")]
        try:
            return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError as exc:
            raise ValueError(f"date {self.date!r} is not a real date: {exc}") from None


def date_end(start: dt.date | None, precision: Precision) -> dt.date | None:
    """The last day a date can stand for (month and year precision cover a span; an approximate
    date without `until` is taken at its stated day)."""
    if start is None:
        return None
    if precision is Precision.month:
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if precision is Precision.year:
        return start.replace(month=12, day=31)
    return start


class SourceSeed(SeedModel):
    slug: Slug
    title: Text
    outlet: Text
    kind: Text
    published: DateRef
    url: str = ""


class ActorSeed(SeedModel):
    slug: Slug
    name: Text
    kind: ActorKind
    role: str = ""
    affiliation: str = ""
    side: Side
    description: str = ""


# A summary that says the source names no proposer ("The article does not say who first suggested
# Slovakia"): the proposal must then say `proposer_unknown: true`, and no reaction may be its proposer.
_NO_PROPOSER_PHRASE = re.compile(
    r"\b(?:does not|doesn’t|doesn't|never) (?:say|name|report)s? who (?:first )?(?:proposed|suggested|put forward|floated)",
    re.IGNORECASE,
)


class ProposalSeed(SeedModel):
    slug: Slug
    title: Text
    summary: Text
    first_reported: DateRef
    first_reported_by: Slug = Field(description="slug of the source that first reported it")
    # The source does not say who put it forward: no reaction may be tagged its proposer.
    proposer_unknown: bool = False

    @model_validator(mode="after")
    def _summary_agrees_on_the_proposer(self) -> "ProposalSeed":
        if _NO_PROPOSER_PHRASE.search(self.summary) and not self.proposer_unknown:
            raise ValueError(
                "the summary says the source does not name who proposed it; add proposer_unknown: true "
                "(and tag no reaction as its proposer)"
            )
        return self
    places: Places = []


class ReactionSeed(SeedModel):
    slug: Slug
    proposal: Slug
    actor: Slug
    position: Position
    proposer: bool = False
    # stated: the actor's own words or act take this position on the record, checkable in the quote
    # or passage; reported: someone else (`reported_by`) attributes it to the actor;
    # inferred: our reading of something else, which `rationale` names.
    basis: Basis
    # Who attributes a reported position: an actor slug, or a description of the source.
    reported_by: str = ""
    rationale: str = ""
    # One statement is one reaction: `quote` for one quotation, `quotes` for several (in article order).
    quote: str = ""
    quotes: list[Text] = []
    summary: Text
    condition: str = ""
    stated_on: DateRef
    evidence: Evidence
    source: Slug

    @model_validator(mode="after")
    def _condition_matches_position(self) -> "ReactionSeed":
        if self.position is Position.conditional and not self.condition:
            raise ValueError("a 'conditional' reaction needs a condition")
        if self.position is not Position.conditional and self.condition:
            raise ValueError(f"condition given but position is {self.position.value!r}; only 'conditional' takes one")
        if self.proposer and self.position is Position.rejects:
            raise ValueError("a proposer cannot reject its own proposal")
        if self.quote and self.quotes:
            raise ValueError("give either quote (one) or quotes (a list), not both")
        return self

    @property
    def all_quotes(self) -> list[str]:
        """Every quote of the reaction, whichever key the seed used."""
        return [self.quote] if self.quote else list(self.quotes)


# Evidence that the actor took the position themselves, openly: what 'stated' requires.
ON_RECORD = (Evidence.on_record, Evidence.official_document)


def basis_errors(reaction: ReactionSeed) -> list[tuple[str, str]]:
    """(path inside the reaction, message) for each way its basis disagrees with its other fields."""
    errors = []
    basis = reaction.basis
    if basis is Basis.inferred and not reaction.rationale:
        errors.append(("", "an 'inferred' reaction needs a rationale: one sentence naming the passage it rests on"))
    if basis is not Basis.inferred and reaction.rationale:
        errors.append(("rationale", f"rationale given but basis is {basis.value!r}; only 'inferred' takes a rationale"))
    if basis is Basis.reported and not reaction.reported_by:
        errors.append(("reported_by", "a 'reported' reaction needs reported_by: the actor slug or a description of who attributes it"))
    if basis is not Basis.reported and reaction.reported_by:
        errors.append(("reported_by", f"{reaction.reported_by!r} given but basis is {basis.value!r}; only 'reported' takes reported_by"))
    if basis is Basis.stated and reaction.evidence not in ON_RECORD:
        what = "a quote" if reaction.all_quotes else "no quote"
        errors.append((
            "evidence",
            f"{reaction.evidence.value!r} on a 'stated' reaction with {what}: stated means the actor's own words or act "
            f"on the record ({' or '.join(repr(e.value) for e in ON_RECORD)}); if someone else attributes it, "
            "use basis 'reported' with reported_by",
        ))
    return errors



class EventSeed(SeedModel):
    slug: Slug
    title: Text
    summary: Text
    occurred_on: DateRef
    actors: list[Slug] = []
    source: Slug
    places: Places = []


class CorrectionSeed(SeedModel):
    """One entry of the public corrections log."""

    on: dt.date
    kind: RecordKind
    record: Slug
    change: CorrectionChange
    what_changed: Text
    why: Text
    # For a removed reaction: the proposal whose permalink should show the note.
    proposal: Slug | None = None

    @model_validator(mode="before")
    @classmethod
    def _on_key(cls, data: Any) -> Any:
        # YAML 1.1 reads a bare `on:` key as the boolean true.
        if isinstance(data, dict) and True in data:
            data = {("on" if k is True else k): v for k, v in data.items()}
        return data


class SeedFile(SeedModel):
    document: Slug = Field(description="slug of the source (in `sources`) that this file curates")
    sources: list[SourceSeed]
    actors: list[ActorSeed] = []
    proposals: list[ProposalSeed] = []
    reactions: list[ReactionSeed] = []
    events: list[EventSeed] = []
    corrections: list[CorrectionSeed] = []


@dataclass
class SeedError:
    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class SeedValidationError(Exception):
    def __init__(self, errors: list[SeedError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class SeedSet:
    """Every record from a set of seed files, merged by slug and cross-checked."""

    files: list[Path]
    content_hash: str
    sources: dict[str, SourceSeed] = field(default_factory=dict)
    source_document: dict[str, str] = field(default_factory=dict)
    actors: dict[str, ActorSeed] = field(default_factory=dict)
    proposals: dict[str, ProposalSeed] = field(default_factory=dict)
    reactions: dict[str, ReactionSeed] = field(default_factory=dict)
    events: dict[str, EventSeed] = field(default_factory=dict)
    # The log in file order, with the document (seed file) each entry came from.
    corrections: list[tuple[str, CorrectionSeed]] = field(default_factory=list)
    # Each file as parsed, for checks that name a file and a path.
    parsed: list[tuple[Path, SeedFile]] = field(default_factory=list)
    # The translation files read (seeds/translations/*.yaml) and their texts (app.seed_translations).
    translation_files: list[Path] = field(default_factory=list)
    translations: list[Any] = field(default_factory=list)


def _loc_to_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif str(part).startswith("function-"):
            continue
        else:
            path += f".{part}" if path else str(part)
    return path


def _format_pydantic_error(err: dict[str, Any]) -> str:
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] in ("extra_forbidden",):
        return "unknown field; remove it or check its spelling"
    if err["type"] == "missing":
        return "required field is missing"
    if err["type"] == "string_pattern_mismatch":
        return f"{err['input']!r} is not a slug; allowed: lowercase letters, digits and single hyphens (e.g. 'vladimir-putin')"
    if err["type"] in ("value_error", "assertion_error") or isinstance(err.get("input"), dict | list):
        return message
    return f"{err['input']!r}: {message}"


def expand_paths(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        else:
            files.append(path)
    return files


def parse_seed_file(path: Path) -> SeedFile:
    name = str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SeedValidationError([SeedError(name, "", "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise SeedValidationError([SeedError(name, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    try:
        data = yaml.load(raw, Loader=YamlLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SeedValidationError([SeedError(name, where, f"not valid YAML: {problem}")]) from None
    if not isinstance(data, dict):
        raise SeedValidationError(
            [SeedError(name, "", f"the file must be a YAML mapping with keys document, sources, actors, proposals, reactions, events; got {type(data).__name__}")]
        )
    try:
        return SeedFile.model_validate(data)
    except ValidationError as exc:
        raise SeedValidationError(
            [SeedError(name, _loc_to_path(e["loc"]), _format_pydantic_error(e)) for e in exc.errors()]
        ) from None


def _closest(value: str, candidates: list[str]) -> str:
    matches = closest(value, candidates)
    return f"; closest: {', '.join(matches)}" if matches else ""


def seed_content_hash(files: list[Path], translation_files: list[Path] | None = None) -> str:
    """SHA-256 over the files' names and bytes, translations included: the data version an import
    of them records. (Without translation files it is the hash of the seed files alone.)"""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for path in translation_files or []:
        digest.update(f"translations/{path.name}".encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def seed_set_hash(paths: list[Path]) -> str | None:
    """The content hash `load_seed_set(paths)` would record, from the bytes alone (milliseconds);
    None when a file is missing."""
    from app.seed_translations import translation_files

    files = expand_paths(paths)
    translations = translation_files(paths)
    if not files or not all(p.is_file() for p in [*files, *translations]):
        return None
    return seed_content_hash(files, translations)


def load_seed_set(paths: list[Path]) -> SeedSet:
    """Parse, merge and cross-check seed files. Raises SeedValidationError listing every problem."""
    files = expand_paths(paths)
    errors: list[SeedError] = []
    if not files:
        raise SeedValidationError([SeedError(", ".join(map(str, paths)) or "(no path)", "", "no .yaml seed files found")])
    parsed: list[tuple[Path, SeedFile]] = []
    for path in files:
        try:
            parsed.append((path, parse_seed_file(path)))
        except SeedValidationError as exc:
            errors.extend(exc.errors)
    if errors:
        raise SeedValidationError(errors)

    from app.seed_translations import load_translations, translation_files

    translations = translation_files(paths)
    seeds = SeedSet(
        files=files, content_hash=seed_content_hash(files, translations), parsed=parsed, translation_files=translations
    )
    defined_in: dict[tuple[str, str], str] = {}
    for path, seed in parsed:
        name = str(path)
        for collection, records in (
            ("sources", seed.sources),
            ("actors", seed.actors),
            ("proposals", seed.proposals),
            ("reactions", seed.reactions),
            ("events", seed.events),
        ):
            target: dict[str, Any] = getattr(seeds, collection)
            for index, record in enumerate(records):
                key = (collection, record.slug)
                if record.slug in target and target[record.slug] != record:
                    errors.append(SeedError(name, f"{collection}[{index}].slug", f"{record.slug!r} is already defined differently in {defined_in[key]}; a slug names one record"))
                    continue
                target[record.slug] = record
                defined_in.setdefault(key, f"{name} {collection}[{index}]")
                if collection == "sources":
                    seeds.source_document[record.slug] = seed.document
        if seed.document not in {s.slug for s in seed.sources}:
            errors.append(SeedError(name, "document", f"{seed.document!r} is not one of this file's sources; allowed: {', '.join(s.slug for s in seed.sources)}"))

    def check_ref(name: str, path: str, value: str, kind: str, known: dict[str, Any]) -> None:
        if value not in known:
            errors.append(SeedError(name, path, f"{value!r} names no {kind}{_closest(value, list(known))}"))

    for path, seed in parsed:
        name = str(path)
        for i, p in enumerate(seed.proposals):
            check_ref(name, f"proposals[{i}].first_reported_by", p.first_reported_by, "source", seeds.sources)
        for i, r in enumerate(seed.reactions):
            check_ref(name, f"reactions[{i}].proposal", r.proposal, "proposal", seeds.proposals)
            check_ref(name, f"reactions[{i}].actor", r.actor, "actor", seeds.actors)
            check_ref(name, f"reactions[{i}].source", r.source, "source", seeds.sources)
        for i, e in enumerate(seed.events):
            check_ref(name, f"events[{i}].source", e.source, "source", seeds.sources)
            for j, actor in enumerate(e.actors):
                check_ref(name, f"events[{i}].actors[{j}]", actor, "actor", seeds.actors)
    errors.extend(_order_errors(seeds))
    errors.extend(_correction_errors(seeds))
    errors.extend(_reaction_errors(seeds))
    errors.extend(_paragraph_sign_errors(seeds))
    proposed = {r.proposal for r in seeds.reactions.values() if r.proposer}
    for path, seed in parsed:
        for i, p in enumerate(seed.proposals):
            if p.slug not in proposed and not p.proposer_unknown:
                errors.append(SeedError(
                    str(path), f"proposals[{i}]",
                    f"{p.slug!r} has no reaction with proposer: true; say who put it forward, or, if the source "
                    "does not say, add proposer_unknown: true",
                ))
    if errors:
        raise SeedValidationError(errors)
    # The translations are checked against English records that are themselves valid.
    errors.extend(load_translations(seeds, paths))
    if errors:
        raise SeedValidationError(errors)
    return seeds


def _reaction_errors(seeds: SeedSet) -> list[SeedError]:
    """Basis against evidence and reported_by, who reports it, proposer tags against their
    proposal, and one reaction per statement."""
    errors = []
    for path, seed in seeds.parsed:
        name = str(path)
        first_of: dict[tuple[Any, ...], int] = {}
        for i, r in enumerate(seed.reactions):
            where = f"reactions[{i}]"
            errors.extend(SeedError(name, f"{where}.{sub}" if sub else where, message) for sub, message in basis_errors(r))
            if r.basis is Basis.reported and re.match(SLUG_PATTERN, r.reported_by) and r.reported_by not in seeds.actors:
                errors.append(SeedError(
                    name, f"{where}.reported_by",
                    f"{r.reported_by!r} looks like an actor slug but names no actor{_closest(r.reported_by, list(seeds.actors))}; "
                    "write who reports it in words if it is not an actor in the data",
                ))
            if r.basis is Basis.reported and r.reported_by == r.actor:
                errors.append(SeedError(name, f"{where}.reported_by", f"{r.reported_by!r} is the actor itself; its own words are 'stated'"))
            proposal = seeds.proposals.get(r.proposal)
            if r.proposer and proposal is not None and proposal.proposer_unknown:
                errors.append(SeedError(
                    name, f"{where}.proposer",
                    f"true, but proposal {r.proposal!r} says the source does not name who proposed it (proposer_unknown: true); "
                    "remove the proposer tag, or the proposal's claim",
                ))
            key = (r.actor, r.proposal, r.stated_on.date, r.stated_on.precision, r.stated_on.until)
            if key in first_of:
                earlier = seed.reactions[first_of[key]]
                errors.append(SeedError(
                    name, where,
                    f"{r.slug!r} is a second reaction by {r.actor!r} on {r.proposal!r} for the same date as {earlier.slug!r} "
                    f"(reactions[{first_of[key]}]); several sentences of one statement are one reaction: merge them, "
                    "with every quote in quotes: [...]",
                ))
            else:
                first_of[key] = i
    return errors


PARAGRAPH_SIGN = "¶"


def _text_fields(value: Any, path: str) -> Any:
    """(path, text) of every string in a record, nested dates' notes included (not slugs or quotes)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for field_name in type(value).model_fields:
            if field_name not in ("slug", "quote", "quotes"):
                yield from _text_fields(getattr(value, field_name), f"{path}.{field_name}")


def _paragraph_sign_errors(seeds: SeedSet) -> list[SeedError]:
    """Readers never see the article's paragraph numbers, so no text we show may point at one."""
    errors = []
    for path, seed in seeds.parsed:
        for collection in ("sources", "actors", "proposals", "reactions", "events", "corrections"):
            for index, record in enumerate(getattr(seed, collection)):
                for where, text in _text_fields(record, f"{collection}[{index}]"):
                    if PARAGRAPH_SIGN in text:
                        errors.append(SeedError(
                            str(path), where,
                            f"{text!r} points at a paragraph number (¶), which readers of the page cannot see; "
                            "name the passage in words (who said what)",
                        ))
    return errors


def _dated_records(seeds: SeedSet) -> dict[str, dict[str, DateRef]]:
    return {
        "event": {slug: e.occurred_on for slug, e in seeds.events.items()},
        "reaction": {slug: r.stated_on for slug, r in seeds.reactions.items()},
    }


def _order_errors(seeds: SeedSet) -> list[SeedError]:
    """`after: SLUG` on a date: the record followed that event or reaction, so it cannot end
    before that one starts, and that one cannot end after it does."""
    dated = _dated_records(seeds)
    errors = []
    for path, seed in seeds.parsed:
        followers = [
            *(("reactions", i, "stated_on", r.stated_on) for i, r in enumerate(seed.reactions)),
            *(("events", i, "occurred_on", e.occurred_on) for i, e in enumerate(seed.events)),
            *(("proposals", i, "first_reported", p.first_reported) for i, p in enumerate(seed.proposals)),
            *(("sources", i, "published", src.published) for i, src in enumerate(seed.sources)),
        ]
        for collection, index, field_name, ref in followers:
            if ref.after is None:
                continue
            where = f"{collection}[{index}].{field_name}.after"
            targets = [(kind, records[ref.after]) for kind, records in dated.items() if ref.after in records]
            if not targets:
                known = [*dated["event"], *dated["reaction"]]
                errors.append(SeedError(str(path), where, f"{ref.after!r} names no event or reaction{_closest(ref.after, known)}"))
                continue
            kind, before = targets[0]
            if ref.end is not None and before.start is not None and ref.end < before.start:
                errors.append(SeedError(
                    str(path), where,
                    f"this date ends {ref.end.isoformat()}, before the {kind} {ref.after!r} it followed starts "
                    f"({before.start.isoformat()}); a record cannot end before the one it follows",
                ))
            elif ref.end is not None and before.end is not None and before.end > ref.end:
                errors.append(SeedError(
                    str(path), where,
                    f"the {kind} {ref.after!r} it followed can end as late as {before.end.isoformat()}, after this date "
                    f"ends ({ref.end.isoformat()}); narrow that one's until, or widen this one",
                ))
    return errors


# A correction that re-marks how a reaction's position is known, and the basis it gives it.
MARKED_BASIS = {CorrectionChange.marked_inferred: Basis.inferred, CorrectionChange.marked_reported: Basis.reported}


def _correction_errors(seeds: SeedSet) -> list[SeedError]:
    """A corrected, added or re-marked record must exist; a removed one must be gone."""
    records: dict[RecordKind, dict[str, Any]] = {
        RecordKind.source: seeds.sources,
        RecordKind.actor: seeds.actors,
        RecordKind.proposal: seeds.proposals,
        RecordKind.reaction: seeds.reactions,
        RecordKind.event: seeds.events,
    }
    errors = []
    for path, seed in seeds.parsed:
        latest_marking = {
            entry.record: index for index, entry in enumerate(seed.corrections) if entry.change in MARKED_BASIS
        }
        # A record's latest entry says whether it must exist; earlier ones are its history.
        latest_entry = {(entry.kind, entry.record): index for index, entry in enumerate(seed.corrections)}
        for index, entry in enumerate(seed.corrections):
            seeds.corrections.append((seed.document, entry))
            where = f"corrections[{index}]"
            known = records[entry.kind]
            latest = latest_entry[(entry.kind, entry.record)] == index
            if entry.change is CorrectionChange.removed and entry.record in known:
                errors.append(SeedError(str(path), f"{where}.record", f"{entry.record!r} is logged as removed but is still a {entry.kind.value} in the seeds"))
            elif entry.change is not CorrectionChange.removed and entry.record not in known and latest:
                errors.append(SeedError(str(path), f"{where}.record", f"{entry.record!r} names no {entry.kind.value}{_closest(entry.record, list(known))}"))
            marked = MARKED_BASIS.get(entry.change)
            if marked is not None and entry.kind is not RecordKind.reaction:
                errors.append(SeedError(str(path), f"{where}.change", f"{entry.change.value!r} is for a reaction, not a {entry.kind.value}"))
            elif marked is not None and entry.record in known and latest_marking[entry.record] == index and known[entry.record].basis is not marked:
                # Only a reaction's latest re-marking must match its basis; earlier ones are history.
                errors.append(SeedError(
                    str(path), f"{where}.change",
                    f"{entry.change.value!r} needs a reaction whose basis is {marked.value!r}; {entry.record!r} is "
                    f"{known[entry.record].basis.value!r}",
                ))
            if entry.proposal is not None and entry.proposal not in seeds.proposals:
                errors.append(SeedError(str(path), f"{where}.proposal", f"{entry.proposal!r} names no proposal{_closest(entry.proposal, list(seeds.proposals))}"))
    return errors
