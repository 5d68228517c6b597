"""Conversations between two accounts: open or reuse, who may read them, the inbox list with its
tabs and search, per-participant star and archive, blocking, and reporting.

Only the two parties read or write a conversation; an admin may read one that a report points
at (to handle it), never write in it. Every function takes the acting user and checks that here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from marketplace.db import utcnow
from marketplace.models import (
    Conversation,
    Gig,
    GigStatus,
    Message,
    Report,
    ReportStatus,
    ReportTarget,
    User,
    UserBlock,
)
from marketplace.services.common.errors import DomainError, NotFound, PermissionDenied
from marketplace.services.common.guards import require_active_user

INBOX_PAGE_SIZE = 20
TABS = ("all", "unread", "starred", "archived")
MAX_SEARCH_LENGTH = 100
REPORT_REASONS = ("spam", "scam", "harassment", "off_platform_payment", "other")
REPORT_DETAILS_MAX = 2000
NOT_FOUND_MESSAGE = "This conversation does not exist or is not yours."


def _valid_id(value: object, what: str = "conversation") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31:
        raise NotFound(f"No such {what}.")
    return value


def other_party_id(conversation: Conversation, user_id: int) -> int:
    return conversation.seller_id if conversation.buyer_id == user_id else conversation.buyer_id


def is_party(conversation: Conversation, user_id: int | None) -> bool:
    return user_id in (conversation.buyer_id, conversation.seller_id)


def _reported(session: Session, conversation_id: int) -> bool:
    """An open report points at this conversation or one of its messages."""
    message_ids = select(Message.id).where(Message.conversation_id == conversation_id)
    return (
        session.exec(
            select(Report.id).where(
                Report.status == ReportStatus.open,
                or_(
                    and_(
                        Report.target_type == ReportTarget.message,
                        Report.target_id.in_(message_ids),
                    ),
                    and_(
                        Report.target_type == ReportTarget.user,
                        Report.details.startswith(f"[conversation {conversation_id}]"),
                    ),
                ),
            )
        ).first()
        is not None
    )


def readable(session: Session, *, conversation_id: object, actor: User | None) -> Conversation:
    """The conversation, if the actor is one of the two parties, or an admin handling a report
    about it. Anyone else gets NotFound (they may not learn that it exists)."""
    if actor is None or actor.id is None:
        raise PermissionDenied("Sign in to continue.")
    found = session.get(Conversation, _valid_id(conversation_id))
    if found is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    if is_party(found, actor.id):
        return found
    if actor.is_admin and _reported(session, found.id):
        return found
    raise NotFound(NOT_FOUND_MESSAGE)


def writable(session: Session, *, conversation_id: object, actor: User | None) -> Conversation:
    """The conversation, if the actor is an active party to it (admins read, never write)."""
    actor = require_active_user(actor)
    found = session.get(Conversation, _valid_id(conversation_id))
    if found is None or not is_party(found, actor.id):
        raise NotFound(NOT_FOUND_MESSAGE)
    return found


def is_blocked_between(session: Session, a: int, b: int) -> bool:
    return (
        session.exec(
            select(UserBlock.id).where(
                or_(
                    and_(UserBlock.blocker_id == a, UserBlock.blocked_id == b),
                    and_(UserBlock.blocker_id == b, UserBlock.blocked_id == a),
                )
            )
        ).first()
        is not None
    )


def has_blocked(session: Session, *, blocker_id: int, blocked_id: int) -> bool:
    return (
        session.exec(
            select(UserBlock.id).where(
                UserBlock.blocker_id == blocker_id, UserBlock.blocked_id == blocked_id
            )
        ).first()
        is not None
    )


def find_between(session: Session, a: int, b: int) -> Conversation | None:
    return session.exec(
        select(Conversation).where(
            or_(
                and_(Conversation.buyer_id == a, Conversation.seller_id == b),
                and_(Conversation.buyer_id == b, Conversation.seller_id == a),
            )
        )
    ).first()


def member_by_username(session: Session, *, username: object) -> User:
    name = username if isinstance(username, str) else ""
    found = session.exec(select(User).where(User.username == name[:40])).first() if name else None
    if found is None:
        raise NotFound("This member does not exist.")
    return found


def open_with(
    session: Session,
    *,
    actor: User | None,
    other_user_id: object,
    gig_id: object = None,
) -> Conversation:
    """The conversation between the actor and another account, created if it does not exist
    yet (the actor is its "buyer"). `gig_id`, an active gig of the other account, becomes the
    context shown at the top; an existing conversation keeps its history and takes the new
    gig as its context."""
    actor = require_active_user(actor)
    other = session.get(User, _valid_id(other_user_id, "member"))
    if other is None:
        raise NotFound("No such member.")
    if other.id == actor.id:
        raise DomainError("You cannot send messages to yourself.")
    gig: Gig | None = None
    if gig_id is not None:
        gig = session.get(Gig, _valid_id(gig_id, "gig"))
        if gig is None or gig.seller_id != other.id or gig.status != GigStatus.active:
            raise NotFound("No such gig.")
    found = find_between(session, actor.id, other.id)
    if found is None:
        found = Conversation(buyer_id=actor.id, seller_id=other.id, gig_id=gig.id if gig else None)
        session.add(found)
        session.flush()
    elif gig is not None and found.gig_id != gig.id:
        found.gig_id = gig.id
        session.add(found)
        session.flush()
    return found


def for_order(session: Session, *, actor: User | None, order_code: object) -> Conversation:
    """The conversation between an order's buyer and seller, for the order page (opened with
    the order's gig as context if they never wrote before). Only the two parties."""
    from marketplace.models import Order

    actor = require_active_user(actor)
    code = order_code if isinstance(order_code, str) else ""
    order = session.exec(select(Order).where(Order.code == code[:20])).first() if code else None
    if order is None or actor.id not in (order.buyer_id, order.seller_id):
        raise NotFound("Order not found.")
    other = order.seller_id if actor.id == order.buyer_id else order.buyer_id
    found = find_between(session, actor.id, other)
    if found is None:
        found = Conversation(
            buyer_id=order.buyer_id, seller_id=order.seller_id, gig_id=order.gig_id
        )
        session.add(found)
        session.flush()
    return found


