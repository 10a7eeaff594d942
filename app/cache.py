"""The response cache and the HTTP caching headers: one ASGI middleware every response passes through.

The data changes only at import, so a rendered response stays valid until the data version
changes. `ResponseCache`:

- keeps the final bytes of GET 200 responses (HTML, JSON, CSV, Atom, PNG) in an in-process LRU
  bounded in bytes (`RESPONSE_CACHE_BYTES`, 0 turns it off), keyed by the data version, the
  origin, the path, the query in a canonical order, the `HX-Request` / `HX-History-Restore-Request`
  pair and whether the body is gzipped. It sits outside the gzip middleware, so what it keeps is
  what goes on the wire;
- gives every such response an ETag derived from the same key (plus a fingerprint of the code, so
  a deploy that changes the pages changes the tags) and answers `If-None-Match` with 304;
- gives them `Cache-Control: public, max-age, stale-while-revalidate, s-maxage` so browsers,
  nginx and CDNs can help, and an exact `Vary`;
- gives every error (4xx, 5xx) `Cache-Control: no-store`, and `/healthz` too.

Each process (each uvicorn worker) has its own cache; the ETags agree between processes.
"""

import gc
import datetime as dt
import hashlib
import os
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.config import PROJECT_ROOT, Settings
from app.queries.data_version import data_version_key

# What is worth keeping: the rendered views. Downloads (the SQLite file, seed files) and static
# files have their own validators and are served from disk.
CACHEABLE_TYPES = frozenset({"text/html", "application/json", "text/csv", "application/atom+xml", "image/png"})
# Types the gzip middleware never compresses, so their bytes do not depend on Accept-Encoding.
NEVER_GZIPPED = frozenset({"image/png"})
UNCACHED_PATHS = frozenset({"/healthz"})
NO_STORE = b"no-store"
# How often the data version is re-read on a database whose changes nothing on disk shows (PostgreSQL).
DATA_VERSION_RECHECK_SECONDS = 1.0
# A rough per-entry cost of the Python objects around the bytes, so many tiny entries stay bounded too.
ENTRY_OVERHEAD_BYTES = 256


def code_fingerprint(settings: Settings) -> str:
    """What the rendered bytes depend on besides the data and the request.

    The code and templates (by content), the static files (pages link them with ?v=<mtime>) and
    the origin used in absolute links. A deploy that changes any of them changes every ETag.
    """
    digest = hashlib.sha256(settings.base_url.encode())
    for folder, by_content in (("app", True), ("templates", True), ("static", False)):
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
            if by_content:
                digest.update(path.read_bytes())
            else:
                digest.update(str(path.stat().st_mtime_ns).encode())
    return digest.hexdigest()[:16]


def _read_data_version(session_factory: Callable[[], Session]) -> str:
    with session_factory() as session:
        return data_version_key(session)


class PerVersionMemo:
    """Values derived from the data (not responses), kept until the data version changes: the
    state of play's side x proposal positions are computed once per version, not per request.
    Bounded in entries (least recently used dropped first); keyed by the database too, so two
    databases with the same seeds in one process (tests) never share an entry."""

    def __init__(self, max_entries: int = 32):
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, object] = OrderedDict()
        self.computed = 0

    def get(self, key: tuple, compute: Callable[[], object]) -> object:
        if key in self._entries:
            self._entries.move_to_end(key)
            return self._entries[key]
        value = compute()
        self.computed += 1
        self._entries[key] = value
        # A kept value is hundreds of thousands of objects at 200k reactions; left in the cyclic
        # collector's care, every full collection walks them all (a second-long stall on any request).
        # Frozen, the collector skips them; reference counting still frees them when dropped.
        gc.freeze()
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        self._entries.clear()


class DataVersionProbe:
    """The current data version, read cheaply enough to ask on every request.

    On SQLite the file's identity (inode, size, modification time, and those of its WAL) is checked
    on every call, and the version re-read only when it changed: an import that writes the file,
    or swaps a new file in with os.replace, is seen at once. (A reader cannot see a commit before
    the file's stamp changes: SQLite writes the file before it releases the lock.) On PostgreSQL,
    where nothing on disk shows a change, the version is re-read at most once a second. Returns
    None when the database cannot be read; the request then bypasses the cache and the route
    reports the problem.
    """

    def __init__(self, session_factory: Callable[[], Session], sqlite_file: Path | None):
        self.session_factory = session_factory
        self.sqlite_file = sqlite_file
        self._stamp: tuple[int, ...] | None = None
        self._read_at = float("-inf")
        self._version: str | None = None

    def file_stamp(self) -> tuple[int, ...] | None:
        if self.sqlite_file is None:
            return None
        stamp: list[int] = []
        for path in (self.sqlite_file, self.sqlite_file.with_name(self.sqlite_file.name + "-wal")):
            try:
                info = os.stat(path)
            except OSError:
                stamp.append(-1)
                continue
            stamp += [info.st_ino, info.st_size, info.st_mtime_ns]
        return tuple(stamp)

    async def current(self) -> str | None:
        stamp = self.file_stamp()
        now = time.monotonic()
        if self._version is not None and stamp == self._stamp:
            if stamp is not None or now - self._read_at < DATA_VERSION_RECHECK_SECONDS:
                return self._version
        # Note the stamp before reading: a write during the read shows as a new stamp next time.
        self._stamp, self._read_at = stamp, now
        try:
            self._version = await run_in_threadpool(_read_data_version, self.session_factory)
        except SQLAlchemyError:
            self._version = None
        return self._version


