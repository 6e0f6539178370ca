"""The drafter's fields, checked against the template's manifest: every missing or malformed
field is named in one 422, never a broken document."""

from datetime import date

from ..core import db
from ..core.errors import Invalid
from ..corpus.models import Regulation
from ..regions.models import Region
from .catalog import Template

MAX_TEXT = 500
DECREE_FORMS = ("kepgub", "kepbup", "kepwal", "pergub", "perbup", "perwal")


def check_fields(template: Template, region: Region, fields: dict, options: dict) -> dict:
    """Normalised field and option values, or Invalid naming each bad field."""
    problems = {}
    if region.level not in template.levels or not region.autonomous:
        problems["region_code"] = [
            f"Templat '{template.name}' tidak untuk wilayah {region.code} ({region.level})."
        ]
    unknown = set(fields) - {spec["name"] for spec in template.fields}
    problems.update({name: ["Kolom tidak dikenal."] for name in sorted(unknown)})
    values = {}
    for spec in template.fields:
        try:
            values[spec["name"]] = _value(spec, fields.get(spec["name"]), region)
        except ValueError as exc:
            problems[spec["name"]] = [str(exc)]
    values["dengan_rahmat"] = bool(
        options.get("dengan_rahmat", _option_default(template, "dengan_rahmat"))
    )
    values.setdefault("tempat", None)
    values["tempat"] = values["tempat"] or region.seat
    if not values["tempat"]:
        problems["tempat"] = ["Wajib diisi: ibu kota daerah ini belum tercatat di registri."]
    if problems:
        raise Invalid(
            "Isian draf tidak lengkap atau tidak valid; periksa kolom yang disebutkan.",
            {"fields": problems},
        )
    for name in ("nomor", "tanggal_penetapan", "memperhatikan", "tembusan", "anggota"):
        values.setdefault(name, [] if name in ("memperhatikan", "tembusan", "anggota") else None)
    return values


def _option_default(template: Template, name: str):
    return (template.options.get(name) or {}).get("default", False)


def _value(spec: dict, raw, region: Region):
    if raw in (None, "", []):
        raw = spec.get("default")
    if raw in (None, "", []):
        if spec.get("required"):
            raise ValueError("Wajib diisi.")
        return [] if spec["type"] in ("rows", "list") else None
    return CONVERTERS[spec["type"]](spec, raw, region)


def _string(spec, raw, region) -> str:
    if not isinstance(raw, str) or len(raw) > MAX_TEXT:
        raise ValueError(f"Harus berupa teks, paling banyak {MAX_TEXT} karakter.")
    return raw.strip()


def _date(spec, raw, region) -> date:
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise ValueError("Harus berupa tanggal YYYY-MM-DD.") from None


def _boolean(spec, raw, region) -> bool:
    if not isinstance(raw, bool):
        raise ValueError("Harus berupa true atau false.")
    return raw


def _list(spec, raw, region) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise ValueError("Harus berupa daftar teks yang tidak kosong.")
    return [item.strip() for item in raw]


def _rows(spec, raw, region) -> list[dict]:
    columns = [column["name"] for column in spec.get("columns", [])]
    if not isinstance(raw, list) or not raw:
        raise ValueError("Harus berupa daftar baris, paling sedikit satu.")
    rows = []
    for number, row in enumerate(raw, start=1):
        if (
            not isinstance(row, dict)
            or set(row) - set(columns)
            or not all(isinstance(row.get(c), str) and row[c].strip() for c in columns)
        ):
            raise ValueError(f"Baris {number} harus berisi kolom {', '.join(columns)} (teks).")
        rows.append({column: row[column].strip() for column in columns})
    return rows


def _regulation(spec, raw, region) -> Regulation:
    regulation = db.session.get(Regulation, raw) if isinstance(raw, int) else None
    if (
        regulation is None
        or regulation.withdrawn_at is not None
        or regulation.region_code != region.code
        or regulation.form not in DECREE_FORMS
    ):
        raise ValueError(
            f"Harus id keputusan atau peraturan kepala daerah {region.code} "
            "yang tercatat di korpus."
        )
    return regulation


CONVERTERS = {
    "string": _string,
    "date": _date,
    "boolean": _boolean,
    "list": _list,
    "rows": _rows,
    "regulation": _regulation,
}
