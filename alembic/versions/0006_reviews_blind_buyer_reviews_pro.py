"""reviews: double-blind publication, the seller's review of the buyer, Pro applications,
when a seller's level was last evaluated

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 04:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from marketplace.db import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_PRO_STATUSES = "status IN ('pending', 'approved', 'rejected')"
NEW_PRO_STATUSES = "status IN ('draft', 'pending', 'needs_info', 'approved', 'rejected', 'revoked')"


def upgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("reveal_at", UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_review_published_at"), ["published_at"])
        batch_op.create_index(batch_op.f("ix_review_reveal_at"), ["reveal_at"])
    # Reviews written before double-blind existed were already public.
    op.execute("UPDATE review SET published_at = created_at")

    op.create_table(
        "buyer_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("seller_id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=1000), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("reveal_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint("rating >= 1 AND rating <= 5", name="ck_buyer_review_rating"),
        sa.ForeignKeyConstraint(["order_id"], ["order.id"]),
        sa.ForeignKeyConstraint(["seller_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["buyer_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_id"),
    )
    op.create_index("ix_buyer_review_seller_id", "buyer_review", ["seller_id"])
    op.create_index("ix_buyer_review_buyer_id", "buyer_review", ["buyer_id"])
    op.create_index("ix_buyer_review_reveal_at", "buyer_review", ["reveal_at"])

    with op.batch_alter_table("freelancer_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("level_evaluated_at", UTCDateTime(), nullable=True))

    with op.batch_alter_table("pro_application", schema=None) as batch_op:
        batch_op.drop_constraint("ck_pro_status", type_="check")
        batch_op.create_check_constraint("ck_pro_status", NEW_PRO_STATUSES)
        batch_op.add_column(sa.Column("category_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("credentials", sa.String(length=1000), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("years_experience", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("submitted_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("updated_at", UTCDateTime(), nullable=True))
        batch_op.create_foreign_key(
            "fk_pro_application_category", "category", ["category_id"], ["id"]
        )
    with op.batch_alter_table("pro_application", schema=None) as batch_op:
        batch_op.alter_column("credentials", existing_type=sa.String(1000), server_default=None)
        batch_op.alter_column("years_experience", existing_type=sa.Integer(), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("pro_application", schema=None) as batch_op:
        batch_op.drop_constraint("fk_pro_application_category", type_="foreignkey")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("submitted_at")
        batch_op.drop_column("years_experience")
        batch_op.drop_column("credentials")
        batch_op.drop_column("category_id")
        batch_op.drop_constraint("ck_pro_status", type_="check")
        batch_op.create_check_constraint("ck_pro_status", OLD_PRO_STATUSES)
    with op.batch_alter_table("freelancer_profile", schema=None) as batch_op:
        batch_op.drop_column("level_evaluated_at")
    op.drop_index("ix_buyer_review_reveal_at", table_name="buyer_review")
    op.drop_index("ix_buyer_review_buyer_id", table_name="buyer_review")
    op.drop_index("ix_buyer_review_seller_id", table_name="buyer_review")
    op.drop_table("buyer_review")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_reveal_at"))
        batch_op.drop_index(batch_op.f("ix_review_published_at"))
        batch_op.drop_column("reveal_at")
        batch_op.drop_column("published_at")
