"""notifications: pushed_at, so any web process can push rows another process wrote

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import marketplace.db

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pushed_at", marketplace.db.UTCDateTime(timezone=True), nullable=True)
        )
    # Rows from before the relay: their tabs caught up long ago (nothing to push).
    op.execute("UPDATE notification SET pushed_at = created_at")
    op.create_index(
        "ix_notification_unpushed",
        "notification",
        ["id"],
        unique=False,
        sqlite_where=sa.text("pushed_at IS NULL"),
        postgresql_where=sa.text("pushed_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_notification_unpushed",
        table_name="notification",
        sqlite_where=sa.text("pushed_at IS NULL"),
        postgresql_where=sa.text("pushed_at IS NULL"),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_column("pushed_at")
