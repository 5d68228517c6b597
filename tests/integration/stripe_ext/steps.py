"""The money steps most tests start from: a seller, an authorization hold, a captured payment;
and the check that a call is refused as Stripe refuses it."""

from __future__ import annotations

import uuid

import pytest
import stripe


def new_seller(client: stripe.StripeClient, **extra) -> stripe.Account:
    return client.v1.accounts.create(
        params={
            "type": "express",
            "country": "US",
            "email": f"seller-{uuid.uuid4().hex[:8]}@example.com",
            "capabilities": {
                "card_payments": {"requested": True},
                "transfers": {"requested": True},
            },
            **extra,
        }
    )


def hold(client: stripe.StripeClient, amount: int = 10_000, **extra) -> stripe.PaymentIntent:
    """An authorization hold, as after checkout: manual capture, confirmed with a card."""
    return client.v1.payment_intents.create(
        params={
            "amount": amount,
            "currency": "usd",
            "capture_method": "manual",
            "payment_method": "pm_card_visa",
            "confirm": True,
            **extra,
        }
    )


def captured(client: stripe.StripeClient, amount: int = 10_000, **extra) -> stripe.PaymentIntent:
    pi = client.v1.payment_intents.capture(hold(client, amount, **extra).id)
    assert pi.status == "succeeded"
    return pi


def refused(call, code: str, status: int = 400) -> stripe.StripeError:
    """`call()` fails as Stripe would: an invalid request with this error code."""
    with pytest.raises(stripe.InvalidRequestError) as failure:
        call()
    assert failure.value.http_status == status
    assert failure.value.code == code, failure.value.user_message
    return failure.value


def group() -> str:
    return f"order_{uuid.uuid4().hex[:10]}"
