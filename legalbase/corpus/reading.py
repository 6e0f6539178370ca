"""Reading a regulation's text: its heading (form, region, number, year, title), where and when
it was enacted, and the citations of its Mengingat.

Everything here is a proposal for the officer to confirm; explicit metadata always wins.
"""

import re
from dataclasses import dataclass, field

from .cleaning import clean, flatten
from .closing import read_enactment, read_promulgation
from .headings import read_heading

MENGINGAT = re.compile(
    r"\bMengingat\s*:?(?P<body>.*?)(?:\bMemperhatikan\b|\bMEMUTUSKAN\b|"
    r"\bMenetapkan\b|$)",
    re.S,
)

# "Nomor" as OCR and PDF extraction leave it: "N omor", "Ncmor", "Thmor".
NOMOR = r"(?:(?i:n\s?omor)|[NT][a-z]{2}or)"
CITATION_LONG = re.compile(
    r"(?P<kind>(?i:Undang-Undang|Peraturan\s+Pemerintah\s+Pengganti\s+Undang-Undang|"
    r"Peraturan\s+Pemerintah|Peraturan\s+Presiden)|"
    r"Peraturan\s+(?P<issuer>Menteri(?:\s+Negara)?"
    r"(?:\s+[A-Z][a-z]+|\s+dan|\s+dan/atau|/[A-Z][a-z]+){1,16}?)|"
    r"Peraturan\s+Daerah\s+(?P<plevel>Provinsi|Kabupaten|Kota)\s+(?P<pname>[A-Z][\w .'-]{0,80}?))"
    rf"\s+{NOMOR}\s*:?\s*(?:(?P<number>[\w./-]+?)(?:\s*\(?(?i:Drt)\)?)?\s+(?i:Tahun)\s+"
    r"(?P<year>\d{4})|(?P<slashed>[\w.-]+(?:/[\w.-]+)*/(?P<slashed_year>\d{4}))\b)",
    re.A,
)
CITATION_SHORT = re.compile(
    r"\b(?P<kind>UU|Perppu|PP|Perpres|Permendagri|Permen\s?PPPA)\s+(?:No\.?\s*|Nomor\s+)?"
    r"(?P<number>\d+)\s*/\s*(?P<year>\d{4})\b",
    re.I | re.A,
)  # ASCII: "ſ" is no "s" here
# Inside an item, what follows "tentang" up to a gazette, an amendment clause or the item's
# end is a title: an act named there ("... tentang Penetapan Peraturan Pemerintah Pengganti
# Undang-Undang Nomor 2 Tahun 2022 ...", "... tentang Peraturan Pelaksanaan Undang-Undang ...")
# is not cited.
CLAUSE_BREAK = re.compile(
    r"[;()]|\bsebagaimana\b|\bdengan\b|\bMengingat\b|(?:^|\s)\d{1,2}\s*\.\s", re.I
)
ITEM_NUMBER = re.compile(r"(?:^|\s)\d{1,2}\s?\.\s*$")
TITLE_WORD = re.compile(r"\btentang\b", re.I)
LONG_FORMS = {
    "undang-undang": "uu",
    "peraturan pemerintah pengganti undang-undang": "perppu",
    "peraturan pemerintah": "pp",
    "peraturan presiden": "perpres",
}
SHORT_FORMS = {
    "uu": ("uu", None),
    "perppu": ("perppu", None),
    "pp": ("pp", None),
    "perpres": ("perpres", None),
    "permendagri": ("permen", "Menteri Dalam Negeri"),
    "permenpppa": ("permen", "Menteri Pemberdayaan Perempuan dan Perlindungan Anak"),
}
KEEP_UPPER = {
    "TPPO",
    "PP-TPPO",
    "APBD",
    "APBN",
    "RAD",
    "RAN",
    "DPRD",
    "RI",
    "SK",
    "UPTD",
    "P2TP2A",
    "TNI",
    "POLRI",
    "PPID",
    "BUMD",
    "BLUD",
    "OPD",
    "SKPD",
    "RTRW",
    "RPJMD",
    "II",
    "III",
    "IV",
    "VI",
    "VII",
    "VIII",
    "IX",
    "XI",
    "XII",
}
# "P.N.", "I.B.W.", "PT.", Roman numerals: kept as written.
ABBREVIATION = re.compile(r"[A-Z](?:\.[A-Z])+\.?|[A-Z]\.?|[B-DF-HJ-NP-TV-Z]{2}\.?|[IVXL]{2,7}")
KEEP_LOWER = {
    "dan",
    "di",
    "ke",
    "dari",
    "atas",
    "tentang",
    "untuk",
    "yang",
    "pada",
    "dalam",
    "serta",
    "atau",
    "bagi",
    "terhadap",
    "dengan",
    "oleh",
}


