"""A gig gallery's files and rows together: store an upload, attach it, and never leave either
behind without the other.

The state only reads the uploaded bytes and shows the result. The file is written first (under a
random name nobody links to yet), then the row is added in its own transaction; if that fails
for any reason, the file is deleted again. A removed image's file goes only after its row's
removal has committed.
"""

from pathlib import Path

from sqlalchemy.engine import Engine

from marketplace.db import session_scope
from marketplace.models import User
from marketplace.services.common import media
from marketplace.services.gigs import actions as gigs
from marketplace.services.gigs.actions import GalleryImage
from marketplace.settings import get_settings


def _upload_dir(upload_dir: Path | None) -> Path:
    return upload_dir or get_settings().upload_dir


def add_uploaded_image(
    *,
    actor: User | None,
    gig_id: int,
    data: bytes,
    upload_dir: Path | None = None,
    max_bytes: int | None = None,
    engine: Engine | None = None,
) -> list[GalleryImage]:
    """Check, store and attach one uploaded image at the end of the gallery; returns the gallery.

    Raises media.ImageRejected for a file that is not an acceptable image, and the gallery's
    DomainErrors (not the owner, gallery full ...), in which case nothing is kept.
    """
    upload_dir = _upload_dir(upload_dir)
    stored = media.store_image(
        data, upload_dir=upload_dir, max_bytes=max_bytes or get_settings().max_upload_bytes
    )
    try:
        with session_scope(engine) as session:
            gigs.add_gallery_image(
                session,
                actor=actor,
                gig_id=gig_id,
                name=stored.name,
                content_type=stored.content_type,
                size_bytes=stored.size_bytes,
            )
            return gigs.gallery(session, gig_id=gig_id)
    except BaseException:
        media.delete_image(upload_dir, stored.name)
        raise


def remove_image(
    *,
    actor: User | None,
    gig_id: int,
    media_id: int,
    upload_dir: Path | None = None,
    engine: Engine | None = None,
) -> list[GalleryImage]:
    """Detach an image and, once that has committed, delete its file; returns the gallery."""
    with session_scope(engine) as session:
        name = gigs.remove_gallery_image(session, actor=actor, gig_id=gig_id, media_id=media_id)
    media.delete_image(_upload_dir(upload_dir), name)
    with session_scope(engine) as session:
        return gigs.gallery(session, gig_id=gig_id)
