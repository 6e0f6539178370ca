"""Attestation rules, per-province indicators, the timeline, impact and the exported report."""

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from legalbase.core import db
from legalbase.corpus.models import Regulation
from legalbase.coverage.models import Attestation
from tests.coverage.decrees import upload_decree
from tests.factories import auth, make_user

STATEMENT = {"has_basis": False, "stated_on": "2025-03-01"}


def attestation_count():
    return db.session.scalar(select(func.count()).select_from(Attestation))


def test_attestations_need_a_token_a_known_region_and_the_right_scope(client):
    _, palembang = make_user("region", "16.71")
    _, ministry = make_user("ministry", None, username="kemen")
    before = attestation_count()
    assert client.post("/api/v1/coverage/16.03/attestations", json=STATEMENT).status_code == 401
    assert (
        client.post(
            "/api/v1/coverage/99.99/attestations", headers=auth(palembang), json=STATEMENT
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/coverage/16.03/attestations", headers=auth(palembang), json=STATEMENT
        ).status_code
        == 403
    )
    response = client.post(
        "/api/v1/coverage/16.71/attestations",
        headers=auth(palembang),
        json={"has_basis": "mungkin", "stated_on": "2099-01-01"},
    )
    assert response.status_code == 422
    assert set(response.json["error"]["details"]["fields"]) == {"has_basis"}
    future = client.post(
        "/api/v1/coverage/16.71/attestations",
        headers=auth(palembang),
        json={"has_basis": False, "stated_on": "2099-01-01"},
    )
    assert future.status_code == 422
    assert attestation_count() == before
    assert (
        client.post(
            "/api/v1/coverage/16.03/attestations", headers=auth(ministry), json=STATEMENT
        ).status_code
        == 201
    )


def test_an_unknown_region_is_404(client):
    assert client.get("/api/v1/coverage/99.99").status_code == 404
    assert client.get("/api/v1/coverage?province=99").status_code == 404
    assert client.get("/api/v1/coverage/%00").status_code == 404


def test_the_document_lists_the_404_of_a_province_or_regulation_not_found(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/coverage", "/api/v1/coverage/impact"):
        assert "404" in paths[path]["get"]["responses"], path


def test_province_indicators_give_the_share_without_a_current_basis(client):
    _, token = make_user("region", "16.03")
    upload_decree(client, token, "188.45/1/KPTS/2025", "2025-06-04")
    rows = {
        row["region_code"]: row
        for row in client.get("/api/v1/coverage/provinces?as_of=2025-12-31").json
    }
    assert len(rows) == 38
    south_sumatra = rows["16"]
    assert (south_sumatra["kabkota_total"], south_sumatra["kabkota_without_current"]) == (17, 16)
    assert south_sumatra["share_without_current"] == round(16 / 17, 4)
    assert (
        south_sumatra["max_overdue_days"]
        == (client.get("/api/v1/coverage/16.01?as_of=2025-12-31").json["item"]["overdue_days"])
    )
    assert rows["31"]["kabkota_total"] == 0  # Jakarta's units are not required


def test_unreported_kabupaten_are_apart_from_the_known_gaps_of_a_province(client):
    _, token = make_user("region", "16.03")
    upload_decree(client, token, "188.45/1/KPTS/2025", "2025-06-04")
    _, ministry = make_user("ministry", None)
    statement = client.post(
        "/api/v1/coverage/16.04/attestations", headers=auth(ministry), json=STATEMENT
    )
    assert statement.status_code == 201
    rows = {
        row["region_code"]: row
        for row in client.get("/api/v1/coverage/provinces?as_of=2025-12-31").json
    }
    south_sumatra = rows["16"]
    assert south_sumatra["kabkota_unreported"] == 15
    assert south_sumatra["kabkota_lacking_reported"] == 1  # Lahat said it has none
    assert south_sumatra["share_lacking_reported"] == 0.5
    assert rows["11"]["kabkota_unreported"] == rows["11"]["kabkota_total"]
    assert rows["11"]["share_lacking_reported"] is None  # nobody reported: unknown, not 100%


def test_the_timeline_counts_each_month(client):
    _, token = make_user("region", "16.03")
    upload_decree(client, token, "188.45/1/KPTS/2025", "2025-06-04")
    points = client.get("/api/v1/coverage/timeline?from=2025-04-01&to=2025-07-15").json
    assert [point["month"] for point in points] == ["2025-04", "2025-05", "2025-06", "2025-07"]
    assert points[-1]["as_of"] == "2025-07-15"
    currents = [point["summary"]["current"] for point in points]
    assert currents[2] == currents[1] + 1
    assert all(point["summary"]["total"] == 552 for point in points)
    bad = client.get("/api/v1/coverage/timeline?from=2025-07-01&to=2025-01-01")
    assert bad.status_code == 422


def test_a_timeline_reaching_beyond_the_calendar_is_422_not_a_server_error(client):
    response = client.get("/api/v1/coverage/timeline?from=9999-11-01&to=9999-12-15")
    assert response.status_code == 422
    assert set(response.json["error"]["details"]["fields"]) == {"from", "to"}


def test_impact_lists_the_regional_bases_resting_on_a_national_act(client):
    _, token = make_user("region", "16.03")
    decree = upload_decree(client, token, "188.45/1/KPTS/2025", "2025-06-04")
    perpres_22 = db.session.scalar(
        select(Regulation.id).where(Regulation.seed_key == "perpres-22-2021")
    )
    rows = client.get(f"/api/v1/coverage/impact?regulation={perpres_22}").json["bases"]
    assert decree["id"] in [row["regulation"]["id"] for row in rows]
    assert client.get("/api/v1/coverage/impact?regulation=999999").status_code == 404
    too_large = client.get(f"/api/v1/coverage/impact?regulation={2**63}")
    assert too_large.status_code == 422
    assert set(too_large.json["error"]["details"]["fields"]) == {"regulation"}


def test_the_xlsx_report_counts_equal_the_api_summary(client):
    summary = client.get("/api/v1/coverage?as_of=2025-12-31").json["summary"]
    response = client.get("/api/v1/coverage/export.xlsx?as_of=2025-12-31")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Ringkasan", "Provinsi", "Kabupaten", "Kota"]
    counted = {
        row[0]: row[2] for row in workbook["Ringkasan"].iter_rows(min_row=7, values_only=True)
    }
    assert counted == summary
    rows = sum(workbook[name].max_row - 1 for name in ("Provinsi", "Kabupaten", "Kota"))
    assert rows == summary["total"]
    assert workbook["Kabupaten"]["A1"].value == "Kode"


def test_the_csv_report_and_the_command(client, runner, tmp_path):
    text = client.get("/api/v1/coverage/export.csv?as_of=2025-12-31").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["Kode", "Wilayah", "Tingkat", "Status"] and len(rows) == 553
    target = tmp_path / "laporan.xlsx"
    result = runner.invoke(
        args=["coverage", "report", "--as-of", "2025-12-31", "--format", "xlsx", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert load_workbook(target)["Ringkasan"]["B2"].value == "2025-12-31"
