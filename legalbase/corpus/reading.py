"""Reading a regulation's text: its heading (form, region, number, year, title), where and when
it was enacted, and the citations of its Mengingat.

Everything here is a proposal for the officer to confirm; explicit metadata always wins.
"""

import re
from dataclasses import dataclass, field
from datetime import date

MONTHS = {name: number for number, name in enumerate(
    ("januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september",
     "oktober", "november", "desember"), start=1)}
MONTHS.update(pebruari=2, nopember=11)   # the older spellings, still found in decrees

HEAD_FORMS = {("keputusan", "gubernur"): "kepgub", ("keputusan", "bupati"): "kepbup",
              ("keputusan", "wali kota"): "kepwal", ("peraturan", "gubernur"): "pergub",
              ("peraturan", "bupati"): "perbup", ("peraturan", "wali kota"): "perwal"}
HEAD_LEVELS = {"gubernur": "provinsi", "bupati": "kabupaten", "wali kota": "kota"}

# Names, places and titles have a bounded length: unbounded, a text repeating the start of a
# heading without its end is scanned to its end from every repetition (quadratic time).
REGIONAL_HEADING = re.compile(
    r"\b(?P<kind>KEPUTUSAN|PERATURAN)\s+(?P<head>GUBERNUR|BUPATI|WALI\s?KOTA)\s+"
    r"(?P<name>[A-Z][A-Z .'-]{0,80}?)"
    r"\s+NOMOR\s*:?\s*(?P<number>\S+(?:\s+TAHUN\s+\d{4})?)\s+TENTANG\s+(?P<title>.{1,1000}?)"
    r"\s+(?=DENGAN\s+RAHMAT|(?:GUBERNUR|BUPATI|WALI\s?KOTA)\s+[A-Z .'-]{1,80},|MENIMBANG)")
PERDA_HEADING = re.compile(
    r"\bPERATURAN\s+DAERAH\s+(?P<level>PROVINSI|KABUPATEN|KOTA)\s+"
    r"(?P<name>[A-Z][A-Z .'-]{0,80}?)"
    r"\s+NOMOR\s+(?P<number>\S+)\s+TAHUN\s+(?P<year>\d{4})\s+TENTANG\s+(?P<title>.{1,1000}?)"
    r"\s+(?=DENGAN\s+RAHMAT|MENIMBANG)")
ENACTED = re.compile(
    r"Ditetapkan\s+di\s*:?\s*(?P<place>[A-Za-z][A-Za-z .'-]{0,80}?)\s+pada\s+tanggal\s*:?\s*"
    r"(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)\s+(?P<year>\d{4})", re.I)
MENGINGAT = re.compile(r"\bMengingat\s*:?(?P<body>.*?)(?:\bMemperhatikan\b|\bMEMUTUSKAN\b|"
                       r"\bMenetapkan\b|$)", re.S)

CITATION_LONG = re.compile(
    r"(?P<kind>Undang-Undang|Peraturan\s+Pemerintah\s+Pengganti\s+Undang-Undang|"
    r"Peraturan\s+Pemerintah|Peraturan\s+Presiden|"
    r"Peraturan\s+(?P<issuer>Menteri(?:\s+Negara)?(?:\s+[A-Z][a-z]+|\s+dan|\s+dan/atau){1,12}?)|"
    r"Peraturan\s+Daerah\s+(?P<plevel>Provinsi|Kabupaten|Kota)\s+(?P<pname>[A-Z][\w .'-]{0,80}?))"
    r"\s+Nomor\s+(?P<number>[\w./-]+)\s+Tahun\s+(?P<year>\d{4})")
CITATION_SHORT = re.compile(
    r"\b(?P<kind>UU|Perppu|PP|Perpres|Permendagri|Permen\s?PPPA)\s+(?:No\.?\s*|Nomor\s+)?"
    r"(?P<number>\d+)\s*/\s*(?P<year>\d{4})\b", re.I | re.A)  # ASCII: "ſ" is no "s" here
TITLE_LEAD = re.compile(r"(?:\batas|\bPenetapan)\s*$", re.I)
LONG_FORMS = {"undang-undang": "uu", "peraturan pemerintah pengganti undang-undang": "perppu",
              "peraturan pemerintah": "pp", "peraturan presiden": "perpres"}
SHORT_FORMS = {"uu": ("uu", None), "perppu": ("perppu", None), "pp": ("pp", None),
               "perpres": ("perpres", None), "permendagri": ("permen", "Menteri Dalam Negeri"),
               "permenpppa": ("permen", "Menteri Pemberdayaan Perempuan dan Perlindungan Anak")}
KEEP_UPPER = {"TPPO", "PP-TPPO", "APBD", "APBN", "RAD", "RAN", "DPRD", "RI", "SK", "UPTD", "P2TP2A"}
KEEP_LOWER = {"dan", "di", "ke", "dari", "atas", "tentang", "untuk", "yang", "pada", "dalam",
              "serta", "atau", "bagi", "terhadap", "dengan", "oleh"}


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
    region_level: str | None = None   # a Perda's: Kota Bekasi is not Kabupaten Bekasi


