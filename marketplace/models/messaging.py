"""Buyer-seller conversations, their messages, and custom offers sent inside them."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from marketplace.models._base import created_at_field, enum_check, json_list_field, time_field


class OfferStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    withdrawn = "withdrawn"
    expired = "expired"


class Conversation(SQLModel, table=True):
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


class Message(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    sender_id: int = Field(foreign_key="user.id")
    body: str = Field(max_length=5000)
    attachments: list[dict] = json_list_field()
    created_at: datetime = created_at_field()
    read_at: datetime | None = time_field()


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
    status: str = Field(default=OfferStatus.pending, max_length=16)
    expires_at: datetime | None = time_field()
    created_at: datetime = created_at_field()
