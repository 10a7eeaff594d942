"""Proposals: the list (/), the permalink, and their JSON twins."""

from typing import Annotated

from dataclasses import replace

from fastapi import APIRouter, Path, Query, Request
from pydantic import WithJsonSchema
from fastapi.responses import HTMLResponse, Response

from app.citations import data_version_info
from app.deps import SessionDep
from app.embeds import embed_panel, oembed_discovery_url, resize_snippet
from app.paging import ApiWindow, PageWindow, api_page, pager
from app.models import Precision
from app.queries.embeds import default_height, proposal_embed_of
from app.errors import BadFilter, Code, Text, preview_text
from app.models import Position
from app.queries.proposals import ProposalFilters, get_proposal, list_proposals, parse_as_of, parse_side, stance_groups, stance_sentence, view_title
from app.queries.state_of_play import side_cells, state_of_play
from app.routes.citations import proposal_citation_context
from app.routes.params import API_LANG, FILTER_REFUSALS, NO_NUL, ApiFilters, AsOfParam, PageFilters, Slug, ThemeParam, filter_params, slug_errors, slug_path
from app.schemas import POSITIONS, ProposalDetail, ProposalList
from app.vocabulary import SIDES, date_label
from app.web import absolute_url, clean_url_redirect, is_partial, redirect_to, render, with_query
from app.i18n import gettext

router = APIRouter()


# "Which proposals does Russia reject?" as one choice: the state of play's select sends
# stand=russia.rejects (or stand=russia for any position); the URL it leads to is side=…&position=….
StandParam = Annotated[str | None, Query(pattern=NO_NUL)]
STAND_VALUES = [f"{side.value}.{position.value}" for side in SIDES for position in POSITIONS] + [side.value for side in SIDES]


def with_stand(filters: ProposalFilters, stand: str | None) -> ProposalFilters:
    stand = (stand or "").strip()
    if not stand:
        return filters
    side_text, _, position_text = stand.partition(".")
    if stand not in STAND_VALUES:
        raise BadFilter(
            Text.gettext(
                "%(parameter)s '%(value)s' is not a side and a position; use %(form)s, e.g. %(example)s, or a side alone.",
                parameter=Code("stand"), value=Code(preview_text(stand)), form=Code("side.position"), example=Code("russia.rejects"),
            ),
            parameter="stand",
            value=stand,
            allowed=STAND_VALUES,
        )
    return replace(filters, side=parse_side(side_text), position=Position(position_text) if position_text else None, actor=None)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def proposals_page(
    request: Request, session: SessionDep, filters: PageFilters, window: PageWindow, stand: StandParam = None
) -> Response:
    filters = with_stand(filters, stand)
    params = filter_params(filters)
    here = {**params, "page": window.number if window.number > 1 else None}
    if stand is not None and not is_partial(request):
        # Without JS the choice arrives as stand=…: go to the view's own URL.
        return redirect_to(with_query("/", here))
    if redirect := clean_url_redirect(request, here):
        return redirect
    data = list_proposals(session, filters, window)
    title = gettext("%(view)s, page %(number)s", view=view_title(data), number=window.number) if window.number > 1 else view_title(data)
    return render(
        request,
        "proposals.html",
        {
            "data": data,
            "params": params,
            "action": "/",
            "nav": "proposals",
            "home": True,
            "as_of": filters.as_of,
            "page_title": title,
            "og_title": title,
            "state": state_of_play(session, filters.as_of, filters.basis),
            "pager": pager("/", params, window, data.count, noun="proposals"),
            "json_url": with_query("/api/proposals", params),
            "csv_url": with_query("/proposals.csv", params),
        },
        push_url=with_query("/", here),
    )


