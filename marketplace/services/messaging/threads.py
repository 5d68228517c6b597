"""The conversation page's read model: who the other party is, what the reader may do, and a
window of messages with their files and custom-offer cards, as plain dataclasses.

Bounded queries whatever the page holds: the messages of a page in one query, the reader's
"seen" receipt in one, and every offer of the page (with its gig's title) in one more, never one
query per offer message. Whether the reader may accept or withdraw an offer is decided here
(`can_accept`, `can_withdraw`); the state turns the items into display text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from marketplace.db import utcnow
from marketplace.models import (
    Conversation,
    CustomOffer,
    Gig,
    Message,
    MessageKind,
    User,
    UserStatus,
)
from marketplace.services.common.errors import DomainError
from marketplace.services.messaging import conversations, files, messages, offers

REMOVED_TEXT = "This message was removed by a moderator."
ADMIN_REFUSAL = "You are reading this conversation to handle a report."


@dataclass(frozen=True)
class FileItem:
    name: str
    url: str
    size_bytes: int


@dataclass(frozen=True)
class OfferItem:
    id: int
    status: str  # effective now: a pending offer past its expiry reads "expired"
    price_cents: int
    delivery_days: int
    revisions: int  # UNLIMITED_REVISIONS (-1) = unlimited
    description: str
    requirements: str
    expires_at: datetime | None
    gig_title: str
    can_accept: bool
    can_withdraw: bool


@dataclass(frozen=True)
class MessageItem:
    id: int
    mine: bool
    kind: str
    text: str  # REMOVED_TEXT for a message a moderator hid
    files: tuple[FileItem, ...]
    created_at: datetime
    seen: bool  # the reader's own newest message the other party has seen
    offer: OfferItem | None


@dataclass(frozen=True)
class ThreadPage:
    items: list[MessageItem]  # oldest first
    has_older: bool


def can_accept(*, status: str, buyer_id: int, viewer_id: int, is_party: bool) -> bool:
    """Only the offer's buyer, reading as a party (not an admin), while it is still pending."""
    return is_party and status == "pending" and buyer_id == viewer_id


def can_withdraw(*, status: str, seller_id: int, viewer_id: int, is_party: bool) -> bool:
    """Only the offer's seller, reading as a party, while it is still pending."""
    return is_party and status == "pending" and seller_id == viewer_id


def _offers(session: Session, ids: set[int]) -> dict[int, tuple[CustomOffer, str]]:
    """Every offer of a page with its gig's title, in one query."""
    if not ids:
        return {}
    rows = session.exec(
        select(CustomOffer, Gig.title)
        .join(Gig, col(Gig.id) == col(CustomOffer.gig_id), isouter=True)
        .where(col(CustomOffer.id).in_(sorted(ids)))
    ).all()
    return {offer.id: (offer, title or "") for offer, title in rows}


def _offer_item(offer: CustomOffer, title: str, viewer_id: int, party: bool, now) -> OfferItem:
    status = offers.effective_status(offer, now)
    return OfferItem(
        id=offer.id,
        status=status,
        price_cents=offer.price_cents,
        delivery_days=offer.delivery_days,
        revisions=offer.revisions,
        description=offer.description,
        requirements=offer.requirements,
        expires_at=offer.expires_at,
        gig_title=title,
        can_accept=can_accept(
            status=status, buyer_id=offer.buyer_id, viewer_id=viewer_id, is_party=party
        ),
        can_withdraw=can_withdraw(
            status=status, seller_id=offer.seller_id, viewer_id=viewer_id, is_party=party
        ),
    )


