"""Regulation files: what type they are (from their content), their text, and where they live.

Files are stored content-addressed under `<instance>/files/ab/abcdef...` (sha256), once however
often they are uploaded, and their hash is checked on every read. A file stored during a request
that then fails is removed again, so a failed request leaves the files as they were.
"""

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..errors import DomainError, Invalid, UnsupportedMediaType

PDF, DOCX, TEXT = "application/pdf", (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), "text/plain"
EXTENSIONS = {PDF: "pdf", DOCX: "docx", TEXT: "txt"}
DOCX_MAX_UNPACKED = 200 * 1024 * 1024
DOCX_MAX_RATIO = 200
DOCX_MAX_ENTRIES = 2000


class FileCorrupted(DomainError):
    status, code = 500, "file_corrupted"


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
    text = extract_text(content, media_type)
    return Upload(content, media_type, hashlib.sha256(content).hexdigest(), text)


def detect_type(content: bytes) -> str:
    """PDF, DOCX or plain text, judged from the bytes (never from the file name)."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"PK\x03\x04"):
        check_docx_archive(content)
        return DOCX
    if b"\x00" not in content:
        try:
            content.decode("utf-8")
            return TEXT
        except UnicodeDecodeError:
            pass
    raise UnsupportedMediaType("Jenis berkas tidak didukung: kirim PDF, DOCX, atau teks biasa.",
                               {"accepted": sorted(EXTENSIONS.values())})


def check_docx_archive(content: bytes) -> None:
    """Refuse a DOCX whose archive is broken, a zip bomb, or escapes its folder."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except zipfile.BadZipFile:
        raise Invalid("Berkas DOCX rusak: arsipnya tidak dapat dibaca.") from None
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names:
        raise UnsupportedMediaType("Arsip ZIP ini bukan dokumen Word (DOCX).")
    unpacked = sum(entry.file_size for entry in entries)
    if (len(entries) > DOCX_MAX_ENTRIES or unpacked > DOCX_MAX_UNPACKED
            or unpacked > DOCX_MAX_RATIO * max(len(content), 1)):
        raise Invalid("Berkas DOCX tidak wajar: ukuran setelah dibuka terlalu besar "
                      "(kemungkinan bom zip).", {"unpacked_bytes": unpacked,
                                                 "entries": len(entries)})
    if any(name.startswith("/") or ".." in name.split("/") for name in names):
        raise Invalid("Berkas DOCX berisi jalur yang tidak sah.")


def extract_text(content: bytes, media_type: str) -> str | None:
    """The text of a file (None when a PDF has no text layer); Invalid if it cannot be read."""
    if media_type == TEXT:
        return content.decode("utf-8").strip() or None
    if media_type == DOCX:
        return _docx_text(content)
    return _pdf_text(content)


def _docx_text(content: bytes) -> str | None:
    import docx

    try:
        document = docx.Document(io.BytesIO(content))
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
        raise Invalid(f"Berkas PDF tidak dapat dibaca: {exc}.") from None
    return "\n".join(pages).strip() or None


class FileStore:
    """Content-addressed files under one folder."""

    def __init__(self, root: Path):
        self.root = root

    def path_of(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, session: Session, content: bytes) -> str:
        """Store bytes unless already there and return their sha256; undone if `session`
        rolls back."""
        sha256 = hashlib.sha256(content).hexdigest()
        path = self.path_of(sha256)
        if path.exists():
            return sha256
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(content)
        os.replace(temporary, path)
        session.info.setdefault("new_files", []).append(path)
        return sha256

    def get(self, sha256: str) -> bytes:
        """The bytes of a stored file, after checking they still hash to `sha256`."""
        content = self.path_of(sha256).read_bytes()
        if hashlib.sha256(content).hexdigest() != sha256:
            raise FileCorrupted("Berkas tersimpan rusak (hash tidak cocok); pulihkan dari "
                                "cadangan.", {"sha256": sha256})
        return content


@event.listens_for(Session, "after_commit")
def _keep_new_files(session):
    session.info.pop("new_files", None)


@event.listens_for(Session, "after_soft_rollback")
def _remove_new_files(session, previous_transaction):
    if previous_transaction.nested:
        return  # a savepoint inside the work; the outer transaction decides
    for path in session.info.pop("new_files", []):
        path.unlink(missing_ok=True)
