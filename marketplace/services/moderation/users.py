"""Moderating accounts: search, one account's record, warn, suspend, ban and reinstate.

A suspension or a ban revokes every session, takes the seller's live and waiting gigs down
(gigs.take_down, out of search) and flags each open order for an admin; the audit row keeps
which gigs, so that reinstating puts exactly those back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from marketplace.db import utcnow
from marketplace.models import (
    FreelancerProfile,
    Gig,
    GigStatus,
    ModerationAction,
    Order,
    Report,
    ReportTarget,
    User,
    UserStatus,
)
from marketplace.models.moderation import OrderFlag
from marketplace.services.accounts import members as accounts
from marketplace.services.common.errors import DomainError, NotFound
from marketplace.services.common.notifications import notify
from marketplace.services.gigs import actions as gigs
from marketplace.services.moderation import audit_log
from marketplace.services.moderation import gigs as gig_moderation
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
from marketplace.services.orders import process as order_process
from marketplace.services.orders.process import STATE_LABELS

ACCOUNT_SUSPENDED_NOTE = "The seller's account is suspended."
USER_STATUSES = ("", "active", "suspended", "banned", "admin")


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
    actions: list[dict]  # {"action" (in words), "reason", "admin", "at"}
    open_orders: int


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
    words = query_text(query)
    status = choice(status, USER_STATUSES, "")
    conditions = []
    if words:
        pattern = like(words)
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
    rows, total, page, pages = paged(
        session, statement, select(func.count(User.id)).where(*conditions), page_number(page)
    )
    return Paged(
        [_user_row(user, profile_id is not None) for user, profile_id in rows], total, page, pages
    )


def _user(session: Session, user_id: Any) -> User:
    user = session.get(User, valid_id(user_id))
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
                col(Order.status).in_(order_process.ACTIVE),
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
            {
                "action": audit_log.action_words(a.action),
                "reason": a.reason,
                "admin": who.display_name,
                "at": a.created_at,
            }
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


def _take_down_account(session: Session, admin: User, user: User, status: str, reason: str) -> dict:
    """Suspend or ban: every session revoked, live gigs suspended (out of search), open orders
    flagged for an admin. Returns what was done, for the audit row."""
    revoked = accounts.revoke_all_sessions(session, user_id=user.id)
    user.status = status
    session.add(user)
    gig_ids, pending_ids = [], []
    for gig in session.exec(
        select(Gig).where(Gig.seller_id == user.id, col(Gig.status).in_(gig_moderation.SUSPENDABLE))
    ).all():
        if gig.status == GigStatus.active:
            gig_ids.append(gig.id)
        elif gig.status == GigStatus.pending_review:
            pending_ids.append(gig.id)
        gig_moderation.take_down(session, gig, ACCOUNT_SUSPENDED_NOTE)
    flagged = []
    for order in session.exec(
        select(Order).where(
            or_(Order.buyer_id == user.id, Order.seller_id == user.id),
            col(Order.status).in_(order_process.ACTIVE),
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
    data = _take_down_account(session, admin, user, UserStatus.suspended.value, reason)
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
    data = _take_down_account(session, admin, user, UserStatus.banned.value, reason)
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
                gig_moderation.put_back(session, gig)
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
