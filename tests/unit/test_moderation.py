"""Moderation actions: each one refuses non-admins, does its effect, and writes its audit row;
the audit log cannot be edited or deleted through the services, the ORM or raw SQL."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session, SQLModel, select

from marketplace.db import make_engine
from marketplace.models import (
    Gig,
    GigStatus,
    ModerationAction,
    Notification,
    Order,
    Report,
    Review,
    SearchOutbox,
    User,
    UserSession,
)
from marketplace.models.moderation import AuditLogIsAppendOnly, GigApproval, OrderFlag
from marketplace.services.accounts import members as accounts
from marketplace.services.common.errors import DomainError, PermissionDenied
from marketplace.services.gigs import actions as gigs
from marketplace.services.moderation import audit_log, disputes, reports
from marketplace.services.moderation import common as moderation_common
from marketplace.services.moderation import dashboard as admin_dashboard
from marketplace.services.moderation import gigs as gig_moderation
from marketplace.services.moderation import reviews as review_moderation
from marketplace.services.moderation import users as user_moderation
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
    engine = make_engine(f"sqlite:///{tmp_path / 'moderation.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture
def world(db):
    _, sub = make_categories(db)
    seller = make_user(db, "seller", seller=True)
    active = published_gig(db, seller, sub)
    pending = ready_gig(db, seller, sub)
    gigs.publish_gig(
        db,
        actor=seller,
        gig_id=pending.id,
        expected_version=pending.version,
        settings_auto_approve=False,
        active_gig_limits=LIMITS,
    )
    db.commit()
    return {
        "sub": sub,
        "seller": seller,
        "active": active,
        "pending": pending,
        "buyer": make_user(db, "buyer"),
        "admin": make_user(db, "admin", admin=True),
    }


def audit_rows(db, action: str) -> list[ModerationAction]:
    return list(db.exec(select(ModerationAction).where(ModerationAction.action == action)).all())


def notes_for(db, user_id: int) -> list[Notification]:
    return list(db.exec(select(Notification).where(Notification.user_id == user_id)).all())


def an_order(db, buyer: User, seller: User, gig: Gig, status: str = "in_progress") -> Order:
    order = Order(
        code=f"GW-{buyer.id:03d}{gig.id:03d}",
        gig_id=gig.id,
        buyer_id=buyer.id,
        seller_id=seller.id,
        status=status,
        title=gig.title,
        subtotal_cents=2000,
        service_fee_cents=110,
        total_cents=2110,
        commission_cents=400,
        seller_earnings_cents=1600,
        delivery_days=3,
    )
    db.add(order)
    db.flush()
    return order


# -- every action refuses non-admins -------------------------------------------------------

ACTIONS = [
    lambda db, w, who: gig_moderation.approve_gig(db, admin=who, gig_id=w["pending"].id),
    lambda db, w, who: gig_moderation.reject_gig(db, admin=who, gig_id=w["pending"].id, reason="x"),
    lambda db, w, who: gig_moderation.approve_gigs(db, admin=who, gig_ids=[w["pending"].id]),
    lambda db, w, who: gig_moderation.suspend_gig(db, admin=who, gig_id=w["active"].id, reason="x"),
    lambda db, w, who: gig_moderation.reinstate_gig(db, admin=who, gig_id=w["active"].id),
    lambda db, w, who: gig_moderation.accept_gig_edit(db, admin=who, gig_id=w["active"].id),
    lambda db, w, who: user_moderation.warn_user(db, admin=who, user_id=w["buyer"].id, reason="x"),
    lambda db, w, who: user_moderation.suspend_user(
        db, admin=who, user_id=w["buyer"].id, reason="x"
    ),
    lambda db, w, who: user_moderation.ban_user(db, admin=who, user_id=w["buyer"].id, reason="x"),
    lambda db, w, who: user_moderation.reinstate_user(db, admin=who, user_id=w["buyer"].id),
    lambda db, w, who: reports.dismiss_report(db, admin=who, report_id=1),
    lambda db, w, who: reports.act_on_report(db, admin=who, report_id=1, action="warn", note="x"),
    lambda db, w, who: review_moderation.set_review_hidden(
        db, admin=who, review_id=1, hidden=True, reason="x"
    ),
    lambda db, w, who: disputes.clear_order_flag(db, admin=who, flag_id=1),
    lambda db, w, who: disputes.resolve_dispute(admin=who, order_code="GW-1", resolution="release"),
    lambda db, w, who: disputes.act_on_order(
        admin=who, order_code="GW-1", action="resolve_release"
    ),
    lambda db, w, who: gig_moderation.gig_queue(db, admin=who),
    lambda db, w, who: user_moderation.search_users(db, admin=who),
    lambda db, w, who: user_moderation.user_detail(db, admin=who, user_id=w["buyer"].id),
    lambda db, w, who: reports.list_reports(db, admin=who),
    lambda db, w, who: reports.report_detail(db, admin=who, report_id=1),
    lambda db, w, who: review_moderation.list_reviews(db, admin=who),
    lambda db, w, who: disputes.list_disputes(db, admin=who),
    lambda db, w, who: disputes.dispute_detail(db, admin=who, order_code="GW-1"),
    lambda db, w, who: disputes.flagged_orders(db, admin=who),
    lambda db, w, who: audit_log.audit_log(db, admin=who),
    lambda db, w, who: audit_log.audit_actions(db, admin=who),
    lambda db, w, who: admin_dashboard.dashboard(db, admin=who),
]


@pytest.mark.parametrize("action", ACTIONS)
def test_every_moderation_service_refuses_buyers_sellers_visitors_and_suspended_admins(
    db, world, action
):
    suspended_admin = make_user(db, "exadmin", admin=True, status="suspended")
    for who in (None, world["buyer"], world["seller"], suspended_admin):
        with pytest.raises(PermissionDenied):
            action(db, world, who)
    db.rollback()
    assert db.exec(select(ModerationAction)).all() == []


# -- gigs ------------------------------------------------------------------------------------


def test_approve_puts_a_pending_gig_live_with_an_audit_row_a_snapshot_and_a_notice(db, world):
    queue = gig_moderation.gig_queue(db, admin=world["admin"], queue="pending")
    assert [row.id for row in queue.rows] == [world["pending"].id]
    gig_moderation.approve_gig(db, admin=world["admin"], gig_id=world["pending"].id)
    db.commit()
    assert db.get(Gig, world["pending"].id).status == GigStatus.active
    assert db.get(GigApproval, world["pending"].id).changed_at is None
    (row,) = audit_rows(db, "approve_gig")
    assert (row.admin_id, row.target_id) == (world["admin"].id, world["pending"].id)
    assert any(n.kind == "gig.approved" for n in notes_for(db, world["seller"].id))


def test_reject_needs_a_reason_and_the_seller_sees_it(db, world):
    with pytest.raises(DomainError, match="why"):
        gig_moderation.reject_gig(db, admin=world["admin"], gig_id=world["pending"].id, reason="  ")
    gig_moderation.reject_gig(
        db, admin=world["admin"], gig_id=world["pending"].id, reason="Use your own images."
    )
    db.commit()
    gig = db.get(Gig, world["pending"].id)
    assert (gig.status, gig.status_reason) == ("rejected", "Use your own images.")
    assert audit_rows(db, "reject_gig")[0].reason == "Use your own images."
    # The seller can resubmit it: it waits for review again.
    gigs.publish_gig(
        db,
        actor=world["seller"],
        gig_id=gig.id,
        expected_version=gig.version,
        settings_auto_approve=False,
        active_gig_limits=LIMITS,
    )
    assert db.get(Gig, gig.id).status == "pending_review"


def test_bulk_approve_approves_each_and_is_bounded(db, world):
    second = ready_gig(db, world["seller"], world["sub"])
    gigs.publish_gig(
        db,
        actor=world["seller"],
        gig_id=second.id,
        expected_version=second.version,
        settings_auto_approve=False,
        active_gig_limits={"new": 10},
    )
    with pytest.raises(DomainError):
        gig_moderation.approve_gigs(db, admin=world["admin"], gig_ids=[1] * 51)
    count = gig_moderation.approve_gigs(
        db, admin=world["admin"], gig_ids=[world["pending"].id, second.id, second.id]
    )
    db.commit()
    assert count == 2
    assert len(audit_rows(db, "approve_gig")) == 2


def test_suspend_takes_an_active_gig_out_of_search_and_tells_the_seller(db, world):
    gig_id = world["active"].id
    gig_moderation.suspend_gig(db, admin=world["admin"], gig_id=gig_id, reason="Copied work")
    db.commit()
    gig = db.get(Gig, gig_id)
    assert (gig.status, gig.status_reason) == ("suspended", "Copied work")
    outbox = db.exec(select(SearchOutbox).where(SearchOutbox.gig_id == gig_id)).all()
    assert outbox[-1].op == "delete"
    assert any(n.kind == "gig.suspended" for n in notes_for(db, world["seller"].id))
    assert audit_rows(db, "suspend_gig")[0].data == {"from": "active"}
    # and back
    gig_moderation.reinstate_gig(db, admin=world["admin"], gig_id=gig_id)
    db.commit()
    assert db.get(Gig, gig_id).status == "active"


def test_a_live_edit_enters_the_post_moderation_queue_with_what_changed(db, world):
    gig = db.get(Gig, world["active"].id)
    draft = valid_draft(world["sub"].id, title="I will design a bold new logo for you")
    gigs.save_draft(
        db, actor=world["seller"], gig_id=gig.id, expected_version=gig.version, draft=draft
    )
    db.commit()
    assert db.get(Gig, gig.id).title == "I will design a bold new logo for you"  # live at once
    queue = gig_moderation.gig_queue(db, admin=world["admin"], queue="edited")
    (row,) = queue.rows
    assert [c["field"] for c in row.changes] == ["title"]
    assert row.changes[0]["after"] == "I will design a bold new logo for you"
    gig_moderation.accept_gig_edit(db, admin=world["admin"], gig_id=gig.id)
    db.commit()
    assert gig_moderation.gig_queue(db, admin=world["admin"], queue="edited").rows == []
    assert audit_rows(db, "accept_gig_edit")[0].data == {"changed": ["title"]}


# -- users -----------------------------------------------------------------------------------


def test_user_search_is_server_side_and_paged(db, world):
    for i in range(25):
        make_user(db, f"zed{i}")
    db.commit()
    first = user_moderation.search_users(db, admin=world["admin"], query="ZED")
    assert (first.total, first.pages, len(first.rows)) == (25, 2, moderation_common.PAGE_SIZE)
    second = user_moderation.search_users(db, admin=world["admin"], query="zed", page=2)
    assert len(second.rows) == 5
    assert user_moderation.search_users(db, admin=world["admin"], query="%").total == 0


def test_suspend_revokes_sessions_takes_gigs_down_flags_orders_and_reinstate_undoes(db, world):
    seller = world["seller"]
    new = accounts.start_session(db, user=seller)
    accounts.activate_session(db, token=new.token)
    order = an_order(db, world["buyer"], seller, world["active"])
    db.commit()
    user_moderation.suspend_user(db, admin=world["admin"], user_id=seller.id, reason="Fraud")
    db.commit()
    assert db.get(User, seller.id).status == "suspended"
    assert accounts.resolve_session(db, token=new.token) is None
    assert all(s.revoked_at for s in db.exec(select(UserSession)).all())
    assert db.get(Gig, world["active"].id).status == "suspended"
    assert db.get(Gig, world["pending"].id).status == "suspended"
    (flag,) = db.exec(select(OrderFlag)).all()
    assert flag.order_id == order.id
    assert audit_rows(db, "suspend_user")[0].data["gig_ids"] == [world["active"].id]
    with pytest.raises(DomainError):  # cannot sign in again
        accounts.authenticate(db, email=seller.email, password="x", ip="1.2.3.4")

    user_moderation.reinstate_user(db, admin=world["admin"], user_id=seller.id)
    db.commit()
    assert db.get(User, seller.id).status == "active"
    assert db.get(Gig, world["active"].id).status == "active"
    assert db.get(Gig, world["pending"].id).status == "pending_review"


def test_warn_and_ban_and_admins_cannot_moderate_admins(db, world):
    user_moderation.warn_user(db, admin=world["admin"], user_id=world["buyer"].id, reason="Be kind")
    user_moderation.ban_user(db, admin=world["admin"], user_id=world["buyer"].id, reason="Spam")
    db.commit()
    assert db.get(User, world["buyer"].id).status == "banned"
    kinds = {n.kind for n in notes_for(db, world["buyer"].id)}
    assert {"moderation.warning", "moderation.banned"} <= kinds
    other_admin = make_user(db, "admin2", admin=True)
    with pytest.raises(DomainError):
        user_moderation.suspend_user(db, admin=world["admin"], user_id=other_admin.id, reason="x")
    with pytest.raises(DomainError):
        user_moderation.warn_user(db, admin=world["admin"], user_id=world["admin"].id, reason="x")


# -- reports and reviews ---------------------------------------------------------------------


def test_reports_are_generic_over_their_target_and_the_reporter_hears_the_outcome(db, world):
    gig_report = Report(
        reporter_id=world["buyer"].id,
        target_type="gig",
        target_id=world["active"].id,
        reason="Stolen images",
    )
    user_report = Report(
        reporter_id=world["buyer"].id,
        target_type="user",
        target_id=world["seller"].id,
        reason="Rude",
    )
    db.add_all([gig_report, user_report])
    db.commit()
    listed = reports.list_reports(db, admin=world["admin"], status="open")
    assert {r.target_type for r in listed.rows} == {"gig", "user"}
    only_gigs = reports.list_reports(db, admin=world["admin"], target_type="gig")
    assert [r.id for r in only_gigs.rows] == [gig_report.id]
    detail = reports.report_detail(db, admin=world["admin"], report_id=gig_report.id)
    assert detail.actions == ["suspend", "warn"]
    assert detail.context[0]["text"] == world["active"].title

    with pytest.raises(DomainError):
        reports.act_on_report(
            db, admin=world["admin"], report_id=gig_report.id, action="hide", note="x"
        )
    reports.act_on_report(
        db, admin=world["admin"], report_id=gig_report.id, action="suspend", note="Confirmed"
    )
    reports.dismiss_report(db, admin=world["admin"], report_id=user_report.id)
    db.commit()
    assert db.get(Gig, world["active"].id).status == "suspended"
    assert db.get(Report, gig_report.id).status == "resolved"
    assert db.get(Report, user_report.id).outcome == "dismissed"
    outcomes = [n.title for n in notes_for(db, world["buyer"].id) if n.kind == "report.outcome"]
    assert len(outcomes) == 2
    with pytest.raises(DomainError, match="closed"):
        reports.dismiss_report(db, admin=world["admin"], report_id=user_report.id)


def test_hide_and_restore_a_review_with_a_reason(db, world):
    order = an_order(db, world["buyer"], world["seller"], world["active"], status="completed")
    review = Review(
        order_id=order.id,
        gig_id=world["active"].id,
        seller_id=world["seller"].id,
        buyer_id=world["buyer"].id,
        rating=1,
        communication=1,
        as_described=1,
        body="Scam!!",
    )
    db.add(review)
    db.commit()
    with pytest.raises(DomainError):
        review_moderation.set_review_hidden(
            db, admin=world["admin"], review_id=review.id, hidden=True, reason=""
        )
    review_moderation.set_review_hidden(
        db, admin=world["admin"], review_id=review.id, hidden=True, reason="Abusive"
    )
    db.commit()
    assert db.get(Review, review.id).hidden is True
    assert review_moderation.list_reviews(db, admin=world["admin"], shown="hidden").total == 1
    review_moderation.set_review_hidden(
        db, admin=world["admin"], review_id=review.id, hidden=False, reason="On appeal"
    )
    db.commit()
    assert db.get(Review, review.id).hidden is False
    assert [r.action for r in db.exec(select(ModerationAction)).all()] == [
        "hide_review",
        "restore_review",
    ]


# -- the audit log ---------------------------------------------------------------------------


def test_the_audit_log_is_filterable_and_paged(db, world):
    for i in range(23):
        user_moderation.warn_user(
            db, admin=world["admin"], user_id=world["buyer"].id, reason=f"w{i}"
        )
    gig_moderation.suspend_gig(db, admin=world["admin"], gig_id=world["active"].id, reason="copied")
    db.commit()
    page = audit_log.audit_log(db, admin=world["admin"])
    assert (page.total, page.pages, page.rows[0].action) == (24, 2, "suspend_gig")
    assert audit_log.audit_log(db, admin=world["admin"], target_type="gig").total == 1
    assert audit_log.audit_log(db, admin=world["admin"], query="COPIED").total == 1
    assert audit_log.audit_log(db, admin=world["admin"], action="warn_user").total == 23
    assert audit_log.audit_actions(db, admin=world["admin"]) == [
        ("suspend_gig", "Suspended gig"),
        ("warn_user", "Warned member"),
    ]


def test_the_audit_log_cannot_be_edited_or_deleted_through_the_orm_or_sql(db, world):
    user_moderation.warn_user(
        db, admin=world["admin"], user_id=world["buyer"].id, reason="original"
    )
    db.commit()
    (row,) = db.exec(select(ModerationAction)).all()
    # no service offers it
    for module in (moderation_common, audit_log):
        assert not [n for n in dir(module) if "audit" in n and ("edit" in n or "delete" in n)]
    row.reason = "rewritten"
    db.add(row)
    with pytest.raises(AuditLogIsAppendOnly):
        db.commit()
    db.rollback()
    db.delete(db.get(ModerationAction, row.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.commit()
    db.rollback()
    for statement in (
        "UPDATE moderation_action SET reason = 'rewritten'",
        "DELETE FROM moderation_action",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            db.connection().exec_driver_sql(statement)
        db.rollback()
    assert db.exec(text("SELECT reason FROM moderation_action")).all() == [("original",)]


# -- the dashboard ---------------------------------------------------------------------------


def test_the_dashboard_counts_money_in_escrow_and_weekly_series(db, world):
    from marketplace.models import Dispute, LedgerEntry

    held = an_order(db, world["buyer"], world["seller"], world["active"], status="disputed")
    db.add(LedgerEntry(order_id=held.id, kind="capture", amount_cents=2110, idempotency_key="k1"))
    db.add(Dispute(order_id=held.id, opened_by_id=world["buyer"].id, reason="late"))
    db.add(Report(reporter_id=world["buyer"].id, target_type="user", target_id=1, reason="spam"))
    db.commit()
    d = admin_dashboard.dashboard(db, admin=world["admin"])
    assert d.escrow_cents == 2110
    assert (d.open_disputes, d.open_reports) == (1, 1)
    assert d.orders_by_status == {"disputed": 1}
    assert d.gmv_week_cents == d.gmv_month_cents == 2110
    assert d.active_gigs == 1 and d.users == 3
    assert len(d.weeks) == admin_dashboard.WEEKS
    assert d.series["orders"][-1] == 1 and sum(d.series["orders"]) == 1
    assert d.series["escrow"][-1] == 2110
    assert d.series["users"][-1] == 3


def test_a_reported_message_hidden_by_an_admin_reads_as_removed_and_leaves_search(db, world):
    from marketplace.services.messaging import conversations, messages, threads

    buyer, seller, admin = world["buyer"], world["seller"], world["admin"]
    thread = conversations.open_with(db, actor=buyer, other_user_id=seller.id)
    sent = messages.send(db, actor=seller, conversation_id=thread.id, body="Pay me at scam.example")
    db.commit()
    report = conversations.report_message(
        db, actor=buyer, message_id=sent.message.id, reason="scam"
    )
    db.commit()
    detail = reports.report_detail(db, admin=admin, report_id=report.id)
    assert "hide" in detail.actions

    reports.act_on_report(db, admin=admin, report_id=report.id, action="hide", note="Scam link")
    db.commit()
    db.refresh(sent.message)
    assert sent.message.hidden
    assert [a.action for a in audit_rows(db, "hide_message")] == ["hide_message"]
    # Both parties see that it was removed, not what it said; search no longer finds it.
    shown = threads.page(db, actor=buyer, conversation_id=thread.id).items[-1]
    assert shown.text == threads.REMOVED_TEXT and shown.files == ()
    inbox = conversations.inbox(db, actor=buyer, search="scam")
    assert inbox.rows == []
    row = conversations.inbox(db, actor=buyer).rows[0]
    assert row.last_body == "Message removed"


def test_the_post_moderation_diff_shows_a_swapped_image_and_every_package_part():
    package = {
        "tier": "basic", "name": "Basic", "description": "One concept", "price_cents": 5000,
        "delivery_days": 3, "revisions": 1, "features": ["Source file"],
    }  # fmt: skip
    before = {"title": "T", "images": ["a.png", "b.png"], "packages": [package]}
    after = {
        "title": "T",
        "images": ["a.png", "c.png"],  # same count, one swapped
        "packages": [{**package, "revisions": 2, "features": ["Source file", "3D mockup"]}],
    }
    changes = {c["field"]: c for c in gig_moderation._changes(before, after)}
    assert set(changes) == {"images", "packages"}
    assert changes["images"]["before"] == "2 images"
    assert changes["images"]["after"] == "2 images (1 new, 1 removed)"
    assert "1 revision:" in changes["packages"]["before"]
    assert "2 revisions" in changes["packages"]["after"]
    assert "3D mockup" in changes["packages"]["after"]
    reordered = gig_moderation._changes(before, {**before, "images": ["b.png", "a.png"]})
    assert reordered[0]["after"] == "2 images, in a new order"


# -- one answer to "may this gig be suspended", and the audit log in words ----------------------


@pytest.mark.parametrize("status", [s.value for s in GigStatus if s != GigStatus.deleted])
def test_the_queue_row_offers_suspend_exactly_when_the_service_accepts_it(db, world, status):
    gig = world["active"]
    gig.status = status
    db.add(gig)
    db.commit()
    offered = gig_moderation.can_suspend(status)
    queue = {"pending_review": "pending"}.get(status, status)
    if queue in gig_moderation.GIG_QUEUES:
        rows = gig_moderation.gig_queue(db, admin=world["admin"], queue=queue).rows
        assert [r.can_suspend for r in rows if r.id == gig.id] == [offered]
    if offered:
        gig_moderation.suspend_gig(db, admin=world["admin"], gig_id=gig.id, reason="Copied")
        assert db.get(Gig, gig.id).status == "suspended"
    else:
        with pytest.raises(gigs.GigStateError):
            gig_moderation.suspend_gig(db, admin=world["admin"], gig_id=gig.id, reason="Copied")
    assert offered == (status in ("active", "paused", "pending_review"))


def test_the_audit_log_names_actions_in_words_and_targets_by_title_name_and_order_code(db, world):
    admin, buyer, seller = world["admin"], world["buyer"], world["seller"]
    order = an_order(db, buyer, seller, world["active"])
    flag = OrderFlag(order_id=order.id, reason="The buyer was suspended.", flagged_by_id=admin.id)
    db.add(flag)
    db.flush()
    gig_moderation.suspend_gig(db, admin=admin, gig_id=world["active"].id, reason="Copied")
    user_moderation.warn_user(db, admin=admin, user_id=buyer.id, reason="Be kind")
    disputes.clear_order_flag(db, admin=admin, flag_id=flag.id)
    db.commit()
    rows = audit_log.audit_log(db, admin=admin).rows
    said = [(r.action_label, r.target_label, r.target_link) for r in rows]
    assert said == [
        ("Cleared order flag", f"Order {order.code}", f"/orders/{order.code}"),
        (
            "Warned member",
            f"Member {buyer.display_name} (@{buyer.username})",
            f"/u/{buyer.username}",
        ),
        (
            "Suspended gig",
            f"Gig “{world['active'].title}”",
            f"/gig/{world['active'].slug}",
        ),
    ]
    assert [r.action for r in rows] == ["clear_order_flag", "warn_user", "suspend_gig"]
    assert audit_log.action_words("some_new_thing") == "Some new thing"
    detail = user_moderation.user_detail(db, admin=admin, user_id=buyer.id)
    assert [a["action"] for a in detail.actions] == ["Warned member"]


def test_every_action_code_the_services_write_has_words():
    """A new action code without words would show as a code again: the services' literal
    action names (and the order steps' and Pro decisions' names) all have an entry."""
    import ast
    from pathlib import Path

    from marketplace.services.moderation.disputes import AUDIT_NAMES
    from marketplace.services.reviews import pro

    root = Path(__file__).resolve().parents[2] / "marketplace" / "services"
    codes = set(AUDIT_NAMES.values()) | {f"pro.{a}" for a in pro.ADMIN_ACTIONS}
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            name = getattr(node, "func", None)
            name = getattr(name, "id", getattr(name, "attr", ""))
            if name not in ("audit", "ModerationAction"):
                continue
            for keyword in node.keywords:
                if keyword.arg == "action":
                    codes |= {
                        c.value
                        for c in ast.walk(keyword.value)
                        if isinstance(c, ast.Constant) and isinstance(c.value, str)
                        if not c.value.endswith(("_", "."))  # a prefix of an f-string
                    }
    assert codes > {"approve_gig", "suspend_user", "resolve_dispute_split"}
    assert codes - set(audit_log.ACTION_WORDS) == set()
