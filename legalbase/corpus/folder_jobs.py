"""A folder import as a job: a ZIP of documents (PDF, DOCX, TXT, MD at any depth) checked when
it arrives, stored content-addressed, and imported later by the "import_folder" job through
`folder_import.import_folder`, which writes one report row per file. The job's result is a ZIP
with `report.csv` and `summary.json`.

The archive is checked before anything is queued: a ZIP at all, readable, no entry escaping
its folder (`..`, an absolute path, a backslash, a drive letter), no encrypted or unknown
compression, not too many entries, and not a bomb (total unpacked size and ratio). Extraction
writes only the documents, under a temporary folder, each bounded by its declared size.
"""

import io
import json
import shutil
import tempfile
import zipfile
from collections import Counter
from pathlib import Path, PurePosixPath

from ..core import db
from ..core.audit import Actor
from ..core.errors import Invalid, UnsupportedMediaType
from ..core.storage import file_store
from ..jobs import Job, create_job, report_progress
from .files import DOCX_MAX_RATIO, UNSAFE_ENTRY
from .folder_import import ImportOptions, import_folder

KIND = "import_folder"
SUFFIXES = (".pdf", ".docx", ".txt", ".md")  # as folder_import.find_documents takes them
ARCHIVE_MAX_ENTRIES = 5000
ARCHIVE_MAX_UNPACKED = 512 * 1024 * 1024
ARCHIVE_MAX_RATIO = DOCX_MAX_RATIO
MAX_NAME_BYTES = 255  # of one path segment, as file systems allow
COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
SHOWN = 10
CHUNK = 1 << 20


# --- queueing -------------------------------------------------------------------------------


def start_folder_import(
    content: bytes,
    form: str | None,
    region_code: str | None,
    dry_run: bool,
    actor: Actor,
    names: str | None = None,
) -> Job:
    """Check the archive and the options, store the archive and queue the import (run once the
    work commits): UnsupportedMediaType when not a ZIP, Invalid when refused."""
    check_archive(content)
    ImportOptions(form, region_code, dry_run, names).check()
    sha256 = file_store().put(db.session, content)
    params = {
        "archive_sha256": sha256,
        "form": form,
        "region": region_code,
        "dry_run": dry_run,
        "actor": actor.label,
        "names": names,
    }
    return create_job(KIND, params, actor)


def check_archive(content: bytes) -> list[zipfile.ZipInfo]:
    """The documents of an uploaded ZIP, after every check of the archive as a whole."""
    refuse_not_zip(content)
    entries = _entries(content)
    _refuse_bomb(entries, len(content))
    _refuse_unsafe_names(entries)
    _refuse_unreadable(entries)
    documents = [entry for entry in entries if is_document(entry)]
    if not documents:
        raise Invalid(
            "Arsip tidak memuat berkas PDF, DOCX, TXT, atau MD.",
            {"fields": {"archive": ["Tidak ada dokumen di dalam arsip."]}},
        )
    return documents


def refuse_not_zip(content: bytes) -> None:
    """UnsupportedMediaType (415) unless the bytes begin as a ZIP archive does."""
    if not content.startswith(ZIP_MAGIC):
        raise UnsupportedMediaType("Arsip harus berupa berkas ZIP.", {"accepted": ["zip"]})


def _entries(content: bytes) -> list[zipfile.ZipInfo]:
    try:
        return zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        raise Invalid(
            "Arsip ZIP rusak: daftar isinya tidak dapat dibaca.",
            {"fields": {"archive": ["Arsip ZIP rusak."]}},
        ) from None


def _refuse_bomb(entries: list[zipfile.ZipInfo], size: int) -> None:
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > ARCHIVE_MAX_ENTRIES:
        raise Invalid(
            f"Arsip memuat {len(entries)} entri; paling banyak "
            f"{ARCHIVE_MAX_ENTRIES}. Bagi menjadi beberapa arsip.",
            {"entries": len(entries), "limit": ARCHIVE_MAX_ENTRIES},
        )
    if unpacked > ARCHIVE_MAX_UNPACKED or unpacked > ARCHIVE_MAX_RATIO * max(size, 1):
        raise Invalid(
            "Arsip tidak wajar: ukuran setelah dibuka terlalu besar (kemungkinan bom zip).",
            {
                "unpacked_bytes": unpacked,
                "limit": ARCHIVE_MAX_UNPACKED,
                "ratio_limit": ARCHIVE_MAX_RATIO,
            },
        )


