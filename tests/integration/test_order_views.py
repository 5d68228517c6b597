"""Order read models, files, the earnings CSV route and Stripe webhooks, with real Stripe."""

import hashlib
import hmac
import json
import time

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from marketplace.models import StripeEvent
from marketplace.services.common.errors import DomainError, NotFound
from marketplace.services.orders import checkout, webhooks
from marketplace.services.orders import files as order_files
from marketplace.services.orders import views as order_views
from tests import order_fixtures as f
from tests.gig_fixtures import make_user

stripe_server, ctx, c = f.stripe_server, f.ctx, f.c


def test_the_order_page_shows_each_party_their_actions_and_every_ledger_line(ctx, c):
    code = f.walk_to(ctx, c, "completed", tier="standard")
    with Session(ctx.engine) as session:
        buyer_view = order_views.order_page(session, code=code, viewer=c.buyer)
        seller_view = order_views.order_page(session, code=code, viewer=c.seller)
        admin_view = order_views.order_page(session, code=code, viewer=c.admin)
        stranger = make_user(session, "nosy")
        session.commit()
        with pytest.raises(NotFound):
            order_views.order_page(session, code=code, viewer=stranger)
    assert (buyer_view.viewer_role, seller_view.viewer_role, admin_view.viewer_role) == (
        "buyer", "seller", "admin",
    )  # fmt: skip
    assert buyer_view.status_label == "Completed" and buyer_view.actions == []
    kinds = [line.kind for line in buyer_view.ledger]
    assert kinds == ["hold", "capture", "commission", "commission", "release"]
    release = buyer_view.ledger[-1]
    assert release.stripe_object_id.startswith("tr_") and release.amount_cents == 3_200
    assert buyer_view.money.captured_cents == 4_220 and buyer_view.money.in_escrow_cents == 0
    assert buyer_view.money.released_cents == 3_200 and buyer_view.money.platform_fee_cents == 1_020
    labels = [e.label for e in buyer_view.events]
    assert labels[0] == "Order placed" and labels[-1] == "Seller paid (transfer)"


def test_lists_count_by_tab_and_flag_late_orders(ctx, c):
    f.walk_to(ctx, c, "completed")
    late = f.walk_to(ctx, c, "in_progress")
    f.walk_to(ctx, c, "delivered")
    ctx.now.advance(days=5)
    with Session(ctx.engine) as session:
        listing = order_views.order_list(session, viewer=c.buyer, role="buying", tab="all", page=1)
        selling = order_views.order_list(
            session, viewer=c.seller, role="selling", tab="active", page=1
        )
    assert listing.counts["all"] == 3 and listing.counts["completed"] == 1
    assert listing.counts["delivered"] == 1 and listing.counts["active"] == 1
    assert [r.code for r in selling.rows] == [late]
    assert selling.rows[0].other_username == c.buyer.username


def test_earnings_and_csv_follow_the_ledger(ctx, c):
    f.walk_to(ctx, c, "completed")
    f.walk_to(ctx, c, "in_progress")
    with Session(ctx.engine) as session:
        e = order_views.earnings(session, seller=c.seller)
        text = order_views.earnings_csv(session, seller=c.seller)
    assert e.paid_out_cents == 1_600 and e.in_escrow_cents == 1_600
    assert e.fees_cents == 400 and e.pending_payout_cents == 0 and e.payouts_enabled
    assert sum(amount for _, amount in e.weekly) == 1_600 and len(e.weekly) == 12
    rows = text.strip().splitlines()
    assert rows[0].startswith("date,order,kind") and any(",release," in r for r in rows)


def cookie_for(engine, user, secret_key: str) -> dict:
    """A signed-in browser's session cookie, made the way sign-in makes it."""
    from marketplace.auth import cookies
    from marketplace.services.accounts import members as accounts

    with Session(engine) as session:
        new = accounts.start_session(session, user=user)
        assert accounts.activate_session(session, token=new.token)
        session.commit()
    return {cookies.SESSION_COOKIE: cookies.sign_session(secret_key, new.token)}


