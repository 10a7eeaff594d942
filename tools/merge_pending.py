"""Merge helpers' pending translations (app/locales/pending/*.json) into the uk and ru catalogs.

    python tools/merge_pending.py app/locales/pending/*.json            # fill the .po files
    python tools/merge_pending.py --check app/locales/pending/*.json    # report only, write nothing
    python tools/merge_pending.py --compile app/locales/pending/*.json  # fill, then compile the .mo files

Each JSON file is a list of entries
    {"msgid": "Rejects", "uk": "Відхиляє", "ru": "Отвергает"}
    {"msgid": "%(num)s proposal", "msgid_plural": "%(num)s proposals", "uk": [one, few, many], "ru": [...]}
    {"msgctxt": "filter", "msgid": "Position", "uk": "Позиція", "ru": "Позиция"}

Run `make messages` first, so app/locales/messages.pot holds every msgid of the code and templates.
Each catalog is first brought up to date with the template (as `pybabel update --no-fuzzy-matching
--ignore-obsolete` does), then every entry whose msgid (and context) is in the template gets its
translation. The report names:
  extra      entries whose msgid is not in the template (renamed or removed in the source),
  conflict   one msgid translated differently by two files (the later file wins),
  mismatch   a plural entry for a singular msgid or the other way round, a wrong number of forms,
             or placeholders (%(name)s) that differ from the msgid's (not merged),
  missing    template msgids still without a translation, per language.
It exits 1 when anything is extra, in conflict or mismatched, so a merge can be checked in CI.
"""

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES_DIR = ROOT / "app" / "locales"
TEMPLATE = LOCALES_DIR / "messages.pot"
LANGUAGES = ("uk", "ru")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")

Key = tuple[str, str | None]  # (msgid, msgctxt)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def load_entries(paths: list[Path]) -> tuple[dict[Key, dict[str, Any]], dict[Key, str], list[str]]:
    """Every entry by (msgid, context), the file it came from, and the conflicts between files."""
    entries: dict[Key, dict[str, Any]] = {}
    origin: dict[Key, str] = {}
    conflicts: list[str] = []
    for path in paths:
        for entry in json.loads(path.read_text(encoding="utf-8")):
            key = (entry["msgid"], entry.get("msgctxt"))
            if key in entries:
                before = entries[key]
                if any(before.get(lang) != entry.get(lang) for lang in LANGUAGES) or before.get("msgid_plural") != entry.get("msgid_plural"):
                    conflicts.append(f"conflict  {key[0]!r}{f' (context {key[1]!r})' if key[1] else ''}: {origin[key]} and {path.name} differ; {path.name} wins")
            entries[key] = entry
            origin[key] = path.name
    return entries, origin, conflicts


def check_entry(entry: dict[str, Any], message: Any, lang: str, nplurals: int) -> str | None:
    """Why a translation cannot go into the catalog, or None when it can."""
    value = entry.get(lang)
    if value in (None, "", []):
        return f"no {lang} translation"
    plural_in_template = isinstance(message.id, tuple)
    if plural_in_template != ("msgid_plural" in entry):
        return "plural in one place, singular in the other"
    if plural_in_template:
        if entry["msgid_plural"] != message.id[1]:
            return f"msgid_plural {entry['msgid_plural']!r} is not the template's {message.id[1]!r}"
        if not isinstance(value, list) or len(value) != nplurals:
            return f"{lang} needs {nplurals} plural forms"
        wanted = placeholders(message.id[0]) | placeholders(message.id[1])
        for form in value:
            # A form may leave out %(num)s ("одна пропозиція"), never add or rename a placeholder.
            if not placeholders(form) <= wanted or not wanted - {"num"} <= placeholders(form):
                return f"{lang} form {form!r} has placeholders {sorted(placeholders(form))}, the msgid {sorted(wanted)}"
        return None
    if not isinstance(value, str):
        return f"{lang} should be one string"
    if placeholders(value) != placeholders(message.id):
        return f"{lang} {value!r} has placeholders {sorted(placeholders(value))}, the msgid {sorted(placeholders(message.id))}"
    return None


def merge(paths: list[Path], write: bool) -> int:
    template = read_po(TEMPLATE.open("rb"))
    in_template: dict[Key, Any] = {(m.id[0] if isinstance(m.id, tuple) else m.id, m.context): m for m in template if m.id}
    entries, origin, conflicts = load_entries(paths)
    problems = list(conflicts)
    for key in entries:
        if key not in in_template:
            problems.append(f"extra     {key[0]!r}{f' (context {key[1]!r})' if key[1] else ''} ({origin[key]}): not in messages.pot")
    for lang in LANGUAGES:
        po_path = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"
        catalog: Catalog = read_po(po_path.open("rb"), locale=lang)
        catalog.update(template, no_fuzzy_matching=True)
        filled = changed = 0
        for key, entry in entries.items():
            if key not in in_template:
                continue
            message = catalog.get(key[0], context=key[1])
            why = check_entry(entry, message, lang, catalog.num_plurals)
            if why:
                problems.append(f"mismatch  {key[0]!r} ({origin[key]}): {why}")
                continue
            value = tuple(entry[lang]) if isinstance(entry[lang], list) else entry[lang]
            if message.string and message.string != value and any(message.string if isinstance(message.string, tuple) else [message.string]):
                changed += 1
            message.string = value
            message.flags.discard("fuzzy")
            filled += 1
        missing = [m for m in catalog if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])]
        print(f"{lang}: {filled} entries filled ({changed} changed), {len(missing)} of {sum(1 for m in catalog if m.id)} still untranslated")
        for message in missing:
            msgid = message.id[0] if isinstance(message.id, tuple) else message.id
            print(f"  missing   {msgid!r}{f' (context {message.context!r})' if message.context else ''}")
        if write:
            with po_path.open("wb") as out:
                write_po(out, catalog, width=76, ignore_obsolete=True, include_previous=False)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="pending JSON files")
    parser.add_argument("--check", action="store_true", help="report only; write no catalog")
    parser.add_argument("--compile", action="store_true", help="compile the .mo files after writing")
    args = parser.parse_args()
    status = merge(args.files, write=not args.check)
    if args.compile and not args.check:
        subprocess.run([str(Path(sys.executable).parent / "pybabel"), "compile", "-d", str(LOCALES_DIR), "-D", "messages"], check=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
