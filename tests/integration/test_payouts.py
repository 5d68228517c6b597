"""Payouts setup through the real Stripe SDK against the local Stripe server (with Connect),
the session's `stripe_server` from tests/integration/conftest.py."""

import httpx
import pytest
from sqlmodel import Session, SQLModel, select

from devservices.process import free_port
from devservices.stripe_server import StripeServer
from marketplace.db import make_engine
from marketplace.models import FreelancerProfile, User
from marketplace.payments.gateway import StripeGateway
from marketplace.services.accounts import members as accounts
from marketplace.services.accounts import profiles
from marketplace.services.common.errors import PermissionDenied
from marketplace.services.orders import payouts
from marketplace.settings import load_settings


@pytest.fixture
def gateway(stripe_server: StripeServer, tmp_path) -> StripeGateway:
    settings = load_settings(
        {"GIGWORKS_DATA_DIR": str(tmp_path), "STRIPE_API_BASE": stripe_server.url}
    )
    return StripeGateway.from_settings(settings)


@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'payouts.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def seller(db, email="sam@example.com") -> User:
    user = accounts.register(db, email=email, password="correct horse", display_name="Sam Seller")
    profiles.become_seller(db, actor=user)
    db.commit()
    return user


def profile_of(db, user) -> FreelancerProfile:
    db.expire_all()
    return db.exec(select(FreelancerProfile).where(FreelancerProfile.user_id == user.id)).one()


def test_setup_creates_one_express_account_enabled_at_once(db, gateway):
    user = seller(db)
    assert payouts.payouts_status(db, actor=user) == payouts.PayoutsStatus(True, False, False)
    setup = payouts.start_payouts(
        actor=user, gateway=gateway, return_url="http://app/settings", engine=db.get_bind()
    )
    assert setup.onboarding_url is None and setup.status.payouts_enabled
    profile = profile_of(db, user)
    assert profile.stripe_account_id.startswith("acct_") and profile.payouts_enabled
    account = gateway.client.v1.accounts.retrieve(profile.stripe_account_id)
    assert account.type == "express" and account.email == "sam@example.com"

    # Pressing the button again reuses the account.
    payouts.start_payouts(
        actor=user, gateway=gateway, return_url="http://app/settings", engine=db.get_bind()
    )
    assert profile_of(db, user).stripe_account_id == profile.stripe_account_id


def test_a_retried_create_returns_the_same_account(gateway):
    key = "gigworks-express-account-user-test-retry"
    first = gateway.create_express_account(email="r@example.com", country="US", idempotency_key=key)
    second = gateway.create_express_account(
        email="r@example.com", country="US", idempotency_key=key
    )
    assert first.id == second.id


def test_unfinished_onboarding_sends_the_seller_to_stripe_and_back(db, gateway, stripe_server):
    user = seller(db, "olga@example.com")
    payouts.start_payouts(
        actor=user, gateway=gateway, return_url="http://app/settings", engine=db.get_bind()
    )
    account_id = profile_of(db, user).stripe_account_id
    httpx.post(
        f"{stripe_server.url}/_config/accounts/{account_id}", data={"onboarded": "false"}
    ).raise_for_status()
    status = payouts.refresh_payouts(actor=user, gateway=gateway, engine=db.get_bind())
    assert status == payouts.PayoutsStatus(True, True, False)

    url = payouts.start_payouts(
        actor=user,
        gateway=gateway,
        return_url="http://127.0.0.1:9/settings/payouts",
        engine=db.get_bind(),
    ).onboarding_url
    assert url and url.startswith(stripe_server.url)
    visit = httpx.get(url)  # the seller's browser on Stripe's onboarding page
    assert visit.headers["location"] == "http://127.0.0.1:9/settings/payouts"
    check = payouts.check_payouts(actor=user, gateway=gateway, engine=db.get_bind())
    assert check.status.payouts_enabled is True and check.error == ""


def test_buyers_have_no_payouts(db, gateway):
    buyer = accounts.register(
        db, email="b@example.com", password="correct horse", display_name="Bo"
    )
    db.commit()
    assert payouts.payouts_status(db, actor=buyer).is_seller is False
    with pytest.raises(PermissionDenied):
        payouts.start_payouts(
            actor=buyer, gateway=gateway, return_url="http://app/", engine=db.get_bind()
        )


class WatchedGateway(StripeGateway):
    """The real gateway, noting how many database connections are checked out at each call."""

    def __init__(self, gateway: StripeGateway, engine):
        super().__init__(gateway.client)
        self.engine = engine
        self.connections_during_calls: list[int] = []

    def _note(self) -> None:
        self.connections_during_calls.append(self.engine.pool.checkedout())

    def create_express_account(self, **kwargs):
        self._note()
        return super().create_express_account(**kwargs)

    def retrieve_account(self, account_id):
        self._note()
        return super().retrieve_account(account_id)

    def onboarding_link(self, account_id, **kwargs):
        self._note()
        return super().onboarding_link(account_id, **kwargs)


def test_no_database_transaction_is_open_while_stripe_answers(db, gateway, stripe_server):
    user = seller(db, "nina@example.com")
    db.refresh(user)
    db.expunge(user)
    db.close()  # the test's own session holds no connection either
    engine = db.get_bind()
    watched = WatchedGateway(gateway, engine)
    first = payouts.start_payouts(
        actor=user, gateway=watched, return_url="http://app/", engine=engine
    )
    assert first.status.payouts_enabled  # created, and the local Stripe onboards at once
    account_id = profile_of(db, user).stripe_account_id
    db.close()
    httpx.post(
        f"{stripe_server.url}/_config/accounts/{account_id}", data={"onboarded": "false"}
    ).raise_for_status()
    again = payouts.start_payouts(
        actor=user, gateway=watched, return_url="http://app/", engine=engine
    )
    assert again.onboarding_url and payouts.check_payouts(
        actor=user, gateway=watched, engine=engine
    ).status == payouts.PayoutsStatus(True, True, False)
    # create; retrieve and onboarding link; retrieve for the check
    assert watched.connections_during_calls == [0, 0, 0, 0]


def test_stripe_out_of_reach_shows_the_stored_status_and_why(db, tmp_path):
    user = seller(db, "otto@example.com")
    profile = profile_of(db, user)
    profile.stripe_account_id = "acct_unreachable"
    db.add(profile)
    db.commit()
    closed = StripeGateway.from_settings(
        load_settings(
            {
                "GIGWORKS_DATA_DIR": str(tmp_path),
                "STRIPE_API_BASE": f"http://127.0.0.1:{free_port()}",
            }
        )
    )
    check = payouts.check_payouts(actor=user, gateway=closed, engine=db.get_bind())
    assert check.status == payouts.PayoutsStatus(True, True, False)
    assert "cannot be reached" in check.error
