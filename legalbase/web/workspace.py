"""Ruang kerja wilayah: a regional legal bureau's daily work on one page. Its region's status
with the next step, its regulations, its drafts through their states (draf, diajukan,
ditetapkan), the attestation form and, for a province, its kabupaten/kota. Each view checks the
caller, parses the request and calls one domain function."""

import io
from dataclasses import dataclass, field
from datetime import date

from flask import (
    Blueprint,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from ..accounts.models import User
from ..accounts.policy import may, require
from ..core import db
from ..core.audit import Actor
from ..core.errors import (
    Conflict,
    DomainError,
    Invalid,
    PayloadTooLarge,
    Unauthorized,
    UnsupportedMediaType,
)
from ..corpus.forms import FORMS, scope_admits
from ..corpus.queries import regulations_of_region
from ..coverage.basis import RegionCoverage
from ..coverage.reports import coverage_report, record_attestation, region_report
from ..drafting.catalog import list_templates
from ..drafting.drafts import draft_docx, draft_pdf, get_draft, version_of
from ..drafting.lifecycle import STATE_LABELS, drafts_of_region, enact_draft, submit_draft
from ..drafting.pdf import libreoffice
from ..regions.models import Region
from ..regions.registry import get_region
from .session import check_csrf, page_user

bp = Blueprint("workspace", __name__)
PER_PAGE = 20
SORTS = {"tanggal": "date", "nomor": "number"}
ATTESTATIONS = {"belum": False, "ada": True}
ATTESTABLE = ("unreported", "missing")  # a statement changes these only
NOTE_AT_MOST = 2000
PAGE_DIGITS = 6
AMENDMENT_TEMPLATE = "keputusan-perubahan"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REFUSALS = (Invalid, Conflict, UnsupportedMediaType, PayloadTooLarge)
NEXT_STEPS = {
    "current": (
        "Dasar hukum berlaku dan mutakhir: tidak ada tindakan yang diperlukan sampai peraturan "
        "nasional berubah.",
        None,
    ),
    "outdated": ("Dasar hukum perlu disesuaikan: buat draf perubahan.", "perubahan"),
    "expired": (
        "Masa berlaku dasar hukum telah habis: buat draf keputusan pembentukan yang baru.",
        "pembentukan",
    ),
    "missing": (
        "Belum ada dasar hukum: buat draf keputusan pembentukan Gugus Tugas PP-TPPO.",
        "pembentukan",
    ),
    "unreported": (
        "Belum melapor: unggah dasar hukum yang sudah ada, atau nyatakan bahwa belum ada lalu "
        "buat draf keputusan pembentukan Gugus Tugas PP-TPPO.",
        "pembentukan",
    ),
    "not_required": (
        "Tidak diwajibkan: daerah administratif dicakup oleh dasar hukum provinsinya.",
        None,
    ),
}
WORK_STEPS = {
    "draf": "Draf {id} sedang disusun: periksa temuannya, lalu ajukan untuk ditandatangani.",
    "diajukan": "Draf {id} telah diajukan: unggah SK yang telah ditandatangani kepala daerah.",
}


@dataclass
class Listing:
    """What the regulations list is asked for; `problems` names each bad value in Indonesian."""

    form: str = ""
    words: str = ""
    sort: str = "tanggal"
    page: int = 1
    problems: list[str] = field(default_factory=list)


@bp.get("/ruang-kerja")
def ruang_kerja():
    """A region user's own workspace; the ministry and admins go to Pemantauan."""
    user = _signed_in()
    if user.role == "region" and user.region_code:
        return redirect(url_for("workspace.wilayah", code=user.region_code))
    return redirect(url_for("monitoring.pemantauan"))


@bp.get("/ruang-kerja/<code>")
def wilayah(code):
    """One region's workspace, for those who may read its private records (400 on a bad
    filter of its regulations)."""
    user, region = _reader(code)
    listing = parse_listing(request.args, region)
    return _page(user, region, listing, 400 if listing.problems else 200)


@bp.post("/ruang-kerja/<code>/pernyataan")
def pernyataan(code):
    """Record the region's statement on its basis, or give the form back with its reasons."""
    user, region = _reader(code)
    require(user, "attest", region.code)
    check_csrf()
    values = {name: request.form.get(name, "").strip() for name in ("ada", "tanggal", "catatan")}
    problems = attestation_problems(values)
    if not problems:
        try:
            record_attestation(
                region.code,
                ATTESTATIONS[values["ada"]],
                date.fromisoformat(values["tanggal"]),
                values["catatan"] or None,
                _actor(user),
            )
        except Invalid as error:
            problems = [error.message]
    if problems:
        shown = {"values": values, "problems": problems}
        return _page(user, region, Listing(), 400, attestation=shown)
    flash("Pernyataan tercatat.")
    return redirect(url_for("workspace.wilayah", code=region.code, _anchor="status"), 303)


@bp.post("/draf/<int:draft_id>/ajukan")
def ajukan(draft_id):
    """Mark a draft sent for the regional head's signature, then back to the workspace."""
    user, draft, refused = _drafter(draft_id)
    if refused:
        return refused
    try:
        submit_draft(draft.id, _actor(user))
    except Conflict as error:
        return _refused(user, draft, error, 409)
    flash(f"Draf {draft_id} diajukan untuk ditandatangani kepala daerah.")
    return _back_to(draft)


@bp.post("/draf/<int:draft_id>/penetapan")
def penetapan(draft_id):
    """Record the signed SK of a draft sent for signature; the region's status follows it."""
    user, draft, refused = _drafter(draft_id)
    if refused:
        return refused
    try:
        filename, content = _signed_file()
        regulation = enact_draft(
            draft.id,
            filename,
            content,
            _actor(user),
            number=request.form.get("nomor", "").strip() or None,
            signed_on=_signed_on(request.form.get("tanggal", "").strip()),
        )
    except REFUSALS as error:  # a refused form is a 400 on the pages, as in Administrasi
        return _refused(user, draft, error, 400 if isinstance(error, Invalid) else error.status)
    flash(f"Draf {draft_id} ditetapkan; SK-nya tersimpan sebagai dokumen {regulation.id}.")
    return _back_to(draft)


@bp.get("/draf/<int:draft_id>/docx")
def draf_docx(draft_id):
    """One version of a draft as DOCX (the newest unless `versi` asks)."""
    draft, version = _readable_version(draft_id)
    return _send(draft_docx(version), DOCX, f"draf-{draft.id}-v{version.number}.docx")


@bp.get("/draf/<int:draft_id>/pdf")
@db.transaction(db.WRITES)  # the first conversion keeps the PDF
def draf_pdf(draft_id):
    """One version of a draft as PDF (LibreOffice; 501 where it is not installed)."""
    draft, version = _readable_version(draft_id)
    return _send(draft_pdf(version), "application/pdf", f"draf-{draft.id}-v{version.number}.pdf")


# --- who is asking -------------------------------------------------------------------------


def _signed_in() -> User:
    user = page_user()
    if user is None:
        raise Unauthorized("Masuk terlebih dahulu untuk membuka halaman ini.")
    return user


def _reader(code: str) -> tuple[User, Region]:
    """The signed-in user and the region, when they may read its private records."""
    user = _signed_in()
    region = get_region(code)
    require(user, "read_private", region.code)
    return user, region


def _drafter(draft_id: int):
    """(user, draft, None) when the user may act on the draft; else the page refusing it."""
    user = _signed_in()
    draft = get_draft(draft_id)
    require(user, "read_private", draft.region_code)
    check_csrf()
    if not may(user, "draft", draft.region_code):
        message = "Anda hanya dapat membaca ruang kerja wilayah ini, tidak mengubah drafnya."
        return user, draft, _refused(user, draft, message, 403)
    return user, draft, None


def _actor(user: User) -> Actor:
    return Actor(user.username, user.id)


def _readable_version(draft_id: int):
    user = _signed_in()
    draft = get_draft(draft_id)
    require(user, "read_private", draft.region_code)
    raw = request.args.get("versi", "")
    number = int(raw) if raw.isdigit() and len(raw) <= PAGE_DIGITS else None
    return draft, version_of(draft, number)


def _send(content: bytes, mimetype: str, name: str):
    return send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=name)


