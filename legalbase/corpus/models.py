"""Regulation (with its JDIH metadata) and Relation (amends, revokes, implements, cites)."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import Base, utcnow
from .forms import FORMS

RELATION_KINDS = ("amends", "revokes", "implements", "cites")
# Indonesian label of each relation, as seen from its source and from its target.
RELATION_LABELS = {
    "amends": ("mengubah", "diubah oleh"),
    "revokes": ("mencabut", "dicabut oleh"),
    "implements": ("melaksanakan", "dilaksanakan oleh"),
    "cites": ("merujuk", "dirujuk oleh"),
}
TEXT_STATUSES = ("available", "no_text_layer", "pending_ocr", "unavailable")


class Regulation(Base):
    __tablename__ = "regulations"
    __table_args__ = (
        # Form, region (or national), year and normalised number identify a live record; the
        # key spells out "national" so that NULL regions cannot slip past the constraint.
        Index(
            "uq_regulations_identity_live",
            "identity_key",
            unique=True,
            sqlite_where=text("withdrawn_at IS NULL"),
            postgresql_where=text("withdrawn_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form: Mapped[str] = mapped_column(String(20), index=True)
    number: Mapped[str] = mapped_column(String(120))
    year: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(Text)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    identity_key: Mapped[str] = mapped_column(String(200))
    seed_key: Mapped[str | None] = mapped_column(String(60), unique=True)
    issuer: Mapped[str | None] = mapped_column(String(160))
    teu_badan: Mapped[str | None] = mapped_column(String(200))
    enacted_on: Mapped[date | None] = mapped_column(Date)
    promulgated_on: Mapped[date | None] = mapped_column(Date)
    place_of_enactment: Mapped[str | None] = mapped_column(String(120))
    gazette_kind: Mapped[str | None] = mapped_column(String(4))
    gazette_year: Mapped[int | None] = mapped_column(Integer)
    gazette_number: Mapped[str | None] = mapped_column(String(40))
    gazette_supplement: Mapped[str | None] = mapped_column(String(40))
    subjects: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(40), default="Indonesia")
    custodian: Mapped[str | None] = mapped_column(String(200))
    field_of_law: Mapped[str | None] = mapped_column(String(120))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str | None] = mapped_column(Text)
    text_status: Mapped[str] = mapped_column(String(20), default="unavailable")
    file_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    file_media_type: Mapped[str | None] = mapped_column(String(100))
    file_size: Mapped[int | None] = mapped_column(Integer)
    unresolved_citations: Mapped[list] = mapped_column(JSON, default=list)
    lint: Mapped[list] = mapped_column(JSON, default=list)
    # The first day it can be in force: derived from its dates (see status.py), kept for queries.
    in_force_from: Mapped[date] = mapped_column(Date, index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    region = relationship("Region", lazy="joined")

    @property
    def form_name(self) -> str:
        return FORMS[self.form].name

    @property
    def stated_start(self) -> date | None:
        """The first day in force as the record states it (period start, else promulgation,
        else enactment); None when it states no date."""
        return self.valid_from or self.promulgated_on or self.enacted_on

    @property
    def in_force_from_known(self) -> bool:
        """Whether `in_force_from` is a stated date, not 1 January of its year."""
        return self.stated_start is not None

    @property
    def in_force_since_year(self) -> int:
        """The year it came into force (known even when the day is not)."""
        return self.in_force_from.year

    @property
    def gazette(self) -> dict | None:
        """Where it was published (LN/BN/LD/BD), as one object; None when not recorded."""
        if self.gazette_kind is None:
            return None
        return {
            "kind": self.gazette_kind,
            "year": self.gazette_year,
            "number": self.gazette_number,
            "supplement": self.gazette_supplement,
        }

    @property
    def file(self) -> dict | None:
        """The stored file, as the API describes it; None when there is none."""
        if self.file_sha256 is None:
            return None
        return {
            "sha256": self.file_sha256,
            "media_type": self.file_media_type,
            "size": self.file_size,
            "url": f"/api/v1/regulations/{self.id}/file",
        }

    @property
    def download_name(self) -> str | None:
        """The name its file downloads under: kepbup-188-45-123-KPTS-2025-2025.pdf."""
        if self.file_sha256 is None:
            return None
        from .files import EXTENSIONS

        safe_number = "".join(c if c.isalnum() else "-" for c in self.number).strip("-")
        return f"{self.form}-{safe_number}-{self.year}.{EXTENSIONS[self.file_media_type]}"

    def __repr__(self) -> str:
        return f"<Regulation {self.id} {self.form} {self.number}/{self.year}>"


class Relation(Base):
    """`source` <kind> `target`: Perpres 49/2023 amends Perpres 69/2008, from `effective_on`."""

    __tablename__ = "relations"
    __table_args__ = (
        UniqueConstraint("kind", "source_id", "target_id", name="uq_relations_kind_source_target"),
        CheckConstraint("source_id <> target_id", name="not_self"),
        CheckConstraint("kind IN ('amends', 'revokes', 'implements', 'cites')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    source_id: Mapped[int] = mapped_column(ForeignKey("regulations.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("regulations.id"), index=True)
    effective_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    source = relationship(Regulation, foreign_keys=[source_id])
    target = relationship(Regulation, foreign_keys=[target_id])
