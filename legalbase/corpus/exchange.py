"""Exchange of the corpus with JDIHN (its JSON feed) and as CSV, both ways.

Exports read the live (not withdrawn) records. Imports create each entry, or update the live
record with the same identity, each inside its own savepoint: a refused entry is reported with
its reason and the others still go in. Nothing here commits; the caller does, once. Import never
downloads files. The keys and columns are described in corpus/EXCHANGE.md.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..core import audit, db
from ..core.errors import DomainError, Invalid, NotFound
from ..regions.registry import find_region
from .forms import FORMS, NATIONAL
from .models import TEXT_STATUSES, Regulation, Relation
from .regulations import (
    create_regulation,
    find_live_duplicate,
    identity_key,
    load_regulation_fields,
    regulation_snapshot,
    update_regulation,
)
from .relations import add_relation, find_relation
from .status import in_force_ids

# Fixed values of a peraturan in a JDIHN feed (the keys are for monografi).
FEED_CONSTANTS = {
    "noPanggil": "-",
    "penerbit": "-",
    "deskripsiFisik": "-",
    "isbn": "-",
    "nomorIndukBuku": "-",
    "abstrak": "",
    "urlAbstrak": "",
    "operasi": "4",
    "display": "1",
}
JDIHN_KEYS = (
    "idData",
    "tahun_pengundangan",
    "tanggal_pengundangan",
    "tanggal_penetapan",
    "jenis",
    "noPeraturan",
    "judul",
    "singkatanJenis",
    "tempatTerbit",
    "teuBadan",
    "subjek",
    "status",
    "bahasa",
    "lokasi",
    "bidangHukum",
    "sumber",
    "urlDownload",
    "urlDetailPeraturan",
    "fileDownload",
    *FEED_CONSTANTS,
)
LEGALBASE_KEYS = (
    "legalbase_form",
    "legalbase_region_code",
    "legalbase_issuer",
    "legalbase_teu_badan",
    "legalbase_gazette",
    "legalbase_valid_from",
    "legalbase_valid_until",
    "legalbase_status_stated",
    "legalbase_subjects",
    "legalbase_text",
    "legalbase_text_status",
    "legalbase_relations",
)
# Plain JDIHN keys read back into metadata fields as text ("" is null).
PLAIN_KEYS = {
    "tanggal_pengundangan": "promulgated_on",
    "tanggal_penetapan": "enacted_on",
    "tempatTerbit": "place_of_enactment",
    "teuBadan": "teu_badan",
    "lokasi": "custodian",
    "bidangHukum": "field_of_law",
    "status": "status",
}
# legalbase_* keys that override the plain ones, taken as they are.
EXACT_KEYS = {
    "legalbase_teu_badan": "teu_badan",
    "legalbase_gazette": "gazette",
    "legalbase_valid_from": "valid_from",
    "legalbase_valid_until": "valid_until",
    "legalbase_status_stated": "status",
    "legalbase_subjects": "subjects",
    "legalbase_text": "text",
}
# Keys the importer reads; keys it understands but never stores (the sender's own id and page,
# the feed's control flags); the dates, whose unknown value feeds write in several ways.
READ_KEYS = frozenset(
    {
        "tahun_pengundangan",
        "jenis",
        "noPeraturan",
        "judul",
        "singkatanJenis",
        "subjek",
        "bahasa",
        "sumber",
        *PLAIN_KEYS,
        *LEGALBASE_KEYS,
    }
)
UNSTORED_KEYS = frozenset({"idData", "urlDetailPeraturan", "operasi", "display"})
DATE_KEYS = ("tanggal_pengundangan", "tanggal_penetapan")
UNKNOWN_DATES = ("", "-", "0000-00-00")
_DATE_PART = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?")
CENTRAL_GOVERNMENT = "Pemerintah Pusat"
# Ministers whose ministry is not simply "Kementerian" + what follows "Menteri".
MINISTRIES = {"Menteri Sekretaris Negara": "Kementerian Sekretariat Negara"}
CSV_COLUMNS = (
    "form",
    "number",
    "year",
    "title",
    "region_code",
    "issuer",
    "teu_badan",
    "enacted_on",
    "promulgated_on",
    "place_of_enactment",
    "gazette_kind",
    "gazette_year",
    "gazette_number",
    "gazette_supplement",
    "subjects",
    "status",
    "language",
    "custodian",
    "field_of_law",
    "valid_from",
    "valid_until",
)
CSV_REQUIRED = ("form", "number", "year", "title")
GAZETTE_COLUMNS = {
    "gazette_kind": "kind",
    "gazette_year": "year",
    "gazette_number": "number",
    "gazette_supplement": "supplement",
}
SUBJECT_SEPARATOR = " - "
OUTCOMES = ("created", "updated", "unchanged", "refused")
RELATION_OUTCOMES = ("created", "unchanged", "refused")
_SUMBER = re.compile(r"(LN|BN|LD|BD)(?: (\d{4}))?(?: \(([^)]*)\))?(?:, T[A-Z]{2} (.+))?")
_TENTANG = re.compile(r" tentang ", re.IGNORECASE)


# --- the report -------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What became of one entry (or one relation): where it was, outcome, record id, reason."""

    where: dict
    outcome: str
    record_id: int | None = None
    reason: dict | None = None
    ignored: list[str] | None = None  # feed entries: the keys whose values were not taken in

    def as_dict(self) -> dict:
        extra = {} if self.ignored is None else {"ignored": self.ignored}
        return {
            **self.where,
            "outcome": self.outcome,
            "id": self.record_id,
            "reason": self.reason,
            **extra,
        }


