"""The append-only audit log: who did what to which record, when, with its state before and after.

Rows are only ever inserted: the ORM refuses to update or delete them, and the database refuses
too (triggers created by the migration).
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from . import db
from .db import Base, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_label: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    region_code: Mapped[str | None] = mapped_column(String(8), index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


class Actor:
    """Who is acting: a user, or a named system process (`corpus sync`)."""

    def __init__(self, label: str, user_id: int | None = None):
        self.label = label
        self.user_id = user_id

    @classmethod
    def system(cls, label: str) -> "Actor":
        return cls(label)


def record(
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: Any,
    before: dict | None,
    after: dict | None,
    region_code: str | None = None,
) -> AuditEntry:
    """Append one entry to the audit log (added to the session, never committed here)."""
    entry = AuditEntry(
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        region_code=region_code,
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry


def history(entity_type: str, entity_id: Any) -> list[AuditEntry]:
    """Audit entries of one record, oldest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id)
    )
    return list(db.session.scalars(query))


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    """The parts of two snapshots that differ, as (before, after)."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session, _context, _instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry):
            raise RuntimeError("audit log is append-only")


def audit_entries(
    region_code: str | None = None,
    entity_type: str | None = None,
    entity_id: str | None = None,
    page: int = 1,
    per_page: int = 100,
) -> db.Page:
    """One page of the audit log, newest first, narrowed by region and record."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if region_code is not None:
        query = query.where(AuditEntry.region_code == region_code)
    if entity_type is not None:
        query = query.where(AuditEntry.entity_type == entity_type)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    return db.paginate(query, page, per_page)
