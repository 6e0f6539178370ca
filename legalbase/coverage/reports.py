"""The coverage questions the ministry asks: by region, by province, over time, and impact."""

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from ..core import audit, db
from ..core.errors import Invalid
from ..corpus.models import Regulation, Relation
from ..corpus.regulations import get_regulation
from ..corpus.status import in_force_clause, relation_takes_effect, revoked_on
from ..regions.models import Region
from ..regions.registry import get_region
from .basis import STATUSES, RegionCoverage, coverage, national_chain
from .models import Attestation
from .rules import Rules, load_rules

MAX_TIMELINE_MONTHS = 120


def current_rules() -> Rules:
    """The rules file of this instance's seed corpus."""
    return load_rules(Path(current_app.config["CORPUS_DIR"]) / "coverage" / "rules.yaml")


def regions_in_scope(province: str | None = None, level: str | None = None) -> list[Region]:
    """Regions of one province (itself included) or of the whole country, optionally one level."""
    query = select(Region).order_by(Region.code)
    if province:
        query = query.where(or_(Region.code == province, Region.parent_code == province))
    if level:
        query = query.where(Region.level == level)
    return list(db.session.scalars(query))


def coverage_report(
    as_of: date | None = None,
    province: str | None = None,
    level: str | None = None,
    status: str | None = None,
) -> dict:
    """Coverage of the regions asked, with a summary of their statuses (before `status`
    narrows the items)."""
    as_of = as_of or date.today()
    if province:
        get_region(province)
    items = coverage(current_rules(), as_of, regions_in_scope(province, level))
    summary = summarize(items)
    if status:
        items = [item for item in items if item.status == status]
    return {
        "as_of": as_of,
        "rules_version": current_rules().version,
        "summary": summary,
        "items": items,
    }


def summarize(items: list[RegionCoverage]) -> dict:
    """Counts per status, every status present, plus the total, and beside them how many of
    the regions lacking a current basis have one in progress (a draft)."""
    counts = Counter(item.status for item in items)
    return {
        **{status: counts.get(status, 0) for status in STATUSES},
        "total": len(items),
        "in_progress": sum(1 for item in items if item.in_progress is not None),
    }


def region_report(code: str, as_of: date | None = None) -> dict:
    """One region's coverage on `as_of` and the history of its status."""
    region = get_region(code)
    as_of = as_of or date.today()
    judged = coverage(current_rules(), as_of, [region])[0]
    return {"item": judged, "history": status_history(region, as_of)}


def status_history(region: Region, until: date) -> list[dict]:
    """Each change of the region's status up to `until`: the date and the new status."""
    rules = current_rules()
    history, previous = [], None
    for moment in _event_dates(region, rules, until):
        status = coverage(rules, moment, [region])[0].status
        if status != previous:
            history.append({"date": moment, "status": status})
            previous = status
    return history


def _event_dates(region: Region, rules: Rules, until: date) -> list[date]:
    dates = {until}
    regulations = list(
        db.session.scalars(
            select(Regulation).where(
                Regulation.region_code == region.code, Regulation.withdrawn_at.is_(None)
            )
        )
    )
    for regulation in regulations:
        dates.add(regulation.in_force_from)
        if regulation.valid_until:
            dates.add(regulation.valid_until + timedelta(days=1))
    dates |= _revocation_dates([r.id for r in regulations])
    dates |= set(
        db.session.scalars(
            select(Attestation.stated_on).where(Attestation.region_code == region.code)
        )
    )
    chain = national_chain(rules, until)
    for amendment_on in _amendment_dates(chain.root):
        dates |= {amendment_on, amendment_on + timedelta(days=rules.grace_period_days)}
    return sorted(moment for moment in dates if moment <= until)


def _revocation_dates(ids: list[int]) -> set[date]:
    return {day for day in (revoked_on(db.session.get(Regulation, id_)) for id_ in ids) if day}


def _amendment_dates(root: Regulation) -> list[date]:
    amending = aliased(Regulation)
    query = (
        select(relation_takes_effect(Relation, amending))
        .join(amending, amending.id == Relation.source_id)
        .where(Relation.kind == "amends", Relation.target_id == root.id)
    )
    return [day for day in db.session.scalars(query) if day]


