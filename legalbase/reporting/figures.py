"""The coverage figures as PNG images for the report: the SVG the front page draws (coverage's
figures), rasterised with CairoSVG.

CairoSVG rather than matplotlib: the map and the chart are SVG already (paths, a hatch pattern,
polylines), so rasterising them gives the very drawing of the pages, with no second drawing to
keep in step; matplotlib would redraw them (and bring numpy). CairoSVG needs the Cairo library
(Debian's libcairo2, present wherever LibreOffice is); where it is missing, `png` answers None
and the report says the figure could not be drawn.
"""

from ..coverage.figures import chart_svg, map_svg

MAP_PIXELS = 1880  # twice the map's drawing width: sharp at 16 cm on paper
CHART_PIXELS = 1440


def map_png(shapes: list[dict]) -> bytes | None:
    """The provincial map as PNG, or None where Cairo is not installed."""
    return png(map_svg(shapes), MAP_PIXELS)


def chart_png(chart: dict) -> bytes | None:
    """The monthly timeline as PNG, or None where Cairo is not installed."""
    return png(chart_svg(chart), CHART_PIXELS)


def png(svg: str, width: int) -> bytes | None:
    """An SVG document rasterised to `width` pixels, or None without the Cairo library."""
    try:
        import cairosvg
    except (ImportError, OSError):  # OSError: the package is there, libcairo2 is not
        return None
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=width)
