"""Journey (b): the ministry follows a kabupaten that drafts its basis, from in progress on the
map and the Pemantauan list to current once its signed SK is recorded, then starts a batch of
drafts for a province and downloads its ZIP once the job page's bar reaches the end.

The kabupaten is Ogan Ilir (16.10), which no other browser test touches; its officer drafts,
submits and records the signed SK through the API with its token."""

import io
import re
import zipfile

import pytest

from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.served]

REGION = "16.10"
OFFICER = "oganilir"
FIELDS = {
    "nama_penandatangan": "H. Panca Wijaya Akbar",
    "tanggal_penetapan": "2025-06-04",
    "anggota": [{"jabatan_gt": "Ketua", "jabatan": "Bupati Ogan Ilir"}],
}


@pytest.fixture
def officer_api(browser, site):
    """Requests to the API as the officer of Ogan Ilir (a context of its own, no session)."""
    context = browser.new_context(
        base_url=site["base"],
        extra_http_headers={"Authorization": f"Bearer {site['tokens'][OFFICER]}"},
    )
    yield context.request
    context.close()


def answered(response, status: int) -> dict | bytes:
    assert response.status == status, response.text()
    kind = response.headers.get("content-type", "")
    return response.json() if kind.startswith("application/json") else response.body()


def submitted_draft(api) -> int:
    """A draft of Ogan Ilir's task force decree, sent for the Bupati's signature."""
    body = {"template": "kepbupwal-pembentukan", "region_code": REGION, "fields": FIELDS}
    draft = answered(api.post("/api/v1/drafts", data=body), 201)
    submitted = answered(api.post(f"/api/v1/drafts/{draft['id']}/submit"), 200)
    assert submitted["state"] == "diajukan"
    return draft["id"]


def record_signed(api, draft_id: int) -> None:
    """The signed SK (the draft's own DOCX) recorded against the draft, number and date given."""
    docx = answered(api.get(f"/api/v1/drafts/{draft_id}/document.docx"), 200)
    signed = {
        "file": {
            "name": "sk-ditandatangani.docx",
            "mimeType": "application/octet-stream",
            "buffer": docx,
        },
        "number": "188.4/1010/KPTS/HK/2025",
        "date": "2025-06-04",
    }
    draft = answered(api.post(f"/api/v1/drafts/{draft_id}/signed", multipart=signed), 201)
    assert draft["state"] == "ditetapkan"


def coverage(api) -> dict:
    return answered(api.get("/api/v1/coverage"), 200)


def check_the_map_legend(page, summary: dict) -> None:
    """The front page's counts and legend say what the API's summary says, in progress apart."""
    page.goto("/")
    legend = page.locator('[data-legenda="in_progress"]')
    assert legend.inner_text() == f"Sedang menyusun draf: {summary['in_progress']}"
    assert page.locator('dd[data-status="in_progress"]').inner_text() == str(summary["in_progress"])
    for status in ("unreported", "current"):
        assert (
            page.locator(f'[data-legenda="{status}"]').inner_text().endswith(f": {summary[status]}")
        )


def filter_province(page, code: str, drafting: str) -> None:
    page.goto("/pemantauan")
    page.get_by_label("Provinsi").select_option(code)
    page.get_by_label(drafting).check()
    page.get_by_role("button", name="Saring").click()
    page.wait_for_url(re.compile(r".*/pemantauan\?.*provinsi=" + code))


def test_the_ministry_follows_a_region_from_in_progress_to_current_and_runs_a_batch(
    page, officer_api
):
    draft_id = submitted_draft(officer_api)
    sign_in(page, "kementerian")
    summary = coverage(officer_api)["summary"]
    assert summary["in_progress"] >= 1
    check_the_map_legend(page, summary)
    title = page.locator('svg.peta path[data-code="16"] title').text_content()
    assert re.search(r"; \d+ sedang menyusun draf$", title), title
    shot(page, "b1-beranda-sedang-disusun")

    page.get_by_role("link", name="Pemantauan").click()
    page.wait_for_url("**/pemantauan")
    filter_province(page, "16", "Hanya yang sedang menyusun draf")
    row = page.locator(f'tr[data-region="{REGION}"]')
    assert "Kabupaten Ogan Ilir" in row.inner_text()
    assert row.locator("td[data-disusun]").inner_text() == "Diajukan untuk ditandatangani"
    shot(page, "b2-pemantauan-sedang-disusun")
    row.get_by_role("link", name="Riwayat").click()
    page.wait_for_url(f"**/pemantauan/{REGION}")
    assert "Diajukan untuk ditandatangani" in page.locator("#draf + p").inner_text()
    shot(page, "b3-riwayat-sedang-disusun")

    record_signed(officer_api, draft_id)
    page.reload()
    assert page.locator("[data-status-kini]").inner_text() == "Berlaku dan mutakhir"
    assert "Sejak: 4 Juni 2025" in page.locator("#status-kini ~ p").first.inner_text()
    assert page.locator('a[href^="/dokumen/"]').first.is_visible()
    assert "Tidak ada draf yang sedang disusun" in page.locator("#draf + p").inner_text()
    latest = page.locator("tr[data-perubahan]").first
    assert "Berlaku dan mutakhir" in latest.inner_text()
    assert "4 Juni 2025" in latest.inner_text()
    shot(page, "b4-riwayat-berlaku")
    filter_province(page, "16", "Semua wilayah")
    assert page.locator(f'tr[data-region="{REGION}"]').count() == 0
    summary = coverage(officer_api)["summary"]
    check_the_map_legend(page, summary)
    shot(page, "b5-beranda-berlaku")

    filter_province(page, "16", "Semua wilayah")
    page.get_by_label("Templat").select_option("kepbupwal-pembentukan")
    page.get_by_role("button", name="Buat draf massal").click()
    page.wait_for_url("**/pekerjaan/*")
    page.locator("#status-pekerjaan").filter(has_text="selesai").wait_for(timeout=120_000)
    bar = page.locator("#bilah-pekerjaan")
    done, total = bar.evaluate("bar => [bar.value, bar.max]")
    assert done == total > 0
    assert page.locator("#kemajuan-pekerjaan").inner_text() == f"{total} dari {total}"
    shot(page, "b6-pekerjaan-draf-massal-selesai")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh hasil (ZIP)").click()
    assert download.value.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes())) as archive:
        names = archive.namelist()
    assert "manifest.csv" in names
    assert len([name for name in names if name.endswith(".docx")]) == total
    assert not any(REGION in name for name in names)
