"""Pemantauan: the ministry sees the regions lacking a current basis by province, with filters;
region users and strangers may not."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from legalbase.core import db
from legalbase.coverage.reports import record_attestation
from legalbase.jobs import Job
from tests.factories import TEST_ACTOR, make_user

PASSWORD = "kata-sandi-pemantauan"


def sign_in(client, role, region_code=None):
    make_user(role, region_code, username=f"uji-{role}", password=PASSWORD)
    page = client.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = {"username": f"uji-{role}", "password": PASSWORD, "csrf_token": token}
    assert client.post("/masuk", data=data).status_code == 302
    return client


@pytest.fixture
def ministry(client):
    """The client, signed in as a ministry user."""
    return sign_in(client, "ministry")


def text(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def totals(page) -> dict:
    return {s: int(n) for s, n in re.findall(r'data-status="(\w+)"><td>[^<]+</td><td>(\d+)<', page)}


def shown(page) -> int:
    return int(re.search(r'data-shown="(\d+)"', page).group(1))


def provinces(page) -> dict:
    """{province code: count in its heading}."""
    found = re.findall(r'data-province="(\d\d)"> <h2>[^<]+ \((\d+)\)</h2>', page)
    return {code: int(count) for code, count in found}


def test_the_ministry_sees_lagging_regions_by_province_with_the_api_totals(ministry):
    record_attestation("16.71", False, date.today(), None, TEST_ACTOR)
    db.session.commit()
    response = ministry.get("/pemantauan")
    page = text(response)
    assert response.status_code == 200 and "Pemantauan" in page
    api = ministry.get("/api/v1/coverage").json["summary"]
    assert totals(page) == api
    lagging = sum(api[s] for s in ("outdated", "expired", "missing", "unreported"))
    assert shown(page) == lagging == sum(provinces(page).values())
    assert len(provinces(page)) == 38 and "Sumatera Selatan (" in page
    row = re.search(r'data-region="16.71">(.*?)</tr>', page).group(1)
    assert 'href="/wilayah/16.71"' in row and "Tidak ada dasar hukum" in row
    assert "Dinyatakan belum memiliki dasar hukum" in row and "tidak diketahui" in row
    assert 'href="/pemantauan"' in text(ministry.get("/"))


def test_a_status_and_a_province_filter_narrow_the_list(ministry):
    record_attestation("16.71", False, date.today(), None, TEST_ACTOR)
    db.session.commit()
    page = text(ministry.get("/pemantauan?status=missing"))
    assert shown(page) == 1 and provinces(page) == {"16": 1}
    assert "sesuai saringan (Tidak ada dasar hukum)" in page
    page = text(ministry.get("/pemantauan?provinsi=16"))
    api = ministry.get("/api/v1/coverage?province=16").json["summary"]
    assert totals(page) == api and list(provinces(page)) == ["16"]
    assert shown(page) == api["missing"] + api["unreported"] + api["outdated"] + api["expired"]
    assert "di provinsi yang dipilih" in page


def test_a_minimum_of_overdue_days_filters_the_list(ministry):
    everything = shown(text(ministry.get("/pemantauan")))
    assert shown(text(ministry.get("/pemantauan?terlambat=0"))) == everything
    page = text(ministry.get("/pemantauan?terlambat=999999"))
    assert shown(page) == 0 and "Tidak ada wilayah yang sesuai dengan saringan." in page


@pytest.mark.parametrize(
    "query, message",
    [
        ("status=entah", "Status tidak dikenal: entah."),
        ("status=current", "Status tidak dikenal: current."),
        ("provinsi=99", "Provinsi &#39;99&#39; tidak dikenal."),
        ("provinsi=16.71", "Provinsi &#39;16.71&#39; tidak dikenal."),
        ("terlambat=sepuluh", "Minimal hari terlambat harus bilangan bulat 0 atau lebih."),
        ("terlambat=-3", "Minimal hari terlambat harus bilangan bulat 0 atau lebih."),
    ],
)
def test_a_bad_filter_gives_the_page_with_a_message(ministry, query, message):
    response = ministry.get(f"/pemantauan?{query}")
    assert response.status_code == 400
    assert message in text(response) and 'name="terlambat"' in text(response)


def test_a_region_user_is_refused_and_a_stranger_asked_to_sign_in(client):
    assert client.get("/pemantauan").status_code == 401
    sign_in(client, "region", "16")
    assert client.get("/pemantauan").status_code == 403
    assert 'href="/pemantauan"' not in text(client.get("/"))


def test_an_admin_may_monitor(client):
    sign_in(client, "admin")
    assert client.get("/pemantauan").status_code == 200


def csrf(client, path="/pemantauan?provinsi=16&status=unreported") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def job_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Job))


BATCH = {"template": "kepbupwal-pembentukan", "status": "unreported", "provinsi": "16"}


def test_the_ministry_starts_a_batch_for_the_shown_regions_and_lands_on_its_job(ministry):
    form = text(ministry.get("/pemantauan?provinsi=16&status=unreported"))
    assert 'action="/pemantauan/draf-massal"' in form and "Buat draf massal" in form
    assert '<input type="hidden" name="status" value="unreported">' in form
    assert '<input type="hidden" name="provinsi" value="16">' in form
    data = {**BATCH, "csrf_token": csrf(ministry)}
    response = ministry.post("/pemantauan/draf-massal", data=data)
    assert response.status_code == 303 and "/pekerjaan/" in response.location
    page = text(ministry.get(response.location))
    assert "Penyusunan draf massal" in page and "selesai" in page
    assert re.search(r'href="/pekerjaan/\d+/unduh"', page)
    job = db.session.scalars(select(Job)).one()
    assert job.status == "finished" and job.params["province"] == "16"
    assert job.params["statuses"] == ["unreported"]


def test_an_unknown_template_gives_the_page_back_with_the_message_and_no_job(ministry):
    data = {**BATCH, "template": "tidak-ada", "csrf_token": csrf(ministry)}
    response = ministry.post("/pemantauan/draf-massal", data=data)
    assert response.status_code == 400
    assert "Templat &#39;tidak-ada&#39; tidak ditemukan." in text(response)
    assert job_count() == 0


def test_a_region_user_may_not_start_a_batch(client):
    sign_in(client, "region", "16")
    data = {**BATCH, "csrf_token": csrf(client, "/masuk")}
    assert client.post("/pemantauan/draf-massal", data=data).status_code == 403
    assert job_count() == 0


def test_a_batch_without_the_csrf_token_is_refused(ministry):
    assert ministry.post("/pemantauan/draf-massal", data=BATCH).status_code == 400
    assert job_count() == 0
