"""The "coverage_report" job: the coverage report made in the background with its progress
(summary, figures, provinces, annex, and PDF when asked), stored as the job's result."""

from datetime import date

from ..core import audit, db
from ..core.errors import Invalid
from ..core.office import docx_to_pdf
from ..core.storage import file_store
from ..jobs import Job, create_job, report_progress
from .report import STEPS, coverage_document, report_period

KIND = "coverage_report"
FORMATS = ("docx", "pdf")


def start_coverage_report(
    as_of: date | None, since: date | None, kind: str, actor: audit.Actor
) -> Job:
    """Queue the report (checked now: the dates, the format), made once the work commits."""
    if kind not in FORMATS:
        raise Invalid(
            "Format laporan harus docx atau pdf.", {"fields": {"format": ["docx atau pdf."]}}
        )
    as_of, since = report_period(as_of, since)
    params = {"as_of": as_of.isoformat(), "since": since.isoformat(), "format": kind}
    return create_job(KIND, params, actor)


def run_coverage_report(job: Job) -> None:
    """Make the report of `job.params`, committing each step's progress."""
    params = job.params
    job.status, job.total, job.progress = "running", len(STEPS) + (params["format"] == "pdf"), 0
    db.session.commit()

    def step(_name: str) -> None:
        job.progress += 1
        db.session.commit()
        report_progress()

    content = coverage_document(
        date.fromisoformat(params["as_of"]), date.fromisoformat(params["since"]), step
    )
    if params["format"] == "pdf":
        content = report_pdf(content)
        step("pdf")
    job.result_sha256 = file_store().put(db.session, content)


def report_pdf(document: bytes) -> bytes:
    """The report's PDF, converted by LibreOffice (501 where it is not installed)."""
    return docx_to_pdf({"laporan-cakupan": document})["laporan-cakupan"]
