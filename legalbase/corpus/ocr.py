"""Text of scanned PDFs by OCR, where Tesseract with its Indonesian data is installed.

A scan is stored at once with `text_status = "pending_ocr"`; its text is read afterwards (in a
background thread, or by `legalbase corpus ocr`, which also finishes what a restart interrupted),
and the record is read again: its citations become relations.

Saving a scan schedules its OCR once that work commits (`save_regulation`); the reader owns its
units of work: it commits each scan it reads.
"""

import logging
import shutil
import subprocess
import tempfile
import threading
from functools import cache
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select

from ..core import db
from ..core.audit import Actor
from ..core.storage import file_store
from .models import Regulation
from .reading import read_document
from .uploads import link_citations, lint_text, resolve_citations

log = logging.getLogger(__name__)
PAGE_SECONDS = 120
OCR_ACTOR = Actor("ocr")


@cache
def ocr_available() -> bool:
    """Whether pdftoppm and Tesseract with Indonesian ('ind') are installed here."""
    if not (shutil.which("tesseract") and shutil.which("pdftoppm")):
        return False
    languages = subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30
    ).stdout.split()
    return "ind" in languages


def pdf_text_by_ocr(content: bytes) -> str:
    """The text of every page of a PDF, read by Tesseract in Indonesian."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "scan.pdf"
        pdf.write_bytes(content)
        subprocess.run(
            ["pdftoppm", "-r", "200", "-png", str(pdf), f"{folder}/page"],
            check=True,
            capture_output=True,
            timeout=PAGE_SECONDS,
        )
        pages = sorted(Path(folder).glob("page*.png"))
        return "\n".join(_page_text(page) for page in pages).strip()


def _page_text(image: Path) -> str:
    result = subprocess.run(
        ["tesseract", str(image), "stdout", "-l", "ind"],
        check=True,
        capture_output=True,
        text=True,
        timeout=PAGE_SECONDS,
    )
    return result.stdout


def complete_ocr(regulation_id: int) -> bool:
    """Read one pending scan by OCR and link its citations; flushes, never commits."""
    regulation = db.session.get(Regulation, regulation_id)
    if regulation is None or regulation.text_status != "pending_ocr":
        return False
    try:
        text = pdf_text_by_ocr(file_store().get(regulation.file_sha256))
    except (subprocess.SubprocessError, OSError) as exc:
        log.warning("OCR of regulation %s failed: %s", regulation_id, exc)
        text = ""
    regulation.text = text or None
    regulation.text_status = "available" if text else "no_text_layer"
    if text:
        link_citations(regulation, resolve_citations(read_document(text).citations), OCR_ACTOR)
        lint_text(regulation)
    db.session.flush()
    return True


def pending_ocr_ids() -> list[int]:
    """Regulations whose scan still waits for OCR."""
    return list(
        db.session.scalars(
            select(Regulation.id)
            .where(Regulation.text_status == "pending_ocr")
            .order_by(Regulation.id)
        )
    )


def schedule_ocr(regulation_id: int) -> None:
    """Run OCR for a committed regulation as the OCR_MODE setting says (background/inline)."""
    app = current_app._get_current_object()
    if app.config["OCR_MODE"] != "inline":
        threading.Thread(target=_run, args=(app, regulation_id), daemon=True).start()
    elif complete_ocr(regulation_id):
        db.commit()


def _run(app: Flask, regulation_id: int) -> None:
    with app.app_context():
        if complete_ocr(regulation_id):
            db.commit()
