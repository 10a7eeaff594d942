"""Schema.org JSON-LD: a Dataset for the whole data, a CreativeWork for each proposal.

It goes in a <script type="application/ld+json"> data block: browsers never run it, so the CSP
(script-src 'self') has nothing to refuse."""

import datetime as dt
import json
from typing import Any

from markupsafe import Markup

from app.citations import DATASET_DESCRIPTION, DATASET_TITLE, PUBLISHER
from app.i18n import current_locale, gettext as _
from app.schemas import ProposalDetail

CONTEXT = "https://schema.org"


def json_ld_block(data: dict[str, Any]) -> Markup:
    """The data as a JSON-LD script element that no text in it can end early.

    "</script>" or "<!--" in the data would close or confuse the element: <, > and & are written
    as JSON \\u escapes, which mean the same characters to any JSON parser."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # U+2028/2029 are valid in JSON but end a line in older JavaScript parsers.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def _organization(site_url: str) -> dict[str, Any]:
    return {"@type": "Organization", "name": PUBLISHER, "url": site_url}


def dataset(
    *,
    site_url: str,
    url: str,
    version: str,
    modified: dt.date | None,
    licence_url: str,
    downloads: list[tuple[str, str, str]],
) -> dict[str, Any]:
    """`downloads` is (name, MIME type, absolute URL) for each file of the distribution."""
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Dataset",
        "name": _(DATASET_TITLE),
        "description": _(DATASET_DESCRIPTION),
        "url": url,
        "version": version,
        "license": licence_url,
        "isAccessibleForFree": True,
        "inLanguage": current_locale(),
        "creator": _organization(site_url),
        "publisher": _organization(site_url),
        "keywords": ["Russia–Ukraine war", "ceasefire", "truce", "peace proposals", "stance"],
        "temporalCoverage": "2021/2024",
        "distribution": [
            {"@type": "DataDownload", "name": name, "encodingFormat": mime, "contentUrl": content_url}
            for name, mime, content_url in downloads
        ],
    }
    if modified:
        data["dateModified"] = modified.isoformat()
    return data


def proposal_work(
    proposal: ProposalDetail, *, permalink: str, site_url: str, dataset_url: str, version: str, modified: dt.date | None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "CreativeWork",
        "name": proposal.title,
        "headline": proposal.title,
        "description": proposal.summary,
        "url": permalink,
        "version": version,
        "inLanguage": current_locale(),
        "publisher": _organization(site_url),
        "isPartOf": {"@type": "Dataset", "name": _(DATASET_TITLE), "url": dataset_url},
        "mentions": [
            {"@type": "Thing", "name": actor.name, "url": site_url.rstrip("/") + actor.url} for actor in proposal.proposers
        ],
    }
    if modified:
        data["dateModified"] = modified.isoformat()
    return data
