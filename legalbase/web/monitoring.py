"""Pemantauan, for the ministry and admins: the regions lacking a current legal basis, grouped by
province, with filters, and the form that starts a batch of drafts for the regions they show.
The views parse the request, check the caller and call one domain function."""

from dataclasses import dataclass, field
from datetime import timedelta

from flask import Blueprint, redirect, render_template, request, url_for

from ..accounts.policy import require
from ..core.audit import Actor
from ..core.errors import Invalid, NotFound, Unauthorized
from ..corpus.status import Since, revoked_since
from ..coverage.basis import STATUSES, RegionCoverage
from ..coverage.reports import coverage_report
from ..drafting.batch import start_batch
from ..drafting.catalog import list_templates
from ..regions.registry import find_region, list_regions
from .session import check_csrf, page_user

bp = Blueprint("monitoring", __name__)
LAGGING = tuple(status for status in STATUSES if status not in ("current", "not_required"))
MAX_DAYS_DIGITS = 6
PROVINCES_AT_MOST = 100


@dataclass
class Filters:
    """What the form asks for; `problems` holds the Indonesian message of each bad value."""

    statuses: list[str] = field(default_factory=lambda: list(LAGGING))
    province: str | None = None
    min_days: int | None = None
    problems: list[str] = field(default_factory=list)


@bp.get("/pemantauan")
def pemantauan():
    """The lagging regions by province, narrowed by the filters (400 on a bad filter)."""
    _monitor()
    filters = parse_filters(request.args)
    provinces = _provinces()
    if filters.problems:
        return _page(filters, provinces, None, 400)
    report = coverage_report(province=filters.province)
    return _page(filters, provinces, report, 200)


@bp.post("/pemantauan/draf-massal")
def draf_massal():
    """Start a batch of drafts for the filtered regions and go to its job page (400 if refused)."""
    user = _monitor()
    require(user, "batch_draft")
    check_csrf()
    filters = parse_filters(request.form)
    provinces = _provinces()
    if filters.problems:
        return _page(filters, provinces, None, 400)
    statuses = [value for value in request.form.getlist("status") if value]
    try:
        job = start_batch(
            request.form.get("template", "").strip(),
            statuses,
            filters.province,
            {},
            {},
            Actor(user.username, user.id),
        )
    except (Invalid, NotFound) as error:
        filters.problems.append(error.message)
        report = coverage_report(province=filters.province)
        return _page(filters, provinces, report, 400)
    return redirect(url_for("jobs_pages.pekerjaan", job_id=job.id), 303)


def _monitor():
    """The signed-in user: 401 signed out, 403 for anyone who may not monitor (region users)."""
    user = page_user()
    if user is None:
        raise Unauthorized("Masuk terlebih dahulu untuk membuka halaman ini.")
    require(user, "monitor")
    return user


def parse_filters(args) -> Filters:
    """The filters of the query string, each bad value named in Indonesian."""
    filters = Filters()
    chosen = [value for value in args.getlist("status") if value]
    unknown = [value for value in chosen if value not in LAGGING]
    if unknown:
        filters.problems.append(f"Status tidak dikenal: {', '.join(unknown)}.")
    elif chosen:
        filters.statuses = [status for status in LAGGING if status in chosen]
    filters.province = _province(args.get("provinsi", "").strip(), filters.problems)
    filters.min_days = _days(args.get("terlambat", "").strip(), filters.problems)
    return filters


def _province(code: str, problems: list[str]) -> str | None:
    """A province code, or None for the whole country; a problem when it is no province."""
    if not code:
        return None
    region = find_region(code)
    if region is None or region.level != "provinsi":
        problems.append(f"Provinsi '{code}' tidak dikenal.")
        return None
    return code


def _days(raw: str, problems: list[str]) -> int | None:
    """A whole number of days, or None when empty; a problem for anything else."""
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > MAX_DAYS_DIGITS:
        problems.append("Minimal hari terlambat harus bilangan bulat 0 atau lebih.")
        return None
    return int(raw)


def _provinces() -> list:
    """The provinces, for the form's list."""
    return list(list_regions(level="provinsi", per_page=PROVINCES_AT_MOST).items)


def _page(filters: Filters, provinces: list, report: dict | None, status: int):
    shown = select_items(report["items"], filters) if report else []
    page = render_template(
        "web/pemantauan.html",
        filters=filters,
        lagging=LAGGING,
        provinces=provinces,
        report=report,
        groups=group_by_province(shown, provinces),
        shown=len(shown),
        templates=list_templates(),
    )
    return page, status


def select_items(items: list[RegionCoverage], filters: Filters) -> list[RegionCoverage]:
    """The items whose status and overdue days the filters keep."""
    least = filters.min_days or 0
    return [
        item
        for item in items
        if item.status in filters.statuses and (item.overdue_days or 0) >= least
    ]


def group_by_province(items: list[RegionCoverage], provinces: list) -> list[dict]:
    """The items under their province (a province under itself), in the order of codes."""
    names = {region.code: region.name for region in provinces}
    groups: dict[str, list] = {}
    for item in items:
        region = item.region
        code = region.code if region.level == "provinsi" else region.parent_code
        groups.setdefault(code, []).append({"item": item, "since": since(item)})
    return [
        {"code": code, "name": names.get(code, code), "rows": rows}
        for code, rows in sorted(groups.items())
    ]


def since(item: RegionCoverage) -> Since | None:
    """Since when the status holds, as far as the records tell; None when they do not."""
    if item.status == "expired" and item.basis and item.basis[0].valid_until:
        return Since(item.basis[0].valid_until + timedelta(days=1), True)
    if item.status == "missing" and item.basis:
        return revoked_since(item.basis[0])
    return None
