"""Gigs: creating, autosaving, publishing, pausing, deleting, the gallery and moderation.

Every write to a gig and every permission check about one lives here, so the pages only call
these functions and show the messages. Each function takes the session and the acting user,
checks what that user may do before writing anything, and raises NotFound, PermissionDenied or
a DomainError subclass whose message is safe to show. The caller commits (session_scope).

The editor autosaves its whole form into `Gig.draft` with the version it last saw; a save from a
stale tab is refused (VersionConflict) by an UPDATE guarded on that version, so two tabs can
never silently overwrite each other. Live rows (title, packages, extras ...) change only when a
fully valid draft is published, or saved on an active or paused gig. A SearchOutbox row is
written in the same transaction whenever what the search index shows changes.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from marketplace.db import utcnow
from marketplace.labels import GIG_STATUS_PHRASES, seller_level_phrase
from marketplace.models import (
    Category,
    FreelancerProfile,
    Gig,
    GigExtra,
    GigFAQ,
    GigMedia,
    GigPackage,
    GigRequirement,
    GigStatus,
    ModerationAction,
    Order,
    OutboxOp,
    SearchOutbox,
    User,
)
from marketplace.services.accounts import tokens as account_tokens
from marketplace.services.common.errors import DomainError, NotFound, PermissionDenied
from marketplace.services.common.guards import is_active_user, require_active_user
from marketplace.services.common.slugs import gig_slug
from marketplace.services.gigs import rules as gig_rules
from marketplace.services.moderation import gig_review_queue
from marketplace.services.orders import process as order_process
from search import sync as search_sync

MAX_DRAFT_BYTES = 64 * 1024
MAX_OPEN_DRAFTS = 20
MAX_ID = 2**31 - 1  # PostgreSQL integer columns
DRAFT_SLUG_PREFIX = "draft-"
STATUS_REASON_MAX = 500

# Gigs that count against a seller's active-gig limit.
COUNTED_STATUSES = (GigStatus.active.value, GigStatus.pending_review.value)
PUBLISHABLE_STATUSES = (
    GigStatus.draft.value,
    GigStatus.rejected.value,
    GigStatus.pending_review.value,  # resubmitting the latest draft while waiting
)
LIVE_EDIT_STATUSES = (GigStatus.active.value, GigStatus.paused.value)
NEEDS_IMAGE_STATUSES = (
    GigStatus.active.value,
    GigStatus.paused.value,
    GigStatus.pending_review.value,
)

GIG_NOT_FOUND = "This gig doesn't exist or isn't available."
CONFLICT = "This gig was changed in another tab or window. Reload to see the latest version."
_MEDIA_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,254}")


class VersionConflict(DomainError):
    """The editor saved from a stale copy; nothing was written."""


class DraftInvalid(DomainError):
    """Publishing needs a valid draft; `errors` maps field paths to messages."""

    def __init__(self, errors: Mapping[str, str], message: str = ""):
        self.errors = dict(errors)
        count = len(self.errors)
        super().__init__(
            message
            or f"Fix {'this field' if count == 1 else f'these {count} fields'} before publishing."
        )


class DraftTooLarge(DomainError):
    pass


class GigLimitReached(DomainError):
    """The seller's level allows no more active gigs."""

    def __init__(self, message: str, *, limit: int):
        super().__init__(message)
        self.limit = limit


class GigStateError(DomainError):
    """The action is not possible in the gig's current status."""


class GalleryError(DomainError):
    pass


@dataclass(frozen=True)
class SaveResult:
    version: int  # send this back as expected_version with the next save
    errors: dict[str, str]  # what still stops publishing (field path -> message)
    applied_live: bool  # an active/paused gig's public page now shows this draft


@dataclass(frozen=True)
class PublishResult:
    version: int
    status: str  # pending_review, or active when gigs are approved automatically
    slug: str


@dataclass(frozen=True)
class GalleryImage:
    id: int
    name: str  # the stored file name (marketplace.services.common.media)
    content_type: str
    size_bytes: int
    position: int  # 0 is the cover


