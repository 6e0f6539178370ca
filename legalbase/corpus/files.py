"""Regulation files: what type they are (from their content), their text, and where they live.

A PDF's or DOCX's text is read in a worker process, bounded in time and memory
(legalbase.core.limits): pypdf and python-docx cannot be interrupted, and a hostile file must fail
alone.

Files are stored content-addressed under `<instance>/files/ab/abcdef...` (sha256), once however
often they are uploaded, and their hash is checked on every read. A file stored during a request
that then fails is removed again, so a failed request leaves the files as they were. The name a
client gave its file is never used.
"""

import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from lxml import etree

from ..core import limits
from ..core.errors import Invalid, UnsupportedMediaType

PDF, DOCX, TEXT = (
    "application/pdf",
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "text/plain",
)
EXTENSIONS = {PDF: "pdf", DOCX: "docx", TEXT: "txt"}
DOCX_MAX_UNPACKED = 200 * 1024 * 1024
DOCX_MAX_RATIO = 200
DOCX_MAX_ENTRIES = 2000
# Reading one file's text: this many seconds, plus READ_SECONDS_PER_MIB for each MiB of it,
# within READ_MEMORY_BYTES of address space. A 600-page text PDF of 0.7 MiB takes pypdf 1.5 s,
# but a real 23-page Perwal of 141 KiB (Kota Batu 72/2016) takes it 8 s of CPU and 700 MiB:
# its font's ToUnicode map of 196,000 ranges is parsed again for every page.
READ_SECONDS = 30.0
READ_SECONDS_PER_MIB = 3.0
READ_MEMORY_BYTES = 1024 * 1024 * 1024
# Readers accept the header anywhere in the first KiB; real files begin with a newline or junk.
PDF_HEADER_WITHIN = 1024
UNSAFE_ENTRY = re.compile(r"^/|\\|^[A-Za-z]:|(^|/)\.\.(/|$)")
# Prolog only: never a DTD loaded, an entity resolved, or the network reached while checking.
PROLOG_PARSER = {
    "events": ("start",),
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
}
PROLOG_CHUNK = 4096

limits.warm(__name__, "docx", "pypdf")


@dataclass
class Upload:
    """A checked upload: its bytes, type, hash and extracted text (None: no text layer)."""

    content: bytes
    media_type: str
    sha256: str
    text: str | None

    @property
    def text_status(self) -> str:
        return "available" if self.text else "no_text_layer"


def read_upload(content: bytes) -> Upload:
    """Check an uploaded file and extract its text; Invalid or UnsupportedMediaType if not."""
    media_type = detect_type(content)
    text = read_text(content, media_type)
    return Upload(content, media_type, hashlib.sha256(content).hexdigest(), text)


def detect_type(content: bytes) -> str:
    """PDF, DOCX (any ZIP: its archive is checked when read) or plain text, judged from the
    bytes (never from the file name)."""
    if b"%PDF-" in content[:PDF_HEADER_WITHIN]:
        return PDF
    if content.startswith(b"PK\x03\x04"):
        return DOCX
    if b"\x00" not in content:
        try:
            content.decode("utf-8")
            return TEXT
        except UnicodeDecodeError:
            pass
    raise UnsupportedMediaType(
        "Jenis berkas tidak didukung: kirim PDF, DOCX, atau teks biasa.",
        {"accepted": sorted(EXTENSIONS.values())},
    )


def read_text(content: bytes, media_type: str) -> str | None:
    """The text of a file, a PDF or DOCX read in a bounded worker process; Invalid (422) when
    it cannot be read, within the limits or at all."""
    if media_type == TEXT:
        return extract_text(content, media_type)
    seconds = read_seconds(len(content))
    try:
        return limits.run_bounded(
            extract_text, content, media_type, timeout=seconds, memory=READ_MEMORY_BYTES
        )
    except limits.BoundedCallFailed as exc:
        raise _unreadable(EXTENSIONS[media_type].upper(), exc, seconds) from None


def read_seconds(size: int) -> float:
    """The time allowed to read a file of `size` bytes."""
    return round(READ_SECONDS + READ_SECONDS_PER_MIB * size / 2**20, 1)


