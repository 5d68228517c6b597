"""moderation: append-only audit log, post-moderation snapshots, flagged orders, report outcomes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 04:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from marketplace.db import UTCDateTime
from marketplace.models.moderation import (
    DROP_POSTGRES_TRIGGERS,
    DROP_SQLITE_TRIGGERS,
    append_only_statements,
)

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gig_approval",
        sa.Column("gig_id", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", UTCDateTime(), nullable=False),
        sa.Column("changed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["gig_id"], ["gig.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["approved_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("gig_id"),
    )
    op.create_index("ix_gig_approval_changed_at", "gig_approval", ["changed_at"])
    op.create_table(
        "order_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("flagged_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("cleared_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["order.id"]),
        sa.ForeignKeyConstraint(["flagged_by_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_order_flag_order_id", "order_flag", ["order_id"])
    op.create_index("ix_order_flag_cleared_at", "order_flag", ["cleared_at"])
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("outcome", sa.String(length=16), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("outcome_note", sa.String(length=1000), nullable=False, server_default="")
        )
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.alter_column("outcome", server_default=None)
        batch_op.alter_column("outcome_note", server_default=None)
    for statement in append_only_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    drops = (
        DROP_POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else DROP_SQLITE_TRIGGERS
    )
    for statement in drops:
        op.execute(statement)
    with op.batch_alter_table("report", schema=None) as batch_op:
        batch_op.drop_column("outcome_note")
        batch_op.drop_column("outcome")
    op.drop_index("ix_order_flag_cleared_at", table_name="order_flag")
    op.drop_index("ix_order_flag_order_id", table_name="order_flag")
    op.drop_table("order_flag")
    op.drop_index("ix_gig_approval_changed_at", table_name="gig_approval")
    op.drop_table("gig_approval")