# --- reading the forms -----------------------------------------------------------------------


def parse_listing(args, region: Region) -> Listing:
    """The filters, sort and page of the regulations list, each bad value named."""
    listing = Listing(
        form=args.get("jenis", "").strip(),
        words=" ".join(args.get("kata", "").split())[:200],
        sort=args.get("urut", "").strip() or "tanggal",
    )
    if listing.form and listing.form not in forms_of(region):
        listing.problems.append(f"Jenis peraturan '{listing.form}' tidak dikenal di wilayah ini.")
    if listing.sort not in SORTS:
        listing.problems.append("Urutan harus 'tanggal' atau 'nomor'.")
    raw = args.get("halaman", "")
    listing.page = max(int(raw), 1) if raw.isdigit() and len(raw) <= PAGE_DIGITS else 1
    return listing


def forms_of(region: Region) -> dict:
    """The forms a record of this region may take, by code."""
    return {code: form for code, form in FORMS.items() if scope_admits(form.scope, region.level)}


def attestation_problems(values: dict) -> list[str]:
    """What is wrong with an attestation form, in Indonesian (empty when it may be recorded)."""
    problems = []
    if values["ada"] not in ATTESTATIONS:
        problems.append("Pilih apakah wilayah belum memiliki dasar hukum atau sudah memilikinya.")
    try:
        date.fromisoformat(values["tanggal"])
    except ValueError:
        problems.append("Tanggal pernyataan harus berupa tanggal (TTTT-BB-HH).")
    if len(values["catatan"]) > NOTE_AT_MOST:
        problems.append(f"Catatan paling banyak {NOTE_AT_MOST} karakter.")
    return problems


