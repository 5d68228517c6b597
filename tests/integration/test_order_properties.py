"""Random sequences of buyer, seller, admin, worker and webhook actions, with Stripe failures
injected, keep every escrow invariant (hypothesis, against the real local Stripe server)."""

import dataclasses
import os

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from marketplace.services.common.errors import DomainError
from marketplace.services.orders import checkout, process, reconcile, webhooks
from marketplace.services.orders import executor as orders
from tests import order_fixtures as f

stripe_server = f.stripe_server

USER_ACTIONS = [t.name for t in process.TRANSITIONS if t.after is None]
FAULTS = st.sampled_from([None, None, None, "5xx", "refuse", "timeout_after"])
# (who, action, faults, refund amount, steer): a steered user step (3 in 4) takes one of the
# actions the order allows that role now, so sequences get deep; the rest try anything.
STEP = st.one_of(
    st.tuples(
        st.sampled_from(["buyer", "seller", "admin"]),
        st.sampled_from(USER_ACTIONS),
        st.lists(FAULTS, max_size=2),
        st.integers(1, 1_999),
        st.integers(0, 99),
    ),
    st.tuples(
        st.just("worker"),
        st.sampled_from([1, 2, 4]),
        st.lists(FAULTS, max_size=2),
        st.just(0),
        st.just(0),
    ),  # fmt: skip
    st.tuples(st.just("webhook"), st.just(0), st.just([]), st.just(0), st.just(0)),
)


def payload_for(ctx, c, t: process.Transition, amount: int) -> dict | None:
    if t.input == "requirements":
        return f.answers(ctx.engine, c.gig.id)
    if t.input == "delivery":
        return {"message": "Delivered files", "files": []}
    if t.input in ("message", "reason"):
        return {"message": "Because of reasons"}
    if t.input == "amount":
        return {"refund_cents": amount, "message": "Split"}
    return None


def check(ctx, code, *, settled: bool):
    order = f.load(ctx.engine, code)
    sums = f.ledger_sums(ctx.engine, code)
    assert all(v >= 0 for v in sums.values())
    assert sums["_releases"] <= 1
    if settled or order.pending_action is None:
        f.assert_money_consistent(ctx, code)


@settings(
    max_examples=int(os.environ.get("ORDER_PROPERTY_EXAMPLES", "10")),  # more: set it higher
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking against Stripe is slow
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    declined_first=st.booleans(),
    payouts=st.booleans(),
    steps=st.lists(STEP, min_size=3, max_size=16),
)
def test_random_actions_with_stripe_failures_keep_the_money_consistent(
    stripe_server, tmp_path_factory, declined_first, payouts, steps
):
    tmp = tmp_path_factory.mktemp("prop")
    engine = f.sqlite_engine(tmp / "p.db")
    real = f.context(engine, stripe_server, tmp)
    faulty = f.FaultyGateway(real.gateway)
    ctx = dataclasses.replace(real, gateway=faulty)
    c = f.cast(engine, real, payouts=payouts)
    start = checkout.begin_payment(
        actor=c.buyer, gig_slug=c.gig.slug, tier="basic", extra_ids=[], quantity=1,
        checkout_key=f.checkout_key(), context=ctx,
    )  # fmt: skip
    code = start.order_code
    if declined_first:
        f.browser_confirms(ctx, start, f.CARD_DECLINED)
        assert checkout.confirm_payment(actor=c.buyer, order_code=code, context=ctx).status == (
            "declined"
        )
    f.browser_confirms(ctx, start, f.CARD_OK)
    actors = {"buyer": c.buyer, "seller": c.seller, "admin": c.admin}

    for who, what, faults, amount, steer in steps:
        if who in actors and steer < 75:
            order = f.load(engine, code)
            allowed = [
                a.name for a in orders.available_actions(None, order=order, actor=actors[who])
            ]
            if allowed:
                what = allowed[steer % len(allowed)]
        faulty.faults = list(faults)
        try:
            if who == "worker":
                ctx.now.advance(days=what)
                orders.run_due(context=ctx)
                orders.resume_stale_claims(context=ctx)
                orders.pay_out_pending(context=ctx)
            elif who == "webhook":
                pi = real.gateway.client.v1.payment_intents.retrieve(
                    start.client_secret.split("_secret_")[0]
                )
                event = {
                    "id": f"evt_{code}_{len(faulty.calls)}_{ctx.now().timestamp()}",
                    "object": "event",
                    "type": "payment_intent.amount_capturable_updated",
                    "data": {"object": pi.to_dict()},
                }
                webhooks.handle(*f.signed_event(ctx, event), context=ctx)
            else:
                t = process.transition(what)
                if what == "pay":
                    checkout.confirm_payment(actor=c.buyer, order_code=code, context=ctx)
                else:
                    payload = payload_for(ctx, c, t, amount)
                    f.act(ctx, code, what, actors[who], payload)
        except DomainError:
            pass
        faulty.faults = []
        check(ctx, code, settled=False)

    # Whatever happened, the worker and reconcile (Stripe healthy again) settle everything.
    ctx.now.advance(minutes=5)
    orders.resume_stale_claims(context=real)
    report = reconcile.reconcile(context=dataclasses.replace(real, now=ctx.now))
    assert report.problems == [], report.lines()
    assert f.load(engine, code).pending_action is None
    check(real, code, settled=True)
    engine.dispose()


def test_reconcile_reports_nothing_on_a_clean_history(stripe_server, tmp_path):
    engine = f.sqlite_engine(tmp_path / "r.db")
    ctx = f.context(engine, stripe_server, tmp_path)
    c = f.cast(engine, ctx)
    f.walk_to(ctx, c, "completed")
    report = reconcile.reconcile(context=ctx)
    assert report.checked == 1 and report.repaired == [] and report.problems == []


def test_the_reconcile_and_order_process_commands(stripe_server, tmp_path, monkeypatch, capsys):
    from marketplace import cli, db
    from marketplace import settings as settings_module
    from marketplace.services.orders.process import mermaid

    engine = f.sqlite_engine(tmp_path / "cli.db")
    ctx = f.context(engine, stripe_server, tmp_path)
    c = f.cast(engine, ctx)
    code = f.walk_to(ctx, c, "delivered")
    for name, value in {
        "GIGWORKS_DATA_DIR": str(tmp_path),
        "DATABASE_URL": str(engine.url),
        "STRIPE_API_BASE": stripe_server.url,
    }.items():
        monkeypatch.setenv(name, value)
    settings_module.get_settings.cache_clear()
    db.get_engine.cache_clear()
    try:
        assert cli.main(["order-process"]) == 0
        assert capsys.readouterr().out == mermaid()
        assert cli.main(["reconcile"]) == 0
        assert capsys.readouterr().out.startswith("checked 1 order: 0 repaired, 0 problems")
        # Money moved behind the ledger's back is reported, not hidden.
        order = f.load(engine, code)
        ctx.gateway.create_refund(
            payment_intent_id=order.payment_intent_id, amount_cents=100, order_code=code,
            step="manual", idempotency_key=f"manual-{code}",
        )  # fmt: skip
        assert cli.main(["reconcile"]) == 1
        assert "PROBLEM: " + code in capsys.readouterr().out
    finally:
        db.get_engine.cache_clear()
        settings_module.get_settings.cache_clear()
        engine.dispose()
