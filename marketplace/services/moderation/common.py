"""What every moderation module shares: the admin check, the audit row, paging and the
checks of the arguments a page sends (ids, page numbers, choices, search words, reasons).

Every action in this package checks the admin role first (`require_admin`), does its effect,
writes one append-only ModerationAction row (`audit`: who, when, what, why) and tells the
people concerned with a notification (`services/common/notifications.notify`), all in the
caller's transaction (session_scope commits). Every list is paged and filtered in SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from marketplace.db import utcnow
from marketplace.models import ModerationAction, User
from marketplace.services.common.errors import DomainError, NotFound, PermissionDenied
from marketplace.services.common.guards import require_active_user
from marketplace.services.gigs import actions as gigs
from marketplace.services.gigs import rules as gig_rules

PAGE_SIZE = 20
MAX_PAGE = 10_000
REASON_MAX = 1000
QUERY_MAX = 100
BULK_MAX = 50
NOT_FOUND = "Not found."


@dataclass(frozen=True)
class Paged:
    rows: list
    total: int
    page: int
    pages: int


def require_admin(actor: User | None) -> User:
    """An active admin, or PermissionDenied (the pages show non-admins "not found")."""
    require_active_user(actor)
    if not actor.is_admin:
        raise PermissionDenied("Only admins can do that.")
    return actor


def valid_id(value: Any) -> int:
    """A row id sent by a page, or NotFound."""
    found = gigs.valid_id(value)
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


def page_number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return 1
    return min(max(value, 1), MAX_PAGE)


def choice(value: Any, allowed: Sequence[str], default: str) -> str:
    return value if isinstance(value, str) and value in allowed else default


def query_text(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())[:QUERY_MAX]


def like(text: str) -> str:
    """A LIKE pattern for `text` anywhere, lower-case, with its wildcards escaped (`\\`)."""
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


def paged(session: Session, statement, count_statement, page: int) -> tuple[list, int, int, int]:
    """One page of `statement` (PAGE_SIZE rows): (rows, total, page, pages)."""
    total = int(session.exec(count_statement).one())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    rows = list(session.exec(statement.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all())
    return rows, total, page, pages


def user_names(session: Session, ids: set[int]) -> dict[int, str]:
    """id -> display name for these users (one query)."""
    return dict(
        session.exec(select(User.id, User.display_name).where(col(User.id).in_(ids or {0}))).all()
    )
