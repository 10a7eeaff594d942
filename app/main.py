"""The FastAPI application: routers, security headers and error pages."""

import logging
import re
from urllib.parse import quote
from collections.abc import Mapping
from contextlib import asynccontextmanager

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
from app.errors import PREVIEW_LENGTH, ClientError, closest, preview
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
from app.i18n import LocalePrefix, localized_path
from app.security import EMBED_PREFIX, SecurityHeaders
from app.server import MAX_HEADER_COUNT
from app.web import absolute_url, render

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


def _error_response(
    request: Request, status: int, error: ErrorOut, title: str, headers: Mapping[str, str] | None = None, exc: ClientError | None = None
) -> Response:
    if _wants_json(request):
        return JSONResponse(error.model_dump(), status_code=status, headers=headers)
    # An htmx request gets the message as a fragment, swapped where its results would go; an embed's
    # error shows inside the host page's frame, so it is a bare embed page too (no htmx).
    template = "embed_error.html" if request.url.path.startswith(EMBED_PREFIX) else "error.html"
    context = {
        "status": status, "title": title, "page_title": title, "error": error, "home_url": absolute_url(request, "/"),
        # Readers get titles and links, not the slugs the API names.
        "message": (exc.reader_message if exc else None) or error.error,
        "links": exc.links if exc else [],
    }
    response = render(request, template, context, status_code=status)
    response.headers.update(headers or {})
    return response


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
        title = "Not found" if exc.status_code == 404 else "That filter does not work"
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
        return _error_response(request, 422, error, "That request does not work")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            redirect = _without_trailing_slash(app, request)
            if redirect is not None:
                return redirect
            error = ErrorOut(error=f"There is no page at {preview(request.scope['path'])}.")
            return _error_response(request, 404, error, "Page not found")
        error = ErrorOut(error=preview(exc.detail))
        # Keep the exception's headers: a 405 must say which methods are allowed (Allow, RFC 9110),
        # and every GET route answers HEAD too (HeadAsGet).
        headers = dict(exc.headers or {})
        if "GET" in headers.get("Allow", "").split(", ") and "HEAD" not in headers["Allow"]:
            headers["Allow"] += ", HEAD"
        return _error_response(request, exc.status_code, error, "That request does not work", headers)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        error = ErrorOut(error="Something went wrong on our side. The error has been logged.")
        return _error_response(request, 500, error, "Something went wrong")

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
