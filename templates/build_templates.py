"""Build the three DOCX drafting templates: templates/<name>/template.docx.

The templates are Word documents with docxtpl (Jinja2) tags. They are generated, not edited by
hand, so that their Word structure stays exact: A4 portrait, Arial 12 pt set in the styles, the
Menimbang, Mengingat, Memperhatikan and Tembusan items as real numbered paragraphs (our own
w:abstractNum / w:num entries in numbering.xml, one list each, so every list starts again at
"a." or "1."), borderless layout tables for "Menimbang :" and the diktum, and a bordered
membership table in the Lampiran whose body row repeats with `{%tr for %}`.

Run from the repository root after changing this script, and commit the rebuilt files:

    .venv/bin/python templates/build_templates.py            # writes templates/<name>/template.docx
    .venv/bin/python templates/build_templates.py --out DIR  # writes DIR/<name>/template.docx

The output is byte-for-byte reproducible (fixed document properties and zip timestamps), so a
rebuild without changes leaves git clean. The context variables are described in README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Pt, Twips

HERE = Path(__file__).resolve().parent

FONT = "Arial"
FONT_SIZE = Pt(12)
PAGE_WIDTH, PAGE_HEIGHT = Twips(11906), Twips(16838)  # A4, 210 x 297 mm
MARGINS = {"top": Cm(2), "bottom": Cm(2), "left": Cm(2.5), "right": Cm(2)}
TEXT_WIDTH = Cm(21 - 2.5 - 2)

# Layout of the "Menimbang :" and diktum tables: label, colon, content.
LABEL_WIDTH, COLON_WIDTH = Cm(3.3), Cm(0.5)
CONTENT_WIDTH = Emu(TEXT_WIDTH - LABEL_WIDTH - COLON_WIDTH)
# Where the signature block and the Lampiran heading block start, from the left margin.
SIGNATURE_INDENT = Cm(8.5)
LAMPIRAN_INDENT = Cm(6.5)
LAMPIRAN_LABEL = Cm(2.2)  # "TANGGAL" fits; the colon follows, then the value
# The membership table: NO., JABATAN DALAM GUGUS TUGAS, JABATAN/INSTANSI.
MEMBER_WIDTHS = (Cm(1.3), Cm(6.2), Emu(TEXT_WIDTH - Cm(1.3) - Cm(6.2)))
MEMBER_HEADER = ("NO.", "JABATAN DALAM GUGUS TUGAS", "JABATAN/INSTANSI")

# The numbered lists: name -> number format. Each gets its own abstractNum and num.
LISTS = {
    "menimbang": "lowerLetter",
    "mengingat": "decimal",
    "memperhatikan": "decimal",
    "tembusan": "decimal",
}
LIST_INDENT = Cm(0.75)  # hanging indent: the text starts 0.75 cm after the label's start

# Fixed document properties, so that the output does not change from one build to the next.
BUILT = datetime(2025, 1, 1, tzinfo=UTC)
ZIP_TIME = (2025, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Spec:
    """One template: its folder name, its title and the variant parts it has."""

    name: str
    title: str
    lampiran_optional: bool = False  # include the Lampiran only when lampiran.anggota is given
    perubahan: bool = False  # an amending decree: the Lampiran names the SK it replaces


SPECS = (
    Spec(
        "kepgub-pembentukan", "Keputusan Gubernur tentang Pembentukan Gugus Tugas PP-TPPO Provinsi"
    ),
    Spec(
        "kepbupwal-pembentukan",
        "Keputusan Bupati/Wali Kota tentang Pembentukan Gugus Tugas PP-TPPO Kabupaten/Kota",
    ),
    Spec(
        "keputusan-perubahan",
        "Keputusan tentang Perubahan atas Keputusan Pembentukan Gugus Tugas PP-TPPO",
        lampiran_optional=True,
        perubahan=True,
    ),
)


# --- styles, page and numbering -------------------------------------------------------------


def set_fonts(document) -> None:
    """Arial 12 pt, Indonesian proofing language, single spacing: in docDefaults and Normal."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rpr.remove(rpr.find(qn("w:rFonts")))  # the theme fonts there would win over Arial
    rpr.insert(0, parse_xml(_rfonts_xml()))
    rpr.find(qn("w:sz")).set(qn("w:val"), str(int(FONT_SIZE.pt * 2)))
    rpr.find(qn("w:szCs")).set(qn("w:val"), str(int(FONT_SIZE.pt * 2)))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "id-ID")
    lang.set(qn("w:eastAsia"), "id-ID")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")

    normal = document.styles["Normal"]
    normal.element.get_or_add_rPr().insert(0, parse_xml(_rfonts_xml()))
    normal.font.size = FONT_SIZE
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _rfonts_xml() -> str:
    return (
        f'<w:rFonts {nsdecls("w")} w:ascii="{FONT}" w:hAnsi="{FONT}" '
        f'w:eastAsia="{FONT}" w:cs="{FONT}"/>'
    )


