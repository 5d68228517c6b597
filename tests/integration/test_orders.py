"""Orders end to end through the services, against the real local Stripe server."""

import dataclasses

import pytest
from sqlmodel import Session, select

from marketplace.models import GigExtra, GigPackage, Notification, OrderEvent, User
from marketplace.services.accounts import leaving
from marketplace.services.common.errors import DomainError, NotFound, PermissionDenied
from marketplace.services.orders import checkout, reconcile, views, webhooks
from marketplace.services.orders import executor as orders
from tests import order_fixtures as f

stripe_server, ctx, c = f.stripe_server, f.ctx, f.c


def events(ctx, code):
    order = f.load(ctx.engine, code)
    with Session(ctx.engine) as session:
        rows = session.exec(
            select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.id)
        ).all()
    return [(e.transition, e.from_status, e.to_status) for e in rows]


def test_happy_path_holds_captures_and_releases_to_the_seller(ctx, c):
    code = f.place_and_pay(ctx, c, tier="standard", extra_ids=[], quantity=2)
    order = f.load(ctx.engine, code)
    assert order.status == "awaiting_requirements" and order.quantity == 2
    assert order.subtotal_cents == 8_000 and order.total_cents == 8_440
    pi = ctx.gateway.retrieve_payment_intent(order.payment_intent_id)
    assert pi.status == "requires_capture" and pi.amount == 8_440
    assert pi.metadata["order_code"] == code and pi.transfer_group == code

    f.act(ctx, code, "submit_requirements", c.buyer, f.answers(ctx.engine, c.gig.id))
    assert ctx.gateway.retrieve_payment_intent(order.payment_intent_id).status == "succeeded"
    f.act(ctx, code, "deliver", c.seller, {"message": "Here it is", "files": []})
    f.act(ctx, code, "request_revision", c.buyer, {"message": "Bigger, please"})
    f.act(ctx, code, "deliver", c.seller, {"message": "Bigger now", "files": []})
    done = f.act(ctx, code, "accept", c.buyer)
    assert done.status == "completed"

    sums = f.assert_money_consistent(ctx, code)
    assert sums["hold"] == sums["capture"] == 8_440
    assert sums["release"] == 6_400  # earnings: 8,000 - 20 %
    assert sums["commission"] == 1_600 + 440  # commission + service fee stay with the platform
    assert [e[0] for e in events(ctx, code)] == [
        "place", "pay", "submit_requirements", "deliver", "request_revision", "deliver",
        "accept", "payout",
    ]  # fmt: skip
    transfers = ctx.gateway.list_transfers(transfer_group=code)
    assert len(transfers) == 1 and transfers[0].source_transaction == done.charge_id
    with Session(ctx.engine) as session:
        told = session.exec(
            select(Notification.kind).where(Notification.user_id == c.seller.id)
        ).all()
    assert "order.accept" in told and "order.payout" in told

    # A second accept is refused and moves nothing.
    with pytest.raises(DomainError):
        f.act(ctx, code, "accept", c.buyer)
    assert len(ctx.gateway.list_transfers(transfer_group=code)) == 1


def test_cancel_before_start_voids_the_hold(ctx, c):
    code = f.place_and_pay(ctx, c)
    f.act(ctx, code, "cancel_unstarted", c.buyer, {"message": "Changed my mind"})
    order = f.load(ctx.engine, code)
    assert order.status == "cancelled"
    assert ctx.gateway.retrieve_payment_intent(order.payment_intent_id).status == "canceled"
    sums = f.assert_money_consistent(ctx, code)
    assert sums["void"] == sums["hold"] and "capture" not in sums


def test_agreed_cancellation_after_start_refunds_in_full(ctx, c):
    code = f.place_and_pay(ctx, c)
    f.act(ctx, code, "submit_requirements", c.buyer, f.answers(ctx.engine, c.gig.id))
    f.act(ctx, code, "request_cancellation", c.seller, {"message": "I am ill"})
    with pytest.raises(DomainError, match="other side"):
        f.act(ctx, code, "accept_cancellation", c.seller)
    f.act(ctx, code, "accept_cancellation", c.buyer)
    sums = f.assert_money_consistent(ctx, code)
    assert sums["refund"] == sums["capture"] == f.load(ctx.engine, code).total_cents
    assert "release" not in sums


