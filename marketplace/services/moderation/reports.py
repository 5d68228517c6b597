"""Reports from members (a gig, a member, a review, a message): the list, one report with the
reported thing as text in context, and closing one (dismiss, or act: hide, suspend, warn).

Closing a report sets its status and outcome and tells the reporter; the action taken (through
gigs.py, users.py or reviews.py) writes its own audit row, and the closing writes one more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from marketplace.db import utcnow
from marketplace.models import (
    FreelancerProfile,
    Gig,
    Message,
    Report,
    ReportStatus,
    ReportTarget,
    Review,
    User,
    UserStatus,
)
from marketplace.models.moderation import ReportOutcome
from marketplace.services.common.errors import DomainError, NotFound
from marketplace.services.common.notifications import notify
from marketplace.services.moderation import gigs as gig_moderation
from marketplace.services.moderation import reviews as review_moderation
from marketplace.services.moderation import users as user_moderation
from marketplace.services.moderation.common import (
    NOT_FOUND,
    Paged,
    audit,
    choice,
    clean_reason,
    page_number,
    paged,
    require_admin,
    valid_id,
)

REPORT_STATUSES = ("open", "resolved", "dismissed", "")
REPORT_TARGETS = ("", *(t.value for t in ReportTarget))


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
    status = choice(status, REPORT_STATUSES, "open")
    target_type = choice(target_type, REPORT_TARGETS, "")
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
    rows, total, page, pages = paged(
        session, statement, select(func.count(Report.id)).where(*conditions), page_number(page)
    )
    titles = _target_titles(session, [r for r, _ in rows])
    return Paged([_report_row(r, who, titles) for r, who in rows], total, page, pages)


def _report(session: Session, report_id: Any) -> tuple[Report, User]:
    row = session.exec(
        select(Report, User)
        .join(User, col(User.id) == Report.reporter_id)
        .where(Report.id == valid_id(report_id))
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
            (["suspend", "warn"] if gig_moderation.can_suspend(gig.status) else ["warn"]),
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
        user_moderation.warn_user(session, admin=admin, user_id=author_id, reason=note)
        outcome = ReportOutcome.warned
    elif action == "hide":
        _hide(session, admin, kind, target_id, note)
        outcome = ReportOutcome.hidden
    else:  # suspend
        if kind == ReportTarget.gig:
            gig_moderation.suspend_gig(session, admin=admin, gig_id=target_id, reason=note)
        else:
            user_moderation.suspend_user(session, admin=admin, user_id=author_id, reason=note)
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
        review_moderation.set_review_hidden(
            session, admin=admin, review_id=target_id, hidden=True, reason=note
        )
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
