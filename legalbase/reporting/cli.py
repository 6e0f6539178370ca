"""`legalbase coverage report`, widened by the reporting room: besides the XLSX and CSV the
coverage room writes, the report as DOCX or PDF (`--since`: the earlier date it is compared
with). The coverage group's `report` command is replaced by this one when the module is
imported; XLSX and CSV are still written by coverage's own command."""

from datetime import date

import click

from ..core.clitools import domain_errors_exit
from ..coverage.cli import coverage_group
from ..coverage.cli import report_command as coverage_export_command
from .jobs import report_pdf
from .report import STEPS, coverage_document, report_period

DAY = click.DateTime(formats=["%Y-%m-%d"])


@click.command("report")
@click.option("--as-of", "as_of", type=DAY, help="Tanggal penilaian (YYYY-MM-DD); bawaan hari ini.")
@click.option(
    "--since",
    type=DAY,
    help="Tanggal pembanding untuk DOCX/PDF (YYYY-MM-DD); bawaan setahun sebelum --as-of.",
)
@click.option("--format", "kind", type=click.Choice(("xlsx", "csv", "docx", "pdf")), default="xlsx")
@click.option(
    "-o",
    "--output",
    "--out",
    "output",
    type=click.Path(dir_okay=False),
    required=True,
    help="Berkas tujuan.",
)
@click.pass_context
@domain_errors_exit
def report_command(context, as_of, since, kind, output):
    """Write the national coverage report (XLSX, CSV, DOCX or PDF) to a file."""
    if kind in ("xlsx", "csv"):
        context.invoke(coverage_export_command, as_of=as_of, kind=kind, output=output)
        return
    day, earlier = report_period(as_of and as_of.date(), since and since.date())
    with click.progressbar(length=len(STEPS) + (kind == "pdf"), label="Menyusun laporan") as bar:
        content = coverage_document(day, earlier, lambda _step: bar.update(1))
        if kind == "pdf":
            content = report_pdf(content)
            bar.update(1)
    with open(output, "wb") as handle:
        handle.write(content)
    click.echo(
        f"Laporan per {_iso(day)} (dibandingkan dengan {_iso(earlier)}) ditulis ke {output}."
    )


def _iso(day: date) -> str:
    return day.isoformat()


coverage_group.add_command(report_command)
