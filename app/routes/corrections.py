"""The corrections log: /corrections, its Atom feed and its JSON."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.routes.params import API_LANG, LANG_ERRORS
from app.deps import SessionDep
from app.queries.corrections import CORRECTIONS_FEED_PATH, corrections_feed, list_corrections
from app.routes.feeds import atom_response
from app.schemas import CorrectionList
from app.web import render
from app.i18n import gettext

router = APIRouter()


@router.get("/corrections", response_class=HTMLResponse, include_in_schema=False)
def corrections_page(request: Request, session: SessionDep) -> Response:
    return render(
        request,
        "corrections.html",
        {
            "corrections": list_corrections(session),
            "page_title": gettext("Corrections"),
            "json_url": "/api/corrections",
            "feed_url": CORRECTIONS_FEED_PATH,
        },
    )


@router.get(CORRECTIONS_FEED_PATH, include_in_schema=False)
def corrections_atom(request: Request, session: SessionDep) -> Response:
    return atom_response(request, corrections_feed(session))


@router.get("/api/corrections", dependencies=[API_LANG], response_model=CorrectionList, responses=LANG_ERRORS, tags=["corrections"])
def api_corrections(session: SessionDep) -> CorrectionList:
    """Every correction to a published record, newest first: what changed, why, and when."""
    return list_corrections(session)
