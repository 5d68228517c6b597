"""The catalogue: categories, gigs with their packages, extras, FAQ, requirements and media,
favorites, and the search outbox that keeps Meilisearch in step with gig changes."""

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

MIN_PRICE_CENTS = 500
MAX_PRICE_CENTS = 1_000_000
UNLIMITED_REVISIONS = -1


class GigStatus(StrEnum):
    draft = "draft"
    pending_review = "pending_review"
    active = "active"
    paused = "paused"
    rejected = "rejected"
    suspended = "suspended"
    deleted = "deleted"


class PackageTier(StrEnum):
    basic = "basic"
    standard = "standard"
    premium = "premium"


class ExtraKind(StrEnum):
    fast_delivery = "fast_delivery"
    additional_revision = "additional_revision"
    custom = "custom"


class RequirementKind(StrEnum):
    text = "text"
    choice = "choice"
    file = "file"


class OutboxOp(StrEnum):
    upsert = "upsert"
    delete = "delete"


class Category(SQLModel, table=True):
    """A two-level tree: top-level categories and their subcategories."""

    id: int | None = Field(default=None, primary_key=True)
    parent_id: int | None = Field(default=None, foreign_key="category.id", index=True)
    name: str = Field(max_length=80)
    slug: str = Field(max_length=80, unique=True, index=True)
    description: str = Field(default="", max_length=300)
    icon: str = Field(default="", max_length=40)  # a lucide icon name
    position: int = 0


class Gig(SQLModel, table=True):
    __table_args__ = (
        enum_check("status", GigStatus, "ck_gig_status"),
        CheckConstraint("version >= 1", name="ck_gig_version"),
        CheckConstraint("rating_avg >= 0 AND rating_avg <= 5", name="ck_gig_rating"),
        CheckConstraint("rating_count >= 0", name="ck_gig_rating_count"),
        CheckConstraint("orders_completed >= 0", name="ck_gig_orders"),
        CheckConstraint("impressions >= 0", name="ck_gig_impressions"),
        CheckConstraint("price_from_cents >= 0", name="ck_gig_price_from"),
    )

    id: int | None = Field(default=None, primary_key=True)
    seller_id: int = Field(foreign_key="user.id", index=True)
    # The subcategory; None only while a new draft has not chosen one (publishing requires it).
    category_id: int | None = Field(default=None, foreign_key="category.id", index=True)
    slug: str = Field(max_length=120, unique=True, index=True)
    title: str = Field(max_length=80)
    description: str = Field(default="", max_length=1200)
    tags: list[str] = json_list_field()
    package_features: list[str] = json_list_field()  # feature rows shared by the packages
    single_package: bool = False
    # The editor's working copy, values exactly as typed (see services/gigs/rules.empty_draft).
    # Published gigs are shown from the columns and child rows above, never from this.
    draft: dict = json_dict_field()
    status: str = Field(default=GigStatus.draft, max_length=16, index=True)
    status_reason: str = Field(default="", max_length=500)
    version: int = 1
    price_from_cents: int = 0
    delivery_days_min: int = 0
    rating_avg: float = 0.0
    rating_count: int = 0
    orders_completed: int = 0
    impressions: int = 0
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
    published_at: datetime | None = time_field()
    deleted_at: datetime | None = time_field()


class GigPackage(SQLModel, table=True):
    __tablename__ = "gig_package"
    __table_args__ = (
        UniqueConstraint("gig_id", "tier", name="uq_package_gig_tier"),
        enum_check("tier", PackageTier, "ck_package_tier"),
        CheckConstraint(
            f"price_cents >= {MIN_PRICE_CENTS} AND price_cents <= {MAX_PRICE_CENTS}",
            name="ck_package_price",
        ),
        CheckConstraint("delivery_days >= 1 AND delivery_days <= 90", name="ck_package_delivery"),
        CheckConstraint("revisions >= -1 AND revisions <= 10", name="ck_package_revisions"),
    )

    id: int | None = Field(default=None, primary_key=True)
    gig_id: int = Field(foreign_key="gig.id", index=True, ondelete="CASCADE")
    tier: str = Field(max_length=16)
    name: str = Field(max_length=40)
    description: str = Field(default="", max_length=300)
    price_cents: int
    delivery_days: int
    revisions: int = 0  # -1 = unlimited
    features: list[str] = json_list_field()  # names from Gig.package_features included here


class GigExtra(SQLModel, table=True):
    __tablename__ = "gig_extra"
    __table_args__ = (
        enum_check("kind", ExtraKind, "ck_extra_kind"),
        CheckConstraint(
            f"price_cents >= 0 AND price_cents <= {MAX_PRICE_CENTS}", name="ck_extra_price"
        ),
        CheckConstraint("extra_days >= -89 AND extra_days <= 90", name="ck_extra_days"),
    )

    id: int | None = Field(default=None, primary_key=True)
    gig_id: int = Field(foreign_key="gig.id", index=True, ondelete="CASCADE")
    kind: str = Field(default=ExtraKind.custom, max_length=24)
    title: str = Field(max_length=80)
    description: str = Field(default="", max_length=300)
    price_cents: int
    extra_days: int = 0  # negative for faster delivery
    position: int = 0


class GigFAQ(SQLModel, table=True):
    __tablename__ = "gig_faq"

    id: int | None = Field(default=None, primary_key=True)
    gig_id: int = Field(foreign_key="gig.id", index=True, ondelete="CASCADE")
    question: str = Field(max_length=200)
    answer: str = Field(max_length=1000)
    position: int = 0


class GigRequirement(SQLModel, table=True):
    """A question the buyer answers when the order starts."""

    __tablename__ = "gig_requirement"
    __table_args__ = (enum_check("kind", RequirementKind, "ck_requirement_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    gig_id: int = Field(foreign_key="gig.id", index=True, ondelete="CASCADE")
    question: str = Field(max_length=300)
    kind: str = Field(default=RequirementKind.text, max_length=16)
    choices: list[str] = json_list_field()
    required: bool = True
    position: int = 0


class GigMedia(SQLModel, table=True):
    """An uploaded gallery image, stored under a random name outside the served tree."""

    __tablename__ = "gig_media"

    id: int | None = Field(default=None, primary_key=True)
    gig_id: int = Field(foreign_key="gig.id", index=True, ondelete="CASCADE")
    path: str = Field(max_length=255)
    content_type: str = Field(max_length=40)
    size_bytes: int = 0
    position: int = 0
    created_at: datetime = created_at_field()


class Favorite(SQLModel, table=True):
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    gig_id: int = Field(foreign_key="gig.id", primary_key=True, ondelete="CASCADE")
    created_at: datetime = created_at_field()


class SearchOutbox(SQLModel, table=True):
    """Written in the same transaction as a gig change; a worker drains it into Meilisearch."""

    __tablename__ = "search_outbox"
    __table_args__ = (enum_check("op", OutboxOp, "ck_outbox_op"),)

    id: int | None = Field(default=None, primary_key=True)
    gig_id: int = Field(index=True)
    op: str = Field(default=OutboxOp.upsert, max_length=8)
    created_at: datetime = created_at_field()
    available_at: datetime = created_at_field()
    attempts: int = 0
    last_error: str = Field(default="", max_length=500)
    processed_at: datetime | None = time_field(index=True)
