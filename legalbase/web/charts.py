"""The dashboard's monthly timeline, drawn on the server as SVG lines (no script)."""

from datetime import date

from sqlalchemy import func, select

from ..core import db
from ..corpus.status import corpus_stamp
from ..coverage.models import Attestation
from ..coverage.reports import timeline

MONTHS = 12
SERIES = (
    ("current", "#1a9850"),
    ("outdated", "#fc8d59"),
    ("missing", "#d73027"),
    ("unreported", "#8c8c8c"),
)
WIDTH, HEIGHT, PAD = 720, 220, 30
_cache: dict = {}


def monthly_counts(today: date | None = None) -> list[dict]:
    """National counts per status at the end of each of the last twelve months, computed once
    per corpus state and day."""
    today = today or date.today()
    attestations = db.session.scalar(select(func.count(Attestation.id)))
    key = (str(db.engine().url), corpus_stamp(), attestations, today)
    if key not in _cache:
        _cache.clear()
        start = date(today.year - (today.month <= MONTHS - 1), (today.month - MONTHS) % 12 + 1, 1)
        _cache[key] = timeline(start, today)
    return _cache[key]


def timeline_chart(points: list[dict]) -> dict:
    """Polylines (one per status) and axis labels for the months given."""
    top = max([p["summary"][name] for p in points for name, _ in SERIES] + [1])
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)

    def xy(index: int, value: int) -> str:
        return f"{PAD + index * step:.1f},{HEIGHT - PAD - value / top * (HEIGHT - 2 * PAD):.1f}"

    lines = [
        {
            "status": name,
            "colour": colour,
            "points": " ".join(xy(i, p["summary"][name]) for i, p in enumerate(points)),
        }
        for name, colour in SERIES
    ]
    labels = [{"x": PAD + i * step, "text": p["month"]} for i, p in enumerate(points)]
    return {
        "lines": lines,
        "labels": labels,
        "top": top,
        "width": WIDTH,
        "height": HEIGHT,
        "points": points,
    }
