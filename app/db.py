"""Engines and sessions. The web process opens the database read-only; only the importer writes."""

import contextlib
import os
import re
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.config import ALLOWED_DATABASE_URLS, PROJECT_ROOT


class DatabaseURLError(ValueError):
    """DATABASE_URL is malformed or names a database we do not support."""


_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def _shown(raw: str) -> str:
    """The URL as it may appear in a message or a log: with its password masked."""
    return _PASSWORD.sub(r"\1***@", raw)


def parse_database_url(raw: str) -> URL:
    try:
        url = make_url(raw)
    except ArgumentError:
        raise DatabaseURLError(
            f"DATABASE_URL {_shown(raw)!r} is not a database URL. Allowed: {ALLOWED_DATABASE_URLS}."
        ) from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseURLError(
            f"DATABASE_URL {_shown(raw)!r} uses {url.drivername!r}, which Truce Explorer does not support. "
            f"Allowed: {ALLOWED_DATABASE_URLS}."
        )
    if url.get_backend_name() == "sqlite" and not url.database:
        raise DatabaseURLError(
            f"DATABASE_URL {_shown(raw)!r} names no SQLite file (an in-memory database cannot be shared "
            f"between the importer and the server). Allowed: {ALLOWED_DATABASE_URLS}."
        )
    return url


def sqlite_path(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    database = url.database
    if database.startswith("file:"):
        database = database[len("file:") :]
    return Path(database)


def _enable_sqlite_foreign_keys(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def make_engine(raw_url: str, *, read_only: bool = False) -> Engine:
    url = parse_database_url(raw_url)
    if url.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        assert path is not None
        if read_only:
            # mode=ro makes the web process unable to write even by mistake.
            url = url.set(database=f"file:{path}", query={"mode": "ro", "uri": "true"})
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _enable_sqlite_foreign_keys(engine)
        return engine
    connect_args = {"options": "-c default_transaction_read_only=on"} if read_only else {}
    return create_engine(url, connect_args=connect_args, pool_pre_ping=True)


class LiveDatabase:
    """The web process's read-only engine, reopened when `truce import` swaps in a new SQLite file.

    Imports replace the file (app.swap), so a changed inode means a new generation: once per
    request one os.stat compares it, and a new engine is made for the new file. Requests under
    way keep the connections they have, which still read the old file until they finish.
    """

    def __init__(self, url: str, on_reopen: "Callable[[LiveDatabase], None] | None" = None):
        self.url = url
        self.path = sqlite_path(parse_database_url(url))
        self.on_reopen = on_reopen
        self._lock = threading.Lock()
        self._open()

    def _open(self) -> None:
        self.inode = self._current_inode()
        self.engine = make_engine(self.url, read_only=True)
        self.sessionmaker = sessionmaker(bind=self.engine, expire_on_commit=False)
        if self.on_reopen is not None:
            self.on_reopen(self)

    def _current_inode(self) -> int | None:
        if self.path is None:
            return None
        try:
            return os.stat(self.path).st_ino
        except FileNotFoundError:
            return None

    def __call__(self) -> Session:
        """A new session on the file now at the path: a LiveDatabase is used as a sessionmaker
        (app.state.sessionmaker), so every reader, not only the routes, follows a swap."""
        return self.session_factory()()

    def session_factory(self) -> "sessionmaker[Session]":
        """The sessionmaker for the file now at the path; reopens after a swap."""
        if self.path is not None:
            inode = self._current_inode()
            if inode is not None and inode != self.inode:
                with self._lock:
                    if inode != self.inode:
                        old = self.engine
                        self._open()
                        old.dispose()  # idle connections close now; checked-out ones finish their requests first
        return self.sessionmaker

    def dispose(self) -> None:
        self.engine.dispose()


def open_generation(path: Path) -> tuple[BinaryIO, str]:
    """Open the SQLite file at `path` and read its data version (the last import's content hash)
    from that same generation: if an import swaps the file between the two, try again. The open
    handle keeps reading that generation whatever is later swapped in."""
    for _ in range(10):
        file = path.open("rb")
        try:
            inode = os.fstat(file.fileno()).st_ino
            with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
                row = connection.execute("SELECT content_hash FROM data_version ORDER BY id DESC LIMIT 1").fetchone()
            if os.stat(path).st_ino == inode:
                return file, row[0] if row else "empty"
        except BaseException:
            file.close()
            raise
        file.close()
    raise RuntimeError(f"{path} kept changing while it was being opened")


class DatabaseNotReady(RuntimeError):
    """The database cannot be opened, or has not been migrated."""


def check_database_ready(engine: Engine) -> None:
    """Raise DatabaseNotReady, saying what to run, unless the schema is at the latest migration."""
    path = sqlite_path(engine.url)
    if path is not None and not path.is_file():
        # Connecting would create an empty file; say what is missing instead.
        raise DatabaseNotReady(f"there is no database file at {path}. Run `truce migrate` first (`make run` does it all).")
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            revision = MigrationContext.configure(connection).get_current_revision() if "alembic_version" in tables else None
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise DatabaseNotReady(
            f"cannot open the database ({detail}). Check DATABASE_URL, then run `make run` "
            "or `truce migrate && truce import`."
        ) from None
    if "proposal" not in tables:
        raise DatabaseNotReady("the database has no tables yet. Run `truce migrate` first (`make run` does it all).")
    head = ScriptDirectory.from_config(Config(str(PROJECT_ROOT / "alembic.ini"))).get_current_head()
    if revision != head:
        raise DatabaseNotReady(
            f"the database schema is at migration {revision!r} but this code needs {head!r}. "
            "Run `truce migrate`, then `truce import`."
        )
