"""Questions about regions: look one up, list them, and how they nest."""

from sqlalchemy import or_, select

from ..core import db
from ..core.errors import NotFound
from .models import Region


def get_region(code: str) -> Region:
    """The region with Kemendagri `code`, or NotFound."""
    region = db.session.get(Region, code)
    if region is None:
        raise NotFound(f"Wilayah dengan kode '{code}' tidak ditemukan.", {"code": code})
    return region


def find_region(code: str | None) -> Region | None:
    """The region with `code`, or None."""
    return db.session.get(Region, code) if code else None


def list_regions(
    level: str | None = None,
    parent: str | None = None,
    q: str | None = None,
    page: int = 1,
    per_page: int = 100,
) -> db.Page:
    """Regions by level, parent and a name fragment, in code order."""
    query = select(Region).order_by(Region.code)
    if level:
        query = query.where(Region.level == level)
    if parent:
        query = query.where(Region.parent_code == parent)
    if q:
        words = [word for word in q.split() if word]
        for word in words:
            query = query.where(or_(Region.name.ilike(f"%{word}%"), Region.code == word))
    return db.paginate(query, page, per_page)


def is_within(code: str, ancestor: str | None) -> bool:
    """Whether region `code` is `ancestor` itself or lies inside it (16.71 lies in 16)."""
    if not ancestor:
        return False
    return code == ancestor or code.startswith(ancestor + ".")


def head_title_for(name: str, level: str) -> str:
    """The title its head signs with: GUBERNUR ACEH, BUPATI MUARA ENIM, WALI KOTA PALEMBANG."""
    if level == "provinsi":
        return f"GUBERNUR {name.upper()}"
    if level == "kabupaten":
        return f"BUPATI {_strip_prefix(name, 'Kabupaten').upper()}"
    return f"WALI KOTA {_strip_prefix(name, 'Kota').upper()}"


def _strip_prefix(name: str, prefix: str) -> str:
    return name[len(prefix) :].strip() if name.startswith(prefix + " ") else name
