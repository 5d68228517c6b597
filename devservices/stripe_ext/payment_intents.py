"""PaymentIntents and their charges: Stripe's state machine where localstripe is lenient.

Stricter rules (400 invalid_request_error, codes as Stripe spells them):
  * capture only from `requires_capture` (`payment_intent_unexpected_state`);
    `amount_to_capture` <= amount (`amount_too_large`).
  * cancel only from requires_payment_method / requires_confirmation / requires_action /
    requires_capture (`payment_intent_unexpected_state`); `cancellation_reason` accepted.
  * confirm accepts `payment_method` (localstripe answered 500 "Not implemented"), and only
    from requires_payment_method / requires_confirmation / requires_action.
  * cards that Stripe declines (4000000000000002 & co.) are declined when charged too, not only
    when attached to a customer; a decline is a 402 `card_error` carrying the PaymentIntent.

Additions: PaymentIntent accepts `transfer_group`, `description`, `receipt_email`,
`statement_descriptor(_suffix)`, has `amount_capturable`, `amount_received`, `canceled_at`,
`cancellation_reason`, and exports `latest_charge` as an id unless expanded (as Stripe does);
Charge has `amount_captured` and the PaymentIntent's `transfer_group`. Webhook events added:
payment_intent.amount_capturable_updated, payment_intent.canceled.
"""

from __future__ import annotations

import time

from aiohttp import web
from localstripe import server
from localstripe.errors import UserError
from localstripe.resources import (
    Charge,
    PaymentIntent,
    PaymentMethod,
    StripeObject,
    try_convert_to_int,
)

from .common import Handler, Override, as_int, emit, enum, error, opt_str, post_data, reject_unknown

__all__ = ["confirm_with", "overrides", "patch", "unexpected_state"]

_PI_EXTRA_FIELDS = (
    "transfer_group",
    "description",
    "receipt_email",
    "statement_descriptor",
    "statement_descriptor_suffix",
)
_CANCELLABLE = (
    "requires_payment_method",
    "requires_confirmation",
    "requires_action",
    "requires_capture",
)
_CONFIRMABLE = ("requires_payment_method", "requires_confirmation", "requires_action")


def _patch_payment_intent() -> None:
    original_pi_init = PaymentIntent.__init__

    def pi_init(self, *args, **kwargs):
        extras = {name: opt_str(kwargs.pop(name, None), name) for name in _PI_EXTRA_FIELDS}
        original_pi_init(self, *args, **kwargs)
        for name, value in extras.items():
            setattr(self, name, value)

    PaymentIntent.__init__ = pi_init
    for name in (*_PI_EXTRA_FIELDS, "canceled_at", "cancellation_reason"):
        setattr(PaymentIntent, name, None)

    def amount_capturable(self):
        if self.status == "requires_capture":
            return self.latest_charge.amount
        return 0

    def amount_received(self):
        if self.status == "succeeded":
            return self.latest_charge.amount_captured
        return 0

    PaymentIntent.amount_capturable = property(amount_capturable)
    PaymentIntent.amount_received = property(amount_received)

    def pi_export(self, expand=None):
        obj = StripeObject._export(self, expand=expand)
        wanted = any(
            path == "latest_charge" or path.startswith("latest_charge.") for path in expand or []
        )
        if not wanted and isinstance(obj.get("latest_charge"), dict):
            obj["latest_charge"] = obj["latest_charge"]["id"]
        return obj

    PaymentIntent._export = pi_export

    original_create_charge = PaymentIntent._create_charge

    def create_charge(self, on_failure_now):
        try:
            original_create_charge(self, on_failure_now)
        finally:
            if self.latest_charge is not None:
                self.latest_charge.transfer_group = self.transfer_group
                if self.latest_charge.description is None:
                    self.latest_charge.description = self.description
        if self.status == "requires_capture":
            emit("payment_intent.amount_capturable_updated", self)

    PaymentIntent._create_charge = create_charge


def _patch_charge() -> None:
    Charge.transfer_group = None
    original_capture = Charge._capture

    def charge_capture(self, amount, on_success=None):
        captured = self.amount if amount is None else try_convert_to_int(amount)

        def done():
            self._amount_captured = captured
            if on_success:
                on_success()

        original_capture(self, amount, on_success=done)

    Charge._capture = charge_capture

    def amount_captured(self):
        if self.status != "succeeded" or not self.captured:
            return 0
        return getattr(self, "_amount_captured", self.amount)

    Charge.amount_captured = property(amount_captured)


