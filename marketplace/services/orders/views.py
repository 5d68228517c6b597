"""Read models for the order pages: plain frozen dataclasses built with bounded queries.

Who may see what is decided here once: an order page only for its buyer, its seller and admins
(anyone else gets NotFound, as if the order did not exist); lists and earnings only for the
signed-in user's own orders. The money panel is the ledger itself, line by line, with the Stripe
object behind each line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from marketplace.db import utcnow
from marketplace.models import (
    Delivery,
    Dispute,
    DisputeStatus,
    FreelancerProfile,
    Gig,
    GigRequirement,
    LedgerEntry,
    LedgerKind,
    Order,
    OrderEvent,
    OrderStatus,
    User,
    UserStatus,
)
from marketplace.services.common.errors import NotFound, PermissionDenied
from marketplace.services.orders import files as order_files
from marketplace.services.orders import process
from marketplace.services.orders.executor import (
    PAYOUT_EVENT,
    SERVICE_FEE_STEP,
    ActionView,
    available_actions,
    is_late,
    role_of,
)

PAGE_SIZE = 20
LEDGER_PAGE_SIZE = 50
MAX_PAGE = 10_000
# The "active" tab: active orders that are not waiting for the buyer's look at a delivery
# (those have their own tab). The groups are process.py's.
ACTIVE_TAB = process.ACTIVE - {OrderStatus.delivered.value}
TABS = ("active", "late", "delivered", "completed", "cancelled", "all")
# What each ledger kind did, in words a buyer or seller understands: the one home of them
# (the order page's money panel, the earnings page and the earnings CSV).
LEDGER_LABELS = {
    LedgerKind.hold: "Card authorised (held, not charged)",
    LedgerKind.void: "Hold released (nothing charged)",
    LedgerKind.capture: "Charged into escrow",
    LedgerKind.release: "Transferred to the seller",
    LedgerKind.commission: "Platform commission",
    LedgerKind.refund: "Refunded to the buyer",
    LedgerKind.reversal: "Transfer reversed",
}
SERVICE_FEE_LABEL = "Buyer service fee (platform)"
# Which way a line moves the seller's money: +1 to them, -1 away from their earnings, 0 neither
# (the buyer's card and the escrow). The earnings page and its CSV sign amounts with it.
SELLER_DIRECTION = {
    LedgerKind.release: 1,
    LedgerKind.commission: -1,
    LedgerKind.refund: -1,
    LedgerKind.reversal: -1,
}


@dataclass(frozen=True)
class EventLine:
    at: datetime
    actor_name: str
    actor_role: str
    transition: str
    label: str
    message: str


@dataclass(frozen=True)
class DeliveryLine:
    at: datetime
    message: str
    files: list[dict]  # {"name", "url", "size"}


@dataclass(frozen=True)
class LedgerLine:
    at: datetime
    kind: str
    label: str
    amount_cents: int
    stripe_object_id: str
    note: str
    order_code: str = ""
    direction: int = 0  # for the seller: +1 in, -1 out, 0 neither (SELLER_DIRECTION)

    @property
    def signed_cents(self) -> int:
        """The amount as the seller's books see it (money out is negative)."""
        return -self.amount_cents if self.direction < 0 else self.amount_cents


@dataclass(frozen=True)
class MoneySummary:
    held_cents: int  # on the card, not yet captured
    captured_cents: int
    in_escrow_cents: int  # captured and still with the platform for this order
    released_cents: int
    refunded_cents: int
    platform_fee_cents: int


@dataclass(frozen=True)
class OrderPage:
    code: str
    title: str
    gig_slug: str
    status: str
    status_label: str
    viewer_role: str
    buyer_name: str
    buyer_username: str
    seller_name: str
    seller_username: str
    package_name: str
    package_tier: str
    package_description: str
    package_features: list[str]
    extras: list[dict]
    quantity: int
    currency: str
    subtotal_cents: int
    service_fee_cents: int
    total_cents: int
    commission_cents: int
    seller_earnings_cents: int
    created_at: datetime
    started_at: datetime | None
    due_at: datetime | None
    delivered_at: datetime | None
    auto_complete_at: datetime | None
    completed_at: datetime | None
    late: bool
    revisions_allowed: int
    revisions_used: int
    requirements: list[dict]
    answers: list[dict]
    events: list[EventLine]
    deliveries: list[DeliveryLine]
    ledger: list[LedgerLine]
    money: MoneySummary
    cancellation_requested_by: str
    dispute_open: bool
    actions: list[ActionView]
    payout_pending: bool = False  # completed, the seller is owed, no transfer yet
    processing: bool = False  # a money step is being processed