def _refuse_unsafe_names(entries: list[zipfile.ZipInfo]) -> None:
    names = [entry.filename for entry in entries]
    unsafe = sorted({name for name in names if not is_safe_name(name)})
    if unsafe:
        raise Invalid(
            "Arsip berisi jalur yang tidak sah (.., jalur absolut, garis miring "
            "terbalik, atau nama terlalu panjang).",
            {"entries": unsafe[:SHOWN]},
        )
    files = Counter(name for name in names if not name.endswith("/"))
    folders = {str(parent) for name in names for parent in PurePosixPath(name).parents}
    clashes = sorted(name for name, count in files.items() if count > 1 or name in folders)
    if clashes:
        raise Invalid(
            "Arsip memuat nama berkas ganda atau berkas yang bernama sama dengan folder.",
            {"entries": clashes[:SHOWN]},
        )


def is_safe_name(name: str) -> bool:
    """Whether an entry's name stays inside the folder it is extracted to."""
    parts = name.rstrip("/").split("/")
    return (
        bool(name)
        and not UNSAFE_ENTRY.search(name)
        and "\x00" not in name
        and all(
            part not in ("", ".") and len(part.encode("utf-8")) <= MAX_NAME_BYTES for part in parts
        )
    )


def _refuse_unreadable(entries: list[zipfile.ZipInfo]) -> None:
    locked = sorted(
        entry.filename
        for entry in entries
        if entry.flag_bits & 0x1 or entry.compress_type not in COMPRESSIONS
    )
    if locked:
        raise Invalid(
            "Arsip memuat entri terenkripsi atau dengan kompresi yang tidak didukung.",
            {"entries": locked[:SHOWN]},
        )


def is_document(entry: zipfile.ZipInfo) -> bool:
    """A file the import takes: a known suffix, and not macOS's metadata (`__MACOSX/`, `._x`)."""
    path = PurePosixPath(entry.filename)
    return (
        not entry.is_dir()
        and path.suffix.lower() in SUFFIXES
        and path.parts[0] != "__MACOSX"
        and not path.name.startswith("._")
    )


# --- running --------------------------------------------------------------------------------


def run_folder_import(job: Job) -> None:
    """The "import_folder" job: extract the stored archive and import its documents, one unit
    of work per file; the result is a ZIP with report.csv and summary.json."""
    params = job.params
    content = file_store().get(params["archive_sha256"])
    options = ImportOptions(
        form=params.get("form"),
        region_code=params.get("region"),
        dry_run=bool(params.get("dry_run")),
        names=params.get("names"),
        actor=_importer(job),
    )
    job.status, job.total, job.progress = "running", len(check_archive(content)), 0
    db.session.commit()  # import_folder commits each file: nothing may wait uncommitted
    folder = Path(tempfile.mkdtemp(prefix="legalbase-import-"))
    try:
        extract_documents(content, folder)
        report = import_folder(folder, options, lambda done, total: _record(job, done, total))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    job.result_sha256 = file_store().put(db.session, result_archive(report, job))
    job.progress = job.total


def _importer(job: Job) -> Actor:
    """The admin who started the job, as the audit log names the records it creates."""
    return Actor(job.params.get("actor") or "impor folder", job.created_by_id)


def _record(job: Job, done: int, total: int) -> None:
    job.progress, job.total = done, total
    db.session.commit()
    report_progress()


def extract_documents(content: bytes, folder: Path) -> None:
    """Write the archive's documents under `folder`, each no larger than its declared size
    (which check_archive bounded); Invalid naming an entry that cannot be read."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for entry in check_archive(content):
            target = folder.joinpath(*PurePosixPath(entry.filename).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            _extract(archive, entry, target)


def _extract(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path) -> None:
    try:
        with archive.open(entry) as source, open(target, "wb") as out:
            while chunk := source.read(CHUNK):
                out.write(chunk)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError) as exc:
        raise Invalid(
            f"Entri arsip '{entry.filename}' tidak dapat dibuka: {exc}.", {"entry": entry.filename}
        ) from None


def result_archive(report, job: Job) -> bytes:
    """The job's result: report.csv (one row per file) and summary.json, dated by the job."""
    summary = {
        **report.summary(),
        "dry_run": bool(job.params.get("dry_run")),
        "archive_sha256": job.params["archive_sha256"],
    }
    moment = job.created_at.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("report.csv", report.csv()),
            ("summary.json", json.dumps(summary, ensure_ascii=False, indent=2)),
        ):
            archive.writestr(
                zipfile.ZipInfo(name, moment), text.encode("utf-8"), zipfile.ZIP_DEFLATED
            )
    return out.getvalue()
