"""Restoring a backup archive (format: ops/archive.py; writing one: ops/backup.py), and the
`legalbase restore` command.

A restore checks every member against the manifest before writing anything, and goes only into
an instance that holds no data (see `refuse_occupied`): a new database (no tables yet, the
instance folder even absent) or an empty one at any revision this code base knows. Such a
database is first migrated to the archive's schema revision (ops/restore_schema.py); then every
row goes in in one transaction, the files are stored (hash-checked), the database is upgraded
to the newest revision and the search index rebuilt from it. The search tables (the outbox, the
PostgreSQL backend's documents) are derived and not kept: the rebuild replaces them.

A failed restore writes no row and leaves no file or template of the archive; a database it
had migrated stays migrated, at the newest revision (as `legalbase db upgrade` leaves it),
without the archive's rows: the region registry it held before, if any, and nothing else.
"""

import hashlib
import json
import shutil
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Connection

from ..core import db
from ..core.clitools import domain_errors_exit
from ..core.errors import Conflict, Invalid
from ..core.storage import file_store
from ..drafting.catalog import uploaded_root
from ..search import backend
from .archive import (
    BATCH,
    CHUNK,
    FILE_MEMBER,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    TEMPLATE_MEMBER,
    Progress,
    decode_row,
    encode_row,
    quiet,
    tables_at,
)
from .check import file_sha256
from .restore_schema import (
    archive_revision,
    back_to_head,
    refuse_occupied,
    to_archive_revision,
    to_head,
)


def restore_backup(path: Path, progress: Progress = quiet) -> dict:
    """Restore an archive into this instance, new or empty; returns its manifest."""
    with open_archive(path) as archive:
        manifest = verify_archive(archive)
        progress(f"Arsip utuh: {len(manifest['members'])} anggota cocok dengan manifesnya.")
        revision = archive_revision(manifest)
        migrated = to_archive_revision(revision, progress)
        try:
            _restore_contents(archive, manifest, progress)
        except BaseException:
            if migrated:
                back_to_head(progress)
            raise
    to_head(revision, progress)
    progress(f"Indeks pencarian dibangun ulang: {backend().rebuild()} peraturan.")
    return manifest


def _restore_contents(archive: zipfile.ZipFile, manifest: dict, progress: Progress) -> None:
    """Rows, files and templates of the archive, all or none (a failure rolls back the rows
    and the files stored, and removes the template folders made)."""
    made: list[Path] = []
    try:
        tables = tables_at(
            db.session.connection(), manifest["alembic_revision"], manifest["tables"]
        )
        registry_present = refuse_unless_empty(archive, manifest, tables)
        _insert_tables(archive, manifest, tables, registry_present, progress)
        _store_files(archive, manifest, progress)
        _restore_templates(archive, manifest, made)
        db.session.commit()
    except BaseException:
        db.session.rollback()  # also removes the files stored meanwhile
        for folder in made:
            shutil.rmtree(folder, ignore_errors=True)
        raise


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


def refuse_unless_empty(archive: zipfile.ZipFile, manifest: dict, tables: list) -> bool:
    """Conflict unless this instance, at the archive's schema revision (its `tables`), is
    empty: no rows in any table but the region registry (equal to the archive's) and the audit
    entries of its loading, and no uploaded templates. Returns whether the registry is there."""
    connection = db.session.connection()
    _refuse_other_columns(manifest, tables)
    refuse_occupied(connection)
    regions = _named(tables, "regions")
    if not _count(connection, regions):
        return False
    if _table_lines(archive, regions) != _encoded_rows(connection, regions):
        raise Conflict(
            "Registri wilayah instans ini berbeda dari registri di cadangan. "
            "Pulihkan ke basis data baru, atau yang baru dimigrasi tanpa registri wilayah "
            "(`legalbase db upgrade` saja)."
        )
    return True


def _refuse_other_columns(manifest: dict, tables: list) -> None:
    ours = {table.name: [column.name for column in table.columns] for table in tables}
    theirs = {name: entry.get("columns") for name, entry in manifest["tables"].items()}
    if ours != theirs:
        differing = sorted(
            name for name in ours.keys() | theirs.keys() if ours.get(name) != theirs.get(name)
        )
        raise Conflict(
            "Tabel atau kolom di cadangan berbeda dari skema instans ini pada revisi "
            f"{manifest['alembic_revision']}; pulihkan dengan versi legalbase yang membuat "
            "cadangan.",
            {"tables": differing},
        )


def _named(tables: list, name: str):
    return next(table for table in tables if table.name == name)


def _count(connection: Connection, table, *where) -> int:
    return connection.scalar(select(func.count()).select_from(table).where(*where))


def _encoded_rows(connection: Connection, table) -> list[dict]:
    query = select(table).order_by(*table.primary_key.columns)
    return [encode_row(table, row) for row in connection.execute(query).mappings()]


def _table_lines(archive: zipfile.ZipFile, table) -> list[dict]:
    with archive.open(f"tables/{table.name}.jsonl") as member:
        return [json.loads(line) for line in member]


def _insert_tables(
    archive, manifest: dict, tables: list, registry_present: bool, progress: Progress
) -> None:
    connection = db.session.connection()
    # The audit log is append-only: entries already here (the registry's loading) stay first.
    audit = _named(tables, "audit_log")
    audit_offset = connection.scalar(select(func.coalesce(func.max(audit.c.id), 0)))
    for table in tables:
        if table.name == "regions" and registry_present:
            continue
        offset = audit_offset if table.name == "audit_log" else 0
        count = _insert_table(archive, connection, table, offset)
        if count != manifest["tables"][table.name]["rows"]:
            raise Invalid(
                f"Tabel {table.name} di arsip berisi {count} baris, manifes menyebut "
                f"{manifest['tables'][table.name]['rows']}; tidak ada yang dipulihkan."
            )
        progress(f"  tabel {table.name}: {count} baris")
    if connection.dialect.name == "postgresql":
        _reset_sequences(connection, tables)


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


def _reset_sequences(connection: Connection, tables: list) -> None:
    """Let PostgreSQL's next ids follow the restored ones."""
    for table in tables:
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


@click.command(
    "restore",
    help="Pulihkan cadangan FILE ke instans baru atau kosong (paling banyak berisi "
    "registri wilayah), dalam satu perintah: basis data dimigrasi ke revisi "
    "cadangan, diisi, lalu ke revisi terbaru. Setiap anggota diperiksa terhadap "
    "manifes sebelum apa pun ditulis.",
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@domain_errors_exit
def restore_command(path):
    """Restore the backup at PATH into this new or empty instance."""
    click.echo(f"Memulihkan {path} (sha256 {file_sha256(path)}) ...")
    manifest = restore_backup(Path(path), click.echo)
    rows = sum(entry["rows"] for entry in manifest["tables"].values())
    click.echo(
        f"Pemulihan selesai: {rows} baris, {manifest['files']} berkas, "
        f"{manifest['templates']} berkas templat, dari cadangan {manifest['created_at']}."
        " Periksa dengan `legalbase check`."
    )
