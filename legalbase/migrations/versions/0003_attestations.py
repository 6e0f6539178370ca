"""Attestations: dated statements that a region has, or has no, legal basis

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "attestations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=8), nullable=False),
        sa.Column("has_basis", sa.Boolean(), nullable=False),
        sa.Column("stated_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("stated_by_id", sa.Integer(), nullable=True),
        sa.Column("stated_by_label", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["region_code"], ["regions.code"],
                                name=op.f("fk_attestations_region_code_regions")),
        sa.ForeignKeyConstraint(["stated_by_id"], ["users.id"],
                                name=op.f("fk_attestations_stated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attestations")),
    )
    with op.batch_alter_table("attestations") as batch:
        batch.create_index(batch.f("ix_attestations_region_code"), ["region_code"])


def downgrade():
    with op.batch_alter_table("attestations") as batch:
        batch.drop_index(batch.f("ix_attestations_region_code"))
    op.drop_table("attestations")
