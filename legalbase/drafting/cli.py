"""`legalbase drafts batch`: draft for every selected region, with a progress bar; `legalbase
drafts run-jobs`, kept beside `legalbase jobs run`."""

import json
from datetime import date

import click
from flask.cli import AppGroup

from ..core import db
from ..core.audit import Actor
from ..core.clitools import domain_errors_exit
from ..core.storage import file_store
from ..jobs import run_job
from ..jobs.cli import run_and_report
from .batch import select_regions, start_batch
from .catalog import get_template

drafts_group = AppGroup("drafts", help="Penyusunan draf keputusan.")


@drafts_group.command("batch")
@click.option("--template", "template_name", required=True, help="Nama templat.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    default=("missing", "outdated"),
    show_default=True,
    help="Status wilayah yang dibuatkan draf (boleh berulang).",
)
@click.option("--province", help="Batasi pada satu provinsi (kode).")
@click.option("--fields", "fields_json", default="{}", help="Isian bersama, sebagai JSON.")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="Berkas ZIP tujuan."
)
@domain_errors_exit
def batch_command(template_name, statuses, province, fields_json, output):
    """Draft a decree for every region of the selection into one ZIP."""
    job = start_batch(
        template_name,
        list(statuses),
        province,
        json.loads(fields_json),
        {},
        Actor("cli"),
        scheduled=False,  # run here, with the progress bar
    )
    db.commit()
    count = len(select_regions(get_template(template_name), list(statuses), province, _as_of(job)))
    with click.progressbar(length=count, label="Menyusun draf") as bar:
        job = run_job(job.id, progress=bar.update)
    if job.status != "finished":
        raise click.ClickException(f"Pekerjaan {job.id} gagal: {job.error}")
    with open(output, "wb") as handle:
        handle.write(file_store().get(job.result_sha256))
    click.echo(f"{job.total} draf ditulis ke {output} (pekerjaan {job.id}).")


def _as_of(job) -> date:
    return date.fromisoformat(job.params["as_of"])


@drafts_group.command("run-jobs")
def run_jobs_command():
    """Recover stalled jobs, then run every queued job of every kind to its end (the same as
    `legalbase jobs run`)."""
    run_and_report()
