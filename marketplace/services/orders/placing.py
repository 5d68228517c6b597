"""Placing an order: the one definition of a new order's code and fields.

Checkout (a gig package with extras), a custom offer's checkout (messaging) and the demo seeder
(which bulk-inserts row dicts for speed) all build an order from these functions, so the three
write the same snapshot of what was bought and the same prices (`pricing.price`):

* `package_terms` / `offer_terms`: what is bought and what it costs, as Order columns;
* `order_row`: those plus who, when and the order code, as a new (pending_payment) order's row;
* `place_order`: the row and its "place" OrderEvent written in the caller's transaction.

`package_terms` takes a GigPackage and GigExtra rows or the seeder's dicts with the same keys.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session

from marketplace.models import ActorRole, Order, OrderEvent, OrderStatus
from marketplace.services.orders import pricing

# Order codes: "GW-" and 8 characters without the look-alikes 0/O and 1/I/L.
ORDER_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ORDER_CODE_LENGTH = 8
_SYSTEM_RANDOM = secrets.SystemRandom()


def order_code(rng: random.Random | None = None) -> str:
    """A new order code (not checked for uniqueness). The seeder passes its seeded `rng`;
    everything else draws from the system's secure source."""
    chooser = rng or _SYSTEM_RANDOM
    return "GW-" + "".join(chooser.choices(ORDER_CODE_ALPHABET, k=ORDER_CODE_LENGTH))


def _get(row: Any, name: str) -> Any:
    return row[name] if isinstance(row, Mapping) else getattr(row, name)


def _priced(p: pricing.Price) -> dict:
    return {
        "subtotal_cents": p.subtotal_cents,
        "service_fee_cents": p.service_fee_cents,
        "total_cents": p.total_cents,
        "commission_cents": p.commission_cents,
        "seller_earnings_cents": p.seller_earnings_cents,
        "delivery_days": p.delivery_days,
        "revisions_allowed": p.revisions,
    }


def package_price(
    package: Any,
    extras: Sequence[Any],
    *,
    quantity: int,
    buyer_fee_bps: int,
    seller_commission_bps: int,
) -> pricing.Price:
    """The price of a gig package with chosen extras, `quantity` times. Raises DomainError for
    an extra the package already includes (pricing.price)."""
    return pricing.price(
        package_price_cents=_get(package, "price_cents"),
        package_delivery_days=_get(package, "delivery_days"),
        package_revisions=_get(package, "revisions"),
        extras=[
            pricing.ExtraLine(
                _get(e, "price_cents"), _get(e, "extra_days"), _get(e, "kind"), _get(e, "title")
            )
            for e in extras
        ],
        quantity=quantity,
        buyer_fee_bps=buyer_fee_bps,
        seller_commission_bps=seller_commission_bps,
        package_features=list(_get(package, "features") or []),
    )


def package_terms(
    package: Any,
    extras: Sequence[Any],
    *,
    quantity: int,
    buyer_fee_bps: int,
    seller_commission_bps: int,
) -> dict:
    """A gig package with chosen extras, `quantity` times: the snapshot and the price columns."""
    price = package_price(
        package, extras, quantity=quantity, buyer_fee_bps=buyer_fee_bps,
        seller_commission_bps=seller_commission_bps,
    )  # fmt: skip
    features = list(_get(package, "features") or [])
    return {
        "package_tier": _get(package, "tier"),
        "package_snapshot": {
            "package_id": _get(package, "id"),
            "tier": _get(package, "tier"),
            "name": _get(package, "name"),
            "description": _get(package, "description"),
            "price_cents": _get(package, "price_cents"),
            "delivery_days": _get(package, "delivery_days"),
            "revisions": _get(package, "revisions"),
            "features": features,
        },
        "extras_snapshot": [
            {
                "extra_id": _get(e, "id"),
                "kind": _get(e, "kind"),
                "title": _get(e, "title"),
                "price_cents": _get(e, "price_cents"),
                "extra_days": _get(e, "extra_days"),
            }
            for e in extras
        ],
        "quantity": quantity,
        **_priced(price),
    }


def offer_price(offer: Any, *, buyer_fee_bps: int, seller_commission_bps: int) -> pricing.Price:
    return pricing.price(
        package_price_cents=_get(offer, "price_cents"),
        package_delivery_days=_get(offer, "delivery_days"),
        package_revisions=_get(offer, "revisions"),
        buyer_fee_bps=buyer_fee_bps,
        seller_commission_bps=seller_commission_bps,
    )


def offer_terms(offer: Any, *, buyer_fee_bps: int, seller_commission_bps: int) -> dict:
    """A custom offer (one unit, no extras): the snapshot and the price columns."""
    requirements = _get(offer, "requirements")
    price = offer_price(
        offer, buyer_fee_bps=buyer_fee_bps, seller_commission_bps=seller_commission_bps
    )
    return {
        "package_tier": "",
        "package_snapshot": {
            "offer_id": _get(offer, "id"),
            "tier": "custom",
            "name": "Custom offer",
            "description": _get(offer, "description"),
            "price_cents": _get(offer, "price_cents"),
            "delivery_days": _get(offer, "delivery_days"),
            "revisions": _get(offer, "revisions"),
            "features": [requirements] if requirements else [],
        },
        "extras_snapshot": [],
        "quantity": 1,
        **_priced(price),
    }


def order_row(
    *,
    terms: dict,
    code: str,
    gig_id: int | None,
    title: str,
    buyer_id: int,
    seller_id: int,
    currency: str,
    now: datetime,
    checkout_key: str | None = None,
    custom_offer_id: int | None = None,
) -> dict:
    """A new order's columns: placed now, waiting for payment."""
    return {
        "code": code,
        "gig_id": gig_id,
        "custom_offer_id": custom_offer_id,
        "buyer_id": buyer_id,
        "seller_id": seller_id,
        "status": OrderStatus.pending_payment.value,
        "title": title,
        "currency": currency,
        "checkout_key": checkout_key,
        "created_at": now,
        "updated_at": now,
        "state_entered_at": now,
        **terms,
    }


def place_order(session: Session, row: dict) -> Order:
    """Write the order and its "place" event (the buyer placed it) in the caller's transaction.
    The flush comes first, so a duplicate checkout key raises IntegrityError before the event."""
    order = Order(**row)
    session.add(order)
    session.flush()
    data: dict[str, Any] = {"total_cents": order.total_cents}
    if order.custom_offer_id is not None:
        data["custom_offer_id"] = order.custom_offer_id
    session.add(
        OrderEvent(
            order_id=order.id,
            at=order.created_at,
            actor_id=order.buyer_id,
            actor_role=ActorRole.buyer.value,
            transition="place",
            to_status=OrderStatus.pending_payment,
            data=data,
        )
    )
    return order
