"""Moderation: what admins do to gigs, users, reports, reviews and disputes, and the audit log.

Every action checks the admin role first (`require_admin`), does its effect, writes one
append-only ModerationAction row (who, when, what, why) and tells the people concerned with a
Notification, all in the caller's transaction (session_scope commits). Dispute resolutions go
through the order executor (services/orders/executor.py), which commits on its own and never holds a
transaction across its Stripe call; their audit row is written right after, in a second one.
Every list is paged and filtered in SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from marketplace.db import session_scope, utcnow
from marketplace.labels import GIG_STATUS_PHRASES, revisions_count
from marketplace.models import (
    Conversation,
    Dispute,
    DisputeStatus,
    FreelancerProfile,
    Gig,
    GigMedia,
    GigStatus,
    Message,
    ModerationAction,
    Notification,
    Order,
    OrderStatus,
    OutboxOp,
    Report,
    ReportStatus,
    ReportTarget,
    Review,
    SearchOutbox,
    User,
    UserStatus,
)
from marketplace.models.moderation import GigApproval, OrderFlag, ReportOutcome
from marketplace.services.accounts import members as accounts
from marketplace.services.common.errors import DomainError, NotFound, PermissionDenied
from marketplace.services.common.guards import require_active_user
from marketplace.services.gigs import actions as gigs
from marketplace.services.gigs import rules as gig_rules
from marketplace.services.moderation import gig_review_queue
from marketplace.services.orders import executor as orders
from marketplace.services.orders import views as order_views
from marketplace.services.orders.process import STATE_LABELS
from marketplace.services.reviews import aggregates

PAGE_SIZE = 20
MAX_PAGE = 10_000
REASON_MAX = 1000
QUERY_MAX = 100
BULK_MAX = 50
NOT_FOUND = "Not found."
ACCOUNT_SUSPENDED_NOTE = "The seller's account is suspended."

OPEN_ORDER_STATUSES = gigs.OPEN_ORDER_STATUSES
GIG_QUEUES = ("pending", "edited", "active", "suspended", "rejected")
USER_STATUSES = ("", "active", "suspended", "banned", "admin")
REPORT_STATUSES = ("open", "resolved", "dismissed", "")
REPORT_TARGETS = ("", *(t.value for t in ReportTarget))
DISPUTE_STATUSES = ("open", "resolved")
REVIEW_FILTERS = ("all", "visible", "hidden")
RESOLUTIONS = {"release": "resolve_release", "refund": "resolve_refund", "split": "resolve_split"}


# -- shapes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paged:
    rows: list
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class GigRow:
    id: int
    slug: str
    title: str
    seller_id: int
    seller_name: str
    status: str
    status_reason: str
    price_from_cents: int
    cover: str  # stored image name or ""
    description: str
    tags: list[str]
    updated_at: datetime
    changes: list[dict] = field(default_factory=list)  # {"field", "label", "before", "after"}


@dataclass(frozen=True)
class UserRow:
    id: int
    display_name: str
    username: str
    email: str
    status: str
    is_admin: bool
    is_seller: bool
    created_at: datetime


@dataclass(frozen=True)
class UserDetail:
    user: UserRow
    headline: str
    country: str
    level: str
    last_login_at: datetime | None
    gigs: list[dict]  # {"id", "title", "slug", "status"}
    orders: list[dict]  # {"code", "title", "status", "role", "total_cents", "flagged"}
    reports_against: list[dict]  # {"id", "reason", "status", "created_at"}
    actions: list[dict]  # {"action", "reason", "admin", "at"}
    open_orders: int


@dataclass(frozen=True)
class ReportRow:
    id: int
    target_type: str
    target_id: int
    reason: str
    details: str
    status: str
    outcome: str
    reporter_name: str
    created_at: datetime
    target_title: str
    target_link: str


@dataclass(frozen=True)
class ReportDetail:
    report: ReportRow
    context: list[dict]  # {"label", "text"}: the reported thing, as text
    actions: list[str]  # what an admin can do to it: hide | suspend | warn


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


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    admin_name: str
    action: str
    target_type: str
    target_id: int
    reason: str


# -- shared checks and writes -------------------------------------------------------------


def require_admin(actor: User | None) -> User:
    """An active admin, or PermissionDenied (the pages show non-admins "not found")."""
    require_active_user(actor)
    if not actor.is_admin:
        raise PermissionDenied("Only admins can do that.")
    return actor


def _id(value: Any) -> int:
    found = gigs.valid_id(value)
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


def _page(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return 1
    return min(max(value, 1), MAX_PAGE)


def _choice(value: Any, allowed: Sequence[str], default: str) -> str:
    return value if isinstance(value, str) and value in allowed else default


def _query(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())[:QUERY_MAX]


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def clean_reason(value: Any, *, required: str = "") -> str:
    """A moderator's reason as plain text, or DomainError with a message to show."""
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if required and not text:
        raise DomainError(required)
    if len(text) > REASON_MAX or gig_rules.has_unsafe_chars(text):
        raise DomainError(f"Keep the reason under {REASON_MAX:,} characters of plain text.")
    return text


