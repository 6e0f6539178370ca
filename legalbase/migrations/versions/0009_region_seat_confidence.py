"""region seat confidence

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04

Every seat says how sure the registry is of it (`seat_confidence`), where it comes from
(`seat_source`) and why (`seat_note`); a seat its region corrected has the confidence
`corrected` and is left alone by `corpus sync`. The next sync fills the new columns.
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seat_confidence', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('seat_source', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('seat_note', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_column('seat_note')
        batch_op.drop_column('seat_source')
        batch_op.drop_column('seat_confidence')
