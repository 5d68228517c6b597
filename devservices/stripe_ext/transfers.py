"""Connect transfers and their reversals.

* `Transfer` - POST/GET /v1/transfers, GET/POST /v1/transfers/{id}, with
  `source_transaction` (a captured charge; the sum of its transfers, net of reversals,
  may not exceed its captured amount minus refunds) and `transfer_group`; list filters
  `transfer_group` and `destination`. The destination must be an onboarded account with
  the `transfers` capability (`insufficient_capabilities_for_transfer`).
* `TransferReversal` - POST/GET /v1/transfers/{id}/reversals, GET/POST
  .../reversals/{rid}; `amount` defaults to what is left and may not exceed it.
* Webhook events: transfer.created, transfer.reversed.
"""

from __future__ import annotations

from typing import Any

from localstripe.resources import Charge, StripeObject, random_id, store

from .common import (
    Missing,
    Route,
    as_currency,
    as_int,
    crud_routes,
    emit,
    enum,
    error,
    merge_metadata,
    objects,
    opt_str,
    reject_unknown,
    route,
    stripe_list,
)

__all__ = ["Transfer", "TransferReversal", "routes"]


def _captured_net(charge: Charge) -> int:
    """What the platform still holds from a charge: captured minus refunded."""
    if charge.status != "succeeded" or not charge.captured:
        return 0
    # localstripe records the uncaptured rest of a partial capture as a refund, so
    # `amount - amount_refunded` is the captured amount minus real refunds.
    return charge.amount - charge.amount_refunded


def _transferred_from(charge_id: str) -> int:
    return sum(
        t.amount - t.amount_reversed
        for t in objects("transfer")
        if t.source_transaction == charge_id
    )


class Transfer(Missing, StripeObject):
    """Money moved from the platform balance to a connected account."""

    object = "transfer"
    _id_prefix = "tr_"

    def __init__(
        self,
        amount=None,
        currency=None,
        destination=None,
        source_transaction=None,
        transfer_group=None,
        description=None,
        metadata=None,
        source_type=None,
        **kwargs,
    ):
        reject_unknown(kwargs)
        amount = as_int(amount, "amount")
        currency = as_currency(currency)
        if not isinstance(destination, str) or not destination:
            raise error(
                400, "Missing required param: destination.", "parameter_missing", "destination"
            )
        account = store.get("account:" + destination)
        if account is None:
            raise error(
                400, f"No such destination: '{destination}'", "resource_missing", "destination"
            )
        if "transfers" not in account._requested or not account._onboarded:
            raise error(
                400,
                "Your destination account needs to have at least one of the following "
                "capabilities enabled: transfers, crypto_transfers, legacy_payments",
                "insufficient_capabilities_for_transfer",
                "destination",
            )
        transfer_group = opt_str(transfer_group, "transfer_group")
        description = opt_str(description, "description")
        enum(source_type, "source_type", ("card", "bank_account", "fpx"))
        meta = merge_metadata(metadata)
        if source_transaction is not None:
            source_transaction = self._check_source(source_transaction, amount, currency)

        super().__init__()

        self.amount = amount
        self.currency = currency
        self.destination = destination
        self.destination_payment = "py_" + random_id(24)
        self.source_transaction = source_transaction
        self.source_type = "card"
        self.transfer_group = transfer_group
        self.description = description
        self.metadata = meta
        self.balance_transaction = None
        emit("transfer.created", self)

    @staticmethod
    def _check_source(source: Any, amount: int, currency: str) -> str:
        if not isinstance(source, str) or not source.startswith("ch_"):
            raise error(
                400,
                f"Invalid source_transaction: {source!r} (expected a charge id ch_...)",
                "parameter_invalid",
                "source_transaction",
            )
        charge = store.get("charge:" + source)
        if charge is None:
            raise error(
                400, f"No such charge: '{source}'", "resource_missing", "source_transaction"
            )
        if charge.status != "succeeded" or not charge.captured:
            raise error(
                400,
                f"The source_transaction {source} has not been captured (status "
                f"{charge.status}); transfers can only be funded by a captured charge.",
                "charge_not_captured",
                "source_transaction",
            )
        if charge.currency != currency:
            raise error(
                400,
                f"The currency of the transfer ({currency}) must match the currency of "
                f"the source_transaction ({charge.currency}).",
                "parameter_invalid",
                "currency",
            )
        held = _captured_net(charge)
        transferred = _transferred_from(source)
        if amount > held - transferred:
            raise error(
                400,
                f"Transfer amount ({amount}) exceeds what is left on source_transaction "
                f"{source}: captured minus refunds {held}, already transferred "
                f"{transferred}, available {held - transferred}.",
                "amount_too_large",
                "amount",
            )
        return source

    def _reversal_objects(self) -> list[TransferReversal]:
        return [r for r in objects("transfer_reversal") if r.transfer == self.id]

    @property
    def amount_reversed(self):
        return sum(r.amount for r in self._reversal_objects())

    @property
    def reversed(self):
        return self.amount_reversed >= self.amount

    @property
    def reversals(self):
        url = f"/v1/transfers/{self.id}/reversals"
        return stripe_list(url, self._reversal_objects(), None, None)

    def _update(self, **data):
        metadata = data.pop("metadata", None)
        description = data.pop("description", self.description)
        reject_unknown(data)
        self.metadata = merge_metadata(metadata, self.metadata)
        self.description = opt_str(description, "description")

    @classmethod
    def _api_list_all(
        cls, url, limit=None, starting_after=None, transfer_group=None, destination=None, **kwargs
    ):
        reject_unknown({k: v for k, v in kwargs.items() if k != "created"})
        items = objects(cls.object)
        if transfer_group is not None:
            items = [t for t in items if t.transfer_group == transfer_group]
        if destination is not None:
            items = [t for t in items if t.destination == destination]
        return stripe_list(url, items, limit, starting_after)


