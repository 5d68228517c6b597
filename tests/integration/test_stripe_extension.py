"""The local Stripe behaves like Stripe where escrow depends on it, through the real SDK."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import stripe

from devservices.process import free_port
from devservices.stripe_server import StripeServer


@pytest.fixture(scope="module")
def stripe_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StripeServer]:
    directory: Path = tmp_path_factory.mktemp("stripe")
    server = StripeServer(
        port=free_port(), state_file=directory / "state.pickle", log_path=directory / "stripe.log"
    )
    with server:
        yield server


@pytest.fixture
def client(stripe_server: StripeServer) -> stripe.StripeClient:
    # Retries on: the SDK adds its own idempotency key to every POST, as in production.
    return stripe.StripeClient(
        stripe_server.api_key,
        base_addresses={"api": stripe_server.url},
        max_network_retries=2,
    )


def _seller(client: stripe.StripeClient) -> stripe.Account:
    return client.v1.accounts.create(
        params={
            "type": "express",
            "country": "US",
            "email": f"seller-{uuid.uuid4().hex[:8]}@example.com",
            "capabilities": {
                "card_payments": {"requested": True},
                "transfers": {"requested": True},
            },
        }
    )


def _hold(client: stripe.StripeClient, amount: int = 10_000, **extra) -> stripe.PaymentIntent:
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


def _captured(client: stripe.StripeClient, amount: int = 10_000, **extra) -> stripe.PaymentIntent:
    pi = client.v1.payment_intents.capture(_hold(client, amount, **extra).id)
    assert pi.status == "succeeded"
    return pi


def _refused(call, code: str) -> stripe.StripeError:
    with pytest.raises(stripe.InvalidRequestError) as failure:
        call()
    assert failure.value.http_status == 400
    assert failure.value.code == code, failure.value.user_message
    return failure.value


# --- (a) escrow: hold, capture, release to the seller -----------------------------------


def test_capture_then_transfer_to_express_account(client: stripe.StripeClient) -> None:
    seller = _seller(client)
    assert (seller.charges_enabled, seller.payouts_enabled, seller.details_submitted) == (
        True,
        True,
        True,
    )
    assert client.v1.accounts.retrieve(seller.id).capabilities["transfers"] == "active"

    group = f"order_{uuid.uuid4().hex[:10]}"
    hold = _hold(client, 10_000, transfer_group=group, metadata={"order_id": "42"})
    assert hold.status == "requires_capture"
    assert hold.amount_capturable == 10_000
    pi = client.v1.payment_intents.capture(hold.id)
    assert (pi.status, pi.amount_received) == ("succeeded", 10_000)
    charge_id = pi.latest_charge
    assert isinstance(charge_id, str) and charge_id.startswith("ch_")  # an id, as in Stripe

    release = client.v1.transfers.create(
        params={
            "amount": 8_000,
            "currency": "usd",
            "destination": seller.id,
            "transfer_group": group,
            "source_transaction": charge_id,
            "metadata": {"order_id": "42"},
        }
    )
    fetched = client.v1.transfers.retrieve(release.id)
    assert (fetched.amount, fetched.destination, fetched.source_transaction) == (
        8_000,
        seller.id,
        charge_id,
    )
    assert fetched.metadata["order_id"] == "42"
    assert (fetched.amount_reversed, fetched.reversed) == (0, False)

    rest = client.v1.transfers.create(
        params={
            "amount": 2_000,
            "currency": "usd",
            "destination": seller.id,
            "transfer_group": group,
            "source_transaction": charge_id,
        }
    )
    listed = client.v1.transfers.list(params={"transfer_group": group})
    assert [t.id for t in listed.data] == [rest.id, release.id]  # newest first
    assert client.v1.transfers.list(params={"transfer_group": "order_other"}).data == []

    # The whole captured amount is out: not one more cent from this charge.
    _refused(
        lambda: client.v1.transfers.create(
            params={
                "amount": 1,
                "currency": "usd",
                "destination": seller.id,
                "source_transaction": charge_id,
            }
        ),
        "amount_too_large",
    )


def test_transfer_limited_to_captured_amount_and_needs_a_capture(
    client: stripe.StripeClient, stripe_server: StripeServer
) -> None:
    seller = _seller(client)
    hold = _hold(client, 10_000)
    pi = client.v1.payment_intents.capture(hold.id, params={"amount_to_capture": 6_000})
    assert pi.amount_received == 6_000

    def transfer(amount: int, source: str, destination: str = seller.id):
        return lambda: client.v1.transfers.create(
            params={
                "amount": amount,
                "currency": "usd",
                "destination": destination,
                "source_transaction": source,
            }
        )

    _refused(transfer(6_001, pi.latest_charge), "amount_too_large")
    assert transfer(6_000, pi.latest_charge)().amount == 6_000

    uncaptured = _hold(client, 5_000)
    _refused(transfer(100, uncaptured.latest_charge), "charge_not_captured")
    _refused(transfer(100, pi.latest_charge, "acct_doesnotexist"), "resource_missing")

    # A seller who has not finished onboarding cannot receive money.
    other = _seller(client)
    captured = _captured(client, 3_000)
    httpx.post(
        f"{stripe_server.url}/_config/accounts/{other.id}",
        data={"onboarded": "false"},
    ).raise_for_status()
    assert client.v1.accounts.retrieve(other.id).payouts_enabled is False
    _refused(
        transfer(100, captured.latest_charge, other.id), "insufficient_capabilities_for_transfer"
    )


def test_refunds_reduce_what_can_be_transferred(client: stripe.StripeClient) -> None:
    seller = _seller(client)
    pi = _captured(client, 10_000)
    client.v1.refunds.create(params={"payment_intent": pi.id, "amount": 4_000})
    _refused(
        lambda: client.v1.transfers.create(
            params={
                "amount": 6_001,
                "currency": "usd",
                "destination": seller.id,
                "source_transaction": pi.latest_charge,
            }
        ),
        "amount_too_large",
    )


def test_account_link_onboards_and_returns(
    client: stripe.StripeClient, stripe_server: StripeServer
) -> None:
    seller = _seller(client)
    httpx.post(
        f"{stripe_server.url}/_config/accounts/{seller.id}", data={"onboarded": "false"}
    ).raise_for_status()
    pending = client.v1.accounts.retrieve(seller.id)
    assert (pending.details_submitted, pending.capabilities["transfers"]) == (False, "inactive")

    link = client.v1.account_links.create(
        params={
            "account": seller.id,
            "refresh_url": "http://127.0.0.1:9/seller/onboarding/refresh",
            "return_url": "http://127.0.0.1:9/seller/onboarding/done",
            "type": "account_onboarding",
        }
    )
    visit = httpx.get(link.url)  # a browser, without any API key
    assert visit.status_code == 302
    assert visit.headers["location"] == "http://127.0.0.1:9/seller/onboarding/done"
    done = client.v1.accounts.retrieve(seller.id)
    assert (done.details_submitted, done.payouts_enabled) == (True, True)
    assert httpx.get(link.url).status_code == 404  # single use


# --- (b) capture and cancel follow the PaymentIntent state machine -----------------------


def test_capture_after_cancel_or_twice_is_refused(client: stripe.StripeClient) -> None:
    hold = _hold(client)
    canceled = client.v1.payment_intents.cancel(
        hold.id, params={"cancellation_reason": "requested_by_customer"}
    )
    assert (canceled.status, canceled.cancellation_reason) == ("canceled", "requested_by_customer")
    error = _refused(
        lambda: client.v1.payment_intents.capture(hold.id), "payment_intent_unexpected_state"
    )
    assert "canceled" in error.user_message
    _refused(lambda: client.v1.payment_intents.cancel(hold.id), "payment_intent_unexpected_state")

    captured = _captured(client)
    _refused(
        lambda: client.v1.payment_intents.capture(captured.id), "payment_intent_unexpected_state"
    )
    _refused(
        lambda: client.v1.payment_intents.cancel(captured.id), "payment_intent_unexpected_state"
    )

    unconfirmed = client.v1.payment_intents.create(
        params={"amount": 500, "currency": "usd", "capture_method": "manual"}
    )
    _refused(
        lambda: client.v1.payment_intents.capture(unconfirmed.id),
        "payment_intent_unexpected_state",
    )

    too_much = _hold(client, 1_000)
    _refused(
        lambda: client.v1.payment_intents.capture(too_much.id, params={"amount_to_capture": 1_001}),
        "amount_too_large",
    )


def test_confirm_accepts_a_payment_method(client: stripe.StripeClient) -> None:
    pi = client.v1.payment_intents.create(
        params={"amount": 700, "currency": "usd", "capture_method": "manual"}
    )
    assert pi.status == "requires_payment_method"
    confirmed = client.v1.payment_intents.confirm(pi.id, params={"payment_method": "pm_card_visa"})
    assert (confirmed.status, confirmed.amount_capturable) == ("requires_capture", 700)
    _refused(
        lambda: client.v1.payment_intents.confirm(pi.id, params={"payment_method": "pm_card_visa"}),
        "payment_intent_unexpected_state",
    )


# --- (c) refunds never exceed what was captured -------------------------------------------


def test_refunds_are_bounded_by_the_captured_amount(client: stripe.StripeClient) -> None:
    pi = _captured(client, 10_000)

    def refund(amount: int | None = None):
        params: dict = {"payment_intent": pi.id}
        if amount is not None:
            params["amount"] = amount
        return lambda: client.v1.refunds.create(params=params)

    _refused(refund(10_001), "amount_too_large")
    assert refund(6_000)().amount == 6_000
    _refused(refund(4_001), "amount_too_large")  # partial refunds may not add up beyond
    last = client.v1.refunds.create(
        params={"charge": pi.latest_charge, "reason": "requested_by_customer"}
    )
    assert (last.amount, last.reason) == (4_000, "requested_by_customer")  # what was left
    _refused(refund(1), "charge_already_refunded")
    _refused(refund(), "charge_already_refunded")
    charge = client.v1.charges.retrieve(pi.latest_charge)
    assert (charge.amount_refunded, charge.refunded) == (10_000, True)


def test_refund_of_an_uncaptured_hold_is_refused(client: stripe.StripeClient) -> None:
    hold = _hold(client, 2_000)
    _refused(
        lambda: client.v1.refunds.create(params={"payment_intent": hold.id}),
        "payment_intent_unexpected_state",
    )
    _refused(
        lambda: client.v1.refunds.create(params={"charge": hold.latest_charge}),
        "charge_not_refundable",
    )
    assert client.v1.refunds.list(params={"payment_intent": hold.id}).data == []


def test_partial_capture_limits_refunds(client: stripe.StripeClient) -> None:
    pi = client.v1.payment_intents.capture(_hold(client, 10_000).id, {"amount_to_capture": 7_000})
    assert client.v1.charges.retrieve(pi.latest_charge).amount_captured == 7_000
    _refused(
        lambda: client.v1.refunds.create(params={"payment_intent": pi.id, "amount": 7_001}),
        "amount_too_large",
    )
    assert client.v1.refunds.create(params={"payment_intent": pi.id}).amount == 7_000


# --- (d) idempotency keys ---------------------------------------------------------------


def test_same_idempotency_key_refunds_once(client: stripe.StripeClient) -> None:
    pi = _captured(client, 10_000)
    key = f"order-1-refund-{uuid.uuid4().hex}"
    params = {"payment_intent": pi.id, "amount": 3_000}
    first = client.v1.refunds.create(params=params, options={"idempotency_key": key})
    again = client.v1.refunds.create(params=params, options={"idempotency_key": key})
    assert again.id == first.id
    assert len(client.v1.refunds.list(params={"payment_intent": pi.id}).data) == 1
    assert client.v1.charges.retrieve(pi.latest_charge).amount_refunded == 3_000

    with pytest.raises(stripe.IdempotencyError):
        client.v1.refunds.create(
            params={"payment_intent": pi.id, "amount": 2_000}, options={"idempotency_key": key}
        )
    assert client.v1.charges.retrieve(pi.latest_charge).amount_refunded == 3_000


def test_same_idempotency_key_transfers_and_captures_once(client: stripe.StripeClient) -> None:
    seller = _seller(client)
    group = f"order_{uuid.uuid4().hex[:10]}"
    hold = _hold(client, 5_000, transfer_group=group)

    capture_key = f"{group}-capture"
    first = client.v1.payment_intents.capture(hold.id, options={"idempotency_key": capture_key})
    retry = client.v1.payment_intents.capture(hold.id, options={"idempotency_key": capture_key})
    assert (first.status, retry.status) == ("succeeded", "succeeded")  # replay, not an error

    params = {
        "amount": 4_000,
        "currency": "usd",
        "destination": seller.id,
        "transfer_group": group,
        "source_transaction": first.latest_charge,
    }
    key = f"{group}-release"
    one = client.v1.transfers.create(params=params, options={"idempotency_key": key})
    two = client.v1.transfers.create(params=params, options={"idempotency_key": key})
    assert one.id == two.id
    assert [t.id for t in client.v1.transfers.list(params={"transfer_group": group}).data] == [
        one.id
    ]
    with pytest.raises(stripe.IdempotencyError):
        client.v1.transfers.create(
            params={**params, "amount": 1_000}, options={"idempotency_key": key}
        )


def test_replay_is_marked_and_keys_are_scoped(stripe_server: StripeServer) -> None:
    key = f"raw-{uuid.uuid4().hex}"
    url = f"{stripe_server.url}/v1/customers"
    auth = {"Authorization": f"Bearer {stripe_server.api_key}", "Idempotency-Key": key}
    first = httpx.post(url, data={"email": "a@example.com"}, headers=auth)
    again = httpx.post(url, data={"email": "a@example.com"}, headers=auth)
    assert first.status_code == again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers

    other_account = {**auth, "Authorization": "Bearer sk_test_another_platform"}
    other = httpx.post(url, data={"email": "a@example.com"}, headers=other_account)
    assert other.json()["id"] != first.json()["id"]


def test_sdk_generated_keys_do_not_merge_distinct_calls(client: stripe.StripeClient) -> None:
    email = f"twin-{uuid.uuid4().hex[:8]}@example.com"
    one = client.v1.customers.create(params={"email": email})
    two = client.v1.customers.create(params={"email": email})
    assert one.id != two.id


# --- (e) transfer reversals -------------------------------------------------------------


def test_transfer_reversals_cannot_exceed_the_transfer(client: stripe.StripeClient) -> None:
    seller = _seller(client)
    pi = _captured(client, 10_000)
    transfer = client.v1.transfers.create(
        params={
            "amount": 8_000,
            "currency": "usd",
            "destination": seller.id,
            "source_transaction": pi.latest_charge,
        }
    )
    first = client.v1.transfers.reversals.create(transfer.id, params={"amount": 3_000})
    assert (first.amount, first.transfer) == (3_000, transfer.id)
    after = client.v1.transfers.retrieve(transfer.id)
    assert (after.amount_reversed, after.reversed) == (3_000, False)

    _refused(
        lambda: client.v1.transfers.reversals.create(transfer.id, params={"amount": 5_001}),
        "amount_too_large",
    )
    rest = client.v1.transfers.reversals.create(transfer.id)  # no amount: what is left
    assert rest.amount == 5_000
    after = client.v1.transfers.retrieve(transfer.id)
    assert (after.amount_reversed, after.reversed) == (8_000, True)
    _refused(
        lambda: client.v1.transfers.reversals.create(transfer.id, params={"amount": 1}),
        "amount_too_large",
    )
    listed = client.v1.transfers.reversals.list(transfer.id)
    assert {r.id for r in listed.data} == {first.id, rest.id}
    assert client.v1.transfers.reversals.retrieve(transfer.id, first.id).amount == 3_000

    # Reversed money is back on the platform and may be released again (e.g. a split).
    again = client.v1.transfers.create(
        params={
            "amount": 10_000,
            "currency": "usd",
            "destination": seller.id,
            "source_transaction": pi.latest_charge,
        }
    )
    assert again.amount == 10_000


# --- fake Stripe.js: confirming with the card the buyer typed ---------------------------


def test_browser_confirmation_uses_the_typed_card(
    client: stripe.StripeClient, stripe_server: StripeServer
) -> None:
    script = httpx.get(f"{stripe_server.url}/js.stripe.com/v3/")
    assert script.status_code == 200 and "_confirm_card" in script.text

    def confirm(pi, number: str, secret: str | None = None) -> httpx.Response:
        body = {
            "key": "pk_test_gigworks_local",
            "client_secret": secret or pi.client_secret,
            "card": {"number": number, "exp_month": "12", "exp_year": "2034", "cvc": "123"},
        }
        url = f"{stripe_server.url}/v1/payment_intents/{pi.id}/_confirm_card"
        return httpx.post(url, content=json.dumps(body))

    def checkout():
        return client.v1.payment_intents.create(
            params={"amount": 2_500, "currency": "usd", "capture_method": "manual"}
        )

    pi = checkout()
    assert confirm(pi, "4242424242424242", secret=pi.id + "_secret_wrong").status_code == 401
    ok = confirm(pi, "4242 4242 4242 4242")
    assert ok.status_code == 200 and ok.json()["status"] == "requires_capture"

    declined = checkout()
    answer = confirm(declined, "4000000000000002")
    assert answer.status_code == 402
    assert (answer.json()["error"]["type"], answer.json()["error"]["code"]) == (
        "card_error",
        "card_declined",
    )
    assert client.v1.payment_intents.retrieve(declined.id).status == "requires_payment_method"
    retry = confirm(declined, "4242424242424242")  # a second card after a decline
    assert retry.json()["status"] == "requires_capture"

    three_ds = checkout()
    assert confirm(three_ds, "4000002500003155").json()["status"] == "requires_action"
