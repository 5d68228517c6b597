"""Reviews of completed orders: the buyer reviews the seller, the seller reviews the buyer.

Rules (docs/reviews.md):
* Either side may review once, while the window is open: from completion until
  `REVIEW_WINDOW_DAYS` later (open while now < completed_at + window).
* Double-blind: a review is published (public, counted in averages) when both sides have
  reviewed, or when the window closes (`publish_due`, run by the worker). Until then only its
  author sees it; neither side sees the other's.
* Publishing recomputes the gig's and the seller's aggregates in the same transaction and
  writes a search outbox row for the gig (services/reviews/aggregates.py).
* The seller may reply once, publicly, to a published review. Anyone signed in may report a
  review (a Report row for the moderation queue); hidden reviews leave the averages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, or_, select

from marketplace.db import utcnow
from marketplace.models import (
    BuyerReview,
    FreelancerProfile,
    Gig,
    Order,
    OrderStatus,
    Report,
    ReportStatus,
    ReportTarget,
    Review,
    User,
)
from marketplace.services.common.errors import DomainError, NotFound, PermissionDenied
from marketplace.services.common.guards import require_active_user
from marketplace.services.common.notifications import notify
from marketplace.services.reviews import aggregates
from marketplace.settings import Settings, get_settings

MAX_BODY = 1000
MAX_REPLY = 1000
MAX_REPORT_DETAILS = 1000
PAGE = 5
MAX_SHOWN = 100  # "see more" stops here; the list is never loaded whole
SORTS = ("relevant", "newest")
REPORT_REASONS = {
    "spam": "Spam or advertising",
    "offensive": "Offensive or abusive",
    "fake": "Not a genuine review",
    "private": "Shares private information",
    "other": "Something else",
}
RELEVANT_BODY_CHARS = 40  # "most relevant": reviews that say something come first


# --- the window ---------------------------------------------------------------------------


def window_closes_at(order: Order, settings: Settings | None = None) -> datetime | None:
    if order.completed_at is None:
        return None
    days = (settings or get_settings()).review_window_days
    return order.completed_at + timedelta(days=days)


def window_open(order: Order, now: datetime, settings: Settings | None = None) -> bool:
    closes = window_closes_at(order, settings)
    return order.status == OrderStatus.completed.value and closes is not None and now < closes


def _role(order: Order, actor: User) -> str:
    if actor.id == order.buyer_id:
        return "buyer"
    if actor.id == order.seller_id:
        return "seller"
    return ""


def _order_for_review(session: Session, order_code: Any, actor: User, now: datetime) -> Order:
    code = order_code.strip().upper()[:20] if isinstance(order_code, str) else ""
    order = session.exec(select(Order).where(Order.code == code).with_for_update()).first()
    if order is None or not _role(order, actor):
        raise NotFound("There is no such order.")
    if order.status != OrderStatus.completed.value:
        raise DomainError("You can review an order once it is completed.")
    if not window_open(order, now):
        raise DomainError("The review period for this order has ended.")
    return order


# --- validation -----------------------------------------------------------------------------


def _stars(value: Any, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise DomainError(f"Choose 1 to 5 stars for {label}.")
    try:
        stars = int(value)
    except ValueError:
        raise DomainError(f"Choose 1 to 5 stars for {label}.") from None
    if not 1 <= stars <= 5:
        raise DomainError(f"Choose 1 to 5 stars for {label}.")
    return stars


def _text(value: Any, limit: int, what: str, *, required: bool = False) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise DomainError(f"Write {what} first.")
    if len(text) > limit:
        raise DomainError(
            f"Keep {what} to {limit:,} characters (now {len(text):,}): "
            f"shorten it by {len(text) - limit:,}."
        )
    return text


# --- writing ----------------------------------------------------------------------------------


def submit_buyer_review(
    session: Session,
    *,
    actor: User | None,
    order_code: str,
    rating: Any,
    communication: Any,
    as_described: Any,
    recommend: Any,
    body: Any,
    now: datetime | None = None,
) -> Review:
    """The buyer's review of the seller; published at once if the seller has reviewed already."""
    actor = require_active_user(actor)
    now = now or utcnow()
    order = _order_for_review(session, order_code, actor, now)
    if order.buyer_id != actor.id:
        raise PermissionDenied("Only the buyer reviews the seller's work.")
    if session.exec(select(Review.id).where(Review.order_id == order.id)).first() is not None:
        raise DomainError("You have already reviewed this order.")
    if not isinstance(recommend, bool):
        raise DomainError("Say whether you would recommend this seller.")
    review = Review(
        order_id=order.id,
        gig_id=order.gig_id,
        seller_id=order.seller_id,
        buyer_id=order.buyer_id,
        rating=_stars(rating, "your overall rating"),
        communication=_stars(communication, "communication"),
        as_described=_stars(as_described, "service as described"),
        recommend=recommend,
        body=_text(body, MAX_BODY, "your review", required=True),
        created_at=now,
        reveal_at=window_closes_at(order),
    )
    session.add(review)
    session.flush()
    if not _publish_if_both_in(session, order, now):
        _tell_the_other_side(session, order, to_buyer=False, now=now)
    return review


