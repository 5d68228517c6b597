"""`python -m marketplace migrate | seed | reindex | worker | reconcile | order-process |
createadmin | review-gig | evaluate-levels` —
operations that run outside the web process."""

import argparse
import sys
import time

from marketplace.settings import SettingsError, get_settings


def _positive(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _seconds(raw: str) -> float:
    value = float(raw)
    if not 0.05 <= value <= 3600:
        raise argparse.ArgumentTypeError("must be between 0.05 and 3600 seconds")
    return value


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
    from marketplace.demo import seed as demo_seed

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


def _meili_failure(exc: Exception) -> int:
    settings = get_settings()
    print(f"Meilisearch at {settings.meili_url} failed: {exc}", file=sys.stderr)
    return 1


def reindex(args: argparse.Namespace) -> int:
    """Build a fresh search index from every active gig and swap it in for the live one."""
    from meilisearch.errors import MeilisearchError

    from marketplace.db import get_engine
    from marketplace.labels import plural
    from search.index import SearchIndexError, document_count, index_name, make_client
    from search.sync import reindex as rebuild

    settings = get_settings()
    client = make_client(settings)
    live = index_name(settings.meili_index_prefix)
    try:
        if args.if_empty:
            count = document_count(client, live)
            if count:
                print(f"Search index {live!r} already holds {count:,} gigs; nothing to do.")
                return 0
        print(f"Reindexing active gigs into {live!r} at {settings.meili_url}…", flush=True)
        report = rebuild(
            get_engine(),
            settings,
            client=client,
            batch=args.batch,
            progress=lambda msg: print(f"  {msg}", flush=True),
        )
    except (MeilisearchError, SearchIndexError) as exc:
        return _meili_failure(exc)
    rate = report.documents / report.seconds if report.seconds else 0
    print(
        f"Indexed {report.documents:,} gigs in {report.seconds:.1f}s ({rate:,.0f}/s)"
        + (
            f"; {plural(report.replayed, 'recently changed gig')} queued again."
            if report.replayed
            else "."
        )
    )
    return 0


def worker(args: argparse.Namespace) -> int:
    """Drain the search outbox into Meilisearch, run the order timers and send the mail outbox
    until Ctrl-C / SIGTERM (or once, with --once)."""
    import signal
    import threading
    from datetime import datetime

    from marketplace.db import get_engine
    from marketplace.labels import plural
    from search.sync import run_worker

    settings = get_settings()
    stop = threading.Event()

    def request_stop(_signum, _frame) -> None:
        stop.set()  # the current batch finishes; its rows are never left half-done

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    def say(message: str) -> None:
        print(f"{datetime.now():%H:%M:%S} {message}", flush=True)

    from marketplace.services.orders import executor as orders
    from marketplace.services.orders.worker import run_order_worker

    order_thread = threading.Thread(
        target=run_order_worker,
        kwargs={
            "ctx": orders.default_context(),
            "stop_event": stop,
            "say": say,
            "once": args.once,
        },
        name="orders-worker",
        daemon=True,
    )
    order_thread.start()
    # Mail (issue 14): the mail outbox and the notification digests, in a thread of their own.
    from marketplace.mail.outbox import run_mail_worker
    from marketplace.services.accounts.mail import send_due_digests

    mail_thread = threading.Thread(
        target=run_mail_worker,
        args=(get_engine(), settings),
        kwargs={"stop_event": stop, "say": say, "once": args.once, "tick": send_due_digests},
        name="mail-worker",
        daemon=True,
    )
    mail_thread.start()
    processed = run_worker(
        get_engine(),
        settings,
        poll_s=args.poll,
        stop_event=stop,
        batch=args.batch,
        say=say,
        once=args.once,
    )
    say(f"search worker stopped ({plural(processed, 'outbox row')} processed)")
    stop.set()
    order_thread.join()
    say("orders worker stopped")
    mail_thread.join()
    say("mail worker stopped")
    return 0


def order_process(_args: argparse.Namespace) -> int:
    """Print the order process table as a Mermaid state diagram (docs/orders.md embeds it)."""
    from marketplace.services.orders.process import mermaid

    print(mermaid(), end="")
    return 0


def reconcile(args: argparse.Namespace) -> int:
    """Compare open and recent orders' ledgers with Stripe; repair what can be; report the rest."""
    from datetime import timedelta

    from marketplace.services.orders.reconcile import reconcile as run

    report = run(recent=timedelta(days=args.days))
    for line in report.lines():
        print(line)
    return 1 if report.problems else 0


def createadmin(args: argparse.Namespace) -> int:
    """Promote an account to admin, or create one (password from GIGWORKS_ADMIN_PASSWORD or a
    prompt, never from the command line where other users could read it)."""
    import getpass
    import os

    from marketplace.db import session_scope
    from marketplace.services.accounts import members as accounts

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


def review_gig(args: argparse.Namespace) -> int:
    """Moderate from the shell until the moderation page exists: list the gigs waiting for
    review, or approve / reject one as a named admin (the services check the admin flag)."""
    from sqlmodel import select

    from marketplace.db import session_scope
    from marketplace.labels import GIG_STATUS_PHRASES, plural
    from marketplace.models import Gig, GigStatus, User
    from marketplace.services.accounts import members as accounts
    from marketplace.services.common.errors import DomainError
    from marketplace.services.gigs import actions as gigs

    with session_scope() as session:
        if args.gig_id is None:
            pending = session.exec(
                select(Gig.id, Gig.title, User.username)
                .join(User, User.id == Gig.seller_id)
                .where(Gig.status == GigStatus.pending_review)
                .order_by(Gig.updated_at)
                .limit(200)
            ).all()
            for gig_id, title, username in pending:
                print(f"{gig_id:>8}  @{username:<24} {title}")
            print(f"{plural(len(pending), 'gig')} {GIG_STATUS_PHRASES[GigStatus.pending_review]}.")
            return 0
        admin = session.exec(
            select(User).where(User.email == accounts.normalize_email(args.admin or ""))
        ).first()
        if admin is None:
            print("review-gig: --admin must name an admin's email.", file=sys.stderr)
            return 1
        try:
            gig = gigs.review_gig(
                session,
                admin=admin,
                gig_id=args.gig_id,
                approve=args.reject is None,
                reason=args.reject or "",
            )
        except DomainError as exc:
            print(f"review-gig: {exc}", file=sys.stderr)
            return 1
        print(f"Gig {gig.id} is now {gig.status}: {gig.title}")
    return 0


# --- reviews, levels, Pro (issue 12) ---


def evaluate_levels(args: argparse.Namespace) -> int:
    """Compute seller levels from their metrics now (every seller, or only those due)."""
    from marketplace.labels import plural, seller_level_label
    from marketplace.services.reviews.levels import evaluate_due

    changes = evaluate_due(everyone=not args.due)
    for change in changes:
        print(
            f"seller {change.seller_id}: {seller_level_label(change.old)} -> "
            f"{seller_level_label(change.new)}"
        )
    print(f"levels: {plural(len(changes), 'change')}")
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
    reindex_parser = sub.add_parser(
        "reindex", help="rebuild the search index from the database and swap it in"
    )
    reindex_parser.add_argument(
        "--if-empty", action="store_true", help="only when the index is missing or empty"
    )
    reindex_parser.add_argument(
        "--batch", type=_positive, default=5000, help="documents per request"
    )
    reindex_parser.set_defaults(func=reindex)
    worker_parser = sub.add_parser(
        "worker", help="search index sync; order timers, payouts and reconcile"
    )
    # search: 0.25 s keeps edit-to-searchable well under 2 s (an idle poll is one small read)
    worker_parser.add_argument("--poll", type=_seconds, default=0.25, help="seconds between polls")
    worker_parser.add_argument("--batch", type=_positive, default=500, help="gigs per batch")
    worker_parser.add_argument(
        "--once", action="store_true", help="drain what is due now, then exit"
    )
    worker_parser.set_defaults(func=worker)
    sub.add_parser(
        "order-process", help="print the order process as a Mermaid state diagram"
    ).set_defaults(func=order_process)
    reconcile_parser = sub.add_parser(
        "reconcile", help="compare orders' ledgers with Stripe, repair, report the rest"
    )
    reconcile_parser.add_argument(
        "--days", type=_positive, default=30, help="also check orders changed in these days"
    )
    reconcile_parser.set_defaults(func=reconcile)
    admin_parser = sub.add_parser("createadmin", help="create an admin or promote an account")
    admin_parser.add_argument("--email", required=True)
    admin_parser.add_argument("--name", default="Administrator", help="display name if created")
    admin_parser.set_defaults(func=createadmin)
    review_parser = sub.add_parser(
        "review-gig", help="list gigs waiting for review, or approve/reject one"
    )
    review_parser.add_argument("gig_id", nargs="?", type=_positive, help="omit to list")
    review_parser.add_argument("--admin", help="email of the admin who decides")
    review_parser.add_argument("--reject", metavar="REASON", help="reject, telling the seller why")
    review_parser.set_defaults(func=review_gig)
    levels_parser = sub.add_parser(
        "evaluate-levels", help="compute seller levels from their metrics (docs/levels.md)"
    )
    levels_parser.add_argument(
        "--due", action="store_true", help="only sellers the schedule would take now"
    )
    levels_parser.set_defaults(func=evaluate_levels)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
