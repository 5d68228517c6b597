"""`python -m devservices run`: what `make run` starts. Ctrl-C stops every process it started."""

import argparse
import signal
import sys
from pathlib import Path

from devservices.stack import LocalStack
from marketplace.settings import SettingsError, load_settings

DEMO_LOGINS = [
    ("Admin", "admin@gigworks.test", "gigworks-admin"),
    ("Seller", "seller@gigworks.test", "gigworks-demo"),
    ("Buyer", "buyer@gigworks.test", "gigworks-demo"),
]


def run(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    stack = LocalStack(data_dir=Path(settings.data_dir), port=args.port, with_oidc=not args.no_oidc)

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
    args = parser.parse_args()
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
