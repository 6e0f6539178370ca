"""The national coverage report (552 regions) as DOCX and as PDF, against its floor.

    .venv/bin/python bench/report.py [--repeat N]

1. DOCX: `coverage_document` (the coverage of both dates, the provinces, the twelve months of the
   timeline, the map and chart rasterised, the tables), median of --repeat with the timeline's
   cache emptied before each run, with the time of each step; next to the floor: a bare
   python-docx build of the same document's paragraphs and table rows (taken from our output:
   no queries, no figures, no header rows marked, no styles).
2. PDF: the same plus `report_pdf` (LibreOffice through legalbase/core/office.py), next to
   LibreOffice's own `soffice --convert-to pdf` of the same DOCX; skipped without LibreOffice.
"""

import argparse
import io
import shutil
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

from common import median_seconds, seeded_app
from docx import Document

from legalbase.coverage import figures
from legalbase.reporting.jobs import report_pdf
from legalbase.reporting.report import STEPS, coverage_document, report_period


def ours_docx(as_of: date, since: date, steps: dict) -> bytes:
    """The report through legalbase, each step's seconds added to `steps`."""
    figures._cache.clear()  # the timeline is computed afresh, as on a new day
    last = time.perf_counter()

    def step(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        steps[name] = steps.get(name, 0.0) + now - last
        last = now

    return coverage_document(as_of, since, step)


def content_of(document: bytes) -> list:
    """The paragraphs and table rows of a DOCX, in body order: ("p", text) or ("t", rows)."""
    parsed = Document(io.BytesIO(document))
    tables = iter(parsed.tables)
    paragraphs = iter(parsed.paragraphs)
    blocks = []
    for element in parsed.element.body.iterchildren():
        if element.tag.endswith("}p"):
            blocks.append(("p", next(paragraphs).text))
        elif element.tag.endswith("}tbl"):
            table = next(tables)
            blocks.append(("t", [[cell.text for cell in row.cells] for row in table.rows]))
    return blocks


def bare_docx(blocks: list) -> bytes:
    """The floor: python-docx writing the same paragraphs and tables, nothing else."""
    document = Document()
    for kind, value in blocks:
        if kind == "p":
            document.add_paragraph(value)
            continue
        table = document.add_table(rows=0, cols=len(value[0]))
        for row in value:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def soffice_seconds(document: bytes) -> float:
    """LibreOffice's own conversion of a DOCX to PDF, started afresh as legalbase starts it."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "laporan.docx").write_bytes(document)
        started = time.perf_counter()
        subprocess.run(
            [
                program,
                f"-env:UserInstallation=file://{root}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(root / "out"),
                str(root / "laporan.docx"),
            ],
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - started


def line(label: str, seconds: float) -> None:
    print(f"{label:56} {seconds:>8.2f}s")


def ratio(label: str, value: float) -> None:
    print(f"{label:56} {value:>8.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = seeded_app(folder)
        with app.app_context():
            as_of, since = report_period(None, None)
            steps: dict = {}
            document = ours_docx(as_of, since, steps)
            steps.clear()
            ours = median_seconds(lambda: ours_docx(as_of, since, steps), args.repeat)
            blocks = content_of(document)
            floor = median_seconds(lambda: bare_docx(blocks), args.repeat)
            pdf = None
            if shutil.which("soffice") or shutil.which("libreoffice"):
                pdf = median_seconds(lambda: report_pdf(ours_docx(as_of, since, {})), 1)
                soffice_seconds(document)  # warm-up, as median_seconds does
                conversion = soffice_seconds(document)
        app.extensions["legalbase.db"].engine.dispose()
    annex = [rows for kind, rows in blocks if kind == "t" and "Dasar hukum" in rows[0]]
    regions = len(annex[0]) - 1
    runs = args.repeat + 1
    print(f"national coverage report as of {as_of}, since {since}: {regions} regions in the annex")
    line("DOCX, legalbase: coverage_document (median)", ours)
    for name in STEPS:
        line(f"  step {name} (mean of {runs})", steps.get(name, 0.0) / runs)
    line("DOCX, floor: bare python-docx, same text and tables", floor)
    ratio("  ratio", ours / floor)
    if pdf is None:
        print("PDF: LibreOffice is not installed; skipped")
        return
    line("PDF, legalbase: coverage_document + report_pdf", pdf)
    line("PDF, floor: bare python-docx + soffice --convert-to pdf", floor + conversion)
    line("  of which LibreOffice's own conversion", conversion)
    ratio("  ratio", pdf / (floor + conversion))


if __name__ == "__main__":
    main()