@dataclass
class ImportReport:
    """Outcome of every entry, then of every relation, of one import."""

    entries: list[Outcome] = field(default_factory=list)
    relations: list[Outcome] = field(default_factory=list)

    def totals(self) -> dict:
        return _count(self.entries, OUTCOMES)

    def relation_totals(self) -> dict:
        return _count(self.relations, RELATION_OUTCOMES)

    def as_dict(self) -> dict:
        return {
            "entries": [o.as_dict() for o in self.entries],
            "relations": [o.as_dict() for o in self.relations],
            "totals": self.totals(),
            "relation_totals": self.relation_totals(),
        }


def _count(outcomes: list[Outcome], names: tuple) -> dict:
    return {name: sum(1 for o in outcomes if o.outcome == name) for name in names}


def _reason(exc: DomainError) -> dict:
    return {"message": exc.message, "details": exc.details}


# --- building the JDIHN feed ------------------------------------------------------------------


def build_jdihn_feed(base_url: str) -> list[dict]:
    """Every live regulation as one JDIHN feed object, with legalbase_* keys for a round trip."""
    base = base_url if base_url.endswith("/") else f"{base_url}/"
    regulations = live_regulations()
    in_force = _in_force_today([regulation.id for regulation in regulations])
    relations = _outgoing_relations()
    return [
        {
            **_jdihn_keys(reg, reg.id in in_force, base),
            **_legalbase_keys(reg, relations.get(reg.id, [])),
        }
        for reg in regulations
    ]


def live_regulations() -> list[Regulation]:
    """Every regulation not withdrawn, in id order."""
    query = select(Regulation).where(Regulation.withdrawn_at.is_(None)).order_by(Regulation.id)
    return list(db.session.scalars(query))


def _in_force_today(ids: list[int], chunk: int = 500) -> set[int]:
    today = date.today()
    return set().union(
        *(in_force_ids(ids[i : i + chunk], today) for i in range(0, len(ids), chunk))
    )


