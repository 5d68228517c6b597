"""The one place that talks to Stripe: a thin wrapper over the official SDK's StripeClient.

Services call it with plain values and get plain values back, so no Stripe object leaks into the
domain. Every POST carries an idempotency key the caller derives from what it is doing (a user,
an order and a step), so a retry can never create a second account or move money twice.
"""

from dataclasses import dataclass

import stripe

from marketplace.settings import Settings


class PaymentProviderError(Exception):
    """Stripe refused or could not be reached; the message is safe to show."""


@dataclass(frozen=True)
class ConnectedAccount:
    id: str
    payouts_enabled: bool
    details_submitted: bool


class StripeGateway:
    def __init__(self, client: stripe.StripeClient):
        self.client = client

    @classmethod
    def from_settings(cls, settings: Settings) -> "StripeGateway":
        base = {"api": settings.stripe_api_base} if settings.stripe_api_base else {}
        return cls(
            stripe.StripeClient(
                settings.stripe_secret_key, base_addresses=base, max_network_retries=2
            )
        )

    @staticmethod
    def _account(account: stripe.Account) -> ConnectedAccount:
        return ConnectedAccount(
            id=account.id,
            payouts_enabled=bool(account.payouts_enabled),
            details_submitted=bool(account.details_submitted),
        )

    def create_express_account(
        self, *, email: str, country: str, idempotency_key: str
    ) -> ConnectedAccount:
        try:
            account = self.client.v1.accounts.create(
                params={
                    "type": "express",
                    "country": country,
                    "email": email,
                    "capabilities": {"transfers": {"requested": True}},
                },
                options={"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as exc:
            raise PaymentProviderError(_message(exc)) from exc
        return self._account(account)

    def retrieve_account(self, account_id: str) -> ConnectedAccount:
        try:
            return self._account(self.client.v1.accounts.retrieve(account_id))
        except stripe.StripeError as exc:
            raise PaymentProviderError(_message(exc)) from exc

    def onboarding_link(self, account_id: str, *, return_url: str, refresh_url: str) -> str:
        try:
            link = self.client.v1.account_links.create(
                params={
                    "account": account_id,
                    "return_url": return_url,
                    "refresh_url": refresh_url,
                    "type": "account_onboarding",
                }
            )
        except stripe.StripeError as exc:
            raise PaymentProviderError(_message(exc)) from exc
        return link.url


def _message(exc: stripe.StripeError) -> str:
    if isinstance(exc, stripe.APIConnectionError):
        return "The payment provider cannot be reached right now. Please try again shortly."
    return "The payment provider refused the request. Please try again or contact support."
