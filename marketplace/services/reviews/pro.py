"""Pro vetting: a seller applies, an admin approves, rejects, asks for more, or revokes.

The process is data (TRANSITIONS): action -> (from states, to state, who). One function
(`_move`) checks the actor and the state, writes the new state, the applicant's Notification,
and, for admin steps, the ModerationAction audit row, in the caller's transaction. Approval and
revocation flip `FreelancerProfile.is_pro` and queue a search update for all the seller's
active gigs (the document's `is_pro` drives the "Pro" search filter).

    draft --submit--> pending --approve--> approved --revoke--> revoked
                         |  \\--reject--> rejected
                         \\--ask_more--> needs_info --submit--> pending

A rejected or revoked seller may start a new application (a new row); the old one stays as
history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import func
from sqlmodel import Session, col, select

from marketplace.db import utcnow
from marketplace.models import (
    Category,
    FreelancerProfile,
    ModerationAction,
    ProApplication,
    ProApplicationStatus,
    User,
)
from marketplace.services.common.errors import DomainError, NotFound, PermissionDenied
from marketplace.services.common.guards import require_active_user
from marketplace.services.common.notifications import notify
from marketplace.services.gigs import actions as gigs

S = ProApplicationStatus
EDITABLE = (S.draft.value, S.needs_info.value)
CLOSED = (S.rejected.value, S.revoked.value)


@dataclass(frozen=True)
class Transition:
    from_states: tuple[str, ...]
    to_state: str
    actor: str  # applicant | admin
    needs_text: bool = False  # the admin must write a reason / question
    title: str = ""  # the applicant's notification


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(EDITABLE, S.pending.value, "applicant"),
    "approve": Transition(
        (S.pending.value,), S.approved.value, "admin", title="You are now a Pro seller"
    ),
    "reject": Transition(
        (S.pending.value,), S.rejected.value, "admin", True, "Your Pro application was declined"
    ),
    "ask_more": Transition(
        (S.pending.value,),
        S.needs_info.value,
        "admin",
        True,
        "Your Pro application needs more information",
    ),
    "revoke": Transition(
        (S.approved.value,), S.revoked.value, "admin", True, "Your Pro badge was removed"
    ),
}
DONE_WORDS = {
    "submit": "submitted",
    "approve": "approved",
    "reject": "rejected",
    "ask_more": "sent back for more information",
    "revoke": "revoked",
}
ADMIN_ACTIONS = tuple(name for name, t in TRANSITIONS.items() if t.actor == "admin")

MAX_LINKS = 10
MAX_LINK = 300
MAX_SUMMARY = 2000
MIN_SUMMARY = 100
MAX_CREDENTIALS = 1000
MAX_YEARS = 60
MIN_YEARS = 1
MAX_NOTE = 1000


@dataclass(frozen=True)
class ApplicationForm:
    category_id: int | None
    portfolio_links: list[str]
    credentials: str
    years_experience: int
    summary: str


def _text(value: Any, limit: int, what: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > limit:
        raise DomainError(
            f"Keep {what} to {limit:,} characters (now {len(text):,}): "
            f"shorten it by {len(text) - limit:,}."
        )
    return text


def _links(value: Any) -> list[str]:
    raw = value if isinstance(value, list) else []
    links = [link.strip() for link in raw if isinstance(link, str) and link.strip()]
    if len(links) > MAX_LINKS:
        raise DomainError(f"List at most {MAX_LINKS} portfolio links (now {len(links)}).")
    for link in links:
        parsed = urlparse(link) if len(link) <= MAX_LINK else None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.netloc:
            shown = link if len(link) <= 60 else link[:57] + "…"
            raise DomainError(f'"{shown}" is not a full web address starting with https://.')
    return list(dict.fromkeys(links))


def clean_form(session: Session, data: Any) -> ApplicationForm:
    """Lengths and types only (a draft may be incomplete); `submit` checks completeness."""
    data = data if isinstance(data, dict) else {}
    category_id = data.get("category_id")
    if isinstance(category_id, str) and category_id.isdigit():
        category_id = int(category_id)
    if category_id in (None, "", 0):
        category_id = None
    elif isinstance(category_id, bool) or not isinstance(category_id, int):
        raise DomainError("Choose the category you work in.")
    else:
        category = session.get(Category, category_id)
        if category is None or category.parent_id is not None:
            raise DomainError("Choose the category you work in.")
    years = data.get("years_experience", 0)
    if isinstance(years, str):
        years = int(years) if years.strip().isdigit() else (0 if not years.strip() else -1)
    if isinstance(years, bool) or not isinstance(years, int) or not 0 <= years <= MAX_YEARS:
        raise DomainError(f"Years of experience: a whole number from 0 to {MAX_YEARS}.")
    return ApplicationForm(
        category_id=category_id,
        portfolio_links=_links(data.get("portfolio_links")),
        credentials=_text(data.get("credentials"), MAX_CREDENTIALS, "your credentials"),
        years_experience=years,
        summary=_text(data.get("summary"), MAX_SUMMARY, "your summary"),
    )


def _complete(form: ApplicationForm) -> None:
    missing = []
    if form.category_id is None:
        missing.append("choose your category")
    if not form.portfolio_links:
        missing.append("add at least one portfolio link")
    if not form.credentials:
        missing.append("list your credentials (degrees, certificates, notable clients)")
    if form.years_experience < MIN_YEARS:
        missing.append(f"give at least {MIN_YEARS} year of professional experience")
    if len(form.summary) < MIN_SUMMARY:
        missing.append(
            f"write a summary of at least {MIN_SUMMARY} characters (now {len(form.summary)})"
        )
    if missing:
        raise DomainError("Before you submit: " + "; ".join(missing) + ".")


def current_application(session: Session, *, user_id: int) -> ProApplication | None:
    return session.exec(
        select(ProApplication)
        .where(ProApplication.user_id == user_id)
        .order_by(col(ProApplication.id).desc())
    ).first()


def _require_seller(session: Session, actor: User) -> FreelancerProfile:
    profile = session.exec(
        select(FreelancerProfile).where(FreelancerProfile.user_id == actor.id)
    ).first()
    if profile is None:
        raise PermissionDenied("Set up your seller profile before applying for Pro.")
    return profile


def save_draft(
    session: Session, *, actor: User | None, data: Any, now: datetime | None = None
) -> ProApplication:
    """Create or edit the actor's application while it is a draft or needs more information."""
    actor = require_active_user(actor)
    profile = _require_seller(session, actor)
    now = now or utcnow()
    form = clean_form(session, data)
    application = current_application(session, user_id=actor.id)
    if application is None or application.status in CLOSED:
        if profile.is_pro:
            raise DomainError("You are already a Pro seller.")
        application = ProApplication(
            user_id=actor.id, summary="", status=S.draft.value, created_at=now
        )
    elif application.status not in EDITABLE:
        raise DomainError(
            "Your application is under review."
            if application.status == S.pending.value
            else "You are already a Pro seller."
        )
    application.category_id = form.category_id
    application.portfolio_links = form.portfolio_links
    application.credentials = form.credentials
    application.years_experience = form.years_experience
    application.summary = form.summary
    application.updated_at = now
    session.add(application)
    session.flush()
    return application