def test_a_late_order_is_cancelled_by_the_buyer_at_once(ctx, c):
    code = f.place_and_pay(ctx, c)
    f.act(ctx, code, "submit_requirements", c.buyer, f.answers(ctx.engine, c.gig.id))
    with pytest.raises(DomainError, match="not late"):
        f.act(ctx, code, "cancel_late", c.buyer)
    ctx.now.advance(days=4)  # the basic package takes 3 days
    f.act(ctx, code, "cancel_late", c.buyer, {"message": ""})
    assert f.load(ctx.engine, code).status == "cancelled"
    assert f.assert_money_consistent(ctx, code)["refund"] > 0


def test_dispute_freezes_the_order_and_a_split_pays_both(ctx, c):
    code = f.place_and_pay(ctx, c)
    f.act(ctx, code, "submit_requirements", c.buyer, f.answers(ctx.engine, c.gig.id))
    f.act(ctx, code, "deliver", c.seller, {"message": "Done", "files": []})
    f.act(ctx, code, "open_dispute", c.buyer, {"message": "Not what I asked"})
    ctx.now.advance(days=10)
    assert orders.run_due(context=ctx) == {}  # frozen: no auto-complete
    with pytest.raises(DomainError):
        f.act(ctx, code, "accept", c.buyer)
    with pytest.raises(NotFound):
        f.act(ctx, code, "resolve_split", c.admin.model_copy(update={"is_admin": False}))
    with pytest.raises(PermissionDenied, match="through the moderation service"):
        # issue 23: an admin's step that skips the moderation service (and its audit row)
        f.act(ctx, code, "resolve_split", c.admin, {"refund_cents": 500}, moderated=False)
    with pytest.raises(DomainError, match="less than the order's subtotal"):
        f.act(ctx, code, "resolve_split", c.admin, {"refund_cents": 2_000})
    f.act(ctx, code, "resolve_split", c.admin, {"refund_cents": 500, "message": "Half done"})
    order = f.load(ctx.engine, code)
    sums = f.assert_money_consistent(ctx, code)
    assert order.status == "completed" and sums["refund"] == 500
    # 2,000 subtotal: 1,500 remain, commission 300 on it, the seller gets 1,200, fee 110 kept.
    assert sums["release"] == 1_200 and sums["commission"] == 300 + 110


def test_auto_complete_and_expiry_run_from_the_worker_with_reminders(ctx, c):
    delivered = f.place_and_pay(ctx, c)
    f.act(ctx, delivered, "submit_requirements", c.buyer, f.answers(ctx.engine, c.gig.id))
    f.act(ctx, delivered, "deliver", c.seller, {"message": "Done", "files": []})
    unstarted = f.place_and_pay(ctx, c)
    ctx.now.advance(days=2, hours=1)
    assert orders.run_due(context=ctx) == {"remind_auto_complete": 1}
    assert orders.run_due(context=ctx) == {}  # a reminder goes once
    ctx.now.advance(days=1)
    assert orders.run_due(context=ctx) == {"auto_complete": 1}
    assert f.load(ctx.engine, delivered).status == "completed"
    assert f.assert_money_consistent(ctx, delivered)["release"] > 0
    ctx.now.advance(days=2)
    assert orders.run_due(context=ctx) == {"remind_requirements": 1}
    ctx.now.advance(days=1)
    assert orders.run_due(context=ctx) == {"expire_unstarted": 1}
    order = f.load(ctx.engine, unstarted)
    assert order.status == "cancelled"
    assert ctx.gateway.retrieve_payment_intent(order.payment_intent_id).status == "canceled"
    f.assert_money_consistent(ctx, unstarted)


def test_a_seller_without_payouts_accrues_and_is_paid_when_onboarding_completes(ctx):
    c = f.cast(ctx.engine, ctx, payouts=False)
    code = f.place_and_pay(ctx, c)
    f.act(ctx, code, "submit_requirements", c.buyer, f.answers(ctx.engine, c.gig.id))
    f.act(ctx, code, "deliver", c.seller, {"message": "Done", "files": []})
    f.act(ctx, code, "accept", c.buyer)
    sums = f.assert_money_consistent(ctx, code)
    assert "release" not in sums and f.load(ctx.engine, code).payout_cents == 1_600
    assert orders.pay_out_pending(context=ctx) == {"waiting": 1}
    with Session(ctx.engine) as session:
        from marketplace.models import FreelancerProfile

        account = session.exec(
            select(FreelancerProfile.stripe_account_id).where(
                FreelancerProfile.user_id == c.seller.id
            )
        ).one()
    f.set_onboarded(ctx, account, True)
    assert orders.pay_out_pending(context=ctx) == {"paid": 1}
    assert f.assert_money_consistent(ctx, code)["release"] == 1_600
    assert orders.pay_out_pending(context=ctx) == {}


