"""One guard decides whether an account may act, and every service says no in the same words."""

import pytest
from sqlmodel import Session, SQLModel

from marketplace.db import make_engine
from marketplace.services.accounts import identities, profiles
from marketplace.services.common.errors import PermissionDenied
from marketplace.services.common.guards import (
    SIGN_IN_MESSAGE,
    SUSPENDED_MESSAGE,
    AccountSuspended,
    require_active_user,
)
from marketplace.services.gigs import actions as gigs
from marketplace.services.orders import payouts
from tests.gig_fixtures import make_user


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'guards.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


def test_signed_out_is_asked_to_sign_in_and_an_active_account_passes(db):
    with pytest.raises(PermissionDenied) as refused:
        require_active_user(None)
    assert str(refused.value) == SIGN_IN_MESSAGE
    assert not isinstance(refused.value, AccountSuspended)
    user = make_user(db, "active")
    assert require_active_user(user) is user


@pytest.mark.parametrize("status", ["suspended", "banned"])
def test_every_service_refuses_a_suspended_account_with_one_message(db, status):
    seller = make_user(db, "seller", seller=True)
    seller.status = status
    db.add(seller)
    db.flush()
    actions = {
        "gigs": lambda: gigs.create_draft_gig(db, actor=seller),
        "profiles": lambda: profiles.profile_form(db, actor=seller),
        "payouts": lambda: payouts.payouts_status(db, actor=seller),
        "identities": lambda: identities.sign_in_with_identity(
            db,
            provider="dev",
            subject="s-1",
            email="seller@example.com",
            email_verified=True,
            display_name="Seller",
            current_user_id=seller.id,
        ),
    }
    for name, action in actions.items():
        with pytest.raises(AccountSuspended) as refused:
            action()
        assert str(refused.value) == SUSPENDED_MESSAGE, name
