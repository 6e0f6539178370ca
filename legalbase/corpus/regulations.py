"""Creating and reading regulations: validation, identity, and their audit trail."""

from datetime import date, datetime

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..core import audit, db
from ..core.db import utcnow
from ..core.errors import Conflict, Invalid, NotFound, translate_messages
from ..regions.registry import find_region
from .forms import FORMS, NATIONAL, scope_admits
from .models import Regulation
from .schemas import RegulationInputSchema
from .status import in_force_from

DECREE_FORMS = ("kepgub", "kepbup", "kepwal", "kepsekda", "kepkadis")
ISSUER_SERIES = ("permen", "kepmen", "kepkadis")
_input_schema = RegulationInputSchema()


def load_regulation_fields(data: dict) -> dict:
    """Parse and check metadata fields (types, then the rules of the domain), or Invalid."""
    try:
        fields = _input_schema.load(data)
    except ValidationError as exc:
        raise Invalid(
            "Metadata peraturan tidak valid; periksa kolom yang disebutkan.",
            {"fields": translate_messages(exc.messages)},
        ) from None
    problems = domain_problems(fields)
    if problems:
        raise Invalid(
            "Metadata peraturan tidak valid; periksa kolom yang disebutkan.", {"fields": problems}
        )
    fields["subjects"] = [subject.strip().upper() for subject in fields["subjects"]]
    return fields


def domain_problems(fields: dict) -> dict:
    """What breaks the rules of the domain: region level against form, decrees not promulgated."""
    form = FORMS[fields["form"]]
    region = find_region(fields["region_code"])
    problems = {}
    if fields["region_code"] and region is None:
        problems["region_code"] = [f"Kode wilayah '{fields['region_code']}' tidak dikenal."]
    elif not scope_admits(form.scope, region.level if region else None):
        problems["region_code"] = [_scope_message(form)]
    if fields["form"] in DECREE_FORMS and fields["promulgated_on"]:
        problems["promulgated_on"] = ["Keputusan hanya ditetapkan, tidak diundangkan."]
    return problems


def _scope_message(form) -> str:
    if form.scope == NATIONAL:
        return f"{form.name} adalah peraturan nasional: region_code harus null."
    levels = {"kabkota": "kabupaten atau kota", "regional": "provinsi, kabupaten, atau kota"}.get(
        form.scope, form.scope
    )
    return f"{form.name} harus menyebut kode wilayah tingkat {levels}."


def identity_key(
    form: str, region_code: str | None, year: int, number: str, issuer: str | None = None
) -> str:
    """What makes two live records the same regulation: form, region, year, number folded.

    Ministers number their regulations each in their own series, so a Peraturan or Keputusan
    Menteri also counts its issuer (Permendagri 10/2012 is not Permen PPPA 10/2012), and so
    does the head of a regional office (each Dinas numbers its own decrees).
    """
    if form in ISSUER_SERIES and issuer:
        form = f"{form}:{_fold(issuer)}"
    return f"{form}|{region_code or 'national'}|{year}|{_fold(number)}"


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def create_regulation(data: dict, actor: audit.Actor, seed_key: str | None = None) -> Regulation:
    """Store a new regulation from its metadata; a live duplicate is a Conflict."""
    fields = load_regulation_fields(data)
    regulation = Regulation(seed_key=seed_key)
    _assign(regulation, fields)
    _refuse_duplicate(regulation)
    db.session.add(regulation)
    _flush_unique(regulation)
    audit.record(
        actor,
        "create",
        "regulation",
        regulation.id,
        None,
        regulation_snapshot(regulation),
        regulation.region_code,
    )
    return regulation


def update_regulation(regulation: Regulation, data: dict, actor: audit.Actor) -> bool:
    """Replace a regulation's metadata with `data`; returns whether anything changed."""
    fields = load_regulation_fields(data)
    before = regulation_snapshot(regulation)
    _assign(regulation, fields)
    changed_before, changed_after = audit.changed_fields(before, regulation_snapshot(regulation))
    if not changed_after:
        return False
    _refuse_duplicate(regulation)
    _flush_unique(regulation)
    audit.record(
        actor,
        "update",
        "regulation",
        regulation.id,
        changed_before,
        changed_after,
        regulation.region_code,
    )
    return True


def patch_regulation(regulation: Regulation, changes: dict, actor: audit.Actor) -> bool:
    """Change some metadata fields of a regulation, keeping the others."""
    current = regulation_snapshot(regulation)
    return update_regulation(regulation, {**current, **changes}, actor)


def withdraw_regulation(regulation: Regulation, reason: str, actor: audit.Actor) -> None:
    """Mark an erroneous record withdrawn (never deleted); it then counts nowhere."""
    if regulation.withdrawn_at is not None:
        raise Conflict(
            "Peraturan ini sudah ditarik.", {"withdrawn_at": regulation.withdrawn_at.isoformat()}
        )
    regulation.withdrawn_at = utcnow()
    regulation.withdrawn_reason = reason
    audit.record(
        actor,
        "withdraw",
        "regulation",
        regulation.id,
        None,
        {"reason": reason},
        regulation.region_code,
    )


def get_regulation(regulation_id: int) -> Regulation:
    """The regulation with `regulation_id`, or NotFound."""
    regulation = db.session.get(Regulation, regulation_id)
    if regulation is None:
        raise NotFound(
            f"Peraturan dengan id {regulation_id} tidak ditemukan.", {"id": regulation_id}
        )
    return regulation


def find_live_duplicate(regulation: Regulation) -> Regulation | None:
    """Another live record with the same identity as `regulation`, or None."""
    query = select(Regulation).where(
        Regulation.identity_key == regulation.identity_key, Regulation.withdrawn_at.is_(None)
    )
    if regulation.id is not None:
        query = query.where(Regulation.id != regulation.id)
    with db.session.no_autoflush:  # a changed identity is checked before it is written
        return db.session.scalar(query)


def regulation_snapshot(regulation: Regulation) -> dict:
    """A regulation's metadata as plain JSON data (for the audit log and comparisons)."""
    snapshot = {}
    for name in RegulationInputSchema().fields:
        value = getattr(regulation, name)
        snapshot[name] = value.isoformat() if isinstance(value, date | datetime) else value
    return snapshot


def _assign(regulation: Regulation, fields: dict) -> None:
    gazette = fields.pop("gazette", None) or {}
    for name, value in fields.items():
        setattr(regulation, name, value)
    regulation.gazette_kind = gazette.get("kind")
    regulation.gazette_year = gazette.get("year")
    regulation.gazette_number = gazette.get("number")
    regulation.gazette_supplement = gazette.get("supplement")
    regulation.identity_key = identity_key(
        regulation.form,
        regulation.region_code,
        regulation.year,
        regulation.number,
        regulation.issuer,
    )
    regulation.in_force_from = in_force_from(regulation)


def _refuse_duplicate(regulation: Regulation) -> None:
    other = find_live_duplicate(regulation)
    if other is not None:
        raise _duplicate_error(other)


def _flush_unique(regulation: Regulation) -> None:
    # Two requests can pass the check above at once; the partial unique index decides.
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        other = find_live_duplicate(regulation)
        raise _duplicate_error(other) from None


def _duplicate_error(other: Regulation | None) -> Conflict:
    details = {"existing_id": other.id} if other is not None else {}
    return Conflict(
        "Peraturan dengan jenis, wilayah, tahun, dan nomor yang sama sudah ada.",
        details,
        code="duplicate_regulation",
    )
