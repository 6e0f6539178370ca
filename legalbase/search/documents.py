"""What a search document is, for either backend: the fields of a regulation row, the day it
leaves force (its stated period or its earliest revocation), the keys a citation finds it by,
and the stamp that says an entry is current.

`document(row, revoked)` is one document's fields; FIELDS says how a query reads each field
(the query language, query_syntax.py, and the Whoosh schema, search/whoosh/index.py, agree
with it).
"""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..core import db
from ..corpus.forms import FORMS
from ..corpus.models import Regulation, Relation
from ..corpus.status import relation_takes_effect

NEVER = 99991231  # the end date of a regulation with no known end
# How a query reads each field: "text" analysed as Indonesian (positions for phrases, except
# the word pairs); "keyword" split at spaces, case kept; "id" whole, case kept; "numeric" an
# integer (32 bits, signed).
FIELDS = {
    "id": "id",
    "title": "text",
    "body": "text",
    "subjects": "text",
    "pairs": "text",
    "number": "id",
    "cite": "keyword",
    "kinds": "keyword",
    "form": "id",
    "year": "numeric",
    "regions": "keyword",
    "province": "id",
    "start": "numeric",
    "end": "numeric",
    "stamp": "id",
}
POSITIONAL = frozenset({"title", "body", "subjects"})  # the fields a phrase may be looked up in
COLUMNS = (
    Regulation.id,
    Regulation.form,
    Regulation.number,
    Regulation.year,
    Regulation.title,
    Regulation.region_code,
    Regulation.subjects,
    Regulation.text,
    Regulation.in_force_from,
    Regulation.valid_until,
    Regulation.updated_at,
)


def date_number(day: date | None, default: int = NEVER) -> int:
    """A date as the integer YYYYMMDD the index filters on."""
    return day.year * 10000 + day.month * 100 + day.day if day else default


def revocation_dates(ids=None) -> dict[int, date]:
    """Per regulation, the day its earliest live revocation takes effect (`ids`: only those)."""
    revoking = aliased(Regulation)
    query = (
        select(Relation.target_id, func.min(relation_takes_effect(Relation, revoking)))
        .join(revoking, revoking.id == Relation.source_id)
        .where(Relation.kind == "revokes", revoking.withdrawn_at.is_(None))
        .group_by(Relation.target_id)
    )
    if ids is not None:
        query = query.where(Relation.target_id.in_(list(ids)))
    return {target: _as_date(day) for target, day in db.session.execute(query)}


def revoked_by(ids: set[int]) -> set[int]:
    """Regulations that those `ids` revoke (their end date follows the revoking act's dates)."""
    query = select(Relation.target_id).where(
        Relation.kind == "revokes", Relation.source_id.in_(list(ids))
    )
    return set(db.session.scalars(query))


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def end_date(valid_until: date | None, revoked: date | None) -> int:
    """The first day out of force: the day after the stated period, or the revocation."""
    ends = [day for day in (valid_until and valid_until + timedelta(days=1), revoked) if day]
    return date_number(min(ends)) if ends else NEVER


def stamp(row, revoked: date | None) -> str:
    """What says an index entry is current: the record's update time and its in-force dates."""
    updated = row.updated_at
    if isinstance(updated, datetime) and updated.tzinfo is not None:
        updated = updated.astimezone(UTC).replace(tzinfo=None)
    updated_text = updated.isoformat() if isinstance(updated, datetime) else str(updated)
    return f"{updated_text}|{date_number(row.in_force_from)}|{end_date(row.valid_until, revoked)}"


def live_rows(ids=None):
    """The live (not withdrawn) regulations' indexed columns, `ids` only when given."""
    query = select(*COLUMNS).where(Regulation.withdrawn_at.is_(None)).order_by(Regulation.id)
    if ids is not None:
        query = query.where(Regulation.id.in_(list(ids)))
    return db.session.execute(query.execution_options(yield_per=500))


def document(row, revoked: date | None) -> dict:
    """The search document of one regulation row."""
    form = FORMS[row.form]
    number = " ".join(row.number.split()).lower()
    region = row.region_code
    subjects = " ".join(row.subjects or [])
    # The body field holds the title and subjects too, so a word query matches one field (the
    # title and subject fields only add their boost, see whoosh/queries.py).
    body = "\n".join(part for part in (row.title, subjects, row.text) if part)
    return {
        "id": str(row.id),
        "title": row.title,
        "body": body,
        "pairs": body,
        "subjects": subjects,
        "number": number,
        "cite": " ".join(citation_keys(row.form, number, row.year)),
        "kinds": f"{row.form} {form.abbreviation.lower().replace(' ', '_')}",
        "form": row.form,
        "year": row.year,
        "regions": " ".join(region_ancestors(region)),
        "province": region.split(".")[0] if region else "national",
        "start": date_number(row.in_force_from),
        "end": end_date(row.valid_until, revoked),
        "stamp": stamp(row, revoked),
    }


def citation_keys(form: str, number: str, year: int) -> list[str]:
    """The keys a citation of this regulation is looked up by: form group, number, year."""
    group = citation_group(form)
    bare = number.removesuffix(f"/{year}").removesuffix(f" tahun {year}").strip()
    return sorted({f"{group}:{bare}:{year}", f"{group}:{number}"})


def citation_group(form: str) -> str:
    """Forms a citation cannot tell apart share a group (a "Perda" of a province or a kota)."""
    return FORMS[form].abbreviation.lower().replace(" ", "_")


def region_ancestors(code: str | None) -> list[str]:
    """The codes a region filter matches a record of region `code` by (itself and its province)."""
    if code is None:
        return ["national"]
    parts = code.split(".")
    return [".".join(parts[:length]) for length in range(1, len(parts) + 1)]
