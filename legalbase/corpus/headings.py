"""The heading of a regulation: which instrument it is, who issued it, its number, year and
title, as a careful reader finds them in real documents.

    PERATURAN DAERAH KABUPATEN BANJARNEGARA / NOMOR 8 TAHUN 2025 / TENTANG / PERUBAHAN ATAS ...
    KEPUTUSAN GUBERNUR KALIMANTAN BARAT / NOMOR : 224 /BAPPEDA/2023 / TENTANG / FORUM ...
    UNDANG-UNDANG REPUBLIK INDONESIA NOMOR 21 TAHUN 2007 TENTANG PEMBERANTASAN ...

The first line naming an instrument ("KEPUTUSAN|PERATURAN <issuer> NOMOR ... TENTANG ...")
wins: the head's own line above it ("BUPATI BANJARNGERA") may be misspelt or garbled by a
decorative font, the instrument line rarely is. The region is proposed as names to look up in
the registry, the instrument's first, then the signatory's.
"""

import difflib
import re
from dataclasses import dataclass, field

HEAD_WORDS = {"GUBERNUR": "provinsi", "BUPATI": "kabupaten", "WALI KOTA": "kota"}
LEVEL_WORDS = {"PROVINSI": "provinsi", "KABUPATEN": "kabupaten", "KOTA": "kota"}
HEAD_FORMS = {
    ("KEPUTUSAN", "GUBERNUR"): "kepgub",
    ("KEPUTUSAN", "BUPATI"): "kepbup",
    ("KEPUTUSAN", "WALI KOTA"): "kepwal",
    ("PERATURAN", "GUBERNUR"): "pergub",
    ("PERATURAN", "BUPATI"): "perbup",
    ("PERATURAN", "WALI KOTA"): "perwal",
}
WALI_KOTA = re.compile(r"\bWALI\s?KOTA(?:\s?KOTA\b)?|\bWALIKOTA(?:KOTA)?\b")
# Bounded everywhere: a text repeating the start of a heading is not scanned to its end from
# every repetition (Hypothesis found the quadratic case).
INSTRUMENT = re.compile(
    r"\b(?P<kind>KEPUTUSAN|PERATURAN|UNDANG-UNDANG)\b(?P<issuer>[A-Z0-9 .,'()/&-]{0,200}?)"
    r"\s*\b(?:NOMOR\b|NO\.|No\.)\s*:?\s*(?P<number>\S.{0,60}?)\s+TENTANG\b\s*:?\s*"
    r"(?P<rest>.{0,1500})"
)
# Old acts name no "TENTANG": "PERATURAN PEMERINTAH NOMOR 19 TAHUN 1948 SURAT TANDA ...".
UNTITLED_INSTRUMENT = re.compile(
    r"\b(?P<kind>PERATURAN|UNDANG-UNDANG)\b(?P<issuer>(?: PEMERINTAH)?(?: REPUBLIK INDONESIA)?)"
    r"\s+(?:NOMOR|NO\.|No\.)\s*:?\s*(?P<number>\S{1,12}\s+TAHUN\s+\d{4})\b\s*"
    r"(?P<rest>.{0,1500})"
)
NUMBER_WITH_YEAR = re.compile(r"(?P<number>.+?)\s*\bTAHUN\s*(?P<year>\d{4})\b", re.I)
SIMPLE_NUMBER = re.compile(r"\d{1,4}[A-Z]?")
TRAILING_YEAR = re.compile(r"/\s*(?P<year>\d{4})$")
REGION_PART = re.compile(r"\b(?P<level>PROVINSI|KABUPATEN|KOTA)\s+(?P<name>[A-Z][A-Z .'-]{1,80})$")
HEAD_ISSUER = re.compile(
    r"^(?P<head>GUBERNUR|BUPATI|WALI KOTA)\s+"
    r"(?:(?P<level>PROVINSI|KABUPATEN|KOTA)\s+)?"
    r"(?P<name>[A-Z][A-Z .'-]{1,80})$"
)
TITLE_STOP = re.compile(
    r"\s*\b(?:DENGAN\s+RA[K]?HMAT|DENGAN\s+PERSETUJUAN|MEMUTUSKAN|MENIMBANG|"
    r"MENGINGAT|PRESIDEN\s+REPUBLIK\s+INDONESIA\s*,|I\s*\.\s*UMUM\b|"
    r"UMUM\s*$|PENJELASAN\b|PASAL\s+DEMI\s+PASAL)"
)
MIXED_TITLE_STOP = re.compile(
    r"\s*\b(?:Dengan\s+Rahmat|DENGAN\s+RAHMAT|Menimbang|MENIMBANG|"
    r"Presiden\s+Republik\s+Indonesia|Mengingat|Pasal\s+\d)\b"
)
SIGNATORY = re.compile(
    r"(?<!KEPUTUSAN )(?<!PERATURAN )\b(?:GUBERNUR|BUPATI|WALI ?KOTA|"
    r"SEKRETARIS DAERAH|KEPALA|PRESIDEN)\b"
)
LEADING_TENTANG = re.compile(r"^[\s.,:;]*(?:tentang\b)?[\s:]*", re.I)
SENTENCE_END = re.compile(r"\.\s+(?=[A-Z(])")
LIST_MARKERS = re.compile(r"(?:\s+(?:\d{1,2}|[a-z])\s*[.)]|\s*\*+\)?)+\s*$")
SIGNED = re.compile(
    r"(?<!KEPUTUSAN )(?<!PERATURAN )\b(?P<head>GUBERNUR|BUPATI|WALI\s?KOTA|"
    r"WALIKOTA)\s+(?:PROVINSI\s+|KABUPATEN\s+|KOTA\s+)?"
    r"(?P<name>[A-Z][A-Z .'-]{1,60}?)\s*,"
)
YEARS = range(1945, 2101)
NATIONAL_ISSUERS = ("PEMERINTAH", "PRESIDEN", "MENTERI")
HEADING_ZONE = 2500
OPENER = re.compile(
    r"\b(?:LAMPIRAN(?:\s+[IVX]+)?|PENJELASAN(?:\s+ATAS)?|SALINAN)\s*[:.]?\s*$", re.I
)


