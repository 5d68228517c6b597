"""`python -m devservices run`: what `make run` starts (`--scaled`: what `make run-scaled`
starts). Ctrl-C stops every process it started."""

import argparse
import os
import signal
import sys
from pathlib import Path

from devservices import topology
from devservices.stack import LocalStack
from marketplace.settings import SettingsError, load_settings

DEMO_LOGINS = [
    ("Admin", "admin@gigworks.test", "gigworks-admin"),
    ("Seller", "seller@gigworks.test", "gigworks-demo"),
    ("Buyer", "buyer@gigworks.test", "gigworks-demo"),
]


def _scaled_servers() -> tuple[str, str] | str:
    """PostgreSQL and Redis for the scaled topology (DATABASE_URL / REDIS_URL, else this
    machine's loopback servers), or the reason they cannot be used."""
    database_url = os.environ.get("DATABASE_URL") or topology.DEFAULT_POSTGRES_URL
    redis_url = os.environ.get("REDIS_URL") or topology.DEFAULT_REDIS_URL
    if not database_url.startswith("postgresql"):
        return f"the scaled topology needs PostgreSQL, DATABASE_URL is {database_url!r}"
    if not topology.postgres_answers(database_url):
        return f"PostgreSQL does not answer at {database_url}"
    if not topology.redis_answers(redis_url):
        return f"Redis does not answer at {redis_url}"
    if topology.ensure_postgres_database(database_url):
        print(f"• Created the database {database_url.rsplit('/', 1)[-1]}")
    return database_url, redis_url


def run(args: argparse.Namespace) -> int:
    scaled: dict = {}
    if args.scaled:
        servers = _scaled_servers()
        if isinstance(servers, str):
            print(f"Cannot start the scaled topology: {servers}", file=sys.stderr)
            return 2
        database_url, redis_url = servers
        os.environ["DATABASE_URL"] = database_url
        scaled = {
            "database_url": database_url,
            "redis_url": redis_url,
            "backend_workers": args.workers,
            "worker_processes": args.worker_processes,
        }
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    stack = LocalStack(
        data_dir=Path(settings.data_dir), port=args.port, with_oidc=not args.no_oidc, **scaled
    )

    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    # Explicit for both: a launcher started in the background inherits SIGINT as ignored.
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        stack.start_services()
        stack.prepare_database(seed=args.seed, gigs=args.gigs)
        stack.start_app()
        print()
        print(f"  Gigworks is running:  {stack.app_url}")
        print(f"  Health:               {stack.app_url}/_health")
        print(f"  Mail inbox:           {stack.mail_inbox_url}  (every mail the app sends)")
        if stack.is_scaled:
            print(f"  Database:             {stack.database_url}")
            print(f"  Reflex state:         {stack.redis_url} ({args.workers} backend workers)")
        for role, email, password in DEMO_LOGINS:
            print(f"  Demo {role.lower():<7} {email} / {password}")
        print("  Press Ctrl-C to stop.")
        print()
        stack.wait()
    except KeyboardInterrupt:
        print("\nStopping…")
    finally:
        stack.stop()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m devservices")
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run", help="start the local services and the marketplace")
    run_parser.add_argument("--port", type=int, default=3000)
    run_parser.add_argument("--seed", type=int, default=42)
    run_parser.add_argument("--gigs", type=int, default=600)
    run_parser.add_argument("--no-oidc", action="store_true")
    run_parser.add_argument(
        "--scaled",
        action="store_true",
        help="PostgreSQL + Redis + several backend workers (DATABASE_URL, REDIS_URL or loopback)",
    )
    run_parser.add_argument("--workers", type=int, default=2, help="backend workers (--scaled)")
    run_parser.add_argument(
        "--worker-processes", type=int, default=2, help="marketplace worker processes (--scaled)"
    )
    args = parser.parse_args()
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
