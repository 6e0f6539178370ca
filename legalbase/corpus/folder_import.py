"""A whole folder of documents into the corpus, through the upload pipeline: each file is typed
and read (`read_upload`), its metadata proposed (`read_proposal`), the caller's form and region
laid over the proposal (explicit wins), and the result stored by `save_regulation`, with one
report row per file.

Statuses: `created` (stored, every field read as written), `needs_review` (stored, but some
field was not read as written: the row names them, the reason gives the reader's notes),
`unchanged` (a live regulation already holds the same file: nothing written), `refused` (not
stored: the reason says why, in Indonesian).

Unlike the rest of the corpus room, `import_folder` owns its units of work: it commits each file
on its own, or rolls it back (its stored file removed with it) when it fails; no lock is held
while a bounded worker reads a PDF or DOCX (`limits.run_bounded` ends the transaction first).
Scans wait for `legalbase corpus ocr`. Index changes wait in the search outbox for the caller
to apply (the CLI does it in batches); a run interrupted anywhere leaves whole files only, and
running it again resumes, since what is stored already is `unchanged`.
"""

import csv
import hashlib
import io
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import exc as sa_exc
from sqlalchemy import select

from ..core import db
from ..core.audit import Actor
from ..core.errors import Conflict, DomainError, Invalid
from ..regions.registry import find_region
from .files import Upload, read_upload
from .forms import FORMS, NATIONAL, scope_admits
from .models import Regulation
from .path_names import compile_pattern, names_from_path
from .reading import INFERRED
from .uploads import Proposed, merge_proposal, read_proposal, save_regulation

log = logging.getLogger(__name__)

SUFFIXES = (".pdf", ".docx", ".txt", ".md")
ACTOR_LABEL = "corpus import-folder"
CREATED, NEEDS_REVIEW, UNCHANGED, REFUSED = "created", "needs_review", "unchanged", "refused"
STATUSES = (CREATED, NEEDS_REVIEW, UNCHANGED, REFUSED)
COLUMNS = (
    "path",
    "sha256",
    "status",
    "regulation_id",
    "form",
    "region_code",
    "number",
    "year",
    "title",
    "uncertain",
    "lint",
    "duplicate_of",
    "reason",
)
RECORD_FIELDS = ("form", "region_code", "number", "year", "title")
REQUIRED = ("form", "number", "year", "title")
FIELD_LABELS = {
    "form": "jenis",
    "region_code": "wilayah",
    "number": "nomor",
    "year": "tahun",
    "title": "judul",
    "place_of_enactment": "tempat penetapan",
    "enacted_on": "tanggal penetapan",
    "promulgated_on": "tanggal pengundangan",
}


@dataclass
class ImportOptions:
    """What the caller says of every file (wins over what is read), and whether to write."""

    form: str | None = None
    region_code: str | None = None
    dry_run: bool = False
    names: str | None = None  # the folder's naming, e.g. "{form}/{year}/{number}"
    actor: Actor | None = None  # who imports (the audit log names them); None: the command

    def explicit(self) -> dict:
        """The metadata given explicitly, as `merge_proposal` takes it."""
        return {"form": self.form, "region_code": self.region_code}

    def check(self) -> None:
        """Invalid, naming each field, unless the form and region are known and fit each other
        and the naming pattern names known fields."""
        problems = {}
        if self.form is not None and self.form not in FORMS:
            problems["form"] = [
                f"Jenis '{self.form}' tidak dikenal; pilih dari: {', '.join(FORMS)}."
            ]
        region = find_region(self.region_code) if self.region_code else None
        if self.region_code and region is None:
            problems["region"] = [f"Kode wilayah '{self.region_code}' tidak dikenal."]
        if problems:
            raise Invalid(
                " ".join(problem[0] for problem in problems.values()), {"fields": problems}
            )
        chosen = FORMS.get(self.form)
        if (
            chosen is not None
            and (region or chosen.scope == NATIONAL)
            and not scope_admits(chosen.scope, region.level if region else None)
        ):
            raise Invalid(
                f"Jenis '{self.form}' tidak cocok dengan wilayah "
                f"'{self.region_code or 'nasional'}'.",
                {
                    "fields": {
                        "form": ["Tidak cocok dengan wilayah."],
                        "region": ["Tidak cocok dengan jenis."],
                    }
                },
            )
        if self.names:
            compile_pattern(self.names)

    def stated_by(self, relative: str) -> dict:
        """What the file's path says under `names` (empty without a pattern)."""
        return names_from_path(relative, compile_pattern(self.names)) if self.names else {}


