"""The interface catalogs are complete: every string the code and templates hand to gettext is in
the template (messages.pot), and Ukrainian and Russian translate every one of them, in every plural
form, with no fuzzy entry and the same placeholders."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "app" / "locales"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# The keywords the Makefile's `make messages` extracts with (BABEL_KEYWORDS).
KEYWORDS = ["-k", "N_", "-k", "pgettext:1c,2"]


def catalog(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as file:
        return read_po(file)


def msgids(cat) -> set[tuple[str | None, str]]:  # type: ignore[no-untyped-def]
    return {(message.context, message.id if isinstance(message.id, str) else message.id[0]) for message in cat if message.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """What the sources hold now, extracted afresh (so a string added without `make messages` fails)."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg", *KEYWORDS, "-o", str(out), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    return catalog(out)


def test_the_template_is_up_to_date(extracted) -> None:  # type: ignore[no-untyped-def]
    committed = msgids(catalog(LOCALES / "messages.pot"))
    fresh = msgids(extracted)
    assert fresh - committed == set(), "strings not in messages.pot: run `make messages`"
    assert committed - fresh == set(), "messages.pot holds strings the code no longer has: run `make messages`"


@pytest.mark.parametrize("locale", ["uk", "ru"])
def test_every_string_is_translated_in_every_form(extracted, locale: str) -> None:  # type: ignore[no-untyped-def]
    cat = catalog(LOCALES / locale / "LC_MESSAGES" / "messages.po")
    assert cat.num_plurals == 3, "Ukrainian and Russian have three plural forms (one, few, many)"
    by_id = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in cat if m.id}
    missing = sorted(msgids(extracted) - set(by_id))
    assert not missing, f"{locale}: {len(missing)} strings have no entry, e.g. {missing[:5]}"
    problems = []
    for key, message in by_id.items():
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy:
            problems.append(f"fuzzy: {key}")
        if not all(strings) or (isinstance(message.id, (list, tuple)) and len(strings) != 3):
            problems.append(f"untranslated: {key}")
        source = message.id if isinstance(message.id, str) else message.id[-1]
        for text in strings:
            if text and set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(source)):
                problems.append(f"placeholders differ: {key} -> {text!r}")
    assert not problems, f"{locale}: {len(problems)} problems, e.g. {problems[:8]}"


def test_the_check_can_fail(tmp_path: Path) -> None:
    """An entry left empty, or fuzzy, is caught the same way."""
    po = tmp_path / "messages.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
        'msgid "Rejects"\nmsgstr ""\n\n#, fuzzy\nmsgid "Supports"\nmsgstr "Підтримує"\n',
        encoding="utf-8",
    )
    cat = catalog(po)
    assert [m.id for m in cat if m.id and not m.string] == ["Rejects"]
    assert [m.id for m in cat if m.id and m.fuzzy] == ["Supports"]
