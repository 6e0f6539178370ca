"""`legalbase check`: whether this instance is whole. Every stored file a record references
exists and hashes to its name; every reference between records finds its row, and no regulation
amends or revokes itself, directly or through a chain; the search index equals the database; and
no stored file is an orphan (referenced by no record: what a worker killed between writing a file
and committing its record leaves). `--repair` deletes the orphans.

A file is only taken for an orphan once it is ORPHAN_GRACE_SECONDS old: a request in flight may
have written its file and not yet committed the record that references it."""

import hashlib
import json
import re
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import click
from sqlalchemy import and_, select
from sqlalchemy.engine import Connection

from ..core import db
from ..core.errors import Unavailable
from ..core.storage import file_store
from ..corpus.models import Regulation, Relation
from ..drafting.models import DraftVersion
from ..jobs.models import Job, stored_inputs
from ..search import backend

# Every column naming a stored file by its sha256.
FILE_COLUMNS = (
    Regulation.file_sha256,
    DraftVersion.docx_sha256,
    DraftVersion.pdf_sha256,
    Job.result_sha256,
)
RECORD_NAMES = {"regulations": "peraturan", "draft_versions": "versi draf", "jobs": "pekerjaan"}
SHA256 = re.compile(r"[0-9a-f]{64}")
CHAIN_KINDS = ("amends", "revokes")
CHUNK = 1 << 20
SHOWN = 10
# How old an unreferenced stored file must be to count as an orphan (`--grace-seconds`).
ORPHAN_GRACE_SECONDS = 3600


@dataclass
class InstanceCheck:
    """What `legalbase check` found; `problems` counts what is wrong."""

    files: int = 0
    missing_files: dict = field(default_factory=dict)
    corrupted_files: dict = field(default_factory=dict)
    dangling: list = field(default_factory=list)
    cycles: dict = field(default_factory=dict)
    index: dict = field(default_factory=dict)
    orphan_files: list = field(default_factory=list)  # paths under the store, sorted
    repaired: int = 0  # orphans deleted (by --repair); no longer counted as problems

    @property
    def problems(self) -> int:
        index = self.index
        return (
            len(self.missing_files)
            + len(self.corrupted_files)
            + len(self.dangling)
            + sum(len(cycles) for cycles in self.cycles.values())
            + (0 if index.get("built") else 1)
            + len(index.get("missing", ()))
            + len(index.get("extra", ()))
            + len(index.get("stale", ()))
            + len(self.orphan_files)
            - self.repaired
        )


def check_instance(
    grace_seconds: float = ORPHAN_GRACE_SECONDS, repair: bool = False
) -> InstanceCheck:
    """Check files, references between records and the search index of this instance; with
    `repair`, delete the orphan files (those unreferenced and at least `grace_seconds` old)."""
    connection = db.session.connection()
    owners = referenced_files(connection)
    report = InstanceCheck(
        files=len(owners),
        dangling=dangling_references(connection),
        cycles=relation_cycles(connection),
        index=index_state(),
    )
    db.session.rollback()  # end the reading (on SQLite it holds the write lock) before hashing
    report.missing_files, report.corrupted_files = file_problems(owners)
    orphans = orphan_files(set(owners), grace_seconds)
    report.orphan_files = [str(path.relative_to(file_store().root)) for path in orphans]
    if repair and orphans:
        report.repaired = remove_orphans(orphans)
    return report


def orphan_files(referenced: set[str], grace_seconds: float) -> list[Path]:
    """Every regular file under the store that no record references (a stored file, or a
    temporary one a killed writer left), last modified at least `grace_seconds` ago."""
    store = file_store()
    if not store.root.is_dir():
        return []
    oldest = time.time() - grace_seconds
    found = []
    for path in sorted(store.root.rglob("*")):
        if path.name in referenced and path == store.path_of(path.name):
            continue
        try:
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime <= oldest:
                found.append(path)
        except FileNotFoundError:  # removed meanwhile (a failed request's rollback)
            continue
    return found


