"""draft states

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05

A draft moves from `draf` to `diajukan` (sent for the regional head's signature) and to
`ditetapkan` once the signed SK is uploaded against it: `state`, when it was submitted and
enacted, and the regulation the signed SK became. Existing drafts are `draf`.
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('state', sa.String(length=16), server_default='draf', nullable=False)
        )
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('enacted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('regulation_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_drafts_regulation_id_regulations'),
            'regulations',
            ['regulation_id'],
            ['id'],
        )


def downgrade():
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_drafts_regulation_id_regulations'), type_='foreignkey'
        )
        batch_op.drop_column('regulation_id')
        batch_op.drop_column('enacted_at')
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('state')
