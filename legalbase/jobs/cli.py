"""`legalbase jobs run`: run the queued jobs of every kind from the command line."""

import click
from flask.cli import AppGroup

from .queue import claim_next_job, recover_stalled_jobs, run_claimed_job

jobs_group = AppGroup("jobs", help="Pekerjaan panjang dalam antrean.")


@jobs_group.command("run")
def run_command():
    """Recover stalled jobs, then run every queued job to its end (JOBS_MODE=queued, or after
    a restart); safe beside serving processes that run jobs too."""
    run_and_report()


def run_and_report() -> None:
    """Recover stalled jobs and run the queued ones, printing a line for each."""
    recovered = recover_stalled_jobs()
    if recovered:
        click.echo(f"{len(recovered)} pekerjaan terhenti diantrekan ulang atau digagalkan.")
    count = 0
    while (job_id := claim_next_job()) is not None:
        job = run_claimed_job(job_id)
        count += 1
        click.echo(
            f"Pekerjaan {job.id} ({job.kind}): {job.status}"
            + (f" - {job.error}" if job.error else "")
        )
    click.echo(f"{count} pekerjaan dijalankan.")
