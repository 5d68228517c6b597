"""Uploads end to end in the services: the stored file and its row exist together or not at all.

Real files in a temporary upload folder and a real migrated SQLite database.
"""

import io

import pytest
from PIL import Image
from sqlmodel import select

from marketplace.db import make_engine, session_scope
from marketplace.migrations import upgrade_to_head
from marketplace.models import GigMedia, User
from marketplace.services.accounts import profiles
from marketplace.services.common import media
from marketplace.services.common.errors import DomainError, PermissionDenied
from marketplace.services.gigs import actions as gigs
from marketplace.services.gigs import gallery as gig_media
from tests.gig_fixtures import make_user

MAX_BYTES = 2 * 2**20


@pytest.fixture
def engine(tmp_path):
    url = f"sqlite:///{tmp_path / 'uploads.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def upload_dir(tmp_path):
    return tmp_path / "uploads"


def png(color=(10, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), color).save(out, format="PNG")
    return out.getvalue()


def stored_files(upload_dir) -> list[str]:
    folder = media.image_folder(upload_dir)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def seller_with_draft(engine):
    with session_scope(engine) as s:
        seller = make_user(s, "seller", seller=True)
        gig_id = gigs.create_draft_gig(s, actor=seller).id
    return seller, gig_id


def add(engine, upload_dir, actor, gig_id, data):
    return gig_media.add_uploaded_image(
        actor=actor,
        gig_id=gig_id,
        data=data,
        upload_dir=upload_dir,
        max_bytes=MAX_BYTES,
        engine=engine,
    )


def test_an_upload_is_stored_and_attached_and_removing_it_deletes_the_file(engine, upload_dir):
    seller, gig_id = seller_with_draft(engine)
    first = add(engine, upload_dir, seller, gig_id, png())
    second = add(engine, upload_dir, seller, gig_id, png((0, 0, 0)))
    assert [image.position for image in second] == [0, 1]
    assert stored_files(upload_dir) == sorted(image.name for image in second)
    assert first[0].name == second[0].name  # the first one stays the cover

    left = gig_media.remove_image(
        actor=seller, gig_id=gig_id, media_id=second[0].id, upload_dir=upload_dir, engine=engine
    )
    assert [image.name for image in left] == [second[1].name]
    assert stored_files(upload_dir) == [second[1].name]


def test_a_refused_attach_leaves_no_file_behind(engine, upload_dir):
    seller, gig_id = seller_with_draft(engine)
    with session_scope(engine) as s:
        rival = make_user(s, "rival", seller=True)
    with pytest.raises(DomainError):  # not the rival's gig
        add(engine, upload_dir, rival, gig_id, png())
    for _ in range(3):
        add(engine, upload_dir, seller, gig_id, png())
    with pytest.raises(gigs.GalleryError, match="up to 3 images"):
        add(engine, upload_dir, seller, gig_id, png())
    with session_scope(engine) as s:
        rows = s.exec(select(GigMedia).where(GigMedia.gig_id == gig_id)).all()
    assert stored_files(upload_dir) == sorted(row.path for row in rows)
    assert len(rows) == 3


def test_a_file_that_is_not_an_image_is_refused_before_anything_is_stored(engine, upload_dir):
    seller, gig_id = seller_with_draft(engine)
    with pytest.raises(media.ImageRejected, match="PNG, JPEG or WebP"):
        add(engine, upload_dir, seller, gig_id, b"GIF89a" + b"\x00" * 100)
    with pytest.raises(media.ImageRejected, match="at most 2 MB"):
        add(engine, upload_dir, seller, gig_id, b"\x89PNG" + b"\x00" * MAX_BYTES)
    assert stored_files(upload_dir) == []


def test_a_new_avatar_replaces_the_old_file_and_a_refused_one_is_not_kept(engine, upload_dir):
    with session_scope(engine) as s:
        user = make_user(s, "maya")

    def upload(actor):
        return profiles.upload_avatar(
            actor=actor, data=png(), upload_dir=upload_dir, max_bytes=MAX_BYTES, engine=engine
        )

    first = upload(user)
    second = upload(user)
    assert stored_files(upload_dir) == [second] and first != second
    with session_scope(engine) as s:
        assert s.get(User, user.id).avatar_path == second

    user.status = "suspended"
    with pytest.raises(PermissionDenied):
        upload(user)
    assert stored_files(upload_dir) == [second]
