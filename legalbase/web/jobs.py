"""The job pages: one job's status and progress (updating itself while it runs), its result, and
the admins' Impor page that uploads a ZIP of documents as a folder-import job. Each view checks
the caller, parses the request and calls one domain function."""

import io

from flask import Blueprint, jsonify, redirect, render_template, request, send_file, url_for

from ..accounts.models import User
from ..accounts.policy import require
from ..core.audit import Actor
from ..core.errors import Conflict, Invalid, PayloadTooLarge, Unauthorized, UnsupportedMediaType
from ..core.storage import file_store
from ..corpus.folder_jobs import start_folder_import
from ..corpus.folder_views import archive_part, option_fields
from ..corpus.forms import FORMS
from ..jobs.queue import get_job, result_name, result_type
from .session import check_csrf, page_user

bp = Blueprint("jobs_pages", __name__)
KIND_LABELS = {
    "batch_drafts": "Penyusunan draf massal",
    "validate_template": "Pemeriksaan templat",
    "import_folder": "Impor folder dokumen",
    "coverage_report": "Laporan cakupan",
    "reminder_letters": "Surat pengingat",
}
STATUS_LABELS = {"queued": "antre", "running": "berjalan", "finished": "selesai", "failed": "gagal"}
UPLOAD_ERRORS = (Invalid, UnsupportedMediaType, PayloadTooLarge)


def _signed_in() -> User:
    user = page_user()
    if user is None:
        raise Unauthorized("Masuk terlebih dahulu untuk membuka halaman ini.")
    return user


def _readable_job(job_id: int):
    """The job (401 signed out, 404 none, 403 unless the user may read its region's private
    records, as the jobs API decides)."""
    user = _signed_in()
    job = get_job(job_id)
    require(user, "read_private", job.region_code)
    return job


def job_state(job) -> dict:
    """What the job page shows of a job, and what its script reads to update it."""
    return {
        "id": job.id,
        "kind": KIND_LABELS.get(job.kind, job.kind),
        "status": job.status,
        "status_label": STATUS_LABELS.get(job.status, job.status),
        "progress": job.progress,
        "total": job.total,
        "error": job.error if job.status == "failed" else None,
        "result_url": (
            url_for("jobs_pages.pekerjaan_unduh", job_id=job.id) if job.result_sha256 else None
        ),
    }


@bp.get("/pekerjaan/<int:job_id>")
def pekerjaan(job_id):
    """One job: kind, status, progress, its error or the link to its result."""
    job = _readable_job(job_id)
    return render_template("web/pekerjaan.html", job=job_state(job), back=started_from(job))


def started_from(job) -> tuple[str, str] | None:
    """The page a job was started from, as (label, URL), to go back to once it ends."""
    if job.kind == "validate_template":
        url = url_for("admin_templates.templat_satu", template_name=job.params["name"])
        return f"Templat {job.params['name']}", url
    if job.kind == "import_folder":
        return "Impor", url_for("jobs_pages.impor")
    if job.kind in ("batch_drafts", "coverage_report", "reminder_letters"):
        return "Pemantauan", url_for("monitoring.pemantauan")
    return None


@bp.get("/pekerjaan/<int:job_id>/status")
def pekerjaan_status(job_id):
    """The job's state as JSON, for the page's script (same callers as the page)."""
    return jsonify(job_state(_readable_job(job_id)))


@bp.get("/pekerjaan/<int:job_id>/unduh")
def pekerjaan_unduh(job_id):
    """Download a finished job's result (a ZIP, or the document it made); 409 before it has
    one."""
    job = _readable_job(job_id)
    if job.result_sha256 is None:
        raise Conflict(
            "Pekerjaan belum selesai; hasilnya belum tersedia.",
            {"status": job.status},
            code="job_not_finished",
        )
    return send_file(
        io.BytesIO(file_store().get(job.result_sha256)),
        mimetype=result_type(job),
        as_attachment=True,
        download_name=result_name(job),
    )


def _importer() -> Actor:
    """The signed-in admin (401 signed out, 403 not allowed to import, 400 on a POST without
    its CSRF token)."""
    user = _signed_in()
    require(user, "import_corpus")
    return Actor(user.username, user.id)


@bp.get("/admin/impor")
def impor():
    """The form that uploads a ZIP of documents to import."""
    _importer()
    return _import_page({}, None)


@bp.post("/admin/impor")
def impor_mulai():
    """Start the folder import and go to its job page, or give the form back (400)."""
    actor = _importer()
    check_csrf()
    values = {key: request.form.get(key, "") for key in ("form", "region", "dry_run", "names")}
    try:
        form, region, dry_run, names = option_fields()
        job = start_folder_import(archive_part(), form, region, dry_run, actor, names)
    except UPLOAD_ERRORS as error:
        return _import_page(values, error)
    return redirect(url_for("jobs_pages.pekerjaan", job_id=job.id), 303)


def _import_page(values: dict, error: Exception | None):
    fields = (error.details.get("fields") or {}) if error is not None else {}
    page = render_template(
        "web/admin_impor.html",
        values=values,
        message=error.message if error is not None else None,
        problems=fields,
        forms=FORMS,
    )
    return page, 400 if error is not None else 200
