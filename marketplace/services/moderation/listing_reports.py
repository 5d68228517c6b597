"""Members report a gig or a member's profile to the moderators (the moderation page's Reports
tab acts on them; the reporter is told the outcome there). Reviews and messages have their own
report calls next to them (services/reviews/order_reviews.py and
services/messaging/conversations.py)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from marketplace.db import utcnow
from marketplace.models import Gig, GigStatus, Report, ReportStatus, ReportTarget, User
from marketplace.services.common.errors import DomainError, NotFound
from marketplace.services.common.guards import require_active_user

GIG_REASONS = {
    "misleading": "Misleading, or looks like a scam",
    "prohibited": "Offers something not allowed",
    "copied": "Copies someone else's work",
    "offensive": "Offensive content",
    "spam": "Spam",
    "other": "Something else",
}
MEMBER_REASONS = {
    "scam": "Scam or fraud",
    "harassment": "Harassment",
    "impersonation": "Pretends to be someone else",
    "offensive": "Offensive profile",
    "spam": "Spam",
    "other": "Something else",
}
DETAILS_MAX = 2000  # Report.details


def report_gig(
    session: Session, *, actor: User | None, slug: object, reason: object, details: object = ""
) -> Report:
    """Report an active gig (not one's own); one open report per member and gig."""
    actor = require_active_user(actor)
    gig = (
        session.exec(select(Gig).where(Gig.slug == slug, Gig.status == GigStatus.active)).first()
        if isinstance(slug, str) and 0 < len(slug) <= 120
        else None
    )
    if gig is None:
        raise NotFound("There is no such gig.")
    if gig.seller_id == actor.id:
        raise DomainError("This is your own gig.")
    return _file(session, actor, ReportTarget.gig, gig.id, reason, details, GIG_REASONS, "gig")


def report_member(
    session: Session, *, actor: User | None, username: object, reason: object, details=""
) -> Report:
    """Report a member's public profile (not one's own); one open report per member and
    member."""
    actor = require_active_user(actor)
    member = (
        session.exec(
            select(User).where(User.username == username, col(User.deleted_at).is_(None))
        ).first()
        if isinstance(username, str) and 0 < len(username) <= 60
        else None
    )
    if member is None:
        raise NotFound("There is no such member.")
    if member.id == actor.id:
        raise DomainError("This is your own profile.")
    return _file(
        session, actor, ReportTarget.user, member.id, reason, details, MEMBER_REASONS, "member"
    )


def _file(session, actor, target, target_id, reason, details, reasons, noun) -> Report:
    if not isinstance(reason, str) or reason not in reasons:
        raise DomainError(f"Choose why you are reporting this {noun}.")
    details = details.strip() if isinstance(details, str) else ""
    if len(details) > DETAILS_MAX:
        raise DomainError(f"Keep the details under {DETAILS_MAX:,} characters.")
    already = session.exec(
        select(Report.id).where(
            Report.reporter_id == actor.id,
            Report.target_type == target.value,
            Report.target_id == target_id,
            Report.status == ReportStatus.open.value,
        )
    ).first()
    if already is not None:
        raise DomainError(f"You have already reported this {noun}; our moderators will look.")
    report = Report(
        reporter_id=actor.id,
        target_type=target.value,
        target_id=target_id,
        reason=reasons[reason],  # the words, as the moderators read them
        details=details,
        created_at=utcnow(),
    )
    session.add(report)
    session.flush()
    return report
