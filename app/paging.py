"""Paging, in one place: every bounded view reads its window here and builds its links here.

Pages for people use `page=N` (24 rows, plain rel=next/prev links that work without JS; htmx
turns "next" into "Show more"). The API uses `limit` (default 50, max 200) and an opaque
`cursor`, and answers `next` as a URL in the body and in a `Link` header (RFC 8288).
A URL always shows exactly one page, so a reload or a shared link shows what its URL names.
"""

import math
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field

from app.errors import BadFilter, Code, Text

PAGE_SIZE = 24
API_LIMIT = 50
API_LIMIT_MAX = 200


@dataclass(frozen=True)
class Window:
    """Which rows of a view to show: `limit` rows from `offset`."""

    offset: int = 0
    limit: int = PAGE_SIZE
    # A page=N window names a page that must exist; an API cursor past the end is just empty.
    strict: bool = False

    @property
    def number(self) -> int:
        return self.offset // self.limit + 1

    def slice(self, rows: list[Any]) -> list[Any]:
        """This window of an already bounded list (e.g. one actor's few rows)."""
        return rows[self.offset : self.offset + self.limit]


def parse_page(value: str | None, size: int = PAGE_SIZE, key: str = "page") -> Window:
    """`page=N` (or another key, such as the stance grid's `rows=N`); bad values are a clear 422."""
    value = (value or "").strip()
    if not value:
        return Window(0, size, strict=True)
    if not value.isdigit() or int(value) < 1 or len(value) > 9:
        raise BadFilter(
            Text.gettext("%(parameter)s %(value)s is not a page number; use a whole number from 1.", parameter=Code(key), value=Code(repr(value))),
            parameter=key,
            value=value,
            allowed=[Text.gettext("a whole number from 1, e.g. %(example)s", example=key + "=2")],
        )
    return Window((int(value) - 1) * size, size, strict=True)


def encode_cursor(offset: int) -> str:
    return str(offset)


def parse_cursor(value: str | None, limit: int) -> Window:
    """The API's cursor: where the previous answer stopped. Take it from a `next` link; a cursor past
    the end gives an empty page, as the next page of a result that shrank would."""
    value = (value or "").strip()
    if not value:
        return Window(0, limit)
    if not value.isdigit() or len(value) > 12:
        raise BadFilter(
            f"cursor {value!r} is not a cursor this API gives out; follow the `next` link of a previous page.",
            parameter="cursor",
            value=value,
            allowed=["the cursor in a previous answer's next link", "empty, for the first page"],
        )
    return Window(int(value), limit)


PageParam = Annotated[
    str | None,
    Query(description="Page number, from 1 (24 rows a page).", examples=["2"], pattern=r"^[^\x00]*$"),
]
LimitParam = Annotated[
    int,
    Query(ge=1, le=API_LIMIT_MAX, description=f"Rows per answer, 1 to {API_LIMIT_MAX} (default {API_LIMIT})."),
]
CursorParam = Annotated[
    str | None,
    Query(
        description="Where to continue: the cursor in the previous answer's `next` link. Empty for the first page.",
        pattern=r"^[0-9]{0,12}$",
    ),
]


def page_window(page: PageParam = None) -> Window:
    return parse_page(page)


def api_window(limit: LimitParam = API_LIMIT, cursor: CursorParam = None) -> Window:
    return parse_cursor(cursor, limit)


PageWindow = Annotated[Window, Depends(page_window)]
ApiWindow = Annotated[Window, Depends(api_window)]


class PageInfo(BaseModel):
    """Where this answer sits in the whole result."""

    total: int = Field(description="Rows in the whole result, on every page")
    offset: int
    limit: int
    next: str | None = Field(None, description="URL of the next page (also sent as a Link: rel=next header); null on the last")
    prev: str | None = Field(None, description="URL of the previous page; null on the first")


@dataclass(frozen=True)
class Pager:
    """A page's navigation for templates: page N of M, and the URLs of its neighbours."""

    number: int
    pages: int
    total: int
    first_index: int  # 1-based index of the first row shown
    last_index: int
    prev_url: str | None
    next_url: str | None
    noun: str = "results"


def pager(path: str, params: dict[str, Any], window: Window, total: int, *, noun: str = "results", key: str = "page") -> Pager:
    """Links to the neighbouring pages of a `page=` view: the same URL with the page replaced."""
    from app.web import with_query  # app.web imports the schemas, which import PageInfo from here

    pages = max(1, math.ceil(total / window.limit))
    number = window.number

    def url(n: int) -> str:
        return with_query(path, {**params, key: n if n > 1 else None})

    return Pager(
        number=number,
        pages=pages,
        total=total,
        first_index=min(total, window.offset + 1),
        last_index=min(total, window.offset + window.limit),
        prev_url=url(number - 1) if number > 1 else None,
        next_url=url(number + 1) if number < pages else None,
        noun=noun,
    )


def check_in_range(window: Window, total: int, key: str = "page") -> None:
    """A page past the last one is a 422 saying how many there are (page 1 always exists)."""
    pages = max(1, math.ceil(total / window.limit))
    if window.strict and window.number > pages:
        raise BadFilter(
            Text.ngettext(
                "%(parameter)s %(number)s is past the last page; this view has %(pages)s page.",
                "%(parameter)s %(number)s is past the last page; this view has %(pages)s pages.",
                pages, parameter=Code(key), number=window.number, pages=pages,
            ),
            parameter=key,
            value=str(window.number),
            allowed=[Text.gettext("1 to %(pages)s", pages=pages)],
        )


def api_page(request: Request, response: Response, window: Window, total: int, *, cursor_key: str = "cursor") -> PageInfo:
    """The API's paging block, with `next` also in a Link header; the URLs keep every other parameter."""
    from app.web import with_query

    params: dict[str, Any] = {k: v for k, v in request.query_params.items() if k != cursor_key}
    if cursor_key == "cursor":
        params.pop("limit", None)
        if window.limit != API_LIMIT:
            params["limit"] = window.limit
    path = request.url.path

    def url(offset: int) -> str:
        return with_query(path, {**params, cursor_key: encode_cursor(offset) if offset else None})

    next_url = url(window.offset + window.limit) if window.offset + window.limit < total else None
    prev_url = url(max(0, window.offset - window.limit)) if window.offset > 0 else None
    links = [f'<{u}>; rel="{rel}"' for u, rel in ((next_url, "next"), (prev_url, "prev")) if u]
    if links:
        response.headers["Link"] = ", ".join(links)
    return PageInfo(total=total, offset=window.offset, limit=window.limit, next=next_url, prev=prev_url)