@dataclass
class ImportReport:
    """One row per file (COLUMNS), in the order the files were taken."""

    rows: list[dict] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> dict:
        """How many files ended in each status, plus `stored` and `total`."""
        counts = {status: 0 for status in STATUSES}
        for row in self.rows:
            counts[row["status"]] += 1
        stored = counts[CREATED] + counts[NEEDS_REVIEW]
        return {**counts, "stored": stored, "total": len(self.rows)}

    def csv(self) -> str:
        """The rows as CSV, with a header line."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(self.rows)
        return out.getvalue()


class Refusal(Exception):
    """A file that is not stored, and why (Indonesian)."""

    def __init__(self, reason: str, duplicate_of: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.duplicate_of = duplicate_of


@dataclass
class _Run:
    options: ImportOptions
    actor: Actor
    seen: dict[str, str] = field(default_factory=dict)  # sha256 -> path (dry run only)


def find_documents(root: Path) -> list[Path]:
    """Every PDF, DOCX, TXT and MD file under `root` (any depth, any case of extension),
    sorted by path; symbolic links, to files or folders, are not followed."""
    found = []
    for folder, _dirs, names in os.walk(root, followlinks=False):
        for name in names:
            path = Path(folder) / name
            if path.suffix.lower() in SUFFIXES and not path.is_symlink() and path.is_file():
                found.append(path)
    return sorted(found, key=lambda path: path.relative_to(root).as_posix())


def import_folder(
    root: Path, options: ImportOptions, on_file: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Import every document under `root`. This function owns its units of work, one per file:
    committed when stored, rolled back when refused or on a dry run, so callers must hold
    nothing uncommitted; index changes are left in the outbox for the caller to apply.
    `on_file(done, total)` is called after each file (its own unit already ended)."""
    root = Path(root)
    paths = find_documents(root)
    run = _Run(options, options.actor or Actor.system(ACTOR_LABEL))
    report = ImportReport(dry_run=options.dry_run)
    for done, path in enumerate(paths, start=1):
        report.rows.append(import_file(root, path, run))
        if on_file is not None:
            on_file(done, len(paths))
    return report


def import_file(root: Path, path: Path, run: _Run) -> dict:
    """One file: stored and committed, found unchanged, or refused and rolled back."""
    row = dict.fromkeys(COLUMNS, "")
    row["path"] = path.relative_to(root).as_posix()
    try:
        _import(path, row, run)
    except Refusal as refusal:
        _refuse(row, refusal.reason, refusal.duplicate_of)
    except DomainError as error:
        _refuse(row, *_domain_reason(error))
    except OSError as error:
        _refuse(row, f"Berkas tidak dapat dibuka: {error.strerror or error}.")
    except (sa_exc.OperationalError, sa_exc.InterfaceError):
        db.session.rollback()
        raise  # the database is unreachable or locked: no later file would fare better
    except Exception as error:  # a bug on one odd file must not stop the other files
        log.exception("import-folder: unexpected error on %s", path)
        _refuse(row, f"Galat tak terduga saat memproses berkas ini: {type(error).__name__}.")
    except BaseException:
        db.session.rollback()  # interrupted: this file leaves nothing
        raise
    return row