@dataclass(frozen=True)
class OrderRow:
    code: str
    title: str
    other_name: str
    other_username: str
    status: str
    status_label: str
    total_cents: int
    seller_earnings_cents: int
    due_at: datetime | None
    late: bool
    created_at: datetime


@dataclass(frozen=True)
class OrderList:
    role: str
    tab: str
    counts: dict[str, int]
    rows: list[OrderRow]
    page: int
    pages: int


@dataclass(frozen=True)
class Earnings:
    available_cents: int
    in_escrow_cents: int
    paid_out_cents: int
    refunded_cents: int
    fees_cents: int
    pending_payout_cents: int
    payouts_enabled: bool
    weekly: list[tuple[date, int]]
    lines: list[LedgerLine]
    page: int
    pages: int


def _label(entry: LedgerEntry) -> str:
    if entry.idempotency_key.endswith(f":{SERVICE_FEE_STEP}"):
        return SERVICE_FEE_LABEL
    return LEDGER_LABELS.get(entry.kind, entry.kind)


def ledger_line(entry: LedgerEntry, code: str = "") -> LedgerLine:
    return LedgerLine(
        at=entry.created_at,
        kind=entry.kind,
        label=_label(entry),
        amount_cents=entry.amount_cents,
        stripe_object_id=entry.stripe_object_id or "",
        note=entry.note,
        order_code=code,
        direction=(
            0
            if entry.idempotency_key.endswith(f":{SERVICE_FEE_STEP}")
            else SELLER_DIRECTION.get(entry.kind, 0)
        ),
    )


def money_summary(entries: list[LedgerEntry]) -> MoneySummary:
    sums: dict[str, int] = {}
    for e in entries:
        sums[e.kind] = sums.get(e.kind, 0) + e.amount_cents
    captured = sums.get(LedgerKind.capture, 0)
    released = sums.get(LedgerKind.release, 0) - sums.get(LedgerKind.reversal, 0)
    refunded = sums.get(LedgerKind.refund, 0)
    fee = sums.get(LedgerKind.commission, 0)
    held = 0 if captured else sums.get(LedgerKind.hold, 0) - sums.get(LedgerKind.void, 0)
    return MoneySummary(
        held_cents=max(held, 0),
        captured_cents=captured,
        in_escrow_cents=max(captured - released - refunded - fee, 0),
        released_cents=released,
        refunded_cents=refunded,
        platform_fee_cents=fee,
    )


def _viewer(viewer: User | None) -> User:
    if viewer is None or viewer.id is None or viewer.status != UserStatus.active:
        raise PermissionDenied("Sign in to continue.")
    return viewer


def party_ids(session: Session, *, code: str) -> list[int]:
    """The buyer's and the seller's user ids (whose bells an order's step may ring)."""
    row = session.exec(select(Order.buyer_id, Order.seller_id).where(Order.code == code)).first()
    return list(row) if row else []


