"""Sources: every source the data cites, its kind and date, and what it backs."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import SessionDep
from app.queries.sources import list_sources
from app.schemas import SourceList
from app.web import render

router = APIRouter()


@router.get("/sources", response_class=HTMLResponse, include_in_schema=False)
def sources_page(request: Request, session: SessionDep) -> Response:
    return render(
        request,
        "sources.html",
        {"data": list_sources(session), "nav": "sources", "page_title": "Sources", "json_url": "/api/sources"},
    )


@router.get("/api/sources", response_model=SourceList, tags=["sources"])
def api_list_sources(session: SessionDep) -> SourceList:
    """Every source, oldest first: its kind, its date at its precision, and the proposals it first
    reported and the reactions and events that cite it."""
    return list_sources(session)