def submit(
    session: Session, *, actor: User | None, data: Any, now: datetime | None = None
) -> ProApplication:
    """Save, check that everything is there, and send the application to the admins."""
    application = save_draft(session, actor=actor, data=data, now=now)
    _complete(clean_form(session, data))
    _move(session, application, "submit", actor=actor, text="", now=now or utcnow())
    application.submitted_at = now or utcnow()
    return application


def decide(
    session: Session,
    *,
    actor: User | None,
    application_id: Any,
    action: Any,
    text: Any = "",
    now: datetime | None = None,
) -> ProApplication:
    """An admin's step: approve (optional note), reject (reason), ask_more (question), revoke."""
    actor = require_active_user(actor)
    if not actor.is_admin:
        raise PermissionDenied("Only admins vet Pro applications.")
    if action not in ADMIN_ACTIONS:
        raise DomainError("Choose approve, reject, ask for more, or revoke.")
    if isinstance(application_id, bool) or not isinstance(application_id, int):
        raise NotFound("There is no such application.")
    application = session.exec(
        select(ProApplication).where(ProApplication.id == application_id).with_for_update()
    ).first()
    if application is None:
        raise NotFound("There is no such application.")
    _move(session, application, action, actor=actor, text=text, now=now or utcnow())
    return application


def _move(
    session: Session,
    application: ProApplication,
    action: str,
    *,
    actor: User,
    text: Any,
    now: datetime,
) -> None:
    t = TRANSITIONS[action]
    if t.actor == "applicant" and application.user_id != actor.id:
        raise PermissionDenied("This is not your application.")
    if application.status not in t.from_states:
        raise DomainError(
            f"This application is {application.status.replace('_', ' ')}: it can't be "
            f"{DONE_WORDS[action]} now."
            if t.actor == "admin"
            else "This application can't be submitted now."
        )
    note = _text(text, MAX_NOTE, "the note")
    if t.needs_text and not note:
        raise DomainError(
            "Tell the applicant what you need." if action == "ask_more" else "Give a reason."
        )
    application.status = t.to_state
    application.updated_at = now
    if t.actor == "admin":
        application.reason = note
        application.decided_by_id = actor.id
        application.decided_at = now
        if action in ("approve", "revoke"):
            _set_pro(session, application.user_id, action == "approve")
        session.add(
            ModerationAction(
                admin_id=actor.id,
                target_type="pro_application",
                target_id=application.id,
                action=f"pro.{action}",
                reason=note,
                data={"user_id": application.user_id, "status": t.to_state},
                created_at=now,
            )
        )
        notify(
            session,
            user_id=application.user_id,
            kind=f"pro.{action}",
            title=t.title,
            body=note,
            link="/pro/apply",
            at=now,
        )
    session.add(application)


