"""Who may do what with a gig: owners edit, admins view, others see only active gigs."""

import pytest
from sqlmodel import Session, SQLModel, select

from marketplace.db import make_engine
from marketplace.models import Gig, GigStatus, ModerationAction, Order
from marketplace.services.common.errors import DomainError, NotFound, PermissionDenied
from marketplace.services.gigs import actions as gigs
from marketplace.services.gigs import pages as gig_pages
from tests.gig_fixtures import (
    LIMITS,
    make_categories,
    make_user,
    published_gig,
    ready_gig,
    valid_draft,
)


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'gigs.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture
def world(db):
    """A seller with an active gig and a draft, plus another seller, a buyer and an admin."""
    _, sub = make_categories(db)
    seller = make_user(db, "seller", seller=True)
    active = published_gig(db, seller, sub)
    draft = gigs.create_draft_gig(db, actor=seller)
    db.commit()
    return {
        "sub": sub,
        "seller": seller,
        "active": active,
        "draft": draft,
        "other": make_user(db, "rival", seller=True),
        "buyer": make_user(db, "buyer"),
        "admin": make_user(db, "admin", admin=True),
    }


def set_status(db, gig, status, reason=""):
    gig.status = status
    gig.status_reason = reason
    db.add(gig)
    db.commit()


# --- creating -------------------------------------------------------------------------------------


def test_only_sellers_create_gigs_and_a_new_draft_is_empty(db):
    buyer = make_user(db, "buyer")
    with pytest.raises(PermissionDenied, match="Become a seller"):
        gigs.create_draft_gig(db, actor=buyer)
    seller = make_user(db, "seller", seller=True)
    gig = gigs.create_draft_gig(db, actor=seller)
    db.commit()
    db.refresh(gig)
    assert (gig.status, gig.version, gig.title, gig.category_id, gig.draft) == (
        "draft",
        1,
        "",
        None,
        {},
    )
    assert gig.slug.startswith("draft-") and len(gig.slug) == len("draft-") + 16
    assert gig.seller_id == seller.id


def test_open_drafts_are_capped(db):
    seller = make_user(db, "seller", seller=True)
    for _ in range(gigs.MAX_OPEN_DRAFTS):
        gigs.create_draft_gig(db, actor=seller)
    with pytest.raises(DomainError, match="unfinished drafts"):
        gigs.create_draft_gig(db, actor=seller)


def test_signed_out_and_suspended_users_can_do_nothing(db, world):
    seller, active, draft = world["seller"], world["active"], world["draft"]
    with pytest.raises(PermissionDenied, match="Sign in"):
        gigs.create_draft_gig(db, actor=None)
    for status in ("suspended", "banned"):
        seller.status = status
        actions = [
            lambda: gigs.create_draft_gig(db, actor=seller),
            lambda: gigs.save_draft(
                db, actor=seller, gig_id=draft.id, expected_version=1, draft={}
            ),
            lambda: gigs.publish_gig(
                db,
                actor=seller,
                gig_id=draft.id,
                expected_version=1,
                settings_auto_approve=True,
                active_gig_limits=LIMITS,
            ),
            lambda: gigs.pause_gig(db, actor=seller, gig_id=active.id),
            lambda: gigs.delete_gig(db, actor=seller, gig_id=active.id),
            lambda: gigs.add_gallery_image(
                db,
                actor=seller,
                gig_id=draft.id,
                name="a" * 32 + ".png",
                content_type="image/png",
                size_bytes=1,
            ),
            lambda: gig_pages.editor_data(db, actor=seller, gig_id=draft.id),
            lambda: gig_pages.my_gigs(db, actor=seller, status=None),
        ]
        for action in actions:
            with pytest.raises(PermissionDenied, match="suspended"):
                action()
    db.rollback()
    # and a suspended seller's own unpublished gig is hidden from them like from anyone
    seller.status = "suspended"
    with pytest.raises(NotFound):
        gig_pages.gig_page(db, slug=draft.slug, viewer=seller)
    assert gig_pages.gig_page(db, slug=active.slug, viewer=seller).id == active.id


# --- editing is for the owner only ----------------------------------------------------------------


def test_others_cannot_edit_and_cannot_even_see_unpublished_gigs(db, world):
    active, draft = world["active"], world["draft"]
    for intruder in (world["other"], world["buyer"]):
        with pytest.raises(NotFound):
            gigs.save_draft(db, actor=intruder, gig_id=draft.id, expected_version=1, draft={})
        with pytest.raises(NotFound):
            gig_pages.editor_data(db, actor=intruder, gig_id=draft.id)
        with pytest.raises(PermissionDenied, match="Only the gig's seller"):
            gigs.save_draft(
                db,
                actor=intruder,
                gig_id=active.id,
                expected_version=active.version,
                draft=valid_draft(world["sub"].id),
            )
        with pytest.raises(PermissionDenied):
            gigs.pause_gig(db, actor=intruder, gig_id=active.id)
        with pytest.raises(PermissionDenied):
            gigs.delete_gig(db, actor=intruder, gig_id=active.id)
        with pytest.raises(PermissionDenied):
            gigs.remove_gallery_image(db, actor=intruder, gig_id=active.id, media_id=1)
    db.rollback()
    db.refresh(active)
    assert active.status == "active" and active.title == "I will design a modern minimalist logo"