def set_page(document) -> None:
    """A4 portrait with the margins above, and a page number ("- 2 -") from page 2 on."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    section.header_distance = section.footer_distance = Cm(1)
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.add_run("- ")
    number._p.append(
        parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>2</w:t></w:r></w:fldSimple>'
        )
    )
    number.add_run(" -")


def add_lists(document) -> dict[str, int]:
    """Add one single-level abstractNum and one num per list; return list name -> numId."""
    numbering = document.part.numbering_part.element
    used = [int(v) for v in numbering.xpath("./w:abstractNum/@w:abstractNumId")]
    first_num = numbering.find(qn("w:num"))
    num_ids = {}
    for offset, (name, fmt) in enumerate(LISTS.items()):
        abstract_id = max(used, default=-1) + 1 + offset
        abstract = parse_xml(_abstract_num_xml(abstract_id, name, fmt))
        if first_num is not None:  # schema order: every abstractNum before the first num
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        num_ids[name] = numbering.add_num(abstract_id).numId
    return num_ids


def _abstract_num_xml(abstract_id: int, name: str, fmt: str) -> str:
    nsid = hashlib.sha1(name.encode()).hexdigest()[:8].upper()
    indent = int(LIST_INDENT.twips)
    return (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:nsid w:val="{nsid}"/><w:multiLevelType w:val="singleLevel"/>'
        f'<w:name w:val="legalbase-{name}"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{indent}"/></w:tabs>'
        f'<w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr></w:lvl>'
        f"</w:abstractNum>"
    )


def set_properties(document, spec: Spec) -> None:
    """Fixed core properties, and no thumbnail (python-docx's default template has one)."""
    props = document.core_properties
    props.title = spec.title
    props.author = props.last_modified_by = "legalbase"
    props.created = props.modified = BUILT
    props.revision = 1
    props.comments = "Dibangun oleh templates/build_templates.py; jangan disunting manual."
    package_rels = document.part.package.rels
    for r_id in [r for r, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        package_rels.pop(r_id)


# --- paragraph and table helpers ----------------------------------------------------------


def para(
    container,
    text: str = "",
    *,
    bold: bool = False,
    align=None,
    before: float = 0,
    after: float = 0,
    indent=None,
    keep_next: bool = False,
):
    """Add a paragraph with one run; `before`/`after` are spacing in points."""
    paragraph = container.add_paragraph()
    if text:
        paragraph.add_run(text).bold = bold or None
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if indent is not None:
        fmt.left_indent = indent
    if keep_next:
        fmt.keep_with_next = True
    return paragraph


def tag(container, text: str):
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %}); it vanishes on render."""
    return container.add_paragraph(text)


def numbered(container, text: str, num_id: int, *, after: float = 4):
    """A justified paragraph in list `num_id` (level 0); indents come from the numbering."""
    paragraph = para(container, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=after)
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id
    return paragraph


def layout_table(document, rows: int, widths, *, borders: bool = False):
    """A fixed-width table; borderless for layout, or with single 0.5 pt lines."""
    table = document.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(int(width.twips) for width in widths)))
    line = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    none = '<w:{0} w:val="nil"/>'
    edges = "".join(
        (line if borders else none).format(edge)
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    tbl_pr.insert_element_before(
        parse_xml(f"<w:tblBorders {nsdecls('w')}>{edges}</w:tblBorders>"),
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
    )
    side, vertical = (Cm(0.15) if borders else Cm(0)), Cm(0.05)
    margins = "".join(
        f'<w:{edge} w:w="{int(width.twips)}" w:type="dxa"/>'
        for edge, width in (
            ("top", vertical),
            ("left", side),
            ("bottom", vertical),
            ("right", max(side, Cm(0.1))),
        )
    )
    tbl_pr.insert_element_before(
        parse_xml(f"<w:tblCellMar {nsdecls('w')}>{margins}</w:tblCellMar>"), "w:tblLook"
    )
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return table


def cell_paragraph(cell, text: str = "", **kwargs):
    """Add a paragraph to the cell like `para`; the first replaces the empty one it came with."""
    first = cell.paragraphs[0]
    if len(cell.paragraphs) > 1 or first.runs:
        return para(cell, text, **kwargs)
    paragraph = para(cell, text, **kwargs)
    first._p.getparent().remove(first._p)
    return paragraph


def label_cells(row, label: str):
    """Fill a label row ("Menimbang", ":") and return its content cell."""
    cell_paragraph(row.cells[0], label)
    cell_paragraph(row.cells[1], ":")
    return row.cells[2]


def row_tag(row, text: str) -> None:
    """A row holding only a docxtpl row tag ({%tr ... %}); the row vanishes on render."""
    cell_paragraph(row.cells[0], text)


def no_split(row, *, header: bool = False) -> None:
    """Keep a table row on one page; a header row repeats on every page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
    if header:
        tr_pr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))


