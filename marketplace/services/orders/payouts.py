"""Payouts setup: a seller's Stripe connected account (Express), and whether it can be paid.

Released order money is transferred to this account (see the orders and escrow design). With the
local Stripe server the account is onboarded at once; with real Stripe the seller finishes
onboarding on Stripe's pages and comes back to /settings/payouts, which asks Stripe again.
The functions that call Stripe open their own short transactions around the call, never across it.
"""

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from marketplace.db import session_scope
from marketplace.models import FreelancerProfile, User
from marketplace.payments.gateway import ConnectedAccount, PaymentProviderError, StripeGateway
from marketplace.services.common.errors import PermissionDenied
from marketplace.services.common.guards import require_active_user
from marketplace.settings import get_settings

DEFAULT_ACCOUNT_COUNTRY = "US"


@dataclass(frozen=True)
class PayoutsStatus:
    is_seller: bool
    has_account: bool
    payouts_enabled: bool


def _find_profile(session: Session, actor: User | None) -> FreelancerProfile | None:
    actor = require_active_user(actor)
    return session.exec(
        select(FreelancerProfile).where(FreelancerProfile.user_id == actor.id)
    ).first()


def _profile(session: Session, actor: User | None) -> FreelancerProfile:
    profile = _find_profile(session, actor)
    if profile is None:
        raise PermissionDenied("Become a seller first to set up payouts.")
    return profile


def _status(profile: FreelancerProfile) -> PayoutsStatus:
    return PayoutsStatus(
        is_seller=True,
        has_account=bool(profile.stripe_account_id),
        payouts_enabled=profile.payouts_enabled,
    )


def payouts_status(session: Session, *, actor: User) -> PayoutsStatus:
    profile = _find_profile(session, actor)
    if profile is None:
        return PayoutsStatus(is_seller=False, has_account=False, payouts_enabled=False)
    return _status(profile)


@dataclass(frozen=True)
class PayoutsSetup:
    status: PayoutsStatus
    onboarding_url: str | None  # Stripe's onboarding page while the seller has steps left


@dataclass(frozen=True)
class PayoutsCheck:
    status: PayoutsStatus
    error: str  # Stripe could not be asked; the status is the last one stored


def _gateway(gateway: StripeGateway | None) -> StripeGateway:
    return gateway or StripeGateway.from_settings(get_settings())


def _store_account(actor: User, account: ConnectedAccount, engine: Engine | None) -> PayoutsStatus:
    """Record what Stripe said, in a transaction of its own after the call."""
    with session_scope(engine) as session:
        profile = _profile(session, actor)
        if not profile.stripe_account_id:
            profile.stripe_account_id = account.id
        if profile.stripe_account_id == account.id:
            profile.payouts_enabled = account.payouts_enabled
            session.add(profile)
        return _status(profile)


def start_payouts(
    *,
    actor: User,
    return_url: str,
    gateway: StripeGateway | None = None,
    engine: Engine | None = None,
) -> PayoutsSetup:
    """Create (once) the seller's Express account and say where the seller goes next.

    No transaction is open while Stripe answers: the profile is read, Stripe is called, and
    the answer is written in a second short transaction. A create that succeeded at Stripe but
    was not recorded is harmless: the idempotency key returns the same account next time.
    """
    gateway = _gateway(gateway)
    with session_scope(engine) as session:
        profile = _profile(session, actor)
        account_id = profile.stripe_account_id
        country = profile.country or DEFAULT_ACCOUNT_COUNTRY
        # Unique per profile even across databases that share one Stripe account.
        idempotency_key = (
            f"gigworks-express-account-{actor.id}-{profile.id}"
            f"-{int(profile.created_at.timestamp() * 1000)}"
        )
    if account_id:
        account = gateway.retrieve_account(account_id)
    else:
        account = gateway.create_express_account(
            email=actor.email, country=country, idempotency_key=idempotency_key
        )
    status = _store_account(actor, account, engine)
    if account.payouts_enabled:
        return PayoutsSetup(status, None)
    url = gateway.onboarding_link(account.id, return_url=return_url, refresh_url=return_url)
    return PayoutsSetup(status, url)


def refresh_payouts(
    *, actor: User, gateway: StripeGateway | None = None, engine: Engine | None = None
) -> PayoutsStatus:
    """Ask Stripe again (after the seller returns from onboarding)."""
    with session_scope(engine) as session:
        account_id = _profile(session, actor).stripe_account_id
    if not account_id:
        with session_scope(engine) as session:
            return _status(_profile(session, actor))
    return _store_account(actor, _gateway(gateway).retrieve_account(account_id), engine)


def check_payouts(
    *, actor: User, gateway: StripeGateway | None = None, engine: Engine | None = None
) -> PayoutsCheck:
    """What /settings/payouts shows. A seller whose account still waits for details has just
    come back from Stripe's onboarding, so Stripe is asked again; if it cannot be reached the
    stored status is shown with the reason."""
    with session_scope(engine) as session:
        status = payouts_status(session, actor=actor)
    if not status.has_account or status.payouts_enabled:
        return PayoutsCheck(status, "")
    try:
        return PayoutsCheck(refresh_payouts(actor=actor, gateway=gateway, engine=engine), "")
    except PaymentProviderError as exc:
        return PayoutsCheck(status, str(exc))
