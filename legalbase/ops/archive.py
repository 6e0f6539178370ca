"""The backup archive's format, shared by writing (ops/backup.py) and restoring (ops/restore.py)
one: a ZIP archive that SQLite and PostgreSQL both read.

    manifest.json                          what follows, with the sha256 of every member
    tables/<table>.jsonl                   every row of a table, one JSON object a line
    files/ab/abcdef...                     the stored files the rows reference (sha256 names)
    templates/<name>/<version>/<file>      the uploaded drafting templates

Here: the names of its members, the tables it holds, the uploaded templates it takes, and the
encoding of a row as JSON values the same on every engine (and back).
"""

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Integer, MetaData, String, Table
from sqlalchemy.engine import Connection

from ..core import db
from ..core.errors import Invalid
from ..core.schema import head_revision
from ..drafting.catalog import uploaded_root

FORMAT, FORMAT_VERSION = "legalbase-backup", 1
MANIFEST = "manifest.json"
DERIVED_TABLES = ("search_outbox", "search_documents")
VALUE_TYPES = (Integer, String, Boolean, Date, DateTime, JSON)
FILE_MEMBER = re.compile(r"files/([0-9a-f]{2})/(\1[0-9a-f]{62})")
TEMPLATE_MEMBER = re.compile(
    r"templates/[a-z0-9]+(?:-[a-z0-9]+)*/\d+/(?:template\.docx|manifest\.yaml|validation\.json|retired\.json)"
)
BATCH = 1000
CHUNK = 1 << 20

Progress = Callable[[str], None]


def quiet(_line: str) -> None:
    """A Progress that reports nothing."""


def backed_up_tables() -> list:
    """The tables a backup holds, parents before children."""
    return [table for table in db.Base.metadata.sorted_tables if table.name not in DERIVED_TABLES]


def tables_at(connection: Connection, revision: str | None, order: dict | None = None) -> list:
    """The tables a backup holds as this database has them, parents before children: the
    models' at the newest revision, else read from the database itself, each table's columns
    in the order `order` (an archive's manifest "tables") gives where it names the same ones."""
    if revision == head_revision():
        return backed_up_tables()
    found = MetaData()
    found.reflect(connection)
    skipped = (*DERIVED_TABLES, "alembic_version")
    return [
        _in_order(table, (order or {}).get(table.name, {}).get("columns"))
        for table in found.sorted_tables
        if table.name not in skipped
    ]


def _in_order(table: Table, names: list | None) -> Table:
    """`table` with its columns in the order of `names`, when they are its columns."""
    if not names or sorted(names) != sorted(table.columns.keys()):
        return table
    columns = [table.columns[name] for name in names]
    return Table(
        table.name,
        MetaData(),
        *(Column(column.name, column.type, primary_key=column.primary_key) for column in columns),
    )


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
