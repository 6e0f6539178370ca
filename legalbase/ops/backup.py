"""Backup and restore: one ZIP archive that SQLite and PostgreSQL both read.

    manifest.json                          what follows, with the sha256 of every member
    tables/<table>.jsonl                   every row of a table, one JSON object a line
    files/ab/abcdef...                     the stored files the rows reference (sha256 names)
    templates/<name>/<version>/<file>      the uploaded drafting templates

A backup reads every table in one transaction holding one snapshot (PostgreSQL: REPEATABLE
READ, read only; SQLite: one read transaction on the WAL database), so it is consistent while
the service writes. Stored files are immutable and content-addressed, so the ones the
snapshot's rows reference are copied after it is released. The archive is written under a
temporary name and renamed when complete: a failed backup leaves no half file.

A restore goes only into an empty instance (see `refuse_unless_empty`), checks every member
against the manifest before writing anything, inserts every row in one transaction, stores the
files (hash-checked) and rebuilds the search index from the database. The search tables (the
outbox, the PostgreSQL backend's documents) are derived and not kept: the rebuild replaces them.
"""

import hashlib
import json
import os
import re
import shutil
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from importlib.metadata import version
from pathlib import Path

import click
from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Integer,
    String,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from ..core import db
from ..core.audit import AuditEntry
from ..core.clitools import domain_errors_exit
from ..core.errors import Conflict, Invalid
from ..core.storage import FileCorrupted, file_store
from ..drafting.catalog import uploaded_root
from ..regions.models import Region
from ..search.index import reindex
from .check import SHA256, file_sha256, referenced_files

FORMAT, FORMAT_VERSION = "legalbase-backup", 1
MANIFEST = "manifest.json"
DERIVED_TABLES = ("search_outbox", "search_documents")
VALUE_TYPES = (Integer, String, Boolean, Date, DateTime, JSON)
FILE_MEMBER = re.compile(r"files/([0-9a-f]{2})/(\1[0-9a-f]{62})")
TEMPLATE_MEMBER = re.compile(
    r"templates/[a-z0-9]+(?:-[a-z0-9]+)*/\d+/(?:template\.docx|manifest\.yaml|validation\.json)"
)
BATCH = 1000
CHUNK = 1 << 20
NOT_EMPTY = (
    "Pemulihan hanya ke instans kosong: basis data yang baru dimigrasi (`legalbase db "
    "upgrade`), paling banyak berisi registri wilayah, tanpa templat unggahan."
)

Progress = Callable[[str], None]


def _quiet(_line: str) -> None:
    pass


def backed_up_tables() -> list:
    """The tables a backup holds, parents before children."""
    return [table for table in db.Base.metadata.sorted_tables if table.name not in DERIVED_TABLES]


# --- backup ---------------------------------------------------------------------------------


def write_backup(path: Path, progress: Progress = _quiet) -> dict:
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
        for table in backed_up_tables():
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


def uploaded_templates() -> dict[str, Path]:
    """The files of the uploaded templates, by their name in an archive (a staging folder or
    the lock file is no template)."""
    root = uploaded_root()
    found = {}
    for path in sorted(root.rglob("*")) if root.is_dir() else ():
        name = f"templates/{path.relative_to(root).as_posix()}"
        if path.is_file() and TEMPLATE_MEMBER.fullmatch(name):
            found[name] = path
    return found


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


def encode_row(table, row) -> dict:
    """A row as JSON values the same on every engine: dates ISO, datetimes ISO in UTC."""
    return {column.name: encode_value(column, row[column.name]) for column in table.columns}


