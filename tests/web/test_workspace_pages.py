"""Ruang kerja wilayah: a regional legal officer's status and next step, regulations, drafts
through their states, attestation, and a province's read-only view of its kabupaten/kota."""

import html
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from legalbase.core import db
from legalbase.corpus.models import Regulation
from legalbase.coverage.models import Attestation
from legalbase.coverage.reports import record_attestation
from legalbase.drafting.drafts import create_draft, draft_docx, get_draft
from legalbase.drafting.lifecycle import submit_draft
from legalbase.drafting.pdf import libreoffice
from tests.factories import TEST_ACTOR, make_regulation, make_user

PASSWORD = "kata-sandi-ruang-kerja"
TEMPLATE = "kepbupwal-pembentukan"
FIELDS = {
    "nomor": "188.45/321/KPTS/2025",
    "nama_penandatangan": "Drs. H. Ratu Dewa",
    "tanggal_penetapan": "2025-06-04",
    "anggota": [{"jabatan_gt": "Ketua", "jabatan": "Wali Kota Palembang"}],
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def sign_in(client, role="region", region_code="16.71"):
    """The client, signed in as a new user of `role`; its CSRF token kept on the client."""
    username = f"uji-{role}-{region_code or 'pusat'}".replace(".", "-")
    make_user(role, region_code, username=username, password=PASSWORD)
    data = {"username": username, "password": PASSWORD, "csrf_token": csrf_of(client.get("/masuk"))}
    assert client.post("/masuk", data=data).status_code == 302
    client.csrf = csrf_of(client.get("/"))  # the signed-in session's token
    return client


@pytest.fixture
def palembang(client):
    """The client, signed in as the legal bureau of Kota Palembang (16.71)."""
    return sign_in(client)


def csrf_of(response) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))[1]


def text(response) -> str:
    """The page as a reader sees its words: entities decoded, spaces collapsed."""
    return html.unescape(" ".join(response.get_data(as_text=True).split()))


def status_of(page: str) -> str:
    return re.search(r'id="status-wilayah" data-status="(\w+)"', page)[1]


def draft_of(page: str, draft_id: int) -> str:
    return re.search(rf'<article id="draf-{draft_id}"(.*?)</article>', page)[1]


def listed(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'<li data-regulation="(\d+)">', page)]


def new_draft(fields=FIELDS):
    draft = create_draft(TEMPLATE, "16.71", fields, {}, TEST_ACTOR)
    db.session.commit()
    return draft


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- who goes where ------------------------------------------------------------------------


def test_ruang_kerja_sends_each_caller_to_their_work(client):
    response = client.get("/ruang-kerja")
    assert response.status_code == 401 and 'href="/masuk"' in text(response)
    sign_in(client)
    assert client.get("/ruang-kerja").headers["Location"] == "/ruang-kerja/16.71"
    assert 'href="/ruang-kerja">Ruang kerja</a>' in text(client.get("/"))
    sign_in(client, "ministry", None)
    assert client.get("/ruang-kerja").headers["Location"] == "/pemantauan"


def test_another_region_may_not_open_the_workspace(client):
    sign_in(client, "region", "16.72")
    response = client.get("/ruang-kerja/16.71")
    assert response.status_code == 403 and "Akses ditolak" in text(response)
    assert client.get("/ruang-kerja/99.99").status_code == 404


# --- the status and its next step ----------------------------------------------------------


def test_an_unreported_region_is_told_to_report_or_draft(palembang):
    page = text(palembang.get("/ruang-kerja/16.71"))
    assert status_of(page) == "unreported" and "Belum melapor" in page
    assert "korpus tidak memuat dasar hukum maupun pernyataan" in page
    assert "Belum melapor: unggah dasar hukum yang sudah ada, atau nyatakan" in page
    assert 'id="buat-draf" href="/draf?wilayah=16.71"' in page and 'href="/unggah"' in page
    assert "Belum ada draf untuk Kota Palembang." in page
    assert "Belum ada peraturan atau keputusan Kota Palembang di korpus." in page