class TransferReversal(Missing, StripeObject):
    """Money taken back from a connected account, at most what is left of the transfer."""

    object = "transfer_reversal"
    _id_prefix = "trr_"

    def __init__(
        self,
        transfer=None,
        amount=None,
        description=None,
        metadata=None,
        refund_application_fee=None,
        **kwargs,
    ):
        reject_unknown(kwargs)
        parent = Transfer._api_retrieve(transfer)
        remaining = parent.amount - parent.amount_reversed
        if remaining <= 0:
            raise error(
                400,
                f"Transfer {parent.id} has already been fully reversed.",
                "amount_too_large",
                "amount",
            )
        amount = remaining if amount is None else as_int(amount, "amount")
        if amount > remaining:
            raise error(
                400,
                f"Reversal amount ({amount}) is greater than what is left to reverse on "
                f"transfer {parent.id} ({remaining}).",
                "amount_too_large",
                "amount",
            )
        meta = merge_metadata(metadata)
        description = opt_str(description, "description")

        super().__init__()

        self.transfer = parent.id
        self.amount = amount
        self.currency = parent.currency
        self.metadata = meta
        self.description = description
        self.balance_transaction = None
        self.destination_payment_refund = "pyr_" + random_id(24)
        self.source_refund = None
        emit("transfer.reversed", parent)

    def _update(self, **data):
        metadata = data.pop("metadata", None)
        reject_unknown(data)
        self.metadata = merge_metadata(metadata, self.metadata)


def _list_reversals(id, limit=None, starting_after=None, **kwargs):
    reject_unknown(kwargs)
    transfer = Transfer._api_retrieve(id)
    url = f"/v1/transfers/{id}/reversals"
    return stripe_list(url, transfer._reversal_objects(), limit, starting_after)


def _get_reversal(id, reversal_id):
    reversal = TransferReversal._api_retrieve(reversal_id)
    if reversal.transfer != id:
        raise error(404, f"No such transfer_reversal: '{reversal_id}'", "resource_missing")
    return reversal


def _update_reversal(id, reversal_id, **data):
    reversal = _get_reversal(id, reversal_id)
    reversal._update(**data)
    return reversal


def _create_reversal(id, **data):
    return TransferReversal(transfer=id, **data)


def routes() -> list[Route]:
    return [
        ("POST", "/v1/transfers/{id}/reversals", route(_create_reversal)),
        ("GET", "/v1/transfers/{id}/reversals", route(_list_reversals)),
        ("GET", "/v1/transfers/{id}/reversals/{reversal_id}", route(_get_reversal)),
        ("POST", "/v1/transfers/{id}/reversals/{reversal_id}", route(_update_reversal)),
        *crud_routes(Transfer),
    ]
