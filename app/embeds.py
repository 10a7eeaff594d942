"""Embedding: the embed URLs, the iframe code people paste, and the oEmbed 1.0 answer built from them.

One place builds the iframe code, so the permalink's "Embed this proposal" panel and /oembed hand out
the same markup. An embed is in a language like any page (/uk/embed/…); the code handed out, and the
oEmbed answer for a /uk/… page, point at the embed in that language."""

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qs, unquote, urlsplit

from markupsafe import escape

from app.errors import ClientError, NotFound
from app.i18n import localized_path, split_locale
from app.queries.embeds import ActorEmbed, ProposalEmbed
from app.web import with_query

Theme = Literal["auto", "light", "dark"]
THEMES: tuple[str, ...] = ("auto", "light", "dark")
PROVIDER_NAME = "Truce Explorer"
EMBED_WIDTH = 560
# The share card, /proposals/{slug}/card.png (app.cards), is drawn at this size.
CARD_WIDTH, CARD_HEIGHT = 1200, 630
# oEmbed answers may be cached this long (seconds); the data changes only at an import.
CACHE_AGE = 3600
OEMBED_FORMATS = ["json"]

_OUR_PATHS = [
    (re.compile(r"^/(?:embed/)?proposals/([^/]+)$"), "proposal"),
    (re.compile(r"^/(?:embed/)?actors/([^/]+)$"), "actor"),
]


def embed_path(kind: str, slug: str, as_of: dt.date | None = None, theme: str = "auto") -> str:
    """/embed/proposals/{slug} or /embed/actors/{slug}; "auto" is the default, so it is left out."""
    return with_query(f"/embed/{kind}s/{slug}", {"as_of": as_of, "theme": None if theme == "auto" else theme})


def iframe_code(src: str, title: str, width: int = EMBED_WIDTH, height: int = 480) -> str:
    """The markup a host page pastes: fixed pixel size for oEmbed, shrinking to narrow columns."""
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="{width}" height="{height}" loading="lazy" '
        f'style="border:0;width:100%;max-width:{width}px"></iframe>'
    )


def iframe_title(embed: ProposalEmbed | ActorEmbed) -> str:
    return f"{PROVIDER_NAME}: {embed.title}"


@dataclass(frozen=True)
class OEmbedTarget:
    kind: str  # "proposal" or "actor"
    slug: str
    as_of: str | None
    theme: str
    locale: str = "en"  # the language of the page's URL (/uk/proposals/… is "uk")


def oembed_target(url: str | None, our_origin: str) -> OEmbedTarget:
    """Which of our pages `url` is. Anything else (another site, another page) is a 404, as oEmbed asks."""
    if not url or not url.strip():
        raise ClientError(
            "url is required: the address of a Truce Explorer proposal or actor page, "
            f"e.g. {our_origin}/proposals/SLUG.",
            parameter="url",
            value=url,
            allowed=[f"{our_origin}/proposals/SLUG", f"{our_origin}/actors/SLUG"],
        )
    parts = urlsplit(url.strip())
    ours = urlsplit(our_origin)
    # http and https name the same page here: a CMS may be given either.
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != ours.netloc.lower():
        raise NotFound(f"{url!r} is not a Truce Explorer page, so there is nothing to embed.", parameter="url", value=url)
    locale, path = split_locale(parts.path)
    for pattern, kind in _OUR_PATHS:
        match = pattern.match(path)
        if match:
            query = parse_qs(parts.query)
            theme = (query.get("theme") or ["auto"])[0]
            return OEmbedTarget(
                kind=kind,
                slug=unquote(match.group(1)),
                as_of=(query.get("as_of") or [None])[0],
                theme=theme if theme in THEMES else "auto",
                locale=locale,
            )
    raise NotFound(
        f"{url!r} is not a proposal or actor page; only those can be embedded.",
        parameter="url",
        value=url,
        allowed=[f"{our_origin}/proposals/SLUG", f"{our_origin}/actors/SLUG"],
    )


class FormatNotImplemented(ClientError):
    """oEmbed says a provider answers 501 for a format it does not offer."""

    status_code = 501


def check_format(format: str | None) -> None:
    if (format or "json") not in OEMBED_FORMATS:
        raise FormatNotImplemented(
            f"format {format!r} is not offered; this provider answers in json only.",
            parameter="format",
            value=format,
            allowed=OEMBED_FORMATS,
        )


def oembed_answer(
    embed: ProposalEmbed | ActorEmbed,
    *,
    src: str,
    height: int,
    provider_url: str,
    card_url: str | None,
    maxwidth: int | None,
    maxheight: int | None,
) -> dict[str, Any]:
    """The oEmbed 1.0 `rich` answer: width and height never exceed maxwidth/maxheight."""
    width = min(EMBED_WIDTH, maxwidth) if maxwidth else EMBED_WIDTH
    height = min(height, maxheight) if maxheight else height
    answer: dict[str, Any] = {
        "type": "rich",
        "version": "1.0",
        "title": embed.title,
        "provider_name": PROVIDER_NAME,
        "provider_url": provider_url,
        "cache_age": CACHE_AGE,
        "html": iframe_code(src, iframe_title(embed), width, height),
        "width": width,
        "height": height,
    }
    # The card exists at one size only: offer it when it fits the consumer's limits, rather than
    # claim a size it is not.
    fits = (maxwidth is None or maxwidth >= CARD_WIDTH) and (maxheight is None or maxheight >= CARD_HEIGHT)
    if card_url and fits:
        answer.update(thumbnail_url=card_url, thumbnail_width=CARD_WIDTH, thumbnail_height=CARD_HEIGHT)
    return answer


@dataclass(frozen=True)
class EmbedPanel:
    """The permalink's "Embed this proposal" panel: the code and preview for each theme."""

    theme: str
    codes: dict[str, str]
    previews: dict[str, str]  # theme -> the embed's path, for the live preview

    @property
    def code(self) -> str:
        return self.codes[self.theme]

    @property
    def preview(self) -> str:
        return self.previews[self.theme]


def embed_panel(embed: ProposalEmbed | ActorEmbed, slug: str, origin: str, theme: str, height: int) -> EmbedPanel:
    previews = {t: embed_path(embed.kind, slug, embed.as_of, t) for t in THEMES}
    # The code is pasted elsewhere, so its address is absolute, and in the page's language.
    codes = {t: iframe_code(origin + localized_path(path), iframe_title(embed), EMBED_WIDTH, height) for t, path in previews.items()}
    return EmbedPanel(theme=theme, codes=codes, previews=previews)


def oembed_discovery_url(origin: str, page_url: str) -> str:
    """The <link rel="alternate" type="application/json+oembed"> target for one of our pages."""
    return origin + with_query("/oembed", {"url": page_url, "format": "json"})


def resize_snippet(origin: str) -> str:
    """The host page's script (at most 15 lines) that fits each of our iframes to the height it posts."""
    return f"""<script>
  // Fit Truce Explorer embeds to their content: each one posts its height.
  window.addEventListener("message", function (event) {{
    var data = event.data;
    if (event.origin !== {json.dumps(origin)} || !data || data.type !== "truce-explorer:height") return;
    document.querySelectorAll("iframe").forEach(function (frame) {{
      if (frame.contentWindow === event.source) frame.style.height = data.height + "px";
    }});
  }});
</script>"""
