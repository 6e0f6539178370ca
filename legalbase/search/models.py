"""The search outbox: regulations whose index entry must be brought in line with the database."""

from datetime import datetime

from sqlalchemy import DateTime, Integer
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, utcnow


class SearchOutbox(Base):
    """One pending index change: re-read regulation `regulation_id` and index it (or drop it)."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regulation_id: Mapped[int] = mapped_column(Integer, index=True)
    enqueued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
