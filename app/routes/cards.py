"""Share cards: /proposals/{slug}/card.png, drawn by app.cards and kept in memory per data version."""

import hashlib
import threading
from collections import OrderedDict

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.cards import render_card
from app.deps import SessionDep
from app.queries.data_version import latest_data_version
from app.queries.proposals import get_proposal

router = APIRouter()

CACHE_CONTROL = "public, max-age=3600"
# Bump when the card's design changes, so browsers and caches drop cards drawn by the old code.
CARD_DESIGN = "1"


class CardCache:
    """PNG bytes by (slug, data version), least recently used dropped first. Memory only."""

    def __init__(self, maxsize: int = 256):
        self.maxsize = maxsize
        self._items: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> bytes | None:
        with self._lock:
            png = self._items.get(key)
            if png is not None:
                self._items.move_to_end(key)
            return png

    def put(self, key: tuple[str, str], png: bytes) -> None:
        with self._lock:
            self._items[key] = png
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


cache = CardCache()


def data_version(session: Session) -> str:
    """The content hash of the latest import ("none" before any import)."""
    latest = latest_data_version(session)
    return latest.content_hash if latest else "none"


def card_etag(slug: str, version: str) -> str:
    digest = hashlib.sha256(f"{CARD_DESIGN}\0{slug}\0{version}".encode()).hexdigest()[:32]
    return f'"card-{digest}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


def card_png(session: Session, slug: str, version: str) -> bytes:
    """The card from the cache, or drawn now. An unknown slug raises NotFound (a 404)."""
    key = (slug, version)
    png = cache.get(key)
    if png is None:
        png = render_card(get_proposal(session, slug))
        cache.put(key, png)
    return png


@router.get("/proposals/{slug}/card.png", include_in_schema=False)
def proposal_card(request: Request, session: SessionDep, slug: str) -> Response:
    version = data_version(session)
    # Find or draw the card first, so an unknown slug is a 404 even with a matching If-None-Match.
    png = card_png(session, slug, version)
    headers = {"ETag": card_etag(slug, version), "Cache-Control": CACHE_CONTROL}
    if etag_matches(request.headers.get("if-none-match"), headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return Response(png, media_type="image/png", headers=headers)
