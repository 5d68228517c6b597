"""Messages in a conversation: send (with the rate limit, blocks and suspensions), paged history,
"seen" receipts, and the gentle warning about contact or payment details before an order.

History is always read a page at a time, by message id (a keyset), never the whole thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from marketplace.db import utcnow
from marketplace.models import Conversation, Message, MessageKind, Order, User, UserStatus
from marketplace.services.common.errors import DomainError, PermissionDenied
from marketplace.services.messaging import conversations

MAX_BODY = 5000
HISTORY_PAGE = 30
NEWER_LIMIT = 100
MAX_WINDOW = 400  # the most a page keeps loaded (older pages + live arrivals)
# Per sender, across all conversations and all workers (counted in the database).
RATE_LIMIT_COUNT = 20
RATE_LIMIT_WINDOW = timedelta(minutes=1)
RATE_LIMIT_MESSAGE = (
    "You are sending messages very quickly. Please wait a minute before sending more."
)
BLOCKED_MESSAGE = "You can't send messages in this conversation: one of you blocked the other."
RECIPIENT_SUSPENDED_MESSAGE = "This member's account is suspended, so it can't receive messages."

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
CARD = re.compile(r"(?:\d[ -]?){13,19}")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}\b")
PAYMENT_WORDS = re.compile(
    r"\b(paypal|venmo|zelle|western union|wire transfer|bank transfer|iban|swift|"
    r"cash ?app|whatsapp|telegram|skype)\b",
    re.IGNORECASE,
)
OFF_PLATFORM_WARNING = (
    "Heads up: it looks like this message shares contact or payment details. For your "
    "protection, keep payments and communication on Gigworks until an order is placed."
)


class RateLimited(DomainError):
    """Too many messages in the window; the message says when to try again."""


def clean_body(body: object) -> str:
    if not isinstance(body, str):
        raise DomainError("Write a message first.")
    text = body.replace("\r\n", "\n").strip()
    if not text:
        raise DomainError("Write a message first.")
    if len(text) > MAX_BODY:
        raise DomainError(f"Messages can be at most {MAX_BODY} characters ({len(text)} now).")
    return text


def shares_contact_details(text: str) -> bool:
    return bool(
        EMAIL.search(text) or CARD.search(text) or IBAN.search(text) or PAYMENT_WORDS.search(text)
    )


def have_ordered_together(session: Session, a: int, b: int) -> bool:
    return (
        session.exec(
            select(Order.id).where(
                or_(
                    and_(Order.buyer_id == a, Order.seller_id == b),
                    and_(Order.buyer_id == b, Order.seller_id == a),
                )
            )
        ).first()
        is not None
    )


def contact_warning(session: Session, *, conversation: Conversation, text: str) -> str:
    """The warning to show next to a message that shares contact or payment details while the
    two have no order yet ("" when there is nothing to say). A warning, never a block."""
    if not shares_contact_details(text):
        return ""
    if have_ordered_together(session, conversation.buyer_id, conversation.seller_id):
        return ""
    return OFF_PLATFORM_WARNING


def check_rate(session: Session, *, sender_id: int, now: datetime) -> None:
    sent = session.exec(
        select(func.count(Message.id)).where(
            Message.sender_id == sender_id, Message.created_at > now - RATE_LIMIT_WINDOW
        )
    ).one()
    if sent >= RATE_LIMIT_COUNT:
        raise RateLimited(RATE_LIMIT_MESSAGE)


def check_can_send(session: Session, *, conversation: Conversation, sender: User) -> None:
    """Refuses a blocked pair or a suspended recipient (a suspended sender never gets here:
    `conversations.writable` refuses them first)."""
    other_id = conversations.other_party_id(conversation, sender.id)
    if conversations.is_blocked_between(session, sender.id, other_id):
        raise PermissionDenied(BLOCKED_MESSAGE)
    other = session.get(User, other_id)
    if other is None or other.status != UserStatus.active:
        raise PermissionDenied(RECIPIENT_SUSPENDED_MESSAGE)


@dataclass(frozen=True)
class Sent:
    message: Message
    recipient_id: int
    warning: str


def send(
    session: Session,
    *,
    actor: User | None,
    conversation_id: object,
    body: object,
    attachments: object = None,
    now: datetime | None = None,
) -> Sent:
    """Send a text message, optionally with stored files (services.message_files). A message
    with files may have no text. Flushes; the caller's session commits."""
    from marketplace.services.messaging import files as message_files

    now = now or utcnow()
    conversation = conversations.writable(session, conversation_id=conversation_id, actor=actor)
    files = message_files.valid_attachments(session, attachments, uploader_id=actor.id)
    text = clean_body(body) if not files or (isinstance(body, str) and body.strip()) else ""
    check_can_send(session, conversation=conversation, sender=actor)
    check_rate(session, sender_id=actor.id, now=now)
    sent = _post(session, conversation, actor.id, text, now=now, files=files)
    if files:
        message_files.mark_sent(session, files=files, message_id=sent.message.id)
    return sent


