"""Draft (a decree drafted for a region from a template), its rendered versions, and the acts
its Mengingat cites. (Jobs, such as batch drafting, live in legalbase/jobs/.)"""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import Base, utcnow


class Draft(Base):
    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template: Mapped[str] = mapped_column(String(80))
    template_version: Mapped[int] = mapped_column(Integer)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    fields: Mapped[dict] = mapped_column(JSON)
    options: Mapped[dict] = mapped_column(JSON)
    lint: Mapped[list] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # draf -> diajukan (sent for the head's signature) -> ditetapkan (the signed SK uploaded)
    state: Mapped[str] = mapped_column(String(16), default="draf", server_default="draf")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    enacted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    regulation_id: Mapped[int | None] = mapped_column(ForeignKey("regulations.id"))

    versions = relationship("DraftVersion", order_by="DraftVersion.number", back_populates="draft")


class DraftVersion(Base):
    __tablename__ = "draft_versions"
    __table_args__ = (
        UniqueConstraint("draft_id", "number", name="uq_draft_versions_draft_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    docx_sha256: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    inputs_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    draft = relationship(Draft, back_populates="versions")


class DraftCitation(Base):
    """A regulation the draft's Mengingat cites (for impact questions)."""

    __tablename__ = "draft_citations"

    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), primary_key=True)
    regulation_id: Mapped[int] = mapped_column(
        ForeignKey("regulations.id"), primary_key=True, index=True
    )
