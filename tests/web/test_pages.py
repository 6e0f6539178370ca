"""The pages in Bahasa Indonesia: Beranda, Wilayah, Dokumen, Masuk, and the error page."""

import html
import re
from datetime import date

from sqlalchemy import select

from legalbase.core import db
from legalbase.corpus.models import Regulation
from legalbase.coverage.reports import record_attestation, regions_in_scope
from legalbase.drafting.drafts import create_draft
from legalbase.search import backend
from tests.factories import TEST_ACTOR, make_regulation, make_user

DRAFT_FIELDS = {
    "nama_penandatangan": "Drs. H. Ratu Dewa",
    "tanggal_penetapan": "2025-06-04",
    "anggota": [{"jabatan_gt": "Ketua", "jabatan": "Kepala daerah"}],
}


def csrf(client, path="/masuk"):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_dashboard_draws_38_provinces_and_the_counts_of_the_api(client):
    page = client.get("/").get_data(as_text=True)
    codes = re.findall(r'<path d="M[^"]+" fill="[^"]+" data-code="(\d\d)"', page)
    assert len(set(codes)) == 38
    summary = client.get("/api/v1/coverage").json["summary"]
    shown = dict(re.findall(r'<dd data-status="(\w+)">(\d+)</dd>', page))
    assert {status: int(count) for status, count in shown.items()} == summary
    assert "CC BY 4.0" in page and '<html lang="id">' in page


def test_the_province_table_sorts_by_the_share_without_a_basis(client):
    page = client.get("/?urut=porsi").get_data(as_text=True)
    shares = [int(x) for x in re.findall(r"<td>(\d+)%</td>", page)]
    assert len(shares) == 38 and shares == sorted(shares, reverse=True)


def test_a_province_page_lists_its_kabupaten_and_kota(client):
    page = client.get("/wilayah/16").get_data(as_text=True)
    assert "Sumatera Selatan" in page and "GUBERNUR SUMATERA SELATAN" in page
    assert len(re.findall(r'href="/wilayah/16\.\d\d"', page)) == 17


def test_a_document_page_shows_its_metadata_and_relations_both_ways(client):
    perpres = db.session.scalar(
        select(Regulation.id).where(Regulation.seed_key == "perpres-69-2008")
    )
    page = " ".join(client.get(f"/dokumen/{perpres}").get_data(as_text=True).split())
    assert "Peraturan Presiden Nomor 69 Tahun 2008" in page
    assert "diubah oleh" in page and "Peraturan Presiden Nomor 49 Tahun 2023" in page
    assert "melaksanakan" in page and "Undang-Undang Nomor 21 Tahun 2007" in page


def test_an_unknown_page_is_a_404_page_in_indonesian(client):
    response = client.get("/wilayah/99.99")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)
    assert "99.99" in response.get_data(as_text=True)


def test_a_wrong_password_is_refused_and_the_right_one_signs_in(client):
    make_user("region", "16.03", username="muaraenim", password="kata-sandi-yang-benar")
    token = csrf(client)
    wrong = client.post(
        "/masuk", data={"username": "muaraenim", "password": "salah-sekali", "csrf_token": token}
    )
    assert wrong.status_code == 401
    assert "kata sandi salah" in wrong.get_data(as_text=True)
    right = client.post(
        "/masuk",
        data={"username": "muaraenim", "password": "kata-sandi-yang-benar", "csrf_token": token},
    )
    assert right.status_code == 302
    assert "Keluar" in client.get("/").get_data(as_text=True)
    client.post("/keluar", data={"csrf_token": csrf(client, "/")})
    assert "Masuk" in client.get("/").get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused(client):
    make_user("region", "16.03", username="muaraenim", password="kata-sandi-yang-benar")
    response = client.post(
        "/masuk", data={"username": "muaraenim", "password": "kata-sandi-yang-benar"}
    )
    assert response.status_code == 400
    assert "Formulir kedaluwarsa" in response.get_data(as_text=True)
    assert "Keluar" not in client.get("/").get_data(as_text=True)


def test_the_session_cookie_is_httponly_and_samesite_lax(client):
    client.get("/masuk")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_the_dashboard_charts_twelve_months_of_national_counts(client):
    page = client.get("/").get_data(as_text=True)
    lines = re.findall(r'<polyline [^>]*points="([^"]+)" data-status="(\w+)"', page)
    assert {status for _, status in lines} == {"current", "outdated", "missing", "unreported"}
    assert all(len(points.split()) == 12 for points, _ in lines)


def test_a_document_page_says_when_it_stopped_being_in_force(client):
    perda = db.session.scalar(select(Regulation.id).where(Regulation.seed_key == "perda-34-6-2014"))
    page = client.get(f"/dokumen/{perda}").get_data(as_text=True)
    assert "dicabut sejak 24 Oktober 2025" in page and "Tidak berlaku" in page


def test_a_citation_typed_in_the_search_box_lands_on_that_regulation(
    client, app, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "search"))
    backend().rebuild()
    perpres = db.session.scalar(
        select(Regulation.id).where(Regulation.seed_key == "perpres-49-2023")
    )
    response = client.get("/cari?q=perpres+49/2023")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/dokumen/{perpres}")
    listed = client.get("/cari?q=perpres+49/2023&daftar=1")
    assert listed.status_code == 200 and "Perubahan Kedua" in listed.get_data(as_text=True)


def map_shapes(page):
    """Fill and class of each province on the map, by code."""
    shapes = re.findall(r'fill="([^"]+)" data-code="(\d\d)" class="([^"]+)"', page)
    return {code: (fill, kind) for fill, code, kind in shapes}


