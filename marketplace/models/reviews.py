"""Reviews of completed orders and applications for the vetted Pro programme."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from marketplace.models._base import created_at_field, enum_check, json_list_field, time_field


class ProApplicationStatus(StrEnum):
    """draft -> pending -> approved, rejected or needs_info (-> pending again); approved ->
    revoked."""

    draft = "draft"
    pending = "pending"
    needs_info = "needs_info"
    approved = "approved"
    rejected = "rejected"
    revoked = "revoked"


class Review(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("rating >= 1 AND rating <= 5", name="ck_review_rating"),
        CheckConstraint("communication >= 1 AND communication <= 5", name="ck_review_comm"),
        CheckConstraint("as_described >= 1 AND as_described <= 5", name="ck_review_described"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", unique=True)  # one review per order
    gig_id: int | None = Field(default=None, foreign_key="gig.id", index=True)
    seller_id: int = Field(foreign_key="user.id", index=True)
    buyer_id: int = Field(foreign_key="user.id")
    rating: int
    communication: int
    as_described: int
    recommend: bool = True
    body: str = Field(default="", max_length=2000)
    seller_reply: str = Field(default="", max_length=1000)
    replied_at: datetime | None = time_field()
    hidden: bool = False
    created_at: datetime = created_at_field()
    # Double-blind: set when both sides have reviewed or the review window closed; until then
    # nobody but the author sees it and it counts in no average.
    published_at: datetime | None = time_field(index=True)
    reveal_at: datetime | None = time_field(index=True)  # when the window closes


class BuyerReview(SQLModel, table=True):
    """The seller's review of the buyer, for the same completed order (blind like Review)."""

    __tablename__ = "buyer_review"
    __table_args__ = (
        CheckConstraint("rating >= 1 AND rating <= 5", name="ck_buyer_review_rating"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="order.id", unique=True)
    seller_id: int = Field(foreign_key="user.id", index=True)
    buyer_id: int = Field(foreign_key="user.id", index=True)
    rating: int
    body: str = Field(default="", max_length=1000)
    created_at: datetime = created_at_field()
    published_at: datetime | None = time_field()
    reveal_at: datetime | None = time_field(index=True)


class ProApplication(SQLModel, table=True):
    __tablename__ = "pro_application"
    __table_args__ = (enum_check("status", ProApplicationStatus, "ck_pro_status"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    summary: str = Field(max_length=2000)
    portfolio_links: list[str] = json_list_field()
    status: str = Field(default=ProApplicationStatus.pending, max_length=16)
    reason: str = Field(default="", max_length=1000)  # the admin's note, reason or question
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()
    decided_at: datetime | None = time_field()
    category_id: int | None = Field(default=None, foreign_key="category.id")
    credentials: str = Field(default="", max_length=1000)
    years_experience: int = 0
    submitted_at: datetime | None = time_field()
    updated_at: datetime | None = time_field()
