"""Lint of a Mengingat: each item checked against the corpus, the list against the rules of
DOMAIN.md section 5. The same lint runs on a drafted decree and on an uploaded one.

Findings: revoked or unknown acts, acts cited under another form than theirs, a document citing
itself, amendment chains not cited to their latest link, order not by hierarchy and date,
gazette numbers that differ from the corpus, missing links of the national chain, and facts left
as placeholders. On an uploaded document, also the document as a whole: a Menetapkan left empty,
the head's title spelt otherwise in the heading than in the signature, dates left blank.
"""

import difflib
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from flask import current_app
from sqlalchemy import select

from ..core import db
from ..core.dates import indonesian_date
from .citations import PLACEHOLDER, amendments_of, base_of, cited_name, resolve, short_name
from .cleaning import clean, flatten
from .closing import read_enactment, read_promulgation
from .forms import FORMS
from .models import Regulation
from .reading import MENGINGAT, Citation, find_citations, read_document
from .status import is_in_force

# "diubah dengan", "diubah beberapa kali, terakhir dengan", "beberapa kali diubah terakhir
# dengan", "diubah kedua kali dengan", "diubah beberapa kali / terakhir dengan", "diubah
# beberapa kali dan terakhir dengan", "diubah terakhir kali dengan".
AMENDED = re.compile(
    r"(?P<before>beberapa\s+kali\s+)?diubah(?P<many>\s+(?:beberapa|kedua|ketiga|"
    r"keempat|kelima)\s+kali)?(?:\s*[,/]?\s*(?:dan\s+)?terakhir(?:\s+kali)?)?,?"
    r"\s+dengan\s+",
    re.I,
)
GAZETTE = re.compile(r"\((?P<body>(?:Lembaran|Berita)\s+(?:Negara|Daerah)[^()]*)\)", re.I)
GAZETTE_KIND = re.compile(r"(?P<kind>Lembaran|Berita)\s+(?P<level>Negara|Daerah)", re.I)
GAZETTE_MAIN = re.compile(r"Tahun\s+(?P<year>\d{4})\s+Nomor\s+(?P<number>\d+)", re.I)
# Bounded: unbounded, a gazette repeating "Tambahan" is scanned to its end from each of them.
GAZETTE_SUPPLEMENT = re.compile(r"Tambahan[^,]{0,120}?Nomor\s+(?P<number>\d+)", re.I)
ITEM_BREAK = re.compile(r"(?:^|(?<=;))\s*\d{1,2}\s*\.\s+")
# The title an item gives an act: "tentang <title>" up to its gazette, amendment or end.
WRITTEN_TITLE = re.compile(
    r"\s*tentang\s+(?P<title>[^();]{1,400}?)\s*(?=\(|\bsebagaimana\b|;|$)", re.I
)
# What a title says the document amends: "Perubahan (Kedua) atas Peraturan Daerah Nomor 8 ...".
AMENDS = re.compile(
    r"\bPerubahan\s+(?:\w+\s+)?atas\s+(?P<act>[^;]{1,200}?\bNomor\s+\S{1,60}\s+"
    r"Tahun\s+\d{4})",
    re.I,
)
SAME_TITLE = 0.85  # difflib ratio from which two titles are one title, spelt differently
SAME_HEAD = 0.8  # ... two head's titles are one title misspelt (not another official)

# The document as a whole. A name is a few words in capitals, each of bounded length.
DECISION = re.compile(
    r"\bMEMUTUSKAN\b\s*:?\s*Menetapkan\b\s*(?P<colons>(?::\s*){0,3})"
    r"(?P<next>\S[^:]{0,40})?"
)
DIKTUM_OR_BODY = re.compile(r"(?:KESATU|PERTAMA|BAB|Pasal)\b", re.I)
HEAD = (
    r"(?P<head>GUBERNUR|BUPATI|WALI ?KOTA[A-Z]*)\s+"
    r"(?P<name>(?:[A-Z][A-Z.'-]{0,40}\s+){0,6}?[A-Z][A-Z.'-]{0,40})"
)
HEADING_END = re.compile(r"\bMenimbang\b", re.I)
KOP = re.compile(r"^(?P<kop>.{0,300}?)\b(?:PERATURAN|KEPUTUSAN|UNDANG-UNDANG)\b")
KOP_HEAD = re.compile(rf"\b{HEAD}(?=\s+(?:PROVINSI|SALINAN)\b|\s*$)")
INSTRUMENT_HEAD = re.compile(rf"\b(?:PERATURAN|KEPUTUSAN)\s+{HEAD}\s+NOMOR\b")
SIGNATURE = re.compile(rf"(?<!PERATURAN )(?<!KEPUTUSAN )\b{HEAD}\s*,")


