"""The `legalbase` command: Flask's commands plus one group per room.

legalbase setup            migrate the database and sync the seed corpus
legalbase serve            serve on LEGALBASE_HOST:LEGALBASE_PORT (--workers N: gunicorn)
legalbase db upgrade       apply migrations
legalbase corpus sync      upsert the seed corpus
legalbase users create     create an account and print its API token
"""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, FlaskGroup

from . import create_app
from .core import db
from .core.schema import downgrade_database, upgrade_database
from .service.serving import serve

db_group = AppGroup("db", help="Skema basis data (migrasi Alembic).")


@db_group.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision):
    """Apply migrations (default: up to the newest)."""
    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)  # SQLite's file lives there
    upgrade_database(revision)
    click.echo(f"Basis data pada revisi {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
def downgrade_command(revision):
    """Revert migrations down to REVISION ('base' empties the database)."""
    downgrade_database(revision)
    click.echo(f"Basis data pada revisi {revision}.")


@click.command("setup")
def setup_command():
    """Create or migrate the database and sync the seed corpus (idempotent)."""
    from .corpus.cli import sync_seed
    from .search import backend

    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)
    upgrade_database()
    report = sync_seed()
    db.commit()
    backend().ensure()
    for name, counts in report.items():
        click.echo(f"{name}: {counts}")


@click.command("serve")
@click.option("--port", type=int, help="Port (bawaan: LEGALBASE_PORT atau 5000).")
@click.option("--host", help="Alamat (bawaan: LEGALBASE_HOST atau 127.0.0.1).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Jumlah proses pekerja (bawaan: LEGALBASE_WORKERS atau 1). Lebih dari 1: "
    "gunicorn untuk produksi.",
)
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    help="Utas per pekerja gunicorn (bawaan: LEGALBASE_THREADS atau 4).",
)
def serve_command(port, host, workers, threads):
    """Serve legalbase: the development server, or gunicorn with --workers N."""
    config = current_app.config
    host, port = host or config["HOST"], port or config["PORT"]
    workers, threads = workers or config["WORKERS"], threads or config["THREADS"]
    kind = f"gunicorn, {workers} pekerja" if workers > 1 else "server pengembangan"
    click.echo(f"legalbase melayani di http://{host}:{port} ({kind})")
    serve(current_app._get_current_object(), host, port, workers, threads)


cli = FlaskGroup(create_app=create_app, help="legalbase: dasar hukum Gugus Tugas PP-TPPO daerah.")
