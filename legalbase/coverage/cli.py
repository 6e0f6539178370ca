"""`legalbase coverage report`: the report for the President, as a file."""

from datetime import date

import click
from flask.cli import AppGroup

from ..core.clitools import domain_errors_exit
from .export import coverage_csv, coverage_xlsx
from .reports import coverage_report

coverage_group = AppGroup("coverage", help="Cakupan dasar hukum per wilayah.")


@coverage_group.command("report")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Tanggal penilaian (YYYY-MM-DD); bawaan hari ini.",
)
@click.option("--format", "kind", type=click.Choice(("xlsx", "csv")), default="xlsx")
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False),
    required=True,
    help="Berkas tujuan.",
)
@domain_errors_exit
def report_command(as_of, kind, output):
    """Write the national coverage report (XLSX or CSV) to a file."""
    day = as_of.date() if as_of else date.today()
    if kind == "xlsx":
        content = coverage_xlsx(day)
        with open(output, "wb") as handle:
            handle.write(content)
    else:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(coverage_csv(day))
    summary = coverage_report(day)["summary"]
    counts = ", ".join(f"{status} {count}" for status, count in summary.items())
    click.echo(f"Laporan per {day.isoformat()} ditulis ke {output}: {counts}.")