def _outgoing_relations() -> dict[int, list[Relation]]:
    """Relations between two live records, grouped by their source's id."""
    query = (
        select(Relation)
        .options(joinedload(Relation.source), joinedload(Relation.target))
        .order_by(Relation.id)
    )
    grouped: dict[int, list[Relation]] = {}
    for relation in db.session.scalars(query):
        if relation.source.withdrawn_at is None and relation.target.withdrawn_at is None:
            grouped.setdefault(relation.source_id, []).append(relation)
    return grouped


def _jdihn_keys(reg: Regulation, in_force: bool, base: str) -> dict:
    file_url = f"{base}api/v1/regulations/{reg.id}/file"
    return {
        "idData": str(reg.id),
        "tahun_pengundangan": str(reg.year),
        "tanggal_pengundangan": _iso(reg.promulgated_on) or "",
        "tanggal_penetapan": _iso(reg.enacted_on) or "",
        "jenis": jenis_of(reg.form, reg.issuer),
        "noPeraturan": reg.number,
        "judul": title_prefix(reg.form, reg.region, reg.number, reg.year, reg.issuer) + reg.title,
        "singkatanJenis": FORMS[reg.form].abbreviation,
        "tempatTerbit": reg.place_of_enactment or "",
        "teuBadan": teu_badan_of(reg),
        "subjek": SUBJECT_SEPARATOR.join(reg.subjects or []),
        "status": "Berlaku" if in_force else "Tidak Berlaku",
        "bahasa": reg.language or "",
        "lokasi": reg.custodian or "",
        "bidangHukum": reg.field_of_law or "",
        "sumber": gazette_text(reg.gazette),
        "urlDownload": file_url if reg.file_sha256 else "",
        "urlDetailPeraturan": f"{base}dokumen/{reg.id}",
        "fileDownload": reg.download_name or "",
        **FEED_CONSTANTS,
    }


def _legalbase_keys(reg: Regulation, relations: list[Relation]) -> dict:
    return {
        "legalbase_form": reg.form,
        "legalbase_region_code": reg.region_code,
        "legalbase_issuer": reg.issuer,
        "legalbase_teu_badan": reg.teu_badan,
        "legalbase_gazette": reg.gazette,
        "legalbase_valid_from": _iso(reg.valid_from),
        "legalbase_valid_until": _iso(reg.valid_until),
        "legalbase_status_stated": reg.status,
        "legalbase_subjects": list(reg.subjects or []),
        "legalbase_text": reg.text,
        "legalbase_text_status": reg.text_status,
        "legalbase_relations": [_relation_out(relation) for relation in relations],
    }


def _relation_out(relation: Relation) -> dict:
    return {
        "type": relation.kind,
        "target": identity_of(relation.target),
        "effective_on": _iso(relation.effective_on),
        "note": relation.note,
    }


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


def identity_of(regulation: Regulation) -> dict:
    """The fields that identify a regulation across instances (its ids differ)."""
    return {
        "form": regulation.form,
        "region_code": regulation.region_code,
        "year": regulation.year,
        "number": regulation.number,
        "issuer": regulation.issuer,
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


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


# --- importing a JDIHN feed -------------------------------------------------------------------


@dataclass
class Incoming:
    """An entry read back: metadata in the API's field names, and the text status if given."""

    data: dict
    text_status: str | None = None


def parse_jdihn_feed(text: str) -> list:
    """A feed's JSON text as a list of entries, or Invalid."""
    try:
        entries = json.loads(text)
    except ValueError as exc:
        raise Invalid(f"Umpan JDIHN bukan JSON yang sah: {exc}.") from None
    check_feed(entries)
    return entries


def check_feed(entries) -> None:
    """Invalid unless `entries` is a JSON array of objects."""
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise Invalid(
            "Umpan JDIHN harus berupa larik JSON yang berisi objek.",
            {"fields": {"_body": ["Bukan larik objek JSON."]}},
        )


def import_jdihn_feed(entries: list, actor: audit.Actor) -> ImportReport:
    """Create or update one regulation per feed entry, then add their relations; flushes only."""
    check_feed(entries)
    report, imported = ImportReport(), []
    for index, entry in enumerate(entries):
        where = {"index": index, "idData": _text(entry.get("idData"))}
        outcome, regulation = import_record(partial(feed_fields, entry), where, actor)
        outcome.ignored = ignored_keys(entry)
        report.entries.append(outcome)
        imported.append((where, entry, regulation))
    for where, entry, regulation in imported:
        report.relations.extend(_import_links(where, entry, regulation, actor))
    return report


def ignored_keys(entry: dict) -> list[str]:
    """The keys of a feed entry whose values are not taken in: unknown keys and keys such as
    `abstrak` or `urlDownload` (files are never downloaded), when they carry something (not
    "", "-" or null). The sender's id and page and the feed's flags are never listed."""
    return sorted(
        key
        for key, value in entry.items()
        if key not in READ_KEYS and key not in UNSTORED_KEYS and not _blank(value)
    )


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in ("", "-"))


