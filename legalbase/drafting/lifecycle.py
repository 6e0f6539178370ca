"""A draft's life after it is made: `draf` -> `diajukan` (sent for the regional head's signature)
-> `ditetapkan`, when the signed SK is uploaded against it and stored as a regulation of the
region, with the draft's citations carried over so that coverage judges the new SK on them.

Who may: the `draft` action of the policy on the draft's region, checked by the callers (the API
and the pages) before they call in, as for every draft route.
"""

import re
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import or_, select

from ..core import audit, db
from ..core.db import utcnow
from ..core.errors import Conflict, Invalid, NotFound, PayloadTooLarge
from ..corpus.files import read_upload
from ..corpus.models import Regulation
from ..corpus.reading import title_case
from ..corpus.regulations import get_regulation
from ..corpus.relations import add_relation, find_relation
from ..corpus.uploads import Proposed, read_proposal, save_regulation
from ..coverage.progress import register_provider
from ..regions.registry import get_region
from .catalog import Template, get_template
from .context import draft_context
from .drafts import get_draft
from .models import Draft, DraftCitation

DRAFT_STATES = ("draf", "diajukan", "ditetapkan")
STATE_LABELS = {
    "draf": "Draf",
    "diajukan": "Diajukan untuk ditandatangani",
    "ditetapkan": "Ditetapkan",
}
DECREE_FORMS = {"provinsi": "kepgub", "kabupaten": "kepbup", "kota": "kepwal"}
CITES = "cites"  # the relation a regulation's Mengingat makes (corpus/uploads.py)
# What the template prints where a number or date was left blank ("[nomor belum diisi]").
PLACEHOLDER = re.compile(r"^\s*\[[^\]]*\]\s*$")


def submit_draft(draft_id: int, actor: audit.Actor) -> Draft:
    """Mark a draft sent for the regional head's signature (draf -> diajukan)."""
    draft = _locked(draft_id)
    _require_state(draft, "draf", "hanya draf berstatus 'Draf' yang dapat diajukan")
    draft.state, draft.submitted_at = "diajukan", utcnow()
    db.session.flush()
    _record(actor, "submit", draft, "draf")
    return draft


def enact_draft(
    draft_id: int,
    filename: str,
    content: bytes,
    actor: audit.Actor,
    number: str | None = None,
    signed_on: date | None = None,
) -> Regulation:
    """Store the signed SK of a submitted draft as a regulation of its region (number and date
    read from the file unless given), link it to the draft and mark the draft `ditetapkan`."""
    get_draft(draft_id)
    upload = read_upload(_checked_content(content))  # in a bounded worker: locks released
    draft = _locked(draft_id)
    _require_submitted(draft)
    proposed = read_proposal(upload)
    metadata = signed_metadata(draft, proposed, number, signed_on)
    regulation = save_regulation(metadata, upload, actor, _no_check, proposed)
    carry_citations(draft, regulation, actor)
    draft.state, draft.enacted_at, draft.regulation_id = "ditetapkan", utcnow(), regulation.id
    db.session.flush()
    _record(actor, "enact", draft, "diajukan", {"regulation_id": regulation.id, "file": filename})
    return regulation


def signed_metadata(
    draft: Draft, proposed: Proposed, number: str | None, signed_on: date | None
) -> dict:
    """The regulation's metadata: form and region from the draft, number and date as given or
    read from the signed file; Invalid names `nomor`/`tanggal` when neither says them."""
    read = proposed.proposal
    number = _given(number) or _given(read.get("number"))
    signed_on = signed_on or _read_date(read.get("enacted_on"))
    missing = _missing(number, signed_on)
    if missing:
        raise Invalid(
            "Nomor dan tanggal penetapan SK bertanda tangan diperlukan; periksa kolom yang "
            "disebutkan.",
            {"fields": missing},
        )
    return {
        "form": _decree_form(draft, read.get("form")),
        "region_code": draft.region_code,
        "number": number,
        "year": signed_on.year,
        "title": _given(read.get("title")) or _drafted_title(draft),
        "enacted_on": signed_on.isoformat(),
        "place_of_enactment": read.get("place_of_enactment") or draft.fields.get("tempat"),
    }


def carry_citations(draft: Draft, regulation: Regulation, actor: audit.Actor) -> None:
    """A `cites` relation from the regulation to every act the draft's Mengingat cites (those
    the signed file's text named are linked already)."""
    cited = select(DraftCitation.regulation_id).where(DraftCitation.draft_id == draft.id)
    for target_id in db.session.scalars(cited.order_by(DraftCitation.regulation_id)):
        target = db.session.get(Regulation, target_id)
        if target.id != regulation.id and find_relation(regulation, CITES, target) is None:
            add_relation(regulation, CITES, target, actor)


