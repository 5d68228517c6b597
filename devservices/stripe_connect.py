"""Gigworks' extension of localstripe: Connect, real Stripe rules, idempotency, own state file.

localstripe (PyPI) is a stateful fake of the Stripe API, but it lacks what a marketplace
needs and is more lenient than Stripe where our escrow logic must be tested. `install()`
loads it and, before its aiohttp app starts, adds:

Connect
  * `Account` - POST/GET /v1/accounts, GET/POST/DELETE /v1/accounts/{id}, GET /v1/account
    (the platform). Accounts are onboarded at once: `charges_enabled`, `payouts_enabled`,
    `details_submitted` are true and requested capabilities (default: card_payments and
    transfers) are "active".
  * POST /v1/account_links -> `url` = {server}/connect/onboarding/{token}: opening it (a
    browser, no API key) marks the account onboarded and redirects to `return_url`.
    Single use; an unknown or used token redirects to `refresh_url` when known.
  * POST /v1/accounts/{id}/login_links -> a local "Express dashboard" page.
  * POST /_config/accounts/{id} {"onboarded": false|true} (local only, no key needed) to
    test sellers who have not finished onboarding: their capabilities become inactive,
    the three flags false, and transfers to them are refused.
  * `Transfer` - POST/GET /v1/transfers, GET/POST /v1/transfers/{id}, with
    `source_transaction` (a captured charge; the sum of its transfers, net of reversals,
    may not exceed its captured amount minus refunds) and `transfer_group`; list filters
    `transfer_group` and `destination`.
  * `TransferReversal` - POST/GET /v1/transfers/{id}/reversals, GET .../reversals/{rid};
    `amount` defaults to what is left and may not exceed it.

Stricter rules (400 invalid_request_error, codes as Stripe spells them)
  * capture only from `requires_capture` (`payment_intent_unexpected_state`);
    `amount_to_capture` <= amount (`amount_too_large`).
  * cancel only from requires_payment_method / requires_confirmation / requires_action /
    requires_capture (`payment_intent_unexpected_state`); `cancellation_reason` accepted.
  * refunds: only of a succeeded PaymentIntent (`payment_intent_unexpected_state`) or a
    captured charge (`charge_not_refundable`); nothing left (`charge_already_refunded`);
    more than what is left (`amount_too_large`). No amount = what is left (localstripe
    refunded the whole charge again). `reason` accepted.
  * confirm accepts `payment_method` (localstripe answered 500 "Not implemented").

Idempotency
  `Idempotency-Key` on any POST /v1/...: the same key (per API key) with the same method,
  path and parameters replays the stored response (header `Idempotent-Replayed: true`)
  without running the action again; different parameters give 400 `idempotency_error`;
  a concurrent request with the key in flight gives 409 (the SDK retries those). Saved
  like Stripe once the endpoint ran: 2xx, 402 card errors and 400s with an error code;
  plain validation errors and 5xx are not saved. Kept 24 hours, in the state file.

Smaller additions: PaymentIntent accepts `transfer_group`, `description`,
`receipt_email`, `statement_descriptor(_suffix)`, has `amount_capturable`,
`amount_received`, `canceled_at`, `cancellation_reason`, and exports `latest_charge` as an
id unless expanded (as Stripe does); Charge has `amount_captured` and `transfer_group`.
Webhook events added: payment_intent.amount_capturable_updated, payment_intent.canceled,
charge.refunded, refund.created, transfer.created, transfer.reversed, account.updated.

Fake Stripe.js: localstripe's `confirmCardPayment` ignores the card and only works for
PaymentIntents already in `requires_action`. The script served at /js.stripe.com/v3/ is
localstripe's plus a wrapper: `confirmCardPayment(secret, {payment_method: {card:
element}})` (or a `pm_...` id) confirms with the typed card through
POST /v1/payment_intents/{id}/_confirm_card (publishable key + client secret), so 4242...
gives requires_capture/succeeded, 4000000000000341 a decline, 4000002500003155 the 3-D
Secure modal. Without `payment_method` the original behaviour is kept.

State goes to the file given to `install()` (written atomically) instead of
/tmp/localstripe.pickle. Binding to 127.0.0.1 is done by `devservices.stripe_server`.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from html import escape
from pathlib import Path
from typing import Any

from aiohttp import web
from localstripe import resources, server
from localstripe.errors import UserError
from localstripe.resources import (
    Charge,
    Event,
    List,
    PaymentIntent,
    PaymentMethod,
    Refund,
    StripeObject,
    random_id,
    store,
    try_convert_to_bool,
    try_convert_to_int,
)
from localstripe.webhooks import schedule_webhook

__all__ = [
    "Account",
    "Transfer",
    "TransferReversal",
    "install",
    "load_state",
    "state_path",
]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_state: dict[str, Path | None] = {"path": None}
_installed = False

# ---------------------------------------------------------------------------------------
# State file


def state_path() -> Path | None:
    return _state["path"]


def _load_from_disk(self: resources.Store) -> None:
    path = state_path()
    if path is None or not path.exists():
        return
    try:
        with open(path, "rb") as f:
            old = pickle.load(f)
    except Exception as exc:
        raise RuntimeError(
            f"Cannot read the local Stripe state {path}: {exc}. "
            "Delete the file (or start with --from-scratch) to begin with an empty state."
        ) from exc
    self.clear()
    dict.update(self, old)


def _dump_to_disk(self: resources.Store) -> None:
    path = state_path()
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as f:
        pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)  # a crash mid-write never leaves a torn state file


def load_state() -> None:
    """Load the state file into localstripe's store (after `install`)."""
    store.try_load_from_disk()


