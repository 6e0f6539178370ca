"""Pemantauan, for the ministry and admins: the regions lacking a current legal basis, grouped by
province, with filters (among them whether a draft is under way), the form that starts a batch
of drafts for the regions they show, and each region's history. The views parse the request,
check the caller and call one domain function."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import Blueprint, redirect, render_template, request, url_for

from ..accounts.policy import require
from ..core.audit import Actor
from ..core.errors import Invalid, NotFound, Unauthorized
from ..corpus.status import Since, revoked_since, unstated_days
from ..coverage.basis import STATUSES, RegionCoverage, coverage
from ..coverage.reports import coverage_report, current_rules, region_report
from ..drafting.batch import start_batch
from ..drafting.catalog import list_templates
from ..drafting.drafts import get_draft
from ..regions.models import Region
from ..regions.registry import find_region, list_regions
from ..reporting.jobs import start_coverage_report
from ..reporting.letters import LETTER_FIELDS, start_letters
from ..reporting.report import report_period
from .session import check_csrf, page_user

bp = Blueprint("monitoring", __name__)
LAGGING = tuple(status for status in STATUSES if status not in ("current", "not_required"))
MAX_DAYS_DIGITS = 6
PROVINCES_AT_MOST = 100
# the "Sedang disusun" filter: every region, only those with an open draft, or only those without
IN_PROGRESS_CHOICES = {
    "": "Semua wilayah",
    "ya": "Hanya yang sedang menyusun draf",
    "tidak": "Kecuali yang sedang menyusun draf",
}


@dataclass
class Filters:
    """What the form asks for; `problems` holds the Indonesian message of each bad value."""

    statuses: list[str] = field(default_factory=lambda: list(LAGGING))
    province: str | None = None
    min_days: int | None = None
    in_progress: str = ""
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


@bp.post("/pemantauan/laporan")
def laporan():
    """Start the coverage report (DOCX or PDF) as a job and go to its page (400 if refused)."""
    user = _monitor()
    check_csrf()
    try:
        as_of, since_day = _report_day("tanggal"), _report_day("pembanding")
        job = start_coverage_report(
            as_of, since_day, request.form.get("format", "docx"), Actor(user.username, user.id)
        )
    except Invalid as error:
        filters = Filters(problems=[error.message])
        return _page(filters, _provinces(), coverage_report(), 400)
    return redirect(url_for("jobs_pages.pekerjaan", job_id=job.id), 303)


def _report_day(name: str):
    """A date of the report form (YYYY-MM-DD), None when left empty."""
    raw = request.form.get(name, "").strip()
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise Invalid(f"Tanggal '{raw}' tidak valid; tulis sebagai TTTT-BB-HH.") from None


@bp.post("/pemantauan/surat-pengingat")
def surat_pengingat():
    """Start the reminder letters for the filtered regions and go to the job page (400 if
    refused)."""
    user = _monitor()
    require(user, "batch_draft")
    check_csrf()
    filters = parse_filters(request.form)
    if filters.problems:
        return _page(filters, _provinces(), None, 400)
    try:
        job = start_letters(
            {"province": filters.province, "statuses": filters.statuses},
            _letter_sender(request.form),
            _report_day("batas_waktu"),
            Actor(user.username, user.id),
        )
    except Invalid as error:
        filters.problems.append(error.message)
        return _page(filters, _provinces(), coverage_report(province=filters.province), 400)
    return redirect(url_for("jobs_pages.pekerjaan", job_id=job.id), 303)


def _letter_sender(form) -> dict:
    """The sender's fields of the letters form; the tembusan one line each."""
    sender = {
        name: form.get(name, "").strip()
        for name, kind in LETTER_FIELDS.items()
        if kind != "list" and name != "batas_waktu"
    }
    sender["tembusan"] = form.get("tembusan", "").splitlines()
    return sender


@bp.get("/pemantauan/<code>")
def pemantauan_wilayah(code):
    """One region: its status today with reasons, the history of its status, basis and draft."""
    _monitor()
    report = region_report(code)
    item = report["item"]
    return render_template(
        "web/pemantauan_wilayah.html",
        region=item.region,
        item=item,
        since=since(item),
        changes=status_changes(item.region, report["history"]),
        draft=open_draft(item),
    )


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
    filters.in_progress = _in_progress(args.get("disusun", "").strip(), filters.problems)
    return filters


def _in_progress(raw: str, problems: list[str]) -> str:
    """One of IN_PROGRESS_CHOICES ("" for every region); a problem for anything else."""
    if raw in IN_PROGRESS_CHOICES:
        return raw
    problems.append(f"Pilihan sedang disusun '{raw}' tidak dikenal.")
    return ""


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
        statuses=STATUSES,
        in_progress_choices=IN_PROGRESS_CHOICES,
        provinces=provinces,
        report=report,
        groups=group_by_province(shown, provinces),
        shown=len(shown),
        templates=list_templates(),
        report_dates=report_period(None, None),
    )
    return page, status


def select_items(items: list[RegionCoverage], filters: Filters) -> list[RegionCoverage]:
    """The items whose status, overdue days and draft under way the filters keep."""
    least = filters.min_days or 0
    return [
        item
        for item in items
        if item.status in filters.statuses
        and (item.overdue_days or 0) >= least
        and _drafting_kept(item, filters.in_progress)
    ]


def _drafting_kept(item: RegionCoverage, choice: str) -> bool:
    """Whether the "Sedang disusun" choice keeps the item."""
    if not choice:
        return True
    return bool(item.in_progress) == (choice == "ya")


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


def status_changes(region: Region, history: list[dict]) -> list[dict]:
    """Each change of the region's status, newest first, with the reasons it had from that day
    and whether the records state the day (else only its year is known)."""
    rules = current_rules()
    unstated = unstated_days(region.code)
    return [
        {
            **entry,
            "known": entry["date"] not in unstated,
            "reasons": coverage(rules, entry["date"], [region])[0].reasons,
        }
        for entry in reversed(history)
    ]


def open_draft(item: RegionCoverage) -> dict | None:
    """The draft under way for the region as coverage tells it, with its record; else None."""
    if not item.in_progress:
        return None
    return {**item.in_progress, "draft": get_draft(item.in_progress["draft_id"])}
