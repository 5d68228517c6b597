"""A seller's average response time, measured from messages; None until it can be measured.

For each of the seller's most recent conversations, the time from the buyer's first message to
the seller's first answer after it. Shown only once MIN_ANSWERED first messages have been
answered: a number that is not measured is not shown (the stored profile field is not used).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from marketplace.models import Conversation, Message

MIN_ANSWERED = 3
MESSAGES_READ = 2_000  # the newest messages of the seller's conversations


# Built once (the seller is a bound parameter): the gig page asks for it on every view.
_FIRST_ANSWER_ROWS = (
    select(Message.conversation_id, Message.sender_id, Message.created_at, Conversation.buyer_id)
    .join(Conversation, col(Conversation.id) == Message.conversation_id)
    .where(Conversation.seller_id == bindparam("seller_id"))
    .order_by(col(Message.created_at).desc(), col(Message.id).desc())
    .limit(MESSAGES_READ)
)


def first_answer_delays(session: Session, *, seller_id: int) -> list[float]:
    """Hours from each buyer's first message to the seller's first reply (answered only).
    One query, whatever the number of conversations (the gig page counts its queries)."""
    rows = session.exec(_FIRST_ANSWER_ROWS, params={"seller_id": seller_id}).all()
    first_question: dict[int, datetime] = {}
    first_answer: dict[int, datetime] = {}
    for conversation_id, sender_id, at, buyer_id in reversed(rows):  # oldest first
        if sender_id == buyer_id:
            first_question.setdefault(conversation_id, at)
        elif sender_id == seller_id and conversation_id in first_question:
            first_answer.setdefault(conversation_id, at)
    return [(first_answer[c] - first_question[c]).total_seconds() / 3600 for c in first_answer]


def measured_response_hours(session: Session, *, seller_id: int) -> int | None:
    delays = first_answer_delays(session, seller_id=seller_id)
    if len(delays) < MIN_ANSWERED:
        return None
    return max(1, round(sum(delays) / len(delays)))


def response_rate(session: Session, *, seller_id: int) -> float | None:
    """Share (0-100) of buyers' first messages the seller answered; None when not measurable."""
    rows = session.exec(
        select(Message.conversation_id, Message.sender_id, Conversation.buyer_id)
        .join(Conversation, col(Conversation.id) == Message.conversation_id)
        .where(Conversation.seller_id == seller_id)
        .order_by(col(Message.created_at).desc())
        .limit(MESSAGES_READ)
    ).all()
    asked = {c for c, sender, buyer in rows if sender == buyer}
    if len(asked) < MIN_ANSWERED:
        return None
    answered = {c for c, sender, _ in rows if sender == seller_id and c in asked}
    return 100.0 * len(answered) / len(asked)
