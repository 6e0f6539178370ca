"""`legalbase corpus sync`: bring the seed corpus into this instance; `corpus ocr`; `corpus
import-folder`: a folder of documents through the upload pipeline."""

import signal
import sys
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..core import db
from ..core.audit import Actor
from ..core.clitools import domain_errors_exit
from ..core.errors import Invalid
from ..regions.seed import sync_regions
from .folder_import import ImportOptions, ImportReport, find_documents, import_folder
from .models import Regulation
from .seed import sync_seed_regulations

corpus_group = AppGroup("corpus", help="Korpus peraturan dan data seed.")


def sync_seed() -> dict:
    """Upsert regions, national regulations and relations from CORPUS_DIR; flushes only."""
    corpus_dir = Path(current_app.config["CORPUS_DIR"])
    actor = Actor.system("corpus sync")
    regions = sync_regions(corpus_dir / "regions", actor)
    regulations, relations = sync_seed_regulations(
        [corpus_dir / "national", corpus_dir / "regional"], actor
    )
    return {"wilayah": regions, "peraturan": regulations, "relasi": relations}


@corpus_group.command("sync")
@domain_errors_exit
def sync_command():
    """Upsert the seed corpus (regions, national regulations, relations), auditing changes."""
    report = sync_seed()
    db.commit()
    for name, counts in report.items():
        click.echo(f"{name}: {counts}")


@corpus_group.command("ocr")
def ocr_command():
    """Read by OCR every stored scan still waiting for its text (after a restart, say)."""
    from .ocr import complete_ocr, ocr_available, pending_ocr_ids

    pending = pending_ocr_ids()
    if pending and not ocr_available():
        raise click.ClickException(
            "Tesseract dengan data bahasa Indonesia (tesseract-ocr-ind) tidak terpasang."
        )
    for regulation_id in pending:
        complete_ocr(regulation_id)
        db.commit()
        click.echo(f"peraturan {regulation_id}: teks dibaca dengan OCR")
    click.echo(f"{len(pending)} berkas pindaian diproses.")


# Each file commits on its own; the index changes those commits wait for (search's
# after-commit work) are applied after every INDEX_BATCH files and at the end: one index commit
# per file would cost more than the files themselves. A bulk load (at least BULK_FROM files, and
# no fewer than the live records already there) applies none on the way, so that the search
# backend finds the whole backlog at the end and may rebuild instead (Whoosh does).
INDEX_BATCH = 200
BULK_FROM = 1000
STATUS_LABELS = {
    "created": "dibuat",
    "needs_review": "perlu diperiksa",
    "unchanged": "tidak berubah",
    "refused": "ditolak",
}


class ExitOneOnUsageError(click.Command):
    """A command whose usage errors exit with status 1 (click's own is 2)."""

    def parse_args(self, ctx, args):
        """Click's parsing, its usage errors given exit status 1."""
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            error.exit_code = 1
            raise


def usage_error(message: str) -> click.UsageError:
    """A usage error exiting with status 1."""
    error = click.UsageError(message)
    error.exit_code = 1
    return error


@corpus_group.command(
    "import-folder",
    cls=ExitOneOnUsageError,
    help="Impor setiap berkas PDF, DOCX, TXT, dan MD di bawah FOLDER (semua "
    "kedalaman) melalui jalur unggah; laporan CSV per berkas.",
)
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--region",
    "region_code",
    metavar="KODE",
    help="Kode wilayah untuk setiap berkas (menang atas yang terbaca).",
)
@click.option(
    "--form",
    metavar="JENIS",
    help="Jenis peraturan untuk setiap berkas (menang atas yang terbaca), mis. kepbup.",
)
@click.option("--dry-run", is_flag=True, help="Baca dan laporkan saja; tidak ada yang disimpan.")
@click.option(
    "--names",
    metavar="POLA",
    help="Susunan nama berkas yang menyatakan metadata, mis. '{form}/{year}/{number}' "
    "untuk uu/2007/21.pdf; menang atas teks, dan beda dengan teks ditandai.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Berkas laporan CSV (bawaan: import-report-YYYYmmdd-HHMMSS.csv di folder kerja).",
)
def import_folder_command(folder, region_code, form, dry_run, names, report_path):
    """Import a folder of documents, with a progress bar; print the summary, write the CSV."""
    options = ImportOptions(form or None, region_code or None, dry_run, names or None)
    check_import_usage(folder, options, report_path)
    report_path = report_path or Path(f"import-report-{datetime.now():%Y%m%d-%H%M%S}.csv")
    started = time.monotonic()
    report = run_import(folder, options)
    report_path.write_text(report.csv(), encoding="utf-8")
    for line in summary_lines(report, time.monotonic() - started, report_path):
        click.echo(line)


def check_import_usage(folder: Path, options: ImportOptions, report_path: Path | None) -> None:
    """Usage errors (exit 1): no such folder, an unknown form or region, or a pair that does
    not fit, a report in a folder that does not exist."""
    if not folder.is_dir():
        raise usage_error(f"Folder tidak ditemukan: {folder}")
    try:
        options.check()
    except Invalid as error:
        raise usage_error(error.message) from None
    if report_path is not None and not report_path.resolve().parent.is_dir():
        raise usage_error(f"Folder untuk laporan tidak ada: {report_path.parent}")


def run_import(folder: Path, options: ImportOptions) -> ImportReport:
    """import_folder with a progress bar (ETA) on stderr, its index changes applied in batches,
    or all at the end for a bulk load."""
    total = len(find_documents(folder))
    bulk = is_bulk_load(total)

    def on_file(done: int, _total: int) -> None:
        bar.update(1)
        if not bulk and done % INDEX_BATCH == 0:
            db.run_after_commit()

    try:
        with (
            terminated_as_interrupt(),
            click.progressbar(
                length=total, label="Mengimpor", show_pos=True, show_eta=True, file=sys.stderr
            ) as bar,
        ):
            return import_folder(folder, options, on_file)
    except KeyboardInterrupt:
        raise click.ClickException(
            "Dihentikan. Berkas yang sudah tersimpan tetap tersimpan; "
            "jalankan perintah yang sama lagi untuk melanjutkan."
        ) from None
    finally:
        if bulk and not options.dry_run:
            click.echo("Memperbarui indeks pencarian...", err=True)
        db.run_after_commit()


def is_bulk_load(files: int) -> bool:
    """Whether importing `files` files counts as a bulk load (see BULK_FROM)."""
    live = db.session.scalar(
        select(func.count()).select_from(Regulation).where(Regulation.withdrawn_at.is_(None))
    )
    db.commit()
    return files >= BULK_FROM and files >= live


@contextmanager
def terminated_as_interrupt():
    """Within this block, SIGTERM (kill) interrupts like Ctrl-C: the file in progress is rolled
    back, its newly stored file removed, instead of the process ending on the spot."""

    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def summary_lines(report: ImportReport, seconds: float, report_path: Path) -> list[str]:
    """The summary of an import, in Indonesian."""
    summary = report.summary()
    rate = summary["total"] / seconds if seconds > 0 else 0.0
    lines = [
        f"{summary['total']} berkas diproses dalam {_decimal(seconds)} detik "
        f"({_decimal(rate)} berkas/detik)."
    ]
    lines += [f"  {label}: {summary[status]}" for status, label in STATUS_LABELS.items()]
    if report.dry_run:
        lines.append(
            "Uji coba (--dry-run): tidak ada yang disimpan; status di atas menyatakan "
            "apa yang akan terjadi."
        )
    lines.append(f"Laporan CSV: {report_path}")
    return lines


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")