# --- permissions -------------------------------------------------------------------------------


def can_view_gig(*, status: str, seller_id: int, viewer: User | None) -> bool:
    """Active gigs are public; others only to their seller and admins; deleted only to admins."""
    if viewer is not None and not is_active_user(viewer):
        viewer = None
    if status == GigStatus.active:
        return True
    if viewer is None:
        return False
    if status == GigStatus.deleted:
        return viewer.is_admin
    return viewer.id == seller_id or viewer.is_admin


def valid_id(value: Any) -> int | None:
    """A database id from client-controlled input, or None."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        return None
    return value


def _load_gig(session: Session, gig_id: Any, *, lock: bool = False) -> Gig | None:
    gig_id = valid_id(gig_id)
    if gig_id is None:
        return None
    statement = select(Gig).where(Gig.id == gig_id).execution_options(populate_existing=True)
    if lock:
        statement = statement.with_for_update()
    return session.exec(statement).first()


def owned_gig(session: Session, *, actor: User | None, gig_id: Any, lock: bool = False) -> Gig:
    """The actor's own, not deleted gig. Others learn only what they could already see."""
    require_active_user(actor)
    gig = _load_gig(session, gig_id, lock=lock)
    if gig is None:
        raise NotFound(GIG_NOT_FOUND)
    if gig.seller_id != actor.id:
        if can_view_gig(status=gig.status, seller_id=gig.seller_id, viewer=actor):
            raise PermissionDenied("Only the gig's seller can change it.")
        raise NotFound(GIG_NOT_FOUND)
    if gig.status == GigStatus.deleted:
        raise NotFound("This gig has been deleted.")
    return gig


def _require_seller(session: Session, actor: User) -> FreelancerProfile:
    profile = session.exec(
        select(FreelancerProfile).where(FreelancerProfile.user_id == actor.id)
    ).first()
    if profile is None:
        raise PermissionDenied("Become a seller first: set up your seller profile to create gigs.")
    return profile


# --- small writes ------------------------------------------------------------------------------


def _outbox(session: Session, gig_id: int, op: OutboxOp) -> None:
    session.add(SearchOutbox(gig_id=gig_id, op=op.value))


def queue_seller_gigs(session: Session, *, seller_id: int) -> int:
    """Queue a search update for each of a seller's active gigs (their documents show the
    seller's name, level, country and languages). Returns how many were queued."""
    return search_sync.enqueue_seller_gigs(session, seller_id)


def _set_committed(gig: Gig, values: Mapping[str, Any]) -> None:
    """Mirror a Core UPDATE on the loaded object without marking it dirty."""
    for key, value in values.items():
        set_committed_value(gig, key, value)


