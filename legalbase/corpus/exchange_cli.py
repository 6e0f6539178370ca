"""`legalbase corpus import-jdihn|export-jdihn|import-csv|export-csv`: exchange files."""

import json

import click

from ..core import db
from ..core.audit import Actor
from ..core.clitools import domain_errors_exit
from .cli import corpus_group
from .exchange.csv_records import export_csv, import_csv
from .exchange.jdihn import build_jdihn_feed
from .exchange.jdihn_import import import_jdihn_feed, parse_jdihn_feed
from .exchange.reports import ImportReport, Outcome
from .models import RELATION_LABELS

DEFAULT_BASE_URL = "http://127.0.0.1:5000/"
IMPORT_ACTOR = "corpus import"
OUTCOME_LABELS = {
    "created": "dibuat",
    "updated": "diperbarui",
    "unchanged": "tidak berubah",
    "refused": "ditolak",
}


@corpus_group.command("export-jdihn", help="Tulis umpan JDIHN (JSON) ke FILE, atau ke stdout.")
@click.argument("file", type=click.File("w", encoding="utf-8"), default="-")
@click.option(
    "--base-url",
    default=DEFAULT_BASE_URL,
    show_default=True,
    help="Alamat dasar untuk urlDetailPeraturan dan urlDownload.",
)
@domain_errors_exit
def export_jdihn_command(file, base_url):
    """Write the JDIHN feed of every live regulation to FILE (stdout by default)."""
    feed = build_jdihn_feed(base_url)
    file.write(json.dumps(feed, ensure_ascii=False, indent=2) + "\n")
    click.echo(f"Umpan JDIHN: {len(feed)} peraturan.", err=True)


@corpus_group.command(
    "import-jdihn", help="Impor umpan JDIHN (JSON) dari FILE: buat atau perbarui peraturan."
)
@click.argument("file", type=click.File("r", encoding="utf-8-sig"))
@domain_errors_exit
def import_jdihn_command(file):
    """Import a JDIHN feed file, print the report per entry, commit once."""
    report = import_jdihn_feed(parse_jdihn_feed(file.read()), Actor(IMPORT_ACTOR))
    db.commit()
    echo_report(report)


@corpus_group.command("export-csv", help="Tulis semua peraturan sebagai CSV ke FILE, atau stdout.")
@click.argument("file", type=click.File("w", encoding="utf-8"), default="-")
@domain_errors_exit
def export_csv_command(file):
    """Write every live regulation as CSV to FILE (stdout by default)."""
    file.write(export_csv())


@corpus_group.command("import-csv", help="Impor CSV peraturan dari FILE: buat atau perbarui.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@domain_errors_exit
def import_csv_command(file):
    """Import a CSV file of regulations, print the report per row, commit once."""
    with open(file, encoding="utf-8-sig", newline="") as handle:  # keep newlines inside cells
        text = handle.read()
    report = import_csv(text, Actor(IMPORT_ACTOR))
    db.commit()
    echo_report(report)


def echo_report(report: ImportReport) -> None:
    """Print one line per entry and per relation, then the totals, in Indonesian."""
    for outcome in report.entries:
        click.echo(f"{_place(outcome.where)}: {_result(outcome)}{_ignored(outcome)}")
    for outcome in report.relations:
        click.echo(f"Relasi {_place(outcome.where)} {_link(outcome.where)}: {_result(outcome)}")
    click.echo("Peraturan: " + _totals(report.totals()) + ".")
    if report.relations:
        click.echo("Relasi: " + _totals(report.relation_totals()) + ".")


def _place(where: dict) -> str:
    if "line" in where:
        return f"Baris {where['line']}"
    return f"Entri {where['index']} (idData {where.get('idData') or '-'})"


def _link(where: dict) -> str:
    kind = where["type"]
    label = RELATION_LABELS[kind][0] if isinstance(kind, str) and kind in RELATION_LABELS else kind
    target = where["target"]
    if not isinstance(target, dict):
        return f"{label} {target}"
    return f"{label} {target.get('form')} {target.get('number')}/{target.get('year')}"


def _result(outcome: Outcome) -> str:
    label = OUTCOME_LABELS[outcome.outcome]
    if outcome.reason is None:
        return f"{label}, id {outcome.record_id}"
    details = json.dumps(outcome.reason["details"], ensure_ascii=False)
    return f"{label}: {outcome.reason['message']} {details}"


def _ignored(outcome: Outcome) -> str:
    if not outcome.ignored:
        return ""
    return f" (kunci diabaikan: {', '.join(outcome.ignored)})"


def _totals(totals: dict) -> str:
    return ", ".join(f"{count} {OUTCOME_LABELS[name]}" for name, count in totals.items())
