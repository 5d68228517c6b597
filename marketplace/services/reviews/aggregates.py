"""Rating and order aggregates on gigs and seller profiles, recomputed from the rows.

Aggregates are recomputed (not incremented) from published, visible reviews and completed
orders, in the caller's transaction, so they never drift and a hidden review simply leaves them.
Each change also writes a search outbox row for the gig(s) whose document shows the numbers.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from marketplace.models import (
    FreelancerProfile,
    Gig,
    GigStatus,
    Order,
    OrderStatus,
    OutboxOp,
    Review,
    SearchOutbox,
)

PUBLIC_REVIEW = (col(Review.published_at).is_not(None), col(Review.hidden).is_(False))


def _rating(session: Session, *condition) -> tuple[float, int]:
    average, count = session.exec(
        select(func.avg(Review.rating), func.count(Review.id)).where(*PUBLIC_REVIEW, *condition)
    ).one()
    return (round(float(average), 2) if count else 0.0), int(count)


def _completed(session: Session, *condition) -> int:
    return int(
        session.exec(
            select(func.count(Order.id)).where(
                Order.status == OrderStatus.completed.value, *condition
            )
        ).one()
    )


def refresh_gig(session: Session, *, gig_id: int) -> None:
    """Recompute one gig's rating average/count and orders completed; queue its document."""
    gig = session.exec(select(Gig).where(Gig.id == gig_id).with_for_update()).first()
    if gig is None:
        return
    gig.rating_avg, gig.rating_count = _rating(session, Review.gig_id == gig_id)
    gig.orders_completed = _completed(session, Order.gig_id == gig_id)
    session.add(gig)
    if gig.status == GigStatus.active.value:
        session.add(SearchOutbox(gig_id=gig_id, op=OutboxOp.upsert.value))


def refresh_seller(session: Session, *, seller_id: int) -> None:
    """Recompute the seller profile's rating average/count and orders completed."""
    profile = session.exec(
        select(FreelancerProfile).where(FreelancerProfile.user_id == seller_id).with_for_update()
    ).first()
    if profile is None:
        return
    profile.rating_avg, profile.rating_count = _rating(session, Review.seller_id == seller_id)
    profile.orders_completed = _completed(session, Order.seller_id == seller_id)
    session.add(profile)


def refresh_for_order(session: Session, *, gig_id: int | None, seller_id: int) -> None:
    """What a completed order or a (un)published / (un)hidden review changes."""
    session.flush()
    if gig_id is not None:
        refresh_gig(session, gig_id=gig_id)
    refresh_seller(session, seller_id=seller_id)


def refresh_for_review(session: Session, *, review_id: int) -> None:
    """For moderation: call after hiding or restoring a review, in the same transaction."""
    review = session.get(Review, review_id)
    if review is not None:
        refresh_for_order(session, gig_id=review.gig_id, seller_id=review.seller_id)
