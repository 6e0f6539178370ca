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


def shade(share: float) -> str:
    """A colour from green (every kabupaten/kota covered) to red (none covered)."""
    steps = ("#1a9850", "#91cf60", "#d9ef8b", "#fee08b", "#fc8d59", "#d73027")
    return steps[min(int(share * len(steps)), len(steps) - 1)]
