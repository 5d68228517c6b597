"""devservices/stripe_ext/state.py: the state file, including one written before the split."""

import shutil
from pathlib import Path

import pytest
import stripe

from devservices.process import ServiceError, free_port
from devservices.stripe_server import StripeServer

# Written by the one-module extension (devservices/stripe_connect.py) with localstripe 1.15.10:
# an account legacy@example.com, a captured 100.00 charge with transfer group order_legacy, a
# transfer of 80.00 from it and a reversal of 10.00.
BEFORE_THE_SPLIT = Path(__file__).with_name("state_files") / "state-stripe_connect-1.15.10.pickle"


def _server(tmp_path: Path, state_file: Path) -> StripeServer:
    return StripeServer(port=free_port(), state_file=state_file, log_path=tmp_path / "stripe.log")


def test_a_state_file_from_before_the_split_still_loads(tmp_path: Path) -> None:
    state_file = tmp_path / "state.pickle"
    shutil.copy(BEFORE_THE_SPLIT, state_file)
    with _server(tmp_path, state_file) as server:
        client = stripe.StripeClient(server.api_key, base_addresses={"api": server.url})
        [account] = client.v1.accounts.list().data
        assert (account.email, account.payouts_enabled) == ("legacy@example.com", True)
        [transfer] = client.v1.transfers.list(params={"transfer_group": "order_legacy"}).data
        assert (transfer.amount, transfer.amount_reversed, transfer.destination) == (
            8_000,
            1_000,
            account.id,
        )
        # The old objects still follow the rules: 100.00 captured, 70.00 still transferred.
        rest = client.v1.transfers.create(
            params={
                "amount": 3_000,
                "currency": "usd",
                "destination": account.id,
                "source_transaction": transfer.source_transaction,
            }
        )
        assert rest.amount == 3_000
        assert client.v1.transfers.reversals.create(transfer.id).amount == 7_000
    # ...and it is saved again under the new names.
    with _server(tmp_path, state_file) as server:
        client = stripe.StripeClient(server.api_key, base_addresses={"api": server.url})
        assert client.v1.transfers.retrieve(transfer.id).reversed is True
    assert b"devservices.stripe_connect" not in state_file.read_bytes()


def test_an_unreadable_state_file_is_named_with_the_way_out(tmp_path: Path) -> None:
    state_file = tmp_path / "state.pickle"
    state_file.write_bytes(b"not a pickle")
    server = _server(tmp_path, state_file)
    try:
        with pytest.raises(ServiceError, match="Cannot read the local Stripe state"):
            server.start().wait_ready()
        assert "--from-scratch" in server.log_tail()
    finally:
        server.stop()
    assert state_file.read_bytes() == b"not a pickle"  # left for the developer to look at
