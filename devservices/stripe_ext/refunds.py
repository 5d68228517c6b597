"""Refunds: never more than what was captured and is not refunded yet.

* only of a succeeded PaymentIntent (`payment_intent_unexpected_state`) or a captured charge
  (`charge_not_refundable`); nothing left (`charge_already_refunded`); more than what is left
  (`amount_too_large`). No amount = what is left (localstripe refunded the whole charge
  again). `reason` accepted.
* Webhook events: refund.created, charge.refunded.
"""

from __future__ import annotations

from aiohttp import web
from localstripe import server
from localstripe.resources import PaymentIntent, Refund, store

from .common import Handler, Override, as_int, emit, enum, error, post_data

__all__ = ["overrides", "patch"]


def patch() -> None:
    Refund.reason = None


async def _create_refund(request: web.Request, handler: Handler) -> web.StreamResponse:
    data = await post_data(request)
    expand = data.pop("expand", None)
    reason = enum(
        data.pop("reason", None), "reason", ("duplicate", "fraudulent", "requested_by_customer")
    )
    pi_id, charge_id = data.get("payment_intent"), data.get("charge")
    if (pi_id is None) == (charge_id is None):
        raise error(
            400, "Provide exactly one of charge or payment_intent.", "parameter_missing", "charge"
        )
    if pi_id is not None:
        pi = PaymentIntent._api_retrieve(pi_id)
        if pi.status != "succeeded":
            raise error(
                400,
                f"This PaymentIntent ({pi.id}) has a status of {pi.status} and cannot be "
                "refunded: only succeeded (captured) payments can be refunded; cancel the "
                "PaymentIntent to release an uncaptured hold.",
                "payment_intent_unexpected_state",
                "payment_intent",
                payment_intent=pi._export(),
            )
        charge = pi.latest_charge
    else:
        charge = store.get(f"charge:{charge_id}")
        if charge is None:
            raise error(400, f"No such charge: '{charge_id}'", "resource_missing", "charge")
    if charge.status != "succeeded" or not charge.captured:
        raise error(
            400,
            f"Charge {charge.id} has not been captured and cannot be refunded; cancel its "
            "PaymentIntent to release the hold.",
            "charge_not_refundable",
            "charge",
        )
    remaining = charge.amount - charge.amount_refunded
    if remaining <= 0:
        raise error(
            400, f"Charge {charge.id} has already been refunded.", "charge_already_refunded"
        )
    if data.get("amount") is None:
        data["amount"] = remaining
    else:
        data["amount"] = as_int(data["amount"], "amount")
        if data["amount"] > remaining:
            raise error(
                400,
                f"Refund amount ({data['amount']}) is greater than unrefunded amount on "
                f"charge ({remaining}).",
                "amount_too_large",
                "amount",
            )
    refund = Refund._api_create(**data)
    refund.reason = reason
    emit("refund.created", refund)
    emit("charge.refunded", charge)
    return server.json_response(refund._export(expand=expand))


def overrides() -> dict[tuple[str, str], Override]:
    return {("POST", "/v1/refunds"): _create_refund}
