"""The FastAPI application: routers, security headers and error pages."""

import logging
import re
from collections.abc import Mapping
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sqlalchemy.orm import sessionmaker

from app.cache import CachePolicy, DataVersionProbe, ResponseCache, ResponseStore
from app.config import PROJECT_ROOT, Settings, get_settings
from app.db import DatabaseNotReady, check_database_ready, make_engine, sqlite_path
from app.deps import reject_nul_bytes
from app.errors import ClientError, closest
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
    timeline,
)
from app.schemas import ErrorDetail, ErrorOut
from app.web import absolute_url, render

log = logging.getLogger("truce")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# Only the embeds may be framed, by any site: the same policy with frame-ancestors *, and no X-Frame-Options.
EMBED_PATH_PREFIX = "/embed/"
EMBED_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
]
EMBED_SECURITY_HEADERS = [
    (b"content-security-policy", EMBED_CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]


class SecurityHeaders:
    """Adds the security headers to every response and drops any server banner."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        security_headers = EMBED_SECURITY_HEADERS if scope["path"].startswith(EMBED_PATH_PREFIX) else SECURITY_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                message["headers"] = headers + security_headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


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
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            # URLs carry ?v=<mtime>, so a changed file gets a new URL.
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path in ("/healthz", "/oembed") or path.endswith((".json", ".csv"))


def _error_response(
    request: Request, status: int, error: ErrorOut, title: str, headers: Mapping[str, str] | None = None
) -> Response:
    if _wants_json(request):
        return JSONResponse(error.model_dump(), status_code=status, headers=headers)
    # An htmx request gets the message as a fragment, swapped where its results would go; an embed's
    # error shows inside the host page's frame, so it is a bare embed page too (no htmx).
    template = "embed_error.html" if request.url.path.startswith(EMBED_PATH_PREFIX) else "error.html"
    context = {"status": status, "title": title, "page_title": title, "error": error, "home_url": absolute_url(request, "/")}
    response = render(request, template, context, status_code=status)
    response.headers.update(headers or {})
    return response


@asynccontextmanager
async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
    try:
        check_database_ready(app.state.engine)
    except DatabaseNotReady as exc:
        # Fail at start with a clear message rather than on the first request.
        raise SystemExit(f"truce: {exc}") from None
    yield
    app.state.engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="Truce Explorer",
        summary="Proposals for a Russia–Ukraine truce as they stood in late 2024, and who supports, conditions or rejects them, in their own words.",
        version="1.0",
        docs_url=None,  # Swagger UI loads its assets from a CDN, which our CSP forbids.
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(reject_nul_bytes)],
    )
    app.state.settings = settings
    # The web process only reads: SQLite opens in mode=ro, PostgreSQL in read-only transactions.
    app.state.engine = make_engine(settings.database_url, read_only=True)
    app.state.sessionmaker = sessionmaker(bind=app.state.engine, expire_on_commit=False)

    @app.exception_handler(ClientError)
    async def client_error(request: Request, exc: ClientError) -> Response:
        error = ErrorOut(
            error=exc.message,
            detail=ErrorDetail(
                parameter=exc.parameter, value=exc.value, allowed=exc.allowed, suggestions=exc.suggestions
            ),
        )
        title = "Not found" if exc.status_code == 404 else "That filter does not work"
        return _error_response(request, exc.status_code, error, title)

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
            error=f"{parameter} {value!r} is not allowed: {message}.",
            detail=ErrorDetail(
                parameter=parameter,
                value=None if value is None else str(value),
                allowed=allowed,
                suggestions=closest(str(value), allowed) if allowed and value is not None else [],
            ),
        )
        return _error_response(request, 422, error, "That request does not work")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            error = ErrorOut(error=f"There is no page at {request.url.path}.")
            return _error_response(request, 404, error, "Page not found")
        error = ErrorOut(error=str(exc.detail))
        # Keep the exception's headers: a 405 must say which methods are allowed (Allow, RFC 9110).
        return _error_response(request, exc.status_code, error, "That request does not work", exc.headers)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        error = ErrorOut(error="Something went wrong on our side. The error has been logged.")
        return _error_response(request, 500, error, "Something went wrong")

    app.mount("/static", StaticFilesCached(directory=PROJECT_ROOT / "static"), name="static")
    for module in (
        exports, compare, timeline, proposals, actors, matrix, cards, citations, embeds, oembed, feeds, corrections, sources, about, health
    ):
        app.include_router(module.router)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
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
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    return app
