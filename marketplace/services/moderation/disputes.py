"""Disputes and flagged orders: the dispute list, one dispute with everything an admin needs
to decide, resolving it (release, refund, split), and the open orders a suspension flagged.

Every step an admin takes on an order as an admin goes through `act_on_order`, whichever page
it starts from (the dispute tab here, or the order page `/orders/<code>`): the admin role and
the admin's not being a party are checked, the order executor (services/orders/executor.py)
moves the order and the money (it commits on its own and never holds a transaction across its
Stripe call), and the audit row follows in a second transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from marketplace.db import session_scope, utcnow
from marketplace.models import (
    ActorRole,
    Conversation,
    Dispute,
    DisputeStatus,
    Message,
    Order,
    OrderStatus,
    User,
)
from marketplace.models.moderation import OrderFlag
from marketplace.services.common.errors import DomainError, NotFound, PermissionDenied
from marketplace.services.moderation.common import (
    NOT_FOUND,
    Paged,
    audit,
    choice,
    clean_reason,
    page_number,
    paged,
    require_admin,
    user_names,
    valid_id,
)
from marketplace.services.orders import executor as orders
from marketplace.services.orders import process
from marketplace.services.orders import views as order_views
from marketplace.services.orders.process import STATE_LABELS

DISPUTE_STATUSES = ("open", "resolved")
RESOLUTIONS = {"release": "resolve_release", "refund": "resolve_refund", "split": "resolve_split"}
# The audit log's name for an admin's order step (resolve_release -> resolve_dispute_release).
AUDIT_NAMES = {step: f"resolve_dispute_{name}" for name, step in RESOLUTIONS.items()}


@dataclass(frozen=True)
class DisputeRow:
    order_code: str
    title: str
    buyer_name: str
    seller_name: str
    reason: str
    opened_at: datetime
    status: str
    resolution: str
    total_cents: int
    subtotal_cents: int


@dataclass(frozen=True)
class DisputeDetail:
    dispute: DisputeRow
    order: order_views.OrderPage
    messages: list[dict]  # {"sender", "body", "at"}


def _dispute_row(dispute: Dispute, order: Order, names: dict[int, str]) -> DisputeRow:
    return DisputeRow(
        order_code=order.code,
        title=order.title,
        buyer_name=names.get(order.buyer_id, "—"),
        seller_name=names.get(order.seller_id, "—"),
        reason=dispute.reason,
        opened_at=dispute.opened_at,
        status=dispute.status,
        resolution=dispute.resolution,
        total_cents=order.total_cents,
        subtotal_cents=order.subtotal_cents,
    )


def list_disputes(
    session: Session, *, admin: User | None, status: Any = "open", page: Any = 1
) -> Paged:
    require_admin(admin)
    status = choice(status, DISPUTE_STATUSES, "open")
    condition = Dispute.status == (
        DisputeStatus.open.value if status == "open" else DisputeStatus.resolved.value
    )
    statement = (
        select(Dispute, Order)
        .join(Order, col(Order.id) == Dispute.order_id)
        .where(condition)
        .order_by(col(Dispute.opened_at).asc() if status == "open" else col(Dispute.id).desc())
    )
    rows, total, page, pages = paged(
        session, statement, select(func.count(Dispute.id)).where(condition), page_number(page)
    )
    names = user_names(session, {o.buyer_id for _, o in rows} | {o.seller_id for _, o in rows})
    return Paged([_dispute_row(d, o, names) for d, o in rows], total, page, pages)


def dispute_detail(session: Session, *, admin: User | None, order_code: Any) -> DisputeDetail:
    """The order's timeline, deliveries, money panel (the order page's read model) and the
    latest messages between buyer and seller, for the admin deciding."""
    require_admin(admin)
    code = order_code if isinstance(order_code, str) else ""
    row = session.exec(
        select(Dispute, Order)
        .join(Order, col(Order.id) == Dispute.order_id)
        .where(Order.code == code[:20])
        .order_by(col(Dispute.id).desc())
    ).first()
    if row is None:
        raise NotFound(NOT_FOUND)
    dispute, order = row
    names = user_names(session, {order.buyer_id, order.seller_id})
    page = order_views.order_page(session, code=order.code, viewer=admin)
    conversation = session.exec(
        select(Conversation).where(
            Conversation.buyer_id == order.buyer_id, Conversation.seller_id == order.seller_id
        )
    ).first()
    messages = []
    if conversation is not None:
        latest = session.exec(
            select(Message)
            .where(Message.conversation_id == conversation.id)
            .order_by(col(Message.id).desc())
            .limit(20)
        ).all()
        messages = [
            {"sender": names.get(m.sender_id, "—"), "body": m.body, "at": m.created_at}
            for m in reversed(latest)
        ]
    return DisputeDetail(_dispute_row(dispute, order, names), page, messages)


def is_admin_step(action: Any) -> bool:
    """Is `action` an order transition only an admin takes (resolving a dispute)?"""
    try:
        t = process.transition(action) if isinstance(action, str) else None
    except KeyError:
        return False
    return t is not None and ActorRole.admin.value in t.actors


def act_on_order(
    *,
    admin: User | None,
    order_code: Any,
    action: Any,
    payload: Mapping[str, Any] | None = None,
    context: orders.Context | None = None,
) -> Order:
    """An admin's step on an order (a transition an admin takes, e.g. `resolve_split`), from
    whichever page: through the order executor (which validates the payload against the order,
    moves the money and notifies both parties), then the audit row, and the order's open
    flags are cleared. The payload's "message" is the admin's note (the audit row's reason)."""
    require_admin(admin)
    if not is_admin_step(action):
        raise DomainError("That is not an admin's step.")
    payload = dict(payload or {})
    note = clean_reason(payload.get("message", ""))
    payload["message"] = note
    code = order_code if isinstance(order_code, str) else ""
    with session_scope(context.engine if context else None) as session:
        order = session.exec(select(Order).where(Order.code == code[:20])).first()
        if order is None:
            raise NotFound("Order not found.")
        if admin.id in (order.buyer_id, order.seller_id):
            raise PermissionDenied("You are a party to this order; another admin must resolve it.")
        if action in RESOLUTIONS.values() and order.status != OrderStatus.disputed:
            raise DomainError("This order is not in dispute.")
    order = orders.perform(
        order_code=code,
        action=action,
        actor=admin,
        payload=payload,
        moderated=True,
        context=context,
    )
    with session_scope(context.engine if context else None) as session:
        data: dict[str, Any] = {"order_code": order.code, "step": action}
        if "refund_cents" in payload:
            data["refund_cents"] = payload["refund_cents"]
        audit(
            session,
            admin,
            target_type="order",
            target_id=order.id,
            action=AUDIT_NAMES.get(action, f"order_{action}"),
            reason=note,
            data=data,
        )
        for flag in session.exec(
            select(OrderFlag).where(
                OrderFlag.order_id == order.id, col(OrderFlag.cleared_at).is_(None)
            )
        ).all():
            flag.cleared_at = utcnow()
            session.add(flag)
    return order


def resolve_dispute(
    *,
    admin: User | None,
    order_code: Any,
    resolution: Any,
    refund_cents: Any = None,
    note: Any = "",
    context: orders.Context | None = None,
) -> Order:
    """Release, full refund or split (the dispute tab's buttons): `act_on_order` with the
    matching step."""
    require_admin(admin)
    if resolution not in RESOLUTIONS:
        raise DomainError("Choose release, refund or split.")
    payload: dict[str, Any] = {"message": note if isinstance(note, str) else ""}
    if resolution == "split":
        payload["refund_cents"] = refund_cents
    return act_on_order(
        admin=admin,
        order_code=order_code,
        action=RESOLUTIONS[resolution],
        payload=payload,
        context=context,
    )


def flagged_orders(session: Session, *, admin: User | None, page: Any = 1) -> Paged:
    """Open orders whose buyer or seller was suspended: an admin decides what happens."""
    require_admin(admin)
    condition = col(OrderFlag.cleared_at).is_(None)
    statement = (
        select(OrderFlag, Order)
        .join(Order, col(Order.id) == OrderFlag.order_id)
        .where(condition)
        .order_by(col(OrderFlag.created_at).desc())
    )
    rows, total, page, pages = paged(
        session, statement, select(func.count(OrderFlag.id)).where(condition), page_number(page)
    )
    return Paged(
        [
            {
                "id": f.id,
                "code": o.code,
                "title": o.title,
                "status": STATE_LABELS.get(o.status, o.status),
                "reason": f.reason,
                "at": f.created_at,
            }
            for f, o in rows
        ],
        total,
        page,
        pages,
    )


def clear_order_flag(session: Session, *, admin: User | None, flag_id: Any, note: Any = "") -> None:
    require_admin(admin)
    note = clean_reason(note)
    flag = session.get(OrderFlag, valid_id(flag_id))
    if flag is None or flag.cleared_at is not None:
        raise NotFound(NOT_FOUND)
    flag.cleared_at = utcnow()
    session.add(flag)
    audit(
        session,
        admin,
        target_type="order",
        target_id=flag.order_id,
        action="clear_order_flag",
        reason=note,
    )
