"""Build the letter template: templates/surat-pengingat/template.docx.

A naskah dinas surat in the form of Permendagri 1/2023 (tata naskah dinas): the sender's
letterhead (kop) with a rule below, place and date, Nomor / Sifat / Lampiran / Hal in a
borderless table, "Yth." the region's head "di" its seat, the body (the region's standing with
its reasons as a numbered list, the draft in progress, what to do by the deadline), the signature
block and the Tembusan. Same typography and page as the SK templates (build_templates.py: A4,
Arial 12 pt, our own numbering), and the same reproducible bytes.

    .venv/bin/python templates/build_letter.py            # writes templates/surat-pengingat/
    .venv/bin/python templates/build_letter.py --out DIR  # writes DIR/surat-pengingat/

The context variables are described in README.md.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from build_templates import (
    CENTER,
    HERE,
    SIGNATURE_INDENT,
    TEXT_WIDTH,
    Spec,
    _abstract_num_xml,
    cell_paragraph,
    layout_table,
    numbered,
    para,
    reproducible_zip,
    rule_below,
    set_fonts,
    set_page,
    set_properties,
    tag,
)
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Emu

SPEC = Spec("surat-pengingat", "Surat Pengingat Pembentukan Gugus Tugas PP-TPPO Daerah")
LISTS = {"alasan": "decimal", "tembusan": "decimal"}
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
# Nomor / Sifat / Lampiran / Hal: label, colon, value.
HEAD_WIDTHS = (Cm(2.3), Cm(0.5), Emu(TEXT_WIDTH - Cm(2.3) - Cm(0.5)))
FIRST_LINE = Cm(1.25)  # the body's paragraphs start indented


def add_letter_lists(document) -> dict[str, int]:
    """One single-level list per name in LISTS (reasons, tembusan); return name -> numId."""
    numbering = document.part.numbering_part.element
    used = [int(v) for v in numbering.xpath("./w:abstractNum/@w:abstractNumId")]
    first_num = numbering.find(qn("w:num"))
    num_ids = {}
    for offset, (name, fmt) in enumerate(LISTS.items()):
        abstract_id = max(used, default=-1) + 1 + offset
        abstract = parse_xml(_abstract_num_xml(abstract_id, f"surat-{name}", fmt))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        num_ids[name] = numbering.add_num(abstract_id).numId
    return num_ids


def add_letterhead(document) -> None:
    """The sender's name in capitals and its address, centred, a rule below."""
    para(document, "{{ kop.instansi }}", bold=True, align=CENTER)
    address = para(document, "{{ kop.alamat }}", align=CENTER, after=2)
    rule_below(address)


def add_heading(document) -> None:
    """Place and date on the right; Nomor, Sifat, Lampiran, Hal; Yth. the head, di the seat."""
    para(document, "{{ tempat }}, {{ tanggal }}", align=WD_ALIGN_PARAGRAPH.RIGHT, before=12)
    table = layout_table(document, 4, HEAD_WIDTHS)
    rows = (("Nomor", "nomor"), ("Sifat", "sifat"), ("Lampiran", "lampiran"), ("Hal", "hal"))
    for row, (label, variable) in zip(table.rows, rows, strict=True):
        cell_paragraph(row.cells[0], label)
        cell_paragraph(row.cells[1], ":")
        cell_paragraph(row.cells[2], f"{{{{ {variable} }}}}")
    para(document, "Yth. {{ tujuan.jabatan }}", before=18)
    para(document, "di")
    para(document, "{{ tujuan.tempat }}", indent=Cm(1), after=12)


def body(document, text: str, *, before: float = 0):
    """A justified body paragraph, its first line indented."""
    paragraph = para(document, text, align=JUSTIFY, before=before, after=6)
    paragraph.paragraph_format.first_line_indent = FIRST_LINE
    return paragraph


def add_body(document, lists: dict[str, int]) -> None:
    """The region's standing and reasons, the overdue days, the draft in progress, what to do
    by the deadline, the attachment, and the closing."""
    body(
        document,
        "Berdasarkan pemantauan cakupan dasar hukum Gugus Tugas Pencegahan dan Penanganan "
        "Tindak Pidana Perdagangan Orang (Gugus Tugas PP-TPPO) per {{ per_tanggal }}, dasar "
        "hukum pembentukan Gugus Tugas PP-TPPO {{ wilayah.nama }} tercatat dalam keadaan: "
        "{{ keadaan.label }}, dengan alasan sebagai berikut:",
    )
    tag(document, "{%p for alasan in keadaan.alasan %}")
    numbered(
        document, "{{ alasan }}", lists["alasan"], after=2
    ).paragraph_format.left_indent = FIRST_LINE
    tag(document, "{%p endfor %}")
    tag(document, "{%p if keadaan.terlambat %}")
    body(
        document,
        "Pembentukan tersebut telah melampaui batas waktu yang ditentukan selama "
        "{{ keadaan.terlambat }}.",
        before=6,
    )
    tag(document, "{%p endif %}")
    tag(document, "{%p if disusun %}")
    body(document, "Kami mencatat bahwa {{ disusun }}.", before=6)
    tag(document, "{%p endif %}")
    body(
        document,
        "Sehubungan dengan hal tersebut, kami minta {{ tujuan.jabatan }} untuk {{ langkah }} "
        "paling lambat tanggal {{ batas_waktu }}.",
        before=6,
    )
    tag(document, "{%p if lampiran_draf %}")
    body(
        document,
        "Bersama ini kami lampirkan draf keputusan yang sedang disusun di {{ wilayah.nama }} "
        "sebagai bahan penyelesaian.",
    )
    tag(document, "{%p endif %}")
    body(
        document,
        "Demikian disampaikan, atas perhatian dan kerja sama {{ tujuan.jabatan }} diucapkan "
        "terima kasih.",
    )


def add_signature(document) -> None:
    """The signatory's office and name on the right half."""
    office = para(
        document,
        "{{ penandatangan.jabatan }},",
        align=CENTER,
        indent=SIGNATURE_INDENT,
        before=18,
        keep_next=True,
    )
    office.paragraph_format.keep_together = True
    para(
        document,
        "{{ penandatangan.nama }}",
        bold=True,
        align=CENTER,
        indent=SIGNATURE_INDENT,
        before=66,
    )


def add_tembusan(document, lists: dict[str, int]) -> None:
    """Tembusan: 1. ...; left out when the list is empty."""
    tag(document, "{%p if tembusan %}")
    para(document, "Tembusan:", before=24, keep_next=True)
    tag(document, "{%p for item in tembusan %}")
    numbered(document, "{{ item }}", lists["tembusan"], after=0)
    tag(document, "{%p endfor %}")
    tag(document, "{%p endif %}")


def build() -> bytes:
    """The letter template, as .docx bytes."""
    document = Document()
    document._body.clear_content()
    set_fonts(document)
    set_page(document)
    set_properties(document, SPEC)
    document.core_properties.comments = (
        "Dibangun oleh templates/build_letter.py; jangan disunting manual."
    )
    lists = add_letter_lists(document)
    add_letterhead(document)
    add_heading(document)
    add_body(document, lists)
    add_signature(document)
    add_tembusan(document, lists)
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible_zip(buffer.getvalue())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder (default: templates/)")
    args = parser.parse_args(argv)
    target = args.out / SPEC.name / "template.docx"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build())
    print(f"{target}")


if __name__ == "__main__":
    main()
