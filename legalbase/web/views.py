"""The pages, in Bahasa Indonesia: Beranda (the map and the national counts), Wilayah, Dokumen,
Pencarian and Masuk. Each view asks one domain question and renders its answer."""

import io
from datetime import date

from flask import Blueprint, redirect, render_template, request, send_file, url_for

from ..accounts.policy import may, require, require_record_write
from ..core.audit import Actor
from ..core.dates import indonesian_date
from ..core.errors import NotFound, Unauthorized
from ..corpus.citations import cited_name
from ..corpus.files import read_upload
from ..corpus.forms import FORMS
from ..corpus.queries import regulations_of_region, with_status
from ..corpus.regulations import DECREE_FORMS, get_regulation
from ..corpus.relations import relations_of
from ..corpus.status import Since, in_force_since, revoked_since, unstated_days
from ..corpus.uploads import read_proposal, save_regulation, stage, take_staged
from ..coverage.basis import STATUSES
from ..coverage.export import STATUS_LABELS
from ..coverage.reports import coverage_report, province_indicators, region_report
from ..drafting.catalog import list_templates
from ..drafting.context import draft_context
from ..drafting.drafts import create_draft, draft_docx, get_draft
from ..regions.registry import get_region, list_regions
from ..search import backend
from ..search.query_language import CITATION, SearchRequest
from .charts import monthly_counts, timeline_chart
from .forms import form_fields
from .map import CREDIT, HEIGHT, WIDTH, province_shapes, ramp
from .session import check_csrf, csrf_token, page_user, sign_in, sign_out

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/web",
)
REGION_PAGE = 20  # regulations listed per page of a region
SORTS = {
    "kode": lambda row: row["region_code"],
    "porsi": lambda row: (-row["share_without_current"], row["region_code"]),
}


@bp.app_context_processor
def page_globals() -> dict:
    return {
        "user": page_user(),
        "csrf_token": csrf_token,
        "status_label": STATUS_LABELS,
        "may": may,
    }


@bp.app_template_filter("tanggal")
def tanggal(day: date | None, unknown: str = "tidak diketahui") -> str:
    """A date as people read it in Indonesian, '19 April 2007'; `unknown` when there is none."""
    return indonesian_date(day) if day else unknown


@bp.app_template_filter("nama")
def nama(regulation) -> str:
    """A regulation named in full, as it is cited ('Peraturan Daerah Kota Samarinda Nomor 7
    Tahun 2013')."""
    return cited_name(regulation)


@bp.app_template_filter("sejak")
def sejak(since: Since) -> str:
    """A day something took effect: the date when stated, else its year only."""
    return tanggal(since.on) if since.known else f"{since.on.year} (tanggal tidak diketahui)"


@bp.get("/")
def beranda():
    provinces = province_indicators()
    provinces.sort(key=SORTS.get(request.args.get("urut"), SORTS["kode"]))
    report = coverage_report()
    return render_template(
        "web/beranda.html",
        summary=report["summary"],
        statuses=STATUSES,
        provinces=provinces,
        shapes=province_shapes(report["items"]),
        ramp=ramp(),
        width=WIDTH,
        height=HEIGHT,
        credit=CREDIT,
        chart=timeline_chart(monthly_counts()),
    )


@bp.get("/wilayah/<code>")
def wilayah(code):
    report = region_report(code)
    region = report["item"].region
    children = coverage_report(province=code)["items"][1:] if region.level == "provinsi" else []
    return render_template(
        "web/wilayah.html",
        region=region,
        item=report["item"],
        history=report["history"],
        children=children,
        unstated=unstated_days(region.code),
        regulations=regulations_of_region(region.code, _page_number(request.args), REGION_PAGE),
    )


def _page_number(args) -> int:
    """The page asked for by `halaman` (1 when absent or not a page number: a positive
    number of at most six digits, past which no region's list reaches)."""
    raw = args.get("halaman", "")
    return max(int(raw), 1) if raw.isdigit() and len(raw) <= 6 else 1


@bp.get("/dokumen/<int:regulation_id>")
def dokumen(regulation_id):
    regulation = with_status([get_regulation(regulation_id)])[0]
    return render_template(
        "web/dokumen.html",
        regulation=regulation,
        relations=relations_of(regulation),
        today=date.today(),
        since=in_force_since(regulation),
        revoked=revoked_since(regulation),
        decree=regulation.form in DECREE_FORMS,
    )


@bp.get("/cari")
def cari():
    args = _search_args(request.args)
    result = None
    if args.q:
        result = backend().search(args)
        cited = _cited_regulation(args.q, result)
        if cited is not None:
            return redirect(url_for("web.dokumen", regulation_id=cited))
    provinces = {
        region.code: region.name for region in list_regions(level="provinsi", per_page=100).items
    }
    return render_template(
        "web/cari.html",
        args=args,
        result=result,
        form_names=FORMS,
        narrow=_narrowed_url,
        province_names={**provinces, "national": "Nasional"},
    )


