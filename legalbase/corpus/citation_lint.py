"""Lint of a Mengingat: each item checked against the corpus, the list against the rules of
DOMAIN.md section 5. The same lint runs on a drafted decree and on an uploaded one.

Findings: revoked or unknown acts, amendment chains not cited to their latest link, order not by
hierarchy and date, gazette numbers that differ from the corpus, missing links of the national
chain, and facts left as placeholders.
"""

import re
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from flask import current_app
from sqlalchemy import select

from .. import db
from .citations import PLACEHOLDER, amendments_of, base_of, resolve, short_name
from .forms import FORMS
from .models import Regulation
from .reading import MENGINGAT, Citation, find_citations
from .status import is_in_force

AMENDED = re.compile(r"diubah(?P<many>\s+beberapa\s+kali,?)?(?:\s+terakhir)?\s+dengan\s+", re.I)
GAZETTE = re.compile(r"\((?P<body>(?:Lembaran|Berita)\s+(?:Negara|Daerah)[^()]*)\)", re.I)
GAZETTE_MAIN = re.compile(r"Tahun\s+(?P<year>\d{4})\s+Nomor\s+(?P<number>\d+)", re.I)
# Bounded: unbounded, a gazette repeating "Tambahan" is scanned to its end from each of them.
GAZETTE_SUPPLEMENT = re.compile(r"Tambahan[^,]{0,120}?Nomor\s+(?P<number>\d+)", re.I)
ITEM_BREAK = re.compile(r"(?:^|(?<=;))\s*\d{1,2}\s*\.\s+")


@dataclass
class Finding:
    code: str
    severity: str     # error | warning
    message: str
    item: int | None = None   # 1-based Mengingat item, None for the list as a whole

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
    gazettes: dict   # id(citation) -> (year, number, supplement) as written


