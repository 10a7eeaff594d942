"""The state of play: where each principal side stands on every proposal, most discussed first."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import SessionDep
from app.paging import ApiWindow, PageWindow, api_page, pager
from app.queries.proposals import parse_as_of, parse_basis
from app.queries.state_of_play import state_of_play
from app.routes.params import API_LANG, AsOfParam, BasisParam, BasisText, position_text
from app.routes.params import FILTER_ERRORS
from app.schemas import StateOfPlay
from app.web import clean_url_redirect, render, with_query
from app.i18n import gettext

router = APIRouter()


@router.get("/state-of-play", response_class=HTMLResponse, include_in_schema=False)
def state_of_play_page(
    request: Request, session: SessionDep, window: PageWindow, as_of: AsOfParam = None, basis: BasisText = None
) -> Response:
    as_of_date, basis_value = parse_as_of(as_of), parse_basis(basis)
    params = {"as_of": as_of_date, "basis": basis_value.value if basis_value else None}
    here = {**params, "page": window.number if window.number > 1 else None}
    if redirect := clean_url_redirect(request, here):
        return redirect
    state = state_of_play(session, as_of_date, basis_value, window)
    return render(
        request,
        "state_of_play.html",
        {
            "state": state,
            "nav": "proposals",
            "as_of": as_of_date,
            "page_title": gettext("Where each side stands, page %(number)s", number=window.number) if window.number > 1 else gettext("Where each side stands"),
            "json_url": with_query("/api/state-of-play", here),
            "pager": pager("/state-of-play", params, window, state.count, noun="proposals"),
        },
    )


@router.get("/api/state-of-play", dependencies=[API_LANG], response_model=StateOfPlay, responses=FILTER_ERRORS, tags=["proposals"])
def api_state_of_play(
    request: Request,
    response: Response,
    session: SessionDep,
    window: ApiWindow,
    as_of: AsOfParam = None,
    basis: BasisParam = None,
) -> StateOfPlay:
    """Where Russia, Ukraine, the United States and Europe stand on each proposal (most discussed
    first): every position any member holds, or silence; every side's counts, and the lede sentence.
    `as_of` and `basis` as on /api/proposals. Paged with `limit`/`cursor`."""
    state = state_of_play(session, parse_as_of(as_of), parse_basis(position_text(basis)), window)
    state.page = api_page(request, response, window, state.count)
    return state
