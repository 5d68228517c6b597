"""Checkout: the quote, the order and its card hold, and confirming the hold with Stripe.

The card never touches our server: `begin_payment` creates the order (pending_payment) and a
manual-capture PaymentIntent, the page confirms it with Stripe.js, and `confirm_payment` asks
Stripe what happened (never the browser). One order per (buyer, checkout_key): the page makes the
key when it loads, so a double click, a reload or a retry returns the same order and the same
PaymentIntent (whose creation carries an idempotency key derived from the order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from marketplace.db import session_scope
from marketplace.models import (
    CustomOffer,
    Gig,
    GigExtra,
    GigPackage,
    GigRequirement,
    GigStatus,
    Order,
    OrderStatus,
    User,
)
from marketplace.payments.gateway import PaymentProviderError
from marketplace.services.accounts import tokens as account_tokens
from marketplace.services.common.errors import DomainError, NotFound
from marketplace.services.common.guards import require_active_user
from marketplace.services.gigs.actions import gallery
from marketplace.services.messaging import offers
from marketplace.services.orders import executor as orders
from marketplace.services.orders import placing, pricing
from marketplace.services.orders.pricing import MAX_QUANTITY, Price
from marketplace.settings import get_settings

CHECKOUT_KEY_MAX = 64


@dataclass(frozen=True)
class QuoteExtra:
    id: int
    title: str
    description: str
    price_cents: int
    extra_days: int
    chosen: bool


@dataclass(frozen=True)
class CheckoutQuote:
    gig_id: int
    gig_slug: str
    gig_title: str
    cover_path: str  # stored image name ("" without images)
    seller_name: str
    seller_username: str
    tier: str
    package_name: str
    package_description: str
    package_features: list[str]
    extras: list[QuoteExtra]
    quantity: int
    price: Price
    currency: str
    requirements_count: int
    # Stripe.js for the page's card element, which is shown before any order exists.
    publishable_key: str = ""
    stripe_js_url: str = ""
    test_mode: bool = False
    offer_id: int = 0  # a custom offer's checkout (messaging)


@dataclass(frozen=True)
class PaymentStart:
    order_code: str
    client_secret: str
    publishable_key: str
    total_cents: int
    currency: str
    stripe_js_url: str
    test_mode: bool


@dataclass(frozen=True)
class PaymentOutcome:
    status: str  # "held" | "requires_action" | "declined" | "processing"
    message: str


def _quote_parts(
    session: Session, *, gig_slug: str, tier: str, extra_ids: Sequence[int], quantity: int,
    viewer: User | None,
) -> tuple[CheckoutQuote, Gig, GigPackage, list[GigExtra]]:  # fmt: skip
    settings = get_settings()
    gig = session.exec(select(Gig).where(Gig.slug == str(gig_slug or ""))).first()
    if gig is None or gig.status != GigStatus.active or gig.deleted_at is not None:
        raise NotFound("This gig is not available.")
    if viewer is not None and viewer.id == gig.seller_id:
        raise DomainError("You can't order your own gig.")
    package = session.exec(
        select(GigPackage).where(GigPackage.gig_id == gig.id, GigPackage.tier == str(tier or ""))
    ).first()
    if package is None:
        raise NotFound("This package is not available.")
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise DomainError(f"Choose a quantity between 1 and {MAX_QUANTITY}.")
    wanted = {i for i in extra_ids or () if isinstance(i, int) and not isinstance(i, bool)}
    all_extras = session.exec(
        select(GigExtra)
        .where(GigExtra.gig_id == gig.id)
        .order_by(col(GigExtra.position), col(GigExtra.id))
    ).all()
    chosen = [e for e in all_extras if e.id in wanted]
    price = placing.package_price(
        package, chosen, quantity=quantity, buyer_fee_bps=settings.buyer_fee_bps,
        seller_commission_bps=settings.seller_commission_bps,
    )  # fmt: skip
    # The extras offered with this package: not the ones it already includes.
    offered = [e for e in all_extras if not pricing.included_in(package.features, e.title)]
    quote = CheckoutQuote(
        **_gig_and_payment_fields(session, gig, seller_id=gig.seller_id, settings=settings),
        tier=package.tier,
        package_name=package.name,
        package_description=package.description,
        package_features=list(package.features),
        extras=[
            QuoteExtra(
                id=e.id,
                title=e.title,
                description=e.description,
                price_cents=e.price_cents,
                extra_days=e.extra_days,
                chosen=e.id in wanted,
            )
            for e in offered
        ],
        quantity=quantity,
        price=price,
        test_mode=settings.stripe_is_local,
    )
    return quote, gig, package, chosen


def _gig_and_payment_fields(session: Session, gig: Gig, *, seller_id: int, settings) -> dict:
    """What a package's quote and a custom offer's quote both show: the gig, its seller and
    cover, how many requirements follow payment, and how Stripe.js is reached."""
    seller = session.get(User, seller_id)
    images = gallery(session, gig_id=gig.id)
    requirements = session.exec(
        select(GigRequirement.id).where(GigRequirement.gig_id == gig.id)
    ).all()
    return {
        "gig_id": gig.id,
        "gig_slug": gig.slug,
        "gig_title": gig.title,
        "cover_path": images[0].name if images else "",
        "seller_name": seller.display_name if seller else "",
        "seller_username": seller.username if seller else "",
        "currency": settings.currency,
        "requirements_count": len(requirements),
        "publishable_key": settings.stripe_publishable_key,
        "stripe_js_url": _stripe_js_url(settings),
    }


def quote(
    session: Session,
    *,
    gig_slug: str,
    tier: str,
    extra_ids: Sequence[int],
    quantity: int,
    viewer: User | None,
) -> CheckoutQuote:
    """What the buyer is about to order and pay; unknown extra ids are dropped."""
    return _quote_parts(
        session, gig_slug=gig_slug, tier=tier, extra_ids=extra_ids, quantity=quantity,
        viewer=viewer,
    )[0]  # fmt: skip


# --- custom offers (messaging): the same checkout, priced from the offer ------------------------


def _offer_parts(
    session: Session, *, offer_id: object, viewer: User | None, now=None
) -> tuple[CheckoutQuote, Gig, CustomOffer]:
    """The quote of a custom offer the viewer may still accept (offers.acceptable checks)."""
    settings = get_settings()
    offer = offers.acceptable(session, actor=viewer, offer_id=offer_id, now=now)
    gig = session.get(Gig, offer.gig_id) if offer.gig_id else None
    if gig is None or gig.status != GigStatus.active or gig.deleted_at is not None:
        raise NotFound("The gig of this offer is no longer available.")
    price = placing.offer_price(
        offer, buyer_fee_bps=settings.buyer_fee_bps,
        seller_commission_bps=settings.seller_commission_bps,
    )  # fmt: skip
    quote = CheckoutQuote(
        **_gig_and_payment_fields(session, gig, seller_id=offer.seller_id, settings=settings),
        tier="custom",
        package_name="Custom offer",
        package_description=offer.description,
        package_features=[offer.requirements] if offer.requirements else [],
        extras=[],
        quantity=1,
        price=price,
        test_mode=settings.stripe_is_local,
        offer_id=offer.id,
    )
    return quote, gig, offer


def offer_quote(session: Session, *, offer_id: object, viewer: User | None) -> CheckoutQuote:
    """What the buyer pays for a custom offer (refused once it is withdrawn or expired)."""
    return _offer_parts(session, offer_id=offer_id, viewer=viewer)[0]


def _offer_order(session: Session, buyer: User, offer_id: object, key: str, now) -> Order:
    """The order of an accepted offer: the one already made for it (a retry from a reloaded
    page), or a new one, made in the same transaction that marks the offer accepted, so an
    offer is bought once and a withdrawn or expired one never."""
    if isinstance(offer_id, int) and not isinstance(offer_id, bool):
        earlier = session.exec(
            select(Order).where(Order.custom_offer_id == offer_id, Order.buyer_id == buyer.id)
        ).first()
        if earlier is not None:
            return earlier
    q, gig, offer = _offer_parts(session, offer_id=offer_id, viewer=buyer, now=now)
    settings = get_settings()
    terms = placing.offer_terms(
        offer, buyer_fee_bps=settings.buyer_fee_bps,
        seller_commission_bps=settings.seller_commission_bps,
    )  # fmt: skip
    order = placing.place_order(
        session,
        placing.order_row(
            terms=terms, code=_new_code(session), gig_id=gig.id, title=gig.title,
            buyer_id=buyer.id, seller_id=offer.seller_id, currency=q.currency, now=now,
            checkout_key=key, custom_offer_id=offer.id,
        ),
    )  # fmt: skip
    offers.mark_accepted(session, offer=offer, now=now)
    return order


def _new_code(session: Session) -> str:
    while True:
        code = placing.order_code()
        if session.exec(select(Order.id).where(Order.code == code)).first() is None:
            return code


def _existing(session: Session, buyer_id: int, checkout_key: str) -> Order | None:
    return session.exec(
        select(Order).where(Order.buyer_id == buyer_id, Order.checkout_key == checkout_key)
    ).first()


def _stripe_js_url(settings) -> str:
    """The local Stripe server's fake Stripe.js under the local key, else the real one."""
    if settings.stripe_is_local:
        return f"{settings.stripe_api_base}/js.stripe.com/v3/"
    return "https://js.stripe.com/v3/"