def submit_seller_review(
    session: Session,
    *,
    actor: User | None,
    order_code: str,
    rating: Any,
    body: Any,
    now: datetime | None = None,
) -> BuyerReview:
    """The seller's review of the buyer; published at once if the buyer has reviewed already."""
    actor = require_active_user(actor)
    now = now or utcnow()
    order = _order_for_review(session, order_code, actor, now)
    if order.seller_id != actor.id:
        raise PermissionDenied("Only the seller reviews the buyer.")
    exists = session.exec(select(BuyerReview.id).where(BuyerReview.order_id == order.id)).first()
    if exists is not None:
        raise DomainError("You have already reviewed this buyer.")
    review = BuyerReview(
        order_id=order.id,
        seller_id=order.seller_id,
        buyer_id=order.buyer_id,
        rating=_stars(rating, "the buyer"),
        body=_text(body, MAX_BODY, "your review", required=True),
        created_at=now,
        reveal_at=window_closes_at(order),
    )
    session.add(review)
    session.flush()
    if not _publish_if_both_in(session, order, now):
        _tell_the_other_side(session, order, to_buyer=True, now=now)
    return review


def _tell_the_other_side(session: Session, order: Order, *, to_buyer: bool, now: datetime):
    """The other side learns that a review waits for theirs (it shows once they write it)."""
    notify(
        session,
        user_id=order.buyer_id if to_buyer else order.seller_id,
        kind="review.received",
        title=(
            f"The seller reviewed you · {order.code}"
            if to_buyer
            else f"Your buyer left a review · {order.code}"
        ),
        body="Leave your review to see it: both show once you have written yours.",
        link=f"/orders/{order.code}#review",
        at=now,
    )


def _publish_if_both_in(session: Session, order: Order, now: datetime) -> bool:
    buyer_side = session.exec(select(Review).where(Review.order_id == order.id)).first()
    seller_side = session.exec(select(BuyerReview).where(BuyerReview.order_id == order.id)).first()
    if buyer_side is None or seller_side is None:
        return False
    _publish(session, order, buyer_side, seller_side, now)
    return True


def _publish(
    session: Session,
    order: Order,
    buyer_side: Review | None,
    seller_side: BuyerReview | None,
    now: datetime,
) -> None:
    if seller_side is not None and seller_side.published_at is None:
        seller_side.published_at = now
        session.add(seller_side)
    if buyer_side is not None and buyer_side.published_at is None:
        buyer_side.published_at = now
        session.add(buyer_side)
        aggregates.refresh_for_order(session, gig_id=buyer_side.gig_id, seller_id=order.seller_id)


def publish_due(session: Session, *, now: datetime | None = None, limit: int = 500) -> int:
    """The worker's step: publish every review whose window has closed. Returns how many."""
    now = now or utcnow()
    due = session.exec(
        select(Review.order_id)
        .where(col(Review.published_at).is_(None), col(Review.reveal_at) <= now)
        .limit(limit)
    ).all()
    due_buyer = session.exec(
        select(BuyerReview.order_id)
        .where(col(BuyerReview.published_at).is_(None), col(BuyerReview.reveal_at) <= now)
        .limit(limit)
    ).all()
    order_ids = sorted(set(due) | set(due_buyer))
    for order_id in order_ids:
        order = session.get(Order, order_id)
        buyer_side = session.exec(select(Review).where(Review.order_id == order_id)).first()
        seller_side = session.exec(
            select(BuyerReview).where(BuyerReview.order_id == order_id)
        ).first()
        _publish(session, order, buyer_side, seller_side, now)
    return len(order_ids)