def test_double_click_makes_one_order_and_one_hold(ctx, c):
    key = f.checkout_key()
    args = dict(actor=c.buyer, gig_slug=c.gig.slug, tier="basic", extra_ids=[], quantity=1)
    first = checkout.begin_payment(**args, checkout_key=key, context=ctx)
    second = checkout.begin_payment(**args, checkout_key=key, context=ctx)
    assert first == second


def test_a_declined_card_says_so_and_the_order_stays_payable(ctx, c):
    start = checkout.begin_payment(
        actor=c.buyer, gig_slug=c.gig.slug, tier="basic", extra_ids=[], quantity=1,
        checkout_key=f.checkout_key(), context=ctx,
    )  # fmt: skip
    f.browser_confirms(ctx, start, f.CARD_DECLINED)
    outcome = checkout.confirm_payment(actor=c.buyer, order_code=start.order_code, context=ctx)
    assert outcome.status == "declined" and "declined" in outcome.message
    assert f.load(ctx.engine, start.order_code).status == "pending_payment"
    f.browser_confirms(ctx, start, f.CARD_OK)
    outcome = checkout.confirm_payment(actor=c.buyer, order_code=start.order_code, context=ctx)
    assert outcome.status == "held"
    assert f.assert_money_consistent(ctx, start.order_code)["hold"] == start.total_cents


def test_three_d_secure_asks_for_action(ctx, c):
    start = checkout.begin_payment(
        actor=c.buyer, gig_slug=c.gig.slug, tier="basic", extra_ids=[], quantity=1,
        checkout_key=f.checkout_key(), context=ctx,
    )  # fmt: skip
    f.browser_confirms(ctx, start, f.CARD_3DS)
    outcome = checkout.confirm_payment(actor=c.buyer, order_code=start.order_code, context=ctx)
    assert outcome.status == "requires_action"


def test_a_gig_without_requirements_starts_at_once(ctx):
    c = f.cast(ctx.engine, ctx, requirements=False)
    code = f.place_and_pay(ctx, c)
    assert f.load(ctx.engine, code).status == "in_progress"
    assert f.assert_money_consistent(ctx, code)["capture"] > 0


def test_strangers_and_own_gig(ctx, c):
    code = f.place_and_pay(ctx, c)
    with Session(ctx.engine, expire_on_commit=False) as session:
        from tests.gig_fixtures import make_user

        stranger = make_user(session, "stranger")
        session.commit()
    with pytest.raises(NotFound):
        f.act(ctx, code, "cancel_unstarted", stranger)
    with pytest.raises(DomainError, match="your own gig"):
        checkout.begin_payment(
            actor=c.seller, gig_slug=c.gig.slug, tier="basic", extra_ids=[], quantity=1,
            checkout_key=f.checkout_key(), context=ctx,
        )  # fmt: skip


