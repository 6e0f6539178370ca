"""Journey (d) in Chromium: an admin signs in, uploads a new version of the shipped template and
watches its check for every region finish on the job page; the version is then the one new
drafts use, until the admin retires it."""

import pytest

from tests.browser.conftest import shot, sign_in
from tests.drafting.test_template_uploads import NAME, manifest_text, template_bytes

pytestmark = [pytest.mark.browser, pytest.mark.served, pytest.mark.slow]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_an_admin_uploads_a_template_version_and_watches_its_check_finish(page):
    sign_in(page, "admin")
    page.get_by_role("link", name="Templat", exact=True).click()
    page.wait_for_url("**/admin/templat")
    assert page.locator(f'[data-template="{NAME}"] tr[data-version="1"]').count() == 1
    shot(page, "admin-templat")
    page.get_by_label("Manifes").set_input_files(
        files=[
            {
                "name": "manifest.yaml",
                "mimeType": "application/yaml",
                "buffer": manifest_text(version=2).encode(),
            }
        ]
    )
    page.get_by_label("Berkas templat").set_input_files(
        files=[{"name": "template.docx", "mimeType": DOCX, "buffer": template_bytes()}]
    )
    page.get_by_role("button", name="Unggah templat").click()
    page.wait_for_url("**/pekerjaan/*")
    assert page.locator("h1").inner_text().startswith("Pemeriksaan templat")
    shot(page, "templat-diperiksa")

    page.locator("#status-pekerjaan").filter(has_text="selesai").wait_for(timeout=180_000)
    value, maximum = page.locator("#bilah-pekerjaan").evaluate("bar => [bar.value, bar.max]")
    assert value == maximum > 500  # every autonomous kabupaten and kota rendered
    assert page.locator("#kemajuan-pekerjaan").inner_text() == f"{maximum} dari {maximum}"
    assert page.locator("#galat-pekerjaan").is_hidden()
    assert page.locator("#muat-ulang").is_hidden()
    shot(page, "templat-pemeriksaan-selesai")

    page.goto(f"/admin/templat/{NAME}")
    version = page.locator('tr[data-version="2"]')
    assert version.locator(".status-validasi").inner_text() == "siap"
    assert version.get_attribute("data-chosen") == "true"
    assert page.locator("#versi-dipakai").inner_text() == "2 (unggahan)"
    shot(page, "templat-versi-siap")

    page.get_by_role("button", name="Pensiunkan versi 2").click()  # back to the shipped one
    page.wait_for_url(f"**/admin/templat/{NAME}")
    assert version.locator(".status-pensiun").inner_text().startswith("dipensiunkan oleh admin")
    assert page.locator("#versi-dipakai").inner_text() == "1 (bawaan)"
    shot(page, "templat-versi-dipensiunkan")
