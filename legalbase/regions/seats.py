"""A region corrects its own seat: recorded as `corrected`, audited, kept by `corpus sync`."""

from ..core import audit
from ..core.errors import Invalid
from .models import Region
from .seed import SEAT_FIELDS, region_snapshot

SEAT_MAX = 120
DEFAULT_NOTE = "Dikoreksi di instans ini; siapa dan kapan tercatat di log audit."


def correct_seat(region: Region, seat: str, note: str | None, actor: audit.Actor) -> bool:
    """Set the region's seat as corrected locally, auditing the change; flushes nothing.
    Returns whether anything changed."""
    seat = _checked_seat(seat)
    after = {
        "seat": seat,
        "seat_confidence": "corrected",
        "seat_source": "koreksi daerah",
        "seat_note": (note or "").strip() or DEFAULT_NOTE,
    }
    current = {key: value for key, value in region_snapshot(region).items() if key in SEAT_FIELDS}
    before, changed = audit.changed_fields(current, after)
    if not changed:
        return False
    for key, value in changed.items():
        setattr(region, key, value)
    audit.record(actor, "update", "region", region.code, before, changed, region.code)
    return True


def _checked_seat(seat: str) -> str:
    seat = " ".join((seat or "").split())
    if not seat or len(seat) > SEAT_MAX:
        raise Invalid(
            "Ibu kota tidak valid; periksa kolom yang disebutkan.",
            {"fields": {"seat": [f"Wajib diisi, paling banyak {SEAT_MAX} karakter."]}},
        )
    return seat
