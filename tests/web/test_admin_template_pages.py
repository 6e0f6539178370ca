"""The Administrasi pages of templates: an admin sees every template with all its versions and
their check, uploads a version (its check runs as a job whose page the browser goes to) and
retires one; nobody else may."""

import io
import re

import pytest

from legalbase.drafting.catalog import uploaded_root
from legalbase.jobs import run_job
from tests.drafting.test_template_retire import keep_version
from tests.drafting.test_template_uploads import FIELDS, NAME, manifest_text, template_bytes
from tests.factories import auth, make_user
from tests.web.test_admin_pages import csrf, sign_in, text

PASSWORD = "kata-sandi-admin-uji"
LIST = "/admin/templat"


@pytest.fixture
def instance(app, tmp_path, monkeypatch):
    """An instance folder of the test's own; jobs only queued unless a test runs them."""
    folder = tmp_path / "instance"
    monkeypatch.setattr(app, "instance_path", str(folder))
    monkeypatch.setitem(app.config, "JOBS_MODE", "queued")
    return folder


@pytest.fixture
def admin(client, instance):
    """The client, signed in as an admin."""
    make_user("admin", None, username="admin-uji", password=PASSWORD)
    assert sign_in(client, "admin-uji", PASSWORD)
    return client


def row(page: str, version: int) -> str:
    return re.search(rf'<tr data-version="{version}"(.*?)</tr>', page).group(1)


def upload(client, manifest=None, template=None, **extra):
    data = {
        "csrf_token": csrf(client, LIST),
        "manifest": (io.BytesIO((manifest or manifest_text()).encode()), "manifest.yaml"),
        "template": (io.BytesIO(template or template_bytes()), "template.docx"),
        **extra,
    }
    return client.post(LIST, data=data, content_type="multipart/form-data")


def retire(client, version, name=NAME):
    page = f"{LIST}/{name}"
    return client.post(f"{page}/{version}/pensiun", data={"csrf_token": csrf(client, page)})


def stored() -> list[str]:
    root = uploaded_root()
    found = root.rglob("*") if root.exists() else []
    return sorted(str(path.relative_to(root)) for path in found if path.name != ".lock")


def test_the_list_shows_every_version_its_check_and_the_one_drafts_use(admin):
    keep_version(2)
    keep_version(3, "refused", "Render untuk Kabupaten Aceh Selatan gagal: batas waktu.")
    keep_version(4, "pending")
    assert 'href="/admin/templat"' in admin.get("/").get_data(as_text=True)
    page = text(admin.get(LIST))
    assert "draf baru memakai versi 2" in page
    assert "siap" in row(page, 1) and "bawaan" in row(page, 1) and "data-chosen" not in row(page, 1)
    assert "siap" in row(page, 2) and 'data-chosen="true"' in row(page, 2)
    assert "ditolak: " in row(page, 3) and "Kabupaten Aceh Selatan gagal" in row(page, 3)
    assert "sedang diperiksa" in row(page, 4)
    assert page.index('data-version="4"') < page.index('data-version="1"')  # newest first


def test_an_upload_starts_the_check_as_a_job_whose_page_says_so(admin):
    response = upload(admin)
    assert response.status_code == 303
    job_page = response.headers["Location"]
    assert re.fullmatch(r"/pekerjaan/\d+", job_page)
    page = text(admin.get(job_page))
    assert "Pemeriksaan templat" in page and "antre" in page
    assert f'<a href="{LIST}/{NAME}">Kembali ke Templat {NAME}</a>' in admin.get(job_page).get_data(
        as_text=True
    )
    assert "sedang diperiksa" in row(text(admin.get(f"{LIST}/{NAME}")), 2)
    assert stored() == [
        NAME,
        f"{NAME}/2",
        f"{NAME}/2/manifest.yaml",
        f"{NAME}/2/template.docx",
        f"{NAME}/2/validation.json",
    ]


@pytest.mark.slow
def test_the_check_for_every_region_finishes_and_the_version_is_used(admin, client):
    job_page = upload(admin).headers["Location"]
    run_job(int(job_page.rsplit("/", 1)[1]))
    page = text(admin.get(job_page))
    # every autonomous kabupaten and kota: 514 less DKI Jakarta's six administrative ones
    assert "selesai" in page and "508 dari 508" in page
    assert 'data-chosen="true"' in row(text(admin.get(LIST)), 2)