def test_delivered_files_are_served_only_to_the_parties(ctx, c, tmp_path, monkeypatch):
    from marketplace import api, db
    from marketplace import settings as settings_module

    monkeypatch.setenv("GIGWORKS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", str(ctx.engine.url))
    settings_module.get_settings.cache_clear()
    db.get_engine.cache_clear()
    try:
        with pytest.raises(DomainError, match="not a PNG"):
            order_files.store_order_file(data=b"\x00\x01binary", filename="x.exe")
        stored = order_files.store_order_file(data=b"%PDF-1.4 logo", filename="../Logo final.pdf")
        assert stored["name"] == "Logo final.pdf" and stored["key"].endswith(".pdf")
        code = f.walk_to(ctx, c, "in_progress")
        f.act(ctx, code, "deliver", c.seller, {"message": "Files attached", "files": [stored]})
        with Session(ctx.engine) as session:
            page = order_views.order_page(session, code=code, viewer=c.buyer)
            stranger = make_user(session, "peek")
            session.commit()
            session.refresh(stranger)
        url = page.deliveries[0].files[0]["url"]
        assert url == f"/files/orders/{code}/{stored['key']}"
        secret = settings_module.get_settings().secret_key
        client = TestClient(api.build_api())
        client.cookies.update(cookie_for(ctx.engine, c.buyer, secret))
        ok = client.get(url)
        assert ok.status_code == 200 and ok.content == b"%PDF-1.4 logo"
        assert ok.headers["content-disposition"].startswith("attachment")
        assert ok.headers["x-content-type-options"] == "nosniff"
        csv_response = client.get("/my/earnings.csv")
        assert csv_response.status_code == 200
        assert csv_response.headers["content-type"].startswith("text/csv")

        strangers = TestClient(api.build_api())
        strangers.cookies.update(cookie_for(ctx.engine, stranger, secret))
        assert strangers.get(url).status_code == 404
        assert TestClient(api.build_api()).get(url).status_code == 404  # signed out
        assert TestClient(api.build_api()).get("/my/earnings.csv").status_code == 401
    finally:
        db.get_engine.cache_clear()
        settings_module.get_settings.cache_clear()


