"""PDF of Word documents (drafts, the coverage report) through LibreOffice, where it is
installed (a clear 501 where it is not).

One LibreOffice start converts many files (measured: 1.8 s a call, 0.37 s a file in batches of
20), so batches convert together.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from . import db
from .errors import DomainError

CONVERT_SECONDS = 300


class PdfUnavailable(DomainError):
    status, code = 501, "pdf_unavailable"


def libreoffice() -> str | None:
    """The LibreOffice program of this machine, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(documents: dict[str, bytes]) -> dict[str, bytes]:
    """PDF bytes for each named DOCX, converted in one LibreOffice run (after a database
    transaction that has written nothing is ended: no lock is held meanwhile)."""
    program = libreoffice()
    if program is None:
        raise PdfUnavailable(
            "PDF tidak tersedia: LibreOffice tidak terpasang di server ini; unduh DOCX-nya."
        )
    db.release_locks()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = []
        for name, content in documents.items():
            (root / f"{name}.docx").write_bytes(content)
            paths.append(str(root / f"{name}.docx"))
        subprocess.run(
            [
                program,
                f"-env:UserInstallation=file://{root}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(root / "out"),
                *paths,
            ],
            check=True,
            capture_output=True,
            timeout=CONVERT_SECONDS,
        )
        return {name: (root / "out" / f"{name}.pdf").read_bytes() for name in documents}
