"""`truce`: migrate, import and check seeds, and serve the app."""

import argparse
import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from app.config import get_settings
from app.db import DatabaseNotReady, DatabaseURLError, check_database_ready, make_engine, parse_database_url, sqlite_path
from app.seeds import SeedValidationError, load_seed_set
from app.swap import BuildCheckFailed, build_aside, tidy_after_dead_builds

if TYPE_CHECKING:
    from app.importer import ImportResult


def _fail(message: str, code: int = 1) -> int:
    print(f"truce: {message}", file=sys.stderr)
    return code


def _database_url(args: argparse.Namespace) -> str:
    url = args.database_url or get_settings().database_url
    parse_database_url(url)  # a clear DatabaseURLError before anything else
    return url


def migrate(database_url: str) -> None:
    """Migrate the database at this URL to head, in place (tests build fresh files with it)."""
    from alembic import command
    from alembic.config import Config

    from app.config import PROJECT_ROOT

    path = sqlite_path(parse_database_url(database_url))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)  # only migrate creates a new database
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = database_url
    command.upgrade(config, "head")


def migrate_live(database_url: str) -> None:
    """`truce migrate`: a SQLite file is migrated aside and swapped in, so a running server never
    sees a half-migrated schema; PostgreSQL migrates in its own transaction."""
    path = sqlite_path(parse_database_url(database_url))
    if path is None:
        migrate(database_url)
        return
    build_aside(path, lambda temporary: migrate(f"sqlite:///{temporary}"))


def import_live(database_url: str, paths: list[Path], *, force: bool = False) -> "ImportResult":
    """`truce import`: into a SQLite file built aside and swapped in (app.swap) when the data
    changed; into PostgreSQL in one transaction. Unchanged seeds are answered from the live data."""
    from app.importer import import_seeds

    def import_into(url: str) -> "ImportResult":
        engine = make_engine(url)
        try:
            check_database_ready(engine)
            return import_seeds(engine, paths, force=force)
        finally:
            engine.dispose()

    path = sqlite_path(parse_database_url(database_url))
    if path is None:
        return import_into(database_url)
    if not path.is_file():
        check_database_ready(make_engine(database_url))  # says to run `truce migrate` first
    if not force and (unchanged := _unchanged_live(database_url, paths)) is not None:
        tidy_after_dead_builds(path)
        return unchanged
    # --force rebuilds even an unchanged data set (its data version stays the same).
    return build_aside(path, lambda temporary: import_into(f"sqlite:///{temporary}"), keep=lambda result: result.changed or result.refilled or force)


def _unchanged_live(database_url: str, paths: list[Path]) -> "ImportResult | None":
    """The live file's result when the seeds are what it already holds; None when they differ, or
    when the file cannot be read (the build then says why)."""
    from app.importer import already_imported

    live = make_engine(database_url, read_only=True)
    try:
        check_database_ready(live)
        return already_imported(live, paths)
    except (DatabaseNotReady, SQLAlchemyError):
        return None
    finally:
        live.dispose()


