"""freelancer_profile: when a seller's grace period below their level began (issue 23)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from marketplace.db import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("freelancer_profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("level_grace_since", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("freelancer_profile", schema=None) as batch_op:
        batch_op.drop_column("level_grace_since")