def test_admins_may_view_any_gig_but_not_edit_it(db, world):
    admin, draft, active = world["admin"], world["draft"], world["active"]
    with pytest.raises(PermissionDenied, match="Only the gig's seller"):
        gigs.save_draft(db, actor=admin, gig_id=draft.id, expected_version=1, draft={})
    with pytest.raises(PermissionDenied):
        gigs.publish_gig(
            db,
            actor=admin,
            gig_id=draft.id,
            expected_version=1,
            settings_auto_approve=True,
            active_gig_limits=LIMITS,
        )
    with pytest.raises(PermissionDenied):
        gigs.pause_gig(db, actor=admin, gig_id=active.id)
    with pytest.raises(PermissionDenied):
        gig_pages.editor_data(db, actor=admin, gig_id=draft.id)
    page = gig_pages.gig_page(db, slug=draft.slug, viewer=admin)
    assert page.viewer_is_admin and not page.is_owner
    assert page.visibility_notice.startswith("This gig is a draft")


@pytest.mark.parametrize("bad_id", [None, "1", 1.0, True, 0, -3, 2**40, [1]])
def test_client_supplied_ids_that_are_not_ids_find_nothing(db, world, bad_id):
    with pytest.raises(NotFound):
        gigs.save_draft(db, actor=world["seller"], gig_id=bad_id, expected_version=1, draft={})
    with pytest.raises(NotFound):
        gig_pages.editor_data(db, actor=world["seller"], gig_id=bad_id)


def test_a_deleted_gig_is_gone_for_its_owner_too(db, world):
    seller, draft = world["seller"], world["draft"]
    gigs.delete_gig(db, actor=seller, gig_id=draft.id)
    db.commit()
    with pytest.raises(NotFound, match="deleted"):
        gigs.save_draft(db, actor=seller, gig_id=draft.id, expected_version=1, draft={})
    with pytest.raises(NotFound):
        gig_pages.gig_page(db, slug=draft.slug, viewer=seller)
    page = gig_pages.gig_page(db, slug=draft.slug, viewer=world["admin"])
    assert page.visibility_notice == "This gig was deleted; only admins can see it."


# --- who sees the public page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "reason", "notice"),
    [
        ("paused", "", "This gig is paused"),
        ("pending_review", "", "waiting for review"),
        ("rejected", "Blurry images.", "This gig was not approved. Reason: Blurry images."),
        (
            "suspended",
            "Reported as spam.",
            "suspended by our moderators. Reason: Reported as spam.",
        ),
    ],
)
def test_non_active_gigs_show_only_to_their_seller_and_admins(db, world, status, reason, notice):
    gig = world["active"]
    set_status(db, gig, status, reason)
    for viewer in (None, world["buyer"], world["other"]):
        with pytest.raises(NotFound):
            gig_pages.gig_page(db, slug=gig.slug, viewer=viewer)
    for viewer in (world["seller"], world["admin"]):
        page = gig_pages.gig_page(db, slug=gig.slug, viewer=viewer)
        assert page.status == status
        assert notice in page.visibility_notice
    assert gig_pages.gig_page(db, slug=gig.slug, viewer=world["seller"]).is_owner


def test_an_active_gig_is_public(db, world):
    gig = world["active"]
    for viewer in (None, world["buyer"], world["other"], world["seller"], world["admin"]):
        page = gig_pages.gig_page(db, slug=gig.slug, viewer=viewer)
        assert page.visibility_notice == ""
        assert page.title == "I will design a modern minimalist logo"
    with pytest.raises(NotFound):
        gig_pages.gig_page(db, slug="no-such-gig", viewer=None)
    with pytest.raises(NotFound):
        gig_pages.gig_page(db, slug="x" * 500, viewer=None)


def test_my_gigs_lists_only_the_actors_own_gigs(db, world):
    mine = gig_pages.my_gigs(db, actor=world["seller"], status=None)
    assert {row.id for row in mine.rows} == {world["active"].id, world["draft"].id}
    theirs = gig_pages.my_gigs(db, actor=world["other"], status=None)
    assert theirs.rows == [] and theirs.total == 0
    with pytest.raises(DomainError):
        gig_pages.my_gigs(db, actor=world["seller"], status="deleted")


# --- limits by seller level -----------------------------------------------------------------------


def publish(db, seller, gig, limits=LIMITS, auto=True):
    return gigs.publish_gig(
        db,
        actor=seller,
        gig_id=gig.id,
        expected_version=gig.version,
        settings_auto_approve=auto,
        active_gig_limits=limits,
    )


