"""devservices/stripe_ext/stripe_js.py: the fake Stripe.js confirms with the typed card."""

import json

import httpx
import stripe

from devservices.stripe_server import StripeServer


def test_browser_confirmation_uses_the_typed_card(
    client: stripe.StripeClient, stripe_server: StripeServer
) -> None:
    script = httpx.get(f"{stripe_server.url}/js.stripe.com/v3/")  # no key, as a page loads it
    assert script.status_code == 200 and "_confirm_card" in script.text
    assert script.headers["content-type"].startswith("application/javascript")

    def confirm(pi, number: str, secret: str | None = None, key: str = "pk_test_gigworks_local"):
        body = {
            "key": key,
            "client_secret": secret or pi.client_secret,
            "card": {"number": number, "exp_month": "12", "exp_year": "2034", "cvc": "123"},
        }
        url = f"{stripe_server.url}/v1/payment_intents/{pi.id}/_confirm_card"
        return httpx.post(url, content=json.dumps(body))

    def checkout():
        return client.v1.payment_intents.create(
            params={"amount": 2_500, "currency": "usd", "capture_method": "manual"}
        )

    pi = checkout()
    assert confirm(pi, "4242424242424242", secret=pi.id + "_secret_wrong").status_code == 401
    assert confirm(pi, "4242424242424242", key=stripe_server.api_key).status_code == 401
    ok = confirm(pi, "4242 4242 4242 4242")
    assert ok.status_code == 200 and ok.json()["status"] == "requires_capture"

    declined = checkout()
    answer = confirm(declined, "4000000000000002")
    assert answer.status_code == 402
    assert (answer.json()["error"]["type"], answer.json()["error"]["code"]) == (
        "card_error",
        "card_declined",
    )
    assert client.v1.payment_intents.retrieve(declined.id).status == "requires_payment_method"
    retry = confirm(declined, "4242424242424242")  # a second card after a decline
    assert retry.json()["status"] == "requires_capture"

    three_ds = checkout()
    assert confirm(three_ds, "4000002500003155").json()["status"] == "requires_action"


def test_browser_confirmation_with_a_saved_payment_method(
    client: stripe.StripeClient, stripe_server: StripeServer
) -> None:
    pi = client.v1.payment_intents.create(params={"amount": 1_200, "currency": "usd"})
    url = f"{stripe_server.url}/v1/payment_intents/{pi.id}/_confirm_card"
    body = {"key": "pk_test_gigworks_local", "client_secret": pi.client_secret}
    missing = httpx.post(url, content=json.dumps(body))
    assert (missing.status_code, missing.json()["error"]["code"]) == (400, "parameter_missing")
    paid = httpx.post(url, content=json.dumps({**body, "payment_method": "pm_card_visa"}))
    assert paid.status_code == 200 and paid.json()["status"] == "succeeded"
