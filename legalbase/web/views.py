"""The pages, in Bahasa Indonesia: Beranda (the map and the national counts), Wilayah, Dokumen,
Pencarian and Masuk. Each view asks one domain question and renders its answer."""

from datetime import date

from flask import Blueprint, redirect, render_template, request, url_for

from ..corpus.queries import with_status
from ..corpus.regulations import get_regulation
from ..corpus.relations import relations_of
from ..coverage.basis import STATUSES
from ..coverage.export import STATUS_LABELS
from ..coverage.reports import coverage_report, province_indicators, region_report
from ..regions.registry import get_region
from .map import CREDIT, HEIGHT, WIDTH, province_paths, shade
from .session import check_csrf, csrf_token, page_user, sign_in, sign_out

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/web")
SORTS = {"kode": lambda row: row["region_code"],
         "porsi": lambda row: (-row["share_without_current"], row["region_code"])}


@bp.app_context_processor
def page_globals() -> dict:
    return {"user": page_user(), "csrf_token": csrf_token, "status_label": STATUS_LABELS}


@bp.get("/")
def beranda():
    provinces = province_indicators()
    provinces.sort(key=SORTS.get(request.args.get("urut"), SORTS["kode"]))
    summary = coverage_report()["summary"]
    paths = province_paths()
    shapes = [{"row": row, "path": paths[row["region_code"]],
               "fill": shade(row["share_without_current"])} for row in provinces]
    return render_template("web/beranda.html", summary=summary, statuses=STATUSES,
                           provinces=provinces, shapes=shapes, width=WIDTH, height=HEIGHT,
                           credit=CREDIT)


@bp.get("/wilayah/<code>")
def wilayah(code):
    report = region_report(code)
    region = report["item"].region
    children = (coverage_report(province=code)["items"][1:]
                if region.level == "provinsi" else [])
    return render_template("web/wilayah.html", region=region, item=report["item"],
                           history=report["history"], children=children)


@bp.get("/dokumen/<int:regulation_id>")
def dokumen(regulation_id):
    regulation = with_status([get_regulation(regulation_id)])[0]
    region = get_region(regulation.region_code) if regulation.region_code else None
    return render_template("web/dokumen.html", regulation=regulation, region=region,
                           relations=relations_of(regulation), today=date.today())


@bp.route("/masuk", methods=("GET", "POST"))
def masuk():
    error = None
    if request.method == "POST":
        check_csrf()
        if sign_in(request.form.get("username", ""), request.form.get("password", "")):
            return redirect(url_for("web.beranda"))
        error = "Nama pengguna atau kata sandi salah."
    status = 401 if error else 200
    return render_template("web/masuk.html", error=error), status


@bp.post("/keluar")
def keluar():
    check_csrf()
    sign_out()
    return redirect(url_for("web.beranda"))
