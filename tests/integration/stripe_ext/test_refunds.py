"""devservices/stripe_ext/refunds.py: refunds never exceed what was captured and is left."""

import stripe

from .steps import captured, hold, refused


def test_refunds_are_bounded_by_the_captured_amount(client: stripe.StripeClient) -> None:
    pi = captured(client, 10_000)

    def refund(amount: int | None = None):
        params: dict = {"payment_intent": pi.id}
        if amount is not None:
            params["amount"] = amount
        return lambda: client.v1.refunds.create(params=params)

    refused(refund(10_001), "amount_too_large")
    assert refund(6_000)().amount == 6_000
    refused(refund(4_001), "amount_too_large")  # partial refunds may not add up beyond
    last = client.v1.refunds.create(
        params={"charge": pi.latest_charge, "reason": "requested_by_customer"}
    )
    assert (last.amount, last.reason) == (4_000, "requested_by_customer")  # what was left
    refused(refund(1), "charge_already_refunded")
    refused(refund(), "charge_already_refunded")
    charge = client.v1.charges.retrieve(pi.latest_charge)
    assert (charge.amount_refunded, charge.refunded) == (10_000, True)


def test_refund_of_an_uncaptured_hold_is_refused(client: stripe.StripeClient) -> None:
    held = hold(client, 2_000)
    refused(
        lambda: client.v1.refunds.create(params={"payment_intent": held.id}),
        "payment_intent_unexpected_state",
    )
    refused(
        lambda: client.v1.refunds.create(params={"charge": held.latest_charge}),
        "charge_not_refundable",
    )
    assert client.v1.refunds.list(params={"payment_intent": held.id}).data == []


def test_partial_capture_limits_refunds(client: stripe.StripeClient) -> None:
    pi = client.v1.payment_intents.capture(
        hold(client, 10_000).id, params={"amount_to_capture": 7_000}
    )
    refused(
        lambda: client.v1.refunds.create(params={"payment_intent": pi.id, "amount": 7_001}),
        "amount_too_large",
    )
    assert client.v1.refunds.create(params={"payment_intent": pi.id}).amount == 7_000


def test_a_refund_names_exactly_one_payment(client: stripe.StripeClient) -> None:
    pi = captured(client, 1_000)
    refused(lambda: client.v1.refunds.create(params={}), "parameter_missing")
    refused(
        lambda: client.v1.refunds.create(
            params={"payment_intent": pi.id, "charge": pi.latest_charge}
        ),
        "parameter_missing",
    )
    refused(
        lambda: client.v1.refunds.create(params={"charge": "ch_doesnotexist"}), "resource_missing"
    )
    refused(
        lambda: client.v1.refunds.create(params={"payment_intent": pi.id, "reason": "changed"}),
        "parameter_invalid_string",
    )