def test_an_outdated_basis_asks_for_an_amendment_draft(palembang):
    make_regulation()  # a task force without its Subgugus Tugas
    page = text(palembang.get("/ruang-kerja/16.71"))
    assert status_of(page) == "outdated" and "Perlu penyesuaian" in page
    assert "Subgugus Tugas belum dibentuk" in page
    assert "Dasar hukum perlu disesuaikan: buat draf perubahan." in page
    link = re.search(r'id="buat-draf" href="([^"]+)">([^<]+)<', page)
    assert link[1] == "/draf?wilayah=16.71&templat=keputusan-perubahan"
    assert link[2] == "Buat draf perubahan"
    assert "Keputusan Wali Kota Palembang Nomor 188.45/123/KPTS/2025" in page
    assert "Catat pernyataan" not in page  # a statement changes nothing once a basis is known


def test_an_open_draft_becomes_the_next_step(palembang):
    draft = new_draft()
    page = text(palembang.get("/ruang-kerja/16.71"))
    assert f"Draf {draft.id} sedang disusun: periksa temuannya, lalu ajukan" in page
    assert f'id="sedang-disusun">Sedang disusun: <a href="#draf-{draft.id}">' in page


# --- attestation -----------------------------------------------------------------------------


def test_an_attestation_turns_unreported_into_missing(palembang):
    form = {"ada": "belum", "tanggal": date.today().isoformat(), "csrf_token": palembang.csrf}
    response = palembang.post("/ruang-kerja/16.71/pernyataan", data=form)
    assert response.status_code == 303
    assert response.headers["Location"] == "/ruang-kerja/16.71#status"
    page = text(palembang.get("/ruang-kerja/16.71"))
    assert 'role="status" class="pemberitahuan">Pernyataan tercatat.' in page
    assert status_of(page) == "missing" and "Dinyatakan belum memiliki dasar hukum" in page
    assert "Belum ada dasar hukum: buat draf keputusan pembentukan" in page
    statement = db.session.scalars(select(Attestation)).one()
    assert (statement.region_code, statement.has_basis) == ("16.71", False)


def test_a_stated_basis_not_uploaded_is_shown_as_such(palembang):
    form = {"ada": "ada", "tanggal": "2025-01-02", "catatan": "SK di bagian hukum"}
    palembang.post("/ruang-kerja/16.71/pernyataan", data={**form, "csrf_token": palembang.csrf})
    page = text(palembang.get("/ruang-kerja/16.71"))
    assert status_of(page) == "unreported"
    assert "Dinyatakan memiliki dasar hukum pada 2 Januari 2025, tetapi belum diunggah." in page


@pytest.mark.parametrize(
    "form, reason",
    [
        ({"tanggal": "2025-01-02"}, "Pilih apakah wilayah belum memiliki dasar hukum"),
        ({"ada": "belum", "tanggal": "2 Januari 2025"}, "harus berupa tanggal (TTTT-BB-HH)"),
        ({"ada": "mungkin", "tanggal": ""}, "Pilih apakah wilayah"),
        ({"ada": "belum", "tanggal": "2025-01-02", "catatan": "x" * 2001}, "paling banyak 2000"),
        (
            {"ada": "belum", "tanggal": (date.today() + timedelta(days=1)).isoformat()},
            "Tanggal pernyataan tidak boleh di masa depan.",
        ),
    ],
)
def test_a_bad_attestation_is_given_back_with_its_reason(palembang, form, reason):
    response = palembang.post(
        "/ruang-kerja/16.71/pernyataan", data={**form, "csrf_token": palembang.csrf}
    )
    page = text(response)
    assert response.status_code == 400 and reason in page
    assert 'class="galat" role="alert"' in page and 'name="ada"' in page
    assert count(Attestation) == 0


