"""devservices/stripe_ext/accounts.py: Connect accounts, account links, login links."""

import httpx
import stripe

from devservices.stripe_server import StripeServer

from .steps import new_seller, refused


def _set_onboarded(server: StripeServer, account_id: str, onboarded: bool) -> None:
    httpx.post(
        f"{server.url}/_config/accounts/{account_id}",
        data={"onboarded": "true" if onboarded else "false"},
    ).raise_for_status()


def test_an_express_account_is_onboarded_at_creation(client: stripe.StripeClient) -> None:
    seller = new_seller(client)
    assert seller.id.startswith("acct_")
    assert (seller.charges_enabled, seller.payouts_enabled, seller.details_submitted) == (
        True,
        True,
        True,
    )
    fetched = client.v1.accounts.retrieve(seller.id)
    assert fetched.capabilities.to_dict() == {"card_payments": "active", "transfers": "active"}
    assert (fetched.type, fetched.country, fetched.default_currency) == ("express", "US", "usd")
    assert fetched.requirements.currently_due == []
    assert (
        client.v1.accounts.create(params={"type": "express", "country": "DE"}).default_currency
        == "eur"
    )


def test_account_parameters_are_checked(client: stripe.StripeClient) -> None:
    refused(lambda: client.v1.accounts.create(params={"country": "US"}), "parameter_missing")
    refused(
        lambda: client.v1.accounts.create(params={"type": "express", "nickname": "x"}),
        "parameter_unknown",
    )
    refused(
        lambda: client.v1.accounts.create(params={"type": "platinum"}),
        "parameter_invalid_string",
    )
    refused(lambda: client.v1.accounts.retrieve("acct_doesnotexist"), "resource_missing", 404)


def test_update_merges_metadata_and_capabilities(client: stripe.StripeClient) -> None:
    seller = new_seller(client, metadata={"user_id": "7", "tier": "new"})
    updated = client.v1.accounts.update(
        seller.id,
        params={
            "metadata": {"tier": "", "level": "2"},  # "" deletes a key, as in Stripe
            "capabilities": {"card_payments": {"requested": False}},
            "business_profile": {"name": "Sam's Studio"},
        },
    )
    assert updated.metadata.to_dict() == {"user_id": "7", "level": "2"}
    assert updated.capabilities.to_dict() == {"transfers": "active"}
    assert updated.business_profile.name == "Sam's Studio"
    refused(
        lambda: client.v1.accounts.update(seller.id, params={"type": "custom"}),
        "parameter_unknown",
    )


def test_accounts_are_listed_newest_first_and_deleted(client: stripe.StripeClient) -> None:
    first, second = new_seller(client), new_seller(client)
    # Page by page: the session's server holds every other test's accounts too.
    listed = [a.id for a in client.v1.accounts.list(params={"limit": 10}).auto_paging_iter()]
    assert listed.index(second.id) < listed.index(first.id)
    assert client.v1.accounts.delete(first.id).deleted is True
    refused(lambda: client.v1.accounts.retrieve(first.id), "resource_missing", 404)


def test_the_platform_account_answers(stripe_server: StripeServer) -> None:
    me = httpx.get(
        f"{stripe_server.url}/v1/account",
        headers={"Authorization": f"Bearer {stripe_server.api_key}"},
    )
    assert me.status_code == 200
    assert (me.json()["id"], me.json()["charges_enabled"]) == ("acct_gigworks_platform", True)
    assert httpx.get(f"{stripe_server.url}/v1/account").status_code == 401  # key required


def test_account_link_onboards_and_returns(
    client: stripe.StripeClient, stripe_server: StripeServer
) -> None:
    seller = new_seller(client)
    _set_onboarded(stripe_server, seller.id, False)
    pending = client.v1.accounts.retrieve(seller.id)
    assert (pending.details_submitted, pending.capabilities["transfers"]) == (False, "inactive")
    assert "external_account" in pending.requirements.currently_due

    link = client.v1.account_links.create(
        params={
            "account": seller.id,
            "refresh_url": "http://127.0.0.1:9/seller/onboarding/refresh",
            "return_url": "http://127.0.0.1:9/seller/onboarding/done",
            "type": "account_onboarding",
        }
    )
    visit = httpx.get(link.url)  # a browser, without any API key
    assert visit.status_code == 302
    assert visit.headers["location"] == "http://127.0.0.1:9/seller/onboarding/done"
    done = client.v1.accounts.retrieve(seller.id)
    assert (done.details_submitted, done.payouts_enabled) == (True, True)
    assert httpx.get(link.url).status_code == 404  # single use


def test_account_links_need_a_known_account_and_real_urls(client: stripe.StripeClient) -> None:
    params = {
        "account": "acct_doesnotexist",
        "refresh_url": "http://127.0.0.1:9/refresh",
        "return_url": "http://127.0.0.1:9/done",
        "type": "account_onboarding",
    }
    refused(lambda: client.v1.account_links.create(params=params), "resource_missing", 404)
    seller = new_seller(client)
    refused(
        lambda: client.v1.account_links.create(
            params={**params, "account": seller.id, "return_url": "javascript:alert(1)"}
        ),
        "url_invalid",
    )


def test_login_link_opens_a_dashboard_with_the_net_transferred(
    client: stripe.StripeClient,
) -> None:
    seller = new_seller(client, email="dash@example.com")
    client.v1.transfers.create(
        params={"amount": 1_500, "currency": "usd", "destination": seller.id}
    )
    link = client.v1.accounts.login_links.create(seller.id)
    page = httpx.get(link.url)  # no API key: the seller's browser
    assert page.status_code == 200
    assert f"Express dashboard for {seller.id}" in page.text
    assert "dash@example.com" in page.text and "Net transferred: 1500." in page.text
