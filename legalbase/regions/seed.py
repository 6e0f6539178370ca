"""Load the region registry from the seed corpus (`corpus/regions/`) and upsert it.

A region's seat comes from `facts.csv` (provinces, kota: confidence `curated`) or `seats.csv`
(kabupaten, with the confidence and note of its sources), never both; a seat the region
corrected itself (confidence `corrected`) is left alone."""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from ..core import audit, db
from ..core.errors import Invalid
from .models import SEAT_CONFIDENCE, Region
from .registry import head_title_for

PROVINCE_CODE = re.compile(r"\d{2}")
REGENCY_CODE = re.compile(r"(\d{2})\.(\d{2})")
SEAT_FIELDS = ("seat", "seat_confidence", "seat_source", "seat_note")
NOTE_MAX = 500
SEED_CONFIDENCES = tuple(key for key in SEAT_CONFIDENCE if key != "corrected")


@dataclass
class SyncCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_in_seed: list = field(default_factory=list)
    corrected_kept: list = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.created} dibuat, {self.updated} diperbarui, {self.unchanged} tetap"
        if self.not_in_seed:
            text += f", {len(self.not_in_seed)} tidak ada di seed (dibiarkan)"
        if self.corrected_kept:
            text += (
                f", {len(self.corrected_kept)} ibu kota hasil koreksi daerah berbeda dari "
                f"seed dan dibiarkan ({', '.join(self.corrected_kept)})"
            )
        return text


def read_seed_regions(regions_dir: Path) -> list[dict]:
    """Every region of the seed, provinces first, with level, parent, head title and facts."""
    facts = _read_facts(regions_dir / "facts.csv")
    seats = _read_facts(regions_dir / "seats.csv")
    rows = [_province(row) for row in _read_csv(regions_dir / "provinces.csv")]
    rows += [_regency(row) for row in _read_csv(regions_dir / "regencies.csv")]
    for row in rows:
        _apply_facts(row, facts.get(row["code"], {}))
        _apply_seat(row, facts.get(row["code"], {}), seats.pop(row["code"], None))
    if seats:
        raise Invalid(
            "seats.csv memuat kode yang tidak ada di regencies.csv.", {"codes": sorted(seats)}
        )
    return rows


def sync_regions(regions_dir: Path, actor: audit.Actor) -> SyncCounts:
    """Upsert the seed regions, auditing every creation and change; flushes, never commits."""
    counts = SyncCounts()
    existing = {region.code: region for region in db.session.scalars(select(Region))}
    seed = read_seed_regions(regions_dir)
    for row in seed:
        _upsert(existing.get(row["code"]), row, actor, counts)
        if row["level"] == "provinsi":
            db.session.flush()  # parents before their kabupaten/kota
    seed_codes = {row["code"] for row in seed}
    counts.not_in_seed = sorted(code for code in existing if code not in seed_codes)
    db.session.flush()
    return counts


def region_snapshot(region: Region) -> dict:
    """A region's facts as plain data (for the audit log and comparisons)."""
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent_code": region.parent_code,
        "head_title": region.head_title,
        "seat": region.seat,
        "seat_confidence": region.seat_confidence,
        "seat_source": region.seat_source,
        "seat_note": region.seat_note,
        "autonomous": region.autonomous,
    }


def _upsert(region: Region | None, row: dict, actor: audit.Actor, counts: SyncCounts) -> None:
    if region is None:
        region = Region(**row)
        db.session.add(region)
        audit.record(actor, "create", "region", row["code"], None, row, row["code"])
        counts.created += 1
        return
    if region.seat_corrected:
        row = _keep_corrected_seat(region, row, counts)
    before, after = audit.changed_fields(region_snapshot(region), row)
    if not after:
        counts.unchanged += 1
        return
    for key, value in after.items():
        setattr(region, key, value)
    audit.record(actor, "update", "region", region.code, before, after, region.code)
    counts.updated += 1


def _keep_corrected_seat(region: Region, row: dict, counts: SyncCounts) -> dict:
    if row["seat"] != region.seat:
        counts.corrected_kept.append(region.code)
    return {key: value for key, value in row.items() if key not in SEAT_FIELDS}


def _read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _province(row: dict) -> dict:
    code = row["code"].strip()
    if not PROVINCE_CODE.fullmatch(code):
        raise Invalid(f"Kode provinsi tidak valid di seed: '{code}'.", {"code": code})
    return {"code": code, "name": row["name"].strip(), "level": "provinsi", "parent_code": None}


def _regency(row: dict) -> dict:
    code = row["code"].strip()
    match = REGENCY_CODE.fullmatch(code)
    if not match or match.group(1) != row["province_code"].strip():
        raise Invalid(f"Kode kabupaten/kota tidak valid di seed: '{code}'.", {"code": code})
    level = "kota" if int(match.group(2)) >= 71 else "kabupaten"
    return {
        "code": code,
        "name": row["name"].strip(),
        "level": level,
        "parent_code": match.group(1),
    }


def _read_facts(path: Path) -> dict:
    return {row["code"].strip(): row for row in _read_csv(path)} if path.exists() else {}


def _apply_facts(row: dict, facts: dict) -> None:
    row["head_title"] = (facts.get("head_title") or "").strip() or head_title_for(
        row["name"], row["level"]
    )
    autonomous = (facts.get("autonomous") or "true").strip().lower()
    if autonomous not in ("true", "false"):
        raise Invalid(
            f"Kolom 'autonomous' wilayah {row['code']} harus true atau false.",
            {"code": row["code"]},
        )
    row["autonomous"] = autonomous == "true"


def _apply_seat(row: dict, facts: dict, seat: dict | None) -> None:
    curated, listed = _text(facts.get("seat")), _text((seat or {}).get("seat"))
    if curated and listed:
        raise Invalid(
            f"Ibu kota wilayah {row['code']} tercatat di facts.csv dan seats.csv; "
            "simpan di satu berkas saja.",
            {"code": row["code"]},
        )
    if seat is not None:
        _check_seat_row(row, seat)
    if curated:
        values = (curated, "curated", "facts.csv", _text(facts.get("note")))
    elif listed:
        values = (
            listed,
            _text(seat["confidence"]),
            f"seats.csv ({_text(seat.get('source'))})",
            _text(seat.get("note")),
        )
    else:
        values = (None, None, None, None)
    row.update(zip(SEAT_FIELDS, values, strict=True))


def _check_seat_row(row: dict, seat: dict) -> None:
    problem = None
    if _text(seat.get("name")) != row["name"]:
        problem = f"namanya '{seat.get('name')}' tidak sama dengan di regencies.csv"
    elif _text(seat.get("confidence")) not in SEED_CONFIDENCES:
        problem = f"kolom 'confidence' harus salah satu dari: {', '.join(SEED_CONFIDENCES)}"
    elif _text(seat.get("seat")) and not _text(seat.get("source")):
        problem = "kolom 'source' wajib diisi bila ada ibu kota"
    elif len(_text(seat.get("note")) or "") > NOTE_MAX:
        problem = f"kolom 'note' paling banyak {NOTE_MAX} karakter"
    if problem:
        raise Invalid(
            f"Baris {row['code']} di seats.csv tidak valid: {problem}.", {"code": row["code"]}
        )


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None
