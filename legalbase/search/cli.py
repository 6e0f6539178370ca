"""`legalbase search`: rebuild the index and check it against the database (either backend)."""

import json

import click
from flask.cli import AppGroup

from ..core.clitools import domain_errors_exit
from .backend import backend

search_group = AppGroup("search", help="Indeks pencarian teks lengkap.")


@search_group.command("reindex")
@domain_errors_exit
def reindex_command():
    """Rebuild the index from the database (Whoosh: a new index swapped in; PostgreSQL: its
    table rewritten), then apply the changes still waiting."""
    count = backend().rebuild()
    applied = backend().apply_pending()
    click.echo(
        f"Indeks dibangun ulang: {count} peraturan; {applied} perubahan tertunda diterapkan."
    )


@search_group.command("check")
@click.option("--json", "as_json", is_flag=True, help="Cetak laporan sebagai JSON.")
@domain_errors_exit
def check_command(as_json):
    """Report records missing from, extra in, or stale in the index (exit 1 when any)."""
    report = backend().check()
    if as_json:
        click.echo(json.dumps(report))
    else:
        click.echo(f"Terindeks: {report['indexed']}; di basis data: {report['expected']}.")
        for key, label in (
            ("missing", "Tidak ada di indeks"),
            ("extra", "Berlebih di indeks"),
            ("stale", "Usang di indeks"),
        ):
            click.echo(f"{label}: {len(report[key])} {report[key][:20] if report[key] else ''}")
    if report["missing"] or report["extra"] or report["stale"]:
        raise SystemExit(1)
    if not as_json:
        click.echo("Indeks bersih.")
