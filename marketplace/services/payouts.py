"""Payouts setup: a seller's Stripe connected account (Express), and whether it can be paid.

Released order money is transferred to this account (see the orders and escrow design). With the
local Stripe server the account is onboarded at once; with real Stripe the seller finishes
onboarding on Stripe's pages and comes back to /settings/payouts, which asks Stripe again.
"""

from dataclasses import dataclass

from sqlmodel import Session, select

from marketplace.models import FreelancerProfile, User
from marketplace.payments.gateway import StripeGateway
from marketplace.services.errors import PermissionDenied
from marketplace.services.guards import require_active_user

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


def start_payouts(
    session: Session, *, actor: User, gateway: StripeGateway, return_url: str
) -> str | None:
    """Create (once) the seller's Express account; returns Stripe's onboarding address when
    the seller still has steps to finish there, or None when payouts are already enabled."""
    profile = _profile(session, actor)
    if profile.stripe_account_id:
        account = gateway.retrieve_account(profile.stripe_account_id)
    else:
        account = gateway.create_express_account(
            email=actor.email,
            country=profile.country or DEFAULT_ACCOUNT_COUNTRY,
            # Unique per profile even across databases that share one Stripe account.
            idempotency_key=(
                f"gigworks-express-account-{actor.id}-{profile.id}"
                f"-{int(profile.created_at.timestamp() * 1000)}"
            ),
        )
        profile.stripe_account_id = account.id
    profile.payouts_enabled = account.payouts_enabled
    session.add(profile)
    session.flush()
    if account.payouts_enabled:
        return None
    return gateway.onboarding_link(account.id, return_url=return_url, refresh_url=return_url)


def refresh_payouts(session: Session, *, actor: User, gateway: StripeGateway) -> PayoutsStatus:
    """Ask Stripe again (after the seller returns from onboarding)."""
    profile = _profile(session, actor)
    if profile.stripe_account_id:
        account = gateway.retrieve_account(profile.stripe_account_id)
        profile.payouts_enabled = account.payouts_enabled
        session.add(profile)
        session.flush()
    return _status(profile)