def reply(
    session: Session, *, actor: User | None, review_id: Any, text: Any, now: datetime | None = None
) -> Review:
    """The seller's one public reply to a published review of their work."""
    actor = require_active_user(actor)
    review = _review(session, review_id, lock=True)
    if review.seller_id != actor.id:
        raise PermissionDenied("Only the seller who was reviewed may reply.")
    if review.published_at is None or review.hidden:
        raise DomainError("You can reply once the review is public.")
    if review.seller_reply:
        raise DomainError("You have already replied to this review.")
    review.seller_reply = _text(text, MAX_REPLY, "your reply", required=True)
    review.replied_at = now or utcnow()
    session.add(review)
    return review


def report(
    session: Session,
    *,
    actor: User | None,
    review_id: Any,
    reason: Any,
    details: Any = "",
    now: datetime | None = None,
) -> Report:
    """Flag a public review for the moderators (one open report per person and review)."""
    actor = require_active_user(actor)
    review = _review(session, review_id)
    if review.published_at is None or review.hidden:
        raise NotFound("There is no such review.")
    if reason not in REPORT_REASONS:
        raise DomainError("Choose why you are reporting this review.")
    existing = session.exec(
        select(Report.id).where(
            Report.reporter_id == actor.id,
            Report.target_type == ReportTarget.review.value,
            Report.target_id == review.id,
            Report.status == ReportStatus.open.value,
        )
    ).first()
    if existing is not None:
        raise DomainError("You have already reported this review; our moderators will look.")
    row = Report(
        reporter_id=actor.id,
        target_type=ReportTarget.review.value,
        target_id=review.id,
        reason=reason,
        details=_text(details, MAX_REPORT_DETAILS, "the details"),
        created_at=now or utcnow(),
    )
    session.add(row)
    return row


def _review(session: Session, review_id: Any, *, lock: bool = False) -> Review:
    if isinstance(review_id, bool) or not isinstance(review_id, int) or review_id < 1:
        raise NotFound("There is no such review.")
    statement = select(Review).where(Review.id == review_id)
    review = session.exec(statement.with_for_update() if lock else statement).first()
    if review is None:
        raise NotFound("There is no such review.")
    return review


# --- reading: the order page ------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenReview:
    rating: int
    body: str
    created_at: datetime
    published: bool
    communication: int = 0
    as_described: int = 0
    recommend: bool | None = None
    seller_reply: str = ""


@dataclass(frozen=True)
class OrderReviews:
    """What the order page shows about reviews, for one viewer."""

    role: str  # buyer | seller | "" (an admin looking)
    can_review: bool  # the viewer may write their review now
    closes_at: datetime | None
    mine: WrittenReview | None  # the viewer's own review
    theirs: WrittenReview | None  # the other side's, only once published
    other_side_waiting: bool  # the other side reviewed; it shows when the viewer does too
    review_id: int | None  # the buyer's review's id (for the seller's reply)
    can_reply: bool


def _written_review(row: Review) -> WrittenReview:
    return WrittenReview(
        rating=row.rating,
        body=row.body,
        created_at=row.created_at,
        published=row.published_at is not None,
        communication=row.communication,
        as_described=row.as_described,
        recommend=row.recommend,
        seller_reply=row.seller_reply,
    )


def _written_buyer_review(row: BuyerReview) -> WrittenReview:
    return WrittenReview(
        rating=row.rating,
        body=row.body,
        created_at=row.created_at,
        published=row.published_at is not None,
    )