def order_page(session: Session, *, code: str, viewer: User | None) -> OrderPage:
    if viewer is None or viewer.id is None or viewer.status != UserStatus.active:
        raise NotFound("Order not found.")
    order = session.exec(select(Order).where(Order.code == str(code or ""))).first()
    role = role_of(order, viewer) if order is not None else None
    if order is None or role is None:
        raise NotFound("Order not found.")
    buyer = session.get(User, order.buyer_id)
    seller = session.get(User, order.seller_id)
    gig = session.get(Gig, order.gig_id) if order.gig_id else None
    requirements = (
        session.exec(
            select(GigRequirement)
            .where(GigRequirement.gig_id == order.gig_id)
            .order_by(col(GigRequirement.position), col(GigRequirement.id))
        ).all()
        if order.gig_id
        else []
    )
    events = session.exec(
        select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(col(OrderEvent.id))
    ).all()
    actor_ids = {e.actor_id for e in events if e.actor_id}
    names = (
        {
            user_id: name
            for user_id, name in session.exec(
                select(User.id, User.display_name).where(col(User.id).in_(actor_ids))
            ).all()
        }
        if actor_ids
        else {}
    )
    deliveries = session.exec(
        select(Delivery).where(Delivery.order_id == order.id).order_by(col(Delivery.id))
    ).all()
    entries = list(
        session.exec(
            select(LedgerEntry)
            .where(LedgerEntry.order_id == order.id)
            .order_by(col(LedgerEntry.created_at), col(LedgerEntry.id))
        ).all()
    )
    dispute = session.exec(
        select(Dispute.id).where(Dispute.order_id == order.id, Dispute.status == DisputeStatus.open)
    ).first()
    now = utcnow()
    auto_complete_at = None
    if order.status == OrderStatus.delivered and order.state_entered_at:
        from marketplace.settings import get_settings

        auto_complete_at = order.state_entered_at + timedelta(
            days=get_settings().auto_complete_days
        )

    def event_label(e: OrderEvent) -> str:
        if e.transition == "place":
            return "Order placed"
        if e.transition == PAYOUT_EVENT:
            return "Seller paid (transfer)"
        try:
            return process.said(process.transition(e.transition), e.from_status)
        except KeyError:
            return e.transition.replace("_", " ").capitalize()

    snapshot = order.package_snapshot or {}
    return OrderPage(
        code=order.code,
        title=order.title,
        gig_slug=gig.slug if gig else "",
        status=order.status,
        status_label=process.STATE_LABELS.get(order.status, order.status),
        viewer_role=role,
        buyer_name=buyer.display_name if buyer else "",
        buyer_username=buyer.username if buyer else "",
        seller_name=seller.display_name if seller else "",
        seller_username=seller.username if seller else "",
        package_name=snapshot.get("name", ""),
        package_tier=order.package_tier,
        package_description=snapshot.get("description", ""),
        package_features=list(snapshot.get("features", [])),
        extras=[
            {
                "title": e.get("title", ""),
                "price_cents": e.get("price_cents", 0),
                "extra_days": e.get("extra_days", 0),
            }
            for e in order.extras_snapshot or []
        ],
        quantity=order.quantity,
        currency=order.currency,
        subtotal_cents=order.subtotal_cents,
        service_fee_cents=order.service_fee_cents,
        total_cents=order.total_cents,
        commission_cents=order.commission_cents,
        seller_earnings_cents=order.seller_earnings_cents,
        created_at=order.created_at,
        started_at=order.started_at,
        due_at=order.due_at,
        delivered_at=order.delivered_at,
        auto_complete_at=auto_complete_at,
        completed_at=order.completed_at,
        late=is_late(order, now),
        revisions_allowed=order.revisions_allowed,
        revisions_used=order.revisions_used,
        requirements=[
            {
                "id": r.id,
                "question": r.question,
                "kind": r.kind,
                "choices": list(r.choices),
                "required": r.required,
            }
            for r in requirements
        ],
        answers=[
            {
                **a,
                "file_url": (
                    order_files.order_file_url(order_code=order.code, key=a["file"]["key"])
                    if a.get("file")
                    else ""
                ),
            }
            for a in order.requirement_answers or []
        ],
        events=[
            EventLine(
                at=e.at,
                actor_name=names.get(e.actor_id, "Gigworks") if e.actor_id else "Gigworks",
                actor_role=e.actor_role,
                transition=e.transition,
                label=event_label(e),
                message=e.message,
            )
            for e in events
        ],
        deliveries=[
            DeliveryLine(
                at=d.created_at,
                message=d.message,
                files=[
                    {
                        "name": f.get("name", "file"),
                        "url": order_files.order_file_url(order_code=order.code, key=f["key"]),
                        "size": f.get("size", 0),
                    }
                    for f in d.files or []
                    if f.get("key")
                ],
            )
            for d in deliveries
        ],
        ledger=[ledger_line(e) for e in entries],
        money=money_summary(entries),
        cancellation_requested_by=order.cancellation_requested_by,
        dispute_open=dispute is not None,
        actions=available_actions(session, order=order, actor=viewer),
        payout_pending=bool(order.payout_cents)
        and not any(e.kind == LedgerKind.release for e in entries),
        processing=bool(order.pending_action),
    )