def test_an_attestation_without_the_csrf_token_is_refused(palembang):
    response = palembang.post("/ruang-kerja/16.71/pernyataan", data={"ada": "belum"})
    assert response.status_code == 400 and count(Attestation) == 0


# --- regulations -----------------------------------------------------------------------------


def palembang_decrees() -> dict:
    return {
        "gugus": make_regulation(number="188.45/9/KPTS/2024", year=2024, enacted_on="2024-03-01"),
        "pasar": make_regulation(
            number="188.45/10/KPTS/2025", title="Penataan Pasar Tradisional Kota Palembang"
        ),
        "perwal": make_regulation(
            form="perwal",
            number="7",
            year=2023,
            enacted_on="2023-05-02",
            title="Rencana Aksi Daerah Pencegahan Perdagangan Orang",
        ),
    }


def test_the_regulations_are_filtered_by_form_and_words_and_sorted(palembang):
    made = {name: regulation.id for name, regulation in palembang_decrees().items()}
    page = text(palembang.get("/ruang-kerja/16.71"))
    assert listed(page) == [made["pasar"], made["gugus"], made["perwal"]]
    assert 'data-total="3"' in page
    page = text(palembang.get("/ruang-kerja/16.71?jenis=perwal"))
    assert listed(page) == [made["perwal"]]
    assert "Peraturan Wali Kota Palembang Nomor 7 Tahun 2023" in page
    assert listed(text(palembang.get("/ruang-kerja/16.71?kata=pasar"))) == [made["pasar"]]
    assert listed(text(palembang.get("/ruang-kerja/16.71?kata=9/KPTS"))) == [made["gugus"]]
    assert listed(text(palembang.get("/ruang-kerja/16.71?kata=2024"))) == [made["gugus"]]
    page = text(palembang.get("/ruang-kerja/16.71?kata=gugus+tugas&jenis=kepwal"))
    assert listed(page) == [made["gugus"]] and 'value="gugus tugas"' in page
    page = text(palembang.get("/ruang-kerja/16.71?kata=tidak-ada-sama-sekali"))
    assert listed(page) == [] and "Tidak ada peraturan yang sesuai dengan saringan." in page
    page = text(palembang.get("/ruang-kerja/16.71?urut=nomor"))
    assert listed(page) == [made["pasar"], made["gugus"], made["perwal"]]


def test_the_regulations_are_paged_keeping_the_filters(palembang):
    for number in range(1, 23):
        make_regulation(number=f"188.45/{number}/KPTS/2025", title=f"Keputusan uji {number}")
    first = text(palembang.get("/ruang-kerja/16.71?kata=uji&urut=nomor"))
    assert len(listed(first)) == 20 and "Halaman 1 dari 2" in first
    following = re.search(r'href="([^"]+)" rel="next"', first)[1]
    assert "kata=uji" in following and "urut=nomor" in following
    second = text(palembang.get(following))
    assert len(listed(second)) == 2 and "Halaman 2 dari 2" in second
    assert 'start="21"' in second


