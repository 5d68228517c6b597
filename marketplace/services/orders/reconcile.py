"""Reconcile: compare orders' ledgers with Stripe's objects, repair what re-running a step can
repair, report the rest. Run by `python -m marketplace reconcile`, by the worker on a schedule,
and for one order by each webhook event (which is only a hint to look again: the handler
re-fetches the objects, so a replayed or out-of-order event changes nothing).

Repairs are always the executor's own steps with their own idempotency keys: finishing a claimed
step, recording a hold the buyer authorised (`pay`), voiding a hold Stripe released by itself
(`expire_unstarted`), paying out a completed order (which first looks for the transfer by its
transfer group, so a transfer made before a crash is recorded, not repeated).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select

from marketplace.labels import plural
from marketplace.models import LedgerEntry, Order, OrderStatus
from marketplace.payments.gateway import PaymentProviderError
from marketplace.services.common.errors import DomainError
from marketplace.services.orders import executor as orders
from marketplace.services.orders import process

RECENT = timedelta(days=30)


@dataclass
class Report:
    checked: int = 0
    repaired: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"checked {plural(self.checked, 'order')}: {len(self.repaired)} repaired, "
            f"{plural(len(self.problems), 'problem')}"
        ]
        out += [f"repaired: {line}" for line in self.repaired]
        out += [f"PROBLEM: {line}" for line in self.problems]
        return out


def _sums(session: Session, order_id: int) -> dict[str, int]:
    sums: dict[str, int] = {}
    for row in session.exec(select(LedgerEntry).where(LedgerEntry.order_id == order_id)).all():
        sums[row.kind] = sums.get(row.kind, 0) + row.amount_cents
    return sums


def reconcile_order(code: str, *, context: orders.Context | None = None, report=None) -> Report:
    """Bring one order's ledger and Stripe into agreement where a re-run step can."""
    ctx = context or orders.default_context()
    report = report or Report()
    report.checked += 1
    now = ctx.now()
    with Session(ctx.engine) as session:
        order = session.exec(select(Order).where(Order.code == code)).first()
        if order is None:
            return report
        sums = _sums(session, order.id)
    try:
        if order.pending_action:
            since = order.pending_data.get("since", "")
            if since and now - datetime.fromisoformat(since) >= orders.CLAIM_STALE_AFTER:
                orders.perform(
                    order_code=code, action=order.pending_action, actor=None, system=True,
                    context=ctx,
                )  # fmt: skip
                report.repaired.append(f"{code}: finished the interrupted {order.pending_action}")
            return report
        if not order.payment_intent_id:
            pi = ctx.gateway.find_payment_intent(order_code=code)
            if pi is None:
                return report
        else:
            pi = ctx.gateway.retrieve_payment_intent(order.payment_intent_id)
        status = order.status
        if status == OrderStatus.pending_payment and pi.status == "requires_capture":
            orders.perform(order_code=code, action="pay", actor=None, system=True, context=ctx)
            report.repaired.append(f"{code}: recorded the hold the buyer authorised")
            return report
        if (
            status == OrderStatus.awaiting_requirements
            and pi.status == "requires_capture"
            and orders.start_if_nothing_to_ask(order_code=code, context=ctx) is not None
        ):
            report.repaired.append(f"{code}: started the order (its gig asks nothing)")
            return report
        if status == OrderStatus.awaiting_requirements and pi.status == "canceled":
            orders.perform(
                order_code=code, action="expire_unstarted", actor=None, system=True, context=ctx
            )
            report.repaired.append(f"{code}: the hold was released by Stripe; order cancelled")
            return report
        if order.payout_cents and "release" not in sums:
            result = orders.pay_out(order_id=order.id, context=ctx)
            if result == "paid":
                report.repaired.append(f"{code}: paid the seller what the order owed")
                with Session(ctx.engine) as session:
                    sums = _sums(session, order.id)
        # Compare what is left.
        captured = pi.amount_received if pi.status == "succeeded" else 0
        if captured != sums.get("capture", 0):
            report.problems.append(
                f"{code}: Stripe captured {captured}, the ledger says {sums.get('capture', 0)}"
            )
        refunds = ctx.gateway.list_refunds(payment_intent_id=pi.id) if captured else []
        refunded = sum(r.amount for r in refunds if r.status != "failed")
        if refunded != sums.get("refund", 0):
            report.problems.append(
                f"{code}: Stripe refunded {refunded}, the ledger says {sums.get('refund', 0)}"
            )
        transfers = ctx.gateway.list_transfers(transfer_group=code) if captured else []
        transferred = sum(t.amount - t.amount_reversed for t in transfers)
        ledger_transferred = sums.get("release", 0) - sums.get("reversal", 0)
        if transferred != ledger_transferred:
            report.problems.append(
                f"{code}: Stripe transferred {transferred}, the ledger says {ledger_transferred}"
            )
        if pi.status == "canceled" and sums.get("hold") and not sums.get("void"):
            report.problems.append(f"{code}: the hold was released but the ledger still holds it")
    except PaymentProviderError as exc:
        report.problems.append(f"{code}: Stripe could not be asked ({exc})")
    except DomainError as exc:
        report.problems.append(f"{code}: {exc}")
    return report


def reconcile(*, context: orders.Context | None = None, recent: timedelta = RECENT) -> Report:
    """Every open order, and every order that changed within `recent`."""
    ctx = context or orders.default_context()
    cutoff = ctx.now() - recent
    with Session(ctx.engine) as session:
        codes = session.exec(
            select(Order.code)
            .where(
                or_(
                    col(Order.status).in_(process.OPEN),
                    col(Order.updated_at) >= cutoff,
                    col(Order.pending_action).is_not(None),
                ),
                or_(
                    col(Order.payment_intent_id).is_not(None),
                    col(Order.pending_action).is_not(None),
                    col(Order.status) == OrderStatus.pending_payment,
                ),
            )
            .order_by(col(Order.id))
        ).all()
    report = Report()
    for code in codes:
        reconcile_order(code, context=ctx, report=report)
    return report
