"""The JDIHN feed: its keys (JDIHN's own, then the legalbase_* keys that make a round trip
exact), and building the feed of every live regulation. Reading a feed in: jdihn_import.py."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...core import db
from ..forms import FORMS
from ..models import Regulation, Relation
from ..status import in_force_ids
from .naming import SUBJECT_SEPARATOR, gazette_text, jenis_of, teu_badan_of, title_prefix
from .reports import live_regulations

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
