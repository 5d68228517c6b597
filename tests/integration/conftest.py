"""Servers shared by every integration module of a session (each test makes its own objects)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from devservices.process import free_port
from devservices.stripe_server import StripeServer


@pytest.fixture(scope="session")
def stripe_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StripeServer]:
    """One local Stripe server for the session: tests create their own accounts and payments
    and look them up by id, transfer group or payment intent, never by listing everything."""
    directory: Path = tmp_path_factory.mktemp("stripe")
    server = StripeServer(
        port=free_port(), state_file=directory / "state.pickle", log_path=directory / "stripe.log"
    )
    with server:
        yield server
