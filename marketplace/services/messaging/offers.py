"""Custom offers: a seller's tailored package inside a conversation, its card, and its lifecycle.

pending -> accepted (the buyer's checkout creates the order) | declined (buyer) | withdrawn
(seller) | expired (its expiry passed). Every step re-reads the row and checks its status and
expiry at that moment, so a replayed or late "accept" of a withdrawn or expired offer fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from marketplace.db import utcnow
from marketplace.models import (
    Conversation,
    CustomOffer,
    Gig,
    GigStatus,
    MessageKind,
    OfferStatus,
    User,
)
from marketplace.models.gigs import UNLIMITED_REVISIONS
from marketplace.services.common.errors import DomainError, NotFound, PermissionDenied
from marketplace.services.common.guards import require_active_user
from marketplace.services.common.money import money_text, parse_dollars
from marketplace.services.common.notifications import notify
from marketplace.services.gigs.rules import REVISIONS_CHOICE, REVISIONS_MAX, parse_revisions
from marketplace.services.messaging import conversations, messages

MIN_PRICE_CENTS = 500
MAX_PRICE_CENTS = 1_000_000
EXPIRY_DAYS = (1, 3, 7, 14)
MAX_DESCRIPTION = 1500
MAX_REQUIREMENTS = 1500


@dataclass(frozen=True)
class OfferDraft:
    gig_id: int
    description: str
    price_cents: int
    delivery_days: int
    revisions: int
    expiry_days: int
    requirements: str = ""


FILL_IN_NUMBERS = "Fill in every number of the offer."


def _whole(value: object) -> int:
    text = str(value if value is not None else "").strip()
    if text.isascii() and text.isdigit() and len(text) < 9:
        return int(text)
    raise DomainError(FILL_IN_NUMBERS)


def draft_from_form(form: object) -> OfferDraft:
    """The offer form as sent by the browser (every value text) -> a draft, or a DomainError
    with the message to show. The price is read by the one dollar parser; revisions are
    "0".."10" or "unlimited" (the gig editor's choice)."""
    data = form if isinstance(form, dict) else {}
    price, problem = parse_dollars(data.get("price"))
    if price is None:
        raise DomainError(problem)
    revisions = parse_revisions(data.get("revisions"))
    if revisions is None:
        raise DomainError(REVISIONS_CHOICE)
    return OfferDraft(
        gig_id=_whole(data.get("gig_id")),
        description=str(data.get("description", "")),
        price_cents=price,
        delivery_days=_whole(data.get("delivery_days")),
        revisions=revisions,
        expiry_days=_whole(data.get("expiry_days")),
        requirements=str(data.get("requirements", "")),
    )


def _int(value: object, low: int, high: int, message: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DomainError(message)
    return value


def validate(draft: OfferDraft) -> OfferDraft:
    description = draft.description.strip() if isinstance(draft.description, str) else ""
    if len(description) < 10:
        raise DomainError("Describe what the offer includes (at least 10 characters).")
    if len(description) > MAX_DESCRIPTION:
        raise DomainError(f"Keep the description under {MAX_DESCRIPTION} characters.")
    requirements = draft.requirements.strip() if isinstance(draft.requirements, str) else ""
    if len(requirements) > MAX_REQUIREMENTS:
        raise DomainError(f"Keep the requirements under {MAX_REQUIREMENTS} characters.")
    price = _int(
        draft.price_cents,
        MIN_PRICE_CENTS,
        MAX_PRICE_CENTS,
        f"Set a price between {money_text(MIN_PRICE_CENTS)} and {money_text(MAX_PRICE_CENTS)}.",
    )
    days = _int(draft.delivery_days, 1, 90, "Delivery takes between 1 and 90 days.")
    revisions = _int(draft.revisions, UNLIMITED_REVISIONS, REVISIONS_MAX, REVISIONS_CHOICE)
    if draft.expiry_days not in EXPIRY_DAYS:
        raise DomainError("Choose when the offer expires.")
    return OfferDraft(
        gig_id=draft.gig_id,
        description=description,
        price_cents=price,
        delivery_days=days,
        revisions=revisions,
        expiry_days=draft.expiry_days,
        requirements=requirements,
    )


def effective_status(offer: CustomOffer, now: datetime) -> str:
    """Pending offers past their expiry are expired, whether or not a job has marked them."""
    if offer.status == OfferStatus.pending and offer.expires_at and offer.expires_at <= now:
        return OfferStatus.expired
    return offer.status


def _notify(session: Session, user_id: int, kind: str, title: str, body: str, link: str, now):
    notify(session, user_id=user_id, kind=kind, title=title, body=body, link=link, at=now)


def send_offer(
    session: Session,
    *,
    actor: User | None,
    conversation_id: object,
    draft: OfferDraft,
    now: datetime | None = None,
) -> CustomOffer:
    """The seller (the actor) offers the other party a package based on one of their active
    gigs; the offer shows as a card in the conversation."""
    now = now or utcnow()
    conversation = conversations.writable(session, conversation_id=conversation_id, actor=actor)
    draft = validate(draft)
    gig = session.get(Gig, draft.gig_id) if isinstance(draft.gig_id, int) else None
    if gig is None or gig.seller_id != actor.id or gig.status != GigStatus.active:
        raise DomainError("Choose one of your active gigs for the offer.")
    buyer_id = conversations.other_party_id(conversation, actor.id)
    offer = CustomOffer(
        conversation_id=conversation.id,
        seller_id=actor.id,
        buyer_id=buyer_id,
        gig_id=gig.id,
        description=draft.description,
        price_cents=draft.price_cents,
        delivery_days=draft.delivery_days,
        revisions=draft.revisions,
        requirements=draft.requirements,
        expires_at=now + timedelta(days=draft.expiry_days),
        created_at=now,
    )
    session.add(offer)
    session.flush()
    messages.post_system(
        session,
        conversation=conversation,
        sender=actor,
        text=f"Custom offer: {draft.description[:200]}",
        kind=MessageKind.offer,
        offer_id=offer.id,
        now=now,
    )
    _notify(
        session, buyer_id, "offer.received", f"{actor.display_name} sent you a custom offer",
        gig.title, f"/inbox/{conversation.id}", now,
    )  # fmt: skip
    return offer


def request_offer(
    session: Session,
    *,
    actor: User | None,
    conversation_id: object,
    details: object,
    now: datetime | None = None,
) -> None:
    """A buyer asks the other party for a custom offer (a message of its own kind)."""
    now = now or utcnow()
    conversation = conversations.writable(session, conversation_id=conversation_id, actor=actor)
    text = messages.clean_body(details)
    messages.post_system(
        session,
        conversation=conversation,
        sender=actor,
        text=text,
        kind=MessageKind.offer_request,
        now=now,
    )


def _locked(session: Session, offer_id: object) -> CustomOffer:
    if isinstance(offer_id, bool) or not isinstance(offer_id, int):
        raise NotFound("No such offer.")
    offer = session.exec(
        select(CustomOffer).where(CustomOffer.id == offer_id).with_for_update()
    ).first()
    if offer is None:
        raise NotFound("No such offer.")
    return offer


def _still_pending(offer: CustomOffer, now: datetime) -> None:
    status = effective_status(offer, now)
    if status == OfferStatus.expired:
        raise DomainError("This offer has expired. Ask the seller for a new one.")
    if status == OfferStatus.withdrawn:
        raise DomainError("The seller withdrew this offer.")
    if status == OfferStatus.declined:
        raise DomainError("This offer was declined.")
    if status == OfferStatus.accepted:
        raise DomainError("This offer was already accepted.")


def acceptable(
    session: Session, *, actor: User | None, offer_id: object, now: datetime | None = None
) -> CustomOffer:
    """The offer, if the actor is its buyer and it can still be accepted now (checkout calls
    this again when it creates the order, inside its own transaction)."""
    actor = require_active_user(actor)
    now = now or utcnow()
    offer = _locked(session, offer_id)
    if offer.buyer_id != actor.id:
        raise NotFound("No such offer.")
    _still_pending(offer, now)
    conversation = session.get(Conversation, offer.conversation_id)
    messages.check_can_send(session, conversation=conversation, sender=actor)
    return offer


def mark_accepted(session: Session, *, offer: CustomOffer, now: datetime | None = None) -> None:
    """Called by checkout in the transaction that creates the offer's order."""
    now = now or utcnow()
    _still_pending(offer, now)
    offer.status = OfferStatus.accepted
    offer.responded_at = now
    session.add(offer)
    buyer = session.get(User, offer.buyer_id)
    _notify(
        session, offer.seller_id, "offer.accepted",
        f"{buyer.display_name if buyer else 'The buyer'} accepted your custom offer",
        offer.description[:200], f"/inbox/{offer.conversation_id}", now,
    )  # fmt: skip


def decline(
    session: Session, *, actor: User | None, offer_id: object, now: datetime | None = None
) -> CustomOffer:
    actor = require_active_user(actor)
    now = now or utcnow()
    offer = _locked(session, offer_id)
    if offer.buyer_id != actor.id:
        raise NotFound("No such offer.")
    _still_pending(offer, now)
    offer.status = OfferStatus.declined
    offer.responded_at = now
    session.add(offer)
    _notify(
        session, offer.seller_id, "offer.declined",
        f"{actor.display_name} declined your custom offer", offer.description[:200],
        f"/inbox/{offer.conversation_id}", now,
    )  # fmt: skip
    session.flush()
    return offer


def withdraw(
    session: Session, *, actor: User | None, offer_id: object, now: datetime | None = None
) -> CustomOffer:
    actor = require_active_user(actor)
    now = now or utcnow()
    offer = _locked(session, offer_id)
    if offer.seller_id != actor.id:
        raise NotFound("No such offer.")
    _still_pending(offer, now)
    offer.status = OfferStatus.withdrawn
    offer.responded_at = now
    session.add(offer)
    session.flush()
    return offer


def visible(session: Session, *, actor: User | None, offer_id: int) -> CustomOffer:
    """An offer of a conversation the actor may read."""
    offer = session.get(CustomOffer, offer_id)
    if offer is None:
        raise NotFound("No such offer.")
    conversations.readable(session, conversation_id=offer.conversation_id, actor=actor)
    return offer


def seller_gigs(
    session: Session, *, actor: User | None, first_gig_id: int | None = None
) -> list[tuple[int, str]]:
    """(id, title) of the actor's active gigs, to base an offer on, newest first; the gig
    `first_gig_id` (the conversation's, when it is one of them) comes first, so an offer made
    in a conversation about a gig starts from that gig."""
    if actor is None or actor.id is None:
        raise PermissionDenied("Sign in to continue.")
    gigs = [
        (gig.id, gig.title)
        for gig in session.exec(
            select(Gig)
            .where(Gig.seller_id == actor.id, Gig.status == GigStatus.active)
            .order_by(Gig.id.desc())
            .limit(50)
        ).all()
    ]
    return sorted(gigs, key=lambda gig: gig[0] != first_gig_id)  # stable: the rest keep order
