"""Sources: every source the data cites, its kind and date, and what it backs."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.routes.params import API_LANG
from app.deps import SessionDep
from app.paging import ApiWindow, PageWindow, api_page, pager
from app.queries.sources import list_sources
from app.schemas import ErrorOut, SourceList
from app.web import render
from app.i18n import gettext

router = APIRouter()


@router.get("/sources", response_class=HTMLResponse, include_in_schema=False)
def sources_page(request: Request, session: SessionDep, window: PageWindow) -> Response:
    data = list_sources(session, window)
    return render(
        request,
        "sources.html",
        {
            "data": data,
            "nav": "sources",
            "page_title": gettext("Sources (page %(number)s)", number=window.number) if window.number > 1 else gettext("Sources"),
            "json_url": "/api/sources",
            "pager": pager("/sources", {}, window, data.count, noun="sources"),
        },
    )


@router.get(
    "/api/sources",
    dependencies=[API_LANG],
    response_model=SourceList,
    responses={422: {"model": ErrorOut, "description": "limit or cursor out of range"}},
    tags=["sources"],
)
def api_list_sources(request: Request, response: Response, session: SessionDep, window: ApiWindow) -> SourceList:
    """The sources, oldest first: its kind, its date at its precision, and the first few proposals it
    first reported and reactions and events that cite it, with how many in all. Paged: `limit`
    sources from `cursor`; `page.next` (and the `Link` header) is the next page's URL."""
    data = list_sources(session, window)
    data.page = api_page(request, response, window, data.count)
    return data
