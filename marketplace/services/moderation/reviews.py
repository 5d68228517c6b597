"""Moderating reviews: every review (all, visible or hidden, text search) and hiding or
restoring one with a reason (`Review.hidden`; hidden reviews leave the averages at once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from marketplace.models import Gig, Review, User
from marketplace.services.common.errors import DomainError, NotFound
from marketplace.services.moderation.common import (
    NOT_FOUND,
    Paged,
    audit,
    choice,
    clean_reason,
    like,
    page_number,
    paged,
    query_text,
    require_admin,
    valid_id,
)
from marketplace.services.reviews import aggregates

REVIEW_FILTERS = ("all", "visible", "hidden")


@dataclass(frozen=True)
class ReviewRow:
    id: int
    gig_title: str
    buyer_name: str
    seller_name: str
    rating: int
    body: str
    hidden: bool
    created_at: datetime


def list_reviews(
    session: Session, *, admin: User | None, shown: Any = "all", query: Any = "", page: Any = 1
) -> Paged:
    require_admin(admin)
    shown = choice(shown, REVIEW_FILTERS, "all")
    words = query_text(query)
    conditions = []
    if shown != "all":
        conditions.append(col(Review.hidden).is_(shown == "hidden"))
    if words:
        conditions.append(func.lower(Review.body).like(like(words), escape="\\"))
    statement = (
        select(Review, User, Gig.title)
        .join(User, col(User.id) == Review.buyer_id)
        .join(Gig, col(Gig.id) == Review.gig_id, isouter=True)
        .where(*conditions)
        .order_by(col(Review.created_at).desc(), col(Review.id).desc())
    )
    rows, total, page, pages = paged(
        session, statement, select(func.count(Review.id)).where(*conditions), page_number(page)
    )
    seller_names = dict(
        session.exec(
            select(User.id, User.display_name).where(
                col(User.id).in_([r.seller_id for r, _, _ in rows] or [0])
            )
        ).all()
    )
    return Paged(
        [
            ReviewRow(
                id=r.id,
                gig_title=title or "—",
                buyer_name=buyer.display_name,
                seller_name=seller_names.get(r.seller_id, "—"),
                rating=r.rating,
                body=r.body,
                hidden=r.hidden,
                created_at=r.created_at,
            )
            for r, buyer, title in rows
        ],
        total,
        page,
        pages,
    )


def set_review_hidden(
    session: Session, *, admin: User | None, review_id: Any, hidden: Any, reason: Any
) -> Review:
    """Hide a review from the gig and profile pages, or restore it; with a reason."""
    require_admin(admin)
    reason = clean_reason(reason, required="Give a reason (it goes to the audit log).")
    if not isinstance(hidden, bool):
        raise DomainError("Choose hide or restore.")
    review = session.get(Review, valid_id(review_id))
    if review is None:
        raise NotFound(NOT_FOUND)
    if review.hidden == hidden:
        raise DomainError("This review is already " + ("hidden." if hidden else "visible."))
    review.hidden = hidden
    session.add(review)
    session.flush()
    # Hidden reviews leave the averages (and the search documents) in this same transaction.
    aggregates.refresh_for_review(session, review_id=review.id)
    audit(
        session,
        admin,
        target_type="review",
        target_id=review.id,
        action="hide_review" if hidden else "restore_review",
        reason=reason,
    )
    return review
