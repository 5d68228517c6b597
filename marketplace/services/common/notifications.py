"""The notification bell: the one way to write a notification (`notify`), a user's unread
count, their latest notifications, marking read.

The services that cause a notification (the orders executor, offers, reviews, levels, Pro,
moderation) write it with `notify`, in their own transaction; this module reads them for their
owner, marks them read, and hands the web processes the rows still to be pushed to open tabs
(`claim_unpushed`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select, update

from marketplace.db import utcnow
from marketplace.models import Notification, User
from marketplace.services.common.errors import NotFound, PermissionDenied

LIST_SIZE = 10
TITLE_MAX, BODY_MAX, LINK_MAX, KIND_MAX = 200, 1000, 255, 40


def notify(
    session: Session,
    *,
    user_id: int,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    at: datetime | None = None,
) -> Notification:
    """Add one notification for `user_id` to the caller's transaction (it commits with the
    change that caused it). Title and body are cut to their columns; `kind` ("order.deliver")
    and `link` (a site path such as "/orders/GW-…", or "") are ours, so a wrong one raises."""
    if not kind or len(kind) > KIND_MAX:
        raise ValueError(f"notification kind {kind!r} must be 1 to {KIND_MAX} characters")
    if link and (not link.startswith("/") or link.startswith("//") or len(link) > LINK_MAX):
        raise ValueError(f"notification link {link!r} must be a site path of <= {LINK_MAX}")
    row = Notification(
        user_id=user_id,
        kind=kind,
        title=title[:TITLE_MAX],
        body=body[:BODY_MAX],
        link=link,
        created_at=at or utcnow(),
    )
    session.add(row)
    return row


def _owner(actor: User | None) -> int:
    if actor is None or actor.id is None:
        raise PermissionDenied("Sign in to continue.")
    return actor.id


def unread_count(session: Session, *, user_id: int) -> int:
    return session.exec(
        select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
    ).one()


def latest(session: Session, *, actor: User | None, limit: int = LIST_SIZE) -> list[Notification]:
    """The newest notifications of the actor, read or not (the bell's list)."""
    user_id = _owner(actor)
    return list(
        session.exec(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.id.desc())
            .limit(limit)
        ).all()
    )


def open_one(
    session: Session, *, actor: User | None, notification_id: object, now: datetime | None = None
) -> str:
    """Marks the actor's notification read and returns where it leads (a site path)."""
    user_id = _owner(actor)
    if isinstance(notification_id, bool) or not isinstance(notification_id, int):
        raise NotFound("No such notification.")
    row = session.get(Notification, notification_id)
    if row is None or row.user_id != user_id:
        raise NotFound("No such notification.")
    if row.read_at is None:
        row.read_at = now or utcnow()
        session.add(row)
        session.flush()
    link = row.link or ""
    return link if link.startswith("/") and not link.startswith("//") else "/"


def mark_all_read(session: Session, *, actor: User | None, now: datetime | None = None) -> int:
    user_id = _owner(actor)
    result = session.exec(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
    )
    return result.rowcount or 0


RELAY_BATCH = 500


def claim_unpushed(
    session: Session, *, limit: int = RELAY_BATCH, now: datetime | None = None
) -> list[int]:
    """The users with notifications no web process has pushed yet; those rows are marked
    pushed in the same statement, so of several web processes exactly one pushes each row
    (a second UPDATE waits for the first's row locks, then finds `pushed_at` set and skips).
    An idle call only reads (no write lock on SQLite)."""
    waiting = select(Notification.id).where(Notification.pushed_at.is_(None))
    if session.exec(waiting.limit(1)).first() is None:
        return []
    claimed = session.exec(
        update(Notification)
        .where(
            Notification.id.in_(waiting.order_by(Notification.id).limit(max(1, int(limit)))),
            Notification.pushed_at.is_(None),
        )
        .values(pushed_at=now or utcnow())
        .returning(Notification.user_id)
    )
    return sorted(set(claimed.scalars().all()))
