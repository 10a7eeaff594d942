"""Share cards: /proposals/{slug}/card.png, drawn by app.cards.

The response cache (app/cache.py) keeps the PNG per data version and gives it its ETag and
Cache-Control, as for every other view; the code fingerprint in the ETag changes with the design.
"""

from fastapi import APIRouter
from fastapi.responses import Response

from app.cards import render_card
from app.deps import SessionDep
from app.queries.proposals import get_proposal

router = APIRouter()


@router.get("/proposals/{slug}/card.png", include_in_schema=False)
def proposal_card(session: SessionDep, slug: str) -> Response:
    # An unknown slug raises NotFound: a 404, whatever If-None-Match says.
    return Response(render_card(get_proposal(session, slug)), media_type="image/png")
