"""`python -m marketplace migrate | seed` — operations that run outside the web process."""

import argparse
import sys
import time

from marketplace.settings import SettingsError, get_settings


def migrate(_args: argparse.Namespace) -> int:
    """Apply every Alembic migration (creates the database on first run)."""
    from marketplace.migrations import upgrade_to_head

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade_to_head(settings.database_url)
    print(f"Database is up to date ({settings.database_url.split('://')[0]}).")
    return 0


def seed(args: argparse.Namespace) -> int:
    from marketplace.db import get_engine
    from marketplace.services import demo_seed

    engine = get_engine()
    if not demo_seed.database_is_empty(engine):
        if args.if_empty:
            print("Demo data: the database already has data; nothing to seed.")
            return 0
        print("The database already has users; seed only fills an empty one.", file=sys.stderr)
        return 1
    started = time.perf_counter()
    print(f"Seeding the demo marketplace (seed {args.seed}, {args.gigs:,} gigs)…", flush=True)
    report = demo_seed.seed(
        engine, seed=args.seed, gigs=args.gigs, progress=lambda msg: print(f"  {msg}", flush=True)
    )
    elapsed = time.perf_counter() - started
    print(f"Seeded {report.gigs:,} gigs in {elapsed:.1f}s.")
    return 0


def createadmin(args: argparse.Namespace) -> int:
    """Promote an account to admin, or create one (password from GIGWORKS_ADMIN_PASSWORD or a
    prompt, never from the command line where other users could read it)."""
    import getpass
    import os

    from marketplace.db import session_scope
    from marketplace.services import accounts

    password = os.environ.get("GIGWORKS_ADMIN_PASSWORD")
    with session_scope() as session:
        exists = accounts.email_exists(session, email=args.email)
    if not exists and password is None:
        password = getpass.getpass(f"Password for the new admin {args.email}: ")
    try:
        with session_scope() as session:
            user, created = accounts.create_or_promote_admin(
                session, email=args.email, password=password, display_name=args.name
            )
            print(f"{'Created' if created else 'Promoted'} admin {user.email} (@{user.username}).")
    except accounts.ValidationError as exc:
        print(f"createadmin: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m marketplace")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=migrate)
    seed_parser = sub.add_parser("seed", help="fill an empty database with the demo marketplace")
    seed_parser.add_argument("--seed", type=int, default=42, help="random seed (deterministic)")
    seed_parser.add_argument("--gigs", type=int, default=600, help="number of gigs to create")
    seed_parser.add_argument(
        "--if-empty", action="store_true", help="do nothing (and succeed) when data exists"
    )
    seed_parser.set_defaults(func=seed)
    admin_parser = sub.add_parser("createadmin", help="create an admin or promote an account")
    admin_parser.add_argument("--email", required=True)
    admin_parser.add_argument("--name", default="Administrator", help="display name if created")
    admin_parser.set_defaults(func=createadmin)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