def _cited_regulation(query: str, result) -> int | None:
    """The id of the regulation a query that is only a citation names, when it is found first
    ("perpres 49/2023" lands on Perpres 49/2023)."""
    match = CITATION.fullmatch(query.strip())
    if match is None or not result.items or request.args.get("daftar"):
        return None
    top = result.items[0]
    number = (match["number"] or match["number2"]).casefold()
    year = int(match["year"] or match["year2"])
    return top["id"] if (str(top["number"]).casefold(), top["year"]) == (number, year) else None


def _search_args(raw) -> SearchRequest:
    def number(name):
        return int(raw[name]) if raw.get(name, "").isdigit() else None

    in_force = {"ya": True, "tidak": False}.get(raw.get("berlaku", ""))
    return SearchRequest(
        q=raw.get("q", "").strip(),
        form=raw.get("jenis") or None,
        region=raw.get("wilayah") or None,
        year_from=number("tahun"),
        year_to=number("tahun"),
        in_force=in_force,
        sort="date" if raw.get("urut") == "tanggal" else "relevance",
        page=number("halaman") or 1,
        per_page=10,
    )


def _narrowed_url(**changes) -> str:
    params = request.args.to_dict()
    if "halaman" not in changes:
        params.pop("halaman", None)  # a narrower search starts on its first page
    params.update(changes)
    return url_for("web.cari", **{key: value for key, value in params.items() if value})


@bp.route("/unggah", methods=("GET", "POST"))
def unggah():
    user = _signed_in()
    if request.method == "GET":
        return render_template("web/unggah.html", reading=None)
    check_csrf()
    part = request.files.get("berkas")
    upload = read_upload(part.read() if part else b"")
    proposed = read_proposal(upload)
    return render_template(
        "web/unggah.html",
        reading={
            "handle": stage(upload),
            "proposal": proposed.proposal,
            "citations": proposed.citations,
            "confidence": proposed.confidence,
            "notes": proposed.notes,
            "text_status": upload.text_status,
        },
        forms=FORMS,
        user=user,
    )


@bp.post("/unggah/simpan")
def unggah_simpan():
    user = _signed_in()
    check_csrf()
    metadata = {
        key: request.form.get(key) or None
        for key in (
            "form",
            "region_code",
            "number",
            "title",
            "enacted_on",
            "place_of_enactment",
            "promulgated_on",
            "issuer",
        )
    }
    metadata["year"] = request.form.get("year") or None
    upload = take_staged(request.form.get("handle"))
    regulation = save_regulation(
        metadata,
        upload,
        Actor(user.username, user.id),
        lambda merged: require_record_write(user, merged.get("region_code")),
    )
    return redirect(url_for("web.dokumen", regulation_id=regulation.id))


@bp.route("/draf", methods=("GET", "POST"))
def draf():
    user = _signed_in()
    region = get_region(request.values.get("wilayah", ""))
    require(user, "draft", region.code)
    templates = [t for t in list_templates() if region.level in t.levels]
    chosen = _chosen(templates, request.values.get("templat"))
    preview = fields = None
    if request.method == "POST":
        check_csrf()
        fields, options = form_fields(chosen, request.form)
        if request.form.get("aksi") == "simpan":
            draft = create_draft(
                chosen.name, region.code, fields, options, Actor(user.username, user.id)
            )
            return redirect(url_for("web.draf_hasil", draft_id=draft.id))
        preview = draft_context(chosen, region.code, fields, options)
    return render_template(
        "web/draf.html",
        region=region,
        templates=templates,
        chosen=chosen,
        preview=preview,
        values=fields or {},
    )


@bp.get("/draf/<int:draft_id>")
def draf_hasil(draft_id):
    draft = _readable_draft(draft_id)
    return render_template("web/draf_hasil.html", draft=draft, region=get_region(draft.region_code))


@bp.get("/draf/<int:draft_id>/unduh")
def draf_unduh(draft_id):
    draft = _readable_draft(draft_id)
    version = draft.versions[-1]
    return send_file(
        io.BytesIO(draft_docx(version)),
        as_attachment=True,
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        download_name=f"draf-{draft.id}-v{version.number}.docx",
    )


def _readable_draft(draft_id: int):
    user = _signed_in()
    draft = get_draft(draft_id)
    require(user, "read_private", draft.region_code)
    return draft


def _chosen(templates: list, name: str | None):
    if not templates:
        raise NotFound("Tidak ada templat untuk tingkat wilayah ini.")
    return next((t for t in templates if t.name == name), templates[0])


@bp.route("/masuk", methods=("GET", "POST"))
def masuk():
    error = None
    if request.method == "POST":
        check_csrf()
        # The attempt is counted either way: a failed one answers 401 without raising, so the
        # request's unit of work commits it.
        user = sign_in(request.form.get("username", ""), request.form.get("password", ""))
        if user is not None:
            return redirect(url_for("web.beranda"))
        error = "Nama pengguna atau kata sandi salah."
    status = 401 if error else 200
    return render_template("web/masuk.html", error=error), status


def _signed_in():
    user = page_user()
    if user is None:
        raise Unauthorized("Masuk terlebih dahulu untuk membuka halaman ini.")
    return user


@bp.post("/keluar")
def keluar():
    check_csrf()
    sign_out()
    return redirect(url_for("web.beranda"))
