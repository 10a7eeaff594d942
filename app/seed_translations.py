"""The translation files: seeds/translations/<language>.yaml, checked against the English records.

A seed folder may hold a `translations/` subfolder with one file per translated language (uk.yaml,
ru.yaml). The loader reads it explicitly (the seed files stay the folder's top-level *.yaml). A
file holds text only, keyed by collection, record slug and field:

    language: uk
    proposals:
      nato-membership-20-year-delay:
        title: "Відкласти вступ України до НАТО на 20 років …"
        first_reported.note: "«6 листопада»; …"
    reactions:
      putin-rejects-nato-delay:
        quotes: ["…"]          # our translation, shown beside the English, which stays

The rules, each an error naming the file, the key path and the value:
- a folder with translations must translate into every language (uk, ru), and each file names its
  language (`language: uk` in uk.yaml);
- every translatable field with English text has a translation in every language, and nothing else
  does: a translation of a field the English leaves empty is an error;
- only translatable fields: slugs, positions, bases, dates and their precision, evidence, actor
  slugs in `reported_by` (the reader sees the actor's translated name), ids and the like are data;
- a slug must name a record of the seeds;
- `quotes` is a list as long as the English quotes (a `quote` or `quotes` in English alike);
- a translation identical to the English is an error unless the English is a name: it has no
  lower-case word of four letters or more ("The Wall Street Journal", "Sky News" may stay as they
  are; "news article" may not);
- no paragraph sign (¶), as in the English.
`truce check` with the articles also applies the no-copying rule to them (app.verbatim).

A seed set without a translations folder (synthetic data, test fixtures, one file given by path)
is English only: the site then shows the English in every language.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel

from app.errors import closest
from app.i18n import TRANSLATED
from app.models import RecordKind

if TYPE_CHECKING:
    from app.seeds import SeedError, SeedSet

TRANSLATIONS_FOLDER = "translations"

# Per collection: the record kind, and each translatable seed key with the column it replaces.
TRANSLATABLE: dict[str, tuple[RecordKind, dict[str, str]]] = {
    "sources": (RecordKind.source, {"title": "title", "outlet": "outlet", "kind": "kind", "published.note": "date_note"}),
    "actors": (RecordKind.actor, {"name": "name", "role": "role", "affiliation": "affiliation", "description": "description"}),
    "proposals": (RecordKind.proposal, {"title": "title", "summary": "summary", "first_reported.note": "first_reported_note"}),
    "reactions": (
        RecordKind.reaction,
        {
            "summary": "summary",
            "rationale": "rationale",
            "condition": "condition",
            "reported_by": "reported_by",
            "stated_on.note": "stated_on_note",
            "quotes": "quotes",
        },
    ),
    "events": (RecordKind.event, {"title": "title", "summary": "summary", "occurred_on.note": "occurred_on_note"}),
}
# The fields that must be in our own words (the no-copying rule), as for the English (app.verbatim).
OWN_WORDS = {
    "proposals": ("title", "summary"),
    "reactions": ("summary", "condition", "rationale"),
    "events": ("title", "summary"),
    "actors": ("description",),
}
# A name may stay as it is: English text without a lower-case word of four letters or more.
_COMMON_WORD = re.compile(r"(?<![\w’'])[a-z][a-z’'-]{3,}")


@dataclass(frozen=True)
class TranslatedText:
    """One translated field (or one quote of a reaction's list) of one record in one language."""

    locale: str
    kind: RecordKind
    slug: str
    field: str  # the column it stands for: title, date_note, quotes, …
    position: int  # the quote's index in `quotes`; 0 for any other field
    text: str
    file: Path
    key_path: str  # where it is in the file: reactions.putin-rejects-nato-delay.quotes[0]
    seed_key: str  # the key in the file: title, published.note, quotes


def translation_files(paths: list[Path]) -> list[Path]:
    """The translation files of the seed folders among `paths` (files given one by one have none)."""
    files: list[Path] = []
    for path in paths:
        folder = path / TRANSLATIONS_FOLDER
        if path.is_dir() and folder.is_dir():
            files.extend(sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml")))
    return files


def translation_folders(paths: list[Path]) -> list[Path]:
    return [path / TRANSLATIONS_FOLDER for path in paths if path.is_dir() and (path / TRANSLATIONS_FOLDER).is_dir()]


def is_name(english: str) -> bool:
    """True when the English text reads as a name, which a translation may keep as it is."""
    return _COMMON_WORD.search(english) is None


def _shown(text: str, limit: int = 100) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def english_value(seeds: "SeedSet", collection: str, record: BaseModel, seed_key: str) -> str | list[str]:
    """The English text a translation stands for ('' when the record has none)."""
    if seed_key == "quotes":
        return list(record.all_quotes)  # type: ignore[attr-defined]
    if "." in seed_key:
        date_field, sub = seed_key.split(".", 1)
        return getattr(getattr(record, date_field), sub) or ""
    value = getattr(record, seed_key) or ""
    if collection == "reactions" and seed_key == "reported_by" and value in seeds.actors:
        return ""  # an actor slug: the reader sees the actor's (translated) name
    return value


def _data_key_message(collection: str, key: str, seed_model: type[BaseModel]) -> str | None:
    """Why a key that is a field of the record but not text is refused; None for an unknown key."""
    head, _, sub = key.partition(".")
    if head in seed_model.model_fields and (not sub or sub in ("date", "precision", "until", "after")):
        if collection == "reactions" and key == "quote":
            return "'quote' is not a key of a translation: give every quote as a list, quotes: [...], in the English order"
        return (
            f"{key!r} is data, not text: a translation file holds only the text a reader sees "
            f"({', '.join(TRANSLATABLE[collection][1])}); remove it"
        )
    return None


def load_translations(seeds: "SeedSet", paths: list[Path]) -> list["SeedError"]:
    """Parse and check the translation files of `paths` against the (valid) English seeds, filling
    `seeds.translations`. Returns every problem found."""
    from app.seeds import (
        PARAGRAPH_SIGN,
        ActorSeed,
        EventSeed,
        ProposalSeed,
        ReactionSeed,
        SeedError,
        SourceSeed,
        YamlLoader,
    )

    models: dict[str, type[BaseModel]] = {
        "sources": SourceSeed,
        "actors": ActorSeed,
        "proposals": ProposalSeed,
        "reactions": ReactionSeed,
        "events": EventSeed,
    }
    folders = translation_folders(paths)
    if not folders:
        return []
    errors: list[SeedError] = []
    by_locale: dict[str, list[Path]] = defaultdict(list)
    for path in seeds.translation_files:
        if path.stem not in TRANSLATED:
            errors.append(SeedError(
                str(path), "", f"{path.name!r} is not a language of the site; name a translation file after its "
                f"language: {', '.join(f'{lang}.yaml' for lang in TRANSLATED)}",
            ))
            continue
        by_locale[path.stem].append(path)
    for locale in TRANSLATED:
        if locale not in by_locale:
            errors.append(SeedError(
                str(folders[0] / f"{locale}.yaml"), "", f"file not found: every record's text must be translated into "
                f"every language of the site ({', '.join(TRANSLATED)})",
            ))

    texts: list[TranslatedText] = []
    for locale, files in by_locale.items():
        readable = True
        # (collection, slug, seed key) -> where it was translated, for duplicates across files.
        given: dict[tuple[str, str, str], str] = {}
        for path in files:
            name = str(path)
            try:
                data = yaml.load(path.read_text(encoding="utf-8"), Loader=YamlLoader)  # noqa: S506 - a safe loader
            except UnicodeDecodeError as exc:
                errors.append(SeedError(name, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
                readable = False
                continue
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
                errors.append(SeedError(name, where, f"not valid YAML: {getattr(exc, 'problem', None) or exc}"))
                readable = False
                continue
            if not isinstance(data, dict):
                errors.append(SeedError(
                    name, "", f"a translation file must be a YAML mapping with keys language, {', '.join(TRANSLATABLE)}; "
                    f"got {type(data).__name__}",
                ))
                readable = False
                continue
            if data.get("language") != locale:
                errors.append(SeedError(
                    name, "language", f"{data.get('language')!r}: this file translates into {locale!r} (its name); "
                    f"write language: {locale}",
                ))
            for key in data:
                if key != "language" and key not in TRANSLATABLE:
                    errors.append(SeedError(
                        name, str(key), f"unknown key; allowed: language, {', '.join(TRANSLATABLE)}"
                    ))
            for collection, (kind, fields) in TRANSLATABLE.items():
                records = data.get(collection) or {}
                if not isinstance(records, dict):
                    errors.append(SeedError(name, collection, f"must map record slugs to their texts; got {type(records).__name__}"))
                    continue
                known: dict[str, BaseModel] = getattr(seeds, collection)
                for slug, values in records.items():
                    where = f"{collection}.{slug}"
                    record = known.get(slug)
                    if record is None:
                        suggestions = closest(str(slug), list(known))
                        errors.append(SeedError(
                            name, where, f"{slug!r} names no {kind.value} in the seeds"
                            + (f"; closest: {', '.join(suggestions)}" if suggestions else ""),
                        ))
                        continue
                    if not isinstance(values, dict):
                        errors.append(SeedError(name, where, f"must map fields to their text; got {type(values).__name__}"))
                        continue
                    for seed_key, value in values.items():
                        seed_key = str(seed_key)
                        key_path = f"{where}.{seed_key}"
                        if seed_key not in fields:
                            message = _data_key_message(collection, seed_key, models[collection])
                            if message is None:
                                suggestions = closest(seed_key, list(fields))
                                message = (
                                    f"unknown field; the translatable fields of a {kind.value} are {', '.join(fields)}"
                                    + (f" (closest: {', '.join(suggestions)})" if suggestions else "")
                                )
                            errors.append(SeedError(name, key_path, message))
                            continue
                        english = english_value(seeds, collection, record, seed_key)
                        if not english:
                            what = (
                                f"the English reported_by {getattr(record, 'reported_by')!r} is an actor slug (data): the page "
                                "shows that actor's translated name"
                                if seed_key == "reported_by" and getattr(record, "reported_by", "")
                                else f"the English record has no {seed_key}"
                            )
                            errors.append(SeedError(name, key_path, f"{_shown(str(value))} translates nothing: {what}; remove it"))
                            continue
                        if (collection, slug, seed_key) in given:
                            errors.append(SeedError(name, key_path, f"translated twice: also in {given[(collection, slug, seed_key)]}"))
                            continue
                        given[(collection, slug, seed_key)] = name
                        if isinstance(english, list):
                            items = value if isinstance(value, list) else None
                            if items is None:
                                errors.append(SeedError(name, key_path, f"{_shown(str(value))}: quotes must be a list, one translation per English quote"))
                                continue
                            if len(items) != len(english):
                                errors.append(SeedError(
                                    name, key_path, f"{len(items)} quote(s) where the English has {len(english)} "
                                    f"({'; '.join(_shown(q, 60) for q in english)}); translate each quote, in the same order",
                                ))
                                continue
                            pairs = [(f"{key_path}[{i}]", item, english[i], i) for i, item in enumerate(items)]
                        else:
                            pairs = [(key_path, value, english, 0)]
                        for item_path, item, english_text, position in pairs:
                            if not isinstance(item, str) or not item.strip():
                                errors.append(SeedError(name, item_path, f"{item!r}: a translation must be non-empty text"))
                                continue
                            item = item.strip()
                            if item == english_text and not is_name(english_text):
                                errors.append(SeedError(
                                    name, item_path, f"{_shown(item)} is the English text itself; translate it (only a name, "
                                    "with no lower-case word of four letters or more, may stay as it is)",
                                ))
                                continue
                            if PARAGRAPH_SIGN in item:
                                errors.append(SeedError(
                                    name, item_path, f"{_shown(item)} points at a paragraph number (¶), which readers of "
                                    "the page cannot see; name the passage in words",
                                ))
                                continue
                            texts.append(TranslatedText(
                                locale=locale, kind=kind, slug=slug, field=fields[seed_key], position=position,
                                text=item, file=path, key_path=item_path, seed_key=seed_key,
                            ))
        # Every field with English text, in this language (once its files can be read at all).
        if not readable:
            continue
        for collection, (kind, fields) in TRANSLATABLE.items():
            for slug, record in getattr(seeds, collection).items():
                for seed_key in fields:
                    english = english_value(seeds, collection, record, seed_key)
                    if english and (collection, slug, seed_key) not in given:
                        shown = "; ".join(_shown(q, 60) for q in english) if isinstance(english, list) else _shown(english)
                        errors.append(SeedError(
                            str(files[0]), f"{collection}.{slug}.{seed_key}",
                            f"missing: the English {shown} has no {locale} translation",
                        ))
    seeds.translations = texts
    return errors


def counts_by_locale(texts: list[TranslatedText]) -> dict[str, int]:
    counts: dict[str, int] = {locale: 0 for locale in TRANSLATED}
    for text in texts:
        counts[text.locale] = counts.get(text.locale, 0) + 1
    return counts


def own_words(texts: list[TranslatedText]) -> list[TranslatedText]:
    """The translations that must be in our own words (the no-copying rule applies to them)."""
    by_kind = {kind: OWN_WORDS.get(collection, ()) for collection, (kind, _) in TRANSLATABLE.items()}
    return [t for t in texts if t.seed_key in by_kind[t.kind]]


def translatable_count(seeds: "SeedSet") -> int:
    """How many fields of the English seeds a complete translation covers (each quote counts)."""
    total = 0
    for collection, (_, fields) in TRANSLATABLE.items():
        for record in getattr(seeds, collection).values():
            for seed_key in fields:
                english = english_value(seeds, collection, record, seed_key)
                total += len(english) if isinstance(english, list) else bool(english)
    return total