def remove_orphans(orphans: list[Path]) -> int:
    """Delete `orphans`, except any a record has come to reference since they were found (an
    upload of the same bytes reuses a stored file); how many were deleted."""
    referenced = set(referenced_files(db.session.connection()))
    db.session.rollback()
    removed = 0
    for path in orphans:
        if path.name in referenced:
            continue
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed += 1
    return removed


def referenced_files(connection: Connection) -> dict[str, list[str]]:
    """Every stored file the records reference: its sha256 and the records ("peraturan 12")."""
    owners = defaultdict(list)
    for column in FILE_COLUMNS:
        table = column.table
        key = table.primary_key.columns[0]
        query = select(key, column).where(column.is_not(None)).order_by(key)
        for record_id, sha256 in connection.execute(query):
            owners[sha256].append(f"{RECORD_NAMES[table.name]} {record_id}")
    for job_id, params in connection.execute(select(Job.id, Job.params).order_by(Job.id)):
        for sha256 in stored_inputs(params):  # what a job reads, e.g. an uploaded archive
            owners[sha256].append(f"{RECORD_NAMES['jobs']} {job_id}")
    return dict(owners)


def file_problems(owners: dict[str, list[str]]) -> tuple[dict, dict]:
    """The referenced files that are missing from the store, and those whose bytes no longer
    hash to their name."""
    store = file_store()
    missing, corrupted = {}, {}
    for sha256, records in sorted(owners.items()):
        path = store.path_of(sha256) if SHA256.fullmatch(sha256) else None
        if path is None or not path.is_file():
            missing[sha256] = records
        elif file_sha256(path) != sha256:
            corrupted[sha256] = records
    return missing, corrupted