def order_reviews(
    session: Session, *, actor: User, order: Order, now: datetime | None = None
) -> OrderReviews:
    """The caller has already checked that the actor may see the order."""
    now = now or utcnow()
    role = _role(order, actor)
    buyer_side = session.exec(select(Review).where(Review.order_id == order.id)).first()
    seller_side = session.exec(select(BuyerReview).where(BuyerReview.order_id == order.id)).first()
    if role == "buyer":
        mine_row, theirs_row = buyer_side, seller_side
    elif role == "seller":
        mine_row, theirs_row = seller_side, buyer_side
    else:  # an admin sees what the public sees
        mine_row, theirs_row = None, None
    mine = (
        _written_review(mine_row)
        if isinstance(mine_row, Review)
        else _written_buyer_review(mine_row)
        if mine_row is not None
        else None
    )
    theirs = None
    if theirs_row is not None and theirs_row.published_at is not None:
        theirs = (
            _written_review(theirs_row)
            if isinstance(theirs_row, Review)
            else _written_buyer_review(theirs_row)
        )
    is_open = window_open(order, now)
    return OrderReviews(
        role=role,
        can_review=bool(role) and mine_row is None and is_open,
        closes_at=window_closes_at(order),
        mine=mine,
        theirs=theirs,
        other_side_waiting=theirs_row is not None and theirs_row.published_at is None,
        review_id=buyer_side.id if buyer_side is not None else None,
        can_reply=(
            role == "seller"
            and buyer_side is not None
            and buyer_side.published_at is not None
            and not buyer_side.hidden
            and not buyer_side.seller_reply
        ),
    )


# --- reading: gig page and profile ----------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    id: int
    buyer_name: str
    buyer_country: str  # ISO alpha-2 or ""
    rating: int
    body: str
    created_at: datetime
    package: str  # the package bought, as ordered
    gig_title: str
    seller_reply: str
    replied_at: datetime | None
    seller_id: int


@dataclass(frozen=True)
class ReviewSummary:
    average: float
    count: int
    histogram: list[tuple[int, int]]  # (stars, count), 5 down to 1
    communication: float
    as_described: float
    recommend_percent: int


@dataclass(frozen=True)
class ReviewPage:
    rows: list[ReviewRow]
    total: int  # matching the star filter
    has_more: bool


def _scope(*, gig_id: int | None, seller_id: int | None) -> tuple:
    if gig_id is not None:
        return (Review.gig_id == gig_id,)
    if seller_id is not None:
        return (Review.seller_id == seller_id,)
    raise ValueError("a gig or a seller")


def summary(
    session: Session, *, gig_id: int | None = None, seller_id: int | None = None
) -> ReviewSummary:
    """Average, count, the 5-to-1 histogram and the sub-rating averages (1 query: per star
    count, the sums of the sub-ratings and of "would recommend")."""
    scope = (*aggregates.PUBLIC_REVIEW, *_scope(gig_id=gig_id, seller_id=seller_id))
    rows = session.exec(
        select(
            Review.rating,
            func.count(Review.id),
            func.sum(Review.communication),
            func.sum(Review.as_described),
            func.sum(case((col(Review.recommend).is_(True), 1), else_=0)),
        )
        .where(*scope)
        .group_by(Review.rating)
    ).all()
    by_stars = {int(stars): int(n) for stars, n, *_ in rows}
    count = sum(by_stars.values())
    if not count:
        return ReviewSummary(0.0, 0, [(stars, 0) for stars in range(5, 0, -1)], 0.0, 0.0, 0)
    stars_total = sum(stars * n for stars, n in by_stars.items())
    communication = sum(int(row[2] or 0) for row in rows)
    described = sum(int(row[3] or 0) for row in rows)
    recommends = sum(int(row[4] or 0) for row in rows)
    return ReviewSummary(
        average=round(stars_total / count, 1),
        count=count,
        histogram=[(stars, by_stars.get(stars, 0)) for stars in range(5, 0, -1)],
        communication=round(communication / count, 1),
        as_described=round(described / count, 1),
        recommend_percent=round(100 * recommends / count),
    )


