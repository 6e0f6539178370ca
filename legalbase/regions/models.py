"""Region: a province, kabupaten or kota, keyed by its Kemendagri code (`16`, `16.71`)."""

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Base

LEVELS = ("provinsi", "kabupaten", "kota")
# How sure the registry is of a seat, with the words the pages and lint print.
SEAT_CONFIDENCE = {
    "confirmed": "terkonfirmasi: dua sumber sepakat",
    "majority": "mayoritas sumber",
    "variant": "varian nama antarsumber",
    "conflicting": "sumber bertentangan",
    "curated": "fakta registri legalbase",
    "corrected": "dikoreksi oleh daerah",
}
UNSURE_SEATS = ("majority", "variant", "conflicting")  # drafting warns before printing these


class Region(Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(10), index=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    head_title: Mapped[str] = mapped_column(String(160))
    seat: Mapped[str | None] = mapped_column(String(120))
    # seat_confidence "corrected": set by the region itself; `corpus sync` leaves it alone.
    seat_confidence: Mapped[str | None] = mapped_column(String(20))
    seat_source: Mapped[str | None] = mapped_column(String(120))
    seat_note: Mapped[str | None] = mapped_column(String(500))
    autonomous: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def seat_confidence_label(self) -> str | None:
        """The seat's confidence in words (Bahasa Indonesia), or None without a seat."""
        return SEAT_CONFIDENCE.get(self.seat_confidence) if self.seat else None

    @property
    def seat_corrected(self) -> bool:
        """Whether the region corrected its seat here (sync then leaves it alone)."""
        return self.seat_confidence == "corrected"

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"
