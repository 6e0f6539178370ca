"""A region lacking a current basis whose draft is not yet enacted counts as in progress, beside
its status, in every summary, the region's answer, the provinces and the export."""

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from legalbase.core import db
from legalbase.drafting.drafts import create_draft
from legalbase.drafting.lifecycle import submit_draft
from tests.coverage.decrees import upload_decree
from tests.factories import TEST_ACTOR, make_user

LAHAT = "16.04"  # Kabupaten Lahat: unreported in the seed corpus
TEMPLATE = "kepbupwal-pembentukan"
FIELDS = {
    "nama_penandatangan": "Cik Ujang",
    "anggota": [{"jabatan_gt": "Ketua", "jabatan": "Bupati Lahat"}],
}


def draft_for(code=LAHAT, template=TEMPLATE):
    draft = create_draft(template, code, FIELDS, {}, TEST_ACTOR)
    db.session.commit()
    return draft


@pytest.fixture
def current_code(client):
    """Kabupaten Muara Enim, given a current basis."""
    token = make_user("region", "16.03")[1]
    upload_decree(client, token, "188.45/1/KPTS/2025", "2025-01-10")
    assert client.get("/api/v1/coverage/16.03").json["item"]["status"] == "current"
    return "16.03"


def test_a_draft_counts_its_region_in_progress_beside_its_status(client):
    before = client.get("/api/v1/coverage").json["summary"]
    draft = draft_for()
    after = client.get("/api/v1/coverage").json["summary"]
    assert after["in_progress"] == before["in_progress"] + 1
    assert {k: v for k, v in after.items() if k != "in_progress"} == {
        k: v for k, v in before.items() if k != "in_progress"
    }
    item = client.get(f"/api/v1/coverage/{LAHAT}").json["item"]
    assert item["status"] == "unreported"
    assert item["in_progress"] == {
        "draft_id": draft.id,
        "state": "draf",
        "state_label": "Draf",
        "since": date.today().isoformat(),
    }


def test_a_submitted_draft_says_so(client):
    draft = draft_for()
    submit_draft(draft.id, TEST_ACTOR)
    db.session.commit()
    item = client.get(f"/api/v1/coverage/{LAHAT}").json["item"]
    assert (item["in_progress"]["state"], item["in_progress"]["state_label"]) == (
        "diajukan",
        "Diajukan untuk ditandatangani",
    )


def test_a_region_already_current_is_not_in_progress(client, current_code):
    before = client.get("/api/v1/coverage").json["summary"]["in_progress"]
    draft_for(current_code)
    assert client.get("/api/v1/coverage").json["summary"]["in_progress"] == before
    assert client.get(f"/api/v1/coverage/{current_code}").json["item"]["in_progress"] is None


def test_before_the_draft_was_made_nothing_was_in_progress(client):
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    draft_for()
    earlier = client.get("/api/v1/coverage", query_string={"as_of": yesterday}).json
    lahat = next(item for item in earlier["items"] if item["region_code"] == LAHAT)
    assert lahat["in_progress"] is None
    assert earlier["summary"]["in_progress"] == 0
    assert client.get("/api/v1/coverage").json["summary"]["in_progress"] == 1


def test_the_provinces_and_the_timeline_count_it(client):
    draft_for()
    provinces = client.get("/api/v1/coverage/provinces").json
    south_sumatra = next(row for row in provinces if row["region_code"] == "16")
    assert south_sumatra["kabkota_in_progress"] == 1
    assert all(row["kabkota_in_progress"] == 0 for row in provinces if row["region_code"] != "16")
    today = date.today().isoformat()
    points = client.get("/api/v1/coverage/timeline", query_string={"from": today, "to": today})
    assert points.json[-1]["summary"]["in_progress"] == 1


def test_the_export_names_the_draft_s_state(client):
    draft_for()
    text = client.get("/api/v1/coverage/export.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    by_code = {row["Kode"]: row for row in rows}
    assert by_code[LAHAT]["Sedang disusun"] == "Draf"
    assert sum(1 for row in rows if row["Sedang disusun"]) == 1
    workbook = load_workbook(io.BytesIO(client.get("/api/v1/coverage/export.xlsx").data))
    summary = {row[0]: row[2] for row in workbook["Ringkasan"].iter_rows(values_only=True)}
    assert summary["in_progress"] == 1
    sheet = workbook["Kabupaten"]
    headers = [cell.value for cell in sheet[1]]
    lahat = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == LAHAT)
    assert lahat[headers.index("Sedang disusun")] == "Draf"
