"""The FastAPI application: routers, security headers and error pages."""

import logging
import re
from urllib.parse import quote, urlencode
from collections.abc import Mapping
from contextlib import asynccontextmanager

from http import HTTPStatus

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send


from app.cache import CachePolicy, DataVersionProbe, ResponseCache, ResponseStore
from app.config import PROJECT_ROOT, Settings, get_settings
from app.db import DatabaseNotReady, LiveDatabase, check_database_ready, sqlite_path
from app.deps import check_request_text
from app.errors import PREVIEW_LENGTH, ClientError, Code, Text, closest, is_control, page_text, preview, preview_text
from app.routes import (
    about,
    actors,
    cards,
    citations,
    compare,
    corrections,
    embeds,
    exports,
    feeds,
    health,
    matrix,
    oembed,
    proposals,
    sources,
    state_of_play,
    timeline,
)
from app.schemas import ErrorDetail, ErrorOut
from app import i18n
from app.i18n import N_, LocalePrefix, gettext as _, localized_path, split_locale, using_locale
from app.security import EMBED_PREFIX, SecurityHeaders
from app.server import MAX_HEADER_COUNT
from app.web import absolute_url, language_versions, render

log = logging.getLogger("truce")

class TruceApp(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack(), https=self.state.settings.https)


class LimitHeaderCount:
    """At most MAX_HEADER_COUNT header fields; h11 already caps their total size (app.server)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and len(scope["headers"]) > MAX_HEADER_COUNT:
            error = ErrorOut(error=f"The request has {len(scope['headers'])} header fields; at most {MAX_HEADER_COUNT} are allowed.")
            await JSONResponse(error.model_dump(), status_code=431)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class HeadAsGet:
    """Answer HEAD like GET without the body (FastAPI routes declare GET only)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body"):
                    return  # drop the body's chunks; the last one ends the response, empty
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)


