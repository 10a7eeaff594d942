"""Embeds: compact stance widgets other sites may frame (the only framable pages; see SecurityHeaders)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.deps import SessionDep
from app.queries.embeds import actor_embed, proposal_embed
from app.queries.proposals import parse_as_of
from app.routes.params import AsOfParam, ThemeParam
from app.web import absolute_url, keep_as_of, render

router = APIRouter()


def _render_embed(request: Request, template: str, embed, theme: str) -> Response:  # type: ignore[no-untyped-def]
    return render(
        request,
        template,
        {
            "embed": embed,
            "theme": theme,
            "page_title": embed.title,
            # Absolute: the link opens our page in a new tab, whatever site the widget sits on.
            "permalink": absolute_url(request, keep_as_of(embed.url, embed.as_of)),
            "as_of": embed.as_of,
        },
    )


@router.get("/embed/proposals/{slug}", response_class=HTMLResponse, include_in_schema=False)
def proposal_embed_page(
    request: Request, session: SessionDep, slug: str, as_of: AsOfParam = None, theme: ThemeParam = "auto"
) -> Response:
    return _render_embed(request, "embed_proposal.html", proposal_embed(session, slug, parse_as_of(as_of)), theme)


@router.get("/embed/actors/{slug}", response_class=HTMLResponse, include_in_schema=False)
def actor_embed_page(
    request: Request, session: SessionDep, slug: str, as_of: AsOfParam = None, theme: ThemeParam = "auto"
) -> Response:
    return _render_embed(request, "embed_actor.html", actor_embed(session, slug, parse_as_of(as_of)), theme)
