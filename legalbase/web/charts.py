"""The dashboard's monthly timeline as SVG lines (no script): drawn by coverage's figures, which
the coverage report draws from too."""

from ..coverage.figures import MONTHS, SERIES, monthly_counts, timeline_chart

__all__ = ["MONTHS", "SERIES", "monthly_counts", "timeline_chart"]