def _patch_payment_method() -> None:
    # localstripe declines 4000000000000002 & co. only when attaching to a customer;
    # Stripe declines them when charging too, which is what a checkout test needs.
    original_declined = PaymentMethod._charging_is_declined

    def charging_is_declined(self):
        return original_declined(self) or self._attaching_is_declined()

    PaymentMethod._charging_is_declined = charging_is_declined


def patch() -> None:
    """Patch localstripe's PaymentIntent, Charge and PaymentMethod classes (once)."""
    _patch_payment_intent()
    _patch_charge()
    _patch_payment_method()


def unexpected_state(pi: PaymentIntent, action: str, allowed: tuple[str, ...]) -> UserError:
    return error(
        400,
        f"This PaymentIntent could not be {action} because it has a status of {pi.status}. "
        f"Only a PaymentIntent with one of the following statuses may be {action}: "
        f"{', '.join(allowed)}.",
        "payment_intent_unexpected_state",
        None,
        payment_intent=pi._export(),
    )


async def _capture_payment_intent(request: web.Request, handler: Handler) -> web.StreamResponse:
    pi = PaymentIntent._api_retrieve(request.match_info["id"])
    if pi.status != "requires_capture":
        raise unexpected_state(pi, "captured", ("requires_capture",))
    data = await post_data(request)
    if data.get("amount_to_capture") is not None:
        amount = as_int(data["amount_to_capture"], "amount_to_capture")
        if amount > pi.amount_capturable:
            raise error(
                400,
                f"amount_to_capture ({amount}) is greater than amount_capturable "
                f"({pi.amount_capturable}).",
                "amount_too_large",
                "amount_to_capture",
            )
    return await handler(request)


async def _cancel_payment_intent(request: web.Request, handler: Handler) -> web.StreamResponse:
    pi = PaymentIntent._api_retrieve(request.match_info["id"])
    data = await post_data(request)
    expand = data.pop("expand", None)
    reason = enum(
        data.pop("cancellation_reason", None),
        "cancellation_reason",
        ("duplicate", "fraudulent", "requested_by_customer", "abandoned"),
    )
    reject_unknown(data)
    if pi.status not in _CANCELLABLE:
        raise unexpected_state(pi, "canceled", _CANCELLABLE)
    PaymentIntent._api_cancel(pi.id)
    pi.cancellation_reason = reason
    pi.canceled_at = int(time.time())
    emit("payment_intent.canceled", pi)
    return server.json_response(pi._export(expand=expand))


def confirm_with(pi: PaymentIntent, payment_method: PaymentMethod | None) -> None:
    """Confirm `pi`, optionally with a new payment method (a retry after a decline)."""
    if pi.status not in _CONFIRMABLE:
        raise unexpected_state(pi, "confirmed", _CONFIRMABLE)
    if payment_method is not None:
        pi.payment_method = payment_method.id
        pi.next_action = None
        pi._authentication_failed = False
        if pi.latest_charge is not None and pi.latest_charge.status == "failed":
            pi.latest_charge = None
    if pi.status != "requires_confirmation":
        raise unexpected_state(pi, "confirmed", ("requires_confirmation",))
    try:
        pi._confirm(on_failure_now=pi._report_failure)
    except UserError as exc:
        if exc.code == 402:
            exc.body["error"]["type"] = "card_error"
            exc.body["error"]["payment_intent"] = pi._export()
        raise


async def _confirm_payment_intent(request: web.Request, handler: Handler) -> web.StreamResponse:
    pi = PaymentIntent._api_retrieve(request.match_info["id"])
    data = await post_data(request)
    expand = data.pop("expand", None)
    pm_id = data.pop("payment_method", None)
    for ignored in ("return_url", "use_stripe_sdk", "error_on_requires_action"):
        data.pop(ignored, None)
    reject_unknown(data)
    payment_method = None
    if pm_id is not None:
        if not isinstance(pm_id, str):
            raise error(400, "Invalid payment_method", "parameter_invalid", "payment_method")
        payment_method = PaymentMethod._api_retrieve(pm_id)
    confirm_with(pi, payment_method)
    return server.json_response(pi._export(expand=expand))


def overrides() -> dict[tuple[str, str], Override]:
    """localstripe's own routes that we answer (or check first): (method, route) -> handler."""
    return {
        ("POST", "/v1/payment_intents/{id}/capture"): _capture_payment_intent,
        ("POST", "/v1/payment_intents/{id}/cancel"): _cancel_payment_intent,
        ("POST", "/v1/payment_intents/{id}/confirm"): _confirm_payment_intent,
    }