@dataclass
class CachedResponse:
    """A kept 200: its headers and body, or only its headers when the body was over the entry cap
    (enough to answer a revalidation with 304 without rendering it again)."""

    etag: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes | None
    size: int = field(init=False)

    def __post_init__(self) -> None:
        body_size = len(self.body) if self.body is not None else 0
        self.size = body_size + sum(len(k) + len(v) for k, v in self.headers) + ENTRY_OVERHEAD_BYTES


class ResponseStore:
    """Final response bytes by key, least recently used dropped first, bounded in bytes."""

    def __init__(self, max_bytes: int, entry_max_bytes: int):
        self.max_bytes = max_bytes
        self.entry_max_bytes = min(entry_max_bytes, max_bytes)
        self.data_version: str | None = None
        self.total_bytes = 0
        self.hits = self.misses = self.evictions = 0
        self._entries: OrderedDict[tuple[str, ...], CachedResponse] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: tuple[str, ...]) -> bool:
        return key in self._entries

    def entry_sizes(self) -> list[int]:
        return [entry.size for entry in self._entries.values()]

    def use_data_version(self, version: str) -> None:
        """Everything kept was rendered from another version of the data: drop it all."""
        if version != self.data_version:
            self.clear()
            self.data_version = version

    def clear(self) -> None:
        self._entries.clear()
        self.total_bytes = 0

    def get(self, key: tuple[str, ...]) -> CachedResponse | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: tuple[str, ...], entry: CachedResponse) -> bool:
        if entry.size > self.entry_max_bytes and entry.body is not None:
            entry = CachedResponse(entry.etag, entry.headers, None)
        # key[0] is the data version it was rendered from; a render that outlived an import is dropped.
        if entry.size > self.entry_max_bytes or key[0] != self.data_version:
            return False
        old = self._entries.pop(key, None)
        if old is not None:
            self.total_bytes -= old.size
        while self._entries and self.total_bytes + entry.size > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self.total_bytes -= evicted.size
            self.evictions += 1
        self._entries[key] = entry
        self.total_bytes += entry.size
        return True


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match uses the weak comparison: W/"x" matches "x"; * matches any current response."""
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


def canonical_query(query_string: bytes) -> str:
    """The query's pairs sorted by name, decoded as Starlette decodes them; values of a repeated
    name keep their order (the route may read the last one)."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return "&".join(f"{k}={v}" for k, v in sorted(pairs, key=lambda pair: pair[0]))


def _media_type(headers: list[tuple[bytes, bytes]]) -> str:
    for name, value in headers:
        if name.lower() == b"content-type":
            return value.decode("latin-1").partition(";")[0].strip().lower()
    return ""


def _without(headers: list[tuple[bytes, bytes]], *names: bytes) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in headers if k.lower() not in names]


def _vary(headers: list[tuple[bytes, bytes]], media_type: str) -> bytes:
    """The route's own Vary (pages: the htmx pair) plus Accept-Encoding where gzip may apply."""
    names: list[str] = []
    for key, value in headers:
        if key.lower() == b"vary":
            names += [n.strip() for n in value.decode("latin-1").split(",") if n.strip()]
    if media_type not in NEVER_GZIPPED:
        names.append("Accept-Encoding")
    unique = list(dict.fromkeys(n.title() if n.lower() == "accept-encoding" else n for n in names))
    return ", ".join(unique).encode()


class CachePolicy:
    """The Cache-Control of cacheable responses, from the settings."""

    def __init__(self, settings: Settings):
        s_maxage = settings.cache_s_maxage if settings.cache_s_maxage is not None else settings.cache_max_age
        self.cache_control = (
            f"public, max-age={settings.cache_max_age}, "
            f"stale-while-revalidate={settings.cache_stale_while_revalidate}, s-maxage={s_maxage}"
        ).encode()