def signed(ctx, event: dict, secret: str | None = None) -> tuple[bytes, str]:
    payload = json.dumps(event).encode()
    stamp = int(time.time())
    key = (secret or ctx.settings.stripe_webhook_secret).encode()
    mac = hmac.new(key, f"{stamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, f"t={stamp},v1={mac}"


def test_a_webhook_records_a_hold_the_page_never_reported_and_replays_are_harmless(ctx, c):
    start = checkout.begin_payment(
        actor=c.buyer, gig_slug=c.gig.slug, tier="basic", extra_ids=[], quantity=1,
        checkout_key=f.checkout_key(), context=ctx,
    )  # fmt: skip
    f.browser_confirms(ctx, start)  # the buyer closed the tab before confirm_payment ran
    pi = ctx.gateway.client.v1.payment_intents.retrieve(start.client_secret.split("_secret_")[0])
    event = {
        "id": "evt_test_hold_1",
        "object": "event",
        "type": "payment_intent.amount_capturable_updated",
        "data": {"object": pi.to_dict()},
    }
    # An old copy of the object (out of order) changes nothing: the handler asks Stripe.
    event["data"]["object"]["status"] = "requires_payment_method"
    payload, header = signed(ctx, event)
    assert webhooks.handle(payload, header, context=ctx) == "reconciled"
    assert f.load(ctx.engine, start.order_code).status == "awaiting_requirements"
    assert webhooks.handle(payload, header, context=ctx) == "duplicate"
    with Session(ctx.engine) as session:
        assert len(session.exec(select(StripeEvent)).all()) == 1
    f.assert_money_consistent(ctx, start.order_code)
    with pytest.raises(webhooks.BadSignature):
        webhooks.handle(*signed(ctx, event, secret="whsec_wrong"), context=ctx)


def test_the_local_stripe_server_delivers_signed_webhooks_that_record_the_hold(
    tmp_path, monkeypatch
):
    """The real path: localstripe signs and POSTs the event to /api/stripe/webhook (uvicorn),
    which verifies it and reconciles the order from Stripe."""
    import threading

    import uvicorn

    from devservices.process import free_port
    from devservices.stripe_server import StripeServer
    from marketplace import api, db
    from marketplace import settings as settings_module

    app_port, stripe_port = free_port(), free_port()
    engine = f.sqlite_engine(tmp_path / "hooks.db")
    server = StripeServer(
        port=stripe_port,
        state_file=tmp_path / "stripe.pickle",
        log_path=tmp_path / "stripe.log",
        webhook_url=f"http://127.0.0.1:{app_port}/api/stripe/webhook",
        webhook_secret="whsec_gigworks_local",
    )
    for name, value in {
        "GIGWORKS_DATA_DIR": str(tmp_path),
        "DATABASE_URL": str(engine.url),
        "STRIPE_API_BASE": server.url,
    }.items():
        monkeypatch.setenv(name, value)
    settings_module.get_settings.cache_clear()
    db.get_engine.cache_clear()
    web = uvicorn.Server(uvicorn.Config(api.build_api(), port=app_port, log_level="warning"))
    thread = threading.Thread(target=web.run, daemon=True)
    try:
        thread.start()
        with server:
            ctx = f.context(engine, server, tmp_path)
            c = f.cast(engine, ctx)
            start = checkout.begin_payment(
                actor=c.buyer, gig_slug=c.gig.slug, tier="basic", extra_ids=[], quantity=1,
                checkout_key=f.checkout_key(), context=ctx,
            )  # fmt: skip
            f.browser_confirms(ctx, start)  # and the buyer never comes back to the page
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if f.load(engine, start.order_code).status == "awaiting_requirements":
                    break
                time.sleep(0.2)
            assert f.load(engine, start.order_code).status == "awaiting_requirements"
            f.assert_money_consistent(ctx, start.order_code)
            with Session(engine) as session:
                assert session.exec(select(StripeEvent)).first() is not None
    finally:
        web.should_exit = True
        thread.join(10)
        db.get_engine.cache_clear()
        settings_module.get_settings.cache_clear()
        engine.dispose()


def test_earnings_sign_money_out_so_commission_and_refunds_do_not_read_like_income(ctx, c):
    """Issue 23: /my/earnings listed the commission and refunds unsigned, like income."""
    import csv
    import io

    from marketplace.state.order_models import ledger_line

    done = f.walk_to(ctx, c, "completed")
    refunded = f.walk_to(ctx, c, "in_progress")
    f.act(ctx, refunded, "request_cancellation", c.seller, {"message": "I am ill"})
    f.act(ctx, refunded, "accept_cancellation", c.buyer)
    with Session(ctx.engine) as session:
        e = order_views.earnings(session, seller=c.seller)
        text = order_views.earnings_csv(session, seller=c.seller)
    shown = {(line.order_code, line.kind): ledger_line(line, signed=True) for line in e.lines}
    assert shown[(done, "release")].amount == "+$16"
    assert shown[(done, "release")].amount_color == "var(--grass-11)"
    assert shown[(done, "commission")].amount == "\u2212$4"
    assert shown[(done, "commission")].amount_color == "var(--red-11)"
    assert shown[(refunded, "refund")].amount == "\u2212$21.10"
    assert shown[(done, "capture")].amount == "$21.10"  # the escrow is neither in nor out
    cells = {
        (r["order"], r["kind"]): int(r["amount_cents"]) for r in csv.DictReader(io.StringIO(text))
    }
    assert cells[(done, "release")] == 1_600 and cells[(done, "commission")] == -400
    assert cells[(refunded, "refund")] == -2_110 and cells[(done, "capture")] == 2_110


def test_orders_open_where_the_members_work_is(ctx, c):
    """Issue 23: a seller with active sales and no purchases opened "Orders" on Buying (0)."""
    with Session(ctx.engine) as session:
        assert order_views.default_role(session, viewer=c.seller) == "buying"  # nothing yet
    f.walk_to(ctx, c, "in_progress")
    with Session(ctx.engine) as session:
        assert order_views.default_role(session, viewer=c.seller) == "selling"
        assert order_views.default_role(session, viewer=c.buyer) == "buying"
