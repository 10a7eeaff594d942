"""Exports: CSV that takes the pages' query string, and the whole database and seed files."""

import os
from collections.abc import Iterable, Iterator
from typing import Annotated, BinaryIO

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response, StreamingResponse

from app.db import open_generation, parse_database_url, sqlite_path
from app.deps import SessionDep
from app.errors import NotFound, Text
from app.queries.data_version import latest_data_version
from app.queries.actors import list_actors
from app.queries.exports import PROPOSAL_COLUMNS, REACTION_COLUMNS, csv_lines, proposal_rows, reaction_rows
from app.routes.params import FILTER_ERRORS, FILTER_REFUSALS, ApiFilters, SlugFilter, slug_errors, slug_query
from app.web import absolute_url, render
from app.citations import version_info_of
from app.routes.citations import dataset_citation, dataset_json_ld
from app.i18n import gettext

router = APIRouter()
ProposalSlugParam = Annotated[SlugFilter, slug_query("Only reactions to this proposal", "nato-membership-20-year-delay")]
CSV_200 = {200: {"content": {"text/csv": {}}}}
# Errors on a CSV URL come back as JSON (ErrorOut), like the API's.


def _csv(header: list[str], rows: Iterable[list[object]], filename: str) -> Response:
    """Streamed: rows are read from the database and sent in batches, so memory stays flat at any size."""
    return StreamingResponse(
        csv_lines(header, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/proposals.csv", tags=["exports"], response_class=Response, responses={**CSV_200, **FILTER_ERRORS})
def proposals_csv(request: Request, session: SessionDep, filters: ApiFilters) -> Response:
    """The proposals of a filtered view (same query string as `/`), one row each, UTF-8 with a header."""
    return _csv(PROPOSAL_COLUMNS, proposal_rows(session, filters, absolute_url(request, "")), "proposals.csv")


@router.get(
    "/reactions.csv",
    tags=["exports"],
    response_class=Response,
    responses={**CSV_200, **slug_errors("actor", "proposal", also=FILTER_REFUSALS)},
)
def reactions_csv(
    request: Request, session: SessionDep, filters: ApiFilters, proposal: ProposalSlugParam = None
) -> Response:
    """One row per reaction: actor, proposal, position, quote, date, precision, evidence and source."""
    rows = reaction_rows(session, filters, absolute_url(request, ""), proposal or None)
    return _csv(REACTION_COLUMNS, rows, "reactions.csv")


@router.get("/actors.csv", tags=["exports"], response_class=Response, responses=CSV_200)
def actors_csv(request: Request, session: SessionDep) -> Response:
    """Every actor: slug, name, kind, role, affiliation, side, number of reactions."""
    rows = [
        [a.slug, a.name, a.kind.value, a.role, a.affiliation, a.side.value, a.reaction_count, absolute_url(request, a.url)]
        for a in list_actors(session).items
    ]
    return _csv(["slug", "name", "kind", "role", "affiliation", "side", "reactions", "url"], rows, "actors.csv")


def _database_file(request: Request):  # type: ignore[no-untyped-def]
    url = parse_database_url(request.app.state.settings.database_url)
    path = sqlite_path(url)
    return path if path is not None and path.is_file() else None


def _seed_files(request: Request) -> list:  # type: ignore[type-arg]
    seeds_dir = request.app.state.settings.seeds_dir
    return sorted(p for p in seeds_dir.glob("*.yaml")) if seeds_dir.is_dir() else []


@router.get("/download", response_class=HTMLResponse, include_in_schema=False)
def download_page(request: Request, session: SessionDep) -> Response:
    version = latest_data_version(session)
    database = _database_file(request)
    version_info = version_info_of(version)
    return render(
        request,
        "download.html",
        {
            "nav": "download",
            "page_title": gettext("Download the data"),
            "version": version,
            "database": database,
            "database_size": database.stat().st_size if database else None,
            "seed_files": [(p.name, p.stat().st_size) for p in _seed_files(request)],
            "citation": dataset_citation(request, version_info),
            "json_ld": dataset_json_ld(request, version_info, database is not None),
        },
    )


@router.get("/download/truce.db", include_in_schema=False)
def download_database(request: Request) -> Response:
    """The whole database file, as one generation: the file is opened once and streamed from that
    handle, so an import that swaps in a new file meanwhile changes nothing in this download."""
    database = _database_file(request)
    if database is None:
        raise NotFound(Text.gettext("This deployment keeps its data in PostgreSQL, so there is no SQLite file to download."))
    file, version = open_generation(database)
    etag = f'"{version}"'
    headers = {"ETag": etag, "Content-Disposition": 'attachment; filename="truce.db"'}
    if request.headers.get("if-none-match") == etag:
        file.close()
        return Response(status_code=304, headers={"ETag": etag})
    headers["Content-Length"] = str(os.fstat(file.fileno()).st_size)
    return StreamingResponse(_chunks(file), media_type="application/vnd.sqlite3", headers=headers)


def _chunks(file: BinaryIO, size: int = 256 * 1024) -> Iterator[bytes]:
    with file:
        while chunk := file.read(size):
            yield chunk


@router.get("/download/seeds/{name}", include_in_schema=False)
def download_seed(request: Request, name: str) -> Response:
    files = {p.name: p for p in _seed_files(request)}
    if name not in files:
        raise NotFound.slug("seed file", name, {n: n for n in files}, lambda n: f"/download/seeds/{n}")
    return FileResponse(files[name], media_type="application/yaml; charset=utf-8", filename=name)
