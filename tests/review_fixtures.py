"""A completed order straight in the database (no Stripe), for the review and level rules."""

import itertools
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from marketplace.models import Gig, Order, OrderStatus, User

_codes = itertools.count(1)
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def completed_order(
    session: Session,
    *,
    buyer: User,
    seller: User,
    gig: Gig | None,
    completed_at: datetime = NOW,
    subtotal_cents: int = 10_000,
    late: bool = False,
    status: str = OrderStatus.completed.value,
) -> Order:
    due = completed_at - timedelta(days=1)
    order = Order(
        code=f"GW-T{next(_codes):05d}",
        gig_id=gig.id if gig else None,
        buyer_id=buyer.id,
        seller_id=seller.id,
        status=status,
        title=gig.title if gig else "A custom order",
        package_tier="standard",
        package_snapshot={"name": "Brand kit"},
        subtotal_cents=subtotal_cents,
        service_fee_cents=550,
        total_cents=subtotal_cents + 550,
        commission_cents=subtotal_cents // 5,
        seller_earnings_cents=subtotal_cents - subtotal_cents // 5,
        delivery_days=3,
        created_at=completed_at - timedelta(days=5),
        started_at=completed_at - timedelta(days=4),
        due_at=due,
        delivered_at=due + timedelta(hours=2) if late else due - timedelta(hours=2),
        completed_at=completed_at if status == OrderStatus.completed.value else None,
    )
    session.add(order)
    session.flush()
    return order
