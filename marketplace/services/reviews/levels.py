"""Seller levels (New, Level 1, Level 2, Top Rated) computed from the seller's metrics.

Metrics (docs/levels.md). Lifetime, as Fiverr counts them: account age (days since the seller
profile was created), completed orders, unique clients among them, earnings (what the seller was
owed for them, in cents). Over the last `LEVEL_WINDOW_DAYS`: rating (average of the published,
visible reviews written in the window), on-time delivery (share of the window's delivered orders
that were delivered by their due time), response rate (share of buyers' first messages answered;
only when measurable), and moderation warnings (any warning keeps a seller at New).

A level is reached when every threshold of it AND of every level below it is met; a metric that
cannot be measured (no deliveries, no reviews) counts as 0, except the response rate, which is
skipped until it can be measured.

`evaluate_seller` applies the result. A seller who qualifies higher goes up at once. A seller
found below their level's requirements gets a grace period (`LEVEL_GRACE_DAYS`, a notification
says what is missing and when the level would fall); if they still miss them when it is over,
the level falls ONE step, and a new grace period starts if they miss that level's too. Meeting
the requirements again at any evaluation ends the grace period. A moderation warning is not a
missed target: it sets the level to New at the next evaluation. A change notifies the seller,
queues a search update for all their active gigs (the documents carry the level) and thereby
changes how many gigs they may keep active (ACTIVE_GIG_LIMITS). Gigs already active stay
active after a demotion (nothing is paused); the notification and /my/level say so, and that
publishing or resuming another waits until they are under the new limit.

Schedule: the worker evaluates sellers whose last evaluation is older than EVALUATE_EVERY, and
sellers with a completed order since their last evaluation. Sellers never evaluated and
without new activity keep the level they started with (the demo seed's levels survive until
the seller does something, or until `python -m marketplace evaluate-levels` runs for everyone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from marketplace.db import session_scope, utcnow
from marketplace.labels import seller_level_label
from marketplace.models import (
    FreelancerProfile,
    Gig,
    ModerationAction,
    Order,
    OrderStatus,
    Review,
    SellerLevel,
    User,
)
from marketplace.services.common.errors import PermissionDenied
from marketplace.services.common.guards import require_active_user
from marketplace.services.common.notifications import notify
from marketplace.services.gigs import actions as gigs
from marketplace.services.messaging import response_times
from marketplace.services.reviews.aggregates import PUBLIC_REVIEW
from marketplace.settings import LEVEL_METRICS, Settings, get_settings

LEVELS = (SellerLevel.new, SellerLevel.level_1, SellerLevel.level_2, SellerLevel.top_rated)
RANKED = tuple(level.value for level in LEVELS[1:])  # levels with thresholds, lowest first
EVALUATE_EVERY = timedelta(days=1)
ACTIVITY_LOOKBACK = timedelta(days=7)  # how far back the scheduler looks for new activity
WARNING_ACTIONS = ("warn", "warning", "warn_user")
METRIC_LABELS = {
    "age_days": "Days as a seller",
    "orders": "Completed orders",
    "clients": "Unique clients",
    "earnings": "Earnings",
    "rating": "Rating",
    "on_time": "On-time delivery",
    "response": "Response rate",
}


@dataclass(frozen=True)
class SellerMetrics:
    age_days: int
    orders: int
    clients: int
    earnings_cents: int
    rating: float | None  # None: no reviews in the window
    on_time: float | None  # percent; None: no deliveries in the window
    response: float | None  # percent; None: not measurable yet
    warnings: int

    def value(self, metric: str) -> float | None:
        if metric == "earnings":
            return self.earnings_cents / 100
        return getattr(self, metric)


def meets(metrics: SellerMetrics, metric: str, threshold: float) -> bool:
    value = metrics.value(metric)
    if value is None:
        return metric == "response"  # not measurable: not held against the seller
    return value >= threshold


def qualifying_level(metrics: SellerMetrics, thresholds: dict[str, dict[str, float]]) -> str:
    """The highest level whose thresholds, and those of every level below, are all met."""
    if metrics.warnings:
        return SellerLevel.new.value
    reached = SellerLevel.new.value
    for level in RANKED:
        wanted = thresholds.get(level, {})
        if not all(meets(metrics, metric, value) for metric, value in wanted.items()):
            break
        reached = level
    return reached


def measure(
    session: Session, *, seller_id: int, now: datetime, settings: Settings | None = None
) -> SellerMetrics:
    settings = settings or get_settings()
    since = now - timedelta(days=settings.level_window_days)
    profile = session.exec(
        select(FreelancerProfile).where(FreelancerProfile.user_id == seller_id)
    ).one()
    completed = (  # lifetime, as Fiverr counts orders, clients and earnings
        Order.seller_id == seller_id,
        Order.status == OrderStatus.completed.value,
        col(Order.completed_at) <= now,
    )
    orders, clients, earnings = session.exec(
        select(
            func.count(Order.id),
            func.count(func.distinct(Order.buyer_id)),
            func.coalesce(func.sum(Order.seller_earnings_cents), 0),
        ).where(*completed)
    ).one()
    rating, rated = session.exec(
        select(func.avg(Review.rating), func.count(Review.id)).where(
            Review.seller_id == seller_id,
            *PUBLIC_REVIEW,
            col(Review.created_at) >= since,
        )
    ).one()
    delivered, on_time = session.exec(
        select(
            func.count(Order.id),
            func.sum(case((col(Order.delivered_at) <= col(Order.due_at), 1), else_=0)),
        ).where(
            Order.seller_id == seller_id,
            col(Order.delivered_at).is_not(None),
            col(Order.due_at).is_not(None),
            col(Order.delivered_at) >= since,
            col(Order.delivered_at) <= now,
        )
    ).one()
    warnings = session.exec(
        select(func.count(ModerationAction.id)).where(
            ModerationAction.target_type == "user",
            ModerationAction.target_id == seller_id,
            col(ModerationAction.action).in_(WARNING_ACTIONS),
            col(ModerationAction.created_at) >= since,
        )
    ).one()
    return SellerMetrics(
        age_days=max(0, (now - profile.created_at).days),
        orders=int(orders),
        clients=int(clients),
        earnings_cents=int(earnings or 0),
        rating=round(float(rating), 2) if rated else None,
        on_time=round(100 * int(on_time or 0) / int(delivered), 1) if delivered else None,
        response=response_times.response_rate(session, seller_id=seller_id),
        warnings=int(warnings),
    )


@dataclass(frozen=True)
class LevelChange:
    seller_id: int
    old: str
    new: str


def _rank(level: str) -> int:
    return LEVELS.index(SellerLevel(level))


def one_step_below(level: str) -> str:
    return LEVELS[max(0, _rank(level) - 1)].value


def missed_metrics(
    metrics: SellerMetrics, thresholds: dict[str, dict[str, float]], level: str
) -> list[str]:
    """The labels of `level`'s requirements (its own and those of the levels below) not met."""
    missed: list[str] = []
    for ranked in RANKED[: RANKED.index(level) + 1] if level in RANKED else ():
        for metric, value in thresholds.get(ranked, {}).items():
            label = METRIC_LABELS[metric]
            if not meets(metrics, metric, value) and label not in missed:
                missed.append(label)
    return missed