def cmd_migrate(args: argparse.Namespace) -> int:
    migrate_live(_database_url(args))
    print("truce: database is at the latest schema")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    paths = args.paths or [get_settings().seeds_dir]
    try:
        result = import_live(_database_url(args), paths, force=args.force)
    except SeedValidationError as exc:
        print(exc, file=sys.stderr)
        return _fail(f"{len(exc.errors)} error(s) in the seeds; nothing was imported")
    counts = ", ".join(f"{n} {k}" for k, n in result.counts.items())
    state = "imported" if result.changed else "filled the new derived tables for" if result.refilled else "already up to date with"
    print(f"truce: {state} {counts} (data version {result.content_hash[:12]})")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    paths = args.paths or [get_settings().seeds_dir]
    try:
        seeds = load_seed_set(paths)
    except SeedValidationError as exc:
        print(exc, file=sys.stderr)
        return _fail(f"{len(exc.errors)} error(s) in the seeds")
    problems = []
    article_dir = args.article_dir or get_settings().articles_dir
    if args.article_dir or article_dir.is_dir():
        from app.verbatim import copied_from_articles, quotes_not_in_articles

        problems = quotes_not_in_articles(seeds, article_dir) + copied_from_articles(seeds, article_dir)
        for problem in problems:
            print(problem, file=sys.stderr)
    else:
        print(f"truce: no article folder at {article_dir}; quotes and copying were not checked (use --article-dir)", file=sys.stderr)
    if problems:
        return _fail(f"{len(problems)} problem(s) against the article text: quotes must be verbatim, our own words must not copy it")
    translated = ""
    if seeds.translation_files:
        from app.seed_translations import counts_by_locale

        translated = "; translated: " + ", ".join(f"{locale} {n} fields" for locale, n in counts_by_locale(seeds.translations).items())
    print(
        f"truce: seeds are valid: {len(seeds.proposals)} proposals, {len(seeds.actors)} actors, "
        f"{len(seeds.reactions)} reactions, {len(seeds.events)} events, {len(seeds.sources)} sources{translated}"
    )
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from app.synth import SynthSize, expected_reactions, write_synth

    if args.proposals < 1 or args.actors < 1 or not 0 < args.density <= 1:
        return _fail("--proposals and --actors must be at least 1, and --density in (0, 1]", 2)
    size = SynthSize(proposals=args.proposals, actors=args.actors, density=args.density, seed=args.seed)
    files = write_synth(size, args.out_dir)
    print(
        f"truce: wrote {len(files)} seed files to {args.out_dir}: {args.proposals} proposals, "
        f"{args.actors} actors, {expected_reactions(size)} reactions (seed {args.seed})"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    # create_app reads the settings from the environment; without BASE_URL the links' origin is
    # http://HOST:PORT, so the flags go there too.
    for name, value in (("DATABASE_URL", args.database_url), ("HOST", args.host), ("PORT", args.port)):
        if value:
            os.environ[name] = str(value)
    get_settings.cache_clear()
    settings = get_settings()
    engine = make_engine(_database_url(args), read_only=True)
    try:
        check_database_ready(engine)
    finally:
        engine.dispose()
    from app.server import uvicorn_options

    uvicorn.run(
        "app.main:create_app",
        factory=True,
        # Separate processes: each has its own response cache (and its own connections).
        workers=args.workers or settings.workers,
        **uvicorn_options(settings.host, settings.port),
    )
    return 0


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of 1 or more")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="truce", description=__doc__)
    parser.add_argument("--database-url", help="overrides DATABASE_URL")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("migrate", help="run the Alembic migrations up to head").set_defaults(func=cmd_migrate)

    p_import = sub.add_parser("import", help="validate seed files and load them in one transaction")
    p_import.add_argument("paths", nargs="*", type=Path, help="seed files or folders (default: seeds/)")
    p_import.add_argument("--force", action="store_true", help="import even when the seeds are unchanged since the last import")
    p_import.set_defaults(func=cmd_import)

    p_check = sub.add_parser("check", help="validate seed files without writing anything")
    p_check.add_argument("paths", nargs="*", type=Path, help="seed files or folders (default: seeds/)")
    p_check.add_argument("--article-dir", type=Path, help="folder of article .txt files (default: ARTICLES_DIR, ../shared/seeds): quotes must be verbatim, summaries must not copy 8+ words")
    p_check.set_defaults(func=cmd_check)

    p_synth = sub.add_parser("synth", help="write deterministic synthetic seed YAML (for benchmarks and tests)")
    p_synth.add_argument("--proposals", type=int, default=500)
    p_synth.add_argument("--actors", type=int, default=160)
    p_synth.add_argument("--density", type=float, default=0.25, help="share of (proposal, actor) pairs with a reaction")
    p_synth.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same files")
    p_synth.add_argument("out_dir", type=Path)
    p_synth.set_defaults(func=cmd_synth)

    p_serve = sub.add_parser("serve", help="serve the web app with uvicorn")
    p_serve.add_argument("--host")
    p_serve.add_argument("--port", type=int)
    p_serve.add_argument(
        "--workers", type=_positive, help="uvicorn worker processes, each with its own response cache (default: WORKERS or 1)"
    )
    # The limits are settings (HEADER_TIMEOUT, KEEP_ALIVE_TIMEOUT, MAX_CONNECTIONS); see app/server.py.
    p_serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (DatabaseURLError, DatabaseNotReady, BuildCheckFailed) as exc:
        return _fail(str(exc), 2)
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        return _fail(f"the database refused the operation, and nothing was changed: {detail}")
    except sqlite3.DatabaseError as exc:  # copying a live file that is not a SQLite database
        return _fail(f"cannot read the database file, and nothing was changed: {exc}")


if __name__ == "__main__":
    sys.exit(main())