def _post(
    session: Session,
    conversation: Conversation,
    sender_id: int,
    text: str,
    *,
    now: datetime,
    kind: str = MessageKind.text,
    offer_id: int | None = None,
    files: list[dict] | None = None,
) -> Sent:
    message = Message(
        conversation_id=conversation.id,
        sender_id=sender_id,
        body=text,
        kind=kind,
        offer_id=offer_id,
        attachments=files or [],
        created_at=now,
    )
    session.add(message)
    conversations.touch(session, conversation, now)
    session.flush()
    warning = (
        contact_warning(session, conversation=conversation, text=text) if kind == "text" else ""
    )
    return Sent(
        message=message,
        recipient_id=conversations.other_party_id(conversation, sender_id),
        warning=warning,
    )


def post_system(
    session: Session,
    *,
    conversation: Conversation,
    sender: User,
    text: str,
    kind: str,
    offer_id: int | None = None,
    now: datetime | None = None,
) -> Sent:
    """A message written by a service on a party's behalf (an offer card, an offer request),
    after that service checked the permission. Still subject to blocks and the rate limit."""
    now = now or utcnow()
    check_can_send(session, conversation=conversation, sender=sender)
    check_rate(session, sender_id=sender.id, now=now)
    return _post(session, conversation, sender.id, text, now=now, kind=kind, offer_id=offer_id)


@dataclass(frozen=True)
class HistoryPage:
    messages: list[Message]  # oldest first
    has_older: bool


def history(
    session: Session,
    *,
    actor: User | None,
    conversation_id: object,
    before_id: object = None,
    limit: int = HISTORY_PAGE,
) -> HistoryPage:
    """The newest `limit` messages before `before_id` (or the newest of all), oldest first."""
    conversation = conversations.readable(session, conversation_id=conversation_id, actor=actor)
    query = select(Message).where(Message.conversation_id == conversation.id)
    if before_id is not None:
        if isinstance(before_id, bool) or not isinstance(before_id, int):
            raise DomainError("Bad page.")
        query = query.where(Message.id < before_id)
    rows = list(session.exec(query.order_by(Message.id.desc()).limit(limit + 1)).all())
    has_older = len(rows) > limit
    return HistoryPage(messages=list(reversed(rows[:limit])), has_older=has_older)


def newer(
    session: Session, *, actor: User | None, conversation_id: object, after_id: object
) -> list[Message]:
    """Messages after `after_id`, oldest first (at most NEWER_LIMIT): what a live update adds."""
    conversation = conversations.readable(session, conversation_id=conversation_id, actor=actor)
    if isinstance(after_id, bool) or not isinstance(after_id, int):
        raise DomainError("Bad page.")
    return list(
        session.exec(
            select(Message)
            .where(Message.conversation_id == conversation.id, Message.id > after_id)
            .order_by(Message.id)
            .limit(NEWER_LIMIT)
        ).all()
    )


def window_from(
    session: Session, *, actor: User | None, conversation_id: object, first_id: int | None
) -> list[Message]:
    """A live refresh of the loaded window: every message from `first_id` on (the newest page
    when nothing is loaded yet), oldest first, bounded."""
    if first_id is None:
        return history(session, actor=actor, conversation_id=conversation_id).messages
    conversation = conversations.readable(session, conversation_id=conversation_id, actor=actor)
    if isinstance(first_id, bool) or not isinstance(first_id, int):
        raise DomainError("Bad page.")
    return list(
        session.exec(
            select(Message)
            .where(Message.conversation_id == conversation.id, Message.id >= first_id)
            .order_by(Message.id)
            .limit(MAX_WINDOW)
        ).all()
    )


def mark_seen(
    session: Session, *, actor: User | None, conversation_id: object, now: datetime | None = None
) -> int:
    """The actor has seen the other party's messages: set their read_at ("seen"). Returns how
    many changed. An admin reading a reported thread marks nothing."""
    conversation = conversations.readable(session, conversation_id=conversation_id, actor=actor)
    if not conversations.is_party(conversation, actor.id):
        return 0
    rows = session.exec(
        select(Message).where(
            Message.conversation_id == conversation.id,
            Message.sender_id != actor.id,
            Message.read_at.is_(None),
        )
    ).all()
    now = now or utcnow()
    for row in rows:
        row.read_at = now
        session.add(row)
    session.flush()
    return len(rows)


def last_seen_id(session: Session, *, conversation_id: int, sender_id: int) -> int:
    """The id of the newest message of `sender_id` the other party has seen (0: none)."""
    return (
        session.exec(
            select(func.max(Message.id)).where(
                Message.conversation_id == conversation_id,
                Message.sender_id == sender_id,
                Message.read_at.is_not(None),
            )
        ).one()
        or 0
    )