def _start(order: Order, client_secret: str, settings) -> PaymentStart:
    js = _stripe_js_url(settings)
    return PaymentStart(
        order_code=order.code,
        client_secret=client_secret,
        publishable_key=settings.stripe_publishable_key,
        total_cents=order.total_cents,
        currency=order.currency,
        stripe_js_url=js,
        test_mode=settings.stripe_is_local,
    )


def begin_payment(
    *,
    actor: User | None,
    gig_slug: str,
    tier: str,
    extra_ids: Sequence[int],
    quantity: int,
    checkout_key: str,
    context: orders.Context | None = None,
    offer_id: int | None = None,
) -> PaymentStart:
    """The buyer's order for this checkout page and its PaymentIntent (made once). With
    `offer_id`, the order is the custom offer's (gig, tier, extras and quantity are ignored)."""
    ctx = context or orders.default_context()
    buyer = require_active_user(actor)
    account_tokens.require_verified_email(buyer)  # issue 14: a confirmed address to pay
    key = str(checkout_key or "")
    if not 16 <= len(key) <= CHECKOUT_KEY_MAX or not key.replace("-", "").isalnum():
        raise DomainError("This checkout page has expired. Reload it to continue.")
    now = ctx.now()
    with session_scope(ctx.engine) as session:
        order = _existing(session, buyer.id, key)
        if order is None and offer_id is not None:
            order = _offer_order(session, buyer, offer_id, key, now)
        elif order is None:
            q, gig, package, chosen = _quote_parts(
                session, gig_slug=gig_slug, tier=tier, extra_ids=extra_ids, quantity=quantity,
                viewer=buyer,
            )  # fmt: skip
            settings = get_settings()  # the quote's
            terms = placing.package_terms(
                package, chosen, quantity=q.quantity, buyer_fee_bps=settings.buyer_fee_bps,
                seller_commission_bps=settings.seller_commission_bps,
            )  # fmt: skip
            row = placing.order_row(
                terms=terms, code=_new_code(session), gig_id=gig.id, title=gig.title,
                buyer_id=buyer.id, seller_id=gig.seller_id, currency=q.currency, now=now,
                checkout_key=key,
            )  # fmt: skip
            try:
                order = placing.place_order(session, row)
            except IntegrityError:
                session.rollback()  # the same checkout, a moment earlier (a double click)
                order = _existing(session, buyer.id, key)
                if order is None:
                    raise
        if order.status == OrderStatus.cancelled:
            raise DomainError("This checkout has expired. Reload the page to start again.")
        if order.status != OrderStatus.pending_payment:
            raise DomainError("This order is already paid. Open it from your orders.")
        code, pi_id = order.code, order.payment_intent_id
    try:
        if pi_id:
            pi = ctx.gateway.retrieve_payment_intent(pi_id)
        else:
            pi = ctx.gateway.create_payment_intent(
                amount_cents=order.total_cents,
                currency=order.currency,
                order_id=order.id,
                order_code=code,
                description=f"{code} · {order.title}",
                idempotency_key=orders.stripe_key(order, "payment-intent"),
            )
    except PaymentProviderError as exc:
        raise DomainError(str(exc)) from exc
    if not pi_id:
        with session_scope(ctx.engine) as session:
            row = session.exec(select(Order).where(Order.code == code)).one()
            if row.payment_intent_id is None:
                row.payment_intent_id = pi.id
                session.add(row)
    return _start(order, pi.client_secret, ctx.settings)


