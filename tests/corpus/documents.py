"""Real test documents: a Keputusan Bupati as DOCX (python-docx) and PDF (fpdf2), and bad files."""

import io
import zipfile

import docx
from fpdf import FPDF

DECREE_LINES = [
    "BUPATI MUARA ENIM",
    "PROVINSI SUMATERA SELATAN",
    "KEPUTUSAN BUPATI MUARA ENIM",
    "NOMOR 188.45/{number}/KPTS/2025",
    "TENTANG",
    "PEMBENTUKAN GUGUS TUGAS PENCEGAHAN DAN PENANGANAN TINDAK PIDANA PERDAGANGAN ORANG "
    "KABUPATEN MUARA ENIM",
    "BUPATI MUARA ENIM,",
    "Menimbang : a. bahwa perdagangan orang merupakan kejahatan terhadap martabat manusia;",
    "b. bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan "
    "Keputusan Bupati tentang Pembentukan Gugus Tugas;",
    "Mengingat : 1. Undang-Undang Nomor 21 Tahun 2007 tentang Pemberantasan Tindak Pidana "
    "Perdagangan Orang (Lembaran Negara Republik Indonesia Tahun 2007 Nomor 58, Tambahan "
    "Lembaran Negara Republik Indonesia Nomor 4720);",
    "2. Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah sebagaimana telah diubah "
    "beberapa kali, terakhir dengan Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan "
    "Pemerintah Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi "
    "Undang-Undang;",
    "3. Peraturan Presiden Nomor 69 Tahun 2008 tentang Gugus Tugas Pencegahan dan Penanganan "
    "Tindak Pidana Perdagangan Orang sebagaimana telah diubah terakhir dengan Peraturan Presiden "
    "Nomor 49 Tahun 2023;",
    "4. Peraturan Menteri Dalam Negeri Nomor 80 Tahun 2015 tentang Pembentukan Produk Hukum "
    "Daerah;",
    "5. Peraturan Daerah Kabupaten Muara Enim Nomor 99 Tahun 2099 tentang Sesuatu;",
    "MEMUTUSKAN:",
    "Menetapkan : KEPUTUSAN BUPATI TENTANG PEMBENTUKAN GUGUS TUGAS.",
    "KESATU : Membentuk Gugus Tugas dengan susunan sebagaimana tercantum dalam Lampiran.",
    "Ditetapkan di Muara Enim",
    "pada tanggal 4 Juni 2025",
    "BUPATI MUARA ENIM,",
]
DECREE_TITLE = (
    "Pembentukan Gugus Tugas Pencegahan dan Penanganan Tindak Pidana Perdagangan "
    "Orang Kabupaten Muara Enim"
)
CITED_KEYS = [
    "uu-21-2007",
    "uu-23-2014",
    "uu-6-2023",
    "perpres-69-2008",
    "perpres-49-2023",
    "permendagri-80-2015",
]


def decree_lines(number="123"):
    return [line.replace("{number}", number) for line in DECREE_LINES]


def decree_docx(number="123") -> bytes:
    document = docx.Document()
    for line in decree_lines(number):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def decree_pdf(number="123") -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in decree_lines(number):
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A PDF with a page but no text layer, like a scan."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    return bytes(pdf.output())


def scanned_decree_pdf(number="321") -> bytes:
    """The decree's heading and Mengingat as a picture in a PDF: readable only by OCR."""
    from PIL import Image, ImageDraw, ImageFont

    lines = decree_lines(number)[:6] + [DECREE_LINES[9][:58], DECREE_LINES[9][58:120]]
    font = ImageFont.load_default(size=30)
    image = Image.new("L", (1654, 80 + 56 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((60, 40 + index * 56), line[:90], fill=0, font=font)
    png = io.BytesIO()
    image.save(png, format="PNG")
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(png, x=0, y=0, w=210)
    return bytes(pdf.output())


def zip_bomb() -> bytes:
    """A DOCX-shaped archive that unpacks to far more than its size."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (60 * 1024 * 1024))
    return out.getvalue()


def broken_pdf() -> bytes:
    return b"%PDF-1.7\n" + b"\x00garbage" * 100
