"""Journeys through the pages in Chromium, each from signing in to the end of a piece of work,
with a screenshot at every step (issue 16). Each journey works on a region of its own, whose
user the `site` fixture creates, so that the journeys may run in any order."""

import io
import shutil

import docx
import pytest

from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.served]


def downloaded(page, link) -> tuple[str, bytes]:
    """Click `link` (a locator) and return the file the browser saved: its name and bytes."""
    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), "rb") as handle:
        return download.value.suggested_filename, handle.read()


def notice(page) -> str:
    """The page's notice after a form was accepted."""
    return page.get_by_role("status").first.inner_text()


def region_status(page) -> str:
    """The status a workspace shows for its region today, in words."""
    return page.locator("#status-wilayah").inner_text()


def test_a_kabupaten_officer_reports_drafts_and_records_its_signed_decree(page):
    """Journey (a): Kabupaten Empat Lawang (16.11) goes from `unreported` to `current`."""
    sign_in(page, "empatlawang")
    page.get_by_role("link", name="Ruang kerja").click()
    page.wait_for_url("**/ruang-kerja/16.11")
    assert region_status(page) == "Belum melapor"
    assert page.locator("#langkah").inner_text().startswith("Belum melapor: unggah dasar hukum")
    shot(page, "a1-ruang-kerja-belum-melapor")

    page.get_by_label("Belum memiliki dasar hukum").check()
    page.get_by_role("button", name="Catat pernyataan").click()
    page.wait_for_url("**/ruang-kerja/16.11#status")
    assert notice(page) == "Pernyataan tercatat."
    assert region_status(page) == "Tidak ada dasar hukum"
    assert "Dinyatakan belum memiliki dasar hukum" in page.locator("#alasan").inner_text()
    shot(page, "a2-pernyataan-tercatat")

    page.locator("#buat-draf").click()
    page.wait_for_url("**/draf?wilayah=16.11")
    page.get_by_label("Nomor keputusan").fill("188.45/411/KPTS/2025")
    page.get_by_label("Tanggal penetapan").fill("2025-06-04")
    page.get_by_label("Nama penandatangan (wajib)").fill("H. JOKO ROSADI")
    page.get_by_label("Jabatan dalam Gugus Tugas baris 1").fill("Ketua")
    page.get_by_label("Jabatan/Instansi baris 1").fill("Bupati Empat Lawang")
    page.get_by_role("button", name="Simpan draf").click()
    page.wait_for_url("**/draf/*")
    shot(page, "a3-draf-tersimpan")

    page.get_by_role("link", name="Ruang kerja").click()
    page.wait_for_url("**/ruang-kerja/16.11")
    draft = page.locator("article.draf").first
    assert draft.locator(".keadaan-draf").inner_text() == "Draf"
    assert page.locator("#sedang-disusun").count() == 1
    draft.get_by_role("button", name="Ajukan untuk ditandatangani").click()
    page.wait_for_url("**/ruang-kerja/16.11#draf-*")
    assert "diajukan untuk ditandatangani kepala daerah" in notice(page)
    assert draft.locator(".keadaan-draf").inner_text() == "Diajukan untuk ditandatangani"
    shot(page, "a4-draf-diajukan")

    as_pdf = shutil.which("soffice") is not None  # the PDF where LibreOffice converts it
    name, signed = downloaded(page, draft.locator("a.unduh-pdf" if as_pdf else "a.unduh-docx"))
    if as_pdf:
        assert name.endswith(".pdf") and signed.startswith(b"%PDF")
    else:
        assert name.endswith(".docx")
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(signed)).paragraphs)
        assert text.startswith("BUPATI EMPAT LAWANG") and "188.45/411/KPTS/2025" in text
    draft.get_by_label("SK yang telah ditandatangani (PDF atau DOCX)").set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": signed}]
    )
    if as_pdf:  # what the officer types when the scan of the signed page is not read
        draft.get_by_label("Nomor SK (bila tidak terbaca dari berkas)").fill("188.45/411/KPTS/2025")
        draft.get_by_label("Tanggal penetapan (bila tidak terbaca dari berkas)").fill("2025-06-04")
    shot(page, "a5-unggah-sk")
    draft.get_by_role("button", name="Unggah SK yang ditandatangani").click()
    page.wait_for_url("**/ruang-kerja/16.11#draf-*")
    assert "ditetapkan; SK-nya tersimpan sebagai dokumen" in notice(page)
    assert region_status(page) == "Berlaku dan mutakhir"
    assert draft.locator(".keadaan-draf").inner_text() == "Ditetapkan"
    assert page.locator("#sedang-disusun").count() == 0
    shot(page, "a6-berlaku-dan-mutakhir")

    draft.locator("a.sk-ditetapkan").click()
    page.wait_for_url("**/dokumen/*")
    heading = page.locator("h1").inner_text()
    assert "Keputusan Bupati Empat Lawang" in heading and "188.45/411/KPTS/2025" in heading
    shot(page, "a7-sk-ditetapkan")
