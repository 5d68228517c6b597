"""Builders for the order tests: a database, the real local Stripe server, a context, a gig, and
the browser's side of paying (what Stripe.js does: POST the typed card to the local server)."""

import itertools
import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from devservices.process import free_port
from devservices.stripe_server import StripeServer
from marketplace.db import make_engine
from marketplace.models import FreelancerProfile, Gig, GigRequirement, Order, User
from marketplace.payments.gateway import StripeGateway
from marketplace.services.orders import checkout
from marketplace.services.orders import executor as orders
from marketplace.services.orders.executor import Context
from marketplace.settings import load_settings
from tests.gig_fixtures import make_categories, make_user, published_gig

CARD_OK = "4242424242424242"
CARD_DECLINED = "4000000000000341"
CARD_3DS = "4000002500003155"
_keys = itertools.count(1)


class Clock:
    """A clock the test moves forward (timed transitions), starting at the real now."""

    def __init__(self):
        self.at = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta) -> None:
        self.at += timedelta(**delta)


def sqlite_engine(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    return engine


def context(engine: Engine, stripe: StripeServer, data_dir: Path, **env) -> Context:
    settings = load_settings(
        {"GIGWORKS_DATA_DIR": str(data_dir), "STRIPE_API_BASE": stripe.url, **env}
    )
    return Context(
        engine=engine,
        gateway=StripeGateway.from_settings(settings),
        settings=settings,
        now=Clock(),
    )


@dataclass
class Cast:
    buyer: User
    seller: User
    admin: User
    gig: Gig


def cast(engine: Engine, ctx: Context, *, payouts: bool = True, requirements: bool = True) -> Cast:
    """A buyer, a seller with (or without) payouts enabled, an admin and the seller's gig."""
    with Session(engine, expire_on_commit=False) as session:
        buyer = make_user(session, "buyer")
        seller = make_user(session, "seller", seller=True)
        admin = make_user(session, "admin", admin=True)
        _, sub = make_categories(session)
        gig = published_gig(session, seller, sub)
        if not requirements:
            for row in session.exec(
                select(GigRequirement).where(GigRequirement.gig_id == gig.id)
            ).all():
                session.delete(row)
        profile = session.exec(
            select(FreelancerProfile).where(FreelancerProfile.user_id == seller.id)
        ).one()
        account = ctx.gateway.create_express_account(
            email=seller.email, country="US", idempotency_key=f"acct-{secrets.token_hex(8)}"
        )
        profile.stripe_account_id = account.id
        profile.payouts_enabled = True
        session.add(profile)
        session.commit()
        for user in (buyer, seller, admin):
            session.refresh(user)
        session.refresh(gig)
    if not payouts:
        set_onboarded(ctx, account.id, False)
        with Session(engine) as session:
            profile = session.exec(
                select(FreelancerProfile).where(FreelancerProfile.user_id == seller.id)
            ).one()
            profile.payouts_enabled = False
            session.add(profile)
            session.commit()
    return Cast(buyer, seller, admin, gig)


def set_onboarded(ctx: Context, account_id: str, onboarded: bool) -> None:
    base = ctx.settings.stripe_api_base
    httpx.post(
        f"{base}/_config/accounts/{account_id}", data={"onboarded": str(onboarded).lower()}
    ).raise_for_status()


def browser_confirms(ctx: Context, start: checkout.PaymentStart, number: str = CARD_OK) -> dict:
    """What Stripe.js's confirmCardPayment does with the card the buyer typed."""
    pi_id = start.client_secret.split("_secret_")[0]
    body = {
        "key": start.publishable_key,
        "client_secret": start.client_secret,
        "card": {"number": number, "exp_month": "12", "exp_year": "2034", "cvc": "123"},
    }
    url = f"{ctx.settings.stripe_api_base}/v1/payment_intents/{pi_id}/_confirm_card"
    return httpx.post(url, content=json.dumps(body)).json()


def checkout_key() -> str:
    return f"test-checkout-{next(_keys):06d}-{secrets.token_hex(6)}"


def place_and_pay(ctx: Context, c: Cast, *, tier: str = "basic", extra_ids=(), quantity=1):
    """Checkout with the test card; returns the order code (order awaiting requirements)."""
    start = checkout.begin_payment(
        actor=c.buyer, gig_slug=c.gig.slug, tier=tier, extra_ids=list(extra_ids),
        quantity=quantity, checkout_key=checkout_key(), context=ctx,
    )  # fmt: skip
    browser_confirms(ctx, start)
    outcome = checkout.confirm_payment(actor=c.buyer, order_code=start.order_code, context=ctx)
    assert outcome.status == "held", outcome
    return start.order_code


def answers(engine: Engine, gig_id: int) -> dict:
    with Session(engine) as session:
        rows = session.exec(select(GigRequirement).where(GigRequirement.gig_id == gig_id)).all()
    return {
        "answers": [
            {"requirement_id": r.id, "answer": r.choices[0] if r.choices else "Acme Ltd"}
            for r in rows
        ]
    }


def load(engine: Engine, code: str) -> Order:
    with Session(engine, expire_on_commit=False) as session:
        return session.exec(select(Order).where(Order.code == code)).one()


def act(ctx: Context, code: str, action: str, actor: User | None, payload=None, **kw) -> Order:
    """The executor itself (these tests are about it): an admin's step is marked as coming
    from the moderation service, which is the only caller that passes `moderated` in the app."""
    kw.setdefault("moderated", bool(actor is not None and actor.is_admin))
    return orders.perform(
        order_code=code, action=action, actor=actor, payload=payload, context=ctx, **kw
    )


def stripe_client(ctx: Context):
    return ctx.gateway.client


def ledger_sums(engine: Engine, code: str) -> dict[str, int]:
    from marketplace.models import LedgerEntry

    with Session(engine) as session:
        order = session.exec(select(Order).where(Order.code == code)).one()
        rows = session.exec(select(LedgerEntry).where(LedgerEntry.order_id == order.id)).all()
    sums: dict[str, int] = {}
    for row in rows:
        sums[row.kind] = sums.get(row.kind, 0) + row.amount_cents
    sums["_releases"] = sum(1 for r in rows if r.kind == "release")
    return sums


def assert_money_consistent(ctx: Context, code: str) -> dict[str, int]:
    """The escrow invariants for one order, checked against Stripe's own objects (read with the
    SDK directly, not through the code under test)."""
    order = load(ctx.engine, code)
    s = ledger_sums(ctx.engine, code)
    client = stripe_client(ctx)
    captured = s.get("capture", 0)
    refunded = s.get("refund", 0)
    transferred = s.get("release", 0) - s.get("reversal", 0)
    platform = s.get("commission", 0)
    still_held = captured - refunded - transferred - platform
    assert min(captured, refunded, transferred, platform, still_held) >= 0, s
    assert s["_releases"] <= 1
    owed = order.payout_cents or 0
    if order.status in ("completed", "cancelled") and captured:
        assert still_held == (0 if s.get("release") else owed), (s, owed)
    if order.payment_intent_id:
        pi = client.v1.payment_intents.retrieve(
            order.payment_intent_id, params={"expand": ["latest_charge"]}
        )
        charge = pi.latest_charge
        stripe_captured = charge.amount_captured if charge and charge.captured else 0
        assert captured == stripe_captured, (s, pi.status)
        assert refunded == (charge.amount_refunded if charge else 0)
        if pi.status == "canceled":
            assert s.get("void", 0) == s.get("hold", 0)
        if pi.status in ("requires_capture", "succeeded") and order.status != "pending_payment":
            # (a pending order may not have heard of its hold yet: confirm, webhook, reconcile)
            assert s.get("hold") == pi.amount
        transfers = client.v1.transfers.list(params={"transfer_group": code}).data
        stripe_transferred = sum(t.amount - (t.amount_reversed or 0) for t in transfers)
        assert transferred == stripe_transferred, (s, [t.id for t in transfers])
    return s


@pytest.fixture(scope="module")
def stripe_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StripeServer]:
    """The local Stripe server (localstripe + Connect extension), one per test module."""
    directory: Path = tmp_path_factory.mktemp("stripe-orders")
    server = StripeServer(
        port=free_port(), state_file=directory / "state.pickle", log_path=directory / "stripe.log"
    )
    with server:
        yield server