# --- the parts of a Keputusan, in order -----------------------------------------------------

CENTER = WD_ALIGN_PARAGRAPH.CENTER


def add_heading(document) -> None:
    """Jabatan (+ province line), KEPUTUSAN ..., NOMOR, TENTANG, subject, opening phrase."""
    para(document, "{{ kepala.jabatan }}", bold=True, align=CENTER)
    tag(document, "{%p if kepala.provinsi_baris %}")
    para(document, "{{ kepala.provinsi_baris }}", bold=True, align=CENTER)
    tag(document, "{%p endif %}")
    para(document, "{{ kepala.judul_keputusan }}", bold=True, align=CENTER, before=24)
    para(document, "NOMOR {{ nomor }}", bold=True, align=CENTER)
    para(document, "TENTANG", bold=True, align=CENTER, before=12)
    subject = para(document, "{{ tentang }}", bold=True, align=CENTER, before=12)
    subject.paragraph_format.left_indent = subject.paragraph_format.right_indent = Cm(1)
    tag(document, "{%p if dengan_rahmat %}")
    para(document, "DENGAN RAHMAT TUHAN YANG MAHA ESA", bold=True, align=CENTER, before=18)
    tag(document, "{%p endif %}")
    para(document, "{{ kepala.jabatan }},", bold=True, align=CENTER, before=18, after=12)