@cache
def _config(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def mengingat_config() -> dict:
    """corpus/national/mengingat.yaml of this instance."""
    return _config(Path(current_app.config["CORPUS_DIR"]) / "national" / "mengingat.yaml")


@db.memoized(lambda keys: tuple(keys))
def seeded(keys: list[str]) -> list[Regulation]:
    """The live regulations with these seed keys, in the order given (absent ones left out)."""
    found = {reg.seed_key: reg for reg in db.session.scalars(
        select(Regulation).where(Regulation.seed_key.in_(keys),
                                 Regulation.withdrawn_at.is_(None)))}
    return [found[key] for key in keys if key in found]


def split_items(text: str) -> list[str]:
    """The items of a Mengingat section ("1. ...; 2. ...;"), from a document's text."""
    section = MENGINGAT.search(" ".join(text.split()))
    body = section["body"].strip(" :") if section else ""
    return [item.strip() for item in ITEM_BREAK.split(body) if item.strip()]


def lint_document(text: str | None, title: str, as_of: date) -> list[dict]:
    """Findings on the Mengingat of an uploaded document (none when it has no Mengingat)."""
    items = split_items(text or "")
    if not items:
        return []
    config = mengingat_config()
    applies = any(word in title.lower() for word in config["applies_to_title_words"])
    required = seeded(config["required_chain"]) if applies else []
    return [finding.as_dict() for finding in lint_mengingat(items, as_of, required)]


def lint_mengingat(texts: list[str], as_of: date, required: list[Regulation]) -> list[Finding]:
    """Every finding on a Mengingat given as its item texts."""
    items = [parse_item(number, text) for number, text in enumerate(texts, start=1)]
    findings, resolved = [], []
    for item in items:
        findings += _placeholders(item)
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
    gazettes = {}
    for _start, end, citation in (hits[:1] if base else []) + after[:1]:
        following = GAZETTE.search(text, end)
        if following and not any(h[0] > end and h[0] < following.start() for h in hits):
            gazettes[id(citation)] = _gazette_written(following["body"])
    return Item(number, text, base, amendment, bool(amended and amended["many"]), gazettes)


def _gazette_written(body: str) -> tuple:
    main, supplement = GAZETTE_MAIN.search(body), GAZETTE_SUPPLEMENT.search(body)
    return (int(main["year"]) if main else None, main["number"] if main else None,
            supplement["number"] if supplement else None)


def _item_findings(item: Item, base: Regulation, as_of: date) -> list[Finding]:
    findings = []
    if not is_in_force(base, as_of):
        findings.append(Finding("revoked_act", "error", f"{short_name(base)} tidak berlaku lagi "
                                f"pada {as_of.isoformat()}; jangan dirujuk.", item.number))
    findings += _gazette_findings(item, item.base, base)
    findings += _chain_findings(item, base_of(base), as_of)
    return findings


def _chain_findings(item: Item, base: Regulation, as_of: date) -> list[Finding]:
    cited = resolve(item.amendment) if item.amendment else None
    findings = []
    if item.amendment and cited is None:
        findings.append(Finding("unknown_act", "error", "Peraturan perubahan yang dirujuk tidak "
                                f"dikenal korpus: {item.amendment.text}.", item.number))
    chain = amendments_of(base, as_of)
    if not chain:
        return findings
    latest = chain[-1]
    if cited is None or cited.id != latest.id:
        return findings + [Finding("amendment_not_latest", "error", f"{short_name(base)} harus "
                                   f"dirujuk hingga perubahan terakhirnya, {short_name(latest)}.",
                                   item.number)]
    findings += _gazette_findings(item, item.amendment, latest)
    if len(chain) > 1 and not item.many_amendments:
        findings.append(Finding("amendment_phrase", "warning", f"{short_name(base)} telah diubah "
                                f"{len(chain)} kali: tulis 'sebagaimana telah diubah beberapa "
                                f"kali, terakhir dengan ...'.", item.number))
    return findings


def _gazette_findings(item: Item, citation: Citation, regulation: Regulation) -> list[Finding]:
    written = item.gazettes.get(id(citation))
    if written is None:
        return []
    known = (regulation.gazette_year, regulation.gazette_number, regulation.gazette_supplement)
    differs = [label for label, seen, fact in zip(("tahun", "nomor", "nomor tambahan"), written,
                                                  known, strict=True)
               if seen is not None and fact is not None and str(seen) != str(fact)]
    if not differs:
        return []
    return [Finding("gazette_mismatch", "error", f"Lembaran/Berita {short_name(regulation)} "
                    f"berbeda dengan korpus ({', '.join(differs)}): seharusnya "
                    f"{_gazette_fact(regulation)}.", item.number)]


def _gazette_fact(regulation: Regulation) -> str:
    text = f"Tahun {regulation.gazette_year} Nomor {regulation.gazette_number}"
    return text + (f", Tambahan Nomor {regulation.gazette_supplement}"
                   if regulation.gazette_supplement else "")


def _placeholders(item: Item) -> list[Finding]:
    if PLACEHOLDER not in item.text:
        return []
    named = f" ({item.base.text})" if item.base else ""
    return [Finding("unknown_fact", "warning", f"Butir {item.number}{named} memuat fakta yang "
                    f"belum diketahui korpus, ditandai {PLACEHOLDER}; lengkapi sebelum "
                    "ditetapkan.", item.number)]


def _unknown(item: Item) -> Finding:
    name = item.text[:80] if item.base is None else item.base.text
    return Finding("unknown_act", "error", f"Peraturan yang dirujuk tidak dikenal korpus: "
                   f"{name}.", item.number)


def _order(resolved: list[tuple[Item, Regulation]]) -> list[Finding]:
    findings = []
    for (_before, first), (after, second) in zip(resolved, resolved[1:], strict=False):
        if _rank(second) < _rank(first):
            message = (f"{short_name(second)} harus berada sebelum {short_name(first)} "
                       "(urut hierarki, lalu tanggal).")
            findings.append(Finding("order", "warning", message, after.number))
    return findings


def _rank(regulation: Regulation) -> tuple:
    return FORMS[regulation.form].rank, regulation.in_force_from, regulation.id


def _missing_links(cited: list[Regulation], required: list[Regulation]) -> list[Finding]:
    ids = {regulation.id for regulation in cited}
    return [Finding("missing_chain_link", "error", f"Mata rantai dasar hukum nasional tidak "
                    f"dirujuk: {short_name(link)}.") for link in required if link.id not in ids]
