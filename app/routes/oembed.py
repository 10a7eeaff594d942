"""oEmbed 1.0 provider (https://oembed.com): CMSs turn a pasted proposal or actor link into the embed."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from app.deps import SessionDep
from app.embeds import OEmbedTarget, check_format, embed_path, oembed_answer, oembed_target
from app.i18n import using_locale
from app.queries.embeds import actor_embed, default_height, proposal_embed
from app.queries.proposals import parse_as_of
from app.web import absolute_url

router = APIRouter()
SizeParam = Annotated[int | None, Query(ge=1, le=10_000, description="Largest size in pixels the consumer can show")]


@router.get("/oembed", include_in_schema=False)
def oembed(
    request: Request,
    session: SessionDep,
    url: Annotated[str | None, Query(description="A proposal permalink or actor page of this site")] = None,
    format: Annotated[str | None, Query(description="json (the only format offered)")] = None,
    maxwidth: SizeParam = None,
    maxheight: SizeParam = None,
) -> JSONResponse:
    check_format(format)
    target = oembed_target(url, absolute_url(request, ""))
    # /oembed itself has no language: the page's URL gives it (…/uk/proposals/… embeds /uk/embed/…).
    with using_locale(target.locale):
        return JSONResponse(_answer(request, session, target, maxwidth, maxheight))


def _answer(request: Request, session: SessionDep, target: OEmbedTarget, maxwidth: int | None, maxheight: int | None) -> dict[str, Any]:
    as_of = parse_as_of(target.as_of)
    if target.kind == "proposal":
        embed = proposal_embed(session, target.slug, as_of)
        card_url = absolute_url(request, f"{embed.url}/card.png")
    else:
        embed = actor_embed(session, target.slug, as_of)
        card_url = None  # actors have no share card
    answer = oembed_answer(
        embed,
        src=absolute_url(request, embed_path(target.kind, target.slug, as_of, target.theme)),
        height=default_height(embed),
        provider_url=absolute_url(request, "/"),
        card_url=card_url,
        maxwidth=maxwidth,
        maxheight=maxheight,
    )
    return answer