def add_considerations(document, lists: dict[str, int]) -> None:
    """Menimbang, Mengingat and the optional Memperhatikan, in one borderless table."""
    widths = (LABEL_WIDTH, COLON_WIDTH, CONTENT_WIDTH)
    table = layout_table(document, 5, widths)
    rows = table.rows
    for row, name in ((rows[0], "menimbang"), (rows[1], "mengingat")):
        content = label_cells(row, name.capitalize())
        cell_paragraph(content, f"{{%p for item in {name} %}}")
        numbered(content, "{{ item }}", lists[name])
        cell_paragraph(content, "{%p endfor %}")
    row_tag(rows[2], "{%tr if memperhatikan %}")
    content = label_cells(rows[3], "Memperhatikan")
    cell_paragraph(content, "{%p if memperhatikan|length == 1 %}")
    para(content, "{{ memperhatikan[0] }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=4)
    tag(content, "{%p else %}")
    tag(content, "{%p for item in memperhatikan %}")
    numbered(content, "{{ item }}", lists["memperhatikan"])
    tag(content, "{%p endfor %}")
    tag(content, "{%p endif %}")
    row_tag(rows[4], "{%tr endif %}")


def add_decision(document) -> None:
    """MEMUTUSKAN:, then Menetapkan and the diktum (KESATU, KEDUA, ...) in a borderless table."""
    para(document, "MEMUTUSKAN:", bold=True, align=CENTER, before=12, after=12)
    table = layout_table(document, 4, (LABEL_WIDTH, COLON_WIDTH, CONTENT_WIDTH))
    rows = table.rows
    content = label_cells(rows[0], "Menetapkan")
    cell_paragraph(content, "{{ menetapkan }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=8)
    row_tag(rows[1], "{%tr for d in diktum %}")
    cell_paragraph(rows[2].cells[0], "{{ d.label }}")
    cell_paragraph(rows[2].cells[1], ":")
    cell_paragraph(rows[2].cells[2], "{{ d.isi }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=8)
    row_tag(rows[3], "{%tr endfor %}")


def add_signature(container, *, with_place: bool, before: float = 18) -> None:
    """The signature block on the right half: [Ditetapkan di / pada tanggal,] jabatan, name."""
    if with_place:
        place = para(
            container,
            "Ditetapkan di\t{{ tempat }}",
            indent=SIGNATURE_INDENT,
            before=before,
            keep_next=True,
        )
        date = para(
            container, "pada tanggal\t{{ tanggal }}", indent=SIGNATURE_INDENT, keep_next=True
        )
        for line in (place, date):
            line.paragraph_format.tab_stops.add_tab_stop(SIGNATURE_INDENT + Cm(3.3))
        rule_below(date)
        before = 12
    jabatan = para(
        container,
        "{{ penandatangan.jabatan }}",
        bold=True,
        align=CENTER,
        indent=SIGNATURE_INDENT,
        before=before,
        keep_next=True,
    )
    jabatan.paragraph_format.keep_together = True
    para(
        container,
        "{{ penandatangan.nama }}",
        bold=True,
        align=CENTER,
        indent=SIGNATURE_INDENT,
        before=66,
    )


def rule_below(paragraph) -> None:
    """A thin line under the paragraph (as under "pada tanggal ...")."""
    paragraph._p.get_or_add_pPr().insert_element_before(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:space="1" '
            f'w:color="000000"/></w:pBdr>'
        ),
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:spacing",
        "w:ind",
        "w:jc",
        "w:rPr",
    )


def add_tembusan(document, lists: dict[str, int]) -> None:
    """Tembusan Yth.: 1. ...; left out when the list is empty."""
    tag(document, "{%p if tembusan %}")
    para(document, "Tembusan Yth.:", before=24, keep_next=True)
    tag(document, "{%p for item in tembusan %}")
    numbered(document, "{{ item }}", lists["tembusan"], after=0)
    tag(document, "{%p endfor %}")
    tag(document, "{%p endif %}")


def add_lampiran(document, spec: Spec) -> None:
    """The Lampiran on a new page: heading block, title, membership table, signature."""
    if spec.lampiran_optional:
        tag(document, "{%p if lampiran.anggota %}")
    first = para(document, "LAMPIRAN", indent=LAMPIRAN_INDENT)
    first.paragraph_format.page_break_before = True
    para(document, "{{ kepala.judul_keputusan }}", indent=LAMPIRAN_INDENT)
    for label, value in (("NOMOR", "nomor"), ("TANGGAL", "tanggal"), ("TENTANG", "tentang")):
        lampiran_heading_line(document, label, value)
    para(
        document,
        "{{ lampiran.judul }}",
        bold=True,
        align=CENTER,
        before=24,
        after=0 if spec.perubahan else 12,
    )
    if spec.perubahan:
        para(
            document,
            "(pengganti Lampiran {{ perubahan.sk_diubah }})",
            align=CENTER,
            before=6,
            after=12,
        )
    add_membership_table(document)
    add_signature(document, with_place=False, before=24)
    if spec.lampiran_optional:
        tag(document, "{%p endif %}")


def lampiran_heading_line(document, label: str, variable: str) -> None:
    """`LABEL : value` with the value's later lines aligned after the colon."""
    colon_at = LAMPIRAN_INDENT + LAMPIRAN_LABEL
    text_at = colon_at + Cm(0.4)
    line = para(document, f"{label}\t:\t{{{{ {variable} }}}}", indent=text_at)
    line.paragraph_format.first_line_indent = -(text_at - LAMPIRAN_INDENT)
    line.paragraph_format.tab_stops.add_tab_stop(colon_at)
    line.paragraph_format.tab_stops.add_tab_stop(text_at)


def add_membership_table(document) -> None:
    """Bordered table: a repeating header row, then one row per member ({%tr for %})."""
    table = layout_table(document, 4, MEMBER_WIDTHS, borders=True)
    header, loop_start, body, loop_end = table.rows
    for cell, text in zip(header.cells, MEMBER_HEADER, strict=True):
        cell_paragraph(cell, text, bold=True, align=CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    no_split(header, header=True)
    row_tag(loop_start, "{%tr for a in lampiran.anggota %}")
    for cell, text in zip(
        body.cells, ("{{ a.no }}.", "{{ a.jabatan_gt }}", "{{ a.jabatan }}"), strict=True
    ):
        cell_paragraph(cell, text)
    body.cells[0].paragraphs[0].alignment = CENTER
    no_split(body)
    row_tag(loop_end, "{%tr endfor %}")


# --- assembling and saving ------------------------------------------------------------------


def build(spec: Spec) -> bytes:
    """The template document for `spec`, as .docx bytes."""
    document = Document()
    document._body.clear_content()  # the default template's one empty paragraph
    set_fonts(document)
    set_page(document)
    set_properties(document, spec)
    lists = add_lists(document)
    add_heading(document)
    add_considerations(document, lists)
    add_decision(document)
    add_signature(document, with_place=True)
    add_tembusan(document, lists)
    add_lampiran(document, spec)
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue())


def reproducible_zip(data: bytes) -> bytes:
    """The same zip with fixed entry timestamps, so identical content gives identical bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE,
        help="folder to write <name>/template.docx into (default: templates/)",
    )
    args = parser.parse_args(argv)
    for spec in SPECS:
        target = args.out / spec.name / "template.docx"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(build(spec))
        print(f"{target}")


if __name__ == "__main__":
    main()
