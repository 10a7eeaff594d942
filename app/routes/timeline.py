"""The timeline of events and dated reactions, filterable by actor and proposal."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.deps import SessionDep
from app.paging import ApiWindow, PageParam, api_page, pager, parse_page
from app.queries.timeline import TIMELINE_PAGE, build_timeline, first_page_of
from app.routes.params import API_LANG, NO_NUL, SlugFilter, slug_errors, slug_query
from app.schemas import Timeline
from app.web import VARY, clean_url_redirect, render, with_query
from app.i18n import gettext

router = APIRouter()
ProposalSlugParam = Annotated[SlugFilter, slug_query("A proposal slug: only reactions to it.", "nato-membership-20-year-delay")]
TimelineActorParam = Annotated[
    SlugFilter, slug_query("An actor slug: only that actor's reactions and the events they took part in.", "vladimir-putin")
]


MonthParam = Annotated[str | None, Query(description="YYYY-MM: go to the page where that month starts.", pattern=NO_NUL)]


@router.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
def timeline_page(
    request: Request,
    session: SessionDep,
    actor: TimelineActorParam = None,
    proposal: ProposalSlugParam = None,
    page: PageParam = None,
    month: MonthParam = None,
) -> Response:
    window = parse_page(page, TIMELINE_PAGE)
    timeline = build_timeline(session, actor, proposal, window, axis=True)
    params = {"actor": timeline.filters.actor, "proposal": timeline.filters.proposal}
    if month:
        # The month selector is a plain GET form: answer with the page where that month starts.
        number = first_page_of(session, month.strip(), timeline.filters.actor, timeline.filters.proposal)
        target = with_query("/timeline", {**params, "page": number if number > 1 else None})
        return RedirectResponse(f"{target}#month-{month.strip()}", status_code=303, headers={"Vary": VARY})
    here = {**params, "page": window.number if window.number > 1 else None}
    if redirect := clean_url_redirect(request, here):
        return redirect
    actor = next((o.label for o in timeline.actor_options if o.selected), None) if timeline.filters.actor else None
    proposal = next((o.label for o in timeline.proposal_options if o.selected), None) if timeline.filters.proposal else None
    if actor and proposal:
        title = gettext("Timeline of %(actor)s for “%(proposal)s”", actor=actor, proposal=proposal)
    elif actor:
        title = gettext("Timeline of %(actor)s", actor=actor)
    elif proposal:
        title = gettext("Timeline for “%(proposal)s”", proposal=proposal)
    else:
        title = gettext("Timeline")
    return render(
        request,
        "timeline.html",
        {
            "timeline": timeline,
            "axes": timeline._axes,
            "undated_url": timeline._undated_url,
            "params": params,
            "nav": "timeline",
            "page_title": title,
            "json_url": with_query("/api/timeline", params),
            "csv_url": with_query("/reactions.csv", params),
            "pager": pager("/timeline", params, window, timeline.count, noun="items"),
        },
        push_url=with_query("/timeline", here),
    )


@router.get(
    "/api/timeline",
    dependencies=[API_LANG],
    response_model=Timeline,
    responses=slug_errors("actor", "proposal", also="`limit` or `cursor` is out of range"),
    tags=["timeline"],
)
def api_timeline(
    request: Request,
    response: Response,
    session: SessionDep,
    window: ApiWindow,
    actor: TimelineActorParam = None,
    proposal: ProposalSlugParam = None,
) -> Timeline:
    """Events and dated reactions, oldest first, grouped by month; undated items last. Paged:
    `limit` items from `cursor`; `page.next` (and the `Link` header) is the next page's URL."""
    timeline = build_timeline(session, actor, proposal, window)
    timeline.page = api_page(request, response, window, timeline.count)
    return timeline