@dataclass
class Finding:
    code: str
    severity: str  # error | warning
    message: str
    item: int | None = None  # 1-based Mengingat item, None for the list or document as a whole

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Item:
    """One Mengingat item as written: its base act, the amendment it names, its gazettes."""

    number: int
    text: str
    base: Citation | None
    amendment: Citation | None
    many_amendments: bool
    gazettes: dict  # id(citation) -> (year, number, supplement) as written
    titles: dict = field(default_factory=dict)  # id(citation) -> its title as written
    gazette_kinds: dict = field(default_factory=dict)  # id(citation) -> "Lembaran Negara", ...


@dataclass
class Own:
    """The linted document as its heading names it, and the act its title says it amends."""

    form: str
    number: str
    year: int
    regions: list[tuple[str, str]] = field(default_factory=list)  # (level, NAME) it may be
    amends: str | None = None

    def is_cited_by(self, citation: Citation) -> bool:
        """Whether `citation` names this very document."""
        if (citation.form, _fold(citation.number), citation.year) != (
            self.form,
            _fold(self.number),
            self.year,
        ):
            return False
        if citation.region_name is None:
            return not self.regions
        regions = {(level, _fold(name)) for level, name in self.regions}
        return (citation.region_level, _fold(citation.region_name)) in regions


