"""Buyer-seller conversations, their messages, custom offers sent inside them, and blocks."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from marketplace.models._base import created_at_field, enum_check, json_list_field, time_field


class OfferStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    withdrawn = "withdrawn"
    expired = "expired"


class MessageKind(StrEnum):
    text = "text"
    offer = "offer"  # the card of a custom offer (offer_id set)
    offer_request = "offer_request"  # a buyer asking the seller for an offer


class Conversation(SQLModel, table=True):
    """One thread per pair of accounts. "buyer" is whoever opened it (contacted the other),
    "seller" the one contacted; star and archive are per participant."""

    __table_args__ = (
        UniqueConstraint("buyer_id", "seller_id", name="uq_conversation_pair"),
        CheckConstraint("buyer_id <> seller_id", name="ck_conversation_two_people"),
    )

    id: int | None = Field(default=None, primary_key=True)
    buyer_id: int = Field(foreign_key="user.id", index=True)
    seller_id: int = Field(foreign_key="user.id", index=True)
    gig_id: int | None = Field(default=None, foreign_key="gig.id")  # where it started
    created_at: datetime = created_at_field()
    last_message_at: datetime = created_at_field()
    buyer_starred: bool = False
    seller_starred: bool = False
    buyer_archived: bool = False
    seller_archived: bool = False


class Message(SQLModel, table=True):
    __table_args__ = (
        enum_check("kind", MessageKind, "ck_message_kind"),
        Index("ix_message_conversation_created", "conversation_id", "id"),
        Index("ix_message_sender_created", "sender_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    sender_id: int = Field(foreign_key="user.id")
    body: str = Field(max_length=5000)
    kind: str = Field(default=MessageKind.text, max_length=16)
    offer_id: int | None = Field(default=None, foreign_key="custom_offer.id")
    attachments: list[dict] = json_list_field()
    created_at: datetime = created_at_field()
    read_at: datetime | None = time_field()  # when the other party saw it ("seen")
    # Removed by a moderator acting on a report: both parties see that it was removed, not
    # what it said; its files are no longer served (admins still read it in the report).
    hidden: bool = False


class MessageUpload(SQLModel, table=True):
    """A file stored for a message being written: who uploaded it, and the message it went out
    with (NULL until sent). The worker deletes unsent ones after message_files.UNSENT_GRACE."""

    __tablename__ = "message_upload"
    __table_args__ = (
        Index(
            "ix_message_upload_unsent",
            "created_at",
            sqlite_where=text("message_id IS NULL"),
            postgresql_where=text("message_id IS NULL"),
        ),
    )

    key: str = Field(primary_key=True, max_length=40)  # the stored name, `<32 hex>.<ext>`
    uploader_id: int = Field(foreign_key="user.id", index=True)
    size: int
    created_at: datetime = created_at_field()
    message_id: int | None = Field(default=None, foreign_key="message.id", index=True)


class CustomOffer(SQLModel, table=True):
    __tablename__ = "custom_offer"
    __table_args__ = (
        enum_check("status", OfferStatus, "ck_offer_status"),
        CheckConstraint("price_cents >= 500 AND price_cents <= 1000000", name="ck_offer_price"),
        CheckConstraint("delivery_days >= 1 AND delivery_days <= 90", name="ck_offer_delivery"),
        CheckConstraint("revisions >= -1 AND revisions <= 10", name="ck_offer_revisions"),
    )

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    seller_id: int = Field(foreign_key="user.id")
    buyer_id: int = Field(foreign_key="user.id")
    gig_id: int | None = Field(default=None, foreign_key="gig.id")
    description: str = Field(max_length=1500)
    price_cents: int
    delivery_days: int
    revisions: int = 0
    requirements: str = Field(default="", max_length=1500)  # what the seller needs to start
    status: str = Field(default=OfferStatus.pending, max_length=16)
    expires_at: datetime | None = time_field()
    created_at: datetime = created_at_field()
    responded_at: datetime | None = time_field()  # accepted / declined / withdrawn


class UserBlock(SQLModel, table=True):
    """`blocker` no longer receives messages from `blocked` (and neither can write to the other)."""

    __tablename__ = "user_block"
    __table_args__ = (
        UniqueConstraint("blocker_id", "blocked_id", name="uq_user_block_pair"),
        CheckConstraint("blocker_id <> blocked_id", name="ck_user_block_two_people"),
    )

    id: int | None = Field(default=None, primary_key=True)
    blocker_id: int = Field(foreign_key="user.id", index=True)
    blocked_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = created_at_field()
