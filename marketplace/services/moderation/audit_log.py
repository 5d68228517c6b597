"""The audit log: every admin action, newest first, filtered in SQL, in words.

A row names its action in words ("Approved gig", not `approve_gig`) and its target by what
an admin knows it by: a gig's title, a member's name, an order's code (not "order #1160").
The stored codes stay as they are (the log is append-only); the words are looked up here, one
query per target type on a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from marketplace.models import Gig, Message, ModerationAction, Order, Report, Review, User
from marketplace.models.reviews import ProApplication
from marketplace.services.moderation.common import (
    Paged,
    choice,
    like,
    page_number,
    paged,
    query_text,
    require_admin,
)

AUDIT_TARGETS = ("", "gig", "user", "report", "review", "message", "order")

# Every action code written so far, in words (an unknown future code reads "Some new action").
ACTION_WORDS = {
    "approve_gig": "Approved gig",
    "reject_gig": "Rejected gig",
    "suspend_gig": "Suspended gig",
    "reinstate_gig": "Reinstated gig",
    "accept_gig_edit": "Accepted gig edits",
    "warn_user": "Warned member",
    "suspend_user": "Suspended account",
    "ban_user": "Banned account",
    "reinstate_user": "Reinstated account",
    "dismiss_report": "Dismissed report",
    "resolve_report": "Acted on report",
    "hide_message": "Hid message",
    "hide_review": "Hid review",
    "restore_review": "Restored review",
    "resolve_dispute_release": "Resolved dispute: paid the seller",
    "resolve_dispute_refund": "Resolved dispute: refunded the buyer",
    "resolve_dispute_split": "Resolved dispute: split",
    "clear_order_flag": "Cleared order flag",
    "pro.approve": "Approved Pro application",
    "pro.reject": "Declined Pro application",
    "pro.ask_more": "Asked for more on Pro application",
    "pro.revoke": "Revoked Pro badge",
}


def action_words(code: str) -> str:
    """An action code in words: "approve_gig" -> "Approved gig"."""
    if code in ACTION_WORDS:
        return ACTION_WORDS[code]
    text = code.replace(".", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else "—"


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    admin_name: str
    action: str  # the stored code ("approve_gig")
    action_label: str  # in words ("Approved gig")
    target_type: str
    target_id: int
    target_label: str  # "Gig “I will design your logo”", "Order GW-7K2M-QX", "Member Ada Lee"
    target_link: str  # where the target is seen ("" when nowhere)
    reason: str


def _quoted(text: str, limit: int = 60) -> str:
    text = " ".join((text or "").split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def _targets(session: Session, rows: Sequence[ModerationAction]) -> dict[tuple[str, int], tuple]:
    """(type, id) -> (label, link) for one page of the log: one query per target type."""
    wanted: dict[str, set[int]] = {}
    for r in rows:
        wanted.setdefault(r.target_type, set()).add(r.target_id)
    found: dict[tuple[str, int], tuple] = {}

    def ids(kind: str) -> set[int]:
        return wanted.get(kind, set())

    if ids("gig"):
        for gig_id, title, slug in session.exec(
            select(Gig.id, Gig.title, Gig.slug).where(col(Gig.id).in_(ids("gig")))
        ).all():
            found[("gig", gig_id)] = (f"Gig {_quoted(title or '(untitled)')}", f"/gig/{slug}")
    if ids("user"):
        for user_id, name, username in session.exec(
            select(User.id, User.display_name, User.username).where(col(User.id).in_(ids("user")))
        ).all():
            found[("user", user_id)] = (f"Member {name} (@{username})", f"/u/{username}")
    if ids("order"):
        for order_id, code in session.exec(
            select(Order.id, Order.code).where(col(Order.id).in_(ids("order")))
        ).all():
            found[("order", order_id)] = (f"Order {code}", f"/orders/{code}")
    if ids("report"):
        for report_id, kind in session.exec(
            select(Report.id, Report.target_type).where(col(Report.id).in_(ids("report")))
        ).all():
            found[("report", report_id)] = (f"Report on a {kind} (no. {report_id})", "")
    if ids("review"):
        for review_id, buyer, title in session.exec(
            select(Review.id, User.display_name, Gig.title)
            .join(User, col(User.id) == Review.buyer_id)
            .join(Gig, col(Gig.id) == Review.gig_id, isouter=True)
            .where(col(Review.id).in_(ids("review")))
        ).all():
            found[("review", review_id)] = (
                f"{buyer}'s review of {_quoted(title or 'a gig')}",
                "",
            )
    if ids("message"):
        for message_id, sender in session.exec(
            select(Message.id, User.display_name)
            .join(User, col(User.id) == Message.sender_id)
            .where(col(Message.id).in_(ids("message")))
        ).all():
            found[("message", message_id)] = (f"Message from {sender}", "")
    if ids("pro_application"):
        for application_id, name in session.exec(
            select(ProApplication.id, User.display_name)
            .join(User, col(User.id) == ProApplication.user_id)
            .where(col(ProApplication.id).in_(ids("pro_application")))
        ).all():
            found[("pro_application", application_id)] = (f"Pro application of {name}", "")
    return found


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
    target_type = choice(target_type, AUDIT_TARGETS, "")
    action = query_text(action)[:40]
    words = query_text(query)
    conditions = []
    if target_type:
        conditions.append(ModerationAction.target_type == target_type)
    if action:
        conditions.append(ModerationAction.action == action)
    if words:
        pattern = like(words)
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
    rows, total, page, pages = paged(session, statement, count, page_number(page))
    targets = _targets(session, [a for a, _ in rows])
    result = []
    for a, who in rows:
        label, link = targets.get(
            (a.target_type, a.target_id),
            (f"{action_words(a.target_type)} (no longer exists)", ""),
        )
        result.append(
            AuditRow(
                id=a.id,
                at=a.created_at,
                admin_name=who.display_name,
                action=a.action,
                action_label=action_words(a.action),
                target_type=a.target_type,
                target_id=a.target_id,
                target_label=label,
                target_link=link,
                reason=a.reason,
            )
        )
    return Paged(result, total, page, pages)


def audit_actions(session: Session, *, admin: User | None) -> list[tuple[str, str]]:
    """The distinct actions recorded so far as (code, words), in words' order (the filter)."""
    require_admin(admin)
    codes = session.exec(select(ModerationAction.action).distinct()).all()
    return sorted(((c, action_words(c)) for c in codes), key=lambda pair: pair[1])
