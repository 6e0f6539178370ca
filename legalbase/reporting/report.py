"""The coverage report the ministry sends ("Laporan cakupan"), as a Word document: the national
summary as of a date beside an earlier one (the last report), what changed since, the provincial
map and the monthly timeline (the pages' own drawing, as images), a table of the provinces, the
overdue regions, and an annex with every region. Every number comes from the same functions as
the coverage API (`coverage_report`, `province_indicators`, `timeline`) for the same date.

A4 and Arial as the drafts (templates/build_templates.py): 12 pt text, 10 pt in the tables so
that the annex's five columns fit; every table repeats its header row on each page.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor, Twips

from ..core.dates import indonesian_date
from ..core.errors import Invalid
from ..corpus.citations import cited_name
from ..coverage.basis import STATUSES, RegionCoverage
from ..coverage.export import STATUS_LABELS
from ..coverage.figures import CREDIT, SERIES, monthly_counts, province_shapes, ramp
from ..coverage.figures import timeline_chart as draw_timeline
from ..coverage.reports import coverage_report, province_indicators
from .figures import chart_png, map_png

TITLE = "Laporan Cakupan Dasar Hukum Gugus Tugas PP-TPPO Daerah"
FONT, FONT_SIZE, TABLE_SIZE = "Arial", Pt(12), Pt(10)
PAGE_WIDTH, PAGE_HEIGHT = Twips(11906), Twips(16838)  # A4
MARGINS = {"top": Cm(2), "bottom": Cm(2), "left": Cm(2.5), "right": Cm(2)}
FIGURE_WIDTH = Cm(16)
STEPS = ("summary", "figures", "provinces", "annex")
# The "since" groups, by the status a region has on the later date.
CHANGED_TO = {
    "current": "Memperoleh dasar hukum yang berlaku dan mutakhir",
    "outdated": "Dasar hukumnya menjadi perlu penyesuaian",
    "expired": "Masa berlaku dasar hukumnya habis",
    "missing": "Menjadi tanpa dasar hukum",
    "unreported": "Menjadi belum melapor",
    "not_required": "Menjadi tidak diwajibkan",
}
COLOUR_NAMES = {
    "current": "hijau",
    "outdated": "jingga",
    "missing": "merah",
    "unreported": "abu-abu",
}


@dataclass
class Change:
    """A region whose status differs between the two dates."""

    item: RegionCoverage  # as of the later date
    before: str  # its status on the earlier date


def report_period(as_of: date | None, since: date | None) -> tuple[date, date]:
    """The dates of a report: `as_of` (default today) and `since` (default one year before
    `as_of`, the 28th of February for a 29th); `since` must come before `as_of`."""
    as_of = as_of or date.today()
    since = since or _year_before(as_of)
    if since >= as_of:
        raise Invalid(
            "Tanggal pembanding harus sebelum tanggal laporan.",
            {"fields": {"since": ["Harus sebelum as_of."]}},
        )
    return as_of, since


def _year_before(day: date) -> date:
    if (day.month, day.day) == (2, 29):
        day -= timedelta(days=1)
    return day.replace(year=day.year - 1)


def coverage_document(
    as_of: date | None = None,
    since: date | None = None,
    on_step: Callable[[str], None] | None = None,
) -> bytes:
    """The coverage report as DOCX bytes; `on_step(name)` hears of each of STEPS done."""
    as_of, since = report_period(as_of, since)
    step = on_step or (lambda _name: None)
    later, earlier = coverage_report(as_of), coverage_report(since)
    document = new_document()
    write_title(document, as_of, since, later["rules_version"])
    write_summary(document, as_of, since, later["summary"], earlier["summary"])
    write_changes(document, since, status_changes(earlier["items"], later["items"]))
    step("summary")
    write_map(document, later["items"], later["summary"])
    write_timeline(document, as_of)
    step("figures")
    write_provinces(document, province_indicators(as_of))
    write_overdue(document, later["items"])
    step("provinces")
    write_annex(document, as_of, later["items"])
    write_colophon(document, later["rules_version"])
    step("annex")
    return save(document)


def status_changes(earlier: list[RegionCoverage], later: list[RegionCoverage]) -> list[Change]:
    """The regions whose status on the later date differs from the earlier one."""
    before = {item.region.code: item.status for item in earlier}
    return [
        Change(item, before[item.region.code])
        for item in later
        if item.region.code in before and before[item.region.code] != item.status
    ]


# --- the sections ---------------------------------------------------------------------------


def write_title(document, as_of: date, since: date, rules_version: str) -> None:
    """The title page: what, as of when, compared with when, the rules and the day made."""
    for _ in range(6):
        document.add_paragraph()
    centred(document, TITLE.upper(), bold=True, size=Pt(16))
    centred(document, f"per {indonesian_date(as_of)}", size=Pt(14))
    centred(document, f"dibandingkan dengan keadaan per {indonesian_date(since)}")
    for _ in range(4):
        document.add_paragraph()
    centred(document, f"Versi aturan cakupan: {rules_version}")
    centred(document, f"Dibuat pada {indonesian_date(date.today())}")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def write_summary(document, as_of: date, since: date, later: dict, earlier: dict) -> None:
    """The national count of regions per status on both dates."""
    document.add_heading("1. Ringkasan nasional", level=1)
    document.add_paragraph(
        "Jumlah wilayah (provinsi, kabupaten dan kota) menurut status dasar hukum Gugus Tugas "
        "PP-TPPO-nya. Belum melapor berarti tidak ada yang diketahui tentang wilayah itu."
    )
    keys = [*STATUSES, "total", "in_progress"]
    labels = {
        **STATUS_LABELS,
        "total": "Jumlah",
        "in_progress": "Sedang menyusun draf (sudah terhitung dalam status di atas)",
    }
    rows = [
        (labels[key], str(earlier[key]), str(later[key]), _difference(later[key] - earlier[key]))
        for key in keys
    ]
    header = ("Status", f"Per {indonesian_date(since)}", f"Per {indonesian_date(as_of)}", "Selisih")
    add_table(document, header, rows, (Cm(7.5), Cm(3.2), Cm(3.2), Cm(2.5)))


def _difference(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def write_changes(document, since: date, changes: list[Change]) -> None:
    """The regions whose status changed since the earlier date, grouped by their new status."""
    document.add_heading(f"2. Perubahan sejak {indonesian_date(since)}", level=1)
    if not changes:
        document.add_paragraph("Tidak ada wilayah yang statusnya berubah.")
        return
    document.add_paragraph(
        f"{len(changes)} wilayah berubah status, dikelompokkan menurut status barunya."
    )
    for status in STATUSES:
        group = [change for change in changes if change.item.status == status]
        if group:
            document.add_heading(f"{CHANGED_TO[status]} ({len(group)} wilayah)", level=2)
            add_table(
                document,
                ("Kode", "Wilayah", "Status sebelumnya", "Alasan saat ini"),
                [_change_row(change) for change in group],
                (Cm(2), Cm(4.5), Cm(3.5), Cm(6.5)),
            )


def _change_row(change: Change) -> tuple:
    item = change.item
    return (item.region.code, item.region.name, STATUS_LABELS[change.before], reasons_text(item))


def write_map(document, items: list[RegionCoverage], summary: dict) -> None:
    """The provincial map, drawn as on the front page, with its legend and credit."""
    document.add_heading("3. Peta provinsi", level=1)
    document.add_paragraph(
        "Porsi wilayah yang sudah melapor (provinsi itu sendiri dan kabupaten/kotanya, tanpa "
        "wilayah yang tidak diwajibkan) yang belum memiliki dasar hukum yang berlaku."
    )
    shapes = province_shapes(items)
    add_figure(document, map_png(shapes), "Peta provinsi")
    steps = ", ".join(step["label"] for step in ramp())
    document.add_paragraph(
        f"Warna dari hijau ke merah menurut porsi itu ({steps}). Abu-abu bergaris: belum satu "
        f"pun wilayahnya melapor "
        f"({sum(shape['kind'] == 'belum-melapor' for shape in shapes)} provinsi). Tepi "
        f"putus-putus: sebagian wilayahnya belum melapor "
        f"({sum(shape['kind'] == 'melapor sebagian-melapor' for shape in shapes)} provinsi). "
        f"Sedang menyusun draf: {summary['in_progress']} wilayah."
    )
    small(document, CREDIT)


def write_timeline(document, as_of: date) -> None:
    """The national counts at the end of each of the last twelve months, drawn and tabled."""
    document.add_heading("4. Perkembangan bulanan", level=1)
    chart = draw_timeline(monthly_counts(as_of))
    add_figure(document, chart_png(chart), "Grafik perkembangan bulanan")
    lines = "; ".join(f"{COLOUR_NAMES[name]}: {STATUS_LABELS[name]}" for name, _ in SERIES)
    document.add_paragraph(f"Garis {lines}. Angka di kiri atas: nilai tertinggi sumbu tegak.")
    rows = [
        (point["month"], *(str(point["summary"][name]) for name, _ in SERIES))
        for point in chart["points"]
    ]
    header = ("Bulan", *(STATUS_LABELS[name] for name, _ in SERIES))
    add_table(document, header, rows)


def write_provinces(document, provinces: list[dict]) -> None:
    """Per province: its own status, its kabupaten/kota without a current basis, the share,
    those drafting one, and the longest delay."""
    document.add_heading("5. Provinsi", level=1)
    document.add_paragraph(
        "Status provinsi sendiri dan kabupaten/kotanya (tanpa yang tidak diwajibkan). Yang belum "
        "melapor tidak diketahui keadaannya dan tidak dihitung sebagai kekurangan: porsinya "
        "dihitung di antara yang sudah melapor. Terlambat: hari terlama sejak tenggat mandat."
    )
    header = (
        "Kode",
        "Provinsi",
        "Status provinsi",
        "Kab/kota",
        "Belum melapor",
        "Sudah melapor, tanpa dasar hukum berlaku",
        "Porsi di antara yang sudah melapor",
        "Sedang menyusun draf",
        "Terlambat terlama (hari)",
    )
    add_table(document, header, [_province_row(row) for row in provinces])


def _province_row(row: dict) -> tuple:
    return (
        row["region_code"],
        row["region_name"],
        STATUS_LABELS[row["status"]],
        str(row["kabkota_total"]),
        str(row["kabkota_unreported"]),
        str(row["kabkota_lacking_reported"]),
        _known_percent(row["share_lacking_reported"]),
        str(row["kabkota_in_progress"]),
        str(row["max_overdue_days"]),
    )


def _known_percent(share: float | None) -> str:
    """A share, or 'tidak diketahui' where no kabupaten/kota has reported."""
    return "tidak diketahui" if share is None else percent(share)


def percent(share: float) -> str:
    """A share as Indonesians write a percentage: '37,50%'."""
    return f"{share * 100:.2f}".replace(".", ",") + "%"


def write_overdue(document, items: list[RegionCoverage]) -> None:
    """The regions past the mandate's deadline without a current basis, longest first."""
    document.add_heading("6. Wilayah yang terlambat", level=1)
    late = sorted(
        (item for item in items if item.overdue_days),
        key=lambda item: (-item.overdue_days, item.region.code),
    )
    if not late:
        document.add_paragraph("Tidak ada wilayah yang terlambat.")
        return
    document.add_paragraph(f"{len(late)} wilayah melewati tenggat tanpa dasar hukum yang berlaku.")
    rows = [
        (
            item.region.code,
            item.region.name,
            STATUS_LABELS[item.status],
            str(item.overdue_days),
            item.in_progress["state_label"] if item.in_progress else "—",
        )
        for item in late
    ]
    header = ("Kode", "Wilayah", "Status", "Terlambat (hari)", "Sedang disusun")
    add_table(document, header, rows, (Cm(2), Cm(5), Cm(4), Cm(2.5), Cm(3)))


