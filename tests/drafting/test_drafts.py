"""Drafting a decree for a region: context from the corpus, lint, versions, documents."""

import io
import shutil
import zipfile

import docx
import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from legalbase.core import db
from legalbase.corpus.models import Regulation
from legalbase.regions.models import Region
from tests.factories import auth, make_regulation, make_user

TEMPLATE = "kepbupwal-pembentukan"
FIELDS = {
    "nama_penandatangan": "H. Edison",
    "tanggal_penetapan": "2025-06-04",
    "anggota": [
        {"jabatan_gt": "Ketua", "jabatan": "Bupati Muara Enim"},
        {"jabatan_gt": "Anggota", "jabatan": "Kepala Dinas P3A & KB <Muara Enim>"},
    ],
}
needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is not installed; `make test` and "
    ".ci/run install libreoffice-writer-nogui with apt-get when they run as root",
)


@pytest.fixture
def muara_enim():
    return make_user("region", "16.03")[1]


def make_draft(client, token, region="16.03", template=TEMPLATE, **fields):
    return client.post(
        "/api/v1/drafts",
        headers=auth(token),
        json={"template": template, "region_code": region, "fields": {**FIELDS, **fields}},
    )


def assert_in_order(text: str, marks: list[str]) -> None:
    """Each mark appears in `text` after the one before it."""
    position = 0
    for mark in marks:
        found = text.find(mark, position)
        assert found >= 0, f"{mark!r} not found after position {position}"
        position = found + len(mark)


def document_text(content: bytes) -> str:
    """The text of a DOCX in reading order, tables included."""
    parts = []
    for block in docx.Document(io.BytesIO(content)).iter_inner_content():
        if isinstance(block, docx.table.Table):
            parts += [cell.text for row in block.rows for cell in row.cells]
        else:
            parts.append(block.text)
    return "\n".join(parts)


def test_a_draft_reads_the_parts_in_order_with_the_national_chain(client, muara_enim):
    response = make_draft(client, muara_enim)
    assert response.status_code == 201, response.json
    content = client.get(response.json["document_url"], headers=auth(muara_enim)).data
    text = " ".join(document_text(content).split())
    marks = [
        "BUPATI MUARA ENIM",
        "PROVINSI SUMATERA SELATAN",
        "KEPUTUSAN BUPATI MUARA ENIM",
        "NOMOR",
        "TENTANG",
        "Menimbang",
        "Mengingat",
        "Undang-Undang Nomor 21 Tahun 2007",
        "Peraturan Presiden Nomor 69 Tahun 2008",
        "MEMUTUSKAN",
        "Ditetapkan di",
        "4 Juni 2025",
        "H. EDISON",
    ]
    assert_in_order(text, marks)
    assert (
        "Peraturan Presiden Nomor 69 Tahun 2008 tentang Gugus Tugas Pencegahan dan "
        "Penanganan Tindak Pidana Perdagangan Orang sebagaimana telah diubah beberapa kali, "
        "terakhir dengan Peraturan Presiden Nomor 49 Tahun 2023 tentang Perubahan Kedua atas "
        "Peraturan Presiden Nomor 69 Tahun 2008 tentang Gugus Tugas Pencegahan dan Penanganan "
        "Tindak Pidana Perdagangan Orang (Lembaran Negara Republik Indonesia Tahun 2023 "
        "Nomor 107);"
    ) in text
    assert "Kepala Dinas P3A & KB <Muara Enim>" in text


@needs_libreoffice
def test_the_draft_opens_in_libreoffice_and_reads_in_order(client, muara_enim, tmp_path):
    draft = make_draft(client, muara_enim).json
    pdf = client.get(draft["pdf_url"], headers=auth(muara_enim))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages).split()
    )
    marks = [
        "BUPATI MUARA ENIM",
        "NOMOR",
        "TENTANG",
        "Menimbang",
        "Mengingat",
        "Undang-Undang Nomor 21 Tahun 2007",
        "Peraturan Presiden Nomor 69 Tahun 2008",
        "sebagaimana telah diubah beberapa kali, terakhir dengan Peraturan Presiden Nomor "
        "49 Tahun 2023",
    ]
    assert_in_order(text, marks)


def test_pdf_without_libreoffice_is_a_clear_501(client, muara_enim, monkeypatch):
    draft = make_draft(client, muara_enim).json
    monkeypatch.setattr(shutil, "which", lambda name: None)
    response = client.get(draft["pdf_url"], headers=auth(muara_enim))
    assert response.status_code == 501
    assert "LibreOffice" in response.json["error"]["message"]
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "501" in paths["/api/v1/drafts/{draft_id}/document.pdf"]["get"]["responses"]


def test_lint_comes_with_the_draft_and_names_placeholders(client, muara_enim):
    body = make_draft(client, muara_enim, tanggal_penetapan=None).json
    codes = {finding["code"] for finding in body["lint"]}
    assert codes == {"unknown_fact", "field_placeholder"}
    assert any("Tanggal penetapan" in f["message"] for f in body["lint"])


def test_a_missing_field_is_422_naming_it_and_nothing_is_stored(client, muara_enim):
    response = make_draft(client, muara_enim, nama_penandatangan="", anggota=[{"x": "y"}])
    assert response.status_code == 422
    assert set(response.json["error"]["details"]["fields"]) == {"nama_penandatangan", "anggota"}


def test_a_region_without_a_known_seat_must_name_the_place(client):
    db.session.execute(update(Region).where(Region.code == "16.01").values(seat=None))
    db.session.commit()
    _, token = make_user("region", "16.01")
    response = make_draft(client, token, region="16.01")
    assert response.status_code == 422
    assert "tempat" in response.json["error"]["details"]["fields"]
    assert make_draft(client, token, region="16.01", tempat="Baturaja").status_code == 201


