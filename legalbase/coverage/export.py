"""The coverage report for the President: XLSX (a summary sheet and one sheet per level) and
CSV, with Indonesian headers."""

import csv
import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font

from ..corpus.citations import short_name
from ..regions.models import LEVELS
from .basis import STATUSES, RegionCoverage
from .reports import coverage_report

HEADERS = (
    "Kode",
    "Wilayah",
    "Tingkat",
    "Status",
    "Keterangan status",
    "Alasan",
    "Dasar hukum",
    "Terlambat (hari)",
    "Sedang disusun",
)
STATUS_LABELS = {
    "current": "Berlaku dan mutakhir",
    "outdated": "Perlu penyesuaian",
    "expired": "Masa berlaku habis",
    "missing": "Tidak ada dasar hukum",
    "unreported": "Belum melapor",
    "not_required": "Tidak diwajibkan",
}
LEVEL_SHEETS = {"provinsi": "Provinsi", "kabupaten": "Kabupaten", "kota": "Kota"}


def report_rows(items: list[RegionCoverage]) -> list[tuple]:
    """One row per region, in the order of HEADERS."""
    return [
        (
            item.region.code,
            item.region.name,
            item.region.level,
            item.status,
            STATUS_LABELS[item.status],
            "; ".join(reason.message for reason in item.reasons),
            "; ".join(short_name(regulation) for regulation in item.basis),
            item.overdue_days if item.overdue_days is not None else "",
            item.in_progress["state_label"] if item.in_progress else "",
        )
        for item in items
    ]


def coverage_csv(as_of: date) -> str:
    """The national coverage on `as_of` as CSV (UTF-8, Indonesian headers)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS)
    writer.writerows(report_rows(coverage_report(as_of)["items"]))
    return out.getvalue()


def coverage_xlsx(as_of: date) -> bytes:
    """The national coverage on `as_of` as an XLSX workbook."""
    report = coverage_report(as_of)
    workbook = Workbook()
    _summary_sheet(workbook.active, report)
    for level in LEVELS:
        sheet = workbook.create_sheet(LEVEL_SHEETS[level])
        _table(sheet, [item for item in report["items"] if item.region.level == level])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _summary_sheet(sheet, report: dict) -> None:
    sheet.title = "Ringkasan"
    sheet.append(("Laporan cakupan dasar hukum Gugus Tugas PP-TPPO daerah",))
    sheet["A1"].font = Font(bold=True)
    sheet.append(("Per tanggal", report["as_of"].isoformat()))
    sheet.append(("Dibuat pada", datetime.now().strftime("%Y-%m-%d %H:%M")))
    sheet.append(("Versi aturan cakupan", report["rules_version"]))
    sheet.append(())
    sheet.append(("Status", "Keterangan", "Jumlah wilayah"))
    for status in STATUSES:
        sheet.append((status, STATUS_LABELS[status], report["summary"][status]))
    sheet.append(("total", "Jumlah", report["summary"]["total"]))
    sheet.append(
        ("in_progress", "Sedang disusun (draf belum ditetapkan)", report["summary"]["in_progress"])
    )


def _table(sheet, items: list[RegionCoverage]) -> None:
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in report_rows(items):
        sheet.append(row)
    sheet.freeze_panes = "A2"
