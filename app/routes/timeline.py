"""The timeline of events and dated reactions, filterable by actor and proposal."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import SessionDep
from app.queries.timeline import build_timeline
from app.routes.params import NO_NUL
from app.schemas import ErrorOut, Timeline
from app.web import clean_url_redirect, render, with_query

router = APIRouter()
ProposalSlugParam = Annotated[str | None, Query(description="A proposal slug: only reactions to it.", pattern=NO_NUL)]
TimelineActorParam = Annotated[
    str | None,
    Query(description="An actor slug: only that actor's reactions and the events they took part in.", pattern=NO_NUL),
]


@router.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
def timeline_page(
    request: Request, session: SessionDep, actor: TimelineActorParam = None, proposal: ProposalSlugParam = None
) -> Response:
    timeline = build_timeline(session, actor, proposal)
    params = {"actor": timeline.filters.actor, "proposal": timeline.filters.proposal}
    if redirect := clean_url_redirect(request, params):
        return redirect
    title_parts = ["Timeline"]
    if timeline.filters.actor:
        title_parts.append(f"of {next(o.label for o in timeline.actor_options if o.selected)}")
    if timeline.filters.proposal:
        title_parts.append(f"for “{next(o.label for o in timeline.proposal_options if o.selected)}”")
    return render(
        request,
        "timeline.html",
        {
            "timeline": timeline,
            "params": params,
            "nav": "timeline",
            "page_title": " ".join(title_parts),
            "json_url": with_query("/api/timeline", params),
            "csv_url": with_query("/reactions.csv", params),
        },
        push_url=with_query("/timeline", params),
    )


@router.get(
    "/api/timeline",
    response_model=Timeline,
    responses={422: {"model": ErrorOut, "description": "actor or proposal names no record"}},
    tags=["timeline"],
)
def api_timeline(session: SessionDep, actor: TimelineActorParam = None, proposal: ProposalSlugParam = None) -> Timeline:
    """Events and dated reactions, oldest first, grouped by month; undated items apart."""
    return build_timeline(session, actor, proposal)