def test_a_region_drafts_only_for_itself_and_the_template_must_fit(client, muara_enim):
    assert make_draft(client, muara_enim, region="16.71").status_code == 403
    assert make_draft(client, None).status_code == 401
    _, ministry = make_user("ministry", None, username="kemen")
    wrong_level = make_draft(client, ministry, region="16")
    assert wrong_level.status_code == 422
    unknown = make_draft(client, ministry, template="tidak-ada")
    assert unknown.status_code == 422
    assert "template" in unknown.json["error"]["details"]["fields"]


def test_drafts_are_private(client, muara_enim):
    draft = make_draft(client, muara_enim).json
    _, other = make_user("region", "16.71")
    _, province = make_user("region", "16")
    assert client.get(f"/api/v1/drafts/{draft['id']}").status_code == 401
    assert client.get(f"/api/v1/drafts/{draft['id']}", headers=auth(other)).status_code == 403
    assert client.get(f"/api/v1/drafts/{draft['id']}", headers=auth(province)).status_code == 200


def test_rerendering_keeps_earlier_versions(client, muara_enim):
    draft = make_draft(client, muara_enim).json
    first = client.get(draft["document_url"], headers=auth(muara_enim)).data
    again = client.post(
        f"/api/v1/drafts/{draft['id']}/render",
        headers=auth(muara_enim),
        json={"fields": {**FIELDS, "nomor": "188.45/9/KPTS/2025"}},
    )
    assert again.status_code == 201
    assert [v["number"] for v in again.json["versions"]] == [1, 2]
    old = client.get(f"{draft['document_url']}?version=1", headers=auth(muara_enim)).data
    new = client.get(draft["document_url"], headers=auth(muara_enim)).data
    assert old == first and old != new
    assert "188.45/9/KPTS/2025" in document_text(new)


def test_the_same_inputs_give_the_same_bytes(client, muara_enim):
    first = make_draft(client, muara_enim).json
    second = client.post(
        f"/api/v1/drafts/{first['id']}/render", headers=auth(muara_enim), json={}
    ).json
    assert second["versions"][0]["inputs_hash"] == second["versions"][1]["inputs_hash"]
    one = client.get(f"{first['document_url']}?version=1", headers=auth(muara_enim)).data
    two = client.get(f"{first['document_url']}?version=2", headers=auth(muara_enim)).data
    assert one == two


def test_the_amendment_template_names_the_decree_it_amends(client, muara_enim):
    old = make_regulation(
        form="kepbup",
        region_code="16.03",
        number="460/105 Tahun 2017",
        year=2017,
        title="Pembentukan Gugus Tugas",
    )
    response = client.post(
        "/api/v1/drafts",
        headers=auth(muara_enim),
        json={
            "template": "keputusan-perubahan",
            "region_code": "16.03",
            "fields": {**FIELDS, "sk_diubah_id": old.id},
        },
    )
    assert response.status_code == 201, response.json
    content = client.get(response.json["document_url"], headers=auth(muara_enim)).data
    text = " ".join(document_text(content).split())
    assert "Perubahan atas Keputusan Bupati Muara Enim Nomor 460/105 Tahun 2017" in text


def test_impact_lists_the_drafts_that_cite_a_regulation(client, muara_enim):
    draft = make_draft(client, muara_enim).json
    perpres_49 = db.session.scalar(
        select(Regulation.id).where(Regulation.seed_key == "perpres-49-2023")
    )
    body = client.get(f"/api/v1/coverage/impact?regulation={perpres_49}").json
    assert draft["id"] in [row["id"] for row in body["drafts"]]


def test_templates_are_listed_with_their_fields(client):
    names = {t["name"]: t for t in client.get("/api/v1/templates").json}
    assert set(names) >= {"kepgub-pembentukan", "kepbupwal-pembentukan", "keputusan-perubahan"}
    fields = {f["name"] for f in names[TEMPLATE]["fields"]}
    assert {"nama_penandatangan", "anggota"} <= fields


def test_the_docx_is_a_valid_archive(client, muara_enim):
    draft = make_draft(client, muara_enim).json
    content = client.get(draft["document_url"], headers=auth(muara_enim)).data
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        assert "word/document.xml" in archive.namelist()
    assert document_text(content).startswith("BUPATI MUARA ENIM")


def test_a_new_amendment_in_the_corpus_reaches_the_next_draft(client, muara_enim):
    first = make_draft(client, muara_enim, tanggal_penetapan="2026-06-01").json
    _, ministry = make_user("ministry", None, username="kemen")
    amendment = client.post(
        "/api/v1/regulations",
        headers=auth(ministry),
        json={
            "form": "perpres",
            "number": "99",
            "year": 2026,
            "enacted_on": "2026-03-02",
            "title": "Perubahan Ketiga atas Peraturan Presiden Nomor 69 Tahun 2008",
        },
    ).json
    perpres_69 = db.session.scalar(
        select(Regulation.id).where(Regulation.seed_key == "perpres-69-2008")
    )
    client.post(
        f"/api/v1/regulations/{amendment['id']}/relations",
        headers=auth(ministry),
        json={"type": "amends", "target_id": perpres_69},
    )
    again = client.post(
        f"/api/v1/drafts/{first['id']}/render", headers=auth(muara_enim), json={}
    ).json
    text = " ".join(
        document_text(client.get(again["document_url"], headers=auth(muara_enim)).data).split()
    )
    assert "terakhir dengan Peraturan Presiden Nomor 99 Tahun 2026" in text
    old = client.get(f"{first['document_url']}?version=1", headers=auth(muara_enim)).data
    assert "Nomor 99 Tahun 2026" not in document_text(old)
