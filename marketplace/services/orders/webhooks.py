"""Stripe webhook events: verify, deduplicate by event id, reconcile the order they concern.

An event is only a hint that something changed: it may arrive twice or out of order, so the
handler never applies the event's own copy of the object; it finds the order (PaymentIntent
metadata or transfer group) and reconciles it against what Stripe says now.
"""

from __future__ import annotations

import stripe
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from marketplace.db import utcnow
from marketplace.models import Order, StripeEvent
from marketplace.services.orders import executor as orders
from marketplace.services.orders import reconcile


class BadSignature(Exception):
    """The payload was not signed with our webhook secret."""


def _order_code(obj: dict) -> str | None:
    metadata = obj.get("metadata") or {}
    if metadata.get("order_code"):
        return metadata["order_code"]
    if obj.get("transfer_group"):
        return obj["transfer_group"]
    return None


def handle(payload: bytes, signature: str, *, context: orders.Context | None = None) -> str:
    """Returns "duplicate", "ignored" or "reconciled"."""
    ctx = context or orders.default_context()
    try:
        event = stripe.Webhook.construct_event(
            payload, signature, ctx.settings.stripe_webhook_secret
        )
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise BadSignature(str(exc)) from exc
    data = event.to_dict()
    obj = (data.get("data") or {}).get("object") or {}
    with Session(ctx.engine) as session:
        session.add(
            StripeEvent(id=data["id"], type=data.get("type", ""), payload={"object": obj.get("id")})
        )
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            done = session.get(StripeEvent, data["id"])
            if done is not None and done.processed_at is not None:
                return "duplicate"
    code = _order_code(obj)
    if code is None and obj.get("payment_intent"):
        with Session(ctx.engine) as session:
            code = session.exec(
                select(Order.code).where(Order.payment_intent_id == obj["payment_intent"])
            ).first()
    outcome = "ignored"
    if code:
        with Session(ctx.engine) as session:
            known = session.exec(select(Order.id).where(Order.code == code)).first()
        if known:
            reconcile.reconcile_order(code, context=ctx)
            outcome = "reconciled"
    with Session(ctx.engine) as session:
        row = session.get(StripeEvent, data["id"])
        if row is not None:
            row.processed_at = utcnow()
            session.add(row)
            session.commit()
    return outcome
