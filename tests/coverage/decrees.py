"""Keputusan Bupati texts for coverage scenarios, uploaded as plain-text files."""

import io
import json

from tests.factories import auth

SUBGUGUS = (
    "KEDUA : Subgugus Tugas terdiri atas Subgugus Tugas Pencegahan, Rehabilitasi "
    "Kesehatan, Rehabilitasi Sosial, Pemulangan dan Reintegrasi, Pengembangan Norma "
    "Hukum, Penegakan Hukum, serta Koordinasi dan Kerja Sama."
)
CHAIN_LATEST = (
    "Peraturan Presiden Nomor 69 Tahun 2008 tentang Gugus Tugas Pencegahan dan "
    "Penanganan Tindak Pidana Perdagangan Orang sebagaimana telah diubah terakhir "
    "dengan Peraturan Presiden Nomor 49 Tahun 2023;"
)
CHAIN_ROOT_ONLY = (
    "Peraturan Presiden Nomor 69 Tahun 2008 tentang Gugus Tugas Pencegahan dan "
    "Penanganan Tindak Pidana Perdagangan Orang;"
)


def decree_text(number: str, *, root_only=False, subgugus=True) -> str:
    chain = CHAIN_ROOT_ONLY if root_only else CHAIN_LATEST
    return "\n".join(
        [
            "KEPUTUSAN BUPATI MUARA ENIM",
            f"NOMOR {number}",
            "TENTANG",
            "PEMBENTUKAN GUGUS TUGAS PENCEGAHAN DAN PENANGANAN TINDAK PIDANA PERDAGANGAN ORANG",
            "BUPATI MUARA ENIM,",
            "Mengingat : 1. Undang-Undang Nomor 21 Tahun 2007 tentang Pemberantasan Tindak Pidana "
            "Perdagangan Orang;",
            f"2. {chain}",
            "MEMUTUSKAN:",
            "KESATU : Membentuk Gugus Tugas Pencegahan dan Penanganan Tindak Pidana Perdagangan "
            "Orang Kabupaten Muara Enim.",
            SUBGUGUS if subgugus else "KEDUA : Tugas Gugus Tugas.",
        ]
    )


def upload_decree(
    client, token, number, enacted_on, *, region="16.03", root_only=False, subgugus=True, **metadata
):
    """Store a Keputusan Bupati with its text; returns its JSON."""
    fields = {
        "form": "kepbup",
        "region_code": region,
        "number": number,
        "year": int(enacted_on[:4]),
        "enacted_on": enacted_on,
        "title": "Pembentukan Gugus Tugas Pencegahan dan Penanganan Tindak Pidana "
        "Perdagangan Orang",
        **metadata,
    }
    text = decree_text(number, root_only=root_only, subgugus=subgugus).encode()
    response = client.post(
        "/api/v1/regulations",
        headers=auth(token),
        data={"metadata": json.dumps(fields), "file": (io.BytesIO(text), "sk.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()
