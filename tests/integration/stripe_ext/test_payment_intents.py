"""devservices/stripe_ext/payment_intents.py: capture, cancel and confirm follow Stripe's
PaymentIntent state machine; the fields and declines localstripe lacks."""

import stripe

from .steps import captured, group, hold, refused


def test_a_hold_capture_and_its_charge(client: stripe.StripeClient) -> None:
    order = group()
    held = hold(
        client,
        10_000,
        transfer_group=order,
        description="Logo design",
        receipt_email="buyer@example.com",
        statement_descriptor_suffix="GIGWORKS",
    )
    assert (held.status, held.amount_capturable, held.amount_received) == (
        "requires_capture",
        10_000,
        0,
    )
    assert (held.transfer_group, held.description, held.receipt_email) == (
        order,
        "Logo design",
        "buyer@example.com",
    )
    pi = client.v1.payment_intents.capture(held.id)
    assert (pi.status, pi.amount_received, pi.amount_capturable) == ("succeeded", 10_000, 0)
    assert isinstance(pi.latest_charge, str) and pi.latest_charge.startswith("ch_")  # an id
    charge = client.v1.charges.retrieve(pi.latest_charge)
    assert (charge.amount_captured, charge.transfer_group, charge.description) == (
        10_000,
        order,
        "Logo design",
    )
    expanded = client.v1.payment_intents.retrieve(pi.id, params={"expand": ["latest_charge"]})
    assert expanded.latest_charge.id == pi.latest_charge  # the object, when asked for


def test_capture_after_cancel_or_twice_is_refused(client: stripe.StripeClient) -> None:
    held = hold(client)
    canceled = client.v1.payment_intents.cancel(
        held.id, params={"cancellation_reason": "requested_by_customer"}
    )
    assert (canceled.status, canceled.cancellation_reason) == ("canceled", "requested_by_customer")
    assert canceled.canceled_at is not None
    error = refused(
        lambda: client.v1.payment_intents.capture(held.id), "payment_intent_unexpected_state"
    )
    assert "canceled" in error.user_message
    refused(lambda: client.v1.payment_intents.cancel(held.id), "payment_intent_unexpected_state")

    done = captured(client)
    refused(lambda: client.v1.payment_intents.capture(done.id), "payment_intent_unexpected_state")
    refused(lambda: client.v1.payment_intents.cancel(done.id), "payment_intent_unexpected_state")

    unconfirmed = client.v1.payment_intents.create(
        params={"amount": 500, "currency": "usd", "capture_method": "manual"}
    )
    refused(
        lambda: client.v1.payment_intents.capture(unconfirmed.id),
        "payment_intent_unexpected_state",
    )
    assert client.v1.payment_intents.cancel(unconfirmed.id).status == "canceled"

    too_much = hold(client, 1_000)
    refused(
        lambda: client.v1.payment_intents.capture(too_much.id, params={"amount_to_capture": 1_001}),
        "amount_too_large",
    )
    refused(
        lambda: client.v1.payment_intents.cancel(
            too_much.id, params={"cancellation_reason": "bored"}
        ),
        "parameter_invalid_string",
    )


def test_partial_capture_receives_only_the_captured_amount(client: stripe.StripeClient) -> None:
    pi = client.v1.payment_intents.capture(
        hold(client, 10_000).id, params={"amount_to_capture": 7_000}
    )
    assert (pi.status, pi.amount_received) == ("succeeded", 7_000)
    assert client.v1.charges.retrieve(pi.latest_charge).amount_captured == 7_000


def test_confirm_accepts_a_payment_method(client: stripe.StripeClient) -> None:
    pi = client.v1.payment_intents.create(
        params={"amount": 700, "currency": "usd", "capture_method": "manual"}
    )
    assert pi.status == "requires_payment_method"
    confirmed = client.v1.payment_intents.confirm(pi.id, params={"payment_method": "pm_card_visa"})
    assert (confirmed.status, confirmed.amount_capturable) == ("requires_capture", 700)
    refused(
        lambda: client.v1.payment_intents.confirm(pi.id, params={"payment_method": "pm_card_visa"}),
        "payment_intent_unexpected_state",
    )


def test_a_declined_card_is_declined_when_charged_and_another_card_may_follow(
    client: stripe.StripeClient,
) -> None:
    declined_card = client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": "4000000000000002", "exp_month": 12, "exp_year": 2034, "cvc": "123"},
        }
    )
    pi = client.v1.payment_intents.create(
        params={"amount": 900, "currency": "usd", "capture_method": "manual"}
    )
    try:
        client.v1.payment_intents.confirm(pi.id, params={"payment_method": declined_card.id})
    except stripe.CardError as decline:
        assert (decline.http_status, decline.code) == (402, "card_declined")
    else:
        raise AssertionError("a 4000000000000002 card was not declined")
    assert client.v1.payment_intents.retrieve(pi.id).status == "requires_payment_method"
    retry = client.v1.payment_intents.confirm(pi.id, params={"payment_method": "pm_card_visa"})
    assert retry.status == "requires_capture"