def write_annex(document, as_of: date, items: list[RegionCoverage]) -> None:
    """Every region: status, basis (form, number, date) and reasons."""
    document.add_page_break()
    document.add_heading(f"Lampiran: status setiap wilayah per {indonesian_date(as_of)}", level=1)
    rows = [
        (
            item.region.code,
            item.region.name,
            STATUS_LABELS[item.status],
            basis_text(item),
            reasons_text(item),
        )
        for item in items
    ]
    header = ("Kode", "Wilayah", "Status", "Dasar hukum", "Alasan")
    add_table(document, header, rows, (Cm(1.8), Cm(3.4), Cm(2.6), Cm(4.6), Cm(4.1)))


def basis_text(item: RegionCoverage) -> str:
    """The region's basis as cited, each with its date of enactment (or that it is unknown)."""
    if not item.basis:
        return "tidak diketahui" if item.status == "unreported" else "tidak ada"
    return "; ".join(
        f"{cited_name(regulation)}, ditetapkan "
        + (
            indonesian_date(regulation.enacted_on)
            if regulation.enacted_on
            else "tanggal tidak diketahui"
        )
        for regulation in item.basis
    )


def reasons_text(item: RegionCoverage) -> str:
    """The reasons of the region's status, or a dash when there are none."""
    return "; ".join(reason.message for reason in item.reasons) or "—"


