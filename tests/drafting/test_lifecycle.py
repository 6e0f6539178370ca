"""Closing the loop: a draft is sent for signature, its signed SK uploaded against it becomes the
region's regulation (number and date read from the file, the draft's citations carried over),
and the region's coverage turns current."""

import hashlib
import io
import uuid
import zipfile

import docx
import pytest
from fpdf import FPDF
from sqlalchemy import func, select, text

from legalbase import create_app
from legalbase.core import db
from legalbase.core.audit import AuditEntry
from legalbase.core.schema import downgrade_database, upgrade_database
from legalbase.core.storage import file_store
from legalbase.corpus.models import Regulation, Relation
from legalbase.drafting.lifecycle import drafts_of_region, open_draft_of
from legalbase.drafting.models import DraftCitation
from legalbase.search import backend
from tests.corpus.documents import scanned_pdf
from tests.databases import new_database
from tests.factories import auth, make_regulation, make_user

LAHAT = "16.04"  # Kabupaten Lahat: unreported in the seed corpus
TEMPLATE = "kepbupwal-pembentukan"
FIELDS = {
    "nama_penandatangan": "Cik Ujang",
    "anggota": [
        {"jabatan_gt": "Ketua", "jabatan": "Bupati Lahat"},
        {"jabatan_gt": "Anggota", "jabatan": "Kepala Dinas P3A Kabupaten Lahat"},
    ],
}
SIGNED = {"nomor": "188.45/215/KPTS/2025", "tanggal_penetapan": "2025-06-04"}


@pytest.fixture
def search_index(app, tmp_path):
    """An index of the test's own, built from its database (as tests/search/conftest.py)."""
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "search")
    backend().rebuild()
    yield
    app.config.pop("SEARCH_INDEX_DIR", None)


def found(client, words: str) -> list[int]:
    body = client.get("/api/v1/search", query_string={"q": words, "region": LAHAT}).json
    return [item["id"] for item in body["items"]]


@pytest.fixture
def lahat():
    return make_user("region", LAHAT)[1]


def make_draft(client, token, **fields):
    response = client.post(
        "/api/v1/drafts",
        headers=auth(token),
        json={"template": TEMPLATE, "region_code": LAHAT, "fields": {**FIELDS, **fields}},
    )
    assert response.status_code == 201, response.json
    return response.json


def submit(client, token, draft):
    return client.post(f"/api/v1/drafts/{draft['id']}/submit", headers=auth(token))