def _tab_filter(tab: str, now: datetime):
    if tab == "active":
        return col(Order.status).in_(ACTIVE_TAB)
    if tab == "late":
        return col(Order.status).in_(process.AWAITING_DELIVERY) & (col(Order.due_at) < now)
    if tab == "delivered":
        return col(Order.status) == OrderStatus.delivered
    if tab == "completed":
        return col(Order.status) == OrderStatus.completed
    if tab == "cancelled":
        return col(Order.status) == OrderStatus.cancelled
    return col(Order.status).in_(process.PLACED)


def default_role(session: Session, *, viewer: User) -> str:
    """Where `/orders` opens without a chosen side: where the member's work is. Selling when
    they have active sales and at least as many as active purchases, else Buying."""
    viewer = _viewer(viewer)

    def active(side) -> int:
        return session.exec(
            select(func.count())
            .select_from(Order)
            .where(side == viewer.id, col(Order.status).in_(process.ACTIVE))
        ).one()

    sales = active(Order.seller_id)
    return "selling" if sales and sales >= active(Order.buyer_id) else "buying"


def order_list(session: Session, *, viewer: User, role: str, tab: str, page: int) -> OrderList:
    """The viewer's orders as buyer ("buying") or seller ("selling"), by status tab."""
    viewer = _viewer(viewer)
    role = role if role in ("buying", "selling") else "buying"
    tab = tab if tab in TABS else "active"
    page = min(max(page if isinstance(page, int) else 1, 1), MAX_PAGE)
    mine = (Order.buyer_id if role == "buying" else Order.seller_id) == viewer.id
    now = utcnow()
    counts = {
        t: session.exec(
            select(func.count()).select_from(Order).where(mine, _tab_filter(t, now))
        ).one()
        for t in TABS
    }
    total = counts[tab]
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    other_id = Order.seller_id if role == "buying" else Order.buyer_id
    rows = session.exec(
        select(Order, User.display_name, User.username)
        .join(User, col(User.id) == other_id)
        .where(mine, _tab_filter(tab, now))
        .order_by(col(Order.created_at).desc(), col(Order.id).desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return OrderList(
        role=role,
        tab=tab,
        counts=counts,
        rows=[
            OrderRow(
                code=o.code,
                title=o.title,
                other_name=name,
                other_username=username,
                status=o.status,
                status_label=process.STATE_LABELS.get(o.status, o.status),
                total_cents=o.total_cents,
                seller_earnings_cents=o.seller_earnings_cents,
                due_at=o.due_at,
                late=is_late(o, now),
                created_at=o.created_at,
            )
            for o, name, username in rows
        ],
        page=page,
        pages=pages,
    )


def _seller_ledger(seller_id: int):
    """Ledger rows of the seller's orders (releases, commission, refunds ...)."""
    return (
        select(LedgerEntry, Order.code)
        .join(Order, col(Order.id) == LedgerEntry.order_id)
        .where(Order.seller_id == seller_id)
    )


def earnings(session: Session, *, seller: User, page: int = 1) -> Earnings:
    """What the seller earned: released (paid out to their Stripe account), owed while payouts
    are not enabled, in escrow on open orders, refunded and kept as commission."""
    seller = _viewer(seller)
    page = min(max(page if isinstance(page, int) else 1, 1), MAX_PAGE)

    def total(kind: str, *, commission_only: bool = False) -> int:
        query = (
            select(func.coalesce(func.sum(LedgerEntry.amount_cents), 0))
            .join(Order, col(Order.id) == LedgerEntry.order_id)
            .where(Order.seller_id == seller.id, LedgerEntry.kind == kind)
        )
        if commission_only:
            query = query.where(col(LedgerEntry.idempotency_key).not_like(f"%:{SERVICE_FEE_STEP}"))
        return int(session.exec(query).one())

    paid_out = total(LedgerKind.release) - total(LedgerKind.reversal)
    released_orders = select(LedgerEntry.order_id).where(LedgerEntry.kind == LedgerKind.release)
    pending = int(
        session.exec(
            select(func.coalesce(func.sum(Order.payout_cents), 0)).where(
                Order.seller_id == seller.id,
                col(Order.payout_cents) > 0,
                col(Order.id).not_in(released_orders),
            )
        ).one()
    )
    escrow = int(
        session.exec(
            select(func.coalesce(func.sum(Order.seller_earnings_cents), 0)).where(
                Order.seller_id == seller.id, col(Order.status).in_(process.IN_ESCROW)
            )
        ).one()
    )
    profile = session.exec(
        select(FreelancerProfile).where(FreelancerProfile.user_id == seller.id)
    ).first()
    # Last 12 weeks (Monday-based), released cents per week.
    today = utcnow().date()
    first_week = today - timedelta(days=today.weekday()) - timedelta(weeks=11)
    since = datetime.combine(first_week, datetime.min.time(), tzinfo=utcnow().tzinfo)
    weekly = {first_week + timedelta(weeks=i): 0 for i in range(12)}
    for at, amount in session.exec(
        select(LedgerEntry.created_at, LedgerEntry.amount_cents)
        .join(Order, col(Order.id) == LedgerEntry.order_id)
        .where(
            Order.seller_id == seller.id,
            LedgerEntry.kind == LedgerKind.release,
            col(LedgerEntry.created_at) >= since,
        )
    ).all():
        day = at.date()
        week = day - timedelta(days=day.weekday())
        if week in weekly:
            weekly[week] += amount
    count = int(
        session.exec(
            select(func.count())
            .select_from(LedgerEntry)
            .join(Order, col(Order.id) == LedgerEntry.order_id)
            .where(Order.seller_id == seller.id, _seller_visible())
        ).one()
    )
    pages = max(1, -(-count // LEDGER_PAGE_SIZE))
    page = min(page, pages)
    lines = session.exec(
        _seller_ledger(seller.id)
        .where(_seller_visible())
        .order_by(col(LedgerEntry.created_at).desc(), col(LedgerEntry.id).desc())
        .offset((page - 1) * LEDGER_PAGE_SIZE)
        .limit(LEDGER_PAGE_SIZE)
    ).all()
    return Earnings(
        available_cents=paid_out + pending,
        in_escrow_cents=escrow,
        paid_out_cents=paid_out,
        refunded_cents=total(LedgerKind.refund),
        fees_cents=total(LedgerKind.commission, commission_only=True),
        pending_payout_cents=pending,
        payouts_enabled=bool(profile and profile.payouts_enabled),
        weekly=sorted(weekly.items()),
        lines=[ledger_line(e, code) for e, code in lines],
        page=page,
        pages=pages,
    )


def _seller_visible():
    """The ledger lines that concern the seller: not the buyer's card hold/void or the fee."""
    return col(LedgerEntry.kind).in_(
        (LedgerKind.capture, LedgerKind.release, LedgerKind.refund, LedgerKind.reversal)
    ) | (
        (LedgerEntry.kind == LedgerKind.commission)
        & col(LedgerEntry.idempotency_key).not_like(f"%:{SERVICE_FEE_STEP}")
    )


def earnings_csv(session: Session, *, seller: User) -> str:
    """Every ledger line of the seller's orders, oldest first, as CSV (amounts in cents, signed
    as on the earnings page: money out of the seller's earnings is negative)."""
    seller = _viewer(seller)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["date", "order", "kind", "description", "amount_cents", "stripe_object", "note"]
    )
    rows = session.exec(
        _seller_ledger(seller.id)
        .where(_seller_visible())
        .order_by(col(LedgerEntry.created_at), col(LedgerEntry.id))
    )
    for entry, code in rows:
        line = ledger_line(entry, code)
        writer.writerow(
            [
                line.at.isoformat(),
                code,
                line.kind,
                line.label,
                line.signed_cents,
                line.stripe_object_id,
                _csv_safe(line.note),
            ]
        )
    return out.getvalue()


def _csv_safe(text: str) -> str:
    """Cells never start a spreadsheet formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
