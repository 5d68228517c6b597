"""devservices/stripe_ext/transfers.py: transfers funded by a captured charge, and reversals."""

import httpx
import stripe

from devservices.stripe_server import StripeServer

from .steps import captured, group, hold, new_seller, refused


def _transfer(client: stripe.StripeClient, amount: int, destination: str, source=None, **extra):
    params = {"amount": amount, "currency": "usd", "destination": destination, **extra}
    if source is not None:
        params["source_transaction"] = source
    return client.v1.transfers.create(params=params)


def test_capture_then_transfer_to_express_account(client: stripe.StripeClient) -> None:
    seller = new_seller(client)
    order = group()
    held = hold(client, 10_000, transfer_group=order, metadata={"order_id": "42"})
    pi = client.v1.payment_intents.capture(held.id)
    charge_id = pi.latest_charge

    release = _transfer(
        client, 8_000, seller.id, charge_id, transfer_group=order, metadata={"order_id": "42"}
    )
    fetched = client.v1.transfers.retrieve(release.id)
    assert (fetched.amount, fetched.destination, fetched.source_transaction) == (
        8_000,
        seller.id,
        charge_id,
    )
    assert fetched.metadata["order_id"] == "42"
    assert (fetched.amount_reversed, fetched.reversed) == (0, False)

    rest = _transfer(client, 2_000, seller.id, charge_id, transfer_group=order)
    listed = client.v1.transfers.list(params={"transfer_group": order})
    assert [t.id for t in listed.data] == [rest.id, release.id]  # newest first
    assert client.v1.transfers.list(params={"transfer_group": "order_other"}).data == []
    by_seller = client.v1.transfers.list(params={"destination": seller.id})
    assert {t.id for t in by_seller.data} == {rest.id, release.id}

    # The whole captured amount is out: not one more cent from this charge.
    refused(lambda: _transfer(client, 1, seller.id, charge_id), "amount_too_large")


def test_transfer_limited_to_captured_amount_and_needs_a_capture(
    client: stripe.StripeClient, stripe_server: StripeServer
) -> None:
    seller = new_seller(client)
    pi = client.v1.payment_intents.capture(
        hold(client, 10_000).id, params={"amount_to_capture": 6_000}
    )
    assert pi.amount_received == 6_000

    refused(lambda: _transfer(client, 6_001, seller.id, pi.latest_charge), "amount_too_large")
    assert _transfer(client, 6_000, seller.id, pi.latest_charge).amount == 6_000

    uncaptured = hold(client, 5_000)
    refused(
        lambda: _transfer(client, 100, seller.id, uncaptured.latest_charge),
        "charge_not_captured",
    )
    refused(
        lambda: _transfer(client, 100, "acct_doesnotexist", pi.latest_charge), "resource_missing"
    )
    refused(lambda: _transfer(client, 100, seller.id, "ch_doesnotexist"), "resource_missing")
    refused(lambda: _transfer(client, 100, seller.id, pi.id), "parameter_invalid")  # not a ch_

    # A seller who has not finished onboarding cannot receive money.
    other = new_seller(client)
    paid = captured(client, 3_000)
    httpx.post(
        f"{stripe_server.url}/_config/accounts/{other.id}", data={"onboarded": "false"}
    ).raise_for_status()
    assert client.v1.accounts.retrieve(other.id).payouts_enabled is False
    refused(
        lambda: _transfer(client, 100, other.id, paid.latest_charge),
        "insufficient_capabilities_for_transfer",
    )


def test_transfer_currency_must_match_the_charge(client: stripe.StripeClient) -> None:
    seller = new_seller(client)
    pi = captured(client, 1_000)
    refused(
        lambda: client.v1.transfers.create(
            params={
                "amount": 100,
                "currency": "eur",
                "destination": seller.id,
                "source_transaction": pi.latest_charge,
            }
        ),
        "parameter_invalid",
    )


def test_refunds_reduce_what_can_be_transferred(client: stripe.StripeClient) -> None:
    seller = new_seller(client)
    pi = captured(client, 10_000)
    client.v1.refunds.create(params={"payment_intent": pi.id, "amount": 4_000})
    refused(lambda: _transfer(client, 6_001, seller.id, pi.latest_charge), "amount_too_large")
    assert _transfer(client, 6_000, seller.id, pi.latest_charge).amount == 6_000


def test_transfer_update_changes_metadata_and_description_only(
    client: stripe.StripeClient,
) -> None:
    seller = new_seller(client)
    transfer = _transfer(client, 500, seller.id, metadata={"order_id": "9", "note": "x"})
    updated = client.v1.transfers.update(
        transfer.id, params={"metadata": {"note": ""}, "description": "Order 9 payout"}
    )
    assert updated.metadata.to_dict() == {"order_id": "9"}
    assert updated.description == "Order 9 payout"
    refused(
        lambda: client.v1.transfers.update(transfer.id, params={"amount": 1}),
        "parameter_unknown",
    )
    refused(lambda: client.v1.transfers.retrieve("tr_doesnotexist"), "resource_missing", 404)


def test_transfer_reversals_cannot_exceed_the_transfer(client: stripe.StripeClient) -> None:
    seller = new_seller(client)
    pi = captured(client, 10_000)
    transfer = _transfer(client, 8_000, seller.id, pi.latest_charge)
    first = client.v1.transfers.reversals.create(transfer.id, params={"amount": 3_000})
    assert (first.amount, first.transfer) == (3_000, transfer.id)
    after = client.v1.transfers.retrieve(transfer.id)
    assert (after.amount_reversed, after.reversed) == (3_000, False)

    refused(
        lambda: client.v1.transfers.reversals.create(transfer.id, params={"amount": 5_001}),
        "amount_too_large",
    )
    rest = client.v1.transfers.reversals.create(transfer.id)  # no amount: what is left
    assert rest.amount == 5_000
    after = client.v1.transfers.retrieve(transfer.id)
    assert (after.amount_reversed, after.reversed) == (8_000, True)
    refused(
        lambda: client.v1.transfers.reversals.create(transfer.id, params={"amount": 1}),
        "amount_too_large",
    )
    listed = client.v1.transfers.reversals.list(transfer.id)
    assert {r.id for r in listed.data} == {first.id, rest.id}
    assert client.v1.transfers.reversals.retrieve(transfer.id, first.id).amount == 3_000

    # Reversed money is back on the platform and may be released again (e.g. a split).
    assert _transfer(client, 10_000, seller.id, pi.latest_charge).amount == 10_000


def test_a_reversal_belongs_to_its_transfer(client: stripe.StripeClient) -> None:
    seller = new_seller(client)
    one, other = _transfer(client, 700, seller.id), _transfer(client, 700, seller.id)
    reversal = client.v1.transfers.reversals.create(
        one.id, params={"amount": 200, "metadata": {"reason": "dispute"}}
    )
    refused(
        lambda: client.v1.transfers.reversals.retrieve(other.id, reversal.id),
        "resource_missing",
        404,
    )
    updated = client.v1.transfers.reversals.update(
        one.id, reversal.id, params={"metadata": {"reason": "", "case": "17"}}
    )
    assert updated.metadata.to_dict() == {"case": "17"}
    refused(
        lambda: client.v1.transfers.reversals.create("tr_doesnotexist", params={"amount": 1}),
        "resource_missing",
        404,
    )
