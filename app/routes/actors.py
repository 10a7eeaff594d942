"""Actors: who they are and every reaction they gave."""

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import SessionDep
from app.paging import ApiWindow, PageWindow, api_page, pager
from app.queries.actors import actor_choices, get_actor, list_actors
from app.schemas import ActorDetail, ActorList, ErrorOut
from app.queries.proposals import parse_as_of
from app.routes.params import API_LANG, AsOfParam, Slug, slug_errors, slug_path
from app.embeds import oembed_discovery_url
from app.web import absolute_url, render, with_query
from app.i18n import gettext

router = APIRouter()


@router.get("/actors", response_class=HTMLResponse, include_in_schema=False)
def actors_page(request: Request, session: SessionDep, window: PageWindow) -> Response:
    data = list_actors(session, window)
    return render(
        request,
        "actors.html",
        {
            "data": data,
            "nav": "actors",
            "page_title": gettext("Actors (page %(number)s)", number=window.number) if window.number > 1 else gettext("Actors"),
            "json_url": "/api/actors",
            "csv_url": "/actors.csv",
            "pager": pager("/actors", {}, window, data.count, noun="actors"),
        },
    )


@router.get("/actors/{slug}", response_class=HTMLResponse, include_in_schema=False)
def actor_page(request: Request, session: SessionDep, slug: str, window: PageWindow, as_of: AsOfParam = None) -> Response:
    as_of_date = parse_as_of(as_of)
    actor = get_actor(session, slug, as_of_date, window)
    return render(
        request,
        "actor.html",
        {
            "actor": actor,
            "nav": "actors",
            "page_title": actor.name,
            "json_url": with_query(f"/api/actors/{actor.slug}", {"as_of": as_of_date}),
            "csv_url": with_query("/reactions.csv", {"actor": actor.slug, "as_of": as_of_date}),
            "as_of": as_of_date,
            "oembed_url": oembed_discovery_url(
                absolute_url(request, ""), absolute_url(request, with_query(actor.url, {"as_of": as_of_date}))
            ),
            "pager": pager(actor.url, {"as_of": as_of_date}, window, actor.reaction_count, noun="stances"),
            "compare_options": actor_choices(session, excluding=actor.slug),
        },
    )


@router.get(
    "/api/actors",
    dependencies=[API_LANG],
    response_model=ActorList,
    responses={422: {"model": ErrorOut, "description": "limit or cursor out of range"}},
    tags=["actors"],
)
def api_list_actors(request: Request, response: Response, session: SessionDep, window: ApiWindow) -> ActorList:
    """The actors (people, governments, organizations and groups), by name. Paged: `limit` actors
    from `cursor`; `page.next` (and the `Link` header) is the next page's URL."""
    data = list_actors(session, window)
    data.page = api_page(request, response, window, data.count)
    return data


@router.get(
    "/api/actors/{slug}",
    dependencies=[API_LANG],
    response_model=ActorDetail,
    responses=slug_errors(path="actor", also="`as_of` is not a YYYY-MM-DD date, or `limit` or `cursor` is out of range"),
    tags=["actors"],
)
def api_get_actor(
    request: Request,
    response: Response,
    session: SessionDep,
    slug: Annotated[Slug, slug_path("vladimir-putin")],
    window: ApiWindow,
    as_of: AsOfParam = None,
) -> ActorDetail:
    """One actor with their reactions, each with its proposal. Paged: `limit` reactions from
    `cursor`; `page.next` (and the `Link` header) is the next page's URL."""
    actor = get_actor(session, slug, parse_as_of(as_of), window)
    actor.page = api_page(request, response, window, actor.reaction_count)
    return actor
