"""messaging: per-participant star/archive, message kind + offer card, offer requirements, blocks

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-02 04:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from marketplace.db import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FLAGS = ("buyer_starred", "seller_starred", "buyer_archived", "seller_archived")


def upgrade() -> None:
    # Server defaults only fill existing rows and are dropped right after (as in 0002/0003).
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        for flag in FLAGS:
            batch_op.add_column(
                sa.Column(flag, sa.Boolean(), nullable=False, server_default=sa.false())
            )
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        for flag in FLAGS:
            batch_op.alter_column(flag, existing_type=sa.Boolean(), server_default=None)

    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="text")
        )
        batch_op.add_column(sa.Column("offer_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_message_offer_id_custom_offer", "custom_offer", ["offer_id"], ["id"]
        )
        batch_op.create_check_constraint(
            "ck_message_kind", "kind IN ('text', 'offer', 'offer_request')"
        )
        batch_op.create_index("ix_message_conversation_created", ["conversation_id", "id"])
        batch_op.create_index("ix_message_sender_created", ["sender_id", "created_at"])
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=sa.String(length=16), server_default=None)

    with op.batch_alter_table("custom_offer", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("requirements", sa.String(length=1500), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("responded_at", UTCDateTime(), nullable=True))
    with op.batch_alter_table("custom_offer", schema=None) as batch_op:
        batch_op.alter_column(
            "requirements", existing_type=sa.String(length=1500), server_default=None
        )

    op.create_table(
        "user_block",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("blocker_id", sa.Integer(), nullable=False),
        sa.Column("blocked_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("blocker_id <> blocked_id", name="ck_user_block_two_people"),
        sa.ForeignKeyConstraint(["blocked_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["blocker_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("blocker_id", "blocked_id", name="uq_user_block_pair"),
    )
    with op.batch_alter_table("user_block", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_block_blocker_id"), ["blocker_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_user_block_blocked_id"), ["blocked_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("user_block", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_block_blocked_id"))
        batch_op.drop_index(batch_op.f("ix_user_block_blocker_id"))
    op.drop_table("user_block")
    with op.batch_alter_table("custom_offer", schema=None) as batch_op:
        batch_op.drop_column("responded_at")
        batch_op.drop_column("requirements")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index("ix_message_sender_created")
        batch_op.drop_index("ix_message_conversation_created")
        batch_op.drop_constraint("ck_message_kind", type_="check")
        batch_op.drop_constraint("fk_message_offer_id_custom_offer", type_="foreignkey")
        batch_op.drop_column("offer_id")
        batch_op.drop_column("kind")
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        for flag in reversed(FLAGS):
            batch_op.drop_column(flag)