def _refuse(row: dict, reason: str, duplicate_of: int | None = None) -> None:
    db.session.rollback()
    row.update(status=REFUSED, regulation_id="", reason=reason, duplicate_of=duplicate_of or "")


def _import(path: Path, row: dict, run: _Run) -> None:
    content = read_file(path)
    row["sha256"] = hashlib.sha256(content).hexdigest()
    if _unchanged(row, run):
        return
    upload = read_upload(content)
    proposed = read_proposal(upload)
    stated = run.options.stated_by(row["path"])
    explicit = {**stated, **{key: value for key, value in run.options.explicit().items() if value}}
    metadata = merge_proposal(explicit, proposed.proposal)
    _fill(row, metadata)
    _refuse_missing(metadata, proposed, upload)
    _store(row, upload, proposed, metadata, run, _disagreements(stated, proposed))


def read_file(path: Path) -> bytes:
    """The file's bytes, or Refusal when it exceeds MAX_UPLOAD_BYTES."""
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    size = path.stat().st_size
    if size > limit:
        raise Refusal(
            f"Berkas berukuran {_mebibytes(size)} MiB, melebihi batas unggah "
            f"{_mebibytes(limit)} MiB."
        )
    return path.read_bytes()


def _mebibytes(size: int) -> str:
    return f"{size / 2**20:.1f}".replace(".", ",")


def _unchanged(row: dict, run: _Run) -> bool:
    """Whether a live regulation (or, on a dry run, an earlier file) has this file already."""
    stored = live_with_file(row["sha256"])
    if stored is not None:
        _fill(row, stored._asdict())
        row.update(
            status=UNCHANGED,
            regulation_id=stored.id,
            lint=lint_codes(stored.lint),
            reason=f"Berkas yang sama sudah tersimpan sebagai peraturan id {stored.id}.",
        )
        return True
    earlier = run.seen.get(row["sha256"])
    if earlier is not None:
        row.update(status=UNCHANGED, reason=f"Berkas yang sama dengan {earlier} (uji coba).")
        return True
    return False


def live_with_file(sha256: str):
    """The first live regulation whose stored file has this sha256 (id, lint and RECORD_FIELDS
    as a row), or None."""
    columns = [getattr(Regulation, name) for name in ("id", "lint", *RECORD_FIELDS)]
    query = (
        select(*columns)
        .where(Regulation.file_sha256 == sha256, Regulation.withdrawn_at.is_(None))
        .order_by(Regulation.id)
        .limit(1)
    )
    return db.session.execute(query).first()


def _fill(row: dict, metadata: dict) -> None:
    for name in RECORD_FIELDS:
        value = metadata.get(name)
        row[name] = "" if value is None else value


def _refuse_missing(metadata: dict, proposed: Proposed, upload: Upload) -> None:
    """Refusal naming each required field that was neither read nor given."""
    missing = [name for name in REQUIRED if metadata.get(name) in (None, "")]
    form = FORMS.get(metadata.get("form"))
    if form is not None and form.scope != NATIONAL and not metadata.get("region_code"):
        missing.append("region_code")
    if not missing:
        return
    labels = ", ".join(FIELD_LABELS[name] for name in missing)
    notes = [proposed.notes[name] for name in missing if proposed.notes.get(name)]
    hint = " " + " ".join(notes) if notes else ""
    if upload.text is None:
        hint += " Berkas tidak memuat teks (pindaian tanpa lapisan teks?)."
    elif not proposed.proposal:
        hint += " Kepala peraturan tidak dikenali dalam teksnya."
    raise Refusal(f"Kolom wajib tidak terbaca dari berkas: {labels}.{hint}")


