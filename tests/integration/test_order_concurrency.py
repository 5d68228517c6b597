"""Release and refund raced on one order, from two threads and from two processes, on SQLite and
PostgreSQL: exactly one wins, every time. And a process killed between a Stripe call and its
commit loses nothing once reconcile has run."""

import multiprocessing
import os
import signal
import threading
from datetime import timedelta

import pytest
from sqlmodel import Session, SQLModel, select

from marketplace.db import make_engine
from marketplace.models import User
from marketplace.services.common.errors import DomainError
from marketplace.services.orders import executor as orders
from marketplace.services.orders import reconcile
from tests import order_fixtures as f
from tests.pg import fresh_postgres_database, needs_postgres

stripe_server = f.stripe_server
RACES = 4
# Buyer presses "Accept delivery" (release) while also agreeing to the seller's cancellation
# (refund); or an admin resolves one dispute both ways at once.
RACERS = {
    "delivered": [("accept", "buyer"), ("accept_cancellation", "buyer")],
    "disputed": [("resolve_release", "admin"), ("resolve_refund", "admin")],
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=[needs_postgres])])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'race.db'}"
    else:
        with fresh_postgres_database() as url:
            yield url


@pytest.fixture
def race_ctx(database_url, stripe_server, tmp_path):
    engine = make_engine(database_url)
    SQLModel.metadata.create_all(engine)
    ctx = f.context(engine, stripe_server, tmp_path)
    yield ctx
    engine.dispose()


def contested(ctx, c, kind: str) -> str:
    code = f.walk_to(ctx, c, "delivered")
    if kind == "delivered":
        f.act(ctx, code, "request_cancellation", c.seller, {"message": "Can't finish"})
    else:
        f.act(ctx, code, "open_dispute", c.buyer, {"message": "Wrong colours"})
    return code


def outcome_is_exactly_one(ctx, code, results) -> None:
    wins = [r for r in results if r == "ok"]
    assert len(wins) == 1, results
    assert all(r == "ok" or r.startswith("refused") for r in results), results
    sums = f.assert_money_consistent(ctx, code)
    assert ("release" in sums or f.load(ctx.engine, code).payout_cents) != ("refund" in sums)


@pytest.mark.parametrize("kind", sorted(RACERS))
def test_release_and_refund_raced_from_two_threads(race_ctx, kind):
    ctx = race_ctx
    c = f.cast(ctx.engine, ctx)
    actors = {"buyer": c.buyer, "admin": c.admin}
    for _ in range(RACES):
        code = contested(ctx, c, kind)
        barrier = threading.Barrier(2)
        results: list[str] = []

        def run(action, who, code=code, barrier=barrier, results=results):
            barrier.wait()
            try:
                f.act(ctx, code, action, actors[who], {"message": "race"})
                results.append("ok")
            except DomainError as exc:
                results.append(f"refused: {exc}")

        threads = [threading.Thread(target=run, args=racer) for racer in RACERS[kind]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        outcome_is_exactly_one(ctx, code, results)


def _child(db_url, data_dir, stripe_url, codes, action, user_id, barrier, queue):
    """One racing process (its own engine, gateway and connections): for each order, wait for
    the other process, then both act at once."""
    from marketplace.payments.gateway import StripeGateway
    from marketplace.settings import load_settings

    engine = make_engine(db_url)
    settings = load_settings({"GIGWORKS_DATA_DIR": data_dir, "STRIPE_API_BASE": stripe_url})
    ctx = orders.Context(engine, StripeGateway.from_settings(settings), settings)
    with Session(engine, expire_on_commit=False) as session:
        user = session.get(User, user_id)
    for code in codes:
        barrier.wait()
        try:
            orders.perform(
                order_code=code, action=action, actor=user, payload={"message": "race"},
                moderated=user.is_admin, context=ctx,
            )  # fmt: skip
            queue.put((code, "ok"))
        except DomainError as exc:
            queue.put((code, f"refused: {exc}"))
    engine.dispose()


@pytest.mark.parametrize("kind", sorted(RACERS))
def test_release_and_refund_raced_from_two_processes(race_ctx, tmp_path, kind):
    ctx = race_ctx
    c = f.cast(ctx.engine, ctx)
    ids = {"buyer": c.buyer.id, "admin": c.admin.id}
    spawn = multiprocessing.get_context("spawn")
    url = ctx.engine.url.render_as_string(hide_password=False)
    codes = [contested(ctx, c, kind) for _ in range(RACES)]
    barrier, queue = spawn.Barrier(2), spawn.Queue()
    procs = [
        spawn.Process(
            target=_child,
            args=(
                url,
                str(tmp_path),
                ctx.settings.stripe_api_base,
                codes,
                action,
                ids[who],
                barrier,
                queue,
            ),
        )  # fmt: skip
        for action, who in RACERS[kind]
    ]
    for proc in procs:
        proc.start()
    results: dict[str, list[str]] = {code: [] for code in codes}
    for _ in range(len(codes) * len(procs)):
        code, result = queue.get(timeout=180)
        results[code].append(result)
    for proc in procs:
        proc.join(30)
    for code in codes:
        outcome_is_exactly_one(ctx, code, results[code])


def _killed_child(db_url, data_dir, stripe_url, code, action, user_id, kill_after):
    """Runs `action` but dies (SIGKILL) right after the Stripe call `kill_after` succeeded."""
    from marketplace.payments.gateway import StripeGateway
    from marketplace.settings import load_settings

    engine = make_engine(db_url)
    settings = load_settings({"GIGWORKS_DATA_DIR": data_dir, "STRIPE_API_BASE": stripe_url})
    gateway = StripeGateway.from_settings(settings)
    real = getattr(gateway, kill_after)

    def then_die(*args, **kwargs):
        real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)

    setattr(gateway, kill_after, then_die)
    ctx = orders.Context(engine, gateway, settings)
    with Session(engine, expire_on_commit=False) as session:
        user = session.get(User, user_id) if user_id else None
    payload = {"message": "x"}
    if action == "submit_requirements":
        from marketplace.models import GigRequirement, Order

        with Session(engine) as session:
            gig_id = session.exec(select(Order.gig_id).where(Order.code == code)).one()
            rows = session.exec(select(GigRequirement).where(GigRequirement.gig_id == gig_id))
            payload = {
                "answers": [
                    {"requirement_id": r.id, "answer": r.choices[0] if r.choices else "Acme"}
                    for r in rows
                ]
            }
    orders.perform(order_code=code, action=action, actor=user, payload=payload, context=ctx)