def _unreadable(kind: str, failure: limits.BoundedCallFailed, seconds: float) -> Invalid:
    if failure.reason == "error":
        return Invalid(f"Berkas {kind} tidak dapat dibaca: {failure.detail.rstrip('.')}.")
    mebibytes = READ_MEMORY_BYTES // 2**20
    return Invalid(
        f"Berkas {kind} tidak dapat dibaca dalam batas waktu {seconds:g} detik dan "
        f"batas memori {mebibytes} MiB; berkas ini rusak atau dibuat untuk membebani "
        "server. Kirim berkas hasil ekspor biasa.",
        {
            "limit": "time" if failure.reason == "time" else "memory",
            "seconds": seconds,
            "memory_bytes": READ_MEMORY_BYTES,
        },
    )


def extract_text(content: bytes, media_type: str) -> str | None:
    """The text of a file (None when a PDF has no text layer); Invalid or UnsupportedMediaType
    if it cannot be read. Unbounded: uploads go through read_text."""
    if media_type == TEXT:
        return content.decode("utf-8").strip() or None
    if media_type == DOCX:
        check_docx_archive(content)
        text = _docx_text(content)
    else:
        text = _pdf_text(content)
    # PostgreSQL text cannot hold NUL, which a PDF's text layer may carry.
    return text.replace("\x00", "").strip() or None if text else None


def check_docx_archive(content: bytes) -> None:
    """Refuse a DOCX whose archive is broken, a zip bomb, escapes its folder, or carries a
    DTD (external entities; OOXML never needs one), before anything parses its XML."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise Invalid("Berkas DOCX rusak: arsipnya tidak dapat dibaca.") from None
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names:
        raise UnsupportedMediaType("Arsip ZIP ini bukan dokumen Word (DOCX).")
    unpacked = sum(entry.file_size for entry in entries)
    if (
        len(entries) > DOCX_MAX_ENTRIES
        or unpacked > DOCX_MAX_UNPACKED
        or unpacked > DOCX_MAX_RATIO * max(len(content), 1)
    ):
        raise Invalid(
            "Berkas DOCX tidak wajar: ukuran setelah dibuka terlalu besar (kemungkinan bom zip).",
            {"unpacked_bytes": unpacked, "entries": len(entries)},
        )
    unsafe = sorted(name for name in names if UNSAFE_ENTRY.search(name))
    if unsafe:
        raise Invalid("Berkas DOCX berisi jalur yang tidak sah.", {"entries": unsafe[:10]})
    for entry in entries:
        _refuse_doctype(archive, entry)


def _refuse_doctype(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """Invalid if the entry is XML with a DOCTYPE. Only its prolog is read, in whatever
    encoding lxml sees; an entry that is not XML (an image) is left to python-docx."""
    try:
        doctype = _prolog_doctype(archive, entry)
    except (
        zipfile.BadZipFile,
        zlib.error,
        NotImplementedError,
        RuntimeError,
        ValueError,
        EOFError,
        OSError,
    ):  # a broken, encrypted or oddly compressed entry
        raise Invalid(
            "Berkas DOCX rusak: arsipnya tidak dapat dibaca.", {"entry": entry.filename}
        ) from None
    if doctype:
        raise Invalid(
            "Berkas DOCX ditolak: bagian XML-nya memuat deklarasi DOCTYPE/ENTITY "
            "(entitas eksternal), yang tidak pernah dipakai dokumen Word.",
            {"entry": entry.filename},
        )


def _prolog_doctype(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> str:
    """The entry's DOCTYPE declaration, read up to its root element ("" if none or no XML)."""
    parser = etree.XMLPullParser(**PROLOG_PARSER)
    with archive.open(entry) as stream:
        try:
            while chunk := stream.read(PROLOG_CHUNK):
                parser.feed(chunk)
                for _event, root in parser.read_events():
                    return root.getroottree().docinfo.doctype
        except etree.XMLSyntaxError:
            pass
    return ""


def _docx_text(content: bytes) -> str | None:
    import docx

    try:
        document = docx.Document(io.BytesIO(content))
    except MemoryError:
        raise  # the worker reports its memory limit
    except Exception as exc:  # python-docx raises many kinds for a malformed package
        raise Invalid(f"Berkas DOCX tidak dapat dibaca: {type(exc).__name__}.") from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines).strip() or None


def _pdf_text(content: bytes) -> str | None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise Invalid(f"Berkas PDF tidak dapat dibaca: {str(exc).rstrip('.')}.") from None
    return "\n".join(pages).strip() or None
