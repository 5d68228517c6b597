"""A custom offer is bought through the real checkout (local Stripe server): the order records
the offer and its price, the offer is accepted once, and a withdrawn, expired or already
bought offer cannot be bought again, also not by replaying the checkout."""

import pytest
from sqlmodel import Session, select

from marketplace.models import CustomOffer, OfferStatus, Order
from marketplace.services.common.errors import DomainError
from marketplace.services.messaging import conversations, offers
from marketplace.services.orders import checkout
from tests import order_fixtures as f

stripe_server, ctx, c = f.stripe_server, f.ctx, f.c


def an_offer(ctx, c, **over) -> int:
    values = dict(
        gig_id=c.gig.id, description="Two logo concepts and a brand sheet",
        price_cents=15_000, delivery_days=5, revisions=2, expiry_days=3,
    )  # fmt: skip
    values.update(over)
    with Session(ctx.engine, expire_on_commit=False) as session:
        thread = conversations.open_with(session, actor=c.buyer, other_user_id=c.seller.id)
        offer = offers.send_offer(
            session, actor=c.seller, conversation_id=thread.id,
            draft=offers.OfferDraft(**values), now=ctx.now(),
        )  # fmt: skip
        session.commit()
    return offer.id


def buy(ctx, c, offer_id: int, key: str | None = None) -> checkout.PaymentStart:
    return checkout.begin_payment(
        actor=c.buyer, gig_slug="", tier="", extra_ids=[], quantity=1,
        checkout_key=key or f.checkout_key(), context=ctx, offer_id=offer_id,
    )  # fmt: skip


def test_the_order_records_the_offer_and_its_price(ctx, c):
    offer_id = an_offer(ctx, c)
    start = buy(ctx, c, offer_id)
    f.browser_confirms(ctx, start)
    assert (
        checkout.confirm_payment(actor=c.buyer, order_code=start.order_code, context=ctx).status
        == "held"
    )
    with Session(ctx.engine) as session:
        order = session.exec(select(Order).where(Order.code == start.order_code)).one()
        offer = session.get(CustomOffer, offer_id)
        assert order.custom_offer_id == offer_id and offer.status == OfferStatus.accepted
        assert order.subtotal_cents == 15_000 and order.total_cents == 15_825  # + 5.5 % fee
        assert (order.delivery_days, order.revisions_allowed) == (5, 2)
        assert order.seller_id == c.seller.id and order.extras_snapshot == []
    # A replayed checkout of the offer (a new key) finds the same order: nothing is bought twice.
    with pytest.raises(DomainError, match="already paid"):
        buy(ctx, c, offer_id)
    with Session(ctx.engine) as session:
        assert len(session.exec(select(Order).where(Order.custom_offer_id == offer_id)).all()) == 1


def test_a_reloaded_offer_checkout_reuses_the_unpaid_order(ctx, c):
    offer_id = an_offer(ctx, c)
    first = buy(ctx, c, offer_id)
    assert buy(ctx, c, offer_id).order_code == first.order_code


def test_a_withdrawn_offer_cannot_be_bought(ctx, c):
    offer_id = an_offer(ctx, c)
    with Session(ctx.engine) as session:
        offers.withdraw(session, actor=c.seller, offer_id=offer_id)
        session.commit()
    with pytest.raises(DomainError, match="withdrew"):
        buy(ctx, c, offer_id)
    with Session(ctx.engine) as session:
        assert session.exec(select(Order).where(Order.custom_offer_id == offer_id)).all() == []


def test_an_expired_offer_cannot_be_bought(ctx, c):
    offer_id = an_offer(ctx, c, expiry_days=1)
    ctx.now.advance(days=1, minutes=1)
    with pytest.raises(DomainError, match="expired"):
        buy(ctx, c, offer_id)


def test_only_the_offer_s_buyer_can_buy_it(ctx, c):
    offer_id = an_offer(ctx, c)
    with pytest.raises(DomainError):
        checkout.begin_payment(
            actor=c.admin, gig_slug="", tier="", extra_ids=[], quantity=1,
            checkout_key=f.checkout_key(), context=ctx, offer_id=offer_id,
        )  # fmt: skip