def write_colophon(document, rules_version: str) -> None:
    """The rules version and the day the report was made, at its end."""
    document.add_paragraph()
    small(
        document,
        f"Dinilai dengan aturan cakupan versi {rules_version} (corpus/coverage/rules.yaml). "
        f"Laporan dibuat oleh legalbase pada {indonesian_date(date.today())}.",
    )


# --- the document ---------------------------------------------------------------------------


def new_document():
    """An empty A4 document in Arial 12 pt, Indonesian proofing, black headings."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    _set_defaults(document)
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        _arial(document.styles[name])
    document.styles["Normal"].font.size = FONT_SIZE
    document.core_properties.title = TITLE
    document.core_properties.author = "legalbase"
    document.core_properties.language = "id-ID"
    return document


def _set_defaults(document) -> None:
    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr.find(qn("w:rPr"))
    rpr.remove(rpr.find(qn("w:rFonts")))  # the theme fonts there would win over Arial
    rpr.insert(0, parse_xml(_rfonts()))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "id-ID")
    lang.set(qn("w:eastAsia"), "id-ID")


def _rfonts() -> str:
    names = f'w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"'
    return f"<w:rFonts {nsdecls('w')} {names}/>"


def _arial(style) -> None:
    rpr = style.element.get_or_add_rPr()
    existing = rpr.find(qn("w:rFonts"))
    if existing is not None:
        rpr.remove(existing)
    rpr.insert(0, parse_xml(_rfonts()))
    style.font.color.rgb = RGBColor(0, 0, 0)


def centred(document, text: str, bold: bool = False, size=None) -> None:
    """A centred paragraph."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    if size is not None:
        run.font.size = size