def import_record(read, where: dict, actor: audit.Actor) -> tuple[Outcome, Regulation | None]:
    """Read one entry with `read()` and upsert it in a savepoint; a refusal is an Outcome."""
    try:
        with db.session.begin_nested():
            regulation, outcome = _upsert(read(), actor)
    except DomainError as exc:
        return Outcome(where, "refused", reason=_reason(exc)), None
    return Outcome(where, outcome, regulation.id), regulation


def _upsert(incoming: Incoming, actor: audit.Actor) -> tuple[Regulation, str]:
    existing = _live_with_identity(incoming.data)
    if existing is None:
        regulation, outcome = create_regulation(incoming.data, actor), "created"
    else:
        data = {**regulation_snapshot(existing), **incoming.data}
        regulation = existing
        outcome = "updated" if update_regulation(existing, data, actor) else "unchanged"
    if _set_text_status(regulation, incoming.text_status, actor) and outcome == "unchanged":
        outcome = "updated"
    return regulation, outcome


def _live_with_identity(data: dict) -> Regulation | None:
    fields = load_regulation_fields(data)
    key = identity_key(
        fields["form"], fields["region_code"], fields["year"], fields["number"], fields["issuer"]
    )
    return find_live_duplicate(Regulation(identity_key=key))


def _set_text_status(regulation: Regulation, text_status: str | None, actor: audit.Actor) -> bool:
    if text_status is None or text_status == regulation.text_status:
        return False
    before = regulation.text_status
    regulation.text_status = text_status
    db.session.flush()
    audit.record(
        actor,
        "update",
        "regulation",
        regulation.id,
        {"text_status": before},
        {"text_status": text_status},
        regulation.region_code,
    )
    return True


def feed_fields(entry: dict) -> Incoming:
    """The metadata a feed entry carries, in the API's field names (legalbase_* keys first)."""
    region_code = entry.get("legalbase_region_code")
    form, issuer = _feed_form(entry, region_code)
    number, year = _text(entry.get("noPeraturan")), _text(entry.get("tahun_pengundangan"))
    data = {
        "form": form,
        "region_code": region_code,
        "number": number,
        "year": year,
        "title": _feed_title(entry, form, region_code, number, year, issuer),
    }
    if issuer is not None or "legalbase_issuer" in entry:
        data["issuer"] = issuer
    data.update(_plain_fields(entry))
    data.update({name: entry[key] for key, name in EXACT_KEYS.items() if key in entry})
    _check_relations_shape(entry)
    return Incoming(data, _text_status(entry))


