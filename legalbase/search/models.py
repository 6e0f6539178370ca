"""The search tables: the outbox (Whoosh backend) and the search documents (PostgreSQL backend)."""

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Base, utcnow

# A tsvector on PostgreSQL; on SQLite, where the PostgreSQL backend refuses to run, the table
# exists only so that both engines share one schema, and stays empty.
Vector = TSVECTOR().with_variant(Text(), "sqlite")


class SearchOutbox(Base):
    """One pending index change: re-read regulation `regulation_id` and index it (or drop it)."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regulation_id: Mapped[int] = mapped_column(Integer, index=True)
    enqueued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SearchDocument(Base):
    """A live regulation as the PostgreSQL backend searches it, written in the same transaction
    as the regulation (see postgresql/index.py). Derived: `legalbase search reindex` rebuilds it."""

    __tablename__ = "search_documents"
    __table_args__ = (
        Index("ix_search_documents_terms", "terms", postgresql_using="gin"),
        Index("ix_search_documents_pairs", "pairs", postgresql_using="gin"),
    )

    regulation_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    # Analysed terms with positions, weighted by field: title A, keys (citation, number, form,
    # regions) B, subjects C, text D. Consecutive term pairs (phrases) without positions.
    terms: Mapped[str] = mapped_column(Vector)
    pairs: Mapped[str] = mapped_column(Vector)
    form: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    province: Mapped[str] = mapped_column(String(20))
    # In force from `starts` until the day before `ends`, both YYYYMMDD (as the Whoosh index).
    starts: Mapped[int] = mapped_column(Integer)
    ends: Mapped[int] = mapped_column(Integer)
    stamp: Mapped[str] = mapped_column(String(80))
