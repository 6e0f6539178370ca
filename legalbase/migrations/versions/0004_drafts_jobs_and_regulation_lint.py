"""drafts jobs and regulation lint

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

Drafts with their versions and the acts they cite, jobs, and the lint findings on the
Mengingat of an uploaded regulation.
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template', sa.String(length=80), nullable=False),
    sa.Column('template_version', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=8), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('lint', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_drafts_created_by_id_users')),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_drafts_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafts'))
    )
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drafts_region_code'), ['region_code'], unique=False)

    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('result_sha256', sa.String(length=64), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('region_code', sa.String(length=8), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_jobs_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_region_code'), ['region_code'], unique=False)

    op.create_table('draft_citations',
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('regulation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_draft_citations_draft_id_drafts')),
    sa.ForeignKeyConstraint(['regulation_id'], ['regulations.id'], name=op.f('fk_draft_citations_regulation_id_regulations')),
    sa.PrimaryKeyConstraint('draft_id', 'regulation_id', name=op.f('pk_draft_citations'))
    )
    with op.batch_alter_table('draft_citations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_citations_regulation_id'), ['regulation_id'], unique=False)

    op.create_table('draft_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('docx_sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('inputs_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_draft_versions_draft_id_drafts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_versions')),
    sa.UniqueConstraint('draft_id', 'number', name='uq_draft_versions_draft_number')
    )
    with op.batch_alter_table('draft_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_versions_draft_id'), ['draft_id'], unique=False)

    with op.batch_alter_table('regulations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lint', sa.JSON(), nullable=False, server_default='[]'))



def downgrade():
    with op.batch_alter_table('regulations', schema=None) as batch_op:
        batch_op.drop_column('lint')

    with op.batch_alter_table('draft_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_versions_draft_id'))

    op.drop_table('draft_versions')
    with op.batch_alter_table('draft_citations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_citations_regulation_id'))

    op.drop_table('draft_citations')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_region_code'))

    op.drop_table('jobs')
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drafts_region_code'))

    op.drop_table('drafts')