def open_draft_of(region_code: str) -> Draft | None:
    """The region's latest draft not yet enacted, or None."""
    query = (
        select(Draft)
        .where(Draft.region_code == region_code, Draft.state != "ditetapkan")
        .order_by(Draft.created_at.desc(), Draft.id.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def drafts_of_region(region_code: str) -> list[Draft]:
    """Every draft of a region, newest first."""
    query = (
        select(Draft)
        .where(Draft.region_code == region_code)
        .order_by(Draft.created_at.desc(), Draft.id.desc())
    )
    return list(db.session.scalars(query))


def enacted_regulation(draft: Draft) -> Regulation | None:
    """The regulation a draft's signed SK became, or None before it is enacted."""
    return get_regulation(draft.regulation_id) if draft.regulation_id else None


def drafts_in_progress(codes: list[str], as_of: date) -> dict[str, dict]:
    """Per region, its latest draft made by `as_of` and not enacted by then, in one query:
    the coverage provider of work in progress."""
    end = datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=UTC)
    query = (
        select(Draft.id, Draft.region_code, Draft.created_at, Draft.submitted_at)
        .where(
            Draft.region_code.in_(codes),
            Draft.created_at < end,
            or_(Draft.enacted_at.is_(None), Draft.enacted_at >= end),
        )
        .order_by(Draft.created_at, Draft.id)
    )
    return {row.region_code: _progress(row, end) for row in db.session.execute(query)}


def register_progress() -> None:
    """Let coverage count the regions with a draft not yet enacted as in progress."""
    register_provider(drafts_in_progress)


def _progress(row, end: datetime) -> dict:
    submitted = row.submitted_at is not None and _utc(row.submitted_at) < end
    state = "diajukan" if submitted else "draf"
    since = row.submitted_at if submitted else row.created_at
    return {
        "draft_id": row.id,
        "state": state,
        "state_label": STATE_LABELS[state],
        "since": since.date(),
    }


def _utc(moment: datetime) -> datetime:
    """SQLite gives back the stored UTC time without its zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _locked(draft_id: int) -> Draft:
    """The draft, its row locked until the commit (PostgreSQL): two requests moving the same
    draft take turns, and the second sees the state the first left."""
    draft = get_draft(draft_id)
    db.session.refresh(draft, with_for_update=True)
    return draft


def _require_submitted(draft: Draft) -> None:
    _require_state(
        draft, "diajukan", "ajukan draf lebih dulu sebelum mengunggah SK bertanda tangan"
    )


def _require_state(draft: Draft, wanted: str, what: str) -> None:
    if draft.state != wanted:
        raise Conflict(
            f"Draf {draft.id} berstatus '{STATE_LABELS[draft.state]}': {what}.",
            {"state": draft.state, "expected": wanted},
            code="draft_state",
        )


def _checked_content(content: bytes) -> bytes:
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if len(content) > limit:
        raise PayloadTooLarge(f"Ukuran berkas melebihi batas {limit} bita.", {"limit": limit})
    if not content:
        raise Invalid("Berkas kosong.", {"fields": {"berkas": ["Berkas kosong."]}})
    return content


def _no_check(metadata: dict) -> None:
    """The region is the draft's (the caller was checked for it)."""


def _given(value) -> str | None:
    if not isinstance(value, str) or not value.strip() or PLACEHOLDER.match(value):
        return None
    return value.strip()


def _read_date(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _missing(number: str | None, signed_on: date | None) -> dict:
    missing = {}
    if number is None:
        missing["nomor"] = ["Nomor keputusan tidak terbaca dari berkas; isikan nomornya."]
    if signed_on is None:
        missing["tanggal"] = ["Tanggal penetapan tidak terbaca dari berkas; isikan tanggalnya."]
    elif signed_on > date.today():
        missing["tanggal"] = ["Tanggal penetapan tidak boleh di masa depan."]
    return missing


def _decree_form(draft: Draft, read_form: str | None) -> str:
    """The form of the draft's template for the region's level (else the one read)."""
    level_form = DECREE_FORMS.get(get_region(draft.region_code).level)
    template = _template(draft)
    forms = template.forms if template is not None else ()
    if level_form in forms or (not forms and level_form):
        return level_form
    return forms[0] if len(forms) == 1 else (read_form or level_form)


def _drafted_title(draft: Draft) -> str:
    """The title the draft printed (for a scan whose text is not read yet)."""
    template = _template(draft)
    if template is None:
        return f"Pembentukan Gugus Tugas PP-TPPO {get_region(draft.region_code).name}"
    built = draft_context(template, draft.region_code, draft.fields, draft.options)
    return title_case(built.context["tentang"])


def _template(draft: Draft) -> Template | None:
    for version in (draft.template_version, None):
        try:
            return get_template(draft.template, version)
        except (NotFound, Invalid):  # retired or removed: the form is then the region's
            continue
    return None


def _record(actor: audit.Actor, action: str, draft: Draft, before: str, extra=None) -> None:
    after = {"state": draft.state, **(extra or {})}
    audit.record(actor, action, "draft", draft.id, {"state": before}, after, draft.region_code)
