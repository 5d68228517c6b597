"""The Pro state machine: drafts, submission, every admin decision, audit rows and badges."""

import pytest
from sqlmodel import Session, SQLModel, select

from marketplace.db import make_engine
from marketplace.models import (
    FreelancerProfile,
    ModerationAction,
    Notification,
    ProApplication,
    SearchOutbox,
)
from marketplace.services.common.errors import DomainError, NotFound, PermissionDenied
from marketplace.services.reviews import pro
from tests.gig_fixtures import make_categories, make_user, published_gig


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pro.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture
def cast(db):
    seller = make_user(db, "seller", seller=True)
    admin = make_user(db, "admin", admin=True)
    top, sub = make_categories(db)
    gig = published_gig(db, seller, sub)
    return seller, admin, top, gig


def form(top, **overrides):
    values = {
        "category_id": top.id,
        "portfolio_links": ["https://example.com/work"],
        "credentials": "MA in Graphic Design; clients include a national bank.",
        "years_experience": 8,
        "summary": "I design brand identities for financial companies. " * 3,
    }
    return {**values, **overrides}


def is_pro(db, user) -> bool:
    return db.exec(
        select(FreelancerProfile.is_pro).where(FreelancerProfile.user_id == user.id)
    ).one()


def test_a_draft_saves_incomplete_and_submitting_asks_for_what_is_missing(db, cast):
    seller, _, top, _ = cast
    draft = pro.save_draft(db, actor=seller, data={"summary": "Work in progress"})
    assert draft.status == "draft" and draft.category_id is None
    with pytest.raises(DomainError, match="choose your category.*portfolio link"):
        pro.submit(db, actor=seller, data={"summary": "short"})
    application = pro.submit(db, actor=seller, data=form(top))
    assert application.id == draft.id and application.status == "pending"
    with pytest.raises(DomainError, match="under review"):
        pro.save_draft(db, actor=seller, data=form(top))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"portfolio_links": ["javascript:alert(1)"]}, "not a full web address"),
        ({"portfolio_links": [f"https://e.com/{i}" for i in range(11)]}, "at most 10"),
        ({"years_experience": 61}, "from 0 to 60"),
        ({"years_experience": "many"}, "from 0 to 60"),
        ({"category_id": 99999}, "Choose the category"),
        ({"summary": "x" * 2001}, "2,000 characters"),
    ],
)
def test_the_form_is_checked(db, cast, overrides, message):
    seller, _, top, _ = cast
    with pytest.raises(DomainError, match=message):
        pro.save_draft(db, actor=seller, data=form(top, **overrides))


def test_only_sellers_apply(db, cast):
    buyer = make_user(db, "buyer")
    with pytest.raises(PermissionDenied, match="seller profile"):
        pro.save_draft(db, actor=buyer, data={})


def test_approval_sets_the_badge_queues_the_gigs_notifies_and_audits(db, cast):
    seller, admin, top, gig = cast
    application = pro.submit(db, actor=seller, data=form(top))
    before = len(db.exec(select(SearchOutbox).where(SearchOutbox.gig_id == gig.id)).all())
    pro.decide(db, actor=admin, application_id=application.id, action="approve", text="Welcome")
    assert application.status == "approved" and is_pro(db, seller)
    after = len(db.exec(select(SearchOutbox).where(SearchOutbox.gig_id == gig.id)).all())
    assert after == before + 1
    audit = db.exec(select(ModerationAction)).one()
    assert (audit.action, audit.target_id, audit.reason) == (
        "pro.approve",
        application.id,
        "Welcome",
    )
    note = db.exec(select(Notification).where(Notification.user_id == seller.id)).one()
    assert note.title == "You are now a Pro seller"
    with pytest.raises(DomainError, match="already a Pro seller"):
        pro.save_draft(db, actor=seller, data=form(top))


