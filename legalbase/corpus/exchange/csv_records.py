"""The corpus as CSV, both ways: one row a regulation under the documented header (an empty
cell is null), exported from the live records and imported row by row, each reported by line."""

import csv
import io
from functools import partial

from ...core import audit
from ...core.errors import Invalid
from ..models import Regulation
from ..regulations import regulation_snapshot
from .naming import SUBJECT_SEPARATOR, split_subjects
from .reports import ImportReport, Incoming, import_record, live_regulations

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
