"""orders: quantity, checkout key, hold and state-entry times, cancellation flag, payout, claims

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 01:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from marketplace.db import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Server defaults only fill existing rows and are dropped right after (as in 0002).
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quantity", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("checkout_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("paid_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("state_entered_at", UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "cancellation_requested_by", sa.String(length=8), nullable=False, server_default=""
            )
        )
        batch_op.add_column(sa.Column("payout_cents", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pending_action", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("pending_data", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch_op.create_check_constraint("ck_order_quantity", "quantity >= 1 AND quantity <= 10")
        batch_op.create_check_constraint(
            "ck_order_payout_nonneg", "payout_cents IS NULL OR payout_cents >= 0"
        )
        batch_op.create_unique_constraint("uq_order_checkout_key", ["buyer_id", "checkout_key"])
        batch_op.create_index(
            batch_op.f("ix_order_state_entered_at"), ["state_entered_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_order_pending_action"), ["pending_action"], unique=False
        )
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.alter_column("quantity", existing_type=sa.Integer(), server_default=None)
        batch_op.alter_column(
            "cancellation_requested_by", existing_type=sa.String(length=8), server_default=None
        )
        batch_op.alter_column("pending_data", existing_type=sa.JSON(), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_pending_action"))
        batch_op.drop_index(batch_op.f("ix_order_state_entered_at"))
        batch_op.drop_constraint("uq_order_checkout_key", type_="unique")
        batch_op.drop_constraint("ck_order_payout_nonneg", type_="check")
        batch_op.drop_constraint("ck_order_quantity", type_="check")
        for column in (
            "pending_data",
            "pending_action",
            "payout_cents",
            "cancellation_requested_by",
            "state_entered_at",
            "paid_at",
            "checkout_key",
            "quantity",
        ):
            batch_op.drop_column(column)
