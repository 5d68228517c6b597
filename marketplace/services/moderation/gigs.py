"""Moderating gigs: the review queues (waiting, edited since approval, active, suspended,
rejected), approve / reject (one or many), suspend / reinstate, and accepting a live edit.

Which gig statuses an admin may suspend is decided here once (`can_suspend`); the admin page
shows the Suspend button from the row's `can_suspend`, and a suspension of the seller's whole
account (users.py) takes down the same statuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from marketplace.db import utcnow
from marketplace.labels import GIG_STATUS_PHRASES, revisions_count
from marketplace.models import Gig, GigMedia, GigStatus, OutboxOp, SearchOutbox, User, UserStatus
from marketplace.models.moderation import GigApproval
from marketplace.services.common.errors import DomainError, NotFound
from marketplace.services.common.money import money_text
from marketplace.services.common.notifications import notify
from marketplace.services.gigs import actions as gigs
from marketplace.services.moderation import gig_review_queue
from marketplace.services.moderation.common import (
    BULK_MAX,
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

GIG_QUEUES = ("pending", "edited", "active", "suspended", "rejected")
# A live, paused or waiting gig can be suspended; a draft, a rejected or a deleted one can't.
SUSPENDABLE = (GigStatus.active.value, GigStatus.paused.value, GigStatus.pending_review.value)


def can_suspend(status: str) -> bool:
    """May an admin suspend a gig in this status? (The page's Suspend button asks this.)"""
    return status in SUSPENDABLE


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
    can_suspend: bool = False


def _gig_for_admin(session: Session, gig_id: Any) -> Gig:
    gig = session.exec(
        select(Gig).where(Gig.id == valid_id(gig_id)).execution_options(populate_existing=True)
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
        f"{package.get('name', '')} {money_text(int(package.get('price_cents') or 0))} / "
        f"{package.get('delivery_days', 0)}d / "
        f"{revisions_count(int(package.get('revisions') or 0))}: "
        f"{package.get('description') or '—'} [{features}]"
    )


def gig_queue(
    session: Session, *, admin: User | None, queue: Any = "pending", query: Any = "", page: Any = 1
) -> Paged:
    """Gigs waiting for review, edited since approval, active, suspended or rejected."""
    require_admin(admin)
    queue = choice(queue, GIG_QUEUES, "pending")
    words = query_text(query)
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
        pattern = like(words)
        conditions.append(
            or_(
                func.lower(Gig.title).like(pattern, escape="\\"),
                func.lower(User.display_name).like(pattern, escape="\\"),
            )
        )
    rows, total, page, pages = paged(
        session,
        statement.where(*conditions).order_by(order, col(Gig.id)),
        count.where(*conditions),
        page_number(page),
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
                can_suspend=can_suspend(gig.status),
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
    gig = gigs.review_gig(session, admin=admin, gig_id=valid_id(gig_id), approve=True)
    _tell_seller(session, gig, "gig.approved", f"Your gig “{gig.title}” is live")
    return gig


def reject_gig(session: Session, *, admin: User | None, gig_id: Any, reason: Any) -> Gig:
    require_admin(admin)
    reason = clean_reason(reason, required="Tell the seller why the gig was not approved.")
    gig = gigs.review_gig(
        session, admin=admin, gig_id=valid_id(gig_id), approve=False, reason=reason
    )
    _tell_seller(session, gig, "gig.rejected", f"Your gig “{gig.title}” was not approved", reason)
    return gig


def approve_gigs(session: Session, *, admin: User | None, gig_ids: Any) -> int:
    """Bulk approval of pending gigs; all or nothing (one stale gig refuses the batch)."""
    require_admin(admin)
    if not isinstance(gig_ids, list) or not gig_ids:
        raise DomainError("Choose the gigs to approve.")
    if len(gig_ids) > BULK_MAX:
        raise DomainError(f"Approve at most {BULK_MAX} gigs at once.")
    ids = list(dict.fromkeys(valid_id(value) for value in gig_ids))
    for gig_id in ids:
        approve_gig(session, admin=admin, gig_id=gig_id)
    return len(ids)


def take_down(session: Session, gig: Gig, reason: str) -> bool:
    """Suspend one gig (no audit row: the caller writes it); True if it was live in search."""
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
    if not can_suspend(gig.status):
        raise gigs.GigStateError(
            f"Only a live or pending gig can be suspended; this one is "
            f"{GIG_STATUS_PHRASES.get(gig.status, gig.status)}."
        )
    previous = gig.status
    take_down(session, gig, reason)
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
    put_back(session, gig)
    gig_review_queue.record_approval(session, gig, admin_id=admin.id)
    audit(
        session, admin, target_type="gig", target_id=gig.id, action="reinstate_gig", reason=reason
    )
    _tell_seller(session, gig, "gig.reinstated", f"Your gig “{gig.title}” is live again", reason)
    return gig


def put_back(session: Session, gig: Gig) -> None:
    """A suspended gig live again and back into search (no audit row: the caller writes it)."""
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