def _bump_version(session: Session, gig: Gig, expected: int, now: datetime, **values) -> None:
    """Race-safe: the UPDATE matches only while the version is still the one the editor saw."""
    changes = {"version": expected + 1, "updated_at": now, **values}
    result = session.execute(
        update(Gig)
        .where(
            col(Gig.id) == gig.id,
            col(Gig.version) == expected,
            col(Gig.status) != GigStatus.deleted.value,
        )
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise VersionConflict(CONFLICT)
    _set_committed(gig, changes)


def _transition(
    session: Session, gig: Gig, *, allowed: Sequence[str], to: str, now: datetime, **values
) -> None:
    """Change the status only if it is still one of `allowed` (another tab may have acted)."""
    changes = {"status": to, "updated_at": now, **values}
    result = session.execute(
        update(Gig)
        .where(col(Gig.id) == gig.id, col(Gig.status).in_(list(allowed)))
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise GigStateError("This gig changed in the meantime. Reload the page and try again.")
    _set_committed(gig, changes)


def moderate_status(
    session: Session, gig: Gig, *, allowed: Sequence[str], to: str, **values
) -> None:
    """A moderator's status change (services/moderation/gigs.py has checked the admin role):
    guarded like the seller's own, so a gig changed meanwhile is refused, not overwritten."""
    _transition(session, gig, allowed=allowed, to=to, now=utcnow(), **values)


def _expected_version(value: Any) -> int:
    version = valid_id(value)
    if version is None:
        raise VersionConflict(CONFLICT)
    return version


def _storable_draft(draft: Any) -> dict:
    """The draft in its documented shape, refused when it is larger than MAX_DRAFT_BYTES."""
    if not isinstance(draft, dict):
        raise DomainError("The form could not be read. Reload the page and try again.")
    shaped = gig_rules.coerce_draft(draft)
    if len(json.dumps(shaped)) > MAX_DRAFT_BYTES:
        raise DraftTooLarge(
            f"This gig is too large to save (over {MAX_DRAFT_BYTES // 1024} KiB). "
            "Shorten some of the texts."
        )
    return shaped


def _subcategory_ids(session: Session, draft: Mapping) -> set[int]:
    """{the draft's category id} if it names an existing subcategory, else an empty set."""
    category_id = gig_rules.parse_category_id(draft.get("category_id"))
    if category_id is None or category_id > MAX_ID:
        return set()
    found = session.exec(
        select(Category.id).where(Category.id == category_id, col(Category.parent_id).is_not(None))
    ).first()
    return {found} if found is not None else set()


def _gallery_count(session: Session, gig_id: int) -> int:
    return int(session.exec(select(func.count(GigMedia.id)).where(GigMedia.gig_id == gig_id)).one())


def current_draft(session: Session, gig: Gig) -> dict:
    """The editor's form for a gig: its stored draft, else one built from its live rows."""
    if gig.draft:
        return gig_rules.coerce_draft(gig.draft)
    packages = session.exec(select(GigPackage).where(GigPackage.gig_id == gig.id)).all()
    if not packages:
        return gig_rules.empty_draft()
    return gig_rules.draft_from_gig(
        gig,
        packages,
        session.exec(select(GigExtra).where(GigExtra.gig_id == gig.id)).all(),
        session.exec(select(GigFAQ).where(GigFAQ.gig_id == gig.id)).all(),
        session.exec(select(GigRequirement).where(GigRequirement.gig_id == gig.id)).all(),
    )


def _sync_rows(session: Session, model: type, gig_id: int, values: list[dict]) -> None:
    """Make a gig's ordered child rows equal `values`, updating rows in place where possible."""
    existing = session.exec(
        select(model).where(model.gig_id == gig_id).order_by(model.position, model.id)
    ).all()
    for position, row_values in enumerate(values):
        row = existing[position] if position < len(existing) else model(gig_id=gig_id)
        for key, value in {**row_values, "position": position}.items():
            setattr(row, key, value)
        session.add(row)
    for row in existing[len(values) :]:
        session.delete(row)


def _apply_live(session: Session, gig: Gig, clean: gig_rules.CleanGig, now: datetime) -> None:
    """Write a valid draft into the rows the public page, search and orders read."""
    gig.title = clean.title
    gig.category_id = clean.category_id
    gig.tags = list(clean.tags)
    gig.description = clean.description
    gig.package_features = list(clean.features)
    gig.single_package = clean.single_package
    gig.price_from_cents = clean.price_from_cents
    gig.delivery_days_min = clean.delivery_days_min
    gig.updated_at = now
    session.add(gig)

    existing = {
        row.tier: row
        for row in session.exec(select(GigPackage).where(GigPackage.gig_id == gig.id)).all()
    }
    for package in clean.packages:
        row = existing.pop(package.tier, None) or GigPackage(
            gig_id=gig.id, tier=package.tier, name="", price_cents=0, delivery_days=0
        )
        row.name = package.name
        row.description = package.description
        row.price_cents = package.price_cents
        row.delivery_days = package.delivery_days
        row.revisions = package.revisions
        row.features = list(package.features)
        session.add(row)
    for row in existing.values():  # tiers no longer offered (single-package mode)
        session.delete(row)

    _sync_rows(
        session,
        GigExtra,
        gig.id,
        [
            {
                "kind": extra.kind,
                "title": extra.title,
                "description": extra.description,
                "price_cents": extra.price_cents,
                "extra_days": extra.extra_days,
            }
            for extra in clean.extras
        ],
    )
    _sync_rows(
        session,
        GigFAQ,
        gig.id,
        [{"question": faq.question, "answer": faq.answer} for faq in clean.faqs],
    )
    _sync_rows(
        session,
        GigRequirement,
        gig.id,
        [
            {
                "question": req.question,
                "kind": req.kind,
                "choices": list(req.choices),
                "required": req.required,
            }
            for req in clean.requirements
        ],
    )


def _check_gig_limit(
    session: Session, *, seller_id: int, exclude_gig_id: int, limits: Mapping[str, int]
) -> None:
    """Active + pending gigs against the seller level's limit (the profile row is locked)."""
    profile = session.exec(
        select(FreelancerProfile).where(FreelancerProfile.user_id == seller_id).with_for_update()
    ).first()
    if profile is None:
        raise PermissionDenied("Become a seller first: set up your seller profile to create gigs.")
    limit = int(limits.get(profile.level, limits.get("new", 0)))
    count = int(
        session.exec(
            select(func.count(Gig.id)).where(
                Gig.seller_id == seller_id,
                col(Gig.status).in_(COUNTED_STATUSES),
                Gig.id != exclude_gig_id,
            )
        ).one()
    )
    if count >= limit:
        label = seller_level_phrase(profile.level)
        raise GigLimitReached(
            f"As a {label} you can have up to {limit} active gig{'' if limit == 1 else 's'} "
            f"(gigs waiting for review count too), and you have {count}. "
            "Pause or delete a gig to publish this one.",
            limit=limit,
        )


def _unique_slug(session: Session, gig: Gig) -> str:
    slug = base = gig_slug(gig.title, gig.id)
    while session.exec(select(Gig.id).where(Gig.slug == slug, Gig.id != gig.id)).first():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug


# --- the editor --------------------------------------------------------------------------------


def create_draft_gig(session: Session, *, actor: User | None) -> Gig:
    """A new, empty draft owned by a seller; the editor fills it by autosaving."""
    require_active_user(actor)
    _require_seller(session, actor)
    drafts = session.exec(
        select(func.count(Gig.id)).where(
            Gig.seller_id == actor.id, Gig.status == GigStatus.draft.value
        )
    ).one()
    if drafts >= MAX_OPEN_DRAFTS:
        raise DomainError(
            f"You have {MAX_OPEN_DRAFTS} unfinished drafts. Publish or delete one first."
        )
    gig = Gig(
        seller_id=actor.id,
        category_id=None,
        slug=f"{DRAFT_SLUG_PREFIX}{secrets.token_hex(8)}",
        title="",
        status=GigStatus.draft.value,
        draft={},
        version=1,
    )
    session.add(gig)
    session.flush()
    return gig


def save_draft(
    session: Session, *, actor: User | None, gig_id: int, expected_version: int, draft: dict
) -> SaveResult:
    """Autosave the editor's form. On an active or paused gig a fully valid form goes live.

    An invalid form is still saved (nothing typed is lost) but never takes a live gig down.
    """
    gig = owned_gig(session, actor=actor, gig_id=gig_id)
    expected = _expected_version(expected_version)
    if expected != gig.version:
        raise VersionConflict(CONFLICT)
    stored = _storable_draft(draft)
    now = utcnow()
    _bump_version(session, gig, expected, now, draft=stored)

    category_ids = _subcategory_ids(session, stored)
    errors = gig_rules.validate_draft(
        stored, category_ids=category_ids, gallery_count=_gallery_count(session, gig.id)
    )
    applied = False
    content_errors = {path: message for path, message in errors.items() if path != "gallery"}
    if gig.status in LIVE_EDIT_STATUSES and not content_errors:
        gig_review_queue.baseline(session, gig)  # post-moderation: keep what was approved
        _apply_live(session, gig, gig_rules.clean_draft(stored, category_ids=category_ids), now)
        if gig.status == GigStatus.active:
            _outbox(session, gig.id, OutboxOp.upsert)
        gig_review_queue.edited(session, gig)
        applied = True
    session.flush()
    return SaveResult(version=gig.version, errors=errors, applied_live=applied)


def publish_gig(
    session: Session,
    *,
    actor: User | None,
    gig_id: int,
    expected_version: int,
    settings_auto_approve: bool,
    active_gig_limits: Mapping[str, int],
) -> PublishResult:
    """Submit the draft: it must be fully valid, with an image, within the seller's gig limit.

    The gig goes to moderation (pending_review), or straight to active when auto-approval is
    on. A draft gets its public slug from its title the first time.
    """
    gig = owned_gig(session, actor=actor, gig_id=gig_id, lock=True)
    account_tokens.require_verified_email(actor)  # issue 14: a confirmed address to publish
    expected = _expected_version(expected_version)
    if gig.status not in PUBLISHABLE_STATUSES:
        if gig.status in LIVE_EDIT_STATUSES:
            raise GigStateError("This gig is already published; saved changes go live at once.")
        raise GigStateError(
            "This gig was suspended by our moderators and can't be published. Contact support."
        )
    if expected != gig.version:
        raise VersionConflict(CONFLICT)
    draft = current_draft(session, gig)
    category_ids = _subcategory_ids(session, draft)
    errors = gig_rules.validate_draft(
        draft, category_ids=category_ids, gallery_count=_gallery_count(session, gig.id)
    )
    if errors:
        raise DraftInvalid(errors)
    _check_gig_limit(
        session, seller_id=gig.seller_id, exclude_gig_id=gig.id, limits=active_gig_limits
    )
    now = utcnow()
    _bump_version(session, gig, expected, now)
    _apply_live(session, gig, gig_rules.clean_draft(draft, category_ids=category_ids), now)
    if gig.slug.startswith(DRAFT_SLUG_PREFIX):
        gig.slug = _unique_slug(session, gig)
    gig.status_reason = ""
    if settings_auto_approve:
        gig.status = GigStatus.active.value
        gig.published_at = gig.published_at or now
        _outbox(session, gig.id, OutboxOp.upsert)
    else:
        gig.status = GigStatus.pending_review.value
    session.add(gig)
    session.flush()
    return PublishResult(version=gig.version, status=gig.status, slug=gig.slug)


def pause_gig(session: Session, *, actor: User | None, gig_id: int) -> Gig:
    """Take an active gig out of search and ordering; the seller can resume it any time."""
    gig = owned_gig(session, actor=actor, gig_id=gig_id, lock=True)
    if gig.status != GigStatus.active:
        if gig.status == GigStatus.paused:
            raise GigStateError("This gig is already paused.")
        raise GigStateError(
            f"Only an active gig can be paused; this one is {GIG_STATUS_PHRASES[gig.status]}."
        )
    _transition(
        session, gig, allowed=[GigStatus.active.value], to=GigStatus.paused.value, now=utcnow()
    )
    _outbox(session, gig.id, OutboxOp.delete)
    session.flush()
    return gig


def resume_gig(
    session: Session, *, actor: User | None, gig_id: int, active_gig_limits: Mapping[str, int]
) -> Gig:
    """Back to active, if the seller's level still allows one more active gig."""
    gig = owned_gig(session, actor=actor, gig_id=gig_id, lock=True)
    if gig.status != GigStatus.paused:
        raise GigStateError(
            f"Only a paused gig can be resumed; this one is {GIG_STATUS_PHRASES[gig.status]}."
        )
    _check_gig_limit(
        session, seller_id=gig.seller_id, exclude_gig_id=gig.id, limits=active_gig_limits
    )
    _transition(
        session, gig, allowed=[GigStatus.paused.value], to=GigStatus.active.value, now=utcnow()
    )
    _outbox(session, gig.id, OutboxOp.upsert)
    session.flush()
    return gig


def delete_gig(session: Session, *, actor: User | None, gig_id: int) -> Gig:
    """Soft delete: the gig disappears everywhere, its rows stay for past orders and audits."""
    gig = owned_gig(session, actor=actor, gig_id=gig_id, lock=True)
    open_orders = session.exec(
        select(func.count(Order.id)).where(
            Order.gig_id == gig.id, col(Order.status).in_(order_process.ACTIVE)
        )
    ).one()
    if open_orders:
        raise GigStateError(
            "This gig has orders in progress. Complete them before deleting it "
            "(you can pause it to stop new orders)."
        )
    was_active = gig.status == GigStatus.active
    now = utcnow()
    allowed = [status.value for status in GigStatus if status != GigStatus.deleted]
    _transition(session, gig, allowed=allowed, to=GigStatus.deleted.value, now=now, deleted_at=now)
    if was_active:
        _outbox(session, gig.id, OutboxOp.delete)
    session.flush()
    return gig


# --- moderation --------------------------------------------------------------------------------


def review_gig(
    session: Session, *, admin: User | None, gig_id: int, approve: bool, reason: str = ""
) -> Gig:
    """A moderator approves a gig waiting for review (it goes live) or rejects it with a reason."""
    require_active_user(admin)
    if not admin.is_admin:
        raise PermissionDenied("Only moderators can review gigs.")
    gig = _load_gig(session, gig_id, lock=True)
    if gig is None:
        raise NotFound(GIG_NOT_FOUND)
    if gig.status != GigStatus.pending_review:
        raise GigStateError(
            f"This gig isn't waiting for review; it is {GIG_STATUS_PHRASES[gig.status]}."
        )
    reason = " ".join(reason.split()) if isinstance(reason, str) else ""
    if approve is not True and not reason:
        raise DomainError("Tell the seller why the gig was not approved.")
    if len(reason) > STATUS_REASON_MAX or gig_rules.has_unsafe_chars(reason):
        raise DomainError(f"Keep the reason under {STATUS_REASON_MAX} characters of plain text.")
    now = utcnow()
    if approve is True:
        _transition(
            session,
            gig,
            allowed=[GigStatus.pending_review.value],
            to=GigStatus.active.value,
            now=now,
            status_reason="",
            published_at=gig.published_at or now,
        )
        _outbox(session, gig.id, OutboxOp.upsert)
    else:
        _transition(
            session,
            gig,
            allowed=[GigStatus.pending_review.value],
            to=GigStatus.rejected.value,
            now=now,
            status_reason=reason,
        )
    if approve is True:
        gig_review_queue.record_approval(session, gig, admin_id=admin.id)
    session.add(
        ModerationAction(
            admin_id=admin.id,
            target_type="gig",
            target_id=gig.id,
            action="approve_gig" if approve is True else "reject_gig",
            reason=reason,
        )
    )
    session.flush()
    return gig


# --- the gallery -------------------------------------------------------------------------------


def gallery(session: Session, *, gig_id: int) -> list[GalleryImage]:
    """A gig's images, cover first. No permission check: callers check the gig first."""
    rows = session.exec(
        select(GigMedia).where(GigMedia.gig_id == gig_id).order_by(GigMedia.position, GigMedia.id)
    ).all()
    return [
        GalleryImage(
            id=row.id,
            name=row.path,
            content_type=row.content_type,
            size_bytes=row.size_bytes,
            position=row.position,
        )
        for row in rows
    ]


def _renumber(session: Session, rows: Sequence[GigMedia]) -> None:
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            session.add(row)


def _media_rows(session: Session, gig_id: int) -> list[GigMedia]:
    return list(
        session.exec(
            select(GigMedia)
            .where(GigMedia.gig_id == gig_id)
            .order_by(GigMedia.position, GigMedia.id)
        ).all()
    )


def _gallery_changed(session: Session, gig: Gig, before: int | None, rows: list[GigMedia]) -> None:
    """The gig changed (the public page reads its content again after a change of
    Gig.updated_at); the cover is in the search document: an active gig's entry follows it."""
    gig.updated_at = utcnow()
    session.add(gig)
    after = rows[0].id if rows else None
    if before != after and gig.status == GigStatus.active:
        _outbox(session, gig.id, OutboxOp.upsert)


def add_gallery_image(
    session: Session,
    *,
    actor: User | None,
    gig_id: int,
    name: str,
    content_type: str,
    size_bytes: int,
) -> GalleryImage:
    """Attach an already stored image (services/common/media.py) at the end of the gallery."""
    gig = owned_gig(session, actor=actor, gig_id=gig_id, lock=True)
    if (
        not isinstance(name, str)
        or not _MEDIA_NAME.fullmatch(name)
        or ".." in name
        or not isinstance(content_type, str)
        or not content_type.startswith("image/")
        or len(content_type) > 40
        or isinstance(size_bytes, bool)
        or not isinstance(size_bytes, int)
        or size_bytes < 0
    ):
        raise GalleryError("That image can't be added. Upload it again.")
    rows = _media_rows(session, gig.id)
    if len(rows) >= gig_rules.GALLERY_MAX:
        raise GalleryError(
            f"A gig gallery holds up to {gig_rules.GALLERY_MAX} images. Remove one to add another."
        )
    before = rows[0].id if rows else None
    gig_review_queue.baseline(session, gig)
    media = GigMedia(
        gig_id=gig.id,
        path=name,
        content_type=content_type,
        size_bytes=size_bytes,
        position=len(rows),
    )
    session.add(media)
    session.flush()
    _gallery_changed(session, gig, before, [*rows, media])
    session.flush()
    gig_review_queue.edited(session, gig)
    return GalleryImage(
        id=media.id,
        name=media.path,
        content_type=media.content_type,
        size_bytes=media.size_bytes,
        position=media.position,
    )


def remove_gallery_image(
    session: Session, *, actor: User | None, gig_id: int, media_id: int
) -> str:
    """Detach an image; returns its file name so the caller deletes the file after commit."""
    gig = owned_gig(session, actor=actor, gig_id=gig_id, lock=True)
    rows = _media_rows(session, gig.id)
    media = next((row for row in rows if row.id == valid_id(media_id)), None)
    if media is None:
        raise NotFound("That image is no longer in this gig's gallery.")
    if len(rows) == 1 and gig.status in NEEDS_IMAGE_STATUSES:
        raise GalleryError(
            "A published gig needs at least one image. Add another image before removing this one."
        )
    before = rows[0].id
    gig_review_queue.baseline(session, gig)
    remaining = [row for row in rows if row.id != media.id]
    name = media.path
    session.delete(media)
    session.flush()
    _renumber(session, remaining)
    _gallery_changed(session, gig, before, remaining)
    session.flush()
    gig_review_queue.edited(session, gig)
    return name


def move_gallery_image_to_cover(
    session: Session, *, actor: User | None, gig_id: int, media_id: int
) -> list[GalleryImage]:
    """Make one image the cover (position 0); the others keep their order."""
    gig = owned_gig(session, actor=actor, gig_id=gig_id, lock=True)
    rows = _media_rows(session, gig.id)
    media = next((row for row in rows if row.id == valid_id(media_id)), None)
    if media is None:
        raise NotFound("That image is no longer in this gig's gallery.")
    before = rows[0].id
    gig_review_queue.baseline(session, gig)
    ordered = [media, *(row for row in rows if row.id != media.id)]
    _renumber(session, ordered)
    _gallery_changed(session, gig, before, ordered)
    session.flush()
    gig_review_queue.edited(session, gig)
    return gallery(session, gig_id=gig.id)
