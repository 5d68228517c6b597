"""The orders side of `python -m marketplace worker`: timed transitions, interrupted money steps,
payouts waiting for sellers, review windows, seller levels, unsent message files, and a
periodic reconcile."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from marketplace.db import session_scope
from marketplace.labels import plural
from marketplace.services.messaging import files as message_files
from marketplace.services.orders import executor as orders
from marketplace.services.orders import reconcile
from marketplace.services.reviews import levels
from marketplace.services.reviews import order_reviews as reviews

POLL_S = 30.0
RECONCILE_EVERY_S = 15 * 60.0


def run_once(ctx: orders.Context, *, with_reconcile: bool) -> list[str]:
    """One pass; returns lines worth printing."""
    lines = []
    fired = orders.run_due(context=ctx)
    if fired:
        lines.append("orders: timed " + ", ".join(f"{k} ×{v}" for k, v in sorted(fired.items())))
    if finished := orders.resume_stale_claims(context=ctx):
        lines.append(f"orders: finished {plural(finished, 'interrupted money step')}")
    paid = orders.pay_out_pending(context=ctx)
    if paid.get("paid"):
        lines.append(f"orders: paid {plural(paid['paid'], 'seller payout')}")
    # --- reviews and seller levels (issue 12) ---
    with session_scope(ctx.engine) as session:
        published = reviews.publish_due(session, now=ctx.now())
    if published:
        lines.append(
            f"reviews: published the reviews of {plural(published, 'order')} (window closed)"
        )
    for change in levels.evaluate_due(engine=ctx.engine, now=ctx.now()):
        lines.append(f"levels: seller {change.seller_id} {change.old} -> {change.new}")
    # --- messaging: files uploaded into a composer and never sent ---
    with session_scope(ctx.engine) as session:
        swept = message_files.sweep_unsent(session, now=ctx.now())
    if swept:
        lines.append(f"messages: deleted {plural(swept, 'unsent attachment')}")
    if with_reconcile:
        report = reconcile.reconcile(context=ctx)
        if report.repaired or report.problems:
            lines += ["orders reconcile: " + line for line in report.lines()]
    return lines


def run_order_worker(
    ctx: orders.Context,
    *,
    stop_event: threading.Event,
    say: Callable[[str], None] = print,
    poll_s: float = POLL_S,
    reconcile_every_s: float = RECONCILE_EVERY_S,
    once: bool = False,
) -> None:
    say(f"orders worker ready: timed transitions and payouts every {poll_s:g}s")
    next_reconcile = 0.0
    while not stop_event.is_set():
        due = time.monotonic() >= next_reconcile
        try:
            for line in run_once(ctx, with_reconcile=due):
                say(line)
        except Exception as exc:  # database or Stripe down: try again at the next poll
            say(f"orders worker: {type(exc).__name__}: {exc}"[:300])
        if due:
            next_reconcile = time.monotonic() + reconcile_every_s
        if once:
            return
        stop_event.wait(poll_s)