def _uncertain(proposed: Proposed, options: ImportOptions) -> dict[str, str]:
    """Fields the reader proposed without reading them as written, unless given explicitly:
    field -> why (Indonesian)."""
    given = {name for name, value in options.explicit().items() if value}
    found = {}
    for name, how in proposed.uncertain().items():
        if name in given or proposed.proposal.get(name) in (None, ""):
            continue
        verdict = "disimpulkan" if how == INFERRED else "tidak dinyatakan terbaca oleh pembaca"
        note = proposed.notes.get(name)
        found[name] = f"{FIELD_LABELS.get(name, name)} {verdict}" + (f" ({note})" if note else "")
    return found


def _disagreements(stated: dict, proposed: Proposed) -> dict[str, str]:
    """Fields the path states otherwise than the text reads: field -> both, in Indonesian."""
    found = {}
    for name, value in stated.items():
        read = proposed.proposal.get(name)
        if read not in (None, "") and str(read).casefold() != str(value).casefold():
            found[name] = (
                f"{FIELD_LABELS.get(name, name)}: teks menyebut '{read}', nama "
                f"berkas '{value}' (dipakai nama berkas)"
            )
    return found


def _store(
    row: dict,
    upload: Upload,
    proposed: Proposed,
    metadata: dict,
    run: _Run,
    disagreements: dict[str, str],
) -> None:
    """Save the regulation with its file; commit, or roll back on a dry run."""
    uncertain = {**_uncertain(proposed, run.options), **disagreements}
    # Scans wait for `legalbase corpus ocr`: a folder may hold thousands of them.
    regulation = save_regulation(
        metadata, upload, run.actor, _admit_any_scope, proposed, read_scan=False
    )
    _fill(row, {name: getattr(regulation, name) for name in RECORD_FIELDS})
    row.update(
        status=NEEDS_REVIEW if uncertain else CREATED,
        uncertain=" ".join(uncertain),
        lint=lint_codes(regulation.lint),
        reason=_stored_reason(uncertain, run),
    )
    if run.options.dry_run:
        db.session.rollback()
        run.seen[row["sha256"]] = row["path"]
        return
    row["regulation_id"] = regulation.id
    db.session.commit()


def _admit_any_scope(_metadata: dict) -> None:
    """The command line acts as an administrator: every region is in scope."""


def _stored_reason(uncertain: dict, run: _Run) -> str:
    done = "Akan disimpan (uji coba)" if run.options.dry_run else "Disimpan"
    if not uncertain:
        return f"{done}; semua kolom terbaca dari teks."
    return f"{done}, perlu diperiksa: " + "; ".join(uncertain.values()) + "."


def lint_codes(findings: list | None) -> str:
    """The distinct codes of a record's lint findings, in order, space-separated."""
    return " ".join(dict.fromkeys(finding["code"] for finding in findings or ()))


def _domain_reason(error: DomainError) -> tuple[str, int | None]:
    """Why a domain error refused the file (Indonesian), and the duplicate's id if any."""
    if isinstance(error, Conflict) and "existing_id" in error.details:
        return _duplicate_reason(error.details["existing_id"]), error.details["existing_id"]
    if isinstance(error, Invalid) and isinstance(error.details.get("fields"), dict):
        problems = "; ".join(
            f"{FIELD_LABELS.get(name, name)}: {_messages(messages)}"
            for name, messages in error.details["fields"].items()
        )
        return f"Metadata tidak valid: {problems}", None
    return error.message, None


def _duplicate_reason(existing_id: int) -> str:
    db.session.rollback()
    other = db.session.get(Regulation, existing_id)
    holds = (
        "tanpa berkas" if other is not None and other.file_sha256 is None else "dengan berkas lain"
    )
    return (
        f"Duplikat: peraturan id {existing_id} dengan jenis, wilayah, tahun, dan nomor "
        f"yang sama sudah ada ({holds})."
    )


def _messages(messages) -> str:
    if isinstance(messages, dict):
        return "; ".join(f"{key}: {_messages(value)}" for key, value in messages.items())
    if isinstance(messages, list):
        return " ".join(str(message) for message in messages)
    return str(messages)
