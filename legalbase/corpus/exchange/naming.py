"""How an outside catalogue (JDIH) writes a regulation: its T.E.U. badan, its jenis, the prefix
its judul puts before the title, its gazette reference and its subjects as text; and reading the
gazette reference and the subjects back."""

import re

from ..forms import FORMS, NATIONAL
from ..models import Regulation

CENTRAL_GOVERNMENT = "Pemerintah Pusat"
# Ministers whose ministry is not simply "Kementerian" + what follows "Menteri".
MINISTRIES = {"Menteri Sekretaris Negara": "Kementerian Sekretariat Negara"}
SUBJECT_SEPARATOR = " - "
_SUMBER = re.compile(r"(LN|BN|LD|BD)(?: (\d{4}))?(?: \(([^)]*)\))?(?:, T[A-Z]{2} (.+))?")


def teu_badan_of(regulation: Regulation) -> str:
    """The T.E.U. badan as stated, else the government it belongs to: its region's
    ("Pemerintah Kabupaten Lahat"), a minister's ministry, else "Pemerintah Pusat"."""
    if regulation.teu_badan:
        return regulation.teu_badan
    if regulation.region is not None:
        return government_of(regulation.region)
    return ministry_of(regulation.issuer) or CENTRAL_GOVERNMENT


def government_of(region) -> str:
    """ "Pemerintah Provinsi Sumatera Selatan", "Pemerintah Kota Palembang"."""
    if region.level == "provinsi":
        return f"Pemerintah Provinsi {region.name}"
    return f"Pemerintah {region.name}"


def ministry_of(issuer: str | None) -> str | None:
    """The ministry of a minister ("Menteri Dalam Negeri": "Kementerian Dalam Negeri"), or
    None when the issuer is no minister or its ministry cannot be named from it with certainty
    (a joint office such as "Menteri PPN/Kepala Bappenas")."""
    if not issuer or not issuer.startswith("Menteri "):
        return None
    if issuer in MINISTRIES:
        return MINISTRIES[issuer]
    portfolio = issuer.removeprefix("Menteri ")
    if "/" in portfolio or "Kepala " in portfolio or "Sekretaris" in portfolio:
        return None
    return f"Kementerian {portfolio}"


def jenis_of(form: str, issuer: str | None) -> str:
    """The jenis of a form; a minister's series names its issuer ("Peraturan Menteri ...")."""
    name = FORMS[form].name
    if form in ("permen", "kepmen") and isinstance(issuer, str) and issuer.startswith("Menteri "):
        return f"{name.split()[0]} {issuer}"
    return name


def title_prefix(form: str, region, number: str, year, issuer: str | None) -> str:
    """What the judul puts before the title: '<jenis> [<region>] Nomor <n> Tahun <y> tentang '
    (a number that already ends in 'Tahun <y>', like '460/105 Tahun 2017', says it once)."""
    year_part = f"Tahun {year}"
    if not str(number).casefold().endswith(year_part.casefold()):
        number = f"{number} {year_part}"
    return f"{_title_head(form, region, issuer)} Nomor {number} tentang "


def _title_head(form: str, region, issuer: str | None) -> str:
    if FORMS[form].scope == NATIONAL or region is None:
        return jenis_of(form, issuer)
    if form == "kepkadis" and issuer:  # "Keputusan Kepala Dinas ... Kabupaten Banyuwangi"
        return f"Keputusan {issuer}"
    if form == "perda_kabkota":  # "Peraturan Daerah Kota Palembang"
        return f"Peraturan Daerah {region.name}"
    if region.level in ("kabupaten", "kota"):  # "Peraturan Bupati Tanah Laut"
        return f"{FORMS[form].name} {_strip_level(region.name)}"
    return f"{FORMS[form].name} {region.name}"


def _strip_level(name: str) -> str:
    for prefix in ("Kabupaten ", "Kota "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def gazette_text(gazette: dict | None) -> str:
    """A gazette reference as JDIH writes it, 'LN 2007 (58), TLN 4720'; '' when unknown."""
    if not gazette:
        return ""
    parts = [gazette["kind"]]
    if gazette["year"] is not None:
        parts.append(str(gazette["year"]))
    if gazette["number"] is not None:
        parts.append(f"({gazette['number']})")
    text = " ".join(parts)
    if gazette["supplement"] is not None:
        text += f", T{gazette['kind']} {gazette['supplement']}"
    return text


def gazette_from_sumber(sumber) -> dict:
    """{"gazette": ...} when the sumber is empty or reads as 'LN 2007 (58), TLN 4720'; else {}."""
    if sumber is None:
        return {"gazette": None}
    match = _SUMBER.fullmatch(sumber) if isinstance(sumber, str) else None
    if match is None:
        return {}
    kind, year, number, supplement = match.groups()
    return {"gazette": {"kind": kind, "year": year, "number": number, "supplement": supplement}}


def split_subjects(text) -> list:
    """Subjects joined by ' - ' as a list (an empty text: none)."""
    if not isinstance(text, str):
        return text if text is not None else []
    return [part.strip() for part in text.split(SUBJECT_SEPARATOR) if part.strip()]