@pytest.fixture
def ctx(stripe_server, tmp_path):
    """A context on a fresh SQLite database and the module's Stripe server."""
    engine = sqlite_engine(tmp_path / "orders.db")
    yield context(engine, stripe_server, tmp_path)
    engine.dispose()


@pytest.fixture
def c(ctx):
    return cast(ctx.engine, ctx)


def walk_to(ctx: Context, c: Cast, status: str, **pay) -> str:
    """A paid order moved along the happy path until it is in `status`."""
    code = place_and_pay(ctx, c, **pay)
    steps = [
        ("awaiting_requirements", None, None, None),
        ("in_progress", "submit_requirements", c.buyer, answers(ctx.engine, c.gig.id)),
        ("delivered", "deliver", c.seller, {"message": "Done", "files": []}),
        ("completed", "accept", c.buyer, None),
    ]
    for state, action, actor, payload in steps:
        if action:
            act(ctx, code, action, actor, payload)
        if state == status:
            return code
    raise ValueError(status)


def signed_event(ctx: Context, event: dict, secret: str | None = None) -> tuple[bytes, str]:
    """A webhook body and its Stripe-Signature header, signed as Stripe signs them."""
    import hashlib
    import hmac
    import time

    payload = json.dumps(event).encode()
    stamp = int(time.time())
    key = (secret or ctx.settings.stripe_webhook_secret).encode()
    mac = hmac.new(key, f"{stamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, f"t={stamp},v1={mac}"


class FaultyGateway(StripeGateway):
    """A FAULT INJECTOR around the real gateway (not a mock: every call that is not refused
    reaches the real local Stripe server). `faults` is consumed one per POST:
    None = fine, "5xx" = fails before reaching Stripe (unknown outcome), "refuse" = a definite
    refusal, "timeout_after" = Stripe did it but the answer was lost."""

    POSTS = (
        "create_payment_intent",
        "capture_payment_intent",
        "cancel_payment_intent",
        "create_refund",
        "create_transfer",
        "reverse_transfer",
    )

    def __init__(self, real: StripeGateway):
        super().__init__(real.client)
        self.faults: list[str | None] = []
        self.calls: list[str] = []

    def __getattribute__(self, name):
        attr = super().__getattribute__(name)
        if name not in FaultyGateway.POSTS:
            return attr

        def call(*args, **kwargs):
            from marketplace.payments.gateway import PaymentProviderError

            fault = self.faults.pop(0) if self.faults else None
            self.calls.append(f"{name}:{fault}")
            if fault == "5xx":
                raise PaymentProviderError("Stripe answered 500", retryable=True)
            if fault == "refuse":
                raise PaymentProviderError("Stripe refused", retryable=False)
            result = attr(*args, **kwargs)
            if fault == "timeout_after":
                raise PaymentProviderError("read timed out", retryable=True)
            return result

        return call
