"""The figures of coverage, drawn on the server as SVG: the provincial map (the 38 provinces
from the GeoJSON the app ships: no script, nothing fetched) and the monthly timeline. The front
page (legalbase/web) and the coverage report (legalbase/reporting) draw from these same shapes,
colours and lines; `map_svg` and `chart_svg` give whole SVG documents for a raster image."""

import json
from datetime import date
from functools import cache
from html import escape
from pathlib import Path

from sqlalchemy import func, select

from ..core import db
from ..corpus.status import corpus_stamp
from .models import Attestation
from .reports import timeline

# The GeoJSON is a static file of the pages, shipped with the package.
GEOJSON = Path(__file__).resolve().parents[1] / "web" / "static" / "geo" / "provinces-38.geojson"
WEST, EAST, NORTH, SOUTH = 94.5, 141.5, 6.5, -11.5
WIDTH = 940
HEIGHT = round(WIDTH * (NORTH - SOUTH) / (EAST - WEST))
CREDIT = (
    "Batas provinsi: Indonesia GeoJSON & TopoJSON Maps (38 Provinces) oleh Deny Herianto, "
    "CC BY 4.0, diubah (kode provinsi dikoreksi); batas bersifat indikatif."
)


@cache
def province_paths() -> dict[str, str]:
    """SVG path data of each province, by Kemendagri code."""
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    return {feature["properties"]["KODE_PROV"]: _path(feature["geometry"]) for feature in features}


def _path(geometry: dict) -> str:
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    return " ".join(_ring(ring) for polygon in polygons for ring in polygon)


def _ring(ring: list) -> str:
    points = [_project(lon, lat) for lon, lat in ring]
    head, *tail = points
    return f"M{head[0]:.1f},{head[1]:.1f}" + "".join(f"L{x:.1f},{y:.1f}" for x, y in tail) + "Z"


def _project(lon: float, lat: float) -> tuple[float, float]:
    return ((lon - WEST) / (EAST - WEST) * WIDTH, (NORTH - lat) / (NORTH - SOUTH) * HEIGHT)


STEPS = ("#1a9850", "#91cf60", "#d9ef8b", "#fee08b", "#fc8d59", "#d73027")
UNREPORTED_FILL = "url(#pola-belum-melapor)"


def shade(share: float) -> str:
    """A colour from green (every region that reported is covered) to red (none is)."""
    return STEPS[min(int(share * len(STEPS)), len(STEPS) - 1)]


def ramp() -> list[dict]:
    """The colour steps of the map with the range of shares each one stands for."""
    size = 100 / len(STEPS)
    return [
        {"fill": fill, "label": f"{round(i * size)}–{round((i + 1) * size)}%"}
        for i, fill in enumerate(STEPS)
    ]


def province_shapes(items: list) -> list[dict]:
    """Each province's outline, fill and title from the coverage of its regions.

    A province's colour counts the province itself and its kabupaten/kota, leaving out those
    not required to have a basis: it is the share of those that reported (any status but
    `unreported`) without a current basis. A province none of whose regions reported is
    hatched grey instead, never red: an unreported region is unknown, not a known gap. The title
    also says how many of its regions are drafting their basis (in progress)."""
    paths = province_paths()
    tallies = _tallies(items)
    return [_shape(code, name, paths[code], tallies[code]) for code, name in _provinces(items)]


def _provinces(items: list) -> list[tuple[str, str]]:
    return [(i.region.code, i.region.name) for i in items if i.region.level == "provinsi"]


def _tallies(items: list) -> dict[str, dict]:
    tallies: dict[str, dict] = {}
    for item in items:
        if item.status == "not_required":
            continue
        tally = tallies.setdefault(
            item.region.parent_code or item.region.code,
            {"required": 0, "reported": 0, "lacking": 0, "in_progress": 0},
        )
        tally["required"] += 1
        tally["reported"] += item.status != "unreported"
        tally["lacking"] += item.status not in ("unreported", "current")
        tally["in_progress"] += item.in_progress is not None
    return tallies


