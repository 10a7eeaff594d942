"""`truce`: migrate, import and check seeds, and serve the app."""

import argparse
import os
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from app.config import get_settings
from app.db import DatabaseNotReady, DatabaseURLError, check_database_ready, make_engine, parse_database_url, sqlite_path
from app.seeds import SeedValidationError, load_seed_set


def _fail(message: str, code: int = 1) -> int:
    print(f"truce: {message}", file=sys.stderr)
    return code


def _database_url(args: argparse.Namespace) -> str:
    url = args.database_url or get_settings().database_url
    parse_database_url(url)  # a clear DatabaseURLError before anything else
    return url


def migrate(database_url: str) -> None:
    from alembic import command
    from alembic.config import Config

    from app.config import PROJECT_ROOT

    path = sqlite_path(parse_database_url(database_url))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)  # only migrate creates a new database
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = database_url
    command.upgrade(config, "head")


def cmd_migrate(args: argparse.Namespace) -> int:
    migrate(_database_url(args))
    print("truce: database is at the latest schema")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from app.importer import import_seeds

    paths = args.paths or [get_settings().seeds_dir]
    engine = make_engine(_database_url(args))
    try:
        check_database_ready(engine)
        result = import_seeds(engine, paths, force=args.force)
    except SeedValidationError as exc:
        print(exc, file=sys.stderr)
        return _fail(f"{len(exc.errors)} error(s) in the seeds; nothing was imported")
    finally:
        engine.dispose()
    counts = ", ".join(f"{n} {k}" for k, n in result.counts.items())
    state = "imported" if result.changed else "already up to date with"
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
    if args.article_dir:
        from app.verbatim import quotes_not_in_articles

        problems = quotes_not_in_articles(seeds, args.article_dir)
        for problem in problems:
            print(problem, file=sys.stderr)
    if problems:
        return _fail(f"{len(problems)} quote(s) are not verbatim in the article text")
    print(
        f"truce: seeds are valid: {len(seeds.proposals)} proposals, {len(seeds.actors)} actors, "
        f"{len(seeds.reactions)} reactions, {len(seeds.events)} events, {len(seeds.sources)} sources"
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

    settings = get_settings()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url  # create_app reads the settings from the environment
        get_settings.cache_clear()
    engine = make_engine(_database_url(args), read_only=True)
    try:
        check_database_ready(engine)
    finally:
        engine.dispose()
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        server_header=False,
        date_header=True,
        proxy_headers=False,
        log_level="info",
    )
    return 0


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
    p_check.add_argument("--article-dir", type=Path, help="folder of article .txt files: also check that quotes are verbatim")
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
    p_serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (DatabaseURLError, DatabaseNotReady) as exc:
        return _fail(str(exc), 2)
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        return _fail(f"the database refused the operation, and nothing was changed: {detail}")


if __name__ == "__main__":
    sys.exit(main())