def file_sha256(path) -> str:
    """The sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def dangling_references(connection: Connection) -> list[dict]:
    """Every foreign key whose row is missing (the database enforces them; a damaged or
    hand-edited one may not): the column, what it refers to, how many rows, a few keys."""
    found = []
    for table in db.Base.metadata.sorted_tables:
        for constraint in table.foreign_key_constraints:
            parent = constraint.referred_table.alias("parent")
            pairs = [
                (element.parent, parent.c[element.column.name]) for element in constraint.elements
            ]
            query = (
                select(*table.primary_key.columns)
                .select_from(table.outerjoin(parent, and_(*(c == p for c, p in pairs))))
                .where(*(c.is_not(None) for c, _ in pairs), pairs[0][1].is_(None))
            )
            keys = [list(row) if len(row) > 1 else row[0] for row in connection.execute(query)]
            if keys:
                found.append(
                    {
                        "table": table.name,
                        "columns": [c.name for c, _ in pairs],
                        "refers_to": constraint.referred_table.name,
                        "rows": len(keys),
                        "keys": keys[:SHOWN],
                    }
                )
    return found


def relation_cycles(connection: Connection) -> dict[str, list[list[int]]]:
    """Per kind (amends, revokes), the chains by which a regulation reaches itself."""
    edges = {kind: defaultdict(set) for kind in CHAIN_KINDS}
    query = select(Relation.kind, Relation.source_id, Relation.target_id).where(
        Relation.kind.in_(CHAIN_KINDS)
    )
    for kind, source, target in connection.execute(query):
        edges[kind][source].add(target)
    return {kind: cycles for kind in CHAIN_KINDS if (cycles := _cycles(edges[kind]))}


def _cycles(edges: dict[int, set[int]]) -> list[list[int]]:
    """The cycles a depth-first walk meets, each as the path back to where it started."""
    state, cycles = {}, []
    for start in sorted(edges):
        if start in state:
            continue
        state[start], path = "open", [start]
        stack = [iter(sorted(edges[start]))]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                state[path.pop()] = "done"
                stack.pop()
            elif state.get(child) == "open":
                cycles.append(path[path.index(child) :] + [child])
            elif child not in state:
                state[child] = "open"
                path.append(child)
                stack.append(iter(sorted(edges.get(child, ()))))
    return cycles


def index_state() -> dict:
    """The search index against the live database (`search check`, either backend); built
    False, with the reason, when it cannot be searched."""
    try:
        return {"built": True, **backend().check()}
    except Unavailable as exc:
        return {"built": False, "reason": exc.message}


# --- the command ----------------------------------------------------------------------------


@click.command(
    "check",
    help="Periksa keutuhan instans: hash setiap berkas tersimpan, rujukan "
    "antarrekaman dan relasi, serta indeks pencarian terhadap basis "
    "data. Keluar dengan status 1 bila ada masalah.",
)
@click.option("--json", "as_json", is_flag=True, help="Cetak laporan sebagai JSON.")
@click.option(
    "--grace-seconds",
    type=click.FloatRange(min=0),
    default=ORPHAN_GRACE_SECONDS,
    show_default=True,
    help="Umur minimum (detik) berkas tanpa rujukan sebelum dianggap yatim; berkas "
    "yang lebih muda mungkin milik permintaan yang belum selesai.",
)
@click.option(
    "--repair",
    is_flag=True,
    help="Hapus berkas yatim (tidak dirujuk rekaman mana pun) dari penyimpanan.",
)
def check_command(as_json, grace_seconds, repair):
    """Report what is wrong with this instance (exit 1 when anything is); `--repair` deletes
    the orphan files."""
    report = check_instance(grace_seconds, repair)
    if as_json:
        click.echo(json.dumps({**asdict(report), "problems": report.problems}, ensure_ascii=False))
    else:
        for line in report_lines(report):
            click.echo(line)
    if report.problems:
        raise SystemExit(1)


def report_lines(report: InstanceCheck) -> list[str]:
    """The check's report in Indonesian, one finding a line."""
    lines = [
        f"Berkas tersimpan: {report.files} dirujuk; {len(report.missing_files)} hilang; "
        f"{len(report.corrupted_files)} rusak (hash tidak cocok)."
    ]
    lines += _file_lines("hilang", report.missing_files)
    lines += _file_lines("rusak", report.corrupted_files)
    lines += _orphan_lines(report)
    cycles = sum(len(found) for found in report.cycles.values())
    lines.append(
        f"Rujukan antarrekaman: {len(report.dangling)} rujukan putus; {cycles} rantai "
        "perubahan/pencabutan yang kembali ke dirinya sendiri."
    )
    for item in report.dangling:
        lines.append(
            f"  putus: {item['table']}.{','.join(item['columns'])} -> "
            f"{item['refers_to']}: {item['rows']} baris (kunci {item['keys']})"
        )
    for kind, found in report.cycles.items():
        verb = {"amends": "mengubah", "revokes": "mencabut"}[kind]
        for cycle in found[:SHOWN]:
            lines.append(
                f"  {verb} dirinya sendiri: peraturan " + " -> ".join(str(key) for key in cycle)
            )
    lines += _index_lines(report.index)
    lines.append(
        "Instans utuh." if not report.problems else f"Ditemukan {report.problems} masalah."
    )
    return lines


def _file_lines(label: str, files: dict) -> list[str]:
    return [
        f"  {label}: {sha256} ({', '.join(records)})"
        for sha256, records in list(files.items())[:SHOWN]
    ]


def _orphan_lines(report: InstanceCheck) -> list[str]:
    orphans = report.orphan_files
    lines = [f"Berkas yatim (tidak dirujuk rekaman mana pun): {len(orphans)}."]
    lines += [f"  yatim: {name}" for name in orphans[:SHOWN]]
    if report.repaired:
        lines.append(f"  {report.repaired} berkas yatim dihapus.")
    return lines


def _index_lines(index: dict) -> list[str]:
    if not index.get("built"):
        return [f"Indeks pencarian tidak dapat diperiksa: {index['reason']}"]
    lines = [
        f"Indeks pencarian: {index['indexed']} terindeks, {index['expected']} di basis "
        f"data; {len(index['missing'])} tidak ada di indeks, {len(index['extra'])} "
        f"berlebih, {len(index['stale'])} usang."
    ]
    for key, label in (
        ("missing", "tidak ada di indeks"),
        ("extra", "berlebih di indeks"),
        ("stale", "usang di indeks"),
    ):
        if index[key]:
            lines.append(f"  {label}: peraturan {index[key][:20]}")
    return lines
