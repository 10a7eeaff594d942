"""The stance grid, with the same filters as the list."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import SessionDep
from app.queries.matrix import stance_matrix
from app.queries.proposals import view_title
from app.routes.params import ApiFilters, PageFilters, filter_params
from app.routes.proposals import ERRORS_422
from app.schemas import Matrix
from app.web import clean_url_redirect, render, with_query

router = APIRouter()


@router.get("/matrix", response_class=HTMLResponse, include_in_schema=False)
def matrix_page(request: Request, session: SessionDep, filters: PageFilters) -> Response:
    params = filter_params(filters)
    if redirect := clean_url_redirect(request, params):
        return redirect
    matrix = stance_matrix(session, filters)
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
            "page_title": view_title("Stance grid: proposals", matrix.proposals),
            "json_url": with_query("/api/matrix", params),
            "csv_url": with_query("/proposals.csv", params),
        },
        push_url=with_query("/matrix", params),
    )


@router.get("/api/matrix", response_model=Matrix, responses=ERRORS_422, tags=["proposals"])
def api_matrix(session: SessionDep, filters: ApiFilters) -> Matrix:
    """The stance grid: one row per actor, one column per proposal, with the same filters as /api/proposals."""
    return stance_matrix(session, filters)
