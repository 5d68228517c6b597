"""Benchmark orders and escrow through the services against the local Stripe server.

Not a test. Prints:

* checkout-to-hold latency: `begin_payment` (order + PaymentIntent), the browser's card
  confirmation (what Stripe.js does) and `confirm_payment` (re-fetch, record the hold), p50/p95;
* accept-to-transfer latency: `perform(accept)` until the seller's Transfer is recorded, p50/p95;
* executor throughput on PostgreSQL with 8 concurrent actors on 8 distinct orders (revision /
  delivery cycles, each a full locked transaction with event and notification; 0 lost or
  doubled is checked), and 8 actors racing `accept` on one order (exactly one must win).

    .venv/bin/python bench/orders_bench.py                    # 200 orders, temp SQLite + PG
    .venv/bin/python bench/orders_bench.py --orders 50 --postgres-url postgresql+psycopg2://...

Targets (issue 9): p95 <= 300 ms for both latencies; >= 200 transitions/s; one winner per race.
Reuses the test builders (tests/order_fixtures.py) for users, gig and the browser's confirm.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session, SQLModel, select  # noqa: E402

import marketplace.models  # noqa: E402,F401  (registers every table)
from devservices.process import free_port  # noqa: E402
from devservices.stripe_server import StripeServer  # noqa: E402
from marketplace.db import make_engine  # noqa: E402
from marketplace.models import LedgerEntry, Order, OrderEvent  # noqa: E402
from marketplace.payments.gateway import StripeGateway  # noqa: E402
from marketplace.services.common.errors import DomainError  # noqa: E402
from marketplace.services.orders import checkout  # noqa: E402
from tests import order_fixtures as f  # noqa: E402

ACTORS = 8


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def line(name: str, samples: list[float], target_ms: float) -> str:
    ms = [s * 1000 for s in samples]
    p95 = pct(ms, 95)
    verdict = "ok" if p95 <= target_ms else "OVER TARGET"
    return (
        f"{name:<22} n={len(ms):<4} p50={pct(ms, 50):7.1f} ms  p95={p95:7.1f} ms  "
        f"mean={statistics.mean(ms):7.1f} ms  (target p95 <= {target_ms:g} ms: {verdict})"
    )


class TimedGateway(StripeGateway):
    """Adds up the time spent waiting for the Stripe server, to tell it apart from ours."""

    def __init__(self, real: StripeGateway):
        super().__init__(real.client)
        self.spent = 0.0

    def __getattribute__(self, name):
        attr = super().__getattribute__(name)
        if name.startswith("_") or not callable(attr) or name == "from_settings":
            return attr

        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return attr(*args, **kwargs)
            finally:
                object.__setattr__(self, "spent", self.spent + time.perf_counter() - t0)

        return timed


def latencies(ctx, n: int) -> None:
    gateway = TimedGateway(ctx.gateway)
    ctx = dataclasses.replace(ctx, gateway=gateway)
    c = f.cast(ctx.engine, ctx)
    hold, release, hold_ours, release_ours = [], [], [], []
    for _ in range(n):
        gateway.spent = 0.0
        t0 = time.perf_counter()
        start = checkout.begin_payment(
            actor=c.buyer, gig_slug=c.gig.slug, tier="basic", extra_ids=[], quantity=1,
            checkout_key=f.checkout_key(), context=ctx,
        )  # fmt: skip
        t1 = time.perf_counter()
        f.browser_confirms(ctx, start)
        browser = time.perf_counter() - t1
        outcome = checkout.confirm_payment(actor=c.buyer, order_code=start.order_code, context=ctx)
        hold.append(time.perf_counter() - t0)
        hold_ours.append(hold[-1] - browser - gateway.spent)
        assert outcome.status == "held", outcome
        answers = f.answers(ctx.engine, c.gig.id)
        f.act(ctx, start.order_code, "submit_requirements", c.buyer, answers)
        f.act(ctx, start.order_code, "deliver", c.seller, {"message": "Done", "files": []})
        gateway.spent = 0.0
        t0 = time.perf_counter()
        f.act(ctx, start.order_code, "accept", c.buyer)
        release.append(time.perf_counter() - t0)
        release_ours.append(release[-1] - gateway.spent)
        sums = f.ledger_sums(ctx.engine, start.order_code)
        assert sums.get("release"), "the transfer was not recorded"
    print(line("checkout-to-hold", hold, 300))
    print(line("  of which not Stripe", hold_ours, 300))
    print(line("accept-to-transfer", release, 300))
    print(line("  of which not Stripe", release_ours, 300))


def throughput(ctx, cycles: int) -> None:
    c = f.cast(ctx.engine, ctx)
    codes = [f.walk_to(ctx, c, "delivered", tier="premium") for _ in range(ACTORS)]  # unlimited
    with Session(ctx.engine) as session:
        before = session.exec(select(func.count()).select_from(OrderEvent)).one()
    barrier = threading.Barrier(ACTORS + 1)
    errors: list[str] = []

    def actor(code: str) -> None:
        barrier.wait()
        for _ in range(cycles):
            try:
                f.act(ctx, code, "request_revision", c.buyer, {"message": "Again"})
                f.act(ctx, code, "deliver", c.seller, {"message": "Again", "files": []})
            except DomainError as exc:
                errors.append(str(exc))

    threads = [threading.Thread(target=actor, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    barrier.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - t0
    transitions = ACTORS * cycles * 2
    with Session(ctx.engine) as session:
        after = session.exec(select(func.count()).select_from(OrderEvent)).one()
        used = session.exec(select(Order.revisions_used).where(Order.code.in_(codes))).all()
    lost_or_doubled = (after - before - transitions) + sum(abs(u - cycles) for u in used)
    rate = transitions / elapsed
    print(
        f"executor, {ACTORS} actors on distinct orders: {transitions} transitions in "
        f"{elapsed:.2f} s = {rate:,.0f}/s (target >= 200/s: {'ok' if rate >= 200 else 'UNDER'}); "
        f"lost or doubled: {lost_or_doubled}; errors: {len(errors)}"
    )


def one_order_races(ctx, races: int) -> None:
    c = f.cast(ctx.engine, ctx)
    winners, transfers = [], []
    for _ in range(races):
        code = f.walk_to(ctx, c, "delivered")
        barrier = threading.Barrier(ACTORS)
        wins: list[int] = []

        def press(code=code, barrier=barrier, wins=wins) -> None:
            barrier.wait()
            try:
                f.act(ctx, code, "accept", c.buyer)
                wins.append(1)
            except DomainError:
                pass

        threads = [threading.Thread(target=press) for _ in range(ACTORS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        winners.append(len(wins))
        with Session(ctx.engine) as session:
            order = session.exec(select(Order).where(Order.code == code)).one()
            releases = session.exec(
                select(func.count())
                .select_from(LedgerEntry)
                .where(LedgerEntry.order_id == order.id, LedgerEntry.kind == "release")
            ).one()
        transfers.append((releases, len(ctx.gateway.list_transfers(transfer_group=code))))
    ok = all(w == 1 for w in winners) and all(t == (1, 1) for t in transfers)
    print(
        f"executor, {ACTORS} actors racing accept on one order, {races} races: winners per race "
        f"{sorted(set(winners))}, release rows/transfers {sorted(set(transfers))} "
        f"({'exactly one wins every race' if ok else 'FAILED'})"
    )


def fresh_postgres(url: str) -> tuple[str, callable]:
    server = make_url(url)
    name = f"gw_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=200, help="orders per latency figure")
    parser.add_argument("--cycles", type=int, default=50, help="revision+delivery per actor")
    parser.add_argument("--races", type=int, default=20, help="one-order races")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL server to create a throw-away database on",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gw-orders-bench-") as tmp:
        tmp_path = Path(tmp)
        stripe = StripeServer(
            port=free_port(),
            state_file=tmp_path / "stripe.pickle",
            log_path=tmp_path / "stripe.log",
        )
        with stripe:
            engine = make_engine(f"sqlite:///{tmp_path / 'bench.db'}")
            SQLModel.metadata.create_all(engine)
            print(f"latency on SQLite, {args.orders} orders, local Stripe server:")
            latencies(f.context(engine, stripe, tmp_path), args.orders)
            engine.dispose()
            try:
                url, drop = fresh_postgres(args.postgres_url)
            except Exception as exc:  # no server: say so, skip the PostgreSQL figures
                print(f"PostgreSQL not reachable ({type(exc).__name__}); throughput skipped")
                return 0
            try:
                engine = make_engine(url)
                SQLModel.metadata.create_all(engine)
                ctx = f.context(engine, stripe, tmp_path)
                print("PostgreSQL:")
                latencies(ctx, min(args.orders, 100))
                throughput(ctx, args.cycles)
                one_order_races(ctx, args.races)
                engine.dispose()
            finally:
                drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
