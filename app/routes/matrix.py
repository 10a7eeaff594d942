"""The stance grid, with the same filters as the list."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import SessionDep
from app.paging import API_LIMIT, ApiWindow, PageWindow, api_page, pager, parse_cursor, parse_page
from app.queries.matrix import stance_matrix
from app.queries.proposals import view_title
from app.routes.params import API_LANG, FILTER_ERRORS, ApiFilters, PageFilters, filter_params
from app.schemas import Matrix
from app.web import clean_url_redirect, render, with_query
from app.i18n import gettext

router = APIRouter()


RowsParam = Annotated[str | None, Query(description="Page of rows (actors), from 1.", pattern=r"^[^\x00]*$")]


@router.get("/matrix", response_class=HTMLResponse, include_in_schema=False)
def matrix_page(
    request: Request, session: SessionDep, filters: PageFilters, window: PageWindow, rows: RowsParam = None
) -> Response:
    params = filter_params(filters)
    row_window = parse_page(rows, key="rows")
    here = {**params, "page": window.number if window.number > 1 else None, "rows": row_window.number if row_window.number > 1 else None}
    if redirect := clean_url_redirect(request, here):
        return redirect
    matrix = stance_matrix(session, filters, window, row_window)
    return render(
        request,
        "matrix.html",
        {
            "matrix": matrix,
            "data": matrix.proposals,
            "params": params,
            "action": "/matrix",
            "nav": "matrix",
            "as_of": filters.as_of,
            "page_title": gettext("Stance grid — %(view)s", view=view_title(matrix.proposals)),
            "json_url": with_query("/api/matrix", params),
            "csv_url": with_query("/proposals.csv", params),
            # Columns page with `page`, rows with `rows`; each pager keeps the other's place.
            "pager": pager("/matrix", {**params, "rows": here["rows"]}, window, matrix.proposals.count, noun="proposals"),
            "row_pager": pager("/matrix", {**params, "page": here["page"]}, row_window, matrix.actor_count, noun="actors", key="rows"),
        },
        push_url=with_query("/matrix", here),
    )


@router.get("/api/matrix", dependencies=[API_LANG], response_model=Matrix, responses=FILTER_ERRORS, tags=["proposals"])
def api_matrix(
    request: Request,
    response: Response,
    session: SessionDep,
    filters: ApiFilters,
    window: ApiWindow,
    rows_cursor: Annotated[str | None, Query(description="Where the rows (actors) continue: from `row_page.next`.", pattern=r"^[0-9]{0,12}$")] = None,
) -> Matrix:
    """The stance grid: one row per actor (most active first), one column per proposal, with the same
    filters as /api/proposals. Columns page with `limit`/`cursor` (`proposals.page.next`, also the
    `Link` header); rows page 50 at a time with `rows_cursor` (`row_page.next`)."""
    row_window = parse_cursor(rows_cursor, API_LIMIT)
    matrix = stance_matrix(session, filters, window, row_window)
    matrix.proposals.page = api_page(request, response, window, matrix.proposals.count)
    matrix.row_page = api_page(request, Response(), row_window, matrix.actor_count, cursor_key="rows_cursor")
    return matrix