class StaticFilesCached(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        if scope["path"].endswith("/"):
            # The path is normalised before lookup, so site.css/ would otherwise serve site.css.
            raise StarletteHTTPException(status_code=404)
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            # URLs carry ?v=<mtime>, so a changed file gets a new URL.
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path in ("/healthz", "/oembed") or path.endswith((".json", ".csv"))


# What pydantic's refusals mean, in words a page can translate (the JSON keeps pydantic's own).
VALIDATION_REASONS = {
    "literal_error": N_("use one of the allowed values"),
    "enum": N_("use one of the allowed values"),
    "int_parsing": N_("use a whole number"),
    "int_type": N_("use a whole number"),
    "greater_than_equal": N_("the number is out of range"),
    "less_than_equal": N_("the number is out of range"),
    "greater_than": N_("the number is out of range"),
    "less_than": N_("the number is out of range"),
}
VALIDATION_REASON = N_("the value is not valid here")
# Starlette's own details (the HTTP status phrase), as a page says them.
STATUS_PHRASES = {405: N_("Method Not Allowed")}


def _error_response(
    request: Request,
    status: int,
    error: ErrorOut,
    title: str,
    headers: Mapping[str, str] | None = None,
    exc: ClientError | None = None,
    text: Text | None = None,
) -> Response:
    """The JSON error, always in English; or the page, in the page's language (`exc` or `text` give
    its words; `error` stays the English one the JSON would have said)."""
    if _wants_json(request):
        return JSONResponse(error.model_dump(), status_code=status, headers=headers)
    if i18n.current_locale() != i18n.DEFAULT_LOCALE and exc is not None:
        error = error.model_copy(update={"detail": error.detail.model_copy(update={"allowed": exc.page_allowed()})})
    # An htmx request gets the message as a fragment, swapped where its results would go; an embed's
    # error shows inside the host page's frame, so it is a bare embed page too (no htmx).
    template = "embed_error.html" if request.url.path.startswith(EMBED_PREFIX) else "error.html"
    context = {
        "status": status, "title": title, "page_title": title, "error": error, "home_url": absolute_url(request, "/"),
        # Readers get titles and links, not the slugs the API names.
        "message": exc.page_message() if exc else page_text(text) if text is not None else error.error,
        "links": exc.links if exc else [],
    }
    if (echoed := _as_echoed(request)) is not None:
        context["language_versions"] = language_versions(echoed)
    response = render(request, template, context, status_code=status)
    response.headers.update(headers or {})
    return response


def _as_echoed(request: Request) -> Request | None:
    """The request as an error page's links to its other languages may name it, when they cannot
    name it as sent: its path with control characters percent-encoded (never a raw NUL in the page),
    and a long path or parameter cut to PREVIEW_LENGTH, as the message echoes it."""
    path = request.scope["path"]
    params = request.query_params.multi_items()
    too_long = len(path) > PREVIEW_LENGTH or any(len(name) > PREVIEW_LENGTH or len(value) > PREVIEW_LENGTH for name, value in params)
    if not too_long and not any(is_control(c) for c in path):
        return None
    shown = "".join(quote(c, safe="") if is_control(c) else c for c in path[:PREVIEW_LENGTH])
    query = urlencode([(name[:PREVIEW_LENGTH], value[:PREVIEW_LENGTH]) for name, value in params]).encode()
    scope = {**request.scope, "path": shown, "raw_path": shown.encode(), "query_string": query}
    return Request(scope, request.receive)


def _without_trailing_slash(app: FastAPI, request: Request) -> Response | None:
    """/actors/ is /actors: a 307 to the route without the slash, with a relative Location, so the
    Host header never reaches it (Starlette's own redirect_slashes builds an absolute URL from it).
    Static files are never redirected: /static/css/site.css/ is a 404."""
    path = request.scope["path"]
    target = path.rstrip("/")
    if path == target or not target:
        return None
    scope = {**request.scope, "path": target}
    for route in app.router.routes:
        if not isinstance(route, Mount) and route.matches(scope)[0] == Match.FULL:
            query = request.scope.get("query_string", b"").decode("latin-1")
            location = localized_path(quote(target, safe="/")) + (f"?{query}" if query else "")
            return RedirectResponse(location, status_code=307)
    return None


@asynccontextmanager
async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
    try:
        check_database_ready(app.state.engine)
    except DatabaseNotReady as exc:
        # Fail at start with a clear message rather than on the first request.
        raise SystemExit(f"truce: {exc}") from None
    yield
    app.state.database.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = TruceApp(
        title="Truce Explorer",
        summary="Proposals for a Russia–Ukraine truce as they stood in late 2024, and who supports, conditions or rejects them, in their own words.",
        version="1.0",
        docs_url=None,  # Swagger UI loads its assets from a CDN, which our CSP forbids.
        redoc_url=None,
        lifespan=lifespan,
        redirect_slashes=False,  # _without_trailing_slash does it, relative
        dependencies=[Depends(check_request_text)],
    )
    app.state.settings = settings
    # The web process only reads: SQLite opens in mode=ro, PostgreSQL in read-only transactions.
    # app.state.sessionmaker() (the LiveDatabase itself) and app.state.engine follow the database
    # file across import swaps.
    def on_reopen(database: LiveDatabase) -> None:
        app.state.engine = database.engine

    app.state.database = LiveDatabase(settings.database_url, on_reopen=on_reopen)
    app.state.sessionmaker = app.state.database

    @app.exception_handler(ClientError)
    async def client_error(request: Request, exc: ClientError) -> Response:
        error = ErrorOut(
            error=exc.message,
            detail=ErrorDetail(
                parameter=exc.parameter, value=exc.value, allowed=exc.allowed, suggestions=exc.suggestions
            ),
        )
        title = _("Not found") if exc.status_code == 404 else _("That filter does not work")
        return _error_response(request, exc.status_code, error, title, exc=exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0]
        # loc is ("query", name) or, for a union such as `Position | "" | None`, ("query", name, member).
        loc = first["loc"]
        parameter = str(loc[1] if len(loc) > 1 else loc[-1])
        value = first.get("input")
        message = first["msg"]
        # Enum errors carry the allowed values as "'a', 'b' or 'c'".
        allowed = re.findall(r"'([^']*)'", str(first.get("ctx", {}).get("expected", "")))
        error = ErrorOut(
            error=f"{preview(parameter)} '{preview(value)}' is not allowed: {message}.",
            detail=ErrorDetail(
                parameter=preview(parameter),
                value=None if value is None else preview(value),
                allowed=allowed,
                suggestions=closest(str(value)[:PREVIEW_LENGTH], allowed) if allowed and value is not None else [],
            ),
        )
        reason = message if i18n.current_locale() == i18n.DEFAULT_LOCALE else _(VALIDATION_REASONS.get(first["type"], VALIDATION_REASON))
        text = Text.gettext(
            "%(parameter)s '%(value)s' is not allowed: %(reason)s.",
            parameter=Code(preview(parameter)), value=Code(preview_text(value)), reason=reason,
        )
        return _error_response(request, 422, error, _("That request does not work"), text=text)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            redirect = _without_trailing_slash(app, request)
            if redirect is not None:
                return redirect
            path = request.scope["path"]
            error = ErrorOut(error=f"There is no page at {preview(path)}.")
            # The page names the address as the reader wrote it, in its language.
            shown = path if i18n.current_locale() == i18n.DEFAULT_LOCALE else f"/{i18n.current_locale()}{path}"
            text = Text.gettext("There is no page at %(path)s.", path=Code(preview_text(shown)))
            return _error_response(request, 404, error, _("Page not found"), text=text)
        error = ErrorOut(error=preview(exc.detail))
        phrase = STATUS_PHRASES.get(exc.status_code)
        text = Text.gettext(phrase) if phrase and exc.detail == HTTPStatus(exc.status_code).phrase else None
        # Keep the exception's headers: a 405 must say which methods are allowed (Allow, RFC 9110),
        # and every GET route answers HEAD too (HeadAsGet).
        headers = dict(exc.headers or {})
        if "GET" in headers.get("Allow", "").split(", ") and "HEAD" not in headers["Allow"]:
            headers["Allow"] += ", HEAD"
        return _error_response(request, exc.status_code, error, _("That request does not work"), headers, text=text)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        error = ErrorOut(error="Something went wrong on our side. The error has been logged.")
        # This handler runs outside LocalePrefix (Starlette's ServerErrorMiddleware): the path still
        # has its language, which the page is then said in.
        locale, path = split_locale(request.scope["path"])
        if locale != i18n.DEFAULT_LOCALE:
            request = Request({**request.scope, "path": path, "raw_path": path.encode()}, request.receive)
        with using_locale(locale):
            text = Text.gettext("Something went wrong on our side. The error has been logged.")
            return _error_response(request, 500, error, _("Something went wrong"), text=text)

    app.mount("/static", StaticFilesCached(directory=PROJECT_ROOT / "static"), name="static")
    for module in (
        exports, compare, timeline, proposals, actors, matrix, cards, citations, embeds, oembed, feeds, corrections, sources, about, health, state_of_play
    ):
        app.include_router(module.router)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    # The language comes off the front of the path here, inside the response cache, so the cache
    # keys on the whole path (/uk/… and /… are different entries) and every route serves every language.
    app.add_middleware(LocalePrefix)
    # Outside gzip, so it keeps and serves the bytes that go on the wire; inside HeadAsGet, so a
    # HEAD is answered from the same entry as its GET.
    app.state.response_cache = ResponseStore(settings.response_cache_bytes, settings.response_cache_entry_bytes)
    app.add_middleware(
        ResponseCache,
        store=app.state.response_cache,
        # Sessions from app.state at each read, so an engine reopened after an import is the one asked.
        probe=DataVersionProbe(lambda: app.state.sessionmaker(), sqlite_path(app.state.engine.url)),
        policy=CachePolicy(settings),
        settings=settings,
    )
    # Any Host but ours is a 400 before it reaches a route (no www redirect: it would echo the Host).
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts, www_redirect=False)
    app.add_middleware(HeadAsGet)
    app.add_middleware(LimitHeaderCount)
    return app