# How sure the reader is of each proposed field: written in the document (`read`), worked out
# from something else it says (`inferred`, e.g. the year from the date of enactment), or not
# found (`absent`).
READ, INFERRED, ABSENT = "read", "inferred", "absent"
FIELDS = ("form", "region_code", "number", "year", "title", "place_of_enactment", "enacted_on",
          "promulgated_on")


@dataclass
class Reading:
    """What was read from a document: proposed metadata and the citations of its Mengingat."""

    proposal: dict = field(default_factory=dict)
    region_hint: tuple[str, str] | None = None   # (level, NAME IN CAPITALS) to resolve
    citations: list[Citation] = field(default_factory=list)
    confidence: dict[str, str] = field(default_factory=dict)   # field -> READ|INFERRED|ABSENT
    notes: dict[str, str] = field(default_factory=dict)   # field -> why, in Indonesian

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
    flat = " ".join(text.split())
    _read_heading(flat, reading)
    _read_enactment(flat, reading)
    reading.citations = read_citations(flat)
    return reading


def _read_heading(flat: str, reading: Reading) -> None:
    match = REGIONAL_HEADING.search(flat)
    if match:
        head = " ".join(match["head"].lower().replace("walikota", "wali kota").split())
        reading.proposal["form"] = HEAD_FORMS[(match["kind"].lower(), head)]
        reading.region_hint = (HEAD_LEVELS[head], match["name"].strip())
        _number_year_title(match["number"], None, match["title"], reading)
        return
    match = PERDA_HEADING.search(flat)
    if match:
        level = match["level"].lower()
        reading.proposal["form"] = "perda_provinsi" if level == "provinsi" else "perda_kabkota"
        reading.region_hint = (level, match["name"].strip())
        _number_year_title(match["number"], match["year"], match["title"], reading)


def _number_year_title(number: str, year: str | None, title: str, reading: Reading) -> None:
    written_year = re.search(r"(?:TAHUN\s+|/)(\d{4})$", number, re.I)
    reading.proposal["number"] = number
    if year or written_year:
        reading.proposal["year"] = int(year or written_year.group(1))
    reading.proposal["title"] = title_case(title.rstrip(" ,;"))


def _read_enactment(flat: str, reading: Reading) -> None:
    match = ENACTED.search(flat)
    month = MONTHS.get(match["month"].lower()) if match else None
    if not month:
        return
    try:
        enacted = date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return
    reading.proposal["enacted_on"] = enacted.isoformat()
    reading.proposal["place_of_enactment"] = match["place"].strip()
    reading.proposal.setdefault("year", enacted.year)


def read_citations(flat: str) -> list[Citation]:
    """Every distinct regulation the Mengingat cites, long ("Peraturan Presiden Nomor 69 Tahun
    2008") or short ("Perpres 49/2023") forms alike, in order of appearance."""
    section = MENGINGAT.search(flat)
    citations, seen = [], set()
    for _, _, citation in find_citations(section["body"] if section else ""):
        key = (citation.form, citation.number.casefold(), citation.year,
               (citation.issuer or citation.region_name or "").casefold(), citation.region_level)
        if key not in seen:
            seen.add(key)
            citations.append(citation)
    return citations


def find_citations(text: str) -> list[tuple[int, int, Citation]]:
    """(start, end, citation) of every act named in `text` outside the titles of others."""
    found = [(m.start(), m.end(), _long_citation(m)) for m in CITATION_LONG.finditer(text)
             if not _inside_a_title(text, m.start())]
    found += [(m.start(), m.end(), _short_citation(m)) for m in CITATION_SHORT.finditer(text)]
    return sorted(found, key=lambda hit: hit[0])


def _inside_a_title(body: str, start: int) -> bool:
    # "... tentang Perubahan atas Undang-Undang Nomor 23 Tahun 2014 ..." names the amended act
    # inside a title; "... tentang Penetapan Peraturan Pemerintah Pengganti ..." likewise.
    return bool(TITLE_LEAD.search(body[max(0, start - 40):start]))


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
    citation = Citation(match.group(0), form, match["number"], int(match["year"]), issuer)
    citation.region_level, citation.region_name = region if region else (None, None)
    return citation


def _short_citation(match: re.Match) -> Citation:
    form, issuer = SHORT_FORMS[re.sub(r"\s", "", match["kind"]).lower()]
    return Citation(match.group(0), form, match["number"], int(match["year"]), issuer)


def title_case(capitals: str) -> str:
    """"PEMBENTUKAN GUGUS TUGAS PP-TPPO DAN SUBGUGUS" -> "Pembentukan Gugus Tugas PP-TPPO dan
    Subgugus"; text already in mixed case is kept as it is."""
    if capitals != capitals.upper():
        return capitals
    words = []
    for index, word in enumerate(capitals.split()):
        bare = word.strip(",.;:()")
        if bare in KEEP_UPPER:
            words.append(word)
        elif index and bare.lower() in KEEP_LOWER:
            words.append(word.lower())
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)