@pytest.mark.parametrize(
    ("status", "action", "who", "kill_after"),
    [
        ("awaiting_requirements", "submit_requirements", "buyer", "capture_payment_intent"),
        ("awaiting_requirements", "cancel_unstarted", "buyer", "cancel_payment_intent"),
        ("in_progress", "cancel_late", "buyer", "create_refund"),
        ("delivered", "accept", "buyer", "create_transfer"),
    ],
)
def test_a_process_killed_after_stripe_and_before_commit_loses_nothing(
    stripe_server, tmp_path, status, action, who, kill_after
):
    engine = f.sqlite_engine(tmp_path / "kill.db")
    ctx = f.context(engine, stripe_server, tmp_path)
    c = f.cast(engine, ctx)
    code = f.walk_to(ctx, c, status)
    if action == "cancel_late":
        with Session(engine) as session:  # make it late
            from marketplace.models import Order

            row = session.exec(select(Order).where(Order.code == code)).one()
            row.due_at = row.due_at - timedelta(days=10)
            session.add(row)
            session.commit()
    spawn = multiprocessing.get_context("spawn")
    proc = spawn.Process(
        target=_killed_child,
        args=(str(engine.url), str(tmp_path), ctx.settings.stripe_api_base, code, action,
              c.buyer.id, kill_after),
    )  # fmt: skip
    proc.start()
    proc.join(120)
    assert proc.exitcode == -signal.SIGKILL
    calls_before = f.ledger_sums(engine, code)

    ctx.now.advance(minutes=5)  # the claim is now stale
    report = reconcile.reconcile(context=ctx)
    assert report.problems == [], report.lines()
    assert report.repaired, "reconcile should have finished the interrupted step"
    order = f.load(engine, code)
    assert order.pending_action is None
    sums = f.assert_money_consistent(ctx, code)
    expected = {
        "submit_requirements": ("in_progress", "capture"),
        "cancel_unstarted": ("cancelled", "void"),
        "cancel_late": ("cancelled", "refund"),
        "accept": ("completed", "release"),
    }[action]
    assert order.status == expected[0] and expected[1] in sums
    # Stripe did each thing once.
    pi_id = order.payment_intent_id
    assert len(ctx.gateway.list_refunds(payment_intent_id=pi_id)) == int("refund" in sums)
    assert len(ctx.gateway.list_transfers(transfer_group=code)) == int("release" in sums)
    assert calls_before.get(expected[1]) is None  # the killed process had recorded nothing
