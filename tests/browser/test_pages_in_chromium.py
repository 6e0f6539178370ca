"""The pages in a real browser: the map, search, upload, the drafting wizard, scope, login,
Administrasi."""

import io
import json
import urllib.request

import docx
import pytest

from tests.browser.conftest import shot, sign_in
from tests.corpus.documents import decree_docx
from tests.corpus.test_import_folder_api import decrees

pytestmark = [pytest.mark.browser, pytest.mark.served]


def api(site, path):
    with urllib.request.urlopen(site["base"] + path, timeout=10) as response:
        return json.load(response)


def test_the_dashboard_draws_38_provinces_with_the_counts_of_the_api(page, site):
    page.goto("/")
    assert page.locator("svg.peta path").count() == 38
    summary = api(site, "/api/v1/coverage")["summary"]
    for status, count in summary.items():
        assert page.locator(f'dd[data-status="{status}"]').inner_text() == str(count)
        legend = page.locator(f'[data-legenda="{status}"]')
        assert status == "total" or legend.inner_text().endswith(f": {count}")
    hatched = page.locator("svg.peta path.belum-melapor")
    assert hatched.count() + page.locator("svg.peta path.melapor").count() == 38
    assert hatched.first.get_attribute("fill") == "url(#pola-belum-melapor)"
    shot(page, "beranda")
    page.locator('svg.peta path[data-code="16"]').click()
    page.wait_for_url("**/wilayah/16")
    assert "Sumatera Selatan" in page.title()
    shot(page, "wilayah-16")


def test_a_wrong_password_is_refused(page):
    sign_in(page, "muaraenim", "bukan-kata-sandinya")
    assert page.get_by_role("alert").inner_text() == "Nama pengguna atau kata sandi salah."
    shot(page, "masuk-salah")


def test_an_uploaded_docx_decree_becomes_the_record_shown_on_its_page(page):
    sign_in(page, "muaraenim")
    page.goto("/unggah")
    page.get_by_label("Berkas (PDF, DOCX, atau teks)").set_input_files(
        files=[
            {
                "name": "sk.docx",
                "mimeType": "application/octet-stream",
                "buffer": decree_docx("900"),
            }
        ]
    )
    page.get_by_role("button", name="Baca berkas").click()
    assert page.get_by_label("Nomor").input_value() == "188.45/900/KPTS/2025"
    shot(page, "unggah-usulan")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url("**/dokumen/*")
    heading = page.locator("h1").inner_text()
    assert "Keputusan Bupati" in heading and "188.45/900/KPTS/2025" in heading
    assert page.get_by_text("merujuk").count() >= 5
    shot(page, "dokumen")


def test_a_search_shows_highlights_and_a_facet_narrows_it(page, site):
    stored = page.request.post(
        "/api/v1/regulations",
        multipart={
            "metadata": "{}",
            "file": {
                "name": "sk.docx",
                "mimeType": "application/octet-stream",
                "buffer": decree_docx("901"),
            },
        },
        headers={"Authorization": f"Bearer {site['tokens']['muaraenim']}"},
    )
    assert stored.status == 201
    page.goto("/cari?q=perdagangan+orang&urut=tanggal")  # the newest, with text, first
    total = int(page.locator("#jumlah").get_attribute("data-total"))
    assert total > 1
    assert page.locator(".cuplikan mark").count() >= 1
    assert page.locator(".judul-hasil mark").count() >= 1  # the titles say "Perdagangan Orang"
    assert page.get_by_role("link", name="Keputusan Bupati Muara Enim Nomor").count() >= 1
    shot(page, "cari")
    facet = page.locator("a.faset-jenis").first
    expected = int(facet.get_attribute("data-count"))
    facet.click()
    page.wait_for_url("**jenis=*")
    assert int(page.locator("#jumlah").get_attribute("data-total")) == expected < total
    shot(page, "cari-jenis")


