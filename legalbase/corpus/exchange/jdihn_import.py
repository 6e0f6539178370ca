"""Reading a JDIHN feed in: each entry created or updated in its own savepoint (legalbase_*
keys read first, a plain feed from another JDIH site mapped), then the relations the entries
name. The feed's keys and its export: jdihn.py."""

import json
import re
from datetime import date
from functools import partial

from ...core import audit, db
from ...core.errors import DomainError, Invalid, NotFound
from ...regions.registry import find_region
from ..forms import FORMS, NATIONAL
from ..models import TEXT_STATUSES, Regulation
from ..regulations import find_live_duplicate, identity_key
from ..relations import add_relation, find_relation
from .jdihn import LEGALBASE_KEYS
from .naming import gazette_from_sumber, split_subjects, title_prefix
from .reports import ImportReport, Incoming, Outcome, import_record, refusal_reason

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
_TENTANG = re.compile(r" tentang ", re.IGNORECASE)


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
        data.update(gazette_from_sumber(_text(entry["sumber"])))
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
        return Outcome(place, "refused", reason=refusal_reason(exc))
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
