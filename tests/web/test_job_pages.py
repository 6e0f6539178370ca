"""The job pages: an admin uploads a ZIP of documents on /admin/impor, lands on the job's page
(the job runs inline in the tests) and downloads its result; nobody else may."""

import io
import json
import re
import zipfile

import pytest

from legalbase.core import db
from legalbase.jobs import Job
from tests.corpus.test_import_folder_api import decrees
from tests.factories import make_user

PASSWORD = "kata-sandi-impor-uji"


def csrf(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def signed_in(client, role: str, region: str | None, username: str):
    make_user(role, region, username=username, password=PASSWORD)
    data = {"username": username, "password": PASSWORD, "csrf_token": csrf(client, "/masuk")}
    assert client.post("/masuk", data=data).status_code == 302
    return client


def text(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def upload(client, archive: bytes, name: str = "arsip.zip", **fields):
    data = {"csrf_token": csrf(client, "/admin/impor"), **fields}
    data["archive"] = (io.BytesIO(archive), name)
    return client.post("/admin/impor", data=data, content_type="multipart/form-data")


@pytest.fixture
def admin(client):
    return signed_in(client, "admin", None, "admin-impor")


def test_an_admin_imports_a_zip_and_follows_the_job_to_its_result(admin):
    assert "Impor" in text(admin.get("/"))
    assert admin.get("/admin/impor").status_code == 200
    response = upload(admin, decrees(), form="kepbup", region="16.04")
    assert response.status_code == 303, response.data[:300]
    job_id = int(re.search(r"/pekerjaan/(\d+)$", response.headers["Location"]).group(1))

    page = admin.get(f"/pekerjaan/{job_id}")
    body = text(page)
    assert page.status_code == 200
    assert "Impor folder dokumen" in body
    assert "selesai" in body
    assert "2 dari 2" in body
    assert 'max="2" value="2"' in body
    assert "pekerjaan.js" in body and "<script>" not in body  # no inline script under the CSP
    assert '<a href="/admin/impor">Kembali ke Impor</a>' in page.get_data(as_text=True)
    link = re.search(r'<p id="hasil-pekerjaan"><a href="([^"]+)"', page.get_data(as_text=True))
    assert link, body

    result = admin.get(link.group(1))
    assert result.status_code == 200
    assert result.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(result.data)) as archive:
        summary = json.loads(archive.read("summary.json"))
    assert summary, summary

    state = admin.get(f"/pekerjaan/{job_id}/status").json
    assert state["status"] == "finished" and state["status_label"] == "selesai"
    assert (state["progress"], state["total"]) == (2, 2)
    assert state["result_url"] == link.group(1)


def test_a_non_zip_gives_the_form_back_with_the_indonesian_message(admin):
    before = db.session.query(Job).count()
    response = upload(admin, b"%PDF-1.4 bukan arsip", name="sk.pdf", region="16.04")
    assert response.status_code == 400
    body = text(response)
    assert "Arsip harus berupa berkas ZIP." in body
    assert 'value="16.04"' in body
    assert db.session.query(Job).count() == before


def test_an_unknown_region_is_named_on_the_form(admin):
    response = upload(admin, decrees(), region="99.99")
    assert response.status_code == 400
    assert "Kode wilayah &#39;99.99&#39; tidak dikenal." in text(response)


def test_a_post_without_its_csrf_token_is_refused(admin):
    response = admin.post(
        "/admin/impor",
        data={"archive": (io.BytesIO(decrees()), "arsip.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400


def test_only_admins_may_import(client):
    assert client.get("/admin/impor").status_code == 401
    signed_in(client, "ministry", None, "kementerian-impor")
    assert client.get("/admin/impor").status_code == 403
    assert "Impor</a>" not in text(client.get("/"))


def test_a_non_admin_gets_403_on_the_import_page(client):
    signed_in(client, "region", "16.71", "palembang-impor")
    assert client.get("/admin/impor").status_code == 403
    assert upload(client, decrees()).status_code == 403


def test_the_job_page_refuses_another_regions_user_and_a_signed_out_visitor(client, app):
    signed_in(client, "admin", None, "admin-impor-2")
    job_path = upload(client, decrees(), form="kepbup", region="16.04").headers["Location"]
    client.post("/keluar", data={"csrf_token": csrf(client, "/")})
    for path in (job_path, f"{job_path}/status", f"{job_path}/unduh"):
        assert client.get(path).status_code == 401, path
    signed_in(client, "region", "16.71", "palembang-lain")
    for path in (job_path, f"{job_path}/status", f"{job_path}/unduh"):
        assert client.get(path).status_code == 403, path
    assert client.get("/pekerjaan/999999").status_code == 404


def test_a_queued_job_offers_muat_ulang_and_no_result_yet(admin, app, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_MODE", "queued")
    job_path = upload(admin, decrees(), region="16.04").headers["Location"]
    body = text(admin.get(job_path))
    assert "antre" in body and "0 dari 0" in body
    assert "Muat ulang" in body and '<p id="muat-ulang">' in body
    assert '<p id="hasil-pekerjaan" hidden>' in body
    assert admin.get(f"{job_path}/unduh").status_code == 409