def _set_pro(session: Session, user_id: int, is_pro: bool) -> None:
    profile = session.exec(
        select(FreelancerProfile).where(FreelancerProfile.user_id == user_id).with_for_update()
    ).first()
    if profile is None:
        raise DomainError("The applicant no longer has a seller profile.")
    profile.is_pro = is_pro
    session.add(profile)
    gigs.queue_seller_gigs(session, seller_id=user_id)


# --- the admin's queue ----------------------------------------------------------------------

QUEUE_PAGE = 20
QUEUE_STATUSES = (S.pending.value, S.needs_info.value, S.approved.value, S.rejected.value)


@dataclass(frozen=True)
class ApplicationRow:
    id: int
    status: str
    applicant_name: str
    applicant_username: str
    category: str
    years_experience: int
    portfolio_links: list[str]
    credentials: str
    summary: str
    reason: str
    submitted_at: datetime | None


@dataclass(frozen=True)
class ApplicationQueue:
    rows: list[ApplicationRow]
    counts: dict[str, int]
    total: int


def queue(
    session: Session, *, actor: User | None, status: Any = "pending", page: Any = 1
) -> ApplicationQueue:
    actor = require_active_user(actor)
    if not actor.is_admin:
        raise PermissionDenied("Only admins vet Pro applications.")
    status = status if status in QUEUE_STATUSES else S.pending.value
    page = page if isinstance(page, int) and not isinstance(page, bool) and page >= 1 else 1
    counts = dict(
        session.exec(
            select(ProApplication.status, func.count(ProApplication.id))
            .where(col(ProApplication.status).in_(QUEUE_STATUSES))
            .group_by(ProApplication.status)
        ).all()
    )
    rows = session.exec(
        select(ProApplication, User.display_name, User.username, Category.name)
        .join(User, col(User.id) == ProApplication.user_id)
        .outerjoin(Category, col(Category.id) == ProApplication.category_id)
        .where(ProApplication.status == status)
        .order_by(col(ProApplication.submitted_at), col(ProApplication.id))
        .limit(QUEUE_PAGE)
        .offset((min(page, 1000) - 1) * QUEUE_PAGE)
    ).all()
    return ApplicationQueue(
        rows=[
            ApplicationRow(
                id=a.id,
                status=a.status,
                applicant_name=name,
                applicant_username=username,
                category=category or "",
                years_experience=a.years_experience,
                portfolio_links=list(a.portfolio_links),
                credentials=a.credentials,
                summary=a.summary,
                reason=a.reason,
                submitted_at=a.submitted_at,
            )
            for a, name, username, category in rows
        ],
        counts={name: int(counts.get(name, 0)) for name in QUEUE_STATUSES},
        total=int(counts.get(status, 0)),
    )


# --- the applicant's page -------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicantView:
    is_seller: bool
    is_pro: bool
    application: ProApplication | None
    categories: list[tuple[int, str]]  # top-level categories, menu order


def applicant_view(session: Session, *, actor: User | None) -> ApplicantView:
    actor = require_active_user(actor)
    profile = session.exec(
        select(FreelancerProfile).where(FreelancerProfile.user_id == actor.id)
    ).first()
    categories = session.exec(
        select(Category.id, Category.name)
        .where(col(Category.parent_id).is_(None))
        .order_by(Category.position, Category.name)
    ).all()
    return ApplicantView(
        is_seller=profile is not None,
        is_pro=bool(profile and profile.is_pro),
        application=current_application(session, user_id=actor.id),
        categories=[(cid, name) for cid, name in categories],
    )