def timeline(start: date, end: date) -> list[dict]:
    """National counts per status at the end of every month from `start` to `end`."""
    months = _month_ends(start, end)
    if not months or len(months) > MAX_TIMELINE_MONTHS:
        raise Invalid(
            f"Rentang harus 1 sampai {MAX_TIMELINE_MONTHS} bulan, 'from' tidak sesudah 'to'.",
            {"fields": {"from": ["Rentang tidak valid."]}},
        )
    rules, regions = current_rules(), regions_in_scope()
    return [
        {
            "month": month.strftime("%Y-%m"),
            "as_of": month,
            "summary": summarize(coverage(rules, month, regions)),
        }
        for month in months
    ]


def _month_ends(start: date, end: date) -> list[date]:
    months, cursor = [], date(start.year, start.month, 1)
    while cursor <= end:
        following = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
        months.append(min(following - timedelta(days=1), end))
        cursor = following
    return months


def province_indicators(as_of: date | None = None) -> list[dict]:
    """Per province: its own status, and the share of its kabupaten/kota without a current
    basis (not-required units left out), with the days the missing ones are overdue."""
    as_of = as_of or date.today()
    items = coverage(current_rules(), as_of, regions_in_scope())
    provinces = [item for item in items if item.region.level == "provinsi"]
    return [_province_row(province, items) for province in provinces]


def _province_row(province: RegionCoverage, items: list[RegionCoverage]) -> dict:
    children = [
        item
        for item in items
        if item.region.parent_code == province.region.code and item.status != "not_required"
    ]
    lacking = [item for item in children if item.status != "current"]
    unreported = sum(1 for item in children if item.status == "unreported")
    known_lacking, reported = len(lacking) - unreported, len(children) - unreported
    overdue = [item.overdue_days for item in lacking if item.overdue_days]
    return {
        "region_code": province.region.code,
        "region_name": province.region.name,
        "status": province.status,
        "kabkota_total": len(children),
        "kabkota_without_current": len(lacking),
        "kabkota_in_progress": sum(1 for item in lacking if item.in_progress is not None),
        "share_without_current": round(len(lacking) / len(children), 4) if children else 0.0,
        # An unreported region is unknown, not a known gap: the share among those that reported.
        "kabkota_unreported": unreported,
        "kabkota_lacking_reported": known_lacking,
        "share_lacking_reported": round(known_lacking / reported, 4) if reported else None,
        "max_overdue_days": max(overdue) if overdue else 0,
    }


def impact(regulation_id: int, as_of: date | None = None) -> list[dict]:
    """The regional bases in force that rest on a regulation (or on an act amending it, or the
    act it amends) and would need adjusting if it changed."""
    family = amendment_family(get_regulation(regulation_id))
    rules = current_rules()
    query = (
        select(Regulation, Relation.kind, Relation.target_id)
        .join(Relation, Relation.source_id == Regulation.id)
        .where(
            Relation.kind.in_(("cites", "implements")),
            Relation.target_id.in_(family),
            Regulation.region_code.is_not(None),
            Regulation.form.in_(rules.accepted_forms),
            in_force_clause(as_of or date.today()),
        )
        .order_by(Regulation.region_code, Regulation.id)
    )
    return [
        {"regulation": regulation, "relation": kind, "rests_on_id": target_id}
        for regulation, kind, target_id in db.session.execute(query)
    ]


def amendment_family(regulation: Regulation) -> set[int]:
    """The ids of a regulation, the act it amends, and every act amending that act."""
    base_ids = set(
        db.session.scalars(
            select(Relation.target_id).where(
                Relation.kind == "amends", Relation.source_id == regulation.id
            )
        )
    ) or {regulation.id}
    amending = set(
        db.session.scalars(
            select(Relation.source_id).where(
                Relation.kind == "amends", Relation.target_id.in_(base_ids)
            )
        )
    )
    return base_ids | amending | {regulation.id}


def record_attestation(
    code: str, has_basis: bool, stated_on: date, note: str | None, actor: audit.Actor
) -> Attestation:
    """Record a dated statement on whether a region has a basis (flushes, never commits)."""
    region = get_region(code)
    if stated_on > date.today():
        raise Invalid(
            "Tanggal pernyataan tidak boleh di masa depan.",
            {"fields": {"stated_on": ["Tanggal di masa depan."]}},
        )
    attestation = Attestation(
        region_code=region.code,
        has_basis=has_basis,
        stated_on=stated_on,
        note=note,
        stated_by_id=actor.user_id,
        stated_by_label=actor.label,
    )
    db.session.add(attestation)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "attestation",
        attestation.id,
        None,
        {
            "region_code": region.code,
            "has_basis": has_basis,
            "stated_on": stated_on.isoformat(),
            "note": note,
        },
        region.code,
    )
    return attestation