def _signed_file() -> tuple[str, bytes]:
    part = request.files.get("berkas")
    content = part.read() if part else b""
    if not content:
        raise Invalid(
            "Pilih berkas SK yang telah ditandatangani (PDF atau DOCX).",
            {"fields": {"berkas": ["Berkas belum dipilih."]}},
        )
    return part.filename or "sk-ditandatangani", content


def _signed_on(raw: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid(
            "Tanggal penetapan harus berupa tanggal (TTTT-BB-HH).",
            {"fields": {"tanggal": ["Tanggal tidak valid."]}},
        ) from None


# --- the page --------------------------------------------------------------------------------


def _refused(user: User, draft, error: DomainError | str, status: int):
    """The draft's workspace again, with why its action was refused; nothing it began is
    kept."""
    code = draft.region_code
    db.session.rollback()
    message = error if isinstance(error, str) else _message(error)
    return _page(user, get_region(code), Listing(), status, refusals={draft.id: message})


def _message(error: DomainError) -> str:
    details = [text for texts in error.details.get("fields", {}).values() for text in texts]
    return " ".join([error.message, *[text for text in details if text != error.message]])


def _back_to(draft):
    anchor = f"draf-{draft.id}"
    return redirect(url_for("workspace.wilayah", code=draft.region_code, _anchor=anchor), 303)


def _page(user: User, region: Region, listing: Listing, status: int = 200, **shown):
    item = region_report(region.code)["item"]
    page = render_template(
        "web/ruang_kerja.html",
        region=region,
        item=item,
        step=next_step(item),
        today=date.today(),
        listing=listing,
        forms=forms_of(region),
        regulations=_regulations(region, listing),
        drafts=drafts_of_region(region.code),
        state_labels=STATE_LABELS,
        template_titles={template.name: template.title for template in list_templates()},
        pdf=libreoffice() is not None,
        children=_children(region),
        read_only=not (may(user, "attest", region.code) or may(user, "draft", region.code)),
        may_attest=may(user, "attest", region.code) and item.status in ATTESTABLE,
        may_draft=may(user, "draft", region.code) and region.autonomous,
        attestation=shown.get("attestation") or _blank_attestation(),
        refusals=shown.get("refusals", {}),
        notices=get_flashed_messages(),
    )
    return page, status


def _regulations(region: Region, listing: Listing):
    if listing.problems:
        return None
    return regulations_of_region(
        region.code,
        listing.page,
        PER_PAGE,
        form=listing.form or None,
        words=listing.words or None,
        sort=SORTS[listing.sort],
    )


def _children(region: Region) -> list[RegionCoverage]:
    """A province's kabupaten/kota with their coverage (none for a kabupaten/kota)."""
    if region.level != "provinsi":
        return []
    return coverage_report(province=region.code)["items"][1:]


def _blank_attestation() -> dict:
    return {"values": {"tanggal": date.today().isoformat()}, "problems": []}


def next_step(item: RegionCoverage) -> dict:
    """What the region should do next, in words, and which draft to make (`perubahan`,
    `pembentukan`) or continue (`draft_id`)."""
    work = getattr(item, "in_progress", None)
    if work and work.get("state") in WORK_STEPS:
        text = WORK_STEPS[work["state"]].format(id=work["draft_id"])
        return {"text": text, "draft": None, "draft_id": work["draft_id"]}
    text, kind = NEXT_STEPS[item.status]
    return {"text": text, "draft": kind, "draft_id": None}


@bp.app_template_global("tautan_draf")
def tautan_draf(region: Region, kind: str) -> str:
    """The drafting wizard for the region, with the amendment template for `perubahan`."""
    if kind == "perubahan":
        return url_for("web.draf", wilayah=region.code, templat=AMENDMENT_TEMPLATE)
    return url_for("web.draf", wilayah=region.code)
