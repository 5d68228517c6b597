"""Money records: the ledger (source of truth for every movement) and received Stripe events."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from marketplace.models._base import created_at_field, enum_check, json_dict_field, time_field


class LedgerKind(StrEnum):
    hold = "hold"  # card authorised, nothing moved yet
    void = "void"  # hold released before capture
    capture = "capture"  # buyer's money now in the platform balance (escrow)
    release = "release"  # transfer to the seller
    commission = "commission"  # platform keeps its share
    refund = "refund"  # money back to the buyer
    reversal = "reversal"  # transfer taken back from the seller


class LedgerEntry(SQLModel, table=True):
    __tablename__ = "ledger_entry"
    __table_args__ = (
        enum_check("kind", LedgerKind, "ck_ledger_kind"),
        CheckConstraint("amount_cents >= 0", name="ck_ledger_amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    kind: str = Field(max_length=16)
    amount_cents: int
    currency: str = Field(default="usd", max_length=3)
    idempotency_key: str = Field(max_length=120, unique=True)
    stripe_object_id: str | None = Field(default=None, max_length=64)
    seller_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    note: str = Field(default="", max_length=300)
    created_at: datetime = created_at_field()


class StripeEvent(SQLModel, table=True):
    """Webhook events by Stripe's id, so a redelivered event is handled once."""

    __tablename__ = "stripe_event"

    id: str = Field(primary_key=True, max_length=64)
    type: str = Field(max_length=80)
    payload: dict = json_dict_field()
    received_at: datetime = created_at_field()
    processed_at: datetime | None = time_field()