# --- per-participant flags ------------------------------------------------------------------


def _flag_name(conversation: Conversation, user_id: int, flag: str) -> str:
    return f"{'buyer' if conversation.buyer_id == user_id else 'seller'}_{flag}"


def flag(conversation: Conversation, user_id: int, name: str) -> bool:
    return bool(getattr(conversation, _flag_name(conversation, user_id, name)))


def set_flag(
    session: Session, *, actor: User | None, conversation_id: object, name: str, value: object
) -> Conversation:
    """Star or archive a conversation for the actor only (the other party sees no change)."""
    if name not in ("starred", "archived"):
        raise DomainError("Unknown setting.")
    if not isinstance(value, bool):
        raise DomainError("Choose on or off.")
    found = writable_or_suspended(session, conversation_id=conversation_id, actor=actor)
    setattr(found, _flag_name(found, actor.id, name), value)
    session.add(found)
    session.flush()
    return found


def writable_or_suspended(
    session: Session, *, conversation_id: object, actor: User | None
) -> Conversation:
    """A party's own conversation, even while suspended (starring is not sending)."""
    if actor is None or actor.id is None:
        raise PermissionDenied("Sign in to continue.")
    found = session.get(Conversation, _valid_id(conversation_id))
    if found is None or not is_party(found, actor.id):
        raise NotFound(NOT_FOUND_MESSAGE)
    return found


# --- blocking -------------------------------------------------------------------------------


def block(session: Session, *, actor: User | None, user_id: object) -> None:
    """The actor stops all messages with `user_id`, both ways. Idempotent."""
    actor = require_active_user(actor)
    other = session.get(User, _valid_id(user_id, "member"))
    if other is None:
        raise NotFound("No such member.")
    if other.id == actor.id:
        raise DomainError("You cannot block yourself.")
    if not has_blocked(session, blocker_id=actor.id, blocked_id=other.id):
        session.add(UserBlock(blocker_id=actor.id, blocked_id=other.id))
        session.flush()


def unblock(session: Session, *, actor: User | None, user_id: object) -> None:
    actor = require_active_user(actor)
    row = session.exec(
        select(UserBlock).where(
            UserBlock.blocker_id == actor.id,
            UserBlock.blocked_id == _valid_id(user_id, "member"),
        )
    ).first()
    if row is not None:
        session.delete(row)
        session.flush()


# --- reporting ------------------------------------------------------------------------------


def _report_fields(reason: object, details: object) -> tuple[str, str]:
    if not isinstance(reason, str) or reason not in REPORT_REASONS:
        raise DomainError("Choose a reason for the report.")
    if not isinstance(details, str):
        details = ""
    details = details.strip()
    if len(details) > REPORT_DETAILS_MAX:
        raise DomainError(f"Keep the details under {REPORT_DETAILS_MAX} characters.")
    return reason, details


def report_message(
    session: Session,
    *,
    actor: User | None,
    message_id: object,
    reason: object,
    details: object = "",
) -> Report:
    """A party reports a message the other party sent; it goes to the moderation queue."""
    actor = require_active_user(actor)
    message = session.get(Message, _valid_id(message_id, "message"))
    if message is None:
        raise NotFound("No such message.")
    conversation = session.get(Conversation, message.conversation_id)
    if conversation is None or not is_party(conversation, actor.id):
        raise NotFound("No such message.")
    if message.sender_id == actor.id:
        raise DomainError("You cannot report your own message.")
    reason, details = _report_fields(reason, details)
    report = Report(
        reporter_id=actor.id,
        target_type=ReportTarget.message,
        target_id=message.id,
        reason=reason,
        details=details,
    )
    session.add(report)
    session.flush()
    return report


