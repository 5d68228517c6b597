"""Post-moderation of live gigs: what a gig looked like when it was last approved.

Edits to an active (or paused) gig go live at once. Before such an edit the gig's approved
content is kept (`baseline`, a GigApproval row, taken from the live rows if no moderator has
approved it yet, e.g. seeded or auto-approved gigs); after it, `edited` compares and puts the
gig in the post-moderation queue when anything a buyer sees changed. A moderator's approval or
acceptance takes a new snapshot (`record_approval`). Called by services/gigs/actions.py and
services/moderation/gigs.py inside their transactions; no permission checks here.
"""

from __future__ import annotations

from sqlmodel import Session, select

from marketplace.db import utcnow
from marketplace.models import Gig, GigMedia, GigPackage, GigStatus
from marketplace.models.moderation import GigApproval

QUEUED_STATUSES = (GigStatus.active.value, GigStatus.paused.value)
FIELDS = ("title", "description", "tags", "images", "packages")
FIELD_LABELS = {
    "title": "Title",
    "description": "Description",
    "tags": "Tags",
    "images": "Images",
    "packages": "Packages",
}


def snapshot_of(session: Session, gig: Gig) -> dict:
    """The parts of a gig's public page that moderation cares about, as plain JSON."""
    packages = session.exec(
        select(GigPackage).where(GigPackage.gig_id == gig.id).order_by(GigPackage.tier)
    ).all()
    images = session.exec(
        select(GigMedia.path)
        .where(GigMedia.gig_id == gig.id)
        .order_by(GigMedia.position, GigMedia.id)
    ).all()
    return {
        "title": gig.title,
        "description": gig.description,
        "tags": list(gig.tags or []),
        "images": list(images),
        "packages": [
            {
                "tier": p.tier,
                "name": p.name,
                "description": p.description,
                "price_cents": p.price_cents,
                "delivery_days": p.delivery_days,
                "revisions": p.revisions,
                "features": list(p.features or []),
            }
            for p in packages
        ],
    }


def record_approval(session: Session, gig: Gig, *, admin_id: int | None) -> GigApproval:
    """A moderator approved the gig as it is now: new snapshot, out of the queue."""
    row = session.get(GigApproval, gig.id)
    if row is None:
        row = GigApproval(gig_id=gig.id)
    row.snapshot = snapshot_of(session, gig)
    row.approved_by_id = admin_id
    row.approved_at = utcnow()
    row.changed_at = None
    session.add(row)
    session.flush()
    return row


def baseline(session: Session, gig: Gig) -> None:
    """Before a live edit: make sure the content as it was is kept to compare against."""
    if gig.status not in QUEUED_STATUSES or session.get(GigApproval, gig.id) is not None:
        return
    session.add(GigApproval(gig_id=gig.id, snapshot=snapshot_of(session, gig), approved_by_id=None))
    session.flush()


def changed_fields(before: dict, after: dict) -> list[str]:
    return [name for name in FIELDS if before.get(name) != after.get(name)]


def edited(session: Session, gig: Gig) -> None:
    """After a live edit: queue the gig if it now differs from its approved content."""
    row = session.get(GigApproval, gig.id)
    if row is None or gig.status not in QUEUED_STATUSES:
        return
    session.flush()
    differs = bool(changed_fields(row.snapshot, snapshot_of(session, gig)))
    if differs and row.changed_at is None:
        row.changed_at = utcnow()
    elif not differs:
        row.changed_at = None
    session.add(row)
    session.flush()