@dataclass
class Heading:
    """What a heading says: form, number, year, title, issuer, and regions to look up."""

    form: str
    number: str | None
    year: int | None
    title: str | None
    issuer: str | None = None
    region_hints: list[tuple[str, str]] = field(default_factory=list)  # (level, NAME)


def read_heading(flat: str) -> Heading | None:
    """The first instrument heading of a flattened text whose issuer is known, or None."""
    for pattern in (INSTRUMENT, UNTITLED_INSTRUMENT):
        for match in pattern.finditer(flat):
            if not _opens_a_document(flat, match.start()):
                continue
            heading = _heading(match)
            if heading is not None:
                heading.region_hints += signatories(flat, heading.region_hints)
                return heading
    return None


def _opens_a_document(flat: str, start: int) -> bool:
    """Whether a heading found at `start` is the document's own: near its beginning, or
    opening its Lampiran or Penjelasan (not an act quoted in capitals in the body)."""
    return start < HEADING_ZONE or bool(OPENER.search(flat[max(0, start - 60) : start]))


def signatories(flat: str, hints: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Other names the head signs with ("WALI KOTA MEDAN,"), of the level of `hints`: where
    the instrument's line was garbled, the head's line may not be."""
    levels = {level for level, _ in hints}
    found = []
    for match in SIGNED.finditer(flat):
        level = HEAD_WORDS[WALI_KOTA.sub("WALI KOTA", match["head"])]
        hint = (level, match["name"].strip())
        if (
            level in levels
            and hint not in hints
            and hint not in found
            and not re.search(r"\b(?:TENTANG|NOMOR)\b", hint[1])
        ):
            found.append(hint)
    return found[:3]


def _heading(match: re.Match) -> Heading | None:
    issuer = " ".join(match["issuer"].replace(",", ", ").split()).replace(" ,", ",")
    issuer = WALI_KOTA.sub("WALI KOTA", issuer)
    known = classify(match["kind"], issuer)
    if known is None:
        return None
    form, issuer_name, hints = known
    number, year = split_number(match["number"])
    # Old acts repeat their heading line: "... NOMOR 19 TAHUN 1948 PERATURAN PEMERINTAH ...".
    rest = match["rest"].removeprefix(match.group(0)[: match.start("rest") - match.start()])
    title = read_title(rest, issuer, hints)
    return Heading(form, number, year, title, issuer_name, hints)


def classify(kind: str, issuer: str) -> tuple[str, str | None, list] | None:
    """(form, issuer name, region hints) of an instrument named `kind` `issuer`, or None."""
    if kind == "UNDANG-UNDANG":
        return "uu", None, []
    national = _national(kind, issuer)
    if national:
        return national
    if kind == "PERATURAN" and issuer.startswith("DAERAH "):
        return _perda(issuer.removeprefix("DAERAH ").strip())
    head = HEAD_ISSUER.match(issuer)
    if head:
        level = HEAD_WORDS[head["head"]]
        return HEAD_FORMS[(kind, head["head"])], None, [(level, head["name"].strip())]
    if kind == "KEPUTUSAN":
        return _official(issuer)
    return None


def _national(kind: str, issuer: str) -> tuple[str, str | None, list] | None:
    issuer = _ocr_spelt(issuer)
    if issuer.startswith("PEMERINTAH PENGGANTI UNDANG-UNDANG"):
        return "perppu", None, []
    if kind == "PERATURAN" and issuer.startswith("PEMERINTAH") and "DAERAH" not in issuer:
        return "pp", None, []
    if kind == "PERATURAN" and issuer.startswith("PRESIDEN"):
        return "perpres", None, []
    if issuer.startswith("MENTERI "):
        minister = issuer.split(" REPUBLIK INDONESIA")[0]
        form = "permen" if kind == "PERATURAN" else "kepmen"
        return form, title_case_name(minister), []
    return None


def _ocr_spelt(issuer: str) -> str:
    """'PEMERNTAH REPUBLIK INDONESIA' -> 'PEMERINTAH REPUBLIK INDONESIA': the first word of a
    national issuer as OCR misspells it, when it is near enough to one."""
    first, _, rest = issuer.partition(" ")
    near = difflib.get_close_matches(first, NATIONAL_ISSUERS, n=1, cutoff=0.85)
    return f"{near[0]} {rest}".strip() if near and first not in NATIONAL_ISSUERS else issuer


def _perda(rest: str) -> tuple[str, None, list]:
    part = re.match(r"(?P<level>PROVINSI|KABUPATEN|KOTA)\s+(?P<name>.+)$", rest)
    if part:
        level = LEVEL_WORDS[part["level"]]
        form = "perda_provinsi" if level == "provinsi" else "perda_kabkota"
        return form, None, [(level, part["name"])]
    # "PERATURAN DAERAH DAERAH ISTIMEWA YOGYAKARTA": a province names no level.
    return "perda_provinsi", None, [("provinsi", rest)]


def _official(issuer: str) -> tuple[str, str, list] | None:
    region = REGION_PART.search(issuer)
    if region is None:
        return None
    hints = [(LEVEL_WORDS[region["level"]], region["name"].strip())]
    if issuer.startswith("SEKRETARIS DAERAH"):
        return "kepsekda", title_case_name(issuer), hints
    if issuer.startswith("KEPALA "):
        return "kepkadis", title_case_name(issuer), hints
    return None


def split_number(raw: str) -> tuple[str | None, int | None]:
    """'9 TAHUN 2022' -> ('9', 2022); '188.4/217/KPTS/2024' -> (itself, 2024); a number of
    several parts keeps its 'TAHUN' as written ('460/105 TAHUN 2017', DOMAIN.md section 2)."""
    # A blank left around a slash for the clerk to fill in is no part of the number.
    number = re.sub(r"\s*/\s*", "/", " ".join(raw.split())).strip(" :")
    with_year = NUMBER_WITH_YEAR.match(number)  # "25 TAHUN 2008 2008", "10 TAHUN 1948."
    if with_year and int(with_year["year"]) in YEARS:
        bare = with_year["number"].strip(" :,")
        written = with_year.group(0)
        return (bare if SIMPLE_NUMBER.fullmatch(bare) else written), int(with_year["year"])
    trailing = TRAILING_YEAR.search(number)
    year = int(trailing["year"]) if trailing and int(trailing["year"]) in YEARS else None
    return (number or None), year


def read_title(rest: str, issuer: str, hints: list) -> str | None:
    """The title after TENTANG: the heading's run of capitals, or up to the first line that
    ends a heading, without the signatory line that follows it."""
    capitals = _capital_run(rest)
    if len(capitals.split()) >= 2 or (capitals and not rest[len(capitals) :].strip()):
        title = TITLE_STOP.split(capitals, maxsplit=1)[0]
    else:
        # A title in mixed case ends where its heading does, or with its first sentence.
        opening = LEADING_TENTANG.sub("", rest[:600])
        title = SENTENCE_END.split(MIXED_TITLE_STOP.split(opening, maxsplit=1)[0], 1)[0]
    title = _without_signatory(title.strip(" ,;:-"), issuer, hints)
    return LIST_MARKERS.sub("", title).strip(" ,;:-") or None


def _capital_run(text: str) -> str:
    words = []
    for word in text.split(" "):
        letters = [char for char in word if char.isalpha()]
        if letters and sum(char.islower() for char in letters) > len(letters) // 3:
            break
        words.append(word)
    return " ".join(words)


def _without_signatory(title: str, issuer: str, hints: list) -> str:
    signatories = {issuer, "PRESIDEN REPUBLIK INDONESIA"} | {
        f"{head} {prefix}{name}"
        for head in HEAD_WORDS
        for _, name in hints
        for prefix in ("", "PROVINSI ", "KABUPATEN ", "KOTA ")
    }
    for match in reversed(list(SIGNATORY.finditer(title))):
        written = title[match.start() :].rstrip()
        tail = WALI_KOTA.sub("WALI KOTA", written.rstrip(" ,"))
        if tail in signatories or (written.endswith(",") and len(tail.split()) <= 8):
            return title[: match.start()]
    return title


def title_case_name(capitals: str) -> str:
    """'KEPALA DINAS KOMUNIKASI, INFORMATIKA DAN PERSANDIAN' -> 'Kepala Dinas Komunikasi,
    Informatika dan Persandian'."""
    small = {"DAN", "DI", "ATAU", "SERTA"}
    return " ".join(
        word.lower() if word in small else word.capitalize() for word in capitals.split()
    )