_DECLINES = {
    "card_declined": "Your card was declined. Try another card; nothing was charged.",
    "insufficient_funds": (
        "Your card has insufficient funds. Try another card; nothing was charged."
    ),
    "expired_card": "Your card has expired. Try another card; nothing was charged.",
    "incorrect_cvc": "The card's security code is incorrect. Check it and try again.",
    "processing_error": "The card could not be processed. Try again; nothing was charged.",
    "payment_intent_authentication_failure": (
        "The card's 3-D Secure check was not completed. Try again; nothing was charged."
    ),
}


def confirm_payment(
    *, actor: User | None, order_code: str, context: orders.Context | None = None
) -> PaymentOutcome:
    """After Stripe.js confirmed the card: ask Stripe, and record the hold when there is one."""
    ctx = context or orders.default_context()
    buyer = require_active_user(actor)
    with session_scope(ctx.engine) as session:
        order = session.exec(select(Order).where(Order.code == str(order_code or ""))).first()
        if order is None or order.buyer_id != buyer.id:
            raise NotFound("Order not found.")
        status, pi_id = order.status, order.payment_intent_id
    if status != OrderStatus.pending_payment:
        return PaymentOutcome("held", "")
    if not pi_id:
        raise DomainError("This checkout has no payment yet. Reload the page to continue.")
    try:
        pi = ctx.gateway.retrieve_payment_intent(pi_id)
    except PaymentProviderError as exc:
        raise DomainError(str(exc)) from exc
    if pi.status == "requires_capture":
        try:
            orders.perform(order_code=order_code, action="pay", actor=buyer, context=ctx)
        except DomainError:
            # A second confirmation (double click, the webhook) may have recorded it first.
            with session_scope(ctx.engine) as session:
                now_status = session.exec(select(Order.status).where(Order.code == order_code))
                if now_status.one() == OrderStatus.pending_payment:
                    raise
            return PaymentOutcome("held", "")
        # (an order with nothing to ask starts at once: the executor does it after "pay")
        return PaymentOutcome("held", "")
    if pi.status == "requires_action":
        return PaymentOutcome("requires_action", "Your bank needs you to confirm this payment.")
    if pi.status == "processing":
        return PaymentOutcome("processing", "Your payment is being processed.")
    if pi.status == "canceled":
        raise DomainError("This checkout was cancelled. Start a new order from the gig page.")
    message = _DECLINES.get(pi.error_code) or (
        f"{pi.error_message} Nothing was charged; try another card."
        if pi.error_message
        else "The card was not accepted. Try another card; nothing was charged."
    )
    return PaymentOutcome("declined", message)
