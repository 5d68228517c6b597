"""Connect accounts: `Account`, account links (hosted onboarding), login links, the platform.

* POST/GET /v1/accounts, GET/POST/DELETE /v1/accounts/{id}, GET /v1/account (the platform).
  Accounts are onboarded at once: `charges_enabled`, `payouts_enabled`, `details_submitted`
  are true and requested capabilities (default: card_payments and transfers) are "active".
* POST /v1/account_links -> `url` = {server}/connect/onboarding/{token}: opening it (a
  browser, no API key) marks the account onboarded and redirects to `return_url`.
  Single use; an unknown or used token answers 404, an expired one redirects to
  `refresh_url`.
* POST /v1/accounts/{id}/login_links -> a local "Express dashboard" page.
* POST /_config/accounts/{id} {"onboarded": false|true} (local only, no key needed) to
  test sellers who have not finished onboarding: their capabilities become inactive,
  the three flags false, and transfers to them are refused.
* Webhook event: account.updated (on update and when onboarding changes).
"""

from __future__ import annotations

import re
import secrets
import time
from html import escape
from typing import Any

from aiohttp import web
from localstripe import server
from localstripe.resources import StripeObject, store, try_convert_to_bool

from .common import (
    Missing,
    Route,
    as_dict,
    crud_routes,
    emit,
    enum,
    error,
    merge_metadata,
    newest_first,
    objects,
    opt_str,
    reject_unknown,
    stripe_list,
)

__all__ = ["PUBLIC_PATHS", "Account", "routes"]

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


class Account(Missing, StripeObject):
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
        reject_unknown(kwargs)
        if type is None and not controller:
            raise error(
                400, "You must provide `type` or `controller`.", "parameter_missing", "type"
            )
        account_type = enum(type, "type", ("standard", "express", "custom")) or "express"
        country = (opt_str(country, "country") or "US").upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise error(400, f"Invalid country: {country}", "country_unsupported", "country")
        requested = self._requested_capabilities(capabilities, set(_DEFAULT_CAPABILITIES))
        currency = opt_str(default_currency, "default_currency")
        if currency is None:
            currency = "eur" if country in _EURO else _COUNTRY_CURRENCY.get(country, "usd")
        email = opt_str(email, "email")
        business_type = enum(
            business_type,
            "business_type",
            ("individual", "company", "non_profit", "government_entity"),
        )
        fields = {
            "business_profile": as_dict(business_profile, "business_profile"),
            "controller": as_dict(controller, "controller"),
            "settings": as_dict(settings, "settings"),
            "tos_acceptance": as_dict(tos_acceptance, "tos_acceptance"),
        }
        private = {
            "individual": as_dict(individual, "individual"),
            "company": as_dict(company, "company"),
        }
        meta = merge_metadata(metadata)

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
            raise error(400, "Invalid capabilities", "parameter_invalid", "capabilities")
        result = set(current) if current else set()
        for name, spec in value.items():
            flag = try_convert_to_bool(spec.get("requested")) if isinstance(spec, dict) else None
            if flag is True:
                result.add(name)
            elif flag is False:
                result.discard(name)
            else:
                raise error(
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
        reject_unknown(unknown)
        requested = self._requested_capabilities(data.pop("capabilities", None), self._requested)
        meta = merge_metadata(data.pop("metadata", None), self.metadata)
        email = opt_str(data.pop("email", self.email), "email")
        for key in ("individual", "company"):
            if key in data:
                self._private[key] = {**self._private.get(key, {}), **as_dict(data.pop(key), key)}
        updates = {}
        for key, value in data.items():
            if key in ("business_type", "default_currency"):
                updates[key] = opt_str(value, key)
            else:
                updates[key] = {**getattr(self, key, {}), **as_dict(value, key)}
        self._requested = requested
        self.metadata = meta
        self.email = email
        for key, value in updates.items():
            setattr(self, key, value)
        emit("account.updated", self)

    def _set_onboarded(self, value: bool) -> None:
        if self._onboarded != value:
            self._onboarded = value
            emit("account.updated", self)

    @classmethod
    def _api_list_all(cls, url, limit=None, starting_after=None, **kwargs):
        reject_unknown(kwargs)
        return stripe_list(url, objects(cls.object), limit, starting_after)


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
        raise error(400, f"Not a valid URL: {param}", "url_invalid", param)
    return value


_LINK_PREFIX = "_account_link:"
_LINK_TTL = 300


async def _create_account_link(request: web.Request) -> web.Response:
    data = dict(await server.get_post_data(request) or {})
    account_id = data.pop("account", None)
    return_url = _http_url(data.pop("return_url", None), "return_url")
    refresh_url = _http_url(data.pop("refresh_url", None), "refresh_url")
    link_type = enum(data.pop("type", None), "type", ("account_onboarding", "account_update"))
    data.pop("collect", None)
    data.pop("collection_options", None)
    reject_unknown(data)
    if link_type is None:
        raise error(400, "Missing required param: type.", "parameter_missing", "type")
    if not isinstance(account_id, str):
        raise error(400, "Missing required param: account.", "parameter_missing", "account")
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
    transfers = [t for t in objects("transfer") if t.destination == account.id]
    net = sum(t.amount - t.amount_reversed for t in transfers)
    rows = "".join(
        f"<tr><td>{escape(t.id)}</td><td>{t.amount - t.amount_reversed}</td>"
        f"<td>{escape(t.currency)}</td><td>{escape(t.transfer_group or '')}</td></tr>"
        for t in newest_first(transfers)
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
    reject_unknown(data)
    if type(onboarded) is not bool:
        raise error(400, "Expected onboarded=true|false", "parameter_missing", "onboarded")
    account._set_onboarded(onboarded)
    return server.json_response(account._export())


# Opened by a browser, which has no secret key: (method, path pattern).
PUBLIC_PATHS = (("GET", re.compile(r"^/connect/")),)


def routes() -> list[Route]:
    return [
        ("GET", "/v1/account", _platform_account),
        ("POST", "/v1/account_links", _create_account_link),
        ("POST", "/v1/accounts/{id}/login_links", _create_login_link),
        ("GET", "/connect/onboarding/{token}", _follow_account_link),
        ("GET", "/connect/express/{id}", _express_dashboard),
        ("POST", "/_config/accounts/{id}", _config_account),
        *crud_routes(Account),
        ("DELETE", "/v1/accounts/{id}", server.api_delete(Account, "/v1/accounts")),
    ]
