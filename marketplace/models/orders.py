"""Orders: the package snapshot a buyer paid for, its timeline, deliveries and disputes."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel

from marketplace.models._base import (
    created_at_field,
    enum_check,
    json_dict_field,
    json_list_field,
    time_field,
)


class OrderStatus(StrEnum):
    pending_payment = "pending_payment"
    awaiting_requirements = "awaiting_requirements"
    in_progress = "in_progress"
    delivered = "delivered"
    revision_requested = "revision_requested"
    completed = "completed"
    cancelled = "cancelled"
    disputed = "disputed"


class ActorRole(StrEnum):
    buyer = "buyer"
    seller = "seller"
    admin = "admin"
    system = "system"


class DisputeStatus(StrEnum):
    open = "open"
    resolved = "resolved"


class Order(SQLModel, table=True):
    __tablename__ = "order"
    __table_args__ = (
        enum_check("status", OrderStatus, "ck_order_status"),
        CheckConstraint("subtotal_cents > 0", name="ck_order_subtotal"),
        CheckConstraint("service_fee_cents >= 0", name="ck_order_fee"),
        CheckConstraint("total_cents = subtotal_cents + service_fee_cents", name="ck_order_total"),
        CheckConstraint(
            "commission_cents >= 0 AND commission_cents <= subtotal_cents",
            name="ck_order_commission",
        ),
        CheckConstraint(
            "seller_earnings_cents = subtotal_cents - commission_cents", name="ck_order_earnings"
        ),
        CheckConstraint("revisions_used >= 0", name="ck_order_revisions_used"),
        CheckConstraint("version >= 1", name="ck_order_version"),
        CheckConstraint("quantity >= 1 AND quantity <= 10", name="ck_order_quantity"),
        CheckConstraint("payout_cents IS NULL OR payout_cents >= 0", name="ck_order_payout_nonneg"),
        # One order per checkout page load, so a double click or a retry cannot make two.
        UniqueConstraint("buyer_id", "checkout_key", name="uq_order_checkout_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True, index=True)  # public reference, e.g. GW-7K2M9Q
    gig_id: int | None = Field(default=None, foreign_key="gig.id", index=True)
    custom_offer_id: int | None = Field(default=None, foreign_key="custom_offer.id")
    buyer_id: int = Field(foreign_key="user.id", index=True)
    seller_id: int = Field(foreign_key="user.id", index=True)
    status: str = Field(default=OrderStatus.pending_payment, max_length=24, index=True)
    title: str = Field(max_length=80)
    package_tier: str = Field(default="", max_length=16)
    package_snapshot: dict = json_dict_field()
    extras_snapshot: list[dict] = json_list_field()
    requirement_answers: list[dict] = json_list_field()
    currency: str = Field(default="usd", max_length=3)
    subtotal_cents: int
    service_fee_cents: int
    total_cents: int
    commission_cents: int
    seller_earnings_cents: int
    delivery_days: int
    revisions_allowed: int = 0  # -1 = unlimited
    revisions_used: int = 0
    payment_intent_id: str | None = Field(default=None, max_length=64, unique=True)
    charge_id: str | None = Field(default=None, max_length=64)
    version: int = 1
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
    started_at: datetime | None = time_field()
    due_at: datetime | None = time_field(index=True)
    delivered_at: datetime | None = time_field(index=True)
    completed_at: datetime | None = time_field()
    cancelled_at: datetime | None = time_field()
    quantity: int = 1
    checkout_key: str | None = Field(default=None, max_length=64)
    paid_at: datetime | None = time_field()  # when the card hold was placed
    # When the order last entered its status: timed transitions count from here.
    state_entered_at: datetime | None = time_field(index=True)
    cancellation_requested_by: str = Field(default="", max_length=8)  # "" | buyer | seller
    # What the seller is owed once the order completes (None until then); paid by a Transfer,
    # at once or when the seller's payouts become enabled.
    payout_cents: int | None = None
    # A money step claimed but not yet committed (services/orders/executor.py): the action's name
    # and what is needed to re-run it with the same idempotency keys.
    pending_action: str | None = Field(default=None, max_length=40, index=True)
    pending_data: dict = json_dict_field()


class OrderEvent(SQLModel, table=True):
    """One row per state change: the order's timeline and its audit trail."""

    __tablename__ = "order_event"
    __table_args__ = (enum_check("actor_role", ActorRole, "ck_event_actor_role"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    at: datetime = created_at_field()
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    actor_role: str = Field(max_length=8)
    transition: str = Field(max_length=40)
    from_status: str | None = Field(default=None, max_length=24)
    to_status: str = Field(max_length=24)
    message: str = Field(default="", max_length=2000)
    data: dict = json_dict_field()


class Delivery(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    seller_id: int = Field(foreign_key="user.id")
    message: str = Field(max_length=2000)
    files: list[dict] = json_list_field()  # [{"name", "path", "size"}]
    created_at: datetime = created_at_field()


class Dispute(SQLModel, table=True):
    """Opened by a party of an order; an admin resolves it by release, refund or split."""

    __table_args__ = (
        enum_check("status", DisputeStatus, "ck_dispute_status"),
        CheckConstraint(
            "refund_cents IS NULL OR refund_cents >= 0", name="ck_dispute_refund_nonneg"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", index=True)
    opened_by_id: int = Field(foreign_key="user.id")
    reason: str = Field(max_length=2000)
    status: str = Field(default=DisputeStatus.open, max_length=16)
    resolution: str = Field(default="", max_length=16)  # release | refund | split
    refund_cents: int | None = None
    resolved_by_id: int | None = Field(default=None, foreign_key="user.id")
    opened_at: datetime = created_at_field()
    resolved_at: datetime | None = time_field()