def items(
    session: Session,
    *,
    viewer: User,
    conversation: Conversation,
    rows: list[Message],
    now: datetime | None = None,
) -> list[MessageItem]:
    """The messages (already read by the caller, who checked the viewer may read them) as
    items: two queries however many offers they hold."""
    now = now or utcnow()
    party = conversations.is_party(conversation, viewer.id)
    seen_id = messages.last_seen_id(session, conversation_id=conversation.id, sender_id=viewer.id)
    found = _offers(
        session, {r.offer_id for r in rows if r.kind == MessageKind.offer and r.offer_id}
    )
    result = []
    for row in rows:
        offer = found.get(row.offer_id) if row.kind == MessageKind.offer else None
        result.append(
            MessageItem(
                id=row.id,
                mine=row.sender_id == viewer.id,
                kind=row.kind,
                text=REMOVED_TEXT if row.hidden else row.body,
                files=()
                if row.hidden
                else tuple(
                    FileItem(
                        name=f.get("name", "file"),
                        url=files.url(message_id=row.id, key=f.get("key", "")),
                        size_bytes=int(f.get("size", 0)),
                    )
                    for f in row.attachments or []
                ),
                created_at=row.created_at,
                seen=row.sender_id == viewer.id and row.id == seen_id,
                offer=_offer_item(offer[0], offer[1], viewer.id, party, now) if offer else None,
            )
        )
    return result


def page(
    session: Session,
    *,
    actor: User | None,
    conversation_id: object,
    before_id: object = None,
    now: datetime | None = None,
) -> ThreadPage:
    """The newest page of messages before `before_id` (or the newest of all), as items."""
    conversation = conversations.readable(session, conversation_id=conversation_id, actor=actor)
    found = messages.history(
        session, actor=actor, conversation_id=conversation.id, before_id=before_id
    )
    return ThreadPage(
        items=items(session, viewer=actor, conversation=conversation, rows=found.messages, now=now),
        has_older=found.has_older,
    )


def window(
    session: Session,
    *,
    actor: User | None,
    conversation_id: object,
    first_id: int | None,
    now: datetime | None = None,
) -> list[MessageItem]:
    """A live refresh of the loaded window: every message from `first_id` on, as items."""
    conversation = conversations.readable(session, conversation_id=conversation_id, actor=actor)
    rows = messages.window_from(
        session, actor=actor, conversation_id=conversation.id, first_id=first_id
    )
    return items(session, viewer=actor, conversation=conversation, rows=rows, now=now)


@dataclass(frozen=True)
class ThreadHeader:
    conversation_id: int
    other_id: int  # 0 for an admin reading a reported conversation
    other_name: str
    other_username: str
    other_avatar_path: str | None
    other_suspended: bool
    gig_title: str
    gig_slug: str
    reading_as_admin: bool
    i_am_seller: bool  # the reader is the conversation's seller (the empty state says so)
    starred: bool
    archived: bool
    blocked_by_me: bool
    send_refusal: str  # why the reader cannot write here ("" when they can)
    offer_gigs: list[tuple[int, str]]  # the reader's active gigs to base an offer on
    # ... the conversation's own gig first, so the offer form starts on it


def send_refusal(session: Session, *, conversation: Conversation, actor: User) -> str:
    if not conversations.is_party(conversation, actor.id):
        return ADMIN_REFUSAL
    try:
        messages.check_can_send(session, conversation=conversation, sender=actor)
    except DomainError as exc:
        return str(exc)
    return ""


def header(session: Session, *, actor: User | None, conversation_id: object) -> ThreadHeader:
    conversation = conversations.readable(session, conversation_id=conversation_id, actor=actor)
    party = conversations.is_party(conversation, actor.id)
    other = session.get(
        User,
        conversations.other_party_id(conversation, actor.id) if party else conversation.seller_id,
    )
    gig = session.get(Gig, conversation.gig_id) if conversation.gig_id else None
    gigs = (
        offers.seller_gigs(session, actor=actor, first_gig_id=conversation.gig_id) if party else []
    )
    return ThreadHeader(
        conversation_id=conversation.id,
        other_id=other.id if party else 0,
        other_name=other.display_name,
        other_username=other.username,
        other_avatar_path=other.avatar_path,
        other_suspended=other.status != UserStatus.active,
        gig_title=gig.title if gig else "",
        gig_slug=gig.slug if gig else "",
        reading_as_admin=not party,
        i_am_seller=party and conversation.seller_id == actor.id,
        starred=party and conversations.flag(conversation, actor.id, "starred"),
        archived=party and conversations.flag(conversation, actor.id, "archived"),
        blocked_by_me=party
        and conversations.has_blocked(session, blocker_id=actor.id, blocked_id=other.id),
        send_refusal=send_refusal(session, conversation=conversation, actor=actor),
        offer_gigs=gigs,
    )
