"""The upload page asks a person exactly what the reader is unsure of (on a real decree)."""

import io
import re
from pathlib import Path

import pytest

from tests.factories import make_user
from tests.web.test_pages import csrf

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real-decrees"
PERBUP_5_2026 = REAL / "13-purbalingga-perbup-5-2026-perubahan-bhpr.txt"


def certainty(page: str, name: str) -> str:
    match = re.search(rf'id="kepastian-{name}">([^<]*)<', page)
    return match.group(1) if match else ""


@pytest.mark.skipif(not PERBUP_5_2026.exists(), reason="../shared/data/real-decrees is absent")
def test_a_blank_promulgation_date_is_asked_for_and_the_rest_shown_as_read(client):
    make_user("region", "33.03", username="purbalingga", password="kata-sandi-purbalingga")
    client.post(
        "/masuk",
        data={
            "username": "purbalingga",
            "password": "kata-sandi-purbalingga",
            "csrf_token": csrf(client),
        },
    )
    page = client.post(
        "/unggah",
        data={
            "csrf_token": csrf(client, "/unggah"),
            "berkas": (io.BytesIO(PERBUP_5_2026.read_bytes()), "perbup.txt"),
        },
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert 'value="5"' in page and 'value="2026"' in page
    assert 'value="33.03"' in page  # Kabupaten Purbalingga, from the heading
    for name in ("form", "region_code", "number", "year", "title", "enacted_on"):
        assert certainty(page, name) == "dibaca dari dokumen", name
    assert certainty(page, "promulgated_on").startswith(
        "tidak ditemukan: Tanggal pengundangan dibiarkan kosong"
    )
    assert 'name="promulgated_on" type="date" value=""' in page