def test_the_drafting_wizard_downloads_a_docx(page):
    sign_in(page, "muaraenim")
    page.goto("/wilayah/16.03")
    page.locator("a.tombol-draf").click()
    page.get_by_label("Nama penandatangan (wajib)").fill("H. Edison")
    page.get_by_label("Tanggal penetapan").fill("2025-06-04")
    page.get_by_label("Jabatan dalam Gugus Tugas baris 1").fill("Ketua")
    page.get_by_label("Jabatan/Instansi baris 1").fill("Bupati Muara Enim")
    page.get_by_role("button", name="Tambah baris").click()
    page.get_by_label("Jabatan dalam Gugus Tugas baris 2").fill("Sekretaris")
    page.get_by_label("Jabatan/Instansi baris 2").fill("Sekretaris Daerah")
    page.get_by_role("button", name="Lihat Mengingat dan temuan").click()
    assert page.get_by_text("Undang-Undang Nomor 21 Tahun 2007", exact=False).count() >= 1
    shot(page, "draf-pratinjau")
    page.get_by_role("button", name="Simpan draf").click()
    page.wait_for_url("**/draf/*")
    with page.expect_download() as download:
        page.locator("#unduh-docx").click()
    with open(download.value.path(), "rb") as handle:
        content = handle.read()
    document = docx.Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.startswith("BUPATI MUARA ENIM")
    assert "Sekretaris Daerah" in "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    shot(page, "draf-hasil")


def test_a_region_user_sees_no_drafting_button_for_another_region(page):
    sign_in(page, "palembang")
    page.goto("/wilayah/16.03")
    assert page.locator("a.tombol-draf").count() == 0
    page.goto("/wilayah/16.71")
    assert page.locator("a.tombol-draf").count() == 1
    shot(page, "wilayah-tanpa-tombol")


def test_an_admin_creates_a_region_user_and_revokes_its_token(page):
    sign_in(page, "admin")
    page.get_by_role("link", name="Administrasi").click()
    page.wait_for_url("**/admin/pengguna")
    page.get_by_label("Nama pengguna", exact=True).fill("biro-hukum-pali")
    page.get_by_label("Nama tampilan").fill("Biro Hukum Kabupaten PALI")
    page.get_by_label("Peran", exact=True).select_option("region")
    page.get_by_label("Kode wilayah").fill("16.12")
    page.get_by_label("Kata sandi awal").fill("sandi-awal-pali-2026")
    page.get_by_role("button", name="Buat pengguna").click()
    page.wait_for_url("**/admin/pengguna/biro-hukum-pali")
    page.get_by_label("Label token").fill("sipd")
    page.get_by_role("button", name="Terbitkan token").click()
    assert page.locator("#token-polos").inner_text().startswith("lb_")
    assert "hanya ditampilkan sekali" in page.content()
    shot(page, "admin-token-baru")
    page.get_by_role("button", name="Cabut").click()
    page.wait_for_url("**/admin/pengguna/biro-hukum-pali")
    assert page.locator(".status-token").inner_text() == "dicabut"
    assert page.locator("#token-polos").count() == 0
    shot(page, "admin-pengguna")


def test_an_admin_imports_a_zip_and_the_job_page_bar_reaches_the_end(page):
    sign_in(page, "admin")
    page.get_by_role("link", name="Impor").click()
    page.wait_for_url("**/admin/impor")
    page.get_by_label("Arsip ZIP").set_input_files(
        files=[{"name": "arsip.zip", "mimeType": "application/zip", "buffer": decrees()}]
    )
    page.get_by_label("Jenis peraturan").select_option("kepbup")
    page.get_by_label("Kode wilayah").fill("16.04")
    page.get_by_role("button", name="Mulai impor").click()
    page.wait_for_url("**/pekerjaan/*")
    status = page.locator("#status-pekerjaan")
    status.filter(has_text="selesai").wait_for(timeout=30_000)
    bar = page.locator("#bilah-pekerjaan")
    assert bar.evaluate("bar => [bar.value, bar.max]") == [2, 2]
    assert page.locator("#kemajuan-pekerjaan").inner_text() == "2 dari 2"
    assert page.locator("#muat-ulang").is_hidden()
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh hasil (ZIP)").click()
    assert download.value.suggested_filename.endswith(".zip")
    shot(page, "pekerjaan-selesai")
