"""Region: a province, kabupaten or kota, keyed by its Kemendagri code (`16`, `16.71`)."""

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base

LEVELS = ("provinsi", "kabupaten", "kota")


class Region(Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(10), index=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    head_title: Mapped[str] = mapped_column(String(160))
    seat: Mapped[str | None] = mapped_column(String(120))
    autonomous: Mapped[bool] = mapped_column(Boolean, default=True)

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"