@pytest.mark.parametrize(
    ("level", "label", "limit"),
    [
        ("new", "New seller", 1),  # the level as cards show it (marketplace/labels.py)
        ("level_1", "Level 1 seller", 2),
        ("top_rated", "Top Rated seller", 3),
    ],
)
def test_active_gig_limit_depends_on_the_seller_level(db, level, label, limit):
    limits = {"new": 1, "level_1": 2, "level_2": 2, "top_rated": 3}
    _, sub = make_categories(db)
    seller = make_user(db, "seller", seller=True, level=level)
    for i in range(limit):
        # pending gigs count as much as active ones
        publish(db, seller, ready_gig(db, seller, sub), limits, auto=i % 2 == 0)
    extra = ready_gig(db, seller, sub)
    db.commit()
    with pytest.raises(gigs.GigLimitReached) as refused:
        publish(db, seller, extra, limits)
    gig_word = "gig" if limit == 1 else "gigs"
    assert f"As a {label} you can have up to {limit} active {gig_word}" in str(refused.value)
    assert f"you have {limit}" in str(refused.value)
    assert refused.value.limit == limit
    db.rollback()
    assert db.get(Gig, extra.id).status == "draft"


def test_paused_gigs_do_not_count_but_resuming_checks_the_limit_again(db):
    limits = {"new": 1, "level_1": 1, "level_2": 1, "top_rated": 1}
    _, sub = make_categories(db)
    seller = make_user(db, "seller", seller=True)
    first = published_gig(db, seller, sub)
    gigs.pause_gig(db, actor=seller, gig_id=first.id)
    second = ready_gig(db, seller, sub)
    publish(db, seller, second, limits)
    with pytest.raises(gigs.GigLimitReached, match="up to 1 active gig "):
        gigs.resume_gig(db, actor=seller, gig_id=first.id, active_gig_limits=limits)
    gigs.pause_gig(db, actor=seller, gig_id=second.id)
    assert gigs.resume_gig(db, actor=seller, gig_id=first.id, active_gig_limits=limits).status == (
        "active"
    )


# --- moderation -----------------------------------------------------------------------------------


def test_only_active_admins_review_gigs(db):
    _, sub = make_categories(db)
    seller = make_user(db, "seller", seller=True)
    gig = ready_gig(db, seller, sub)
    publish(db, seller, gig, auto=False)
    assert db.get(Gig, gig.id).status == "pending_review"
    with pytest.raises(PermissionDenied, match="Only moderators"):
        gigs.review_gig(db, admin=seller, gig_id=gig.id, approve=True)
    sleeping_admin = make_user(db, "admin", admin=True, status="suspended")
    with pytest.raises(PermissionDenied):
        gigs.review_gig(db, admin=sleeping_admin, gig_id=gig.id, approve=True)
    admin = make_user(db, "admin", admin=True)
    with pytest.raises(DomainError, match="why"):
        gigs.review_gig(db, admin=admin, gig_id=gig.id, approve=False, reason="  ")
    rejected = gigs.review_gig(
        db, admin=admin, gig_id=gig.id, approve=False, reason="Images are  blurry."
    )
    assert (rejected.status, rejected.status_reason) == ("rejected", "Images are blurry.")
    with pytest.raises(gigs.GigStateError, match="isn't waiting for review"):
        gigs.review_gig(db, admin=admin, gig_id=gig.id, approve=True)
    action = db.exec(select(ModerationAction)).one()
    assert (action.admin_id, action.target_id, action.action) == (admin.id, gig.id, "reject_gig")


# --- lifecycle rules ------------------------------------------------------------------------------


def test_status_changes_are_allowed_only_from_the_right_states(db, world):
    seller, draft, active = world["seller"], world["draft"], world["active"]
    with pytest.raises(gigs.GigStateError, match="Only an active gig can be paused"):
        gigs.pause_gig(db, actor=seller, gig_id=draft.id)
    with pytest.raises(gigs.GigStateError, match="Only a paused gig can be resumed"):
        gigs.resume_gig(db, actor=seller, gig_id=active.id, active_gig_limits=LIMITS)
    with pytest.raises(gigs.GigStateError, match="already published"):
        publish(db, seller, active)
    gigs.pause_gig(db, actor=seller, gig_id=active.id)
    with pytest.raises(gigs.GigStateError, match="already paused"):
        gigs.pause_gig(db, actor=seller, gig_id=active.id)
    set_status(db, draft, "suspended", "Spam")
    with pytest.raises(gigs.GigStateError, match="suspended"):
        publish(db, seller, draft)


def test_a_gig_with_orders_in_progress_cannot_be_deleted(db, world):
    seller, active = world["seller"], world["active"]
    order = Order(
        code="GW-ABCDEFGH",
        gig_id=active.id,
        buyer_id=world["buyer"].id,
        seller_id=seller.id,
        status="in_progress",
        title=active.title,
        subtotal_cents=2000,
        service_fee_cents=110,
        total_cents=2110,
        commission_cents=400,
        seller_earnings_cents=1600,
        delivery_days=3,
    )
    db.add(order)
    db.commit()
    with pytest.raises(gigs.GigStateError, match="orders in progress"):
        gigs.delete_gig(db, actor=seller, gig_id=active.id)
    order.status = "completed"
    db.add(order)
    db.commit()
    assert gigs.delete_gig(db, actor=seller, gig_id=active.id).status == GigStatus.deleted
