"""The 38 provinces as SVG paths for the front page: drawn by coverage's figures, which the
coverage report draws from too."""

from ..coverage.figures import (
    CREDIT,
    HEIGHT,
    STEPS,
    UNREPORTED_FILL,
    WIDTH,
    province_paths,
    province_shapes,
    ramp,
    shade,
)

__all__ = [
    "CREDIT",
    "HEIGHT",
    "STEPS",
    "UNREPORTED_FILL",
    "WIDTH",
    "province_paths",
    "province_shapes",
    "ramp",
    "shade",
]
