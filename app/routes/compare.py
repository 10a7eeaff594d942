"""Compare two actors; where the sides meet."""

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import SessionDep
from app.paging import ApiWindow, PageWindow, api_page, pager
from app.routes.params import API_LANG, SlugFilter, slug_errors, slug_query
from app.queries.compare import compare_actors, common_ground
from app.schemas import CommonGround, Comparison, ErrorOut
from app.web import clean_url_redirect, render, with_query
from app.i18n import gettext

router = APIRouter()
ActorA = Annotated[SlugFilter, slug_query("First actor's slug", "vladimir-putin")]
ActorB = Annotated[SlugFilter, slug_query("Second actor's slug", "volodymyr-zelenskyy")]


@router.get("/compare", response_class=HTMLResponse, include_in_schema=False)
def compare_page(request: Request, session: SessionDep, window: PageWindow, a: ActorA = None, b: ActorB = None) -> Response:
    comparison = compare_actors(session, a, b, window)
    params = {"a": comparison.a.slug if comparison.a else None, "b": comparison.b.slug if comparison.b else None}
    here = {**params, "page": window.number if window.number > 1 else None}
    if redirect := clean_url_redirect(request, here):
        return redirect
    title = gettext("%(a)s and %(b)s compared", a=comparison.a.name, b=comparison.b.name) if comparison.a and comparison.b else gettext("Compare two actors")
    return render(
        request,
        "compare.html",
        {
            "comparison": comparison,
            "params": params,
            "nav": "actors",
            "page_title": title,
            "json_url": with_query("/api/compare", params),
            "pager": pager("/compare", params, window, comparison.row_count, noun="proposals"),
        },
        push_url=with_query("/compare", here),
    )


@router.get(
    "/api/compare",
    dependencies=[API_LANG],
    response_model=Comparison,
    responses=slug_errors("a", "b", also="`a` and `b` are the same actor, or `limit` or `cursor` is out of range"),
    tags=["actors"],
)
def api_compare(
    request: Request, response: Response, session: SessionDep, window: ApiWindow, a: ActorA = None, b: ActorB = None
) -> Comparison:
    """Two actors over every proposal either spoke on: agree, opposed, differ (one conditional), or only
    one spoke. Paged: `limit` rows from `cursor`; `page.next` (and the `Link` header) is the next page."""
    comparison = compare_actors(session, a, b, window)
    comparison.page = api_page(request, response, window, comparison.row_count)
    return comparison


@router.get("/common-ground", response_class=HTMLResponse, include_in_schema=False)
def common_ground_page(request: Request, session: SessionDep, window: PageWindow) -> Response:
    ground = common_ground(session, window)
    return render(
        request,
        "common_ground.html",
        {
            "ground": ground,
            "pager": pager("/common-ground", {}, window, ground.count, noun="proposals"),
            "nav": "common-ground",
            "page_title": gettext("Common ground"),
            "json_url": "/api/common-ground",
            "csv_url": "/proposals.csv",
        },
    )


@router.get(
    "/api/common-ground",
    dependencies=[API_LANG],
    response_model=CommonGround,
    responses={422: {"model": ErrorOut, "description": "limit or cursor out of range"}},
    tags=["proposals"],
)
def api_common_ground(request: Request, response: Response, session: SessionDep, window: ApiWindow) -> CommonGround:
    """For each proposal, each side's stance (supports, conditional, rejects, split or silent).
    Paged: `limit` proposals from `cursor`; `page.next` (and the `Link` header) is the next page."""
    ground = common_ground(session, window)
    ground.page = api_page(request, response, window, ground.count)
    return ground
