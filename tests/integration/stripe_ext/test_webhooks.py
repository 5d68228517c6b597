"""The webhook events the extension adds, signed as Stripe signs them (one per resource module:
accounts, transfers, payment_intents, refunds)."""

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import stripe

from devservices.process import free_port
from devservices.stripe_server import StripeServer

from .steps import captured, group, hold, new_seller

SECRET = "whsec_test_stripe_ext"


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[bytes, str]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((body, self.headers.get("Stripe-Signature", "")))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def hooked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StripeServer]:
    """A Stripe server of its own that posts every event to a local receiver."""
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    directory: Path = tmp_path_factory.mktemp("stripe-webhooks")
    server = StripeServer(
        port=free_port(),
        state_file=directory / "state.pickle",
        log_path=directory / "stripe.log",
        webhook_url=f"http://127.0.0.1:{receiver.server_address[1]}/stripe/webhook",
        webhook_secret=SECRET,
    )
    try:
        with server:
            yield server
    finally:
        receiver.shutdown()
        receiver.server_close()


@pytest.fixture
def hooked_client(hooked: StripeServer) -> stripe.StripeClient:
    return stripe.StripeClient(hooked.api_key, base_addresses={"api": hooked.url})


def _events_about(object_id: str, wanted: set[str], timeout: float = 15.0) -> dict[str, list]:
    """Verified events whose object is `object_id`, by type, once every wanted type arrived."""
    deadline = time.monotonic() + timeout
    while True:
        found: dict[str, list] = {}
        for body, signature in list(_Receiver.received):
            event = stripe.Webhook.construct_event(body.decode(), signature, SECRET)
            if event.data.object.id == object_id:
                found.setdefault(event.type, []).append(event.data.object)
        if wanted <= set(found) or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_a_hold_then_a_cancel_are_announced(hooked_client: stripe.StripeClient) -> None:
    held = hold(hooked_client, 1_500)
    hooked_client.v1.payment_intents.cancel(held.id)
    wanted = {"payment_intent.amount_capturable_updated", "payment_intent.canceled"}
    events = _events_about(held.id, wanted)
    assert wanted <= set(events), sorted(events)
    assert events["payment_intent.canceled"][-1].status == "canceled"


def test_refunds_are_announced_for_the_refund_and_the_charge(
    hooked_client: stripe.StripeClient,
) -> None:
    pi = captured(hooked_client, 2_000)
    refund = hooked_client.v1.refunds.create(params={"payment_intent": pi.id, "amount": 500})
    assert "refund.created" in _events_about(refund.id, {"refund.created"})
    charge_events = _events_about(pi.latest_charge, {"charge.refunded"})
    assert charge_events["charge.refunded"][-1].amount_refunded == 500


def test_transfers_reversals_and_account_changes_are_announced(
    hooked: StripeServer, hooked_client: stripe.StripeClient
) -> None:
    seller = new_seller(hooked_client)
    pi = captured(hooked_client, 3_000, transfer_group=group())
    transfer = hooked_client.v1.transfers.create(
        params={
            "amount": 3_000,
            "currency": "usd",
            "destination": seller.id,
            "source_transaction": pi.latest_charge,
        }
    )
    hooked_client.v1.transfers.reversals.create(transfer.id, params={"amount": 1_000})
    events = _events_about(transfer.id, {"transfer.created", "transfer.reversed"})
    assert {"transfer.created", "transfer.reversed"} <= set(events), sorted(events)
    assert events["transfer.reversed"][-1].amount_reversed == 1_000

    httpx.post(
        f"{hooked.url}/_config/accounts/{seller.id}", data={"onboarded": "false"}
    ).raise_for_status()
    updated = _events_about(seller.id, {"account.updated"})
    assert updated["account.updated"][-1].payouts_enabled is False
