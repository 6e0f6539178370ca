"""Writing a backup archive (format: ops/archive.py; restoring one: ops/restore.py), and the
`legalbase backup` command.

A backup reads every table in one transaction holding one snapshot (PostgreSQL: REPEATABLE
READ, read only; SQLite: one read transaction on the WAL database), so it is consistent while
the service writes. Stored files are immutable and content-addressed, so the ones the
snapshot's rows reference are copied after it is released. The archive is written under a
temporary name and renamed when complete: a failed backup leaves no half file. A database not
yet at the newest schema revision is backed up with its tables as it holds them (read from the
database), under its own revision, which a restore migrates from.
"""

import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

import click
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from ..core import db
from ..core.clitools import domain_errors_exit
from ..core.errors import Invalid
from ..core.storage import FileCorrupted, file_store
from .archive import (
    BATCH,
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    Progress,
    encode_row,
    quiet,
    tables_at,
    uploaded_templates,
)
from .check import SHA256, file_sha256, referenced_files


def write_backup(path: Path, progress: Progress = quiet) -> dict:
    """Write a consistent backup of this instance to `path` (replaced only once the archive is
    complete); returns its manifest."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            manifest = _fill(archive, progress)
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _fill(archive: zipfile.ZipFile, progress: Progress) -> dict:
    members, tables, taken_at = {}, {}, db.utcnow()
    with snapshot() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
        dialect = connection.dialect.name
        for table in tables_at(connection, revision):
            tables[table.name] = {
                "rows": _write_table(archive, connection, table, members),
                "columns": [column.name for column in table.columns],
            }
            progress(f"  tabel {table.name}: {tables[table.name]['rows']} baris")
        owners = referenced_files(connection)
    _write_files(archive, owners, members, progress)
    templates = _write_templates(archive, members)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": taken_at.isoformat(),
        "app_version": version("legalbase"),
        "alembic_revision": revision,
        "dialect": dialect,
        "tables": tables,
        "files": len(owners),
        "templates": templates,
        "members": members,
    }
    archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


@contextmanager
def snapshot() -> Iterator[Connection]:
    """A connection reading one consistent, unchanging view of the whole database, without
    keeping anyone from writing."""
    bind = db.session.get_bind()
    if isinstance(bind, Connection):  # the app is pinned to one connection: read its view
        yield bind
        return
    if bind.dialect.name == "sqlite":
        with _sqlite_snapshot(bind.url) as connection:
            yield connection
        return
    with bind.connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with connection.begin():
            yield connection


@contextmanager
def _sqlite_snapshot(url) -> Iterator[Connection]:
    # The app's engine begins SQLite transactions IMMEDIATE, taking the write lock (db.py),
    # which would stop every writer for the whole backup. A deferred BEGIN on an engine of its
    # own takes no lock: its first read fixes the WAL snapshot all its later reads share.
    reader = create_engine(url, poolclass=NullPool, connect_args={"timeout": 30})
    event.listen(reader, "connect", _driver_leaves_transactions_alone)
    event.listen(reader, "begin", lambda connection: connection.exec_driver_sql("BEGIN"))
    try:
        with reader.connect() as connection, connection.begin():
            yield connection
    finally:
        reader.dispose()


def _driver_leaves_transactions_alone(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None


def _write_table(archive, connection: Connection, table, members: dict) -> int:
    key = list(table.primary_key.columns)
    rows = connection.execute(select(table).order_by(*key).execution_options(yield_per=BATCH))
    count = 0

    def lines():
        nonlocal count
        for row in rows.mappings():
            count += 1
            yield (
                json.dumps(encode_row(table, row), ensure_ascii=False, separators=(",", ":")) + "\n"
            ).encode()

    _write_member(archive, f"tables/{table.name}.jsonl", lines(), members)
    return count


def _write_files(archive, owners: dict, members: dict, progress: Progress) -> None:
    store = file_store()
    for number, (sha256, records) in enumerate(sorted(owners.items()), start=1):
        path = store.path_of(sha256)
        if not SHA256.fullmatch(sha256) or not path.is_file():
            raise FileCorrupted(
                f"Berkas tersimpan {sha256} yang dirujuk {', '.join(records)} "
                "tidak ada; cadangan dibatalkan. Jalankan `legalbase check`."
            )
        name = f"files/{sha256[:2]}/{sha256}"
        _write_member(archive, name, _chunks(path), members, zipfile.ZIP_STORED)
        if members[name] != sha256:
            raise FileCorrupted(
                f"Berkas tersimpan {sha256} ({', '.join(records)}) rusak: "
                "hash tidak cocok; cadangan dibatalkan. Jalankan `legalbase "
                "check` dan pulihkan berkas itu dari cadangan sebelumnya."
            )
        if number % 500 == 0 or number == len(owners):
            progress(f"  berkas: {number}/{len(owners)}")


def _write_templates(archive, members: dict) -> int:
    kept = uploaded_templates()
    for name, path in kept.items():
        _write_member(archive, name, _chunks(path), members)
    return len(kept)


def _write_member(
    archive, name: str, chunks, members: dict, compression: int = zipfile.ZIP_DEFLATED
) -> None:
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = compression
    digest = hashlib.sha256()
    with archive.open(info, "w", force_zip64=True) as out:
        for chunk in chunks:
            digest.update(chunk)
            out.write(chunk)
    members[name] = digest.hexdigest()


def _chunks(path: Path):
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


@click.command(
    "backup",
    help="Tulis cadangan yang konsisten ke FILE (ZIP) selagi layanan "
    "berjalan: semua tabel, berkas tersimpan yang dirujuk, templat "
    "unggahan, dan manifes berisi hash setiap anggota.",
)
@click.argument("path", type=click.Path(dir_okay=False))
@domain_errors_exit
def backup_command(path):
    """Write a consistent backup of this instance to PATH."""
    click.echo(f"Mencadangkan ke {path} ...")
    try:
        manifest = write_backup(Path(path), click.echo)
    except OSError as exc:
        raise Invalid(f"Cadangan tidak dapat ditulis ke {path}: {exc.strerror or exc}.") from None
    rows = sum(entry["rows"] for entry in manifest["tables"].values())
    click.echo(
        f"Cadangan selesai: {rows} baris dari {len(manifest['tables'])} tabel, "
        f"{manifest['files']} berkas, {manifest['templates']} berkas templat; "
        f"{Path(path).stat().st_size} bita."
    )
    click.echo(f"sha256 arsip: {file_sha256(path)}")
