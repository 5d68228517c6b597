"""message uploads: who stored each message file, and the message it went out with

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 07:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import marketplace.db

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Files sent before this revision have no row: they are never swept.
    op.create_table(
        "message_upload",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("uploader_id", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", marketplace.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["message_id"], ["message.id"]),
        sa.ForeignKeyConstraint(["uploader_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_message_upload_uploader_id", "message_upload", ["uploader_id"])
    op.create_index("ix_message_upload_message_id", "message_upload", ["message_id"])
    op.create_index(
        "ix_message_upload_unsent",
        "message_upload",
        ["created_at"],
        sqlite_where=sa.text("message_id IS NULL"),
        postgresql_where=sa.text("message_id IS NULL"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_message_upload_unsent",
        table_name="message_upload",
        sqlite_where=sa.text("message_id IS NULL"),
        postgresql_where=sa.text("message_id IS NULL"),
    )
    op.drop_index("ix_message_upload_message_id", table_name="message_upload")
    op.drop_index("ix_message_upload_uploader_id", table_name="message_upload")
    op.drop_table("message_upload")