def test_paying_twice_at_once_records_one_hold(ctx, c):
    import threading

    start = checkout.begin_payment(
        actor=c.buyer, gig_slug=c.gig.slug, tier="basic", extra_ids=[], quantity=1,
        checkout_key=f.checkout_key(), context=ctx,
    )  # fmt: skip
    f.browser_confirms(ctx, start)
    outcomes = []

    def confirm():
        outcomes.append(
            checkout.confirm_payment(actor=c.buyer, order_code=start.order_code, context=ctx)
        )

    threads = [threading.Thread(target=confirm) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [o.status for o in outcomes] == ["held"] * 3
    assert [e[0] for e in events(ctx, start.order_code)] == ["place", "pay"]
    assert f.assert_money_consistent(ctx, start.order_code)["hold"] == start.total_cents


def test_a_checkout_whose_payment_intent_answer_was_lost_is_repaired(ctx, c):
    """Stripe made the PaymentIntent but the answer never arrived: the retry finds the same one
    (idempotency key), and a repair older than Stripe's 24 h of keys finds it by metadata."""
    faulty = f.FaultyGateway(ctx.gateway)
    lossy = dataclasses.replace(ctx, gateway=faulty)
    key = f.checkout_key()
    args = dict(actor=c.buyer, gig_slug=c.gig.slug, tier="basic", extra_ids=[], quantity=1)
    faulty.faults = ["timeout_after"]
    with pytest.raises(DomainError):
        checkout.begin_payment(**args, checkout_key=key, context=lossy)
    order = f.load(ctx.engine, _only_code(ctx))
    assert order.payment_intent_id is None
    found = ctx.gateway.find_payment_intent(order_code=order.code)
    assert found is not None and found.metadata["order_code"] == order.code
    start = checkout.begin_payment(**args, checkout_key=key, context=ctx)
    assert start.order_code == order.code and start.client_secret.startswith(found.id)
    pis = [
        pi
        for pi in ctx.gateway.client.v1.payment_intents.list(params={"limit": 100}).data
        if pi.metadata and pi.metadata.to_dict().get("order_code") == order.code
    ]
    assert len(pis) == 1


def _only_code(ctx):
    from marketplace.models import Order

    with Session(ctx.engine) as session:
        return session.exec(select(Order.code)).one()


def test_the_worker_pass_fires_timers_and_pays_waiting_sellers(ctx):
    import threading

    from marketplace.services.orders import worker as order_worker

    c = f.cast(ctx.engine, ctx, payouts=False)
    code = f.walk_to(ctx, c, "delivered")
    ctx.now.advance(days=3, minutes=1)
    lines: list[str] = []
    order_worker.run_order_worker(ctx, stop_event=threading.Event(), say=lines.append, once=True)
    assert any("auto_complete ×1" in line for line in lines), lines
    assert f.load(ctx.engine, code).status == "completed"
    assert "release" not in f.ledger_sums(ctx.engine, code)  # payouts not enabled yet


@pytest.mark.parametrize("path", ["webhook", "reconcile"])
def test_a_hold_recorded_by_the_webhook_or_reconcile_starts_an_order_with_nothing_to_ask(ctx, path):
    """Issue 23: "start at once when the gig has no requirements" ran only in checkout, so a
    hold recorded by the webhook (the buyer closed the tab after Stripe.js confirmed) or by
    reconcile left the order waiting for requirements that do not exist."""
    c = f.cast(ctx.engine, ctx, requirements=False)
    start = checkout.begin_payment(
        actor=c.buyer, gig_slug=c.gig.slug, tier="basic", extra_ids=[], quantity=1,
        checkout_key=f.checkout_key(), context=ctx,
    )  # fmt: skip
    f.browser_confirms(ctx, start)  # the card is held; the page never calls confirm_payment
    code = start.order_code
    if path == "webhook":
        pi = f.stripe_client(ctx).v1.payment_intents.retrieve(
            start.client_secret.split("_secret_")[0]
        )
        event = {
            "id": f"evt_{code}_held",
            "object": "event",
            "type": "payment_intent.amount_capturable_updated",
            "data": {"object": pi.to_dict()},
        }
        assert webhooks.handle(*f.signed_event(ctx, event), context=ctx) == "reconciled"
    else:
        reconcile.reconcile(context=ctx)
    order = f.load(ctx.engine, code)
    assert order.status == "in_progress" and order.due_at is not None
    assert ctx.gateway.retrieve_payment_intent(order.payment_intent_id).status == "succeeded"
    assert [e[0] for e in events(ctx, code)] == ["place", "pay", "submit_requirements"]
    sums = f.assert_money_consistent(ctx, code)
    assert sums["capture"] == sums["hold"] == order.total_cents


def test_deleting_an_account_cancels_its_unpaid_checkout_and_voids_the_hold(ctx, c):
    """Issue 23: an unpaid checkout blocked deletion although no list shows it. Now it does not
    block, and deleting the account cancels it and releases a hold the buyer's browser had
    already authorised but the marketplace had not recorded: no money is lost."""
    paid = f.place_and_pay(ctx, c)
    start = checkout.begin_payment(
        actor=c.buyer, gig_slug=c.gig.slug, tier="basic", extra_ids=[], quantity=1,
        checkout_key=f.checkout_key(), context=ctx,
    )  # fmt: skip
    f.browser_confirms(ctx, start)  # held on the card; the tab was closed before confirming
    with pytest.raises(leaving.DeletionRefused, match="1 open order"):  # the paid one only
        leaving.close_account(actor=c.buyer, password="", context=ctx)
    f.act(ctx, paid, "cancel_unstarted", c.buyer, {"message": "Changed my mind"})

    leaving.close_account(actor=c.buyer, password="", context=ctx)
    order = f.load(ctx.engine, start.order_code)
    assert order.status == "cancelled"
    assert ctx.gateway.retrieve_payment_intent(order.payment_intent_id).status == "canceled"
    sums = f.assert_money_consistent(ctx, start.order_code)
    assert sums["void"] == sums["hold"] == order.total_cents and "capture" not in sums
    with Session(ctx.engine) as session:
        assert session.get(User, c.buyer.id).deleted_at is not None


def test_a_revision_delivery_is_told_apart_from_the_first_delivery(ctx, c):
    """Issue 23: a delivery and its revision delivery made two identical "Delivered · GW-…"
    notifications (and timeline lines)."""
    code = f.walk_to(ctx, c, "delivered")
    f.act(ctx, code, "request_revision", c.buyer, {"message": "Bigger, please"})
    f.act(ctx, code, "deliver", c.seller, {"message": "Bigger now", "files": []})
    with Session(ctx.engine) as session:
        told = session.exec(
            select(Notification.title)
            .where(Notification.user_id == c.buyer.id, Notification.kind == "order.deliver")
            .order_by(Notification.id)
        ).all()
        page = views.order_page(session, code=code, viewer=c.buyer)
    assert told == [f"Delivered · {code}", f"Revision delivered · {code}"]
    labels = [e.label for e in page.events]
    assert labels.count("Delivered") == 1 and labels.count("Revision delivered") == 1


def test_checkout_refuses_an_extra_the_package_already_includes(ctx, c):
    """Issue 23: the same "Social media kit" was sold as a feature of Premium and as an extra."""
    with Session(ctx.engine) as session:
        premium = session.exec(
            select(GigPackage).where(GigPackage.gig_id == c.gig.id, GigPackage.tier == "premium")
        ).one()
        premium.features = [*premium.features, "Social media kit"]
        session.add(premium)
        kit = session.exec(
            select(GigExtra).where(
                GigExtra.gig_id == c.gig.id, GigExtra.title == "Social media kit"
            )
        ).one()
        session.commit()
        offered = checkout.quote(
            session, gig_slug=c.gig.slug, tier="premium", extra_ids=[], quantity=1, viewer=c.buyer
        ).extras
        assert "Social media kit" not in [e.title for e in offered]
    with pytest.raises(DomainError, match="already includes “Social media kit”"):
        checkout.begin_payment(
            actor=c.buyer, gig_slug=c.gig.slug, tier="premium", extra_ids=[kit.id], quantity=1,
            checkout_key=f.checkout_key(), context=ctx,
        )  # fmt: skip
    assert f.place_and_pay(ctx, c, tier="standard", extra_ids=[kit.id])  # not included there


def test_checkout_and_a_custom_offer_place_orders_with_the_shared_fields(ctx, c):
    """Issue 23: one `place_order` for packages, custom offers and the seeder (whose orders
    tests/integration/test_seed.py checks the same way)."""
    from marketplace.models import CustomOffer, GigExtra, GigPackage
    from marketplace.services.orders import placing
    from marketplace.settings import get_settings
    from tests.integration.test_offer_checkout import an_offer, buy

    fees = dict(
        buyer_fee_bps=get_settings().buyer_fee_bps,
        seller_commission_bps=get_settings().seller_commission_bps,
    )
    with Session(ctx.engine) as session:
        kit = session.exec(select(GigExtra).where(GigExtra.gig_id == c.gig.id)).all()[-1]
    code = f.place_and_pay(ctx, c, tier="standard", extra_ids=[kit.id], quantity=2)
    offer_code = buy(ctx, c, an_offer(ctx, c)).order_code
    with Session(ctx.engine) as session:
        order, offered = f.load(ctx.engine, code), f.load(ctx.engine, offer_code)
        standard = session.exec(
            select(GigPackage).where(GigPackage.gig_id == c.gig.id, GigPackage.tier == "standard")
        ).one()
        expected = placing.package_terms(
            standard, [session.get(GigExtra, kit.id)], quantity=2, **fees
        )
        expected_offer = placing.offer_terms(
            session.get(CustomOffer, offered.custom_offer_id), **fees
        )
        placed = session.exec(
            select(OrderEvent.transition).where(OrderEvent.order_id == offered.id)
        ).all()
    assert {name: getattr(order, name) for name in expected} == expected
    assert {name: getattr(offered, name) for name in expected_offer} == expected_offer
    assert placed == ["place"] and order.code != offered.code