def docx_of(client, token, draft) -> bytes:
    """The draft's DOCX as the signed file comes back: saved again, bytes of its own."""
    rendered = zipfile.ZipFile(
        io.BytesIO(client.get(draft["document_url"], headers=auth(token)).data)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as saved:
        for entry in rendered.infolist():
            saved.writestr(entry, rendered.read(entry))
        saved.comment = f"ditandatangani {uuid.uuid4()}".encode()
    return out.getvalue()


def printed_pdf(signed_docx: bytes) -> bytes:
    """The signed DOCX printed to a PDF with a text layer, in reading order, tables included."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    for block in document_texts(signed_docx):
        line = " ".join(block.split()).encode("latin-1", "replace").decode("latin-1")
        pdf.multi_cell(0, 4, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def document_texts(content: bytes) -> list[str]:
    texts = []
    for block in docx.Document(io.BytesIO(content)).iter_inner_content():
        if isinstance(block, docx.table.Table):
            texts += [" ".join(cell.text for cell in row.cells) for row in block.rows]
        else:
            texts.append(block.text)
    return texts


def send_signed(client, token, draft, content, **form):
    return client.post(
        f"/api/v1/drafts/{draft['id']}/signed",
        headers=auth(token),
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(content), "sk-bertanda-tangan.docx"), **form},
    )


def coverage_of(client, code=LAHAT) -> dict:
    return client.get(f"/api/v1/coverage/{code}").json["item"]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_draft_is_submitted_once_and_shows_its_state(client, lahat):
    draft = make_draft(client, lahat)
    assert (draft["state"], draft["state_label"]) == ("draf", "Draf")
    assert draft["submitted_at"] is None and draft["regulation_id"] is None
    response = submit(client, lahat, draft)
    assert response.status_code == 200, response.json
    assert response.json["state"] == "diajukan"
    assert response.json["state_label"] == "Diajukan untuk ditandatangani"
    assert response.json["submitted_at"] is not None
    shown = client.get(f"/api/v1/drafts/{draft['id']}", headers=auth(lahat)).json
    assert shown["state"] == "diajukan"
    again = submit(client, lahat, draft)
    assert again.status_code == 409
    assert "Diajukan untuk ditandatangani" in again.json["error"]["message"]
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "draft", AuditEntry.action == "submit")
    ).all()
    assert [(e.entity_id, e.after["state"]) for e in entries] == [(str(draft["id"]), "diajukan")]


def test_a_signed_sk_is_refused_before_the_draft_is_submitted(client, lahat):
    draft = make_draft(client, lahat, **SIGNED)
    response = send_signed(client, lahat, draft, docx_of(client, lahat, draft))
    assert response.status_code == 409
    assert "ajukan draf lebih dulu" in response.json["error"]["message"]
    assert count(Regulation) == count(Regulation)  # nothing stored: see the rollback test


def test_the_signed_sk_becomes_the_region_s_current_basis(client, lahat):
    assert coverage_of(client)["status"] == "unreported"
    draft = make_draft(client, lahat, **SIGNED)
    assert coverage_of(client)["in_progress"]["state"] == "draf"
    submit(client, lahat, draft)
    assert coverage_of(client)["in_progress"]["state"] == "diajukan"
    response = send_signed(client, lahat, draft, docx_of(client, lahat, draft))
    assert response.status_code == 201, response.json
    enacted = response.json
    assert (enacted["state"], enacted["state_label"]) == ("ditetapkan", "Ditetapkan")
    assert enacted["enacted_at"] is not None
    regulation = client.get(f"/api/v1/regulations/{enacted['regulation_id']}").json
    assert (regulation["form"], regulation["region_code"]) == ("kepbup", LAHAT)
    assert (regulation["number"], regulation["year"]) == ("188.45/215/KPTS/2025", 2025)
    assert regulation["enacted_on"] == "2025-06-04"
    judged = coverage_of(client)
    assert judged["status"] == "current", judged["reasons"]
    assert judged["in_progress"] is None
    assert [basis["id"] for basis in judged["basis"]] == [enacted["regulation_id"]]


def test_the_enacted_sk_is_searchable_as_the_response_arrives(client, lahat, search_index):
    draft = make_draft(client, lahat, **SIGNED)
    submit(client, lahat, draft)
    enacted = send_signed(client, lahat, draft, docx_of(client, lahat, draft)).json
    assert found(client, "gugus tugas") == [enacted["regulation_id"]]


def test_a_signed_pdf_is_read_as_well(client, lahat):
    draft = make_draft(client, lahat, **SIGNED)
    submit(client, lahat, draft)
    response = send_signed(client, lahat, draft, printed_pdf(docx_of(client, lahat, draft)))
    assert response.status_code == 201, response.json
    regulation = client.get(f"/api/v1/regulations/{response.json['regulation_id']}").json
    assert (regulation["number"], regulation["enacted_on"]) == (SIGNED["nomor"], "2025-06-04")
    assert (regulation["file"]["media_type"], regulation["text_status"]) == (
        "application/pdf",
        "available",
    )
    assert coverage_of(client)["status"] == "current"


def test_a_scan_takes_its_citations_from_the_draft(client, lahat):
    draft = make_draft(client, lahat)
    submit(client, lahat, draft)
    response = send_signed(
        client, lahat, draft, scanned_pdf(), number="188.45/217/KPTS/2025", date="2025-06-05"
    )
    assert response.status_code == 201, response.json
    regulation = client.get(f"/api/v1/regulations/{response.json['regulation_id']}").json
    assert regulation["title"] == (
        "Pembentukan Gugus Tugas Pencegahan dan Penanganan Tindak Pidana Perdagangan Orang "
        "Kabupaten Lahat"
    )
    assert regulation["form"] == "kepbup" and regulation["year"] == 2025
    assert regulation["text_status"] in ("no_text_layer", "pending_ocr")
    relations = client.get(f"/api/v1/regulations/{response.json['regulation_id']}/relations").json
    named = {(r["regulation"]["form"], r["regulation"]["number"]) for r in relations["outgoing"]}
    assert {("perpres", "49"), ("perpres", "69"), ("uu", "21")} <= named


def test_the_regulation_cites_what_the_draft_cited(client, lahat):
    draft = make_draft(client, lahat, **SIGNED)
    submit(client, lahat, draft)
    enacted = send_signed(client, lahat, draft, docx_of(client, lahat, draft)).json
    drafted = set(
        db.session.scalars(
            select(DraftCitation.regulation_id).where(DraftCitation.draft_id == draft["id"])
        )
    )
    cited = set(
        db.session.scalars(
            select(Relation.target_id).where(
                Relation.kind == "cites", Relation.source_id == enacted["regulation_id"]
            )
        )
    )
    assert drafted and drafted <= cited
    relations = client.get(f"/api/v1/regulations/{enacted['regulation_id']}/relations").json
    named = {(r["regulation"]["form"], r["regulation"]["number"]) for r in relations["outgoing"]}
    assert {("perpres", "49"), ("perpres", "69"), ("uu", "21")} <= named


def test_a_number_given_wins_over_the_one_read(client, lahat):
    draft = make_draft(client, lahat, **SIGNED)
    submit(client, lahat, draft)
    content = docx_of(client, lahat, draft)
    response = send_signed(client, lahat, draft, content, number="188.45/216/KPTS/2025")
    regulation = client.get(f"/api/v1/regulations/{response.json['regulation_id']}").json
    assert regulation["number"] == "188.45/216/KPTS/2025"


def test_a_number_the_file_does_not_say_is_asked_for_and_nothing_is_kept(client, lahat):
    draft = make_draft(client, lahat)  # printed "[nomor belum diisi]", "[tanggal belum diisi]"
    submit(client, lahat, draft)
    content = docx_of(client, lahat, draft)
    regulations, audits = count(Regulation), count(AuditEntry)
    response = send_signed(client, lahat, draft, content, date="2025-06-04")
    assert response.status_code == 422
    assert set(response.json["error"]["details"]["fields"]) == {"nomor"}
    both = send_signed(client, lahat, draft, content)
    assert set(both.json["error"]["details"]["fields"]) == {"nomor", "tanggal"}
    assert (count(Regulation), count(AuditEntry)) == (regulations, audits)
    assert not file_store().path_of(hashlib.sha256(content).hexdigest()).exists()
    shown = client.get(f"/api/v1/drafts/{draft['id']}", headers=auth(lahat)).json
    assert (shown["state"], shown["regulation_id"]) == ("diajukan", None)
    typed = send_signed(
        client, lahat, draft, content, number="188.45/9/KPTS/2025", date="2025-06-04"
    )
    assert typed.status_code == 201, typed.json


def test_a_failed_enactment_leaves_no_record_file_or_index_entry(client, lahat, search_index):
    make_regulation(
        form="kepbup",
        region_code=LAHAT,
        number=SIGNED["nomor"],
        title="Keputusan Bupati Lahat tentang Tim Koordinasi Lain",
    )
    draft = make_draft(client, lahat, **SIGNED)
    submit(client, lahat, draft)
    content = docx_of(client, lahat, draft)
    regulations, relations = count(Regulation), count(Relation)
    before = found(client, "gugus tugas")
    response = send_signed(client, lahat, draft, content)
    assert response.status_code == 409
    assert response.json["error"]["code"] == "duplicate_regulation"
    assert (count(Regulation), count(Relation)) == (regulations, relations)
    assert not file_store().path_of(hashlib.sha256(content).hexdigest()).exists()
    assert found(client, "gugus tugas") == before
    shown = client.get(f"/api/v1/drafts/{draft['id']}", headers=auth(lahat)).json
    assert shown["state"] == "diajukan"


def test_the_signed_sk_must_come_as_a_file(client, lahat):
    draft = make_draft(client, lahat, **SIGNED)
    submit(client, lahat, draft)
    url = f"/api/v1/drafts/{draft['id']}/signed"
    as_json = client.post(url, headers=auth(lahat), json={"number": "1"})
    assert as_json.status_code == 415
    no_file = client.post(
        url, headers=auth(lahat), content_type="multipart/form-data", data={"number": "1"}
    )
    assert no_file.status_code == 422
    assert set(no_file.json["error"]["details"]["fields"]) == {"file"}
    bad_date = send_signed(client, lahat, draft, docx_of(client, lahat, draft), date="4 Juni")
    assert set(bad_date.json["error"]["details"]["fields"]) == {"date"}
    future = send_signed(client, lahat, draft, docx_of(client, lahat, draft), date="2099-01-01")
    assert future.json["error"]["details"]["fields"] == {
        "tanggal": ["Tanggal penetapan tidak boleh di masa depan."]
    }


def test_another_region_may_neither_submit_nor_enact(client, lahat):
    other = make_user("region", "16.72")[1]
    draft = make_draft(client, lahat, **SIGNED)
    assert submit(client, other, draft).status_code == 403
    submit(client, lahat, draft)
    content = docx_of(client, lahat, draft)
    assert send_signed(client, other, draft, content).status_code == 403
    assert client.get(f"/api/v1/drafts/{draft['id']}", headers=auth(lahat)).json["state"] == (
        "diajukan"
    )


def test_the_ministry_may_close_the_loop_for_a_region(client, lahat):
    ministry = make_user("ministry", None)[1]
    draft = make_draft(client, lahat, **SIGNED)
    assert submit(client, ministry, draft).status_code == 200
    response = send_signed(client, ministry, draft, docx_of(client, lahat, draft))
    assert response.status_code == 201, response.json


def test_the_pages_find_a_region_s_drafts_newest_first(client, lahat):
    first = make_draft(client, lahat)
    second = make_draft(client, lahat, **SIGNED)
    assert [d.id for d in drafts_of_region(LAHAT)] == [second["id"], first["id"]]
    assert open_draft_of(LAHAT).id == second["id"]
    submit(client, lahat, second)
    send_signed(client, lahat, second, docx_of(client, lahat, second))
    assert open_draft_of(LAHAT).id == first["id"]
    assert open_draft_of("16.72") is None


def test_drafts_kept_before_their_states_existed_are_drafts(tmp_path):
    """Upgrading to 0010 leaves an existing draft in `draf`, neither submitted nor enacted."""
    with new_database(tmp_path) as url:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "INSTANCE_DIR": str(tmp_path)})
        with app.app_context():
            upgrade_database("0009")
            with db.engine().begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO regions (code, name, level, head_title, autonomous) "
                        "VALUES ('16.04', 'Kabupaten Lahat', 'kabupaten', 'BUPATI LAHAT', TRUE)"
                    )
                )
                conn.execute(
                    text(
                        "INSERT INTO drafts (template, template_version, region_code, fields, "
                        "options, lint, created_at) VALUES ('kepbupwal-pembentukan', 1, '16.04', "
                        "'{}', '{}', '[]', '2026-01-01T00:00:00+00:00')"
                    )
                )
            upgrade_database("head")
            row = db.session.execute(
                text("SELECT state, submitted_at, enacted_at, regulation_id FROM drafts")
            ).one()
            assert tuple(row) == ("draf", None, None, None)
            db.session.remove()
            downgrade_database("0009")
        app.extensions["legalbase.db"].engine.dispose()
