"""The closing of a regulation: where and when it was enacted ("Ditetapkan di Purbalingga pada
tanggal 5 Januari 2026", "Disahkan di Jakarta" for a UU) and promulgated ("Diundangkan di ..."
or "Diundangkan dalam Lembaran Daerah ... Tanggal : 23 Desember 2003").

A date left blank in the document ("pada tanggal" and nothing, "pada tanggal …") stays None:
it is reported as blank, never guessed.
"""

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "januari",
            "februari",
            "maret",
            "april",
            "mei",
            "juni",
            "juli",
            "agustus",
            "september",
            "oktober",
            "november",
            "desember",
        ),
        start=1,
    )
}
# Older spellings still found in decrees and in the gazette of the 1950s, and abbreviations.
MONTHS.update(
    pebruari=2,
    nopember=11,
    djanuari=1,
    djuni=6,
    djuli=7,
    nopémber=11,
    agustus=8,
    jan=1,
    feb=2,
    peb=2,
    mar=3,
    apr=4,
    jun=6,
    jul=7,
    agt=8,
    agu=8,
    ags=8,
    agst=8,
    sep=9,
    sept=9,
    okt=10,
    nov=11,
    nop=11,
    des=12,
)
DATE = (
    r"(?P<day>\d{1,2})\s*(?:[-/.]\s*(?P<month_number>\d{1,2})\s*[-/.]|\s(?P<month>[A-Za-z]+)"
    r"\.?\s)\s*(?P<year>\d{4})"
)
PLACE = r"(?P<place>[A-Z][A-Za-z .'-]{0,60}?)"
ENACTED = re.compile(
    rf"\b(?:Ditetapkan|DITETAPKAN|Disahkan|DISAHKAN)\s+di\s*:?\s*{PLACE}\s*,?\s+"
    rf"(?:pada\s+)?tanggal\s*:?\s*(?:{DATE})?",
    re.I,
)
PROMULGATED = re.compile(
    rf"\bDiundangkan\s+di\s*:?\s*{PLACE}\s*,?\s+(?:pada\s+)?tanggal\s*:?\s*"
    rf"(?:{DATE})?",
    re.I,
)
PROMULGATED_IN_GAZETTE = re.compile(
    rf"\bDiundangkan\s+dalam\s+(?:Lembaran|Berita)\s+"
    rf"(?:Daerah|Negara)\b.{{0,120}}?\bTanggal\s*:?\s*{DATE}",
    re.I,
)


@dataclass
class Act:
    """One act of the closing: where (None: not written) and when (None: blank)."""

    place: str | None
    on: date | None
    blank: bool  # the document has the line, with its date left empty


def read_enactment(flat: str) -> Act | None:
    """Where and when the document was enacted (signed), or None when it says nothing."""
    return _first(ENACTED, flat)


def read_promulgation(flat: str) -> Act | None:
    """Where and when the document was promulgated, or None when it says nothing."""
    act = _first(PROMULGATED, flat)
    if act is None or act.on is None:
        gazette = PROMULGATED_IN_GAZETTE.search(flat)
        if gazette and (on := parse_date(gazette)) is not None:
            return Act(act.place if act else None, on, False)
    return act


def _first(pattern: re.Pattern, flat: str) -> Act | None:
    """The first closing line with a date, else the first one found (its date blank)."""
    found = None
    for match in pattern.finditer(flat):
        on = parse_date(match) if match["day"] else None
        act = Act(_place(match["place"]), on, on is None)
        if on is not None:
            return act
        found = found or act
    return found


def parse_date(match: re.Match) -> date | None:
    """The date a match of DATE spells, or None when it is no real date."""
    month = (
        int(match["month_number"])
        if match["month_number"]
        else MONTHS.get((match["month"] or "").casefold())
    )
    try:
        return date(int(match["year"]), month, int(match["day"])) if month else None
    except ValueError:
        return None


def _place(written: str) -> str | None:
    return " ".join(written.split()).strip(" ,.") or None