def report_conversation(
    session: Session,
    *,
    actor: User | None,
    conversation_id: object,
    reason: object,
    details: object = "",
) -> Report:
    """A party reports the whole conversation: a report about the other member that names the
    conversation, so the admin handling it may read the thread."""
    actor = require_active_user(actor)
    conversation = writable(session, conversation_id=conversation_id, actor=actor)
    reason, details = _report_fields(reason, details)
    report = Report(
        reporter_id=actor.id,
        target_type=ReportTarget.user,
        target_id=other_party_id(conversation, actor.id),
        reason=reason,
        details=f"[conversation {conversation.id}] {details}".strip()[:REPORT_DETAILS_MAX],
    )
    session.add(report)
    session.flush()
    return report


# --- the inbox ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxRow:
    conversation_id: int
    other_id: int
    other_name: str
    other_username: str
    other_avatar_path: str | None
    last_body: str
    last_from_me: bool
    last_at: datetime
    unread: int
    starred: bool
    archived: bool


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    page: int
    pages: int
    total: int


def _mine(user_id: int):
    return or_(Conversation.buyer_id == user_id, Conversation.seller_id == user_id)


def _my_flag(user_id: int, name: str):
    buyer_col = getattr(Conversation, f"buyer_{name}")
    seller_col = getattr(Conversation, f"seller_{name}")
    return or_(
        and_(Conversation.buyer_id == user_id, buyer_col.is_(True)),
        and_(Conversation.seller_id == user_id, seller_col.is_(True)),
    )


def _unread_for(user_id: int):
    return and_(Message.sender_id != user_id, Message.read_at.is_(None))


def unread_total(session: Session, *, user_id: int) -> int:
    """Unread messages for the header badge (archived conversations count too, as on Fiverr)."""
    return session.exec(
        select(func.count(Message.id))
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(_mine(user_id), _unread_for(user_id))
    ).one()


def like_pattern(words: str) -> str:
    """A LIKE pattern matching `words` literally (escape character: backslash)."""
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def clean_search(text: object) -> str:
    if not isinstance(text, str):
        return ""
    return " ".join(text.split())[:MAX_SEARCH_LENGTH]


def inbox(
    session: Session,
    *,
    actor: User | None,
    tab: object = "all",
    page: object = 1,
    search: object = "",
) -> InboxPage:
    """One page of the actor's conversations, newest activity first. "all" and "unread" leave
    out archived ones; "search" matches message text and the other member's name."""
    if actor is None or actor.id is None:
        raise PermissionDenied("Sign in to continue.")
    me = actor.id
    tab = tab if isinstance(tab, str) and tab in TABS else "all"
    page = page if isinstance(page, int) and not isinstance(page, bool) and page >= 1 else 1
    query = select(Conversation.id).where(_mine(me))
    if tab == "archived":
        query = query.where(_my_flag(me, "archived"))
    else:
        query = query.where(~_my_flag(me, "archived"))
    if tab == "starred":
        query = query.where(_my_flag(me, "starred"))
    if tab == "unread":
        query = query.where(
            select(Message.id)
            .where(Message.conversation_id == Conversation.id, _unread_for(me))
            .exists()
        )
    words = clean_search(search)
    if words:
        pattern = like_pattern(words)
        other = select(User.id).where(
            or_(
                User.display_name.ilike(pattern, escape="\\"),
                User.username.ilike(pattern, escape="\\"),
            )
        )
        query = query.where(
            or_(
                select(Message.id)
                .where(
                    Message.conversation_id == Conversation.id,
                    Message.hidden.is_(False),
                    Message.body.ilike(pattern, escape="\\"),
                )
                .exists(),
                and_(Conversation.buyer_id == me, Conversation.seller_id.in_(other)),
                and_(Conversation.seller_id == me, Conversation.buyer_id.in_(other)),
            )
        )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    pages = max(1, -(-total // INBOX_PAGE_SIZE))
    page = min(page, pages)
    ids = session.exec(
        query.order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
        .offset((page - 1) * INBOX_PAGE_SIZE)
        .limit(INBOX_PAGE_SIZE)
    ).all()
    rows = [_row(session, session.get(Conversation, cid), me) for cid in ids]
    return InboxPage(rows=rows, page=page, pages=pages, total=total)


def _row(session: Session, conversation: Conversation, me: int) -> InboxRow:
    other = session.get(User, other_party_id(conversation, me))
    last = session.exec(
        select(Message)
        .where(Message.conversation_id == conversation.id)
        .order_by(Message.id.desc())
        .limit(1)
    ).first()
    unread = session.exec(
        select(func.count(Message.id)).where(
            Message.conversation_id == conversation.id, _unread_for(me)
        )
    ).one()
    return InboxRow(
        conversation_id=conversation.id,
        other_id=other.id,
        other_name=other.display_name,
        other_username=other.username,
        other_avatar_path=other.avatar_path,
        last_body=("Message removed" if last and last.hidden else (last.body if last else ""))[
            :140
        ],
        last_from_me=bool(last and last.sender_id == me),
        last_at=last.created_at if last else conversation.created_at,
        unread=unread,
        starred=flag(conversation, me, "starred"),
        archived=flag(conversation, me, "archived"),
    )


def touch(session: Session, conversation: Conversation, at: datetime | None = None) -> None:
    """New activity: the conversation moves to the top and leaves both parties' archives."""
    conversation.last_message_at = at or utcnow()
    conversation.buyer_archived = conversation.seller_archived = False
    session.add(conversation)