def small(document, text: str) -> None:
    """A paragraph in the tables' smaller size (notes, credits)."""
    document.add_paragraph().add_run(text).font.size = TABLE_SIZE


def add_figure(document, image: bytes | None, name: str) -> None:
    """A picture across the text width, or a note that this server could not draw it."""
    if image is None:
        document.add_paragraph(
            f"{name} tidak dapat digambar di server ini (pustaka Cairo tidak terpasang)."
        )
        return
    document.add_picture(io.BytesIO(image), width=FIGURE_WIDTH)
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def add_table(document, header: tuple, rows: list[tuple], widths: tuple | None = None):
    """A bordered table whose header row repeats on every page it spans; rows may break."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _fill(cell, text, bold=True)
    repeat_header(table.rows[0])
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            _fill(cell, text)
    if widths:
        for column, width in zip(table.columns, widths, strict=True):
            for cell in column.cells:
                cell.width = width
    document.add_paragraph()
    return table


def _fill(cell, text: str, bold: bool = False) -> None:
    run = cell.paragraphs[0].add_run(text)
    run.font.size = TABLE_SIZE
    run.bold = bold or None


def repeat_header(row) -> None:
    """Mark a table row as its header, repeated at the top of each page (`w:tblHeader`)."""
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def save(document) -> bytes:
    """The document's bytes."""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
