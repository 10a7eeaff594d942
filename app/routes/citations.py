"""Citations: CSL-JSON and BibTeX downloads for a proposal and for the whole data set, and the
citation context ("Cite this" panels, citation_* tags, JSON-LD) the pages share."""

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.citations import (
    CitationView,
    DataVersionInfo,
    bibtex,
    citation_view,
    data_version_info,
    dataset_csl,
    highwire_tags,
    proposal_csl,
    today,
)
from app.deps import SessionDep
from app.i18n import gettext as _
from app.linked_data import dataset, json_ld_block, proposal_work
from app.queries.proposals import get_proposal, parse_as_of
from app.routes.params import AsOfParam
from app.schemas import ProposalDetail
from app.web import absolute_url, with_query

router = APIRouter()
DATASET_PATH = "/download"


def _proposal_item(request: Request, proposal: ProposalDetail, as_of: dt.date | None, version: DataVersionInfo) -> dict[str, Any]:
    # A dated view is cited at its dated address: that is the state of play the reader saw.
    permalink = absolute_url(request, with_query(proposal.url, {"as_of": as_of}))
    return proposal_csl(proposal, permalink, version.short, today())


def proposal_citation_context(
    request: Request, proposal: ProposalDetail, as_of: dt.date | None, version: DataVersionInfo
) -> dict[str, Any]:
    """The permalink's "Cite this" panel, its citation_* tags and its JSON-LD."""
    item = _proposal_item(request, proposal, as_of, version)
    query = {"as_of": as_of}
    citation = citation_view(
        item, with_query(f"{proposal.url}/cite.json", query), with_query(f"{proposal.url}/cite.bib", query)
    )
    work = proposal_work(
        proposal,
        permalink=item["URL"],
        site_url=absolute_url(request, "/"),
        dataset_url=absolute_url(request, DATASET_PATH),
        version=version.short,
        modified=version.imported_on,
    )
    return {"citation": citation, "highwire": highwire_tags(item, version.imported_on), "json_ld": json_ld_block(work)}


def _dataset_item(request: Request, version: DataVersionInfo) -> dict[str, Any]:
    return dataset_csl(absolute_url(request, DATASET_PATH), version.short, today())


def dataset_citation(request: Request, version: DataVersionInfo) -> CitationView:
    return citation_view(_dataset_item(request, version), "/cite.json", "/cite.bib")


def dataset_json_ld(request: Request, version: DataVersionInfo, has_database_file: bool) -> Any:
    """The Dataset, with every file it can be downloaded as, for /download and /about."""
    downloads = []
    if has_database_file:
        downloads.append((_("truce.db (SQLite database)"), "application/vnd.sqlite3", absolute_url(request, "/download/truce.db")))
    downloads += [
        ("proposals.csv", "text/csv", absolute_url(request, "/proposals.csv")),
        ("reactions.csv", "text/csv", absolute_url(request, "/reactions.csv")),
        ("actors.csv", "text/csv", absolute_url(request, "/actors.csv")),
        (_("Proposals as JSON"), "application/json", absolute_url(request, "/api/proposals")),
        (_("Actors as JSON"), "application/json", absolute_url(request, "/api/actors")),
    ]
    return json_ld_block(
        dataset(
            site_url=absolute_url(request, "/"),
            url=absolute_url(request, DATASET_PATH),
            version=version.short,
            modified=version.imported_on,
            licence_url=absolute_url(request, "/about#licence"),
            downloads=downloads,
        )
    )


def _csl_response(item: dict[str, Any], filename: str) -> Response:
    return Response(
        json.dumps([item], ensure_ascii=False, indent=2),
        media_type="application/vnd.citationstyles.csl+json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _bibtex_response(item: dict[str, Any], filename: str) -> Response:
    return Response(
        bibtex(item),
        media_type="application/x-bibtex; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/proposals/{slug}/cite.json", include_in_schema=False)
def proposal_csl_json(request: Request, session: SessionDep, slug: str, as_of: AsOfParam = None) -> Response:
    as_of_date = parse_as_of(as_of)
    proposal = get_proposal(session, slug, as_of_date)
    item = _proposal_item(request, proposal, as_of_date, data_version_info(session))
    return _csl_response(item, f"{proposal.slug}.csl.json")


@router.get("/proposals/{slug}/cite.bib", include_in_schema=False)
def proposal_bibtex(request: Request, session: SessionDep, slug: str, as_of: AsOfParam = None) -> Response:
    as_of_date = parse_as_of(as_of)
    proposal = get_proposal(session, slug, as_of_date)
    item = _proposal_item(request, proposal, as_of_date, data_version_info(session))
    return _bibtex_response(item, f"{proposal.slug}.bib")


@router.get("/cite.json", include_in_schema=False)
def dataset_csl_json(request: Request, session: SessionDep) -> Response:
    return _csl_response(_dataset_item(request, data_version_info(session)), "truce-explorer.csl.json")


@router.get("/cite.bib", include_in_schema=False)
def dataset_bibtex(request: Request, session: SessionDep) -> Response:
    return _bibtex_response(_dataset_item(request, data_version_info(session)), "truce-explorer.bib")