def test_the_map_tells_unreported_provinces_from_those_without_a_basis(client):
    for region in regions_in_scope(province="65"):  # Kalimantan Utara and all its kab/kota
        record_attestation(region.code, False, date.today(), None, TEST_ACTOR)
    record_attestation("16", False, date.today(), None, TEST_ACTOR)  # the province alone
    db.session.commit()
    page = html.unescape(client.get("/").get_data(as_text=True))
    shapes = map_shapes(page)
    assert shapes["65"] == ("#d73027", "melapor")
    assert shapes["16"] == ("#d73027", "melapor sebagian-melapor")
    assert shapes["18"] == ("url(#pola-belum-melapor)", "belum-melapor")
    assert 'id="pola-belum-melapor"' in page
    summary = client.get("/api/v1/coverage").json["summary"]
    assert summary["missing"] == 7
    for status, label in (("missing", "Tidak ada dasar hukum"), ("unreported", "Belum melapor")):
        shown = re.search(rf'data-legenda="{status}">([^<]+)<', page).group(1)
        assert shown == f"{label}: {summary[status]}"
    hatched = sum(kind == "belum-melapor" for _, kind in shapes.values())
    assert f"belum satu pun wilayahnya melapor ({hatched} provinsi)" in page
    assert "Wilayah yang belum melapor tidak dihitung sebagai kekurangan" in page


def test_the_map_legend_counts_the_regions_drafting_their_basis_as_the_api_does(client):
    record_attestation("16.71", False, date.today(), None, TEST_ACTOR)
    for code in ("16.71", "16.03", "65.01"):
        create_draft("kepbupwal-pembentukan", code, DRAFT_FIELDS, {}, TEST_ACTOR)
    db.session.commit()
    page = html.unescape(client.get("/").get_data(as_text=True))
    summary = client.get("/api/v1/coverage").json["summary"]
    assert summary["in_progress"] == 3
    assert re.search(r'data-legenda="in_progress">([^<]+)<', page).group(1) == (
        "Sedang menyusun draf: 3"
    )
    assert '<dd data-status="in_progress">3</dd>' in page
    assert re.search(r'data-legenda="missing">([^<]+)<', page).group(1) == (
        f"Tidak ada dasar hukum: {summary['missing']}"
    )
    assert "(2 provinsi; jumlahnya per provinsi" in page
    titles = dict(
        re.findall(r'data-code="(\d\d)"[^>]*> <title>([^<]+)</title>', " ".join(page.split()))
    )
    assert titles["16"].endswith("; 2 sedang menyusun draf")
    assert titles["65"].endswith("; 1 sedang menyusun draf")
    assert "sedang menyusun" not in titles["11"]
    assert '<td data-disusun="16">2</td>' in page and '<td data-disusun="11">0</td>' in page


def test_a_region_page_lists_its_regulations_newest_first_with_indonesian_dates(client):
    older = make_regulation(number="188.45/12/KPTS/2019", year=2019, enacted_on="2019-03-01")
    newer = make_regulation()
    page = " ".join(client.get("/wilayah/16.71").get_data(as_text=True).split())
    page = page[page.index('id="peraturan"') :]
    first = page.index(f'href="/dokumen/{newer.id}"')
    assert first < page.index(f'href="/dokumen/{older.id}"')
    assert "Keputusan Wali Kota Nomor 188.45/123/KPTS/2025 Tahun 2025" in page
    assert f"tentang {newer.title}" in page
    assert "Ditetapkan 4 Juni 2025" in page and "Ditetapkan 1 Maret 2019" in page
    province = client.get("/wilayah/16").get_data(as_text=True)
    assert "Belum ada peraturan atau keputusan Sumatera Selatan di korpus." in province
    assert f'href="/dokumen/{newer.id}"' not in province


def test_a_region_page_without_regulations_says_so(client):
    page = client.get("/wilayah/16.72").get_data(as_text=True)
    assert "Belum ada peraturan atau keputusan Kota Pagar Alam di korpus." in page


def test_a_region_with_many_regulations_pages_its_list(client):
    for day in range(1, 23):
        make_regulation(number=f"188.45/{day}/KPTS/2025", enacted_on=f"2025-01-{day:02d}")
    first = client.get("/wilayah/16.71").get_data(as_text=True)
    assert "22 peraturan dan keputusan" in first and "Halaman 1 dari 2" in first
    assert "Ditetapkan 22 Januari 2025" in first and "Ditetapkan 2 Januari 2025" not in first
    assert 'href="/wilayah/16.71?halaman=2"' in first
    second = client.get("/wilayah/16.71?halaman=2").get_data(as_text=True)
    assert "Ditetapkan 2 Januari 2025" in second and "Ditetapkan 1 Januari 2025" in second
    assert "Ditetapkan 22 Januari 2025" not in second
    for odd in ("abc", "-1", "0", "9" * 5000):  # read as the first page, never an error
        response = client.get("/wilayah/16.71", query_string={"halaman": odd})
        assert response.status_code == 200 and "Halaman 1 dari 2" in response.get_data(True)


def search_page(client, app, tmp_path, monkeypatch, query):
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "search"))
    backend().rebuild()
    response = client.get("/cari", query_string={"q": query})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_search_hit_is_named_in_full_with_its_region(client, app, tmp_path, monkeypatch):
    page = search_page(client, app, tmp_path, monkeypatch, "samarinda")
    assert ">Peraturan Daerah Kota Samarinda Nomor 7 Tahun 2013</a>" in page
    assert "Kabupaten/Kota Nomor" not in page


def test_a_search_marks_the_words_of_a_title(client, app, tmp_path, monkeypatch):
    make_regulation(title="Penataan Menara <script>alert(1)</script> Telekomunikasi")
    page = search_page(client, app, tmp_path, monkeypatch, "menara")
    assert "Penataan <mark>Menara</mark> &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
