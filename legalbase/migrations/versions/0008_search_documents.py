"""search documents

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30

The PostgreSQL search backend's table: one row per live regulation, its analysed terms and
word pairs as tsvectors under GIN indexes, and the columns filters and facets read. On SQLite,
where that backend does not run, the same table with text columns stays empty, so that both
engines keep one schema. `legalbase setup` (or `legalbase search reindex`) fills it.
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    vector = postgresql.TSVECTOR().with_variant(sa.Text(), 'sqlite')
    op.create_table('search_documents',
    sa.Column('regulation_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('terms', vector, nullable=False),
    sa.Column('pairs', vector, nullable=False),
    sa.Column('form', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('province', sa.String(length=20), nullable=False),
    sa.Column('starts', sa.Integer(), nullable=False),
    sa.Column('ends', sa.Integer(), nullable=False),
    sa.Column('stamp', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('regulation_id', name=op.f('pk_search_documents'))
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index('ix_search_documents_terms', ['terms'], unique=False,
                              postgresql_using='gin')
        batch_op.create_index('ix_search_documents_pairs', ['pairs'], unique=False,
                              postgresql_using='gin')


def downgrade():
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_search_documents_pairs', postgresql_using='gin')
        batch_op.drop_index('ix_search_documents_terms', postgresql_using='gin')

    op.drop_table('search_documents')
