"""About & method: what the data is, how it is recorded, and how to add to it."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import SessionDep
from app.queries.sources import curated_documents
from app.citations import data_version_info
from app.routes.citations import dataset_json_ld
from app.routes.exports import _database_file
from app.web import render
from app.i18n import gettext

router = APIRouter()


@router.get("/about", response_class=HTMLResponse, include_in_schema=False)
def about_page(request: Request, session: SessionDep) -> Response:
    return render(
        request,
        "about.html",
        {
            "documents": curated_documents(session),
            "nav": "about",
            "page_title": gettext("About & method"),
            "json_url": None,
            "json_ld": dataset_json_ld(request, data_version_info(session), _database_file(request) is not None),
        },
    )
