"""Pemantauan: the ministry sees the regions lacking a current basis by province, with filters,
which of them are drafting their basis, and each region's history; region users and strangers
may not."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from legalbase.core import db
from legalbase.coverage.reports import record_attestation
from legalbase.drafting.drafts import create_draft
from legalbase.drafting.lifecycle import submit_draft
from legalbase.jobs import Job
from tests.coverage.decrees import upload_decree
from tests.factories import TEST_ACTOR, auth, make_user

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
        ("disusun=mungkin", "Pilihan sedang disusun &#39;mungkin&#39; tidak dikenal."),
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


# --- in progress: a region drafting its basis ---------------------------------------------------

TEMPLATE = "kepbupwal-pembentukan"
FIELDS = {
    "nama_penandatangan": "Drs. H. Ratu Dewa",
    "tanggal_penetapan": "2025-06-04",
    "anggota": [{"jabatan_gt": "Ketua", "jabatan": "Wali Kota Palembang"}],
}


def drafting(code="16.71"):
    """A draft of the region's task force decree, not yet enacted."""
    draft = create_draft(TEMPLATE, code, FIELDS, {}, TEST_ACTOR)
    db.session.commit()
    return draft


def row_of(page, code) -> str:
    return re.search(rf'data-region="{re.escape(code)}">(.*?)</tr>', page).group(1)


def test_a_region_drafting_its_basis_is_shown_in_progress_with_its_state(ministry):
    draft = drafting()
    page = text(ministry.get("/pemantauan?provinsi=16"))
    api = ministry.get("/api/v1/coverage?province=16").json["summary"]
    assert api["in_progress"] == 1 and totals(page) == api
    assert 'data-disusun="draf">Draf<' in row_of(page, "16.71")
    assert 'data-disusun="">—<' in row_of(page, "16.72")
    submit_draft(draft.id, TEST_ACTOR)
    db.session.commit()
    row = row_of(text(ministry.get("/pemantauan?provinsi=16")), "16.71")
    assert 'data-disusun="diajukan">Diajukan untuk ditandatangani<' in row


def test_the_national_totals_count_the_regions_in_progress_as_the_api_does(ministry):
    drafting("16.71")
    drafting("16.03")
    page = text(ministry.get("/pemantauan"))
    api = ministry.get("/api/v1/coverage").json["summary"]
    assert totals(page)["in_progress"] == api["in_progress"] == 2
    assert totals(page) == api


def test_the_in_progress_filter_keeps_only_or_leaves_out_the_regions_drafting(ministry):
    drafting("16.71")
    everything = shown(text(ministry.get("/pemantauan?provinsi=16")))
    only = text(ministry.get("/pemantauan?provinsi=16&disusun=ya"))
    assert shown(only) == 1 and 'data-region="16.71"' in only
    assert "hanya yang sedang menyusun draf" in only
    assert 'value="ya" checked' in only
    others = text(ministry.get("/pemantauan?provinsi=16&disusun=tidak"))
    assert shown(others) == everything - 1 and 'data-region="16.71"' not in others
    assert shown(text(ministry.get("/pemantauan?provinsi=16&disusun="))) == everything


def test_a_region_in_the_list_links_to_its_history(ministry):
    row = row_of(text(ministry.get("/pemantauan?provinsi=16")), "16.71")
    assert 'href="/pemantauan/16.71">Riwayat</a>' in row


# --- one region's history -----------------------------------------------------------------------


def revoke(client, token, basis_id, enacted_on):
    """A Keputusan Bupati of Muara Enim revoking `basis_id` from `enacted_on`."""
    revoking = client.post(
        "/api/v1/regulations",
        headers=auth(token),
        json={
            "form": "kepbup",
            "region_code": "16.03",
            "number": "188.45/6/KPTS/2025",
            "year": 2025,
            "enacted_on": enacted_on,
            "title": "Pencabutan Keputusan Bupati",
        },
    ).json
    response = client.post(
        f"/api/v1/regulations/{revoking['id']}/relations",
        headers=auth(token),
        json={"type": "revokes", "target_id": basis_id},
    )
    assert response.status_code == 201, response.json


def changes(page) -> list[tuple]:
    """(day, date shown, status shown, reasons shown) of each row of the history, in order."""
    row = r'data-perubahan="([\d-]+)"> <td>([^<]+)</td> <td class="[^"]+">([^<]+)</td> '
    rows = re.findall(row + r"<td>(.*?)</td>", page)
    return [(day, shown.strip(), status, reasons) for day, shown, status, reasons in rows]


def test_a_region_history_shows_each_dated_change_with_its_reasons(ministry):
    _, token = make_user("region", "16.03", username="muara-enim")
    assert changes(text(ministry.get("/pemantauan/16.03")))[0][2] == "Belum melapor"
    basis = upload_decree(ministry, token, "188.45/5/KPTS/2024", "2024-01-10")
    page = text(ministry.get("/pemantauan/16.03"))
    assert changes(page)[0][:3] == ("2024-01-10", "10 Januari 2024", "Berlaku dan mutakhir")
    assert "Sejak: 10 Januari 2024" in page and "Tidak ada kekurangan yang dicatat." in page
    assert f'href="/dokumen/{basis["id"]}"' in page
    assert "Keputusan Bupati Muara Enim Nomor 188.45/5/KPTS/2024" in page
    revoke(ministry, token, basis["id"], "2025-09-01")
    page = text(ministry.get("/pemantauan/16.03"))
    assert 'data-status-kini="missing">Tidak ada dasar hukum<' in page
    latest, earlier = changes(page)[:2]
    assert latest[:3] == ("2025-09-01", "1 September 2025", "Tidak ada dasar hukum")
    assert latest[3] == "Dasar hukum Kepbup 188.45/5/KPTS/2024 dicabut sejak 1 September 2025."
    assert earlier[:3] == ("2024-01-10", "10 Januari 2024", "Berlaku dan mutakhir")
    assert "Tidak ada draf yang sedang disusun" in page


def test_a_region_history_shows_its_draft_in_progress(ministry):
    draft = drafting("16.71")
    page = text(ministry.get("/pemantauan/16.71"))
    assert f'href="/draf/{draft.id}">Draf {draft.id}</a>: <strong>Draf</strong> sejak' in page
    assert f"templat {TEMPLATE} versi" in page and "1 versi draf" in page


def test_an_unknown_region_history_is_a_404_page(ministry):
    response = ministry.get("/pemantauan/99.99")
    assert response.status_code == 404 and "tidak ditemukan" in text(response)


def test_a_region_user_may_not_read_a_region_history(client):
    assert client.get("/pemantauan/16.71").status_code == 401
    sign_in(client, "region", "16.71")
    assert client.get("/pemantauan/16.71").status_code == 403
