"""The marketplace dashboard for admins: today's figures and twelve weeks of each over time.

Each series is ONE aggregate query with a `SUM(CASE ...)` column per week (portable between
SQLite and PostgreSQL, no date functions), so the dashboard costs a fixed dozen queries whatever
the size of the tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func
from sqlmodel import Session, col, select

from marketplace.db import utcnow
from marketplace.models import (
    Dispute,
    Gig,
    GigStatus,
    LedgerEntry,
    LedgerKind,
    Order,
    Report,
    ReportStatus,
    User,
)
from marketplace.services.moderation.common import require_admin
from marketplace.services.orders import process as order_process

WEEKS = 12
PAID_STATUSES = tuple(sorted(order_process.PLACED))


@dataclass(frozen=True)
class Dashboard:
    users: int
    active_gigs: int
    orders_by_status: dict[str, int]
    gmv_week_cents: int
    gmv_month_cents: int
    fees_week_cents: int
    fees_month_cents: int
    escrow_cents: int
    open_reports: int
    open_disputes: int
    weeks: list[datetime]  # the start of each week, oldest first
    # name -> one value per week: new users, gigs published, orders placed, GMV, fees,
    # escrow at the end of the week, reports filed, disputes opened
    series: dict[str, list[int]]


def _week_starts(now: datetime) -> list[datetime]:
    this_week = (now - timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return [this_week - timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS)]


def _weekly(session: Session, column, value, weeks: list[datetime], *conditions) -> list[int]:
    """SUM(value) per week of `column`, in one query."""
    ends = [*weeks[1:], weeks[-1] + timedelta(weeks=1)]
    sums = [
        func.coalesce(func.sum(case((and_(column >= start, column < end), value), else_=0)), 0)
        for start, end in zip(weeks, ends, strict=True)
    ]
    row = session.exec(select(*sums).where(column >= weeks[0], *conditions)).one()
    return [int(v) for v in row]


def _sum_since(session: Session, column, value, since: datetime, *conditions) -> int:
    return int(
        session.exec(
            select(func.coalesce(func.sum(value), 0)).where(column >= since, *conditions)
        ).one()
    )


def _signed_ledger():
    """Money in escrow moves up with a capture, down with a release/refund/commission."""
    return case(
        (LedgerEntry.kind == LedgerKind.capture.value, LedgerEntry.amount_cents),
        (
            col(LedgerEntry.kind).in_(
                [LedgerKind.release.value, LedgerKind.refund.value, LedgerKind.commission.value]
            ),
            -LedgerEntry.amount_cents,
        ),
        (LedgerEntry.kind == LedgerKind.reversal.value, LedgerEntry.amount_cents),
        else_=0,
    )


def dashboard(session: Session, *, admin: User | None, now: datetime | None = None) -> Dashboard:
    require_admin(admin)
    now = now or utcnow()
    weeks = _week_starts(now)
    week_ago, month_ago = now - timedelta(days=7), now - timedelta(days=30)
    by_status = dict(
        session.exec(select(Order.status, func.count(Order.id)).group_by(Order.status)).all()
    )
    paid = col(Order.status).in_(PAID_STATUSES)
    fee = LedgerEntry.kind == LedgerKind.commission.value
    escrow_total = int(session.exec(select(func.coalesce(func.sum(_signed_ledger()), 0))).one())
    escrow_before = int(
        session.exec(
            select(func.coalesce(func.sum(_signed_ledger()), 0)).where(
                LedgerEntry.created_at < weeks[0]
            )
        ).one()
    )
    escrow_moves = _weekly(session, LedgerEntry.created_at, _signed_ledger(), weeks)
    escrow_series, running = [], escrow_before
    for move in escrow_moves:
        running += move
        escrow_series.append(max(running, 0))
    one = 1
    return Dashboard(
        users=int(session.exec(select(func.count(User.id))).one()),
        active_gigs=int(
            session.exec(
                select(func.count(Gig.id)).where(Gig.status == GigStatus.active.value)
            ).one()
        ),
        orders_by_status={str(k): int(v) for k, v in by_status.items()},
        gmv_week_cents=_sum_since(session, Order.created_at, Order.total_cents, week_ago, paid),
        gmv_month_cents=_sum_since(session, Order.created_at, Order.total_cents, month_ago, paid),
        fees_week_cents=_sum_since(
            session, LedgerEntry.created_at, LedgerEntry.amount_cents, week_ago, fee
        ),
        fees_month_cents=_sum_since(
            session, LedgerEntry.created_at, LedgerEntry.amount_cents, month_ago, fee
        ),
        escrow_cents=max(escrow_total, 0),
        open_reports=int(
            session.exec(
                select(func.count(Report.id)).where(Report.status == ReportStatus.open.value)
            ).one()
        ),
        open_disputes=int(
            session.exec(select(func.count(Dispute.id)).where(Dispute.status == "open")).one()
        ),
        weeks=weeks,
        series={
            "users": _weekly(session, User.created_at, one, weeks),
            "gigs": _weekly(session, Gig.published_at, one, weeks),
            "orders": _weekly(session, Order.created_at, one, weeks, paid),
            "gmv": _weekly(session, Order.created_at, Order.total_cents, weeks, paid),
            "fees": _weekly(session, LedgerEntry.created_at, LedgerEntry.amount_cents, weeks, fee),
            "escrow": escrow_series,
            "reports": _weekly(session, Report.created_at, one, weeks),
            "disputes": _weekly(session, Dispute.opened_at, one, weeks),
        },
    )