def encode_value(column, value):
    """One column's value as JSON (see encode_row)."""
    if value is None:
        return None
    if not isinstance(column.type, VALUE_TYPES):
        raise TypeError(f"backup cannot encode {column.table.name}.{column.name}: {column.type}")
    if isinstance(column.type, DateTime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite keeps naive UTC
        return moment.astimezone(UTC).isoformat()
    if isinstance(column.type, Date):
        return value.isoformat()
    return value


def decode_row(table, line: dict) -> dict:
    """A row of `table` from its JSON line (the inverse of encode_row); Invalid when its
    columns are not the table's."""
    if list(line) != [column.name for column in table.columns]:
        raise Invalid(
            f"Baris tabel {table.name} di arsip tidak sesuai kolom tabelnya; tidak "
            "ada yang dipulihkan.",
            {"columns": list(line)},
        )
    return {column.name: decode_value(column, line[column.name]) for column in table.columns}


def decode_value(column, value):
    """The Python value of one column's JSON value (the inverse of encode_value)."""
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


# --- restore --------------------------------------------------------------------------------


def restore_backup(path: Path, progress: Progress = _quiet) -> dict:
    """Restore an archive into this empty instance; returns its manifest."""
    with open_archive(path) as archive:
        manifest = verify_archive(archive)
        progress(f"Arsip utuh: {len(manifest['members'])} anggota cocok dengan manifesnya.")
        registry_present = refuse_unless_empty(archive, manifest)
        made: list[Path] = []
        try:
            _insert_tables(archive, manifest, registry_present, progress)
            _store_files(archive, manifest, progress)
            _restore_templates(archive, manifest, made)
            db.session.commit()
        except BaseException:
            db.session.rollback()  # also removes the files stored meanwhile
            for folder in made:
                shutil.rmtree(folder, ignore_errors=True)
            raise
    progress(f"Indeks pencarian dibangun ulang: {reindex()} peraturan.")
    return manifest


@contextmanager
def open_archive(path: Path) -> Iterator[zipfile.ZipFile]:
    """The archive at `path`, or Invalid when it is not a readable ZIP."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Invalid(
            f"Berkas {Path(path).name} bukan arsip cadangan legalbase yang dapat dibaca: {exc}."
        ) from None
    with archive:
        yield archive


def verify_archive(archive: zipfile.ZipFile) -> dict:
    """The manifest, once every member is known to it, shaped as expected and hashing to the
    sha256 it records; Invalid naming the first member that does not."""
    manifest = read_manifest(archive)
    expected = manifest["members"]
    names = [info.filename for info in archive.infolist() if info.filename != MANIFEST]
    unknown = sorted(set(names) - expected.keys())
    absent = sorted(expected.keys() - set(names))
    if unknown or absent or len(names) != len(set(names)):
        raise Invalid(
            "Isi arsip tidak sesuai manifesnya; arsip ditolak.",
            {"unknown": unknown[:10], "absent": absent[:10]},
        )
    tables = {f"tables/{name}.jsonl" for name in manifest["tables"]}
    if not tables <= expected.keys():
        raise Invalid(
            "Arsip tidak memuat setiap tabel yang disebut manifesnya; arsip ditolak.",
            {"absent": sorted(tables - expected.keys())[:10]},
        )
    for name in sorted(expected):
        file_name = FILE_MEMBER.fullmatch(name)
        if name not in tables and not file_name and not TEMPLATE_MEMBER.fullmatch(name):
            raise Invalid(f"Anggota arsip '{name}' tidak dikenal; arsip ditolak.")
        digest = member_sha256(archive, name)
        if digest != expected[name] or (file_name and digest != file_name.group(2)):
            raise Invalid(
                f"Anggota arsip '{name}' rusak atau diubah: hash-nya tidak cocok "
                "dengan manifes. Tidak ada yang dipulihkan.",
                {"member": name, "expected": expected[name], "actual": digest},
            )
    return manifest


def read_manifest(archive: zipfile.ZipFile) -> dict:
    """The archive's manifest, or Invalid when it is missing or of another format."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
        known = (
            manifest["format"] == FORMAT
            and isinstance(manifest["members"], dict)
            and isinstance(manifest["tables"], dict)
        )
    except (KeyError, TypeError, ValueError, zipfile.BadZipFile, zlib.error):
        known = False
    if not known:
        raise Invalid(
            "Arsip ini bukan cadangan legalbase: manifes tidak ada atau tidak dapat dibaca."
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise Invalid(
            f"Format cadangan versi {manifest.get('format_version')} tidak dikenal "
            f"versi legalbase ini (versi {FORMAT_VERSION})."
        )
    return manifest


def member_sha256(archive: zipfile.ZipFile, name: str) -> str:
    """The sha256 of one member's bytes; Invalid when the archive cannot give them."""
    digest = hashlib.sha256()
    try:
        with archive.open(name) as member:
            while chunk := member.read(CHUNK):
                digest.update(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise Invalid(
            f"Anggota arsip '{name}' rusak dan tidak dapat dibaca ({exc}). Tidak ada "
            "yang dipulihkan.",
            {"member": name},
        ) from None
    return digest.hexdigest()


def refuse_unless_empty(archive: zipfile.ZipFile, manifest: dict) -> bool:
    """Conflict unless this instance is empty: at the archive's schema revision, no rows in
    any table but the region registry (equal to the archive's) and the audit entries of its
    loading, and no uploaded templates. Returns whether the registry is already there."""
    connection = db.session.connection()
    _refuse_other_revision(connection, manifest)
    _refuse_other_columns(manifest)
    occupied = {
        table.name: count
        for table in db.Base.metadata.sorted_tables
        if table.name not in ("regions", "audit_log") and (count := _count(connection, table))
    }
    other_audit = _count(connection, AuditEntry.__table__, AuditEntry.entity_type != "region")
    if other_audit:
        occupied["audit_log"] = other_audit
    if occupied:
        raise Conflict(f"{NOT_EMPTY} Instans ini sudah berisi data.", {"tables": occupied})
    if uploaded_templates():
        raise Conflict(
            f"{NOT_EMPTY} Instans ini sudah menyimpan templat unggahan.",
            {"folder": str(uploaded_root())},
        )
    if not _count(connection, Region.__table__):
        return False
    if _table_lines(archive, Region.__table__) != _encoded_rows(connection, Region.__table__):
        raise Conflict(
            "Registri wilayah instans ini berbeda dari registri di cadangan. "
            "Pulihkan ke basis data yang baru dimigrasi tanpa registri wilayah "
            "(`legalbase db upgrade` saja)."
        )
    return True


def _refuse_other_revision(connection: Connection, manifest: dict) -> None:
    here = MigrationContext.configure(connection).get_current_revision()
    if here != manifest.get("alembic_revision"):
        raise Conflict(
            f"Cadangan ini dibuat pada revisi skema {manifest.get('alembic_revision')}"
            f" (legalbase {manifest.get('app_version')}), instans ini pada revisi "
            f"{here}. Pulihkan dengan versi legalbase yang membuatnya ke basis data "
            "pada revisi itu, lalu jalankan `legalbase db upgrade`."
        )


def _refuse_other_columns(manifest: dict) -> None:
    ours = {table.name: [column.name for column in table.columns] for table in backed_up_tables()}
    theirs = {name: entry.get("columns") for name, entry in manifest["tables"].items()}
    if ours != theirs:
        differing = sorted(
            name for name in ours.keys() | theirs.keys() if ours.get(name) != theirs.get(name)
        )
        raise Conflict(
            "Tabel atau kolom di cadangan berbeda dari skema instans ini; pulihkan "
            "dengan versi legalbase yang membuat cadangan.",
            {"tables": differing},
        )


def _count(connection: Connection, table, *where) -> int:
    return connection.scalar(select(func.count()).select_from(table).where(*where))


def _encoded_rows(connection: Connection, table) -> list[dict]:
    query = select(table).order_by(*table.primary_key.columns)
    return [encode_row(table, row) for row in connection.execute(query).mappings()]


def _table_lines(archive: zipfile.ZipFile, table) -> list[dict]:
    with archive.open(f"tables/{table.name}.jsonl") as member:
        return [json.loads(line) for line in member]


def _insert_tables(archive, manifest: dict, registry_present: bool, progress: Progress) -> None:
    connection = db.session.connection()
    # The audit log is append-only: entries already here (the registry's loading) stay first.
    audit_offset = connection.scalar(select(func.coalesce(func.max(AuditEntry.id), 0)))
    for table in backed_up_tables():
        if table.name == "regions" and registry_present:
            continue
        offset = audit_offset if table is AuditEntry.__table__ else 0
        count = _insert_table(archive, connection, table, offset)
        if count != manifest["tables"][table.name]["rows"]:
            raise Invalid(
                f"Tabel {table.name} di arsip berisi {count} baris, manifes menyebut "
                f"{manifest['tables'][table.name]['rows']}; tidak ada yang dipulihkan."
            )
        progress(f"  tabel {table.name}: {count} baris")
    if connection.dialect.name == "postgresql":
        _reset_sequences(connection)


def _insert_table(archive, connection: Connection, table, id_offset: int) -> int:
    count, batch = 0, []
    with archive.open(f"tables/{table.name}.jsonl") as member:
        for line in member:
            row = decode_row(table, json.loads(line))
            if id_offset:
                row["id"] += id_offset
            batch.append(row)
            if len(batch) == BATCH:
                connection.execute(insert(table), batch)
                count, batch = count + len(batch), []
    if batch:
        connection.execute(insert(table), batch)
    return count + len(batch)


def _reset_sequences(connection: Connection) -> None:
    """Let PostgreSQL's next ids follow the restored ones."""
    for table in backed_up_tables():
        column = table.autoincrement_column
        if column is None:
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                f"COALESCE(MAX({column.name}), 0) + 1, false) FROM {table.name}"
            )
        )


def _store_files(archive, manifest: dict, progress: Progress) -> None:
    store = file_store()
    names = sorted(name for name in manifest["members"] if FILE_MEMBER.fullmatch(name))
    for name in names:
        sha256 = name.rsplit("/", 1)[1]
        path = store.path_of(sha256)
        if path.is_file() and file_sha256(path) != sha256:
            path.unlink()  # a damaged copy under the same name: replace it
        if store.put(db.session, archive.read(name)) != sha256:
            raise Invalid(
                f"Anggota arsip '{name}' berubah selama pemulihan; tidak ada yang dipulihkan."
            )
    progress(f"  berkas: {len(names)}")


def _restore_templates(archive, manifest: dict, made: list[Path]) -> None:
    """Write the uploaded templates, adding to `made` each template folder created (to undo
    them should the restore fail)."""
    root = uploaded_root()
    for name in sorted(manifest["members"]):
        if not TEMPLATE_MEMBER.fullmatch(name):
            continue
        target = root / name.removeprefix("templates/")
        folder = target.parent.parent
        if not folder.exists():
            made.append(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(archive.read(name))


# --- the commands ---------------------------------------------------------------------------


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


@click.command(
    "restore",
    help="Pulihkan cadangan FILE ke instans kosong (basis data yang baru "
    "dimigrasi, paling banyak berisi registri wilayah). Setiap "
    "anggota diperiksa terhadap manifes sebelum apa pun ditulis.",
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@domain_errors_exit
def restore_command(path):
    """Restore the backup at PATH into this empty instance."""
    click.echo(f"Memulihkan {path} (sha256 {file_sha256(path)}) ...")
    manifest = restore_backup(Path(path), click.echo)
    rows = sum(entry["rows"] for entry in manifest["tables"].values())
    click.echo(
        f"Pemulihan selesai: {rows} baris, {manifest['files']} berkas, "
        f"{manifest['templates']} berkas templat, dari cadangan {manifest['created_at']}."
        " Periksa dengan `legalbase check`."
    )