def active_gig_count(session: Session, *, seller_id: int) -> int:
    """Gigs that count against the level's limit (active, and waiting for review)."""
    return int(
        session.exec(
            select(func.count(Gig.id)).where(
                Gig.seller_id == seller_id, col(Gig.status).in_(gigs.COUNTED_STATUSES)
            )
        ).one()
    )


def gig_limit_sentence(*, level: str, limit: int, active: int) -> str:
    """What a level's active-gig limit means for a seller who has `active` gigs counted."""
    label = seller_level_label(level)
    if active <= limit:
        return f"As {label} you can keep up to {limit} gigs active."
    return (
        f"As {label} you can keep up to {limit} gigs active and you have {active}: they all "
        f"stay live and nothing is paused, but you can publish or resume another gig only "
        f"once fewer than {limit} are active."
    )


def _day(moment: datetime) -> str:
    return f"{moment:%B} {moment.day}, {moment:%Y}"


def evaluate_seller(
    session: Session,
    *,
    seller_id: int,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> LevelChange | None:
    """Evaluate the seller and store the outcome (in the caller's transaction): up at once to
    the level they qualify for; below their level, a grace period first and then one step down
    (see the module docstring). Returns the level change, if any."""
    settings = settings or get_settings()
    now = now or utcnow()
    profile = session.exec(
        select(FreelancerProfile).where(FreelancerProfile.user_id == seller_id).with_for_update()
    ).first()
    if profile is None:
        return None
    metrics = measure(session, seller_id=seller_id, now=now, settings=settings)
    qualified = qualifying_level(metrics, settings.level_thresholds)
    old = profile.level
    profile.level_evaluated_at = now
    session.add(profile)
    grace = timedelta(days=settings.level_grace_days)
    if _rank(qualified) >= _rank(old):
        profile.level_grace_since = None  # on track (again)
        if qualified == old:
            return None
        new = qualified
    elif metrics.warnings:
        profile.level_grace_since = None  # a moderator's warning is not a missed target
        new = qualified
    elif profile.level_grace_since is None or now - profile.level_grace_since < grace:
        if profile.level_grace_since is None:
            profile.level_grace_since = now
            _notify_at_risk(session, profile, metrics, settings, now=now)
        return None
    else:
        new = one_step_below(old)
        # Still short of the new level too: its own grace period starts now.
        profile.level_grace_since = now if _rank(qualified) < _rank(new) else None
    profile.level = new
    _notify_change(session, profile, old=old, now=now, settings=settings)
    gigs.queue_seller_gigs(session, seller_id=seller_id)
    return LevelChange(seller_id=seller_id, old=old, new=new)


def _notify_at_risk(
    session: Session,
    profile: FreelancerProfile,
    metrics: SellerMetrics,
    settings: Settings,
    *,
    now: datetime,
) -> None:
    level, lower = profile.level, one_step_below(profile.level)
    missed = ", ".join(missed_metrics(metrics, settings.level_thresholds, level)).lower()
    until = now + timedelta(days=settings.level_grace_days)
    limit = settings.active_gig_limits.get(lower, 0)
    active = active_gig_count(session, seller_id=profile.user_id)
    notify(
        session,
        user_id=profile.user_id,
        kind="level.at_risk",
        title=f"Your {seller_level_label(level)} level is at risk",
        body=(
            f"At this evaluation you were below {seller_level_label(level)}'s "
            f"requirements ({missed}). Meet them again by {_day(until)} to keep your level; "
            f"otherwise you move to {seller_level_label(lower)}. "
            + gig_limit_sentence(level=lower, limit=limit, active=active)
        ),
        link="/my/level",
        at=now,
    )


def _notify_change(
    session: Session, profile: FreelancerProfile, *, old: str, now: datetime, settings: Settings
) -> None:
    level = profile.level
    up = _rank(level) > _rank(old)
    limit = settings.active_gig_limits.get(level, 0)
    active = active_gig_count(session, seller_id=profile.user_id)
    body = (
        f"Your level changed from {seller_level_label(old)} to {seller_level_label(level)}. "
        + gig_limit_sentence(level=level, limit=limit, active=active)
    )
    if not up and profile.level_grace_since is not None:
        until = profile.level_grace_since + timedelta(days=settings.level_grace_days)
        body += (
            f" You are below {seller_level_label(level)}'s requirements too: meet them by "
            f"{_day(until)} to keep it."
        )
    notify(
        session,
        user_id=profile.user_id,
        kind="level.up" if up else "level.down",
        title=(
            f"You are now {seller_level_label(level)}"
            if up
            else f"Your seller level is now {seller_level_label(level)}"
        ),
        body=body,
        link="/my/level",
        at=now,
    )


def due_seller_ids(session: Session, *, now: datetime, limit: int = 500) -> list[int]:
    """Sellers the schedule should evaluate now (see the module docstring)."""
    stale = now - EVALUATE_EVERY
    last = func.coalesce(
        col(FreelancerProfile.level_evaluated_at), col(FreelancerProfile.created_at)
    )
    active = select(Order.seller_id).where(
        Order.status == OrderStatus.completed.value,
        col(Order.completed_at) >= now - ACTIVITY_LOOKBACK,
        Order.seller_id == FreelancerProfile.user_id,
        or_(
            col(FreelancerProfile.level_evaluated_at).is_(None),
            col(Order.completed_at) > col(FreelancerProfile.level_evaluated_at),
        ),
    )
    rows = session.exec(
        select(FreelancerProfile.user_id)
        .where(
            or_(
                col(FreelancerProfile.level_evaluated_at) <= stale,
                active.exists(),
            )
        )
        .order_by(last)
        .limit(limit)
    ).all()
    return list(rows)


def evaluate_due(
    *, engine: Engine | None = None, now: datetime | None = None, everyone: bool = False
) -> list[LevelChange]:
    """The worker's (and the CLI's) pass: one short transaction per seller."""
    now = now or utcnow()
    changes: list[LevelChange] = []
    if everyone:
        with session_scope(engine) as session:
            seller_ids = list(session.exec(select(FreelancerProfile.user_id)).all())
    else:
        with session_scope(engine) as session:
            seller_ids = due_seller_ids(session, now=now)
    for seller_id in seller_ids:
        with session_scope(engine) as session:
            change = evaluate_seller(session, seller_id=seller_id, now=now)
        if change:
            changes.append(change)
    return changes


# --- the seller's dashboard ----------------------------------------------------------------


@dataclass(frozen=True)
class MetricProgress:
    metric: str
    label: str
    value: float | None
    target: float
    percent: int  # 0-100, for the progress bar
    met: bool


@dataclass(frozen=True)
class LevelProgress:
    level: str
    next_level: str  # "" at the top
    metrics: list[MetricProgress]
    warnings: int
    window_days: int
    active_gig_limit: int
    next_gig_limit: int
    evaluated_at: datetime | None
    active_gigs: int  # counted against the limit (active and waiting for review)
    gig_limit_note: str  # what the limit means for them, plainly (gig_limit_sentence)
    # Below the current level's requirements: until when it is kept, the level after, and what
    # is missing. grace_until is None when on track.
    grace_until: datetime | None
    falls_to: str
    missed: list[str]


def progress(session: Session, *, actor: User | None, now: datetime | None = None) -> LevelProgress:
    """The actor's metrics against the next level's thresholds."""
    actor = require_active_user(actor)
    settings = get_settings()
    now = now or utcnow()
    profile = session.exec(
        select(FreelancerProfile).where(FreelancerProfile.user_id == actor.id)
    ).first()
    if profile is None:
        raise PermissionDenied("Become a seller first: set up your seller profile.")
    metrics = measure(session, seller_id=actor.id, now=now, settings=settings)
    index = LEVELS.index(SellerLevel(profile.level))
    next_level = LEVELS[index + 1].value if index + 1 < len(LEVELS) else ""
    target_level = next_level or profile.level
    wanted = settings.level_thresholds.get(target_level, {})
    rows = []
    for metric in LEVEL_METRICS:
        if metric not in wanted:
            continue
        target = wanted[metric]
        value = metrics.value(metric)
        if metric == "response" and value is None:
            continue  # not measurable: not shown
        ratio = 1.0 if target <= 0 else (value or 0) / target
        rows.append(
            MetricProgress(
                metric=metric,
                label=METRIC_LABELS[metric],
                value=value,
                target=target,
                percent=max(0, min(100, round(100 * ratio))),
                met=meets(metrics, metric, target),
            )
        )
    limit = settings.active_gig_limits.get(profile.level, 0)
    active = active_gig_count(session, seller_id=actor.id)
    at_risk = profile.level_grace_since is not None and profile.level != SellerLevel.new
    return LevelProgress(
        level=profile.level,
        next_level=next_level,
        metrics=rows,
        warnings=metrics.warnings,
        window_days=settings.level_window_days,
        active_gig_limit=limit,
        next_gig_limit=settings.active_gig_limits.get(next_level, 0) if next_level else 0,
        evaluated_at=profile.level_evaluated_at,
        active_gigs=active,
        gig_limit_note=gig_limit_sentence(level=profile.level, limit=limit, active=active),
        grace_until=(
            profile.level_grace_since + timedelta(days=settings.level_grace_days)
            if at_risk
            else None
        ),
        falls_to=one_step_below(profile.level) if at_risk else "",
        missed=(
            missed_metrics(metrics, settings.level_thresholds, profile.level) if at_risk else []
        ),
    )