def audit(
    session: Session,
    admin: User,
    *,
    target_type: str,
    target_id: int,
    action: str,
    reason: str = "",
    data: dict | None = None,
) -> ModerationAction:
    row = ModerationAction(
        admin_id=admin.id,
        target_type=target_type,
        target_id=target_id,
        action=action,
        reason=reason,
        data=data or {},
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def notify(session: Session, *, user_id: int, kind: str, title: str, body: str = "", link=""):
    session.add(
        Notification(
            user_id=user_id,
            kind=kind,
            title=title[:200],
            body=body[:1000],
            link=link[:255],
            created_at=utcnow(),
        )
    )


def _paged(session: Session, statement, count_statement, page: int) -> tuple[list, int, int, int]:
    total = int(session.exec(count_statement).one())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    rows = list(session.exec(statement.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all())
    return rows, total, page, pages


# -- gigs -----------------------------------------------------------------------------------


def _gig_for_admin(session: Session, gig_id: Any) -> Gig:
    gig = session.exec(
        select(Gig).where(Gig.id == _id(gig_id)).execution_options(populate_existing=True)
    ).first()
    if gig is None or gig.status == GigStatus.deleted:
        raise NotFound(gigs.GIG_NOT_FOUND)
    return gig


def _changes(before: dict, after: dict) -> list[dict]:
    """What changed since the last approval, as short display texts."""

    def text(name: str, value: Any, other: Any = None) -> str:
        if name == "tags":
            return ", ".join(value or []) or "—"
        if name == "images":
            return _images_text(value or [], other)
        if name == "packages":
            return " · ".join(_package_text(p) for p in value or []) or "—"
        return str(value or "—")

    return [
        {
            "field": name,
            "label": gig_review_queue.FIELD_LABELS[name],
            "before": text(name, before.get(name)),
            "after": text(name, after.get(name), before.get(name) or []),
        }
        for name in gig_review_queue.changed_fields(before, after)
    ]


def _images_text(images: list, before: list | None) -> str:
    """ "3 images", and after an edit what changed: a swapped image has the same count."""
    count = f"{len(images)} image{'' if len(images) == 1 else 's'}"
    if before is None:
        return count
    added = len([i for i in images if i not in before])
    removed = len([i for i in before if i not in images])
    if not added and not removed:
        return f"{count}, in a new order"
    parts = [f"{added} new" if added else "", f"{removed} removed" if removed else ""]
    return f"{count} ({', '.join(p for p in parts if p)})"


def _package_text(package: dict) -> str:
    """Every part a buyer reads in the package table, so any change shows."""
    features = ", ".join(package.get("features") or []) or "no features"
    return (
        f"{package.get('name', '')} ${package.get('price_cents', 0) / 100:,.2f} / "
        f"{package.get('delivery_days', 0)}d / "
        f"{revisions_count(int(package.get('revisions') or 0))}: "
        f"{package.get('description') or '—'} [{features}]"
    )


def gig_queue(
    session: Session, *, admin: User | None, queue: Any = "pending", query: Any = "", page: Any = 1
) -> Paged:
    """Gigs waiting for review, edited since approval, active, suspended or rejected."""
    require_admin(admin)
    queue = _choice(queue, GIG_QUEUES, "pending")
    words = _query(query)
    conditions = []
    statement = select(Gig, User).join(User, col(User.id) == Gig.seller_id)
    count = select(func.count(Gig.id)).join(User, col(User.id) == Gig.seller_id)
    if queue == "edited":
        statement = statement.join(GigApproval, col(GigApproval.gig_id) == Gig.id)
        count = count.join(GigApproval, col(GigApproval.gig_id) == Gig.id)
        conditions += [
            col(GigApproval.changed_at).is_not(None),
            col(Gig.status).in_(gig_review_queue.QUEUED_STATUSES),
        ]
        order = col(GigApproval.changed_at).asc()
    else:
        status = {"pending": GigStatus.pending_review.value}.get(queue, queue)
        conditions.append(Gig.status == status)
        order = col(Gig.updated_at).asc() if queue == "pending" else col(Gig.updated_at).desc()
    if words:
        pattern = _like(words)
        conditions.append(
            or_(
                func.lower(Gig.title).like(pattern, escape="\\"),
                func.lower(User.display_name).like(pattern, escape="\\"),
            )
        )
    rows, total, page, pages = _paged(
        session,
        statement.where(*conditions).order_by(order, col(Gig.id)),
        count.where(*conditions),
        _page(page),
    )
    gig_ids = [gig.id for gig, _ in rows]
    covers: dict[int, str] = {}
    if gig_ids:
        for gig_id, path in session.exec(
            select(GigMedia.gig_id, GigMedia.path)
            .where(col(GigMedia.gig_id).in_(gig_ids))
            .order_by(col(GigMedia.position).desc())
        ).all():
            covers[gig_id] = path  # the last written is position 0
    approvals = (
        {
            a.gig_id: a
            for a in session.exec(
                select(GigApproval).where(col(GigApproval.gig_id).in_(gig_ids))
            ).all()
        }
        if queue == "edited" and gig_ids
        else {}
    )
    result = []
    for gig, seller in rows:
        changes = []
        if gig.id in approvals:
            changes = _changes(
                approvals[gig.id].snapshot, gig_review_queue.snapshot_of(session, gig)
            )
        result.append(
            GigRow(
                id=gig.id,
                slug=gig.slug,
                title=gig.title or "(untitled)",
                seller_id=seller.id,
                seller_name=seller.display_name,
                status=gig.status,
                status_reason=gig.status_reason,
                price_from_cents=gig.price_from_cents,
                cover=covers.get(gig.id, ""),
                description=gig.description[:600],
                tags=list(gig.tags or []),
                updated_at=gig.updated_at,
                changes=changes,
            )
        )
    return Paged(result, total, page, pages)


def _tell_seller(session: Session, gig: Gig, kind: str, title: str, body: str = "") -> None:
    notify(
        session,
        user_id=gig.seller_id,
        kind=kind,
        title=title,
        body=body,
        link=f"/gigs/{gig.id}/edit",
    )


def approve_gig(session: Session, *, admin: User | None, gig_id: Any) -> Gig:
    """A pending gig goes live (the gigs service writes the audit row and the snapshot)."""
    require_admin(admin)
    gig = gigs.review_gig(session, admin=admin, gig_id=_id(gig_id), approve=True)
    _tell_seller(session, gig, "gig.approved", f"Your gig “{gig.title}” is live")
    return gig


def reject_gig(session: Session, *, admin: User | None, gig_id: Any, reason: Any) -> Gig:
    require_admin(admin)
    reason = clean_reason(reason, required="Tell the seller why the gig was not approved.")
    gig = gigs.review_gig(session, admin=admin, gig_id=_id(gig_id), approve=False, reason=reason)
    _tell_seller(session, gig, "gig.rejected", f"Your gig “{gig.title}” was not approved", reason)
    return gig


def approve_gigs(session: Session, *, admin: User | None, gig_ids: Any) -> int:
    """Bulk approval of pending gigs; all or nothing (one stale gig refuses the batch)."""
    require_admin(admin)
    if not isinstance(gig_ids, list) or not gig_ids:
        raise DomainError("Choose the gigs to approve.")
    if len(gig_ids) > BULK_MAX:
        raise DomainError(f"Approve at most {BULK_MAX} gigs at once.")
    ids = list(dict.fromkeys(_id(value) for value in gig_ids))
    for gig_id in ids:
        approve_gig(session, admin=admin, gig_id=gig_id)
    return len(ids)


SUSPENDABLE = (GigStatus.active.value, GigStatus.paused.value, GigStatus.pending_review.value)


def _suspend_gig_row(session: Session, gig: Gig, reason: str) -> bool:
    """Suspend one gig (no audit); True if it was live in search."""
    was_active = gig.status == GigStatus.active
    gigs.moderate_status(
        session,
        gig,
        allowed=list(SUSPENDABLE),
        to=GigStatus.suspended.value,
        status_reason=reason[: gigs.STATUS_REASON_MAX],
    )
    if was_active:
        session.add(SearchOutbox(gig_id=gig.id, op=OutboxOp.delete.value))
    approval = session.get(GigApproval, gig.id)
    if approval is not None and approval.changed_at is not None:
        approval.changed_at = None  # dealt with: it left the post-moderation queue
        session.add(approval)
    return was_active


def suspend_gig(session: Session, *, admin: User | None, gig_id: Any, reason: Any) -> Gig:
    """Out of search (outbox) and off the marketplace; the seller is told why."""
    require_admin(admin)
    reason = clean_reason(reason, required="Say why the gig is suspended (the seller sees it).")
    gig = _gig_for_admin(session, gig_id)
    if gig.status not in SUSPENDABLE:
        raise gigs.GigStateError(
            f"Only a live or pending gig can be suspended; this one is "
            f"{GIG_STATUS_PHRASES.get(gig.status, gig.status)}."
        )
    previous = gig.status
    _suspend_gig_row(session, gig, reason)
    audit(
        session,
        admin,
        target_type="gig",
        target_id=gig.id,
        action="suspend_gig",
        reason=reason,
        data={"from": previous},
    )
    _tell_seller(session, gig, "gig.suspended", f"Your gig “{gig.title}” was suspended", reason)
    session.flush()
    return gig


def reinstate_gig(session: Session, *, admin: User | None, gig_id: Any, reason: Any = "") -> Gig:
    """A suspended gig goes live again (back into search) and counts as approved as it is."""
    require_admin(admin)
    reason = clean_reason(reason)
    gig = _gig_for_admin(session, gig_id)
    if gig.status != GigStatus.suspended:
        raise gigs.GigStateError("Only a suspended gig can be reinstated.")
    seller = session.get(User, gig.seller_id)
    if seller is None or seller.status != UserStatus.active:
        raise gigs.GigStateError("Reinstate the seller's account first.")
    _restore_gig_row(session, gig)
    gig_review_queue.record_approval(session, gig, admin_id=admin.id)
    audit(
        session, admin, target_type="gig", target_id=gig.id, action="reinstate_gig", reason=reason
    )
    _tell_seller(session, gig, "gig.reinstated", f"Your gig “{gig.title}” is live again", reason)
    return gig


def _restore_gig_row(session: Session, gig: Gig) -> None:
    now = utcnow()
    gigs.moderate_status(
        session,
        gig,
        allowed=[GigStatus.suspended.value],
        to=GigStatus.active.value,
        status_reason="",
        published_at=gig.published_at or now,
    )
    session.add(SearchOutbox(gig_id=gig.id, op=OutboxOp.upsert.value))


def accept_gig_edit(session: Session, *, admin: User | None, gig_id: Any) -> Gig:
    """The live edits are fine: they become the approved content, the gig leaves the queue."""
    require_admin(admin)
    gig = _gig_for_admin(session, gig_id)
    approval = session.get(GigApproval, gig.id)
    if approval is None or approval.changed_at is None:
        raise gigs.GigStateError("This gig has no edits waiting for review.")
    changed = gig_review_queue.changed_fields(
        approval.snapshot, gig_review_queue.snapshot_of(session, gig)
    )
    gig_review_queue.record_approval(session, gig, admin_id=admin.id)
    audit(
        session,
        admin,
        target_type="gig",
        target_id=gig.id,
        action="accept_gig_edit",
        data={"changed": changed},
    )
    return gig


# -- users ----------------------------------------------------------------------------------


def _user_row(user: User, is_seller: bool) -> UserRow:
    return UserRow(
        id=user.id,
        display_name=user.display_name,
        username=user.username,
        email=user.email,
        status=user.status,
        is_admin=user.is_admin,
        is_seller=is_seller,
        created_at=user.created_at,
    )


def search_users(
    session: Session, *, admin: User | None, query: Any = "", status: Any = "", page: Any = 1
) -> Paged:
    """Users by name, username or email (contains, case-insensitive), newest first."""
    require_admin(admin)
    words = _query(query)
    status = _choice(status, USER_STATUSES, "")
    conditions = []
    if words:
        pattern = _like(words)
        conditions.append(
            or_(
                func.lower(User.display_name).like(pattern, escape="\\"),
                func.lower(User.email).like(pattern, escape="\\"),
                func.lower(User.username).like(pattern, escape="\\"),
            )
        )
    if status == "admin":
        conditions.append(col(User.is_admin).is_(True))
    elif status:
        conditions.append(User.status == status)
    statement = (
        select(User, FreelancerProfile.id)
        .join(FreelancerProfile, col(FreelancerProfile.user_id) == User.id, isouter=True)
        .where(*conditions)
        .order_by(col(User.created_at).desc(), col(User.id).desc())
    )
    rows, total, page, pages = _paged(
        session, statement, select(func.count(User.id)).where(*conditions), _page(page)
    )
    return Paged(
        [_user_row(user, profile_id is not None) for user, profile_id in rows], total, page, pages
    )


def _user(session: Session, user_id: Any) -> User:
    user = session.get(User, _id(user_id))
    if user is None:
        raise NotFound(NOT_FOUND)
    return user


def user_detail(session: Session, *, admin: User | None, user_id: Any) -> UserDetail:
    """One account for a moderator: profile, latest gigs, orders, reports and actions."""
    require_admin(admin)
    user = _user(session, user_id)
    profile = session.exec(
        select(FreelancerProfile).where(FreelancerProfile.user_id == user.id)
    ).first()
    gig_rows = session.exec(
        select(Gig)
        .where(Gig.seller_id == user.id, Gig.status != GigStatus.deleted.value)
        .order_by(col(Gig.updated_at).desc())
        .limit(10)
    ).all()
    order_rows = session.exec(
        select(Order)
        .where(or_(Order.buyer_id == user.id, Order.seller_id == user.id))
        .order_by(col(Order.created_at).desc())
        .limit(10)
    ).all()
    flagged = set(
        session.exec(
            select(OrderFlag.order_id).where(
                col(OrderFlag.order_id).in_([o.id for o in order_rows] or [0]),
                col(OrderFlag.cleared_at).is_(None),
            )
        ).all()
    )
    open_orders = int(
        session.exec(
            select(func.count(Order.id)).where(
                or_(Order.buyer_id == user.id, Order.seller_id == user.id),
                col(Order.status).in_(OPEN_ORDER_STATUSES),
            )
        ).one()
    )
    reports = session.exec(
        select(Report)
        .where(Report.target_type == ReportTarget.user.value, Report.target_id == user.id)
        .order_by(col(Report.created_at).desc())
        .limit(10)
    ).all()
    actions = session.exec(
        select(ModerationAction, User)
        .join(User, col(User.id) == ModerationAction.admin_id)
        .where(ModerationAction.target_type == "user", ModerationAction.target_id == user.id)
        .order_by(col(ModerationAction.created_at).desc(), col(ModerationAction.id).desc())
        .limit(10)
    ).all()
    return UserDetail(
        user=_user_row(user, profile is not None),
        headline=profile.headline if profile else "",
        country=profile.country if profile else "",
        level=profile.level if profile else "",
        last_login_at=user.last_login_at,
        gigs=[
            {"id": g.id, "title": g.title or "(untitled)", "slug": g.slug, "status": g.status}
            for g in gig_rows
        ],
        orders=[
            {
                "code": o.code,
                "title": o.title,
                "status": STATE_LABELS.get(o.status, o.status),
                "role": "buyer" if o.buyer_id == user.id else "seller",
                "total_cents": o.total_cents,
                "flagged": o.id in flagged,
            }
            for o in order_rows
        ],
        reports_against=[
            {"id": r.id, "reason": r.reason, "status": r.status, "created_at": r.created_at}
            for r in reports
        ],
        actions=[
            {"action": a.action, "reason": a.reason, "admin": who.display_name, "at": a.created_at}
            for a, who in actions
        ],
        open_orders=open_orders,
    )


def _target_user(session: Session, admin: User, user_id: Any) -> User:
    user = _user(session, user_id)
    if user.id == admin.id:
        raise DomainError("You can't moderate your own account.")
    if user.is_admin:
        raise DomainError("Admins can't be moderated here; remove the admin role first.")
    return user


def warn_user(session: Session, *, admin: User | None, user_id: Any, reason: Any) -> User:
    """A written warning the user sees in their notifications."""
    require_admin(admin)
    reason = clean_reason(reason, required="Write the warning the user will read.")
    user = _target_user(session, admin, user_id)
    audit(session, admin, target_type="user", target_id=user.id, action="warn_user", reason=reason)
    notify(
        session,
        user_id=user.id,
        kind="moderation.warning",
        title="A warning from the Gigworks moderators",
        body=reason,
    )
    return user


def _take_down(session: Session, admin: User, user: User, status: str, reason: str) -> dict:
    """Suspend or ban: every session revoked, live gigs suspended (out of search), open orders
    flagged for an admin. Returns what was done, for the audit row."""
    revoked = accounts.revoke_all_sessions(session, user_id=user.id)
    user.status = status
    session.add(user)
    gig_ids, pending_ids = [], []
    for gig in session.exec(
        select(Gig).where(Gig.seller_id == user.id, col(Gig.status).in_(SUSPENDABLE))
    ).all():
        if gig.status == GigStatus.active:
            gig_ids.append(gig.id)
        elif gig.status == GigStatus.pending_review:
            pending_ids.append(gig.id)
        _suspend_gig_row(session, gig, ACCOUNT_SUSPENDED_NOTE)
    flagged = []
    for order in session.exec(
        select(Order).where(
            or_(Order.buyer_id == user.id, Order.seller_id == user.id),
            col(Order.status).in_(OPEN_ORDER_STATUSES),
        )
    ).all():
        session.add(
            OrderFlag(
                order_id=order.id,
                reason=f"The {'buyer' if order.buyer_id == user.id else 'seller'} was {status}.",
                flagged_by_id=admin.id,
                created_at=utcnow(),
            )
        )
        flagged.append(order.code)
    session.flush()
    return {
        "sessions_revoked": revoked,
        "gig_ids": gig_ids,
        "pending_gig_ids": pending_ids,
        "flagged_orders": flagged,
    }


def suspend_user(session: Session, *, admin: User | None, user_id: Any, reason: Any) -> User:
    require_admin(admin)
    reason = clean_reason(reason, required="Say why the account is suspended.")
    user = _target_user(session, admin, user_id)
    if user.status != UserStatus.active:
        raise DomainError(f"This account is already {user.status}.")
    data = _take_down(session, admin, user, UserStatus.suspended.value, reason)
    audit(
        session,
        admin,
        target_type="user",
        target_id=user.id,
        action="suspend_user",
        reason=reason,
        data=data,
    )
    notify(
        session,
        user_id=user.id,
        kind="moderation.suspended",
        title="Your account was suspended",
        body=reason,
    )
    return user


def ban_user(session: Session, *, admin: User | None, user_id: Any, reason: Any) -> User:
    require_admin(admin)
    reason = clean_reason(reason, required="Say why the account is banned.")
    user = _target_user(session, admin, user_id)
    if user.status == UserStatus.banned:
        raise DomainError("This account is already banned.")
    data = _take_down(session, admin, user, UserStatus.banned.value, reason)
    audit(
        session,
        admin,
        target_type="user",
        target_id=user.id,
        action="ban_user",
        reason=reason,
        data=data,
    )
    notify(
        session,
        user_id=user.id,
        kind="moderation.banned",
        title="Your account was banned",
        body=reason,
    )
    return user


def reinstate_user(session: Session, *, admin: User | None, user_id: Any, reason: Any = "") -> User:
    """Active again; the gigs the suspension took down go live again."""
    require_admin(admin)
    reason = clean_reason(reason)
    user = _target_user(session, admin, user_id)
    if user.status == UserStatus.active:
        raise DomainError("This account is already active.")
    last = session.exec(
        select(ModerationAction)
        .where(
            ModerationAction.target_type == "user",
            ModerationAction.target_id == user.id,
            col(ModerationAction.action).in_(["suspend_user", "ban_user"]),
        )
        .order_by(col(ModerationAction.id).desc())
    ).first()
    user.status = UserStatus.active.value
    session.add(user)
    restored = []
    data = last.data if last else {}
    live_ids = data.get("gig_ids", [])
    for gig_id in [*live_ids, *data.get("pending_gig_ids", [])]:
        gig = session.get(Gig, gig_id)
        if (
            gig is not None
            and gig.status == GigStatus.suspended
            and gig.status_reason == ACCOUNT_SUSPENDED_NOTE
        ):
            if gig_id in live_ids:
                _restore_gig_row(session, gig)
            else:  # it was waiting for review: it waits again
                gigs.moderate_status(
                    session,
                    gig,
                    allowed=[GigStatus.suspended.value],
                    to=GigStatus.pending_review.value,
                    status_reason="",
                )
            restored.append(gig.id)
    audit(
        session,
        admin,
        target_type="user",
        target_id=user.id,
        action="reinstate_user",
        reason=reason,
        data={"gig_ids": restored},
    )
    notify(
        session,
        user_id=user.id,
        kind="moderation.reinstated",
        title="Your account is active again",
        body=reason,
    )
    return user


# -- reports --------------------------------------------------------------------------------


def _target_titles(session: Session, reports: Sequence[Report]) -> dict[tuple[str, int], tuple]:
    """(type, id) -> (title, link) for a page of reports: one query per target type."""
    wanted: dict[str, set[int]] = {}
    for r in reports:
        wanted.setdefault(r.target_type, set()).add(r.target_id)
    found: dict[tuple[str, int], tuple] = {}
    if wanted.get("gig"):
        for gig_id, title, slug in session.exec(
            select(Gig.id, Gig.title, Gig.slug).where(col(Gig.id).in_(wanted["gig"]))
        ).all():
            found[("gig", gig_id)] = (f"Gig: {title}", f"/gig/{slug}")
    if wanted.get("user"):
        for user_id, name, username in session.exec(
            select(User.id, User.display_name, User.username).where(
                col(User.id).in_(wanted["user"])
            )
        ).all():
            found[("user", user_id)] = (f"User: {name} (@{username})", f"/u/{username}")
    if wanted.get("review"):
        for review_id, rating, body in session.exec(
            select(Review.id, Review.rating, Review.body).where(
                col(Review.id).in_(wanted["review"])
            )
        ).all():
            found[("review", review_id)] = (f"Review ({rating}★): {body[:60]}", "")
    if wanted.get("message"):
        for message_id, body in session.exec(
            select(Message.id, Message.body).where(col(Message.id).in_(wanted["message"]))
        ).all():
            found[("message", message_id)] = (f"Message: {body[:60]}", "")
    return found


def _report_row(report: Report, reporter: User, titles: dict) -> ReportRow:
    title, link = titles.get(
        (report.target_type, report.target_id), (f"{report.target_type} #{report.target_id}", "")
    )
    return ReportRow(
        id=report.id,
        target_type=report.target_type,
        target_id=report.target_id,
        reason=report.reason,
        details=report.details,
        status=report.status,
        outcome=report.outcome,
        reporter_name=reporter.display_name,
        created_at=report.created_at,
        target_title=title,
        target_link=link,
    )


def list_reports(
    session: Session,
    *,
    admin: User | None,
    status: Any = "open",
    target_type: Any = "",
    page: Any = 1,
) -> Paged:
    require_admin(admin)
    status = _choice(status, REPORT_STATUSES, "open")
    target_type = _choice(target_type, REPORT_TARGETS, "")
    conditions = []
    if status:
        conditions.append(Report.status == status)
    if target_type:
        conditions.append(Report.target_type == target_type)
    statement = (
        select(Report, User)
        .join(User, col(User.id) == Report.reporter_id)
        .where(*conditions)
        .order_by(col(Report.created_at).asc() if status == "open" else col(Report.id).desc())
    )
    rows, total, page, pages = _paged(
        session, statement, select(func.count(Report.id)).where(*conditions), _page(page)
    )
    titles = _target_titles(session, [r for r, _ in rows])
    return Paged([_report_row(r, who, titles) for r, who in rows], total, page, pages)


def _report(session: Session, report_id: Any) -> tuple[Report, User]:
    row = session.exec(
        select(Report, User)
        .join(User, col(User.id) == Report.reporter_id)
        .where(Report.id == _id(report_id))
    ).first()
    if row is None:
        raise NotFound(NOT_FOUND)
    return row


def _name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return f"{user.display_name} (@{user.username}, {user.status})" if user else "—"


def _context(session: Session, report: Report) -> tuple[list[dict], list[str], int | None]:
    """The reported thing as labelled text, what can be done to it, and whom a warning goes to."""
    kind, target_id = report.target_type, report.target_id
    if kind == ReportTarget.gig:
        gig = session.get(Gig, target_id)
        if gig is None:
            return [{"label": "Gig", "text": "(no longer exists)"}], [], None
        return (
            [
                {"label": "Gig", "text": gig.title},
                {"label": "Status", "text": gig.status},
                {"label": "Seller", "text": _name(session, gig.seller_id)},
                {"label": "Description", "text": gig.description[:1200]},
                {"label": "Tags", "text": ", ".join(gig.tags or [])},
            ],
            (["suspend", "warn"] if gig.status in SUSPENDABLE else ["warn"]),
            gig.seller_id,
        )
    if kind == ReportTarget.user:
        user = session.get(User, target_id)
        if user is None:
            return [{"label": "User", "text": "(no longer exists)"}], [], None
        profile = session.exec(
            select(FreelancerProfile).where(FreelancerProfile.user_id == user.id)
        ).first()
        return (
            [
                {"label": "User", "text": _name(session, user.id)},
                {"label": "Email", "text": user.email},
                {"label": "Headline", "text": profile.headline if profile else "—"},
                {"label": "About", "text": profile.bio[:1200] if profile else "—"},
            ],
            (["suspend", "warn"] if user.status == UserStatus.active else []),
            user.id,
        )
    if kind == ReportTarget.review:
        review = session.get(Review, target_id)
        if review is None:
            return [{"label": "Review", "text": "(no longer exists)"}], [], None
        gig = session.get(Gig, review.gig_id) if review.gig_id else None
        return (
            [
                {"label": "Review", "text": review.body or "(no text)"},
                {"label": "Rating", "text": f"{review.rating} of 5"},
                {"label": "By", "text": _name(session, review.buyer_id)},
                {"label": "On gig", "text": gig.title if gig else "—"},
                {"label": "Seller's reply", "text": review.seller_reply or "—"},
                {"label": "Shown", "text": "hidden" if review.hidden else "visible"},
            ],
            ([] if review.hidden else ["hide"]) + ["warn"],
            review.buyer_id,
        )
    message = session.get(Message, target_id)
    if message is None:
        return [{"label": "Message", "text": "(no longer exists)"}], [], None
    before = session.exec(
        select(Message)
        .where(Message.conversation_id == message.conversation_id, Message.id < message.id)
        .order_by(col(Message.id).desc())
        .limit(3)
    ).all()
    lines = [
        {"label": f"Earlier · {_name(session, m.sender_id)}", "text": m.body[:500]}
        for m in reversed(before)
    ]
    lines.append({"label": f"Reported · {_name(session, message.sender_id)}", "text": message.body})
    actions = (["hide"] if hasattr(message, "hidden") and not message.hidden else []) + [
        "warn",
        "suspend",
    ]
    return lines, actions, message.sender_id


def report_detail(session: Session, *, admin: User | None, report_id: Any) -> ReportDetail:
    require_admin(admin)
    report, reporter = _report(session, report_id)
    context, actions, _ = _context(session, report)
    titles = _target_titles(session, [report])
    return ReportDetail(
        _report_row(report, reporter, titles),
        context,
        actions if report.status == ReportStatus.open else [],
    )


def _close_report(
    session: Session, admin: User, report: Report, outcome: str, note: str, status: str
) -> None:
    report.status = status
    report.outcome = outcome
    report.outcome_note = note
    report.resolved_by_id = admin.id
    report.resolved_at = utcnow()
    session.add(report)
    words = {
        ReportOutcome.dismissed: "we looked at it and found no breach of our rules",
        ReportOutcome.hidden: "the content was hidden",
        ReportOutcome.suspended: "we suspended it",
        ReportOutcome.warned: "we warned the person responsible",
    }[outcome]
    notify(
        session,
        user_id=report.reporter_id,
        kind="report.outcome",
        title=f"Your report: {words}",
        body=note or "Thank you for helping keep Gigworks safe.",
    )


def dismiss_report(
    session: Session, *, admin: User | None, report_id: Any, note: Any = ""
) -> Report:
    require_admin(admin)
    note = clean_reason(note)
    report, _ = _report(session, report_id)
    if report.status != ReportStatus.open:
        raise DomainError("This report is already closed.")
    _close_report(session, admin, report, ReportOutcome.dismissed, note, ReportStatus.dismissed)
    audit(
        session,
        admin,
        target_type="report",
        target_id=report.id,
        action="dismiss_report",
        reason=note,
        data={"target": f"{report.target_type}:{report.target_id}"},
    )
    return report


def act_on_report(
    session: Session, *, admin: User | None, report_id: Any, action: Any, note: Any
) -> Report:
    """Hide, suspend or warn the reported thing (or its author), close the report, tell the
    reporter. The action itself writes its own audit row; the report's closing writes one."""
    require_admin(admin)
    note = clean_reason(note, required="Write a note: it goes to the audit log and the reporter.")
    report, _ = _report(session, report_id)
    if report.status != ReportStatus.open:
        raise DomainError("This report is already closed.")
    _, allowed, author_id = _context(session, report)
    if not isinstance(action, str) or action not in allowed:
        raise DomainError("That action is not available for this report.")
    kind, target_id = report.target_type, report.target_id
    if action == "warn":
        warn_user(session, admin=admin, user_id=author_id, reason=note)
        outcome = ReportOutcome.warned
    elif action == "hide":
        _hide(session, admin, kind, target_id, note)
        outcome = ReportOutcome.hidden
    else:  # suspend
        if kind == ReportTarget.gig:
            suspend_gig(session, admin=admin, gig_id=target_id, reason=note)
        else:
            suspend_user(session, admin=admin, user_id=author_id, reason=note)
        outcome = ReportOutcome.suspended
    _close_report(session, admin, report, outcome, note, ReportStatus.resolved)
    audit(
        session,
        admin,
        target_type="report",
        target_id=report.id,
        action="resolve_report",
        reason=note,
        data={"outcome": outcome.value, "target": f"{kind}:{target_id}"},
    )
    return report


def _hide(session: Session, admin: User, kind: str, target_id: int, note: str) -> None:
    if kind == ReportTarget.review:
        set_review_hidden(session, admin=admin, review_id=target_id, hidden=True, reason=note)
        return
    message = session.get(Message, target_id)
    if message is None or not hasattr(message, "hidden"):
        raise DomainError("This can't be hidden.")
    message.hidden = True
    session.add(message)
    audit(
        session,
        admin,
        target_type="message",
        target_id=message.id,
        action="hide_message",
        reason=note,
    )


# -- reviews --------------------------------------------------------------------------------


def list_reviews(
    session: Session, *, admin: User | None, shown: Any = "all", query: Any = "", page: Any = 1
) -> Paged:
    require_admin(admin)
    shown = _choice(shown, REVIEW_FILTERS, "all")
    words = _query(query)
    conditions = []
    if shown != "all":
        conditions.append(col(Review.hidden).is_(shown == "hidden"))
    if words:
        conditions.append(func.lower(Review.body).like(_like(words), escape="\\"))
    statement = (
        select(Review, User, Gig.title)
        .join(User, col(User.id) == Review.buyer_id)
        .join(Gig, col(Gig.id) == Review.gig_id, isouter=True)
        .where(*conditions)
        .order_by(col(Review.created_at).desc(), col(Review.id).desc())
    )
    rows, total, page, pages = _paged(
        session, statement, select(func.count(Review.id)).where(*conditions), _page(page)
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
    review = session.get(Review, _id(review_id))
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


# -- disputes -------------------------------------------------------------------------------


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


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    return dict(
        session.exec(select(User.id, User.display_name).where(col(User.id).in_(ids or {0}))).all()
    )


def list_disputes(
    session: Session, *, admin: User | None, status: Any = "open", page: Any = 1
) -> Paged:
    require_admin(admin)
    status = _choice(status, DISPUTE_STATUSES, "open")
    condition = Dispute.status == (
        DisputeStatus.open.value if status == "open" else DisputeStatus.resolved.value
    )
    statement = (
        select(Dispute, Order)
        .join(Order, col(Order.id) == Dispute.order_id)
        .where(condition)
        .order_by(col(Dispute.opened_at).asc() if status == "open" else col(Dispute.id).desc())
    )
    rows, total, page, pages = _paged(
        session, statement, select(func.count(Dispute.id)).where(condition), _page(page)
    )
    names = _names(session, {o.buyer_id for _, o in rows} | {o.seller_id for _, o in rows})
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
    names = _names(session, {order.buyer_id, order.seller_id})
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


def resolve_dispute(
    *,
    admin: User | None,
    order_code: Any,
    resolution: Any,
    refund_cents: Any = None,
    note: Any = "",
    context: orders.Context | None = None,
) -> Order:
    """Release, full refund or split, through the order executor (which validates the split
    against the order, moves the money and notifies both parties); then the audit row."""
    require_admin(admin)
    if resolution not in RESOLUTIONS:
        raise DomainError("Choose release, refund or split.")
    note = clean_reason(note)
    code = order_code if isinstance(order_code, str) else ""
    payload: dict[str, Any] = {"message": note}
    if resolution == "split":
        payload["refund_cents"] = refund_cents
    with session_scope(context.engine if context else None) as session:
        order = session.exec(select(Order).where(Order.code == code[:20])).first()
        if order is None or order.status != OrderStatus.disputed:
            raise DomainError("This order is not in dispute.")
        if admin.id in (order.buyer_id, order.seller_id):
            raise PermissionDenied("You are a party to this order; another admin must resolve it.")
    order = orders.perform(
        order_code=code,
        action=RESOLUTIONS[resolution],
        actor=admin,
        payload=payload,
        context=context,
    )
    with session_scope(context.engine if context else None) as session:
        data = {"order_code": order.code, "resolution": resolution}
        if resolution == "split":
            data["refund_cents"] = refund_cents
        audit(
            session,
            admin,
            target_type="order",
            target_id=order.id,
            action=f"resolve_dispute_{resolution}",
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
    rows, total, page, pages = _paged(
        session, statement, select(func.count(OrderFlag.id)).where(condition), _page(page)
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
    flag = session.get(OrderFlag, _id(flag_id))
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


# -- the audit log --------------------------------------------------------------------------

AUDIT_TARGETS = ("", "gig", "user", "report", "review", "message", "order")


def audit_log(
    session: Session,
    *,
    admin: User | None,
    action: Any = "",
    target_type: Any = "",
    query: Any = "",
    page: Any = 1,
) -> Paged:
    """Every admin action, newest first; filter by action, target type, admin or reason words."""
    require_admin(admin)
    target_type = _choice(target_type, AUDIT_TARGETS, "")
    action = _query(action)[:40]
    words = _query(query)
    conditions = []
    if target_type:
        conditions.append(ModerationAction.target_type == target_type)
    if action:
        conditions.append(ModerationAction.action == action)
    if words:
        pattern = _like(words)
        conditions.append(
            or_(
                func.lower(ModerationAction.reason).like(pattern, escape="\\"),
                func.lower(User.display_name).like(pattern, escape="\\"),
            )
        )
    statement = (
        select(ModerationAction, User)
        .join(User, col(User.id) == ModerationAction.admin_id)
        .where(*conditions)
        .order_by(col(ModerationAction.id).desc())
    )
    count = (
        select(func.count(ModerationAction.id))
        .join(User, col(User.id) == ModerationAction.admin_id)
        .where(*conditions)
    )
    rows, total, page, pages = _paged(session, statement, count, _page(page))
    return Paged(
        [
            AuditRow(
                id=a.id,
                at=a.created_at,
                admin_name=who.display_name,
                action=a.action,
                target_type=a.target_type,
                target_id=a.target_id,
                reason=a.reason,
            )
            for a, who in rows
        ],
        total,
        page,
        pages,
    )


def audit_actions(session: Session, *, admin: User | None) -> list[str]:
    """The distinct action names recorded so far (for the filter menu)."""
    require_admin(admin)
    return sorted(session.exec(select(ModerationAction.action).distinct()).all())
