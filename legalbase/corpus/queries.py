"""Reading the corpus: lists with filters, and the derived status shown with each record."""

from datetime import date

from sqlalchemy import String, cast, func, not_, or_, select

from ..core import db
from .models import Regulation
from .status import in_force_clause, in_force_ids


def list_regulations(
    form: str | None = None,
    region: str | None = None,
    year: int | None = None,
    subject: str | None = None,
    in_force: bool | None = None,
    as_of: date | None = None,
    page: int = 1,
    per_page: int = 50,
) -> db.Page:
    """Live regulations by form, region (a province includes its kabupaten/kota, 'national'
    the national ones), year, subject and whether in force on `as_of` (default today)."""
    as_of = as_of or date.today()
    query = select(Regulation).where(Regulation.withdrawn_at.is_(None))
    if form:
        query = query.where(Regulation.form == form)
    if region:
        query = query.where(_in_region(region))
    if year:
        query = query.where(Regulation.year == year)
    if subject:
        subject_text = cast(Regulation.subjects, String)
        query = query.where(subject_text.like(f'%"{subject.strip().upper()}"%'))
    if in_force is not None:
        clause = in_force_clause(as_of)
        query = query.where(clause if in_force else not_(clause))
    order = (Regulation.year.desc(), Regulation.form, Regulation.number, Regulation.id)
    page_ = db.paginate(query.order_by(*order), page, per_page)
    with_status(page_.items, as_of)
    return page_


def _in_region(code: str):
    if code == "national":
        return Regulation.region_code.is_(None)
    return or_(Regulation.region_code == code, Regulation.region_code.like(f"{code}.%"))


def with_status(regulations: list[Regulation], as_of: date | None = None) -> list[Regulation]:
    """Set the derived `in_force` (on `as_of`, default today) on each regulation."""
    live = in_force_ids([regulation.id for regulation in regulations], as_of or date.today())
    for regulation in regulations:
        regulation.in_force = regulation.id in live
    return regulations


def regulations_of_region(
    code: str,
    page: int = 1,
    per_page: int = 20,
    form: str | None = None,
    words: str | None = None,
    sort: str = "date",
) -> db.Page:
    """The live regulations of one region itself (not of its kabupaten/kota), of one `form` and
    matching every one of `words` (in the title or number, or a year) when asked; newest first
    by the date they were enacted (promulgated, or first in force, when that is not stated), or
    with `sort="number"` by year and number, newest year first."""
    query = select(Regulation).where(
        Regulation.withdrawn_at.is_(None), Regulation.region_code == code
    )
    if form:
        query = query.where(Regulation.form == form)
    for word in (words or "").split():
        query = query.where(_matches(word))
    page_ = db.paginate(query.order_by(*_region_order(sort)), page, per_page)
    with_status(page_.items)
    return page_


def _matches(word: str):
    """A word found in the title or the number (case aside), or the year it names."""
    clauses = [
        Regulation.title.icontains(word, autoescape=True),
        Regulation.number.icontains(word, autoescape=True),
    ]
    if word.isdigit() and len(word) == 4:
        clauses.append(Regulation.year == int(word))
    return or_(*clauses)


def _region_order(sort: str) -> tuple:
    if sort == "number":
        number = Regulation.number
        return (Regulation.year.desc(), func.length(number), number, Regulation.id)
    newest = func.coalesce(
        Regulation.enacted_on, Regulation.promulgated_on, Regulation.in_force_from
    )
    return (newest.desc(), Regulation.id.desc())