@dataclass
class Citation:
    """A regulation named in the Mengingat, as written and as parsed."""

    text: str
    form: str
    number: str
    year: int
    issuer: str | None = None
    region_name: str | None = None
    regulation_id: int | None = None
    region_level: str | None = None  # a Perda's: Kota Bekasi is not Kabupaten Bekasi


# How sure the reader is of each proposed field: written in the document (`read`), worked out
# from something else it says (`inferred`, e.g. the year from the date of enactment), or not
# found (`absent`).
READ, INFERRED, ABSENT = "read", "inferred", "absent"
FIELDS = (
    "form",
    "region_code",
    "number",
    "year",
    "title",
    "place_of_enactment",
    "enacted_on",
    "promulgated_on",
)


@dataclass
class Reading:
    """What was read from a document: proposed metadata and the citations of its Mengingat."""

    proposal: dict = field(default_factory=dict)
    citations: list[Citation] = field(default_factory=list)
    confidence: dict[str, str] = field(default_factory=dict)  # field -> READ|INFERRED|ABSENT
    notes: dict[str, str] = field(default_factory=dict)  # field -> why, in Indonesian
    region_hints: list[tuple[str, str]] = field(default_factory=list)  # to try in turn

    @property
    def region_hint(self) -> tuple[str, str] | None:
        """The first region to look up: (level, NAME IN CAPITALS)."""
        return self.region_hints[0] if self.region_hints else None

    def mark(self, name: str, value, how: str = READ, note: str | None = None) -> None:
        """Propose `value` for a field, saying how sure the reading is."""
        self.proposal[name] = value
        self.confidence[name] = how
        if note:
            self.notes[name] = note


def read_document(text: str | None) -> Reading:
    """Propose metadata and list citations from a document's text (empty when no text)."""
    reading = Reading()
    if not text:
        return reading
    flat = flatten(clean(text))
    _read_heading(flat, reading)
    _read_closing(flat, reading)
    reading.citations = read_citations(flat)
    return reading


def _read_heading(flat: str, reading: Reading) -> None:
    heading = read_heading(flat)
    if heading is None:
        return
    reading.mark("form", heading.form)
    reading.region_hints = heading.region_hints
    if heading.issuer:
        reading.proposal["issuer"] = heading.issuer
    if heading.number:
        reading.mark("number", heading.number)
    if heading.year:
        reading.mark("year", heading.year)
    if heading.title:
        reading.mark("title", title_case(heading.title))


def _read_closing(flat: str, reading: Reading) -> None:
    enacted, promulgated = read_enactment(flat), read_promulgation(flat)
    if enacted and enacted.place:
        reading.mark("place_of_enactment", enacted.place)
    if enacted and enacted.on:
        reading.mark("enacted_on", enacted.on.isoformat())
    elif enacted:
        reading.notes["enacted_on"] = "Tanggal penetapan dibiarkan kosong dalam dokumen."
    if promulgated and promulgated.on:
        reading.mark("promulgated_on", promulgated.on.isoformat())
    elif promulgated:
        reading.notes["promulgated_on"] = "Tanggal pengundangan dibiarkan kosong dalam dokumen."
    if "year" not in reading.proposal and enacted and enacted.on:
        reading.mark(
            "year",
            enacted.on.year,
            INFERRED,
            "Tahun tidak tertulis pada nomor; diambil dari tanggal penetapan.",
        )


