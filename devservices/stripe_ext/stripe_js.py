"""The fake Stripe.js: localstripe's script plus `confirmCardPayment` with the typed card.

localstripe's `confirmCardPayment` ignores the card and only works for PaymentIntents already in
`requires_action`. The script served at /js.stripe.com/v3/ is localstripe's plus a wrapper:
`confirmCardPayment(secret, {payment_method: {card: element}})` (or a `pm_...` id) confirms with
the typed card through POST /v1/payment_intents/{id}/_confirm_card (publishable key + client
secret, no secret key), so 4242... gives requires_capture/succeeded, 4000000000000002 a decline,
4000002500003155 the 3-D Secure modal. Without `payment_method` the original behaviour is kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from aiohttp import web
from localstripe import server
from localstripe.errors import UserError
from localstripe.resources import PaymentIntent, PaymentMethod

from .common import Handler, Override, Route, error
from .payment_intents import confirm_with

__all__ = ["PUBLIC_PATHS", "overrides", "routes"]

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
        raise error(400, "Missing card or payment_method", "parameter_missing", "payment_method")
    confirm_with(pi, payment_method)
    return server.json_response(pi._export())


# Called by the page, which has only the publishable key: (method, path pattern).
PUBLIC_PATHS = (("POST", re.compile(r"^/v1/payment_intents/\w+/_confirm_card$")),)


def routes() -> list[Route]:
    return [("POST", "/v1/payment_intents/{id}/_confirm_card", _confirm_card)]


def overrides() -> dict[tuple[str, str], Override]:
    return {("GET", "/js.stripe.com/v3/"): _stripe_js}
