"""The Administrasi pages of drafting templates, for admins only: every template with all its
versions, their check for every region and their retirement; uploading a template or a new
version (its check runs as a job, whose page the browser goes to); retiring a version. Each
view checks the caller, parses the form and calls one domain function."""

from flask import Blueprint, redirect, render_template, url_for

from ..accounts.policy import require
from ..core.audit import Actor
from ..core.errors import (
    Conflict,
    Invalid,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    UnsupportedMediaType,
)
from ..drafting.catalog import list_templates, template_versions
from ..drafting.template_views import upload_parts
from ..drafting.uploads import retire_template_version, start_validation, upload_template
from ..service.api import refuse_too_large
from .session import check_csrf, page_user

bp = Blueprint("admin_templates", __name__, url_prefix="/admin")
UPLOAD_ERRORS = (Invalid, Conflict, UnsupportedMediaType, PayloadTooLarge)
VALIDATION_LABELS = {"pending": "sedang diperiksa", "ready": "siap", "refused": "ditolak"}


def _template_admin() -> Actor:
    """The signed-in admin as an audit actor (401 signed out, 403 not allowed to manage
    templates)."""
    user = page_user()
    if user is None:
        raise Unauthorized("Masuk terlebih dahulu untuk membuka halaman ini.")
    require(user, "manage_templates")
    return Actor(user.username, user.id)


@bp.get("/templat")
def templat():
    """Every template with its versions, and the form that uploads one."""
    _template_admin()
    return _list_page()


@bp.post("/templat")
def templat_unggah():
    """Keep an uploaded template or version and start its check for every region, then go to
    the check's job page; a refused upload gives the form back with the reasons."""
    actor = _template_admin()
    try:
        refuse_too_large()
        check_csrf()
        template = upload_template(*upload_parts(), actor)
    except UPLOAD_ERRORS as error:
        return _list_page(error)
    job = start_validation(template, actor)
    return redirect(url_for("jobs_pages.pekerjaan", job_id=job.id), 303)


@bp.get("/templat/<template_name>")
def templat_satu(template_name):
    """One template: its versions, which one new drafts use, and retiring a version."""
    _template_admin()
    return _template_page(template_name)


@bp.post("/templat/<template_name>/<int:template_version>/pensiun")
def templat_pensiun(template_name, template_version):
    """Retire a version, then go back to its template; a refusal is said on that page (409)."""
    actor = _template_admin()
    check_csrf()
    try:
        retire_template_version(template_name, template_version, actor)
    except Conflict as error:
        return _template_page(template_name, error)
    return redirect(url_for(".templat_satu", template_name=template_name), 303)


def catalogue(name: str | None = None) -> list[dict]:
    """The templates (one if named) as the pages show them: title, the version new drafts
    use, and every version kept, newest first."""
    chosen = {t.name: (t.version, t.source) for t in list_templates(kind=None)}
    grouped: dict[str, list] = {}
    for kept in template_versions(name):
        grouped.setdefault(kept.template.name, []).append(kept)
    return [
        {
            "name": template_name,
            "title": versions[-1].template.title,
            "chosen": chosen.get(template_name),
            "versions": versions[::-1],
        }
        for template_name, versions in grouped.items()
    ]


def _list_page(error: Exception | None = None):
    page = render_template(
        "web/admin_templat.html",
        templates=catalogue(),
        labels=VALIDATION_LABELS,
        message=error.message if error is not None else None,
        problems=_problems(error),
    )
    return page, _status(error)


def _template_page(name: str, error: Conflict | None = None):
    found = catalogue(name)
    if not found:
        raise NotFound(f"Templat '{name}' tidak ditemukan.", {"template": name})
    page = render_template(
        "web/admin_templat_satu.html",
        template=found[0],
        labels=VALIDATION_LABELS,
        message=error.message if error is not None else None,
    )
    return page, _status(error)


def _problems(error: Exception | None) -> dict:
    if error is None:
        return {}
    return error.details.get("fields") or {}


def _status(error: Exception | None) -> int:
    """200, or the refusal's own status (413, 415, 409), an invalid form being a 400."""
    if error is None:
        return 200
    return 400 if isinstance(error, Invalid) else error.status