@cache
def _config(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def mengingat_config() -> dict:
    """corpus/national/mengingat.yaml of this instance."""
    return _config(Path(current_app.config["CORPUS_DIR"]) / "national" / "mengingat.yaml")


@db.memoized(lambda keys: tuple(keys))
def seeded(keys: list[str]) -> list[Regulation]:
    """The live regulations with these seed keys, in the order given (absent ones left out)."""
    found = {
        reg.seed_key: reg
        for reg in db.session.scalars(
            select(Regulation).where(
                Regulation.seed_key.in_(keys), Regulation.withdrawn_at.is_(None)
            )
        )
    }
    return [found[key] for key in keys if key in found]


def split_items(text: str) -> list[str]:
    """The items of a Mengingat section ("1. ...; 2. ...;"), from a document's text."""
    section = MENGINGAT.search(" ".join(text.split()))
    body = section["body"].strip(" :") if section else ""
    return [item.strip() for item in ITEM_BREAK.split(body) if item.strip()]


def lint_document(text: str | None, title: str, as_of: date) -> list[dict]:
    """Findings on an uploaded document: its Mengingat item by item (none when it has no
    Mengingat), then the document as a whole (Menetapkan, heading, dates)."""
    if not text:
        return []
    flat = flatten(clean(text))
    own = own_act(text, title)
    findings = _document_mengingat(flat, title or "", as_of, own)
    findings += document_findings(flat, own)
    return [finding.as_dict() for finding in findings]


def _document_mengingat(flat: str, title: str, as_of: date, own: Own | None) -> list[Finding]:
    items = split_items(flat)
    if not items:
        return []
    config = mengingat_config()
    applies = any(word in title.lower() for word in config["applies_to_title_words"])
    required = seeded(config["required_chain"]) if applies else []
    return lint_mengingat(items, as_of, required, own)


def own_act(text: str, title: str | None) -> Own | None:
    """The document itself, as its heading names it (None when no heading is read)."""
    reading = read_document(text)
    proposal = reading.proposal
    if not {"form", "number", "year"} <= proposal.keys():
        return None
    amends = AMENDS.search(title or proposal.get("title") or "")
    return Own(
        proposal["form"],
        proposal["number"],
        proposal["year"],
        list(reading.region_hints),
        " ".join(amends["act"].split()) if amends else None,
    )


def lint_mengingat(
    texts: list[str], as_of: date, required: list[Regulation], own: Own | None = None
) -> list[Finding]:
    """Every finding on a Mengingat given as its item texts (`own`: the document they are the
    Mengingat of, when known)."""
    items = [parse_item(number, text) for number, text in enumerate(texts, start=1)]
    findings, resolved = [], []
    for item in items:
        findings += _placeholders(item)
        if own is not None and item.base is not None and own.is_cited_by(item.base):
            findings.append(_self_citation(item, own))
            continue
        base = resolve(item.base) if item.base else None
        if item.base is None or base is None:
            findings.append(_unknown(item))
            continue
        findings += _item_findings(item, base, as_of)
        resolved.append((item, base_of(base)))
    findings += _order(resolved)
    findings += _missing_links([base for _, base in resolved], required)
    return findings


def parse_item(number: int, text: str) -> Item:
    """Read an item: the act it starts with, the amendment it says it was last amended by."""
    hits = find_citations(text)
    base = hits[0][2] if hits and hits[0][0] < 3 else None
    amended = AMENDED.search(text)
    after = [hit for hit in hits if amended and hit[0] >= amended.end()]
    amendment = after[0][2] if after else None
    gazettes, titles, kinds = {}, {}, {}
    for _start, end, citation in (hits[:1] if base else []) + after[:1]:
        titles[id(citation)] = _written_title(text, end)
        following = GAZETTE.search(text, end)
        if following and not any(h[0] > end and h[0] < following.start() for h in hits):
            gazettes[id(citation)] = _gazette_written(following["body"])
            kinds[id(citation)] = _gazette_kind(following["body"])
    many = bool(amended and (amended["before"] or amended["many"]))
    return Item(number, text, base, amendment, many, gazettes, titles, kinds)


def _written_title(text: str, end: int) -> str | None:
    written = WRITTEN_TITLE.match(text, end)
    return " ".join(written["title"].split()) if written else None


def _gazette_written(body: str) -> tuple:
    main, supplement = GAZETTE_MAIN.search(body), GAZETTE_SUPPLEMENT.search(body)
    return (
        int(main["year"]) if main else None,
        main["number"] if main else None,
        supplement["number"] if supplement else None,
    )


def _gazette_kind(body: str) -> str:
    kind = GAZETTE_KIND.match(body)
    return f"{kind['kind'].capitalize()} {kind['level'].capitalize()}"


def _item_findings(item: Item, base: Regulation, as_of: date) -> list[Finding]:
    findings = []
    if not is_in_force(base, as_of):
        findings.append(
            Finding(
                "revoked_act",
                "error",
                f"{short_name(base)} tidak berlaku lagi "
                f"pada {indonesian_date(as_of)}; jangan dirujuk.",
                item.number,
            )
        )
    findings += _gazette_findings(item, item.base, base)
    root = base_of(base)
    if root.id != base.id:
        return findings + _amendment_alone(item, root, base, as_of)
    return findings + _chain_findings(item, root, as_of)


def _amendment_alone(item: Item, root: Regulation, cited: Regulation, as_of: date) -> list[Finding]:
    """An amending act cited in its own right (UU 11/2020 on Cipta Kerja amends dozens of
    acts) is stale only when a later link of the chain it belongs to has taken effect."""
    chain = amendments_of(root, as_of)
    links = [act.id for act in chain]
    if cited.id not in links or links[-1] == cited.id:
        return []
    return [_not_latest(item, root, cited, chain[-1], as_of)]


def _chain_findings(item: Item, base: Regulation, as_of: date) -> list[Finding]:
    cited = resolve(item.amendment) if item.amendment else None
    findings = []
    if item.amendment and cited is None:
        findings.append(_unknown_amendment(item))
    chain = amendments_of(base, as_of)
    if not chain:
        return findings
    latest = chain[-1]
    if cited is None or cited.id != latest.id:
        return findings + [_not_latest(item, base, cited, latest, as_of)]
    findings += _gazette_findings(item, item.amendment, latest)
    if len(chain) > 1 and not item.many_amendments:
        findings.append(
            Finding(
                "amendment_phrase",
                "warning",
                f"{short_name(base)} telah diubah "
                f"{len(chain)} kali: tulis 'sebagaimana telah diubah beberapa "
                f"kali, terakhir dengan ...'.",
                item.number,
            )
        )
    return findings


def _not_latest(
    item: Item, base: Regulation, cited: Regulation | None, latest: Regulation, as_of: date
) -> Finding:
    if cited is not None:
        written = f"dirujuk hingga {short_name(cited)}"
    elif item.amendment is not None:
        written = f"dirujuk hingga {item.amendment.text}"
    else:
        written = "dirujuk tanpa perubahannya"
    return Finding(
        "amendment_not_latest",
        "error",
        f"Mengingat angka {item.number}: "
        f"{short_name(base)} {written}, padahal perubahan terakhirnya pada "
        f"{indonesian_date(as_of)} adalah {short_name(latest)}; rujuk hingga "
        f"perubahan terakhir itu.",
        item.number,
    )


def _gazette_findings(item: Item, citation: Citation, regulation: Regulation) -> list[Finding]:
    written = item.gazettes.get(id(citation))
    if written is None:
        return []
    kind = item.gazette_kinds.get(id(citation), "Lembaran/Berita")
    known = (regulation.gazette_year, regulation.gazette_number, regulation.gazette_supplement)
    labels = ("Tahun", "Nomor", "Tambahan Nomor")
    differs = [
        (label, was, fact)
        for label, was, fact in zip(labels, written, known, strict=True)
        if was is not None and fact is not None and str(was) != str(fact)
    ]
    if not differs:
        return []
    wrote = ", ".join(f"{label} {was}" for label, was, _ in differs)
    holds = ", ".join(f"{label} {fact}" for label, _, fact in differs)
    return [
        Finding(
            "gazette_mismatch",
            "error",
            f"Mengingat angka {item.number}: {kind} "
            f"{short_name(regulation)} ditulis {wrote}, korpus mencatat {holds} "
            f"(selengkapnya {_gazette_fact(regulation)}).",
            item.number,
        )
    ]


def _gazette_fact(regulation: Regulation) -> str:
    text = f"Tahun {regulation.gazette_year} Nomor {regulation.gazette_number}"
    return text + (
        f", Tambahan Nomor {regulation.gazette_supplement}" if regulation.gazette_supplement else ""
    )


def _placeholders(item: Item) -> list[Finding]:
    if PLACEHOLDER not in item.text:
        return []
    named = f" ({item.base.text})" if item.base else ""
    return [
        Finding(
            "unknown_fact",
            "warning",
            f"Butir {item.number}{named} memuat fakta yang "
            f"belum diketahui korpus, ditandai {PLACEHOLDER}; lengkapi sebelum "
            "ditetapkan.",
            item.number,
        )
    ]


def _self_citation(item: Item, own: Own) -> Finding:
    meant = (
        f"; menurut judulnya, dokumen ini mengubah {own.amends}: rujuk peraturan itu"
        if own.amends
        else ""
    )
    return Finding(
        "self_citation",
        "error",
        f"Mengingat angka {item.number} merujuk dokumen ini sendiri ({item.base.text}){meant}.",
        item.number,
    )


def _unknown(item: Item) -> Finding:
    if item.base is None:
        return Finding(
            "unknown_act",
            "error",
            f"Peraturan yang dirujuk tidak dikenal korpus: {item.text[:80].rstrip(' ;.')}.",
            item.number,
        )
    namesake = _namesake(item.base, item.titles.get(id(item.base)))
    if namesake is not None:
        return _wrong_form(item, item.base, namesake)
    return Finding(
        "unknown_act",
        "error",
        f"Peraturan yang dirujuk tidak dikenal korpus: {item.base.text}.",
        item.number,
    )


def _unknown_amendment(item: Item) -> Finding:
    namesake = _namesake(item.amendment, item.titles.get(id(item.amendment)))
    if namesake is not None:
        return _wrong_form(item, item.amendment, namesake)
    return Finding(
        "unknown_act",
        "error",
        f"Peraturan perubahan yang dirujuk tidak dikenal korpus: {item.amendment.text}.",
        item.number,
    )


def _wrong_form(item: Item, citation: Citation, namesake: Regulation) -> Finding:
    written = FORMS[citation.form].name
    return Finding(
        "wrong_form",
        "error",
        f"Mengingat angka {item.number}: {written} Nomor "
        f"{citation.number} Tahun {citation.year} tidak dikenal korpus, sedangkan "
        f"korpus memuat {cited_name(namesake)} tentang {namesake.title} (nomor, tahun "
        f"dan judul sama): ditulis {written}, seharusnya "
        f"{FORMS[namesake.form].name}.",
        item.number,
    )


def _namesake(citation: Citation, title: str | None) -> Regulation | None:
    """The one live act of another form with the citation's number, year and written title."""
    if not title:
        return None
    others = db.session.scalars(
        select(Regulation).where(
            Regulation.year == citation.year,
            Regulation.number == citation.number,
            Regulation.form != citation.form,
            Regulation.withdrawn_at.is_(None),
        )
    )
    same = [other for other in others if _similar(other.title, title, SAME_TITLE)]
    return same[0] if len(same) == 1 else None


def _order(resolved: list[tuple[Item, Regulation]]) -> list[Finding]:
    findings = []
    for (_before, first), (after, second) in zip(resolved, resolved[1:], strict=False):
        if _rank(second) < _rank(first):
            message = (
                f"{short_name(second)} harus berada sebelum {short_name(first)} "
                "(urut hierarki, lalu tanggal)."
            )
            findings.append(Finding("order", "warning", message, after.number))
    return findings


def _rank(regulation: Regulation) -> tuple:
    return FORMS[regulation.form].rank, regulation.in_force_from, regulation.id


def _missing_links(cited: list[Regulation], required: list[Regulation]) -> list[Finding]:
    ids = {regulation.id for regulation in cited}
    return [
        Finding(
            "missing_chain_link",
            "error",
            f"Mata rantai dasar hukum nasional tidak dirujuk: {short_name(link)}.",
        )
        for link in required
        if link.id not in ids
    ]


# --- the document as a whole --------------------------------------------------------------


def document_findings(flat: str, own: Own | None) -> list[Finding]:
    """Findings on a flattened document beyond its Mengingat: an empty Menetapkan, the head's
    title spelt otherwise in the heading, dates left blank."""
    return _empty_menetapkan(flat, own) + _heading_mismatch(flat) + _blank_dates(flat)


def _empty_menetapkan(flat: str, own: Own | None) -> list[Finding]:
    """A Menetapkan left empty ("Menetapkan : :", or nothing at all), or a Peraturan's that
    names nothing. A Keputusan may go from "Menetapkan :" straight to its diktum KESATU
    (DOMAIN.md section 5): that is no finding."""
    decision = DECISION.search(flat)
    if decision is None:
        return []
    written = " ".join(f"Menetapkan {decision['colons']}".split())
    following = (decision["next"] or "").split()
    if not following:
        problem = f"'{written}' tidak diikuti apa pun"
    elif decision["colons"].count(":") > 1:
        problem = f"tertulis '{written}' tanpa isi, langsung diikuti '{following[0]}'"
    elif DIKTUM_OR_BODY.match(following[0]) and own is not None and _is_peraturan(own.form):
        problem = (
            f"peraturan yang ditetapkan tidak disebut, '{written}' langsung diikuti "
            f"'{following[0]}'"
        )
    else:
        return []
    return [
        Finding(
            "empty_menetapkan",
            "warning",
            f"Menetapkan dibiarkan kosong: {problem}; "
            "tulis nama peraturan/keputusan yang ditetapkan.",
        )
    ]


def _is_peraturan(form: str) -> bool:
    return FORMS[form].name.split()[0] in ("Peraturan", "Undang-Undang")


def _heading_mismatch(flat: str) -> list[Finding]:
    """The head's title in the heading (its kop, its instrument line) spelt otherwise than the
    title the document signs with elsewhere ("BUPATI BANJARNGERA" / "BUPATI BANJARNEGARA,")."""
    signed = Counter(
        _head_title(match)
        for match in SIGNATURE.finditer(flat)
        if not match["name"].startswith(("TENTANG", "NOMOR"))
    )
    if not signed:
        return []
    usual = signed.most_common(1)[0][0]
    return [
        Finding(
            "heading_mismatch",
            "warning",
            f"Kepala dokumen menulis '{written}', "
            f"sedangkan penanda tangan di bagian lain dokumen ditulis '{usual}'; samakan "
            "penulisan jabatan kepala daerah.",
        )
        for written in dict.fromkeys(_heading_titles(flat))
        if written != usual and _similar(written, usual, SAME_HEAD)
    ]


def _heading_titles(flat: str) -> list[str]:
    end = HEADING_END.search(flat)
    heading = flat[: end.start() if end else 2000]
    kop = KOP.search(heading)
    found = [KOP_HEAD.search(kop["kop"]) if kop else None, INSTRUMENT_HEAD.search(heading)]
    return [_head_title(match) for match in found if match is not None]


def _head_title(match: re.Match) -> str:
    head = "WALI KOTA" if re.fullmatch(r"WALI ?KOTA", match["head"]) else match["head"]
    name = re.sub(r"^(?:PROVINSI|KABUPATEN|KOTA)\s+", "", match["name"])
    return f"{head} {name}"


def _blank_dates(flat: str) -> list[Finding]:
    findings = []
    for act, word, what in (
        (read_enactment(flat), "Ditetapkan", "penetapan"),
        (read_promulgation(flat), "Diundangkan", "pengundangan"),
    ):
        if act is not None and act.on is None:
            place = act.place or "..."
            findings.append(
                Finding(
                    "blank_date",
                    "warning",
                    f"Tanggal {what} dibiarkan kosong: "
                    f"tertulis '{word} di {place} pada tanggal' tanpa tanggal; "
                    "isi tanggalnya.",
                )
            )
    return findings


def _similar(one: str, other: str, at_least: float) -> bool:
    return difflib.SequenceMatcher(None, _fold(one), _fold(other)).ratio() >= at_least


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()