def read_citations(flat: str) -> list[Citation]:
    """Every distinct regulation the Mengingat cites, long ("Peraturan Presiden Nomor 69 Tahun
    2008") or short ("Perpres 49/2023") forms alike, in order of appearance."""
    section = MENGINGAT.search(flat)
    body = section["body"] if section else ""
    strays = _stray_items(flat[: section.start()]) if section else []
    citations, seen = [], set()
    for _, _, citation in strays + find_citations(body):
        key = (
            citation.form,
            citation.number.casefold(),
            citation.year,
            (citation.issuer or citation.region_name or "").casefold(),
            citation.region_level,
        )
        if key not in seen:
            seen.add(key)
            citations.append(citation)
    return citations


def _stray_items(before: str) -> list[tuple[int, int, Citation]]:
    """Numbered Mengingat items that PDF extraction moved above the word "Mengingat" (the
    Menimbang's items are lettered, not numbered)."""
    return [
        hit
        for hit in find_citations(before[-6000:])
        if ITEM_NUMBER.search(before[-6000:][max(0, hit[0] - 6) : hit[0]])
    ]


def find_citations(text: str) -> list[tuple[int, int, Citation]]:
    """(start, end, citation) of every act named in `text` outside the titles of others."""
    found = [
        (m.start(), m.end(), _long_citation(m))
        for m in CITATION_LONG.finditer(text)
        if not _inside_a_title(text, m.start())
    ]
    found += [(m.start(), m.end(), _short_citation(m)) for m in CITATION_SHORT.finditer(text)]
    return sorted(found, key=lambda hit: hit[0])


def _inside_a_title(body: str, start: int) -> bool:
    before = body[max(0, start - 400) : start]
    breaks = list(CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end() :] if breaks else before
    return bool(TITLE_WORD.search(clause))


def _long_citation(match: re.Match) -> Citation:
    kind = " ".join(match["kind"].split()).lower()
    if match["issuer"]:
        form, issuer, region = "permen", " ".join(match["issuer"].split()), None
    elif match["plevel"]:
        level = match["plevel"].lower()
        form = "perda_provinsi" if level == "provinsi" else "perda_kabkota"
        issuer, region = None, (level, " ".join(match["pname"].split()).upper())
    else:
        form, issuer, region = LONG_FORMS[kind], None, None
    number, year = (
        (match["number"], match["year"])
        if match["number"]
        else (match["slashed"], match["slashed_year"])
    )
    citation = Citation(match.group(0), form, number, int(year), issuer)
    citation.region_level, citation.region_name = region if region else (None, None)
    return citation


def _short_citation(match: re.Match) -> Citation:
    form, issuer = SHORT_FORMS[re.sub(r"\s", "", match["kind"]).lower()]
    return Citation(match.group(0), form, match["number"], int(match["year"]), issuer)


def title_case(capitals: str) -> str:
    """ "PEMBENTUKAN GUGUS TUGAS PP-TPPO DAN SUBGUGUS" -> "Pembentukan Gugus Tugas PP-TPPO dan
    Subgugus"; text already in mixed case is kept as it is."""
    if capitals != capitals.upper():
        return capitals
    words = []
    for index, word in enumerate(capitals.split()):
        bare = word.strip(",.;:()\"'*")
        if index and bare.lower() in KEEP_LOWER:
            words.append(word.lower())
        elif bare in KEEP_UPPER or ABBREVIATION.fullmatch(bare):
            words.append(word)
        else:
            words.append("-".join(_capitalized(part) for part in word.split("-")))
    return " ".join(words)


def _capitalized(word: str) -> str:
    # "(PERSERO)" -> "(Persero)", where str.capitalize gives "(persero)".
    lower = word.lower()
    for index, char in enumerate(lower):
        if char.isalpha():
            return lower[:index] + char.upper() + lower[index + 1 :]
    return lower
