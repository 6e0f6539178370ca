"""From an uploaded file to a stored regulation: propose its metadata, resolve its citations,
keep the file, and link what it cites. Also the short-lived staging behind "extract first,
save later"."""

import functools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from ..core import audit, db
from ..core.errors import Invalid
from ..core.storage import file_store
from .citation_lint import lint_document
from .citations import region_named, region_spelled_like, resolve
from .files import PDF, Upload, read_upload
from .forms import FORMS, NATIONAL
from .models import Regulation
from .reading import ABSENT, FIELDS, INFERRED, READ, Citation, read_document
from .regulations import create_regulation
from .relations import add_relation, find_relation

HANDLE = re.compile(r"[0-9a-f]{64}")
STAGING_HOURS = 24
NATIONAL_FORMS = {code for code, form in FORMS.items() if form.scope == NATIONAL}


@dataclass
class Proposed:
    """What a file proposes: metadata, citations resolved against the corpus, and how sure the
    reading is of each field (`read`, `inferred`, `absent`, with a note on why)."""

    proposal: dict
    citations: list[Citation]
    confidence: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def uncertain(self) -> dict[str, str]:
        """Fields not read as written: field -> confidence."""
        return {name: how for name, how in self.confidence.items() if how != READ}


def read_proposal(upload: Upload) -> Proposed:
    """Read a file's text: proposed metadata, resolved citations and the reader's confidence."""
    reading = read_document(upload.text)
    proposed = Proposed(
        dict(reading.proposal),
        resolve_citations(reading.citations),
        {name: reading.confidence.get(name, ABSENT) for name in FIELDS},
        dict(reading.notes),
    )
    if reading.proposal.get("form") in NATIONAL_FORMS:
        proposed.confidence["region_code"] = READ
    elif reading.region_hints:
        _propose_region(proposed, reading.region_hints)
    return proposed


def _propose_region(proposed: Proposed, hints: list[tuple[str, str]]) -> None:
    """The first hint the registry knows (read), else the nearest spelling (inferred)."""
    for level, name in hints:
        region = region_named(level, name)
        if region is not None:
            proposed.proposal["region_code"] = region.code
            proposed.confidence["region_code"] = READ
            return
    for level, name in hints:
        region = region_spelled_like(level, name)
        if region is not None:
            proposed.proposal["region_code"] = region.code
            proposed.confidence["region_code"] = INFERRED
            proposed.notes["region_code"] = (
                f"Wilayah ditulis '{name}'; dibaca sebagai {region.name}."
            )
            return
    proposed.notes["region_code"] = f"Wilayah '{hints[0][1]}' tidak ditemukan dalam daftar wilayah."


def propose(upload: Upload) -> tuple[dict, list[Citation]]:
    """Metadata proposed from the file's text, and its citations resolved against the corpus."""
    proposed = read_proposal(upload)
    return proposed.proposal, proposed.citations


def resolve_citations(citations: list[Citation]) -> list[Citation]:
    """Set `regulation_id` on every citation that names a live regulation of the corpus."""
    for citation in citations:
        target = resolve(citation)
        citation.regulation_id = target.id if target is not None else None
    return citations


def merge_proposal(explicit: dict, proposal: dict) -> dict:
    """Explicit metadata wins; the proposal fills only what the uploader left empty."""
    given = {key: value for key, value in explicit.items() if value not in (None, "", [])}
    return {**proposal, **given}


def save_regulation(
    explicit: dict,
    upload: Upload | None,
    actor: audit.Actor,
    check_scope: Callable[[dict], None],
    proposed: Proposed | None = None,
    read_scan: bool = True,
) -> Regulation:
    """Store a regulation from explicit metadata and, when given, its file: the proposal read
    from the file (`proposed`, when the caller read it already) fills the gaps, `check_scope`
    vets the result, citations become relations. A scan waiting for OCR is read once the work
    commits, unless `read_scan=False` (it waits for `legalbase corpus ocr`)."""
    if proposed is not None:
        proposal, citations = proposed.proposal, proposed.citations
    else:
        proposal, citations = propose(upload) if upload else ({}, [])
    metadata = merge_proposal(explicit, proposal)
    check_scope(metadata)
    regulation = create_regulation(metadata, actor)
    if upload is not None:
        attach_file(regulation, upload)
        link_citations(regulation, citations, actor)
        lint_text(regulation)
    if read_scan and regulation.text_status == "pending_ocr":
        _read_scan_after_commit(regulation.id)
    return regulation


def _read_scan_after_commit(regulation_id: int) -> None:
    from .ocr import schedule_ocr

    db.after_commit(functools.partial(schedule_ocr, regulation_id), key=("ocr", regulation_id))


def lint_text(regulation: Regulation) -> None:
    """Check the Mengingat read from the regulation's text; the findings stay on the record."""
    as_of = regulation.enacted_on or regulation.in_force_from
    regulation.lint = lint_document(regulation.text, regulation.title, as_of)


def attach_file(regulation: Regulation, upload: Upload) -> None:
    """Keep the file (content-addressed) and its text on the regulation."""
    file_store().put(db.session, upload.content)
    regulation.file_sha256 = upload.sha256
    regulation.file_media_type = upload.media_type
    regulation.file_size = len(upload.content)
    regulation.text = upload.text
    regulation.text_status = upload.text_status
    if upload.text_status == "no_text_layer" and upload.media_type == PDF and _ocr_wanted():
        regulation.text_status = "pending_ocr"


def _ocr_wanted() -> bool:
    from .ocr import ocr_available

    return current_app.config["OCR_MODE"] != "off" and ocr_available()


def link_citations(regulation: Regulation, citations: list[Citation], actor: audit.Actor) -> None:
    """A `cites` relation to every resolved citation; the rest listed as unresolved."""
    unresolved = []
    for citation in citations:
        target = db.session.get(Regulation, citation.regulation_id or 0)
        if target is None:
            unresolved.append(citation.text)
        elif target.id != regulation.id and find_relation(regulation, "cites", target) is None:
            add_relation(regulation, "cites", target, actor)
    regulation.unresolved_citations = unresolved


def stage(upload: Upload) -> str:
    """Keep an upload for a day, so it can be saved after the officer checks the proposal."""
    folder = _staging()
    _prune(folder)
    (folder / upload.sha256).write_bytes(upload.content)
    return upload.sha256


def take_staged(handle: object) -> Upload:
    """The staged upload behind `handle`, or Invalid when unknown or expired."""
    path = _staging() / str(handle)
    if not isinstance(handle, str) or not HANDLE.fullmatch(handle) or not path.exists():
        raise Invalid(
            "Berkas sementara tidak ditemukan atau sudah kedaluwarsa; unggah ulang.",
            {"fields": {"file_handle": ["Tidak dikenal atau kedaluwarsa."]}},
        )
    return read_upload(path.read_bytes())


def _staging() -> Path:
    folder = Path(current_app.instance_path) / "staging"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _prune(folder: Path) -> None:
    cutoff = time.time() - STAGING_HOURS * 3600
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