@router.get("/proposals/{slug}", response_class=HTMLResponse, include_in_schema=False)
def proposal_page(
    request: Request, session: SessionDep, slug: str, as_of: AsOfParam = None, embed_theme: ThemeParam = "auto"
) -> Response:
    as_of_date = parse_as_of(as_of)
    proposal = get_proposal(session, slug, as_of_date)
    groups = stance_groups(proposal.reactions)
    share_url = absolute_url(request, with_query(proposal.url, {"as_of": as_of_date}))
    embed = proposal_embed_of(proposal, as_of_date)
    origin = absolute_url(request, "")
    return render(
        request,
        "proposal.html",
        {
            "proposal": proposal,
            "page_title": proposal.title,
            "sides": side_cells(session, proposal.slug, as_of_date),
            "groups": groups,
            "groups_held": {position.value: group for position, group in groups},
            # A dated view describes, and links previews to, that dated state of play.
            "og_description": gettext("As of %(day)s: %(stances)s", day=date_label(as_of_date, Precision.day), stances=stance_sentence(proposal.stance))
            if as_of_date
            else stance_sentence(proposal.stance),
            "canonical_url": absolute_url(request, proposal.url),
            "card_url": absolute_url(request, f"{proposal.url}/card.png"),
            # The link to share is this exact view, "as of" day included.
            "share_url": share_url,
            "json_url": with_query(f"/api/proposals/{proposal.slug}", {"as_of": as_of_date}),
            "csv_url": with_query("/reactions.csv", {"proposal": proposal.slug, "as_of": as_of_date}),
            "as_of": as_of_date,
            "oembed_url": oembed_discovery_url(origin, share_url),
            # The panel opens itself when its theme form was submitted (no JS).
            "embed": embed_panel(embed, proposal.slug, origin, embed_theme, default_height(embed)),
            "resize_snippet": resize_snippet(origin),
            "embed_open": "embed_theme" in request.query_params,
            **proposal_citation_context(request, proposal, as_of_date, data_version_info(session)),
        },
    )


INCLUDE_VALUES = ["reactions"]
IncludeParam = Annotated[
    str | None,
    WithJsonSchema({"anyOf": [{"type": "string", "enum": [*INCLUDE_VALUES, ""]}, {"type": "null"}]}),
    Query(description="`reactions`: each item also carries every reaction the view counts (the page stays `limit` items). Empty means none."),
]
LIST_ERRORS = slug_errors("actor", also=FILTER_REFUSALS + ", or `include` not `reactions`")


def parse_include(value: str | None) -> bool:
    """include=reactions, or nothing; anything else is a 422 naming what is allowed."""
    value = (value or "").strip()
    if value and value not in INCLUDE_VALUES:
        raise BadFilter(
            Text.gettext("%(parameter)s '%(value)s' is not allowed; use one of %(allowed)s.", parameter=Code("include"), value=Code(preview_text(value)), allowed=Code(", ".join(INCLUDE_VALUES))),
            parameter="include",
            value=value,
            allowed=INCLUDE_VALUES,
        )
    return bool(value)


@router.get("/api/proposals", dependencies=[API_LANG], response_model=ProposalList, responses=LIST_ERRORS, tags=["proposals"])
def api_list_proposals(
    request: Request, response: Response, session: SessionDep, filters: ApiFilters, window: ApiWindow, include: IncludeParam = None
) -> ProposalList:
    """Proposals, filtered by actor, position and text. `actor` with `position` gives the proposals
    where that actor's position is that position; `position=supports` includes proposers.
    Each item sums up its stance (how many actors hold each position, and the first of them by
    name); `reactions_url` has every reaction, or `include=reactions` adds them to the items.
    Paged: `limit` rows from `cursor`; `page.next` (and the `Link` header) is the next page's URL."""
    data = list_proposals(session, filters, window, include_reactions=parse_include(include))
    data.page = api_page(request, response, window, data.count)
    return data


@router.get(
    "/api/proposals/{slug}",
    dependencies=[API_LANG],
    response_model=ProposalDetail,
    responses=slug_errors(path="proposal", also="`as_of` is not a YYYY-MM-DD date"),
    tags=["proposals"],
)
def api_get_proposal(
    session: SessionDep, slug: Annotated[Slug, slug_path("nato-membership-20-year-delay")], as_of: AsOfParam = None
) -> ProposalDetail:
    """One proposal with every reaction: quote, condition, date at its precision, evidence and source."""
    return get_proposal(session, slug, parse_as_of(as_of))