def test_asking_for_more_lets_the_applicant_edit_and_resubmit(db, cast):
    seller, admin, top, _ = cast
    application = pro.submit(db, actor=seller, data=form(top))
    with pytest.raises(DomainError, match="what you need"):
        pro.decide(db, actor=admin, application_id=application.id, action="ask_more")
    pro.decide(db, actor=admin, application_id=application.id, action="ask_more", text="More links")
    assert application.status == "needs_info"
    edited = pro.save_draft(
        db, actor=seller, data=form(top, portfolio_links=["https://a.com", "https://b.com"])
    )
    assert edited.status == "needs_info" and len(edited.portfolio_links) == 2
    assert pro.submit(db, actor=seller, data=form(top)).status == "pending"


def test_rejection_needs_a_reason_and_allows_a_new_application(db, cast):
    seller, admin, top, _ = cast
    application = pro.submit(db, actor=seller, data=form(top))
    with pytest.raises(DomainError, match="Give a reason"):
        pro.decide(db, actor=admin, application_id=application.id, action="reject", text=" ")
    pro.decide(db, actor=admin, application_id=application.id, action="reject", text="Too new")
    assert application.status == "rejected" and not is_pro(db, seller)
    again = pro.save_draft(db, actor=seller, data=form(top))
    assert again.id != application.id and again.status == "draft"


def test_revoking_removes_the_badge(db, cast):
    seller, admin, top, _ = cast
    application = pro.submit(db, actor=seller, data=form(top))
    with pytest.raises(DomainError, match="pending: it can't be revoked now"):
        pro.decide(db, actor=admin, application_id=application.id, action="revoke", text="x")
    pro.decide(db, actor=admin, application_id=application.id, action="approve")
    pro.decide(db, actor=admin, application_id=application.id, action="revoke", text="Fake work")
    assert application.status == "revoked" and not is_pro(db, seller)
    actions = [a.action for a in db.exec(select(ModerationAction).order_by(ModerationAction.id))]
    assert actions == ["pro.approve", "pro.revoke"]


def test_only_admins_decide_and_every_argument_is_checked(db, cast):
    seller, admin, top, _ = cast
    application = pro.submit(db, actor=seller, data=form(top))
    with pytest.raises(PermissionDenied):
        pro.decide(db, actor=seller, application_id=application.id, action="approve")
    with pytest.raises(DomainError, match="Choose approve"):
        pro.decide(db, actor=admin, application_id=application.id, action="submit")
    with pytest.raises(NotFound):
        pro.decide(db, actor=admin, application_id=str(application.id), action="approve")
    with pytest.raises(PermissionDenied):
        pro.queue(db, actor=seller)
    shown = pro.queue(db, actor=admin, status="pending")
    assert shown.total == 1 and shown.rows[0].applicant_username == seller.username
    assert db.exec(select(ProApplication)).one().status == "pending"


@pytest.mark.parametrize("status", [s.value for s in pro.S])
@pytest.mark.parametrize("action", pro.ADMIN_ACTIONS)
def test_every_admin_action_from_every_state_follows_the_table(db, cast, status, action):
    """The whole state x action table: allowed moves land in the table's state with an audit
    row and a notification; every other pair is refused and changes nothing."""
    seller, admin, top, _ = cast
    application = pro.submit(db, actor=seller, data=form(top))
    application.status = status
    db.add(application)
    db.flush()
    allowed = status in pro.TRANSITIONS[action].from_states
    audits = len(db.exec(select(ModerationAction)).all())
    if allowed:
        pro.decide(db, actor=admin, application_id=application.id, action=action, text="Note.")
        assert application.status == pro.TRANSITIONS[action].to_state
        assert len(db.exec(select(ModerationAction)).all()) == audits + 1
        kinds = db.exec(select(Notification.kind).where(Notification.user_id == seller.id)).all()
        assert f"pro.{action}" in kinds
    else:
        with pytest.raises(DomainError, match="can't be"):
            pro.decide(db, actor=admin, application_id=application.id, action=action, text="N.")
        assert application.status == status
        assert len(db.exec(select(ModerationAction)).all()) == audits
