"""The schema side of a restore (ops/restore.py): the archive's revision known to this code
base; a database that holds no data (new, or empty at another revision) migrated to that
revision before the rows go in; and the newest revision afterwards, or after a failure."""

from importlib.metadata import version
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from flask import current_app
from sqlalchemy import column, func, inspect, select, table
from sqlalchemy.engine import Connection

from ..core import db
from ..core.errors import Conflict, Invalid
from ..core.schema import head_revision, is_known_revision, migrate_database, upgrade_database
from ..drafting.catalog import uploaded_root
from .archive import Progress, uploaded_templates

NOT_EMPTY = (
    "Pemulihan hanya ke instans kosong: basis data baru atau yang baru dimigrasi (`legalbase "
    "db upgrade`), paling banyak berisi registri wilayah, tanpa templat unggahan."
)
KEPT = ("alembic_version", "regions")


def archive_revision(manifest: dict) -> str:
    """The archive's schema revision; Invalid when this code base does not know it."""
    revision = manifest.get("alembic_revision")
    if is_known_revision(revision):
        return revision
    raise Invalid(
        f"Cadangan ini dibuat pada revisi skema {revision} (legalbase "
        f"{manifest.get('app_version')}), yang tidak dikenal legalbase {version('legalbase')} "
        f"ini (revisi terbarunya {head_revision()}). Pulihkan dengan legalbase versi itu atau "
        "yang lebih baru. Tidak ada yang dipulihkan."
    )


def current_revision(connection: Connection) -> str | None:
    """The database's schema revision; None when it has none yet."""
    return MigrationContext.configure(connection).get_current_revision()


def to_archive_revision(revision: str, progress: Progress) -> bool:
    """Migrate this instance's database to the archive's `revision` when it is elsewhere and
    holds no data (Conflict when it does); whether it migrated."""
    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)  # SQLite's file lives there
    connection = db.session.connection()
    here = current_revision(connection)
    if here == revision:
        return False
    refuse_occupied(connection)
    _refuse_unknown_schema(connection, here)
    db.session.rollback()  # the migration runs on a connection of its own: hold no lock
    where = f"kosong pada revisi {here}" if here else "baru"
    progress(f"Basis data {where}: dimigrasi ke revisi cadangan {revision}.")
    migrate_database(here, revision)
    return True


def to_head(revision: str, progress: Progress) -> None:
    """Upgrade a database restored at the archive's `revision` to the newest one."""
    head = head_revision()
    if revision != head:
        upgrade_database()
        progress(f"Basis data dimigrasi dari revisi {revision} ke revisi terbaru {head}.")


def back_to_head(progress: Progress) -> None:
    """After a failed restore into a database migrated for it: leave it, without the archive's
    rows, at the newest revision (or say how to get there)."""
    db.session.rollback()
    try:
        upgrade_database()
    except Exception as exc:  # the restore's own error is the one to raise
        progress(
            f"Basis data belum kembali ke revisi terbaru ({exc}); jalankan `legalbase db upgrade`."
        )
        return
    progress(
        f"Pemulihan gagal; basis data tanpa data cadangan, pada revisi terbaru {head_revision()}."
    )


def refuse_occupied(connection: Connection) -> None:
    """Conflict when this instance holds data: rows in any table but the region registry and
    the audit entries of its loading, or uploaded templates."""
    occupied = occupied_tables(connection)
    if occupied:
        raise Conflict(f"{NOT_EMPTY} Instans ini sudah berisi data.", {"tables": occupied})
    if uploaded_templates():
        raise Conflict(
            f"{NOT_EMPTY} Instans ini sudah menyimpan templat unggahan.",
            {"folder": str(uploaded_root())},
        )


def occupied_tables(connection: Connection) -> dict[str, int]:
    """The row count of every table holding data, whatever the database's revision."""
    occupied = {}
    for name in sorted(inspect(connection).get_table_names()):
        if name in KEPT:
            continue
        where = [column("entity_type") != "region"] if name == "audit_log" else []
        if count := connection.scalar(select(func.count()).select_from(table(name)).where(*where)):
            occupied[name] = count
    return occupied


def _refuse_unknown_schema(connection: Connection, here: str | None) -> None:
    if here is None and inspect(connection).get_table_names():
        raise Conflict(
            "Basis data instans ini memuat tabel tetapi tanpa revisi skema; pulihkan ke basis "
            "data baru atau yang dibuat `legalbase db upgrade`."
        )
    if here is not None and not is_known_revision(here):
        raise Conflict(
            f"Basis data instans ini pada revisi skema {here}, yang tidak dikenal legalbase "
            f"{version('legalbase')} ini; pulihkan ke basis data baru."
        )
