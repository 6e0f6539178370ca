"""job leases

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

A running job holds a lease its runner renews as it works; a job whose lease ran out (its
worker was killed or restarted) is queued again, or failed after its last attempt.
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0',
                                      nullable=False))
        batch_op.add_column(sa.Column('worker', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_jobs_lease_until'), ['lease_until'], unique=False)


def downgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_lease_until'))
        batch_op.drop_column('lease_until')
        batch_op.drop_column('worker')
        batch_op.drop_column('attempts')
