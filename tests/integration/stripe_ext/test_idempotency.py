"""devservices/stripe_ext/idempotency.py: a retried request with the same key runs once."""

import uuid

import httpx
import pytest
import stripe

from devservices.stripe_server import StripeServer

from .steps import captured, group, hold, new_seller


def test_same_idempotency_key_refunds_once(client: stripe.StripeClient) -> None:
    pi = captured(client, 10_000)
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
    seller = new_seller(client)
    order = group()
    held = hold(client, 5_000, transfer_group=order)

    capture_key = f"{order}-capture"
    first = client.v1.payment_intents.capture(held.id, options={"idempotency_key": capture_key})
    retry = client.v1.payment_intents.capture(held.id, options={"idempotency_key": capture_key})
    assert (first.status, retry.status) == ("succeeded", "succeeded")  # replay, not an error

    params = {
        "amount": 4_000,
        "currency": "usd",
        "destination": seller.id,
        "transfer_group": order,
        "source_transaction": first.latest_charge,
    }
    key = f"{order}-release"
    one = client.v1.transfers.create(params=params, options={"idempotency_key": key})
    two = client.v1.transfers.create(params=params, options={"idempotency_key": key})
    assert one.id == two.id
    assert [t.id for t in client.v1.transfers.list(params={"transfer_group": order}).data] == [
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


def test_errors_with_a_code_are_replayed_plain_validation_errors_are_not(
    client: stripe.StripeClient, stripe_server: StripeServer
) -> None:
    pi = captured(client, 1_000)
    url = f"{stripe_server.url}/v1/refunds"
    auth = {"Authorization": f"Bearer {stripe_server.api_key}"}
    too_much = {"payment_intent": pi.id, "amount": "1001"}
    coded = {**auth, "Idempotency-Key": f"coded-{uuid.uuid4().hex}"}
    first = httpx.post(url, data=too_much, headers=coded)
    again = httpx.post(url, data=too_much, headers=coded)
    assert (first.status_code, first.json()["error"]["code"]) == (400, "amount_too_large")
    assert (again.status_code, again.headers["Idempotent-Replayed"]) == (400, "true")

    # localstripe's own "Bad request" (no code) is not kept: the key may be used again, fixed.
    key = {**auth, "Idempotency-Key": f"plain-{uuid.uuid4().hex}"}
    intents = f"{stripe_server.url}/v1/payment_intents"
    bad = httpx.post(intents, data={"currency": "usd"}, headers=key)
    assert bad.status_code == 400 and "code" not in bad.json()["error"]
    fixed = httpx.post(intents, data={"currency": "usd", "amount": "100"}, headers=key)
    assert fixed.status_code == 200 and "Idempotent-Replayed" not in fixed.headers


def test_sdk_generated_keys_do_not_merge_distinct_calls(client: stripe.StripeClient) -> None:
    email = f"twin-{uuid.uuid4().hex[:8]}@example.com"
    one = client.v1.customers.create(params={"email": email})
    two = client.v1.customers.create(params={"email": email})
    assert one.id != two.id
