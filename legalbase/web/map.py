"""The 38 provinces as SVG paths, drawn on the server from the GeoJSON the app ships (no
script, nothing fetched from the internet)."""

import json
from functools import cache
from pathlib import Path

GEOJSON = Path(__file__).resolve().parent / "static" / "geo" / "provinces-38.geojson"
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