@pytest.mark.parametrize(
    "manifest, status, reason",
    [
        (manifest_text(drop="levels"), 400, "kunci &#39;levels&#39; wajib ada"),
        (manifest_text(name="../../etc"), 400, "name: huruf kecil, angka, dan tanda hubung"),
        (manifest_text(version=1), 409, "sudah ada dengan versi 1"),
        (" ", 400, "Wajib diisi: isi manifest.yaml."),
    ],
    ids=["missing-key", "bad-name", "not-newer", "empty"],
)
def test_a_refused_upload_gives_the_form_back_with_the_reason(admin, manifest, status, reason):
    response = upload(admin, manifest)
    assert response.status_code == status
    page = text(response)
    assert "Templat belum disimpan" in page and reason in page
    assert stored() == []


def test_a_broken_docx_too_large_or_not_multipart_upload_is_refused(admin, app, monkeypatch):
    page = text(upload(admin, template=b"bukan dokumen Word"))
    assert "Berkas DOCX rusak: arsipnya tidak dapat dibaca." in page and stored() == []
    not_multipart = admin.post(LIST, data={"csrf_token": csrf(admin, LIST), "manifest": "x"})
    assert not_multipart.status_code == 415 and "multipart/form-data" in text(not_multipart)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    too_large = upload(admin)
    assert too_large.status_code == 413 and "melebihi batas 1000 bita" in text(too_large)
    assert stored() == []


def test_a_retired_version_is_not_used_by_a_new_draft_nor_listed_by_the_api(admin, client):
    keep_version(2)
    response = retire(admin, 2)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/{NAME}")
    page = text(admin.get(f"{LIST}/{NAME}"))
    assert "dipensiunkan oleh admin-uji" in row(page, 2)
    assert 'data-chosen="true"' in row(page, 1) and "Pensiunkan versi 2" not in page
    listed = {t["name"]: t["version"] for t in client.get("/api/v1/templates").json}
    assert listed[NAME] == 1
    token = make_user("region", "16.03")[1]
    draft = client.post(
        "/api/v1/drafts",
        headers=auth(token),
        json={"template": NAME, "region_code": "16.03", "fields": FIELDS},
    )
    assert draft.status_code == 201 and draft.json["template_version"] == 1


def test_the_last_usable_version_is_not_retired_and_the_page_says_why(admin):
    response = retire(admin, 1)
    assert response.status_code == 409
    page = text(response)
    assert "satu-satunya versi yang dapat dipakai" in page and "unggah versi baru" in page
    assert 'data-chosen="true"' in row(page, 1)
    assert retire(admin, 9).status_code == 404
    assert admin.get(f"{LIST}/tidak-ada").status_code == 404


def test_a_form_without_its_csrf_token_is_refused(admin):
    keep_version(2)
    response = admin.post(f"{LIST}/{NAME}/2/pensiun", data={})
    assert response.status_code == 400 and "Formulir kedaluwarsa" in text(response)
    assert "dipensiunkan" not in row(text(admin.get(LIST)), 2)


@pytest.mark.parametrize(
    "role, region", [("region", "16.03"), ("region", "16"), ("ministry", None)]
)
def test_only_admins_may_open_or_use_the_template_pages(client, instance, role, region):
    keep_version(2)
    make_user(role, region, username="bukan-admin", password=PASSWORD)
    assert sign_in(client, "bukan-admin", PASSWORD)
    assert 'href="/admin/templat"' not in client.get("/").get_data(as_text=True)
    token = csrf(client, "/")
    for path in (LIST, f"{LIST}/{NAME}"):
        assert client.get(path).status_code == 403
    assert client.post(f"{LIST}/{NAME}/2/pensiun", data={"csrf_token": token}).status_code == 403
    assert client.post(LIST, data={"csrf_token": token}).status_code == 403
    assert "dipensiunkan" not in str(stored())


def test_signed_out_callers_are_asked_to_sign_in(client, instance):
    assert client.get(LIST).status_code == 401
    assert client.post(f"{LIST}/{NAME}/1/pensiun").status_code == 401
