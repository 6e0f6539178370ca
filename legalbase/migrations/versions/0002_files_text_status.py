"""Regulation files, text status, unresolved citations, first day in force; minister series

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

Adds the stored file (sha256, media type, size), how the text stands, the citations that
resolved to nothing, and `in_force_from` (derived from the dates, backfilled here). A Peraturan
or Keputusan Menteri's identity now counts its issuer, so the identity keys are recomputed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("regulations") as batch:
        batch.add_column(sa.Column("text_status", sa.String(20), nullable=False,
                                   server_default="unavailable"))
        batch.add_column(sa.Column("file_sha256", sa.String(64), nullable=True))
        batch.add_column(sa.Column("file_media_type", sa.String(100), nullable=True))
        batch.add_column(sa.Column("file_size", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("unresolved_citations", sa.JSON(), nullable=False,
                                   server_default="[]"))
        batch.add_column(sa.Column("in_force_from", sa.Date(), nullable=True))
        batch.create_index("ix_regulations_file_sha256", ["file_sha256"])
        batch.create_index("ix_regulations_in_force_from", ["in_force_from"])
    _backfill()
    with op.batch_alter_table("regulations") as batch:
        batch.alter_column("in_force_from", existing_type=sa.Date(), nullable=False)
        batch.alter_column("text_status", server_default=None)
        batch.alter_column("unresolved_citations", server_default=None)


def _backfill():
    bind = op.get_bind()
    first_of_year = ("printf('%04d-01-01', year)" if bind.dialect.name == "sqlite"
                     else "make_date(year, 1, 1)")
    op.execute(f"UPDATE regulations SET in_force_from = COALESCE(valid_from, promulgated_on, "
               f"enacted_on, {first_of_year})")
    rows = bind.execute(sa.text("SELECT id, form, region_code, year, number, issuer "
                                "FROM regulations WHERE form IN ('permen', 'kepmen') "
                                "AND issuer IS NOT NULL")).all()
    for row in rows:
        key = (f"{row.form}:{' '.join(row.issuer.split()).casefold()}|"
               f"{row.region_code or 'national'}|{row.year}|"
               f"{' '.join(row.number.split()).casefold()}")
        bind.execute(sa.text("UPDATE regulations SET identity_key = :key WHERE id = :id"),
                     {"key": key, "id": row.id})


def downgrade():
    with op.batch_alter_table("regulations") as batch:
        batch.drop_index("ix_regulations_in_force_from")
        batch.drop_index("ix_regulations_file_sha256")
        for column in ("in_force_from", "unresolved_citations", "file_size", "file_media_type",
                       "file_sha256", "text_status"):
            batch.drop_column(column)
