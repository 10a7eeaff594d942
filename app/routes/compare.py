"""Compare two actors; where the sides meet."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import SessionDep
from app.routes.params import NO_NUL
from app.queries.compare import compare_actors, common_ground
from app.schemas import CommonGround, Comparison, ErrorOut
from app.web import clean_url_redirect, render, with_query

router = APIRouter()
ActorA = Annotated[str | None, Query(description="First actor's slug", examples=["vladimir-putin"], pattern=NO_NUL)]
ActorB = Annotated[str | None, Query(description="Second actor's slug", examples=["volodymyr-zelenskyy"], pattern=NO_NUL)]


@router.get("/compare", response_class=HTMLResponse, include_in_schema=False)
def compare_page(request: Request, session: SessionDep, a: ActorA = None, b: ActorB = None) -> Response:
    comparison = compare_actors(session, a, b)
    params = {"a": comparison.a.slug if comparison.a else None, "b": comparison.b.slug if comparison.b else None}
    if redirect := clean_url_redirect(request, params):
        return redirect
    title = f"{comparison.a.name} and {comparison.b.name} compared" if comparison.a and comparison.b else "Compare two actors"
    return render(
        request,
        "compare.html",
        {
            "comparison": comparison,
            "params": params,
            "nav": "actors",
            "page_title": title,
            "json_url": with_query("/api/compare", params),
        },
        push_url=with_query("/compare", params),
    )


@router.get(
    "/api/compare",
    response_model=Comparison,
    responses={422: {"model": ErrorOut, "description": "a or b names no actor"}},
    tags=["actors"],
)
def api_compare(session: SessionDep, a: ActorA = None, b: ActorB = None) -> Comparison:
    """Two actors over every proposal either spoke on: agree, opposed, differ (one conditional), or only one spoke."""
    return compare_actors(session, a, b)


@router.get("/common-ground", response_class=HTMLResponse, include_in_schema=False)
def common_ground_page(request: Request, session: SessionDep) -> Response:
    return render(
        request,
        "common_ground.html",
        {
            "ground": common_ground(session),
            "nav": "common-ground",
            "page_title": "Common ground",
            "json_url": "/api/common-ground",
            "csv_url": "/proposals.csv",
        },
    )


@router.get("/api/common-ground", response_model=CommonGround, tags=["proposals"])
def api_common_ground(session: SessionDep) -> CommonGround:
    """For each proposal, each side's stance (supports, conditional, rejects, split or silent)."""
    return common_ground(session)