def _feed_form(entry: dict, region_code) -> tuple[str, str | None]:
    if "legalbase_form" in entry:
        form, issuer = entry["legalbase_form"], None
    else:
        region = find_region(region_code) if isinstance(region_code, str) else None
        form, issuer = form_from_jenis(
            _text(entry.get("jenis")) or "", _text(entry.get("singkatanJenis")) or "", region
        )
    if not isinstance(form, str) or form not in FORMS:
        raise Invalid(
            "Jenis peraturan tidak dikenal.",
            {"fields": {"legalbase_form": [f"Jenis '{form}' tidak dikenal."]}},
        )
    if FORMS[form].scope != NATIONAL and "legalbase_region_code" not in entry:
        raise Invalid(
            f"{FORMS[form].name} memerlukan kode wilayah (legalbase_region_code).",
            {"fields": {"legalbase_region_code": ["Wajib diisi untuk peraturan daerah."]}},
        )
    return form, entry.get("legalbase_issuer", issuer)


def form_from_jenis(jenis: str, abbreviation: str, region) -> tuple[str, str | None]:
    """Form code (and minister issuer) of a plain jenis / singkatanJenis, or Invalid."""
    name = _fold(jenis)
    for form in FORMS.values():
        if _fold(form.name) == name:
            return form.code, None
    for prefix, code in (("peraturan menteri ", "permen"), ("keputusan menteri ", "kepmen")):
        if name.startswith(prefix):
            return code, " ".join(jenis.split()[1:])
    if name == "peraturan daerah" or _fold(abbreviation) == "perda":
        return (
            "perda_provinsi" if region and region.level == "provinsi" else "perda_kabkota"
        ), None
    matches = [f.code for f in FORMS.values() if _fold(f.abbreviation) == _fold(abbreviation)]
    if len(matches) == 1:
        return matches[0], None
    raise Invalid(
        f"Jenis peraturan '{jenis or abbreviation}' tidak dikenal.",
        {"fields": {"jenis": [f"Jenis '{jenis}' ({abbreviation}) tidak dikenal."]}},
    )


def _feed_title(entry: dict, form: str, region_code, number, year, issuer) -> str | None:
    """The title inside the judul: after the prefix this record would write, else after the
    first ' tentang ', else the whole judul."""
    judul = _text(entry.get("judul"))
    if not isinstance(judul, str):
        return judul
    region = find_region(region_code) if isinstance(region_code, str) else None
    prefix = title_prefix(form, region, number, year, issuer)
    exact = re.match(re.escape(prefix), judul, re.IGNORECASE)
    if exact:
        return judul[exact.end() :]
    parts = _TENTANG.split(judul, maxsplit=1)
    return parts[-1].strip()


def _plain_fields(entry: dict) -> dict:
    data = {name: _text(entry[key]) for key, name in PLAIN_KEYS.items() if key in entry}
    data.update({PLAIN_KEYS[key]: _feed_date(entry[key]) for key in DATE_KEYS if key in entry})
    if _text(entry.get("bahasa")):
        data["language"] = _text(entry["bahasa"])
    if "subjek" in entry:
        data["subjects"] = split_subjects(_text(entry["subjek"]))
    if "sumber" in entry:
        data.update(_gazette_from_sumber(_text(entry["sumber"])))
    return data


def _feed_date(value):
    """A feed's date: its unknown forms ("", "-", "0000-00-00") as null, a time of day left
    out ("2007-04-19 00:00:00"); anything else left to the schema to judge."""
    if isinstance(value, str):
        if value.strip() in UNKNOWN_DATES:
            return None
        moment = _DATE_PART.fullmatch(value.strip())
        return moment.group(1) if moment else value
    return _text(value)


def split_subjects(text) -> list:
    """Subjects joined by ' - ' as a list (an empty text: none)."""
    if not isinstance(text, str):
        return text if text is not None else []
    return [part.strip() for part in text.split(SUBJECT_SEPARATOR) if part.strip()]


def _gazette_from_sumber(sumber) -> dict:
    """{"gazette": ...} when the sumber is empty or reads as 'LN 2007 (58), TLN 4720'; else {}."""
    if sumber is None:
        return {"gazette": None}
    match = _SUMBER.fullmatch(sumber) if isinstance(sumber, str) else None
    if match is None:
        return {}
    kind, year, number, supplement = match.groups()
    return {"gazette": {"kind": kind, "year": year, "number": number, "supplement": supplement}}