def _shape(code: str, name: str, path: str, tally: dict) -> dict:
    required, reported, lacking = tally["required"], tally["reported"], tally["lacking"]
    drafting = f"; {tally['in_progress']} sedang menyusun draf" if tally["in_progress"] else ""
    shape = {"code": code, "path": path, "in_progress": tally["in_progress"]}
    if not reported:
        return {
            **shape,
            "fill": UNREPORTED_FILL,
            "kind": "belum-melapor",
            "title": f"{name}: belum satu pun dari {required} wilayah melapor{drafting}",
        }
    return {
        **shape,
        "fill": shade(lacking / reported),
        "kind": "melapor" if reported == required else "melapor sebagian-melapor",
        "title": f"{name}: {lacking} dari {reported} wilayah yang melapor tanpa dasar hukum "
        f"yang berlaku; {required - reported} dari {required} belum melapor{drafting}",
    }


# --- the monthly timeline -------------------------------------------------------------------

MONTHS = 12
SERIES = (
    ("current", "#1a9850"),
    ("outdated", "#fc8d59"),
    ("missing", "#d73027"),
    ("unreported", "#8c8c8c"),
)
CHART_WIDTH, CHART_HEIGHT, PAD = 720, 220, 30
_cache: dict = {}


def monthly_counts(today: date | None = None) -> list[dict]:
    """National counts per status at the end of each of the last twelve months up to `today`,
    computed once per corpus state and day."""
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
    step = (CHART_WIDTH - 2 * PAD) / max(len(points) - 1, 1)

    def xy(index: int, value: int) -> str:
        y = CHART_HEIGHT - PAD - value / top * (CHART_HEIGHT - 2 * PAD)
        return f"{PAD + index * step:.1f},{y:.1f}"

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
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "points": points,
    }


# --- whole SVG documents (for images outside the pages) --------------------------------------

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
# The pages' stylesheet, written into the drawing: white borders, dashed where partly reported.
PATH_STYLE = {
    "melapor": 'stroke="#ffffff" stroke-width="0.6"',
    "belum-melapor": 'stroke="#ffffff" stroke-width="0.6"',
    "melapor sebagian-melapor": 'stroke="#3d3d3d" stroke-width="1" stroke-dasharray="3 2"',
}
HATCH = (
    '<defs><pattern id="pola-belum-melapor" width="6" height="6" patternUnits="userSpaceOnUse"'
    ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#d9d9d9"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#8c8c8c" stroke-width="2"/></pattern></defs>'
)


def map_svg(shapes: list[dict]) -> str:
    """The provincial map as one SVG document: the shapes of `province_shapes`, filled and
    bordered as on the front page."""
    paths = "".join(
        f'<path d="{shape["path"]}" fill="{shape["fill"]}" {PATH_STYLE[shape["kind"]]}/>'
        for shape in shapes
    )
    background = f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#eef6fb"/>'
    return SVG_OPEN.format(w=WIDTH, h=HEIGHT) + HATCH + background + paths + "</svg>"


def chart_svg(chart: dict) -> str:
    """The monthly timeline as one SVG document: the lines and labels of `timeline_chart`."""
    width, height = chart["width"], chart["height"]
    lines = "".join(
        f'<polyline fill="none" stroke="{line["colour"]}" stroke-width="2"'
        f' points="{line["points"]}"/>'
        for line in chart["lines"]
    )
    labels = "".join(
        f'<text x="{label["x"]}" y="{height - 8}" font-size="10" font-family="Arial"'
        f' text-anchor="middle">{escape(label["text"][2:])}</text>'
        for label in chart["labels"]
    )
    top = f'<text x="4" y="24" font-size="10" font-family="Arial">{chart["top"]}</text>'
    background = f'<rect width="{width}" height="{height}" fill="#fafbfc"/>'
    return SVG_OPEN.format(w=width, h=height) + background + lines + labels + top + "</svg>"