@pytest.mark.parametrize(
    "query, reason",
    [
        ("jenis=uu", "Jenis peraturan 'uu' tidak dikenal di wilayah ini."),
        ("jenis=perbup", "Jenis peraturan 'perbup' tidak dikenal di wilayah ini."),
        ("urut=acak", "Urutan harus 'tanggal' atau 'nomor'."),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(palembang, query, reason):
    response = palembang.get(f"/ruang-kerja/16.71?{query}")
    assert response.status_code == 400 and reason in text(response)


# --- drafts through their states -------------------------------------------------------------


def test_a_draft_shows_its_state_versions_findings_and_downloads(palembang):
    draft = new_draft()
    page = text(palembang.get("/ruang-kerja/16.71"))
    shown = draft_of(page, draft.id)
    assert 'data-state="draf"' in shown and "Draf</span>" in shown
    assert f'href="/draf/{draft.id}/docx?versi=1">DOCX</a>' in shown
    if libreoffice():
        assert f'href="/draf/{draft.id}/pdf?versi=1">PDF</a>' in shown
    else:
        assert "PDF tidak tersedia: LibreOffice tidak terpasang di server ini" in shown
    assert "Ajukan untuk ditandatangani" in shown and "Temuan pemeriksaan" in shown
    for finding in draft.lint:
        assert finding["message"] in page
    download = palembang.get(f"/draf/{draft.id}/docx?versi=1")
    assert download.mimetype == DOCX and download.data == draft_docx(draft.versions[0])
    assert palembang.get(f"/draf/{draft.id}/docx?versi=9").status_code == 404
    pdf = palembang.get(f"/draf/{draft.id}/pdf?versi=1")
    if libreoffice():
        assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    else:
        assert pdf.status_code == 501 and "LibreOffice tidak terpasang" in text(pdf)


def test_drafts_are_listed_newest_first(palembang):
    older, newer = new_draft(), new_draft()
    page = text(palembang.get("/ruang-kerja/16.71"))
    assert page.index(f'id="draf-{newer.id}"') < page.index(f'id="draf-{older.id}"')


def test_a_draft_is_sent_then_its_signed_decree_makes_the_region_current(palembang):
    draft = new_draft()
    response = palembang.post(f"/draf/{draft.id}/ajukan", data={"csrf_token": palembang.csrf})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/ruang-kerja/16.71#draf-{draft.id}"
    page = text(palembang.get("/ruang-kerja/16.71"))
    assert f"Draf {draft.id} diajukan untuk ditandatangani kepala daerah." in page
    shown = draft_of(page, draft.id)
    assert "Diajukan untuk ditandatangani" in shown and "Unggah SK yang ditandatangani" in shown
    assert "unggah SK yang telah ditandatangani kepala daerah" in page
    signed = draft_docx(get_draft(draft.id).versions[-1])
    response = palembang.post(
        f"/draf/{draft.id}/penetapan",
        data={"csrf_token": palembang.csrf, "berkas": (io.BytesIO(signed), "sk.docx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, text(response)
    page = text(palembang.get("/ruang-kerja/16.71"))
    assert status_of(page) == "current" and "Berlaku dan mutakhir" in page
    regulation = db.session.scalars(select(Regulation).where(Regulation.region_code == "16.71"))
    regulation = regulation.one()
    assert (regulation.number, regulation.enacted_on) == (FIELDS["nomor"], date(2025, 6, 4))
    assert f"SK-nya tersimpan sebagai dokumen {regulation.id}." in page
    shown = draft_of(page, draft.id)
    assert "Ditetapkan" in shown and f'href="/dokumen/{regulation.id}"' in shown
    assert "<form" not in shown and listed(page) == [regulation.id]


def submitted_without_number():
    draft = new_draft({key: value for key, value in FIELDS.items() if key != "nomor"})
    submit_draft(draft.id, TEST_ACTOR)
    db.session.commit()
    return draft


def test_a_typed_number_completes_a_signed_decree_that_lacks_one(palembang):
    draft = submitted_without_number()
    signed = draft_docx(draft.versions[-1])
    data = {"csrf_token": palembang.csrf, "nomor": "188.45/55/KPTS/2025"}
    response = palembang.post(
        f"/draf/{draft.id}/penetapan",
        data={**data, "berkas": (io.BytesIO(signed), "sk.docx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    regulation = db.session.get(Regulation, get_draft(draft.id).regulation_id)
    assert regulation.number == "188.45/55/KPTS/2025"


def post_signed(client, draft, **fields):
    data = {"csrf_token": client.csrf, **fields}
    return client.post(f"/draf/{draft.id}/penetapan", data=data, content_type="multipart/form-data")


def test_a_signed_decree_without_a_number_is_given_back_naming_it(palembang):
    draft = submitted_without_number()
    before = count(Regulation)
    signed = draft_docx(draft.versions[-1])
    response = post_signed(palembang, draft, berkas=(io.BytesIO(signed), "sk.docx"))
    shown = draft_of(text(response), draft.id)
    assert response.status_code == 400
    assert "Nomor keputusan tidak terbaca dari berkas; isikan nomornya." in shown
    assert "Unggah SK yang ditandatangani" in shown
    assert count(Regulation) == before and get_draft(draft.id).state == "diajukan"


@pytest.mark.parametrize(
    "fields, status, reason",
    [
        ({}, 400, "Pilih berkas SK yang telah ditandatangani"),
        ({"tanggal": "4 Juni 2025", "sk": True}, 400, "Tanggal penetapan harus berupa tanggal"),
        ({"sk": "bukan dokumen"}, 415, ""),
    ],
)
def test_a_bad_signed_upload_is_refused_with_its_reason(palembang, fields, status, reason):
    draft = submitted_without_number()
    before = count(Regulation)
    sk = fields.pop("sk", None)
    if sk is True:
        fields["berkas"] = (io.BytesIO(draft_docx(draft.versions[-1])), "sk.docx")
    elif sk:
        fields["berkas"] = (io.BytesIO(sk.encode() + b"\x00\xff" * 50), "sk.bin")
    response = post_signed(palembang, draft, **fields)
    assert response.status_code == status, text(response)
    assert reason in draft_of(text(response), draft.id)
    assert count(Regulation) == before and get_draft(draft.id).state == "diajukan"


def test_a_draft_not_sent_cannot_be_enacted_nor_sent_twice(palembang):
    draft = new_draft()
    signed = draft_docx(draft.versions[-1])
    response = post_signed(palembang, draft, berkas=(io.BytesIO(signed), "sk.docx"))
    assert response.status_code == 409
    assert "ajukan draf lebih dulu" in draft_of(text(response), draft.id)
    palembang.post(f"/draf/{draft.id}/ajukan", data={"csrf_token": palembang.csrf})
    response = palembang.post(f"/draf/{draft.id}/ajukan", data={"csrf_token": palembang.csrf})
    assert response.status_code == 409 and "berstatus 'Diajukan untuk ditandatangani'" in text(
        response
    )
    assert get_draft(draft.id).state == "diajukan"


# --- a province ------------------------------------------------------------------------------


def test_a_province_reads_its_kabupaten_kota_without_forms(client):
    draft = new_draft()
    record_attestation("16.72", False, date.today(), None, TEST_ACTOR)
    db.session.commit()
    sign_in(client, "region", "16")
    page = text(client.get("/ruang-kerja/16"))
    assert len(re.findall(r'<tr data-region="16\.\d\d">', page)) == 17
    row = re.search(r'<tr data-region="16.71">(.*?)</tr>', page)[1]
    assert 'href="/ruang-kerja/16.71"' in row and "Draf" in row and "Belum melapor" in row
    row = re.search(r'<tr data-region="16.72">(.*?)</tr>', page)[1]
    assert "Tidak ada dasar hukum" in row and "—" in row
    assert "Catat pernyataan" in page  # its own workspace: the province may attest
    page = text(client.get("/ruang-kerja/16.71"))
    assert "tanpa dapat mengubahnya" in page and draft_of(page, draft.id)
    assert '<form method="post"' not in page.split("<main", 1)[1]
    response = client.post(f"/draf/{draft.id}/ajukan", data={"csrf_token": client.csrf})
    assert response.status_code == 403
    assert "hanya dapat membaca ruang kerja wilayah ini" in draft_of(text(response), draft.id)
    assert get_draft(draft.id).state == "draf"
    response = client.post("/ruang-kerja/16.71/pernyataan", data={"csrf_token": client.csrf})
    assert response.status_code == 403 and count(Attestation) == 1