def _text_status(entry: dict) -> str | None:
    text_status = entry.get("legalbase_text_status")
    if text_status is not None and text_status not in TEXT_STATUSES:
        choices = ", ".join(TEXT_STATUSES)
        raise Invalid(
            "Status teks tidak dikenal.",
            {"fields": {"legalbase_text_status": [f"Harus salah satu dari: {choices}."]}},
        )
    return text_status


def _check_relations_shape(entry: dict) -> None:
    links = entry.get("legalbase_relations", [])
    if not isinstance(links, list) or not all(isinstance(link, dict) for link in links):
        raise Invalid(
            "legalbase_relations harus berupa daftar objek.",
            {"fields": {"legalbase_relations": ["Bukan daftar objek."]}},
        )


def _text(value):
    """A feed value as text: numbers written as text, '' as null; other types left to the
    schema to refuse."""
    if value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _fold(text) -> str:
    return " ".join(str(text).split()).casefold()


# --- relations of an imported feed ------------------------------------------------------------


def _import_links(
    where: dict, entry: dict, source: Regulation | None, actor: audit.Actor
) -> list[Outcome]:
    links = entry.get("legalbase_relations")
    if not isinstance(links, list) or not all(isinstance(link, dict) for link in links):
        return []  # the entry itself was refused for it
    outcomes = []
    for link in links:
        place = {**where, "type": link.get("type"), "target": link.get("target")}
        if source is None:
            outcomes.append(
                Outcome(
                    place,
                    "refused",
                    reason={"message": "Entri sumber relasi ini ditolak.", "details": {}},
                )
            )
        else:
            outcomes.append(_import_link(place, link, source, actor))
    return outcomes


def _import_link(place: dict, link: dict, source: Regulation, actor: audit.Actor) -> Outcome:
    try:
        with db.session.begin_nested():
            kind, effective_on, note = _link_parts(link)
            target = resolve_target(link.get("target"))
            existing = find_relation(source, kind, target)
            if existing is not None:
                return Outcome(place, "unchanged", existing.id)
            relation = add_relation(source, kind, target, actor, effective_on, note)
    except DomainError as exc:
        return Outcome(place, "refused", reason=_reason(exc))
    return Outcome(place, "created", relation.id)


def resolve_target(target) -> Regulation:
    """The live regulation a relation's target identity names, or NotFound / Invalid."""
    if not _is_identity(target):
        raise Invalid(
            "Tujuan relasi harus menyebut jenis, wilayah, tahun, dan nomor.",
            {"fields": {"target": ["Bentuk tujuan relasi tidak valid."]}},
        )
    try:
        year = int(target.get("year"))
    except (TypeError, ValueError):
        raise Invalid(
            "Tahun tujuan relasi tidak valid.",
            {"fields": {"target": ["Tahun harus berupa bilangan bulat."]}},
        ) from None
    key = identity_key(
        target["form"],
        target.get("region_code"),
        year,
        str(target.get("number")),
        target.get("issuer"),
    )
    regulation = find_live_duplicate(Regulation(identity_key=key))
    if regulation is None:
        raise NotFound("Peraturan tujuan relasi tidak ditemukan.", {"target": target})
    return regulation


def _is_identity(target) -> bool:
    if not isinstance(target, dict) or not isinstance(target.get("form"), str):
        return False
    texts = (target.get("region_code"), target.get("issuer"))
    return target["form"] in FORMS and all(v is None or isinstance(v, str) for v in texts)


