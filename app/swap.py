"""Crash-safe writes to a SQLite database: build the next file aside, check it, then swap it in.

The live file is never written in place. `truce import` and `truce migrate` copy it to a temporary
file in the same folder, change the copy, check it (`PRAGMA integrity_check`), compact it, fsync it
and `os.replace` it over the live one. A reader therefore sees the whole old file or the whole new
one; a build killed at any point leaves only its temporary file (and that file's journal), which
the next build removes. The server notices the new inode and reopens (app.db.LiveDatabase).
"""

import fcntl
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class BuildCheckFailed(RuntimeError):
    """The database built aside failed its integrity check; the live file was left as it was."""


def _build_prefix(live: Path) -> str:
    return f".{live.name}.build-"


@contextmanager
def _build_lock(live: Path) -> Iterator[None]:
    """One build at a time per database. flock is released by the kernel when a build dies, so a
    killed build never leaves the lock held."""
    lock_path = live.parent / f".{live.name}.lock"
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def remove_stale_builds(live: Path) -> list[Path]:
    """Temporary files of builds that died (only call with the build lock held)."""
    stale = sorted(live.parent.glob(_build_prefix(live) + "*"))
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def tidy_after_dead_builds(live: Path) -> list[Path]:
    """Remove a dead build's leftovers when no new build is needed (an unchanged import)."""
    with _build_lock(live):
        return remove_stale_builds(live)


def _copy_live(live: Path, target: Path) -> None:
    """A consistent copy of the live database (SQLite's backup API), or nothing when there is none."""
    if not live.exists():
        return
    try:
        _backup(sqlite3.connect(f"file:{live}?mode=ro", uri=True), target)
    except sqlite3.OperationalError:
        # A hot journal from a writer that died in place (before builds were made aside) needs a
        # read-write connection to roll it back first.
        target.unlink(missing_ok=True)
        _backup(sqlite3.connect(live), target)
    shutil.copymode(live, target)  # the server's user must still be able to read the new file


def _backup(source: sqlite3.Connection, target: Path) -> None:
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()


def _check_and_compact(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise BuildCheckFailed(f"the new database failed its integrity check: {result[:5]}")
        connection.execute("PRAGMA foreign_key_check").fetchall()
        connection.execute("VACUUM")  # no free pages left behind by the upserts and prunes
        connection.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    finally:
        connection.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def build_aside(live: Path, build: Callable[[Path], T], *, keep: Callable[[T], bool] = lambda _: True) -> T:
    """Copy `live` to a temporary file beside it, run `build` on the copy, then check, fsync and
    swap the copy into place. When `keep(result)` is false (nothing changed) the copy is dropped."""
    live.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(live):
        remove_stale_builds(live)
        temporary = live.parent / f"{_build_prefix(live)}{uuid.uuid4().hex}"
        try:
            _copy_live(live, temporary)
            result = build(temporary)
            if not keep(result):
                return result
            _check_and_compact(temporary)
            _fsync(temporary)
            os.replace(temporary, live)
            _fsync(live.parent)  # the rename itself survives a power cut
            return result
        finally:
            for leftover in (temporary, temporary.with_name(temporary.name + "-journal")):
                leftover.unlink(missing_ok=True)
