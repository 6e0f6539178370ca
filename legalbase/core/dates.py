"""Dates as Indonesian readers write them: '19 April 2007' (Babel), on pages, in lint findings
and in drafted decrees alike."""

from datetime import date

from babel.dates import format_date


def indonesian_date(day: date) -> str:
    """'19 April 2007'."""
    return format_date(day, "d MMMM y", locale="id")
