"""Atom feeds: /feed.atom (every dated reaction and event) and /actors/{slug}/feed.atom (one actor's)."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.atom import MEDIA_TYPE, render_atom
from app.deps import SessionDep
from app.paging import PageParam, parse_page
from app.queries.feeds import FEED_SIZE, actor_feed, site_feed
from app.queries.proposals import parse_side
from app.routes.params import SideText
from app.schemas import Feed
from app.web import absolute_url

router = APIRouter()


def atom_response(request: Request, feed: Feed) -> Response:
    body = render_atom(feed, lambda path: absolute_url(request, path))
    return Response(body, media_type=MEDIA_TYPE)


@router.get("/feed.atom", include_in_schema=False)
def site_feed_atom(request: Request, session: SessionDep, page: PageParam = None, side: SideText = None) -> Response:
    return atom_response(request, site_feed(session, parse_page(page, FEED_SIZE), parse_side(side)))


@router.get("/actors/{slug}/feed.atom", include_in_schema=False)
def actor_feed_atom(request: Request, session: SessionDep, slug: str, page: PageParam = None) -> Response:
    return atom_response(request, actor_feed(session, slug, parse_page(page, FEED_SIZE)))