def review_page(
    session: Session,
    *,
    gig_id: int | None = None,
    seller_id: int | None = None,
    sort: Any = "relevant",
    stars: Any = 0,
    shown: Any = PAGE,
    total: int | None = None,
) -> ReviewPage:
    """The first `shown` public reviews, sorted and filtered (arguments come from the client).
    `total`: the matching count when the caller has just read it (the summary's count, with no
    star filter), which saves the count query."""
    sort = sort if sort in SORTS else "relevant"
    stars = stars if isinstance(stars, int) and not isinstance(stars, bool) else 0
    stars = stars if 1 <= stars <= 5 else 0
    shown = shown if isinstance(shown, int) and not isinstance(shown, bool) else PAGE
    shown = max(1, min(shown, MAX_SHOWN))
    conditions = [*aggregates.PUBLIC_REVIEW, *_scope(gig_id=gig_id, seller_id=seller_id)]
    if stars:
        conditions.append(Review.rating == stars)
    if total is None or stars:
        total = int(session.exec(select(func.count(Review.id)).where(*conditions)).one())
    if not total:
        return ReviewPage(rows=[], total=0, has_more=False)
    order_by = [col(Review.created_at).desc(), col(Review.id).desc()]
    if sort == "relevant":
        order_by.insert(0, (func.length(Review.body) >= RELEVANT_BODY_CHARS).desc())
    rows = session.exec(
        select(
            Review,
            User.display_name,
            # a seller's profile country wins; a plain buyer's own account country otherwise
            func.coalesce(func.nullif(FreelancerProfile.country, ""), User.country),
            Order.package_snapshot,
            Order.package_tier,
            Gig.title,
        )
        .join(User, col(User.id) == Review.buyer_id)
        .join(Order, col(Order.id) == Review.order_id)
        .outerjoin(Gig, col(Gig.id) == Review.gig_id)
        .outerjoin(FreelancerProfile, col(FreelancerProfile.user_id) == Review.buyer_id)
        .where(*conditions)
        .order_by(*order_by)
        .limit(shown)
    ).all()
    return ReviewPage(
        rows=[
            ReviewRow(
                id=review.id,
                buyer_name=name,
                buyer_country=country or "",
                rating=review.rating,
                body=review.body,
                created_at=review.created_at,
                package=_package_name(snapshot, tier),
                gig_title=title or "",
                seller_reply=review.seller_reply,
                replied_at=review.replied_at,
                seller_id=review.seller_id,
            )
            for review, name, country, snapshot, tier, title in rows
        ],
        total=total,
        has_more=total > len(rows) and len(rows) < MAX_SHOWN,
    )


def _package_name(snapshot: Any, tier: str) -> str:
    name = snapshot.get("name", "") if isinstance(snapshot, dict) else ""
    tier_name = (tier or "").capitalize()
    if name and tier_name and name.lower() != tier_name.lower():
        return f"{tier_name}: {name}"
    return name or tier_name


@dataclass(frozen=True)
class ReviewToWrite:
    """A completed order still waiting for the viewer's review: its code and what was bought."""

    code: str
    title: str


def reviews_to_write(
    session: Session, *, actor: User, now: datetime | None = None
) -> list[ReviewToWrite]:
    """The actor's completed orders still waiting for their review (newest first)."""
    now = now or utcnow()
    earliest = now - timedelta(days=get_settings().review_window_days)
    orders = session.exec(
        select(Order.code, Order.title, Order.buyer_id, Order.id)
        .where(
            Order.status == OrderStatus.completed.value,
            col(Order.completed_at) > earliest,
            or_(Order.buyer_id == actor.id, Order.seller_id == actor.id),
        )
        .order_by(col(Order.completed_at).desc())
        .limit(50)
    ).all()
    if not orders:
        return []
    ids = [order_id for *_, order_id in orders]
    by_buyer = set(session.exec(select(Review.order_id).where(col(Review.order_id).in_(ids))))
    by_seller = set(
        session.exec(select(BuyerReview.order_id).where(col(BuyerReview.order_id).in_(ids)))
    )
    return [
        ReviewToWrite(code, title)
        for code, title, buyer_id, order_id in orders
        if order_id not in (by_buyer if buyer_id == actor.id else by_seller)
    ]


def visible_order(session: Session, *, code: Any, viewer: User | None) -> Order:
    """The order for the review panel: its buyer, its seller or an admin (like the order page)."""
    from marketplace.services.orders.executor import role_of

    viewer = require_active_user(viewer)
    code = code.strip().upper()[:20] if isinstance(code, str) else ""
    order = session.exec(select(Order).where(Order.code == code)).first()
    if order is None or role_of(order, viewer) is None:
        raise NotFound("Order not found.")
    return order