def _link_parts(link: dict) -> tuple[str, date | None, str | None]:
    kind, note = link.get("type"), link.get("note")
    if not isinstance(kind, str):
        raise Invalid(
            "Jenis relasi harus berupa teks.", {"fields": {"type": ["Harus berupa teks."]}}
        )
    if note is not None and not isinstance(note, str):
        raise Invalid(
            "Catatan relasi harus berupa teks.", {"fields": {"note": ["Harus berupa teks."]}}
        )
    return kind, _link_date(link.get("effective_on")), note


def _link_date(value) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise Invalid(
            "Tanggal berlaku relasi tidak valid.",
            {"fields": {"effective_on": ["Harus berupa tanggal YYYY-MM-DD."]}},
        ) from None


# --- CSV --------------------------------------------------------------------------------------


def export_csv() -> str:
    """Every live regulation as one CSV row under the documented header (empty cell: null)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for regulation in live_regulations():
        writer.writerow(_csv_row(regulation))
    return out.getvalue()


def _csv_row(regulation: Regulation) -> dict:
    snapshot = regulation_snapshot(regulation)
    gazette = snapshot.pop("gazette") or {}
    row = {name: snapshot.get(name) for name in CSV_COLUMNS if name in snapshot}
    row.update({column: gazette.get(key) for column, key in GAZETTE_COLUMNS.items()})
    row["subjects"] = SUBJECT_SEPARATOR.join(snapshot["subjects"] or [])
    return {name: "" if value is None else value for name, value in row.items()}


def import_csv(text: str, actor: audit.Actor) -> ImportReport:
    """Create or update one regulation per CSV row, reporting each by line; flushes only."""
    header, rows = read_csv(text)
    report = ImportReport()
    for line, cells in rows:
        outcome, _ = import_record(partial(csv_fields, header, cells), {"line": line}, actor)
        report.entries.append(outcome)
    return report


def read_csv(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the (line, cells) of every non-empty row, or Invalid."""
    rows, last = [], 0
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        for cells in reader:
            if cells:
                rows.append((last + 1, cells))
            last = reader.line_num
    except csv.Error as exc:
        raise Invalid(f"Berkas CSV tidak dapat dibaca (baris {reader.line_num}): {exc}.") from None
    if not rows:
        raise Invalid("Berkas CSV kosong; baris pertama harus berisi nama kolom.")
    header = [name.strip() for name in rows[0][1]]
    _check_header(header)
    return header, rows[1:]


def _check_header(header: list[str]) -> None:
    missing = [name for name in CSV_REQUIRED if name not in header]
    unknown = [name for name in header if name not in CSV_COLUMNS]
    doubled = sorted({name for name in header if header.count(name) > 1})
    if missing or unknown or doubled:
        raise Invalid(
            "Kepala berkas CSV tidak valid.",
            {
                "missing": missing,
                "unknown": unknown,
                "duplicated": doubled,
                "columns": list(CSV_COLUMNS),
            },
        )


def csv_fields(header: list[str], cells: list[str]) -> Incoming:
    """The metadata one CSV row carries, in the API's field names (empty cell: null)."""
    if len(cells) != len(header):
        raise Invalid(
            f"Baris ini berisi {len(cells)} kolom, sedangkan kepala berkas {len(header)}.",
            {"cells": len(cells), "columns": len(header)},
        )
    row = {name: (cell if cell != "" else None) for name, cell in zip(header, cells, strict=True)}
    data = {name: row[name] for name in CSV_COLUMNS if name in row}
    for column in GAZETTE_COLUMNS:
        data.pop(column, None)
    if any(column in row for column in GAZETTE_COLUMNS):
        data["gazette"] = _csv_gazette(row)
    if "subjects" in row:
        data["subjects"] = split_subjects(row["subjects"])
    if data.get("language") is None:
        data.pop("language", None)
    return Incoming(data)


def _csv_gazette(row: dict) -> dict | None:
    gazette = {key: row.get(column) for column, key in GAZETTE_COLUMNS.items()}
    return gazette if any(value is not None for value in gazette.values()) else None
