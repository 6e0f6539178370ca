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