class ResponseCache:
    """The ASGI middleware: serves kept responses, keeps new ones, sets ETag, 304, Cache-Control, Vary."""

    def __init__(
        self, app: ASGIApp, *, store: ResponseStore, probe: DataVersionProbe, policy: CachePolicy, settings: Settings
    ):
        self.app = app
        self.store = store
        self.probe = probe
        self.policy = policy
        self.fingerprint = code_fingerprint(settings)

    def key(self, scope: Scope, headers: Headers, version: str) -> tuple[str, ...]:
        # Absolute links come from BASE_URL only, never the Host header, so the host is not part of the view.
        return (
            version,
            # Citations on the pages name the day they were accessed, so a view is kept for a day at most.
            dt.datetime.now(dt.UTC).date().isoformat(),
            scope["path"],
            canonical_query(scope.get("query_string", b"")),
            "hx" if headers.get("hx-request") == "true" else "",
            "restore" if headers.get("hx-history-restore-request") == "true" else "",
            # The same test the gzip middleware makes.
            "gzip" if "gzip" in headers.get("accept-encoding", "") else "",
        )

    def etag(self, key: tuple[str, ...]) -> str:
        digest = hashlib.sha256("\0".join((self.fingerprint, *key)).encode()).hexdigest()[:32]
        return f'"{digest}"'

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            # Static files carry their own immutable Cache-Control and validators.
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method not in ("GET", "HEAD") or scope["path"] in UNCACHED_PATHS:
            await self.app(scope, receive, _no_store_sender(send, always=scope["path"] in UNCACHED_PATHS))
            return
        version = await self.probe.current()
        if version is None:  # the database cannot be read: let the route answer (and say why)
            await self.app(scope, receive, _no_store_sender(send, always=False))
            return

        headers = Headers(scope=scope)
        key = self.key(scope, headers, version)
        etag = self.etag(key)
        if_none_match = headers.get("if-none-match")
        if self.store.enabled:
            self.store.use_data_version(version)
            entry = self.store.get(key)
            if entry is not None and etag_matches(if_none_match, etag):
                self.store.hits += 1
                await _send_not_modified(send, entry.headers)
                return
            if entry is not None and entry.body is not None:
                self.store.hits += 1
                await send({"type": "http.response.start", "status": 200, "headers": entry.headers})
                await send({"type": "http.response.body", "body": b"" if method == "HEAD" else entry.body})
                return
            self.store.misses += 1

        # Only a full GET body may be kept (a HEAD answered below us would have none).
        keep = self.store.enabled and method == "GET"
        state: dict = {"mode": "pass", "chunks": [], "size": 0}

        async def send_and_keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                status = message["status"]
                media_type = _media_type(raw)
                own_cache_control = any(k.lower() == b"cache-control" for k, _ in raw)
                sets_cookie = any(k.lower() == b"set-cookie" for k, _ in raw)
                if status == 200 and media_type in CACHEABLE_TYPES and not own_cache_control and not sets_cookie:
                    raw = _without(raw, b"etag", b"vary") + [
                        (b"etag", etag.encode()),
                        (b"cache-control", self.policy.cache_control),
                        (b"vary", _vary(raw, media_type)),
                    ]
                    state["headers"] = raw
                    state["mode"] = "keep" if keep else "pass"
                    if etag_matches(if_none_match, etag):
                        # Still let the route finish (and keep its body), but send only the 304.
                        state["not_modified"] = True
                        await _send_not_modified(send, raw)
                        return
                elif status >= 400:
                    raw = _without(raw, b"cache-control") + [(b"cache-control", NO_STORE)]
                message = {**message, "headers": raw}
            elif message["type"] == "http.response.body" and state["mode"] in ("keep", "headers"):
                body = message.get("body", b"")
                state["size"] += len(body)
                if state["size"] > self.store.entry_max_bytes:
                    state["mode"], state["chunks"] = "headers", []  # too big to keep: stream it, keep its headers
                else:
                    state["chunks"].append(body)
                if not message.get("more_body", False):
                    kept = b"".join(state["chunks"]) if state["mode"] == "keep" else None
                    self.store.put(key, CachedResponse(etag.encode(), state["headers"], kept))
            if state.get("not_modified"):
                return
            await send(message)

        await self.app(scope, receive, send_and_keep)


# The headers a 304 repeats from the 200 it stands for (RFC 9110 15.4.5).
NOT_MODIFIED_HEADERS = (b"etag", b"cache-control", b"vary", b"content-location", b"expires")


async def _send_not_modified(send: Send, headers: list[tuple[bytes, bytes]]) -> None:
    kept = [(k, v) for k, v in headers if k.lower() in NOT_MODIFIED_HEADERS]
    await send({"type": "http.response.start", "status": 304, "headers": kept})
    await send({"type": "http.response.body", "body": b""})


def _no_store_sender(send: Send, *, always: bool) -> Send:
    """Errors (and, with always, every response) must not be kept by any cache."""

    async def sender(message: Message) -> None:
        if message["type"] == "http.response.start" and (always or message["status"] >= 400):
            raw = _without(list(message.get("headers", [])), b"cache-control") + [(b"cache-control", NO_STORE)]
            message = {**message, "headers": raw}
        await send(message)

    return sender
