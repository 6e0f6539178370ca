"""`legalbase corpus sync`: bring the seed corpus into this instance."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .. import db
from ..audit import Actor
from ..clitools import domain_errors_exit
from ..regions.seed import sync_regions
from .seed import sync_seed_regulations

corpus_group = AppGroup("corpus", help="Korpus peraturan dan data seed.")


def sync_seed() -> dict:
    """Upsert regions, national regulations and relations from CORPUS_DIR; flushes only."""
    corpus_dir = Path(current_app.config["CORPUS_DIR"])
    actor = Actor.system("corpus sync")
    regions = sync_regions(corpus_dir / "regions", actor)
    regulations, relations = sync_seed_regulations(
        [corpus_dir / "national", corpus_dir / "regional"], actor)
    return {"wilayah": regions, "peraturan": regulations, "relasi": relations}


@corpus_group.command("sync")
@domain_errors_exit
def sync_command():
    """Upsert the seed corpus (regions, national regulations, relations), auditing changes."""
    report = sync_seed()
    db.session.commit()
    for name, counts in report.items():
        click.echo(f"{name}: {counts}")


@corpus_group.command("ocr")
def ocr_command():
    """Read by OCR every stored scan still waiting for its text (after a restart, say)."""
    from .ocr import complete_ocr, ocr_available, pending_ocr_ids

    pending = pending_ocr_ids()
    if pending and not ocr_available():
        raise click.ClickException("Tesseract dengan data bahasa Indonesia (tesseract-ocr-ind) "
                                   "tidak terpasang.")
    for regulation_id in pending:
        complete_ocr(regulation_id)
        db.session.commit()
        click.echo(f"peraturan {regulation_id}: teks dibaca dengan OCR")
    click.echo(f"{len(pending)} berkas pindaian diproses.")
