"""The official Stripe SDK against the session's local Stripe server (integration conftest)."""

import pytest
import stripe

from devservices.stripe_server import StripeServer


@pytest.fixture
def client(stripe_server: StripeServer) -> stripe.StripeClient:
    # Retries on: the SDK adds its own idempotency key to every POST, as in production.
    return stripe.StripeClient(
        stripe_server.api_key,
        base_addresses={"api": stripe_server.url},
        max_network_retries=2,
    )