# ---------------------------------------------------------------------------------------
# Small helpers


def _error(
    status: int,
    message: str,
    code: str | None = None,
    param: str | None = None,
    **extra: Any,
) -> UserError:
    contents: dict[str, Any] = dict(extra)
    if code:
        contents["code"] = code
    if param:
        contents["param"] = param
    return UserError(status, message, contents)


def _reject_unknown(kwargs: dict[str, Any]) -> None:
    if kwargs:
        name = sorted(kwargs)[0]
        raise _error(400, f"Received unknown parameter: {name}", "parameter_unknown", name)


def _int(value: Any, param: str, minimum: int = 1) -> int:
    converted = try_convert_to_int(value)
    if type(converted) is not int or converted < minimum:
        raise _error(400, f"Invalid integer: {value}", "parameter_invalid_integer", param)
    return converted


def _opt_str(value: Any, param: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _error(400, f"Invalid string: {value!r}", "parameter_invalid_string", param)
    return value


def _currency(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{3}", value):
        raise _error(400, "Missing or invalid currency", "parameter_missing", "currency")
    return value.lower()


def _metadata(value: Any, current: dict[str, str] | None = None) -> dict[str, str]:
    """Stripe semantics: merge into `current`; an empty value deletes the key."""
    result = dict(current or {})
    if value is None or value == "":
        return result
    if not isinstance(value, dict):
        raise _error(400, "Invalid metadata: must be a hash", "parameter_invalid", "metadata")
    for key, item in value.items():
        if item in ("", None):
            result.pop(key, None)
        else:
            result[str(key)] = str(item)
    return result


def _dict(value: Any, param: str) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise _error(400, f"Invalid {param}: must be a hash", "parameter_invalid", param)
    return value


def _enum(value: Any, param: str, allowed: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    if value not in allowed:
        raise _error(
            400,
            f"Invalid {param}: must be one of {', '.join(allowed)}",
            "parameter_invalid_string",
            param,
        )
    return value


def _newest_first(items: list[Any]) -> list[Any]:
    # The store keeps insertion order; `created` has one-second resolution.
    items = list(reversed(items))
    items.sort(key=lambda obj: obj.created, reverse=True)
    return items


def _list(url: str, items: list[Any], limit: Any, starting_after: Any) -> List:
    li = List(url, limit=limit, starting_after=starting_after)
    li._list = _newest_first(items)
    return li


def _emit(event_type: str, obj: Any) -> None:
    schedule_webhook(Event(event_type, obj))


def _objects(prefix: str) -> list[Any]:
    return [value for key, value in store.items() if key.startswith(prefix + ":")]


class _Missing:
    """Mixin for Stripe's 404 body (`resource_missing`) instead of localstripe's bare one.

    Not a StripeObject itself: localstripe finds classes for `expand` among the direct
    subclasses of StripeObject, so resources must list StripeObject as a direct base.
    """

    object: str

    @classmethod
    def _api_retrieve(cls, id):
        obj = store.get(f"{cls.object}:{id}")
        if obj is None:
            raise _error(404, f"No such {cls.object}: '{id}'", "resource_missing", "id")
        return obj


# ---------------------------------------------------------------------------------------
# Connect: accounts

_COUNTRY_CURRENCY = {
    "US": "usd",
    "GB": "gbp",
    "CA": "cad",
    "AU": "aud",
    "NZ": "nzd",
    "CH": "chf",
    "JP": "jpy",
    "SG": "sgd",
    "IN": "inr",
    "BR": "brl",
    "MX": "mxn",
    "SE": "sek",
    "NO": "nok",
    "DK": "dkk",
    "PL": "pln",
}
_EURO = {"AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU"}
_EURO |= {"LV", "MT", "NL", "PT", "SI", "SK"}
_DEFAULT_CAPABILITIES = ("card_payments", "transfers")
_MISSING_REQUIREMENTS = ["external_account", "tos_acceptance.date", "tos_acceptance.ip"]


class Account(_Missing, StripeObject):
    """A connected account (Express, Custom or Standard), onboarded at creation."""

    object = "account"
    _id_prefix = "acct_"
    _updatable = (
        "business_profile",
        "business_type",
        "capabilities",
        "company",
        "default_currency",
        "email",
        "individual",
        "metadata",
        "settings",
        "tos_acceptance",
    )

    def __init__(
        self,
        type=None,
        country=None,
        email=None,
        capabilities=None,
        business_type=None,
        business_profile=None,
        metadata=None,
        default_currency=None,
        controller=None,
        settings=None,
        tos_acceptance=None,
        individual=None,
        company=None,
        **kwargs,
    ):
        _reject_unknown(kwargs)
        if type is None and not controller:
            raise _error(
                400, "You must provide `type` or `controller`.", "parameter_missing", "type"
            )
        account_type = _enum(type, "type", ("standard", "express", "custom")) or "express"
        country = (_opt_str(country, "country") or "US").upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise _error(400, f"Invalid country: {country}", "country_unsupported", "country")
        requested = self._requested_capabilities(capabilities, set(_DEFAULT_CAPABILITIES))
        currency = _opt_str(default_currency, "default_currency")
        if currency is None:
            currency = "eur" if country in _EURO else _COUNTRY_CURRENCY.get(country, "usd")
        email = _opt_str(email, "email")
        business_type = _enum(
            business_type,
            "business_type",
            ("individual", "company", "non_profit", "government_entity"),
        )
        fields = {
            "business_profile": _dict(business_profile, "business_profile"),
            "controller": _dict(controller, "controller"),
            "settings": _dict(settings, "settings"),
            "tos_acceptance": _dict(tos_acceptance, "tos_acceptance"),
        }
        private = {
            "individual": _dict(individual, "individual"),
            "company": _dict(company, "company"),
        }
        meta = _metadata(metadata)

        # All exceptions must be raised before this point (the constructor stores us).
        super().__init__()

        self.type = account_type
        self.country = country
        self.email = email
        self.business_type = business_type
        self.default_currency = currency.lower()
        self.metadata = meta
        for key, value in fields.items():
            setattr(self, key, value)
        self._private = private
        self._requested = requested
        self._onboarded = True

    @staticmethod
    def _requested_capabilities(value: Any, current: set[str]) -> set[str]:
        if value is None or value == "":
            return set(current)
        if not isinstance(value, dict):
            raise _error(400, "Invalid capabilities", "parameter_invalid", "capabilities")
        result = set(current) if current else set()
        for name, spec in value.items():
            flag = try_convert_to_bool(spec.get("requested")) if isinstance(spec, dict) else None
            if flag is True:
                result.add(name)
            elif flag is False:
                result.discard(name)
            else:
                raise _error(
                    400,
                    f"Invalid capabilities[{name}]: expected {{requested: true|false}}",
                    "parameter_invalid",
                    f"capabilities[{name}]",
                )
        return result

    @property
    def capabilities(self):
        status = "active" if self._onboarded else "inactive"
        return {name: status for name in sorted(self._requested)}

    @property
    def charges_enabled(self):
        return self._onboarded

    @property
    def payouts_enabled(self):
        return self._onboarded

    @property
    def details_submitted(self):
        return self._onboarded

    @property
    def requirements(self):
        due = [] if self._onboarded else list(_MISSING_REQUIREMENTS)
        return {
            "alternatives": [],
            "current_deadline": None,
            "currently_due": due,
            "disabled_reason": None if self._onboarded else "requirements.past_due",
            "errors": [],
            "eventually_due": due,
            "past_due": due,
            "pending_verification": [],
        }

    @property
    def future_requirements(self):
        return {
            "alternatives": [],
            "current_deadline": None,
            "currently_due": [],
            "disabled_reason": None,
            "errors": [],
            "eventually_due": [],
            "past_due": [],
            "pending_verification": [],
        }

    def _update(self, **data):
        unknown = {k: v for k, v in data.items() if k not in self._updatable}
        _reject_unknown(unknown)
        requested = self._requested_capabilities(data.pop("capabilities", None), self._requested)
        metadata = _metadata(data.pop("metadata", None), self.metadata)
        email = _opt_str(data.pop("email", self.email), "email")
        for key in ("individual", "company"):
            if key in data:
                self._private[key] = {**self._private.get(key, {}), **_dict(data.pop(key), key)}
        updates = {}
        for key, value in data.items():
            if key in ("business_type", "default_currency"):
                updates[key] = _opt_str(value, key)
            else:
                updates[key] = {**getattr(self, key, {}), **_dict(value, key)}
        self._requested = requested
        self.metadata = metadata
        self.email = email
        for key, value in updates.items():
            setattr(self, key, value)
        _emit("account.updated", self)

    def _set_onboarded(self, value: bool) -> None:
        if self._onboarded != value:
            self._onboarded = value
            _emit("account.updated", self)

    @classmethod
    def _api_list_all(cls, url, limit=None, starting_after=None, **kwargs):
        _reject_unknown(kwargs)
        return _list(url, _objects(cls.object), limit, starting_after)


async def _platform_account(request: web.Request) -> web.Response:
    """GET /v1/account: the platform itself (handy as an authenticated ping)."""
    return server.json_response(
        {
            "id": "acct_gigworks_platform",
            "object": "account",
            "type": "standard",
            "country": "US",
            "default_currency": "usd",
            "charges_enabled": True,
            "payouts_enabled": True,
            "details_submitted": True,
            "email": None,
            "livemode": False,
            "metadata": {},
            "settings": {"dashboard": {"display_name": "Gigworks (local)"}},
        }
    )


def _origin(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


def _http_url(value: Any, param: str) -> str:
    if not isinstance(value, str) or not re.match(r"^https?://", value):
        raise _error(400, f"Not a valid URL: {param}", "url_invalid", param)
    return value


_LINK_PREFIX = "_account_link:"
_LINK_TTL = 300


async def _create_account_link(request: web.Request) -> web.Response:
    data = dict(await server.get_post_data(request) or {})
    account_id = data.pop("account", None)
    return_url = _http_url(data.pop("return_url", None), "return_url")
    refresh_url = _http_url(data.pop("refresh_url", None), "refresh_url")
    link_type = _enum(data.pop("type", None), "type", ("account_onboarding", "account_update"))
    data.pop("collect", None)
    data.pop("collection_options", None)
    _reject_unknown(data)
    if link_type is None:
        raise _error(400, "Missing required param: type.", "parameter_missing", "type")
    if not isinstance(account_id, str):
        raise _error(400, "Missing required param: account.", "parameter_missing", "account")
    Account._api_retrieve(account_id)
    now = int(time.time())
    token = secrets.token_urlsafe(18)
    store[_LINK_PREFIX + token] = {
        "account": account_id,
        "return_url": return_url,
        "refresh_url": refresh_url,
        "expires_at": now + _LINK_TTL,
    }
    return server.json_response(
        {
            "object": "account_link",
            "created": now,
            "expires_at": now + _LINK_TTL,
            "url": f"{_origin(request)}/connect/onboarding/{token}",
        }
    )


async def _follow_account_link(request: web.Request) -> web.Response:
    """The "hosted onboarding" page: completes onboarding at once, then returns."""
    link = store.get(_LINK_PREFIX + request.match_info["token"])
    if link is None or link["expires_at"] < time.time():
        if link is not None:
            del store[_LINK_PREFIX + request.match_info["token"]]
            raise web.HTTPFound(link["refresh_url"])
        return web.Response(
            status=404,
            text="This onboarding link is unknown, used or expired: create a new one.",
        )
    account = store.get("account:" + link["account"])
    if account is not None:
        account._set_onboarded(True)
    del store[_LINK_PREFIX + request.match_info["token"]]  # single use; also saves the state
    raise web.HTTPFound(link["return_url"])


async def _create_login_link(request: web.Request) -> web.Response:
    account = Account._api_retrieve(request.match_info["id"])
    return server.json_response(
        {
            "object": "login_link",
            "created": int(time.time()),
            "url": f"{_origin(request)}/connect/express/{account.id}",
        }
    )


async def _express_dashboard(request: web.Request) -> web.Response:
    account = Account._api_retrieve(request.match_info["id"])
    transfers = [t for t in _objects("transfer") if t.destination == account.id]
    net = sum(t.amount - t.amount_reversed for t in transfers)
    rows = "".join(
        f"<tr><td>{escape(t.id)}</td><td>{t.amount - t.amount_reversed}</td>"
        f"<td>{escape(t.currency)}</td><td>{escape(t.transfer_group or '')}</td></tr>"
        for t in _newest_first(transfers)
    )
    html = (
        "<!doctype html><title>Express dashboard (local)</title>"
        f"<h1>Express dashboard for {escape(account.id)}</h1>"
        f"<p>Email: {escape(account.email or '-')}. Payouts enabled: "
        f"{'yes' if account.payouts_enabled else 'no'}. Net transferred: {net}.</p>"
        f"<table><tr><th>transfer</th><th>net amount</th><th>currency</th><th>group</th></tr>"
        f"{rows}</table>"
    )
    return web.Response(text=html, content_type="text/html")


async def _config_account(request: web.Request) -> web.Response:
    account = Account._api_retrieve(request.match_info["id"])
    data = dict(await server.get_post_data(request) or {})
    onboarded = try_convert_to_bool(data.pop("onboarded", None))
    _reject_unknown(data)
    if type(onboarded) is not bool:
        raise _error(400, "Expected onboarded=true|false", "parameter_missing", "onboarded")
    account._set_onboarded(onboarded)
    return server.json_response(account._export())


# ---------------------------------------------------------------------------------------
# Connect: transfers and reversals


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
        for t in _objects("transfer")
        if t.source_transaction == charge_id
    )


class Transfer(_Missing, StripeObject):
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
        _reject_unknown(kwargs)
        amount = _int(amount, "amount")
        currency = _currency(currency)
        if not isinstance(destination, str) or not destination:
            raise _error(
                400, "Missing required param: destination.", "parameter_missing", "destination"
            )
        account = store.get("account:" + destination)
        if account is None:
            raise _error(
                400, f"No such destination: '{destination}'", "resource_missing", "destination"
            )
        if "transfers" not in account._requested or not account._onboarded:
            raise _error(
                400,
                "Your destination account needs to have at least one of the following "
                "capabilities enabled: transfers, crypto_transfers, legacy_payments",
                "insufficient_capabilities_for_transfer",
                "destination",
            )
        transfer_group = _opt_str(transfer_group, "transfer_group")
        description = _opt_str(description, "description")
        _enum(source_type, "source_type", ("card", "bank_account", "fpx"))
        meta = _metadata(metadata)
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
        _emit("transfer.created", self)

    @staticmethod
    def _check_source(source: Any, amount: int, currency: str) -> str:
        if not isinstance(source, str) or not source.startswith("ch_"):
            raise _error(
                400,
                f"Invalid source_transaction: {source!r} (expected a charge id ch_...)",
                "parameter_invalid",
                "source_transaction",
            )
        charge = store.get("charge:" + source)
        if charge is None:
            raise _error(
                400, f"No such charge: '{source}'", "resource_missing", "source_transaction"
            )
        if charge.status != "succeeded" or not charge.captured:
            raise _error(
                400,
                f"The source_transaction {source} has not been captured (status "
                f"{charge.status}); transfers can only be funded by a captured charge.",
                "charge_not_captured",
                "source_transaction",
            )
        if charge.currency != currency:
            raise _error(
                400,
                f"The currency of the transfer ({currency}) must match the currency of "
                f"the source_transaction ({charge.currency}).",
                "parameter_invalid",
                "currency",
            )
        held = _captured_net(charge)
        transferred = _transferred_from(source)
        if amount > held - transferred:
            raise _error(
                400,
                f"Transfer amount ({amount}) exceeds what is left on source_transaction "
                f"{source}: captured minus refunds {held}, already transferred "
                f"{transferred}, available {held - transferred}.",
                "amount_too_large",
                "amount",
            )
        return source

    def _reversal_objects(self) -> list[TransferReversal]:
        return [r for r in _objects("transfer_reversal") if r.transfer == self.id]

    @property
    def amount_reversed(self):
        return sum(r.amount for r in self._reversal_objects())

    @property
    def reversed(self):
        return self.amount_reversed >= self.amount

    @property
    def reversals(self):
        url = f"/v1/transfers/{self.id}/reversals"
        return _list(url, self._reversal_objects(), None, None)

    def _update(self, **data):
        metadata = data.pop("metadata", None)
        description = data.pop("description", self.description)
        _reject_unknown(data)
        self.metadata = _metadata(metadata, self.metadata)
        self.description = _opt_str(description, "description")

    @classmethod
    def _api_list_all(
        cls, url, limit=None, starting_after=None, transfer_group=None, destination=None, **kwargs
    ):
        _reject_unknown({k: v for k, v in kwargs.items() if k != "created"})
        items = _objects(cls.object)
        if transfer_group is not None:
            items = [t for t in items if t.transfer_group == transfer_group]
        if destination is not None:
            items = [t for t in items if t.destination == destination]
        return _list(url, items, limit, starting_after)


class TransferReversal(_Missing, StripeObject):
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
        _reject_unknown(kwargs)
        parent = Transfer._api_retrieve(transfer)
        remaining = parent.amount - parent.amount_reversed
        if remaining <= 0:
            raise _error(
                400,
                f"Transfer {parent.id} has already been fully reversed.",
                "amount_too_large",
                "amount",
            )
        amount = remaining if amount is None else _int(amount, "amount")
        if amount > remaining:
            raise _error(
                400,
                f"Reversal amount ({amount}) is greater than what is left to reverse on "
                f"transfer {parent.id} ({remaining}).",
                "amount_too_large",
                "amount",
            )
        meta = _metadata(metadata)
        description = _opt_str(description, "description")

        super().__init__()

        self.transfer = parent.id
        self.amount = amount
        self.currency = parent.currency
        self.metadata = meta
        self.description = description
        self.balance_transaction = None
        self.destination_payment_refund = "pyr_" + random_id(24)
        self.source_refund = None
        _emit("transfer.reversed", parent)

    def _update(self, **data):
        metadata = data.pop("metadata", None)
        _reject_unknown(data)
        self.metadata = _metadata(metadata, self.metadata)


# ---------------------------------------------------------------------------------------
# Patches of localstripe's PaymentIntent, Charge and Refund

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


def _patch_localstripe() -> None:
    original_pi_init = PaymentIntent.__init__

    def pi_init(self, *args, **kwargs):
        extras = {name: _opt_str(kwargs.pop(name, None), name) for name in _PI_EXTRA_FIELDS}
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
            _emit("payment_intent.amount_capturable_updated", self)

    PaymentIntent._create_charge = create_charge

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
    Refund.reason = None

    # localstripe declines 4000000000000002 & co. only when attaching to a customer;
    # Stripe declines them when charging too, which is what a checkout test needs.
    original_declined = PaymentMethod._charging_is_declined

    def charging_is_declined(self):
        return original_declined(self) or self._attaching_is_declined()

    PaymentMethod._charging_is_declined = charging_is_declined


def _unexpected_state(pi: PaymentIntent, action: str, allowed: tuple[str, ...]) -> UserError:
    return _error(
        400,
        f"This PaymentIntent could not be {action} because it has a status of {pi.status}. "
        f"Only a PaymentIntent with one of the following statuses may be {action}: "
        f"{', '.join(allowed)}.",
        "payment_intent_unexpected_state",
        None,
        payment_intent=pi._export(),
    )


async def _post_data(request: web.Request) -> dict[str, Any]:
    return dict(await server.get_post_data(request) or {})


async def _capture_payment_intent(request: web.Request, handler: Handler) -> web.StreamResponse:
    pi = PaymentIntent._api_retrieve(request.match_info["id"])
    if pi.status != "requires_capture":
        raise _unexpected_state(pi, "captured", ("requires_capture",))
    data = await _post_data(request)
    if data.get("amount_to_capture") is not None:
        amount = _int(data["amount_to_capture"], "amount_to_capture")
        if amount > pi.amount_capturable:
            raise _error(
                400,
                f"amount_to_capture ({amount}) is greater than amount_capturable "
                f"({pi.amount_capturable}).",
                "amount_too_large",
                "amount_to_capture",
            )
    return await handler(request)


async def _cancel_payment_intent(request: web.Request, handler: Handler) -> web.StreamResponse:
    pi = PaymentIntent._api_retrieve(request.match_info["id"])
    data = await _post_data(request)
    expand = data.pop("expand", None)
    reason = _enum(
        data.pop("cancellation_reason", None),
        "cancellation_reason",
        ("duplicate", "fraudulent", "requested_by_customer", "abandoned"),
    )
    _reject_unknown(data)
    if pi.status not in _CANCELLABLE:
        raise _unexpected_state(pi, "canceled", _CANCELLABLE)
    PaymentIntent._api_cancel(pi.id)
    pi.cancellation_reason = reason
    pi.canceled_at = int(time.time())
    _emit("payment_intent.canceled", pi)
    return server.json_response(pi._export(expand=expand))


def _confirm_with(pi: PaymentIntent, payment_method: PaymentMethod | None) -> None:
    """Confirm `pi`, optionally with a new payment method (a retry after a decline)."""
    allowed = ("requires_payment_method", "requires_confirmation", "requires_action")
    if pi.status not in allowed:
        raise _unexpected_state(pi, "confirmed", allowed)
    if payment_method is not None:
        pi.payment_method = payment_method.id
        pi.next_action = None
        pi._authentication_failed = False
        if pi.latest_charge is not None and pi.latest_charge.status == "failed":
            pi.latest_charge = None
    if pi.status != "requires_confirmation":
        raise _unexpected_state(pi, "confirmed", ("requires_confirmation",))
    try:
        pi._confirm(on_failure_now=pi._report_failure)
    except UserError as exc:
        if exc.code == 402:
            exc.body["error"]["type"] = "card_error"
            exc.body["error"]["payment_intent"] = pi._export()
        raise


async def _confirm_payment_intent(request: web.Request, handler: Handler) -> web.StreamResponse:
    pi = PaymentIntent._api_retrieve(request.match_info["id"])
    data = await _post_data(request)
    expand = data.pop("expand", None)
    pm_id = data.pop("payment_method", None)
    for ignored in ("return_url", "use_stripe_sdk", "error_on_requires_action"):
        data.pop(ignored, None)
    _reject_unknown(data)
    payment_method = None
    if pm_id is not None:
        if not isinstance(pm_id, str):
            raise _error(400, "Invalid payment_method", "parameter_invalid", "payment_method")
        payment_method = PaymentMethod._api_retrieve(pm_id)
    _confirm_with(pi, payment_method)
    return server.json_response(pi._export(expand=expand))


async def _confirm_card(request: web.Request) -> web.Response:
    """Browser-side confirmation used by the fake Stripe.js (publishable key + secret)."""
    data = dict(await server.get_post_data(request, remove_auth=False) or {})
    key = data.get("key")
    if not (isinstance(key, str) and key.startswith("pk_")):
        raise UserError(401, "Unauthorized")
    pi = PaymentIntent._api_retrieve(request.match_info["id"])
    if data.get("client_secret") != pi.client_secret:
        raise UserError(401, "Unauthorized")
    card = data.get("card")
    if isinstance(card, dict):
        fields = {k: re.sub(r"\s", "", str(card.get(k) or "")) for k in ("number", "cvc")}
        fields["exp_month"] = str(card.get("exp_month") or "")
        fields["exp_year"] = str(card.get("exp_year") or "")
        billing = data.get("billing_details")
        payment_method = PaymentMethod(
            type="card", card=fields, billing_details=billing if isinstance(billing, dict) else None
        )
    elif isinstance(data.get("payment_method"), str):
        payment_method = PaymentMethod._api_retrieve(data["payment_method"])
    else:
        raise _error(400, "Missing card or payment_method", "parameter_missing", "payment_method")
    _confirm_with(pi, payment_method)
    return server.json_response(pi._export())


async def _create_refund(request: web.Request, handler: Handler) -> web.StreamResponse:
    data = await _post_data(request)
    expand = data.pop("expand", None)
    reason = _enum(
        data.pop("reason", None), "reason", ("duplicate", "fraudulent", "requested_by_customer")
    )
    pi_id, charge_id = data.get("payment_intent"), data.get("charge")
    if (pi_id is None) == (charge_id is None):
        raise _error(
            400, "Provide exactly one of charge or payment_intent.", "parameter_missing", "charge"
        )
    if pi_id is not None:
        pi = PaymentIntent._api_retrieve(pi_id)
        if pi.status != "succeeded":
            raise _error(
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
            raise _error(400, f"No such charge: '{charge_id}'", "resource_missing", "charge")
    if charge.status != "succeeded" or not charge.captured:
        raise _error(
            400,
            f"Charge {charge.id} has not been captured and cannot be refunded; cancel its "
            "PaymentIntent to release the hold.",
            "charge_not_refundable",
            "charge",
        )
    remaining = charge.amount - charge.amount_refunded
    if remaining <= 0:
        raise _error(
            400, f"Charge {charge.id} has already been refunded.", "charge_already_refunded"
        )
    if data.get("amount") is None:
        data["amount"] = remaining
    else:
        data["amount"] = _int(data["amount"], "amount")
        if data["amount"] > remaining:
            raise _error(
                400,
                f"Refund amount ({data['amount']}) is greater than unrefunded amount on "
                f"charge ({remaining}).",
                "amount_too_large",
                "amount",
            )
    refund = Refund._api_create(**data)
    refund.reason = reason
    _emit("refund.created", refund)
    _emit("charge.refunded", charge)
    return server.json_response(refund._export(expand=expand))


# ---------------------------------------------------------------------------------------
# Fake Stripe.js

_JS_WRAPPER = r"""
// --- Gigworks extension: confirmCardPayment with the card the user typed ------------
(function () {
  const localstripeFactory = Stripe;
  Stripe = function (apiKey, options) {
    const stripe = localstripeFactory(apiKey, options);
    const authenticate = stripe.confirmCardPayment;
    stripe.confirmCardPayment = async (clientSecret, data) => {
      const pm = data && data.payment_method;
      if (!pm) {
        return authenticate(clientSecret, data);
      }
      const match = /^(pi_\w+)_secret_/.exec(clientSecret || '');
      if (!match) {
        return {error: {type: 'invalid_request_error', message: 'Invalid client secret.'}};
      }
      const body = {key: apiKey, client_secret: clientSecret};
      if (typeof pm === 'string') {
        body.payment_method = pm;
      } else {
        const value = pm.card && pm.card.value;
        if (!value || !value.card || !value.card.number) {
          return {error: {type: 'validation_error', code: 'incomplete_number',
                          message: 'Your card number is incomplete.'}};
        }
        body.card = value.card;
        body.billing_details = Object.assign({}, pm.billing_details || {});
        if (value.postal_code) {
          body.billing_details.address = Object.assign(
            {postal_code: value.postal_code}, body.billing_details.address || {});
        }
      }
      try {
        const url = `${LOCALSTRIPE_BASE_API}/v1/payment_intents/${match[1]}/_confirm_card`;
        const response = await fetch(url, {method: 'POST', body: JSON.stringify(body)});
        const res = await response.json().catch(() => ({}));
        if (response.status !== 200 || res.error) {
          return {error: res.error || {message: 'HTTP ' + response.status}};
        }
        if (res.status === 'requires_action') {
          return authenticate(clientSecret, {});
        }
        return {paymentIntent: res};
      } catch (err) {
        return {error: {type: 'api_connection_error', message: String(err)}};
      }
    };
    return stripe;
  };
  window.Stripe = Stripe;
})();
"""


async def _stripe_js(request: web.Request, handler: Handler) -> web.StreamResponse:
    path = Path(server.__file__).with_name("localstripe-v3.js")
    text = path.read_text(encoding="utf-8") + _JS_WRAPPER
    return web.Response(text=text, content_type="application/javascript")


# ---------------------------------------------------------------------------------------
# Idempotency keys

_IDEM_PREFIX = "_idempotency:"
_IDEM_TTL = 24 * 3600
_PRUNE_EVERY = 60.0
_in_flight: dict[str, str] = {}
_last_prune = [0.0]


def _idempotency_response(status: int, message: str, key: str) -> web.Response:
    body = {"error": {"type": "idempotency_error", "message": message}}
    if status == 409:
        body["error"]["code"] = "idempotency_key_in_use"
    return server.json_response(body, status=status, headers={"Idempotency-Key": key})


def _prune_idempotency_records(now: float) -> None:
    if now - _last_prune[0] < _PRUNE_EVERY:
        return
    _last_prune[0] = now
    expired = [
        key
        for key, value in store.items()
        if key.startswith(_IDEM_PREFIX) and now - value["created"] > _IDEM_TTL
    ]
    for key in expired:
        dict.__delitem__(store, key)  # one dump below instead of one per key
    if expired:
        store.dump_to_disk()


def _worth_saving(response: web.StreamResponse) -> bool:
    status = response.status
    if 200 <= status < 300 or status == 402:
        return True
    if status != 400 or not isinstance(response, web.Response) or response.body is None:
        return False
    try:
        error = json.loads(bytes(response.body))["error"]
    except (ValueError, KeyError, TypeError):
        return False
    return bool(error.get("code")) and error.get("type") != "idempotency_error"


@web.middleware
async def _idempotency_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    key = request.headers.get("Idempotency-Key")
    if request.method != "POST" or not key or not request.path.startswith("/v1/"):
        return await handler(request)
    api_key = server.get_api_key(request)
    if api_key is None:
        return await handler(request)  # the auth middleware answers 401

    data = await server.get_post_data(request, remove_auth=False)
    fingerprint = hashlib.sha256(
        json.dumps(
            [request.method, request.path, request.query_string, dict(data) if data else {}],
            sort_keys=True,
            default=str,
        ).encode()
    ).hexdigest()
    scope = hashlib.sha256(api_key.encode()).hexdigest()[:16]
    record_key = f"{_IDEM_PREFIX}{scope}:{key}"
    now = time.time()
    _prune_idempotency_records(now)

    mismatch = (
        f"Keys for idempotent requests can only be used with the same parameters they were "
        f"first used with. Try using a key other than '{key}' if you meant to execute a "
        "different request."
    )
    record = store.get(record_key)
    if record is not None:
        if record["fingerprint"] != fingerprint:
            return _idempotency_response(400, mismatch, key)
        return web.Response(
            body=record["body"],
            status=record["status"],
            content_type=record["content_type"],
            headers={"Idempotency-Key": key, "Idempotent-Replayed": "true"},
        )
    if record_key in _in_flight:
        if _in_flight[record_key] != fingerprint:
            return _idempotency_response(400, mismatch, key)
        return _idempotency_response(
            409,
            "There is currently another in-progress request using this Idempotency-Key "
            "(that probably means you submitted twice, and the other request is still going "
            f"through): {key}. Please try again later.",
            key,
        )

    _in_flight[record_key] = fingerprint
    try:
        response = await handler(request)
    finally:
        del _in_flight[record_key]
    if isinstance(response, web.Response) and _worth_saving(response):
        store[record_key] = {
            "fingerprint": fingerprint,
            "status": response.status,
            "body": bytes(response.body),
            "content_type": response.content_type,
            "created": now,
        }
    response.headers["Idempotency-Key"] = key
    return response


# ---------------------------------------------------------------------------------------
# Middlewares and routes

_OVERRIDES: dict[tuple[str, str], Callable[[web.Request, Handler], Awaitable[Any]]] = {
    ("POST", "/v1/payment_intents/{id}/capture"): _capture_payment_intent,
    ("POST", "/v1/payment_intents/{id}/cancel"): _cancel_payment_intent,
    ("POST", "/v1/payment_intents/{id}/confirm"): _confirm_payment_intent,
    ("POST", "/v1/refunds"): _create_refund,
    ("GET", "/js.stripe.com/v3/"): _stripe_js,
}

# Reached by a browser without a secret key; the handlers check what they need.
_PUBLIC_ROUTES = (
    ("POST", re.compile(r"^/v1/payment_intents/\w+/_confirm_card$")),
    ("GET", re.compile(r"^/connect/")),
)


@web.middleware
async def _override_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    resource = request.match_info.route.resource
    canonical = resource.canonical if resource is not None else None
    override = _OVERRIDES.get((request.method, canonical or ""))
    if override is None:
        return await handler(request)
    return await override(request, handler)


@web.middleware
async def _auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if any(request.method == m and p.match(request.path) for m, p in _PUBLIC_ROUTES):
        return await handler(request)
    return await server.auth_middleware(request, handler)


def _route(func: Callable[..., Any]) -> Handler:
    """Adapt a `func(**params)` returning a Stripe object to an aiohttp handler."""

    async def handle(request: web.Request) -> web.StreamResponse:
        if request.method == "POST":
            data = dict(await server.get_post_data(request) or {})
        else:
            data = dict(server.unflatten_data(request.query))
        expand = data.pop("expand", None)
        data.update(request.match_info)
        return server.json_response(func(**data)._export(expand=expand))

    return handle


def _add_routes(app: web.Application) -> None:
    def list_reversals(id, limit=None, starting_after=None, **kwargs):
        _reject_unknown(kwargs)
        transfer = Transfer._api_retrieve(id)
        url = f"/v1/transfers/{id}/reversals"
        return _list(url, transfer._reversal_objects(), limit, starting_after)

    def get_reversal(id, reversal_id):
        reversal = TransferReversal._api_retrieve(reversal_id)
        if reversal.transfer != id:
            raise _error(404, f"No such transfer_reversal: '{reversal_id}'", "resource_missing")
        return reversal

    def update_reversal(id, reversal_id, **data):
        reversal = get_reversal(id, reversal_id)
        reversal._update(**data)
        return reversal

    def create_reversal(id, **data):
        return TransferReversal(transfer=id, **data)

    routes: list[tuple[str, str, Handler]] = [
        ("GET", "/v1/account", _platform_account),
        ("POST", "/v1/account_links", _create_account_link),
        ("POST", "/v1/accounts/{id}/login_links", _create_login_link),
        ("GET", "/connect/onboarding/{token}", _follow_account_link),
        ("GET", "/connect/express/{id}", _express_dashboard),
        ("POST", "/_config/accounts/{id}", _config_account),
        ("POST", "/v1/payment_intents/{id}/_confirm_card", _confirm_card),
        ("POST", "/v1/transfers/{id}/reversals", _route(create_reversal)),
        ("GET", "/v1/transfers/{id}/reversals", _route(list_reversals)),
        ("GET", "/v1/transfers/{id}/reversals/{reversal_id}", _route(get_reversal)),
        ("POST", "/v1/transfers/{id}/reversals/{reversal_id}", _route(update_reversal)),
    ]
    for cls in (Account, Transfer):
        plural = f"/v1/{cls.object}s"
        routes += [
            ("POST", plural, server.api_create(cls, plural)),
            ("GET", plural, server.api_list_all(cls, plural)),
            ("GET", plural + "/{id}", server.api_retrieve(cls, plural)),
            ("POST", plural + "/{id}", server.api_update(cls, plural)),
        ]
    routes.append(("DELETE", "/v1/accounts/{id}", server.api_delete(Account, "/v1/accounts")))
    for method, path, handler in routes:
        app.router.add_route(method, path, handler)


def install(state_file: Path | None) -> web.Application:
    """Patch localstripe and return its aiohttp app, ready for `web.run_app`.

    `state_file` replaces /tmp/localstripe.pickle (None keeps the state in memory).
    Call `load_state()` afterwards to resume from the file.
    """
    global _installed
    _state["path"] = Path(state_file).resolve() if state_file is not None else None
    if _installed:
        return server.app
    resources.Store.try_load_from_disk = _load_from_disk
    resources.Store.dump_to_disk = _dump_to_disk
    _patch_localstripe()
    app = server.app
    middlewares = app.middlewares
    middlewares[middlewares.index(server.auth_middleware)] = _auth_middleware
    middlewares.insert(0, _idempotency_middleware)
    middlewares.append(_override_middleware)
    _add_routes(app)
    _installed = True
    return app
