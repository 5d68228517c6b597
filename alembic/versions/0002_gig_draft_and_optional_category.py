"""gig editor: Gig.draft (the editor's working copy) and an optional category for new drafts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing gigs get an empty draft; the editor rebuilds one from their live rows.
    # The server default exists only to fill those rows and is dropped right after.
    with op.batch_alter_table('gig', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('draft', sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
        batch_op.alter_column('category_id', existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table('gig', schema=None) as batch_op:
        batch_op.alter_column('draft', existing_type=sa.JSON(), server_default=None)


def downgrade() -> None:
    # A draft that never chose a category cannot exist in the old schema: it has no live
    # content (nothing was published), so it goes, with its child rows.
    bind = op.get_bind()
    orphans = sa.text('SELECT id FROM gig WHERE category_id IS NULL')
    ids = [row[0] for row in bind.execute(orphans)]
    for table in ('gig_package', 'gig_extra', 'gig_faq', 'gig_requirement', 'gig_media', 'favorite'):
        for gig_id in ids:
            bind.execute(sa.text(f'DELETE FROM {table} WHERE gig_id = :id'), {'id': gig_id})
    for gig_id in ids:
        bind.execute(sa.text('DELETE FROM search_outbox WHERE gig_id = :id'), {'id': gig_id})
        bind.execute(sa.text('DELETE FROM gig WHERE id = :id'), {'id': gig_id})
    with op.batch_alter_table('gig', schema=None) as batch_op:
        batch_op.alter_column('category_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('draft')
