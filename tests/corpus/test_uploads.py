"""Uploading decrees: what is read from the file, where the file goes, and bad files."""

import io
import json
import socket
import threading
import time
from pathlib import Path

import docx
import pytest
from sqlalchemy import func, select

from legalbase.core import db
from legalbase.core.errors import Invalid
from legalbase.corpus import files
from legalbase.corpus.files import read_upload
from legalbase.corpus.models import Regulation, Relation
from legalbase.corpus.ocr import ocr_available
from tests.corpus.documents import (
    CITED_KEYS,
    DECREE_TITLE,
    broken_pdf,
    decree_docx,
    decree_pdf,
    scanned_decree_pdf,
    scanned_pdf,
    zip_bomb,
)
from tests.factories import auth, make_user
from tests.security.hostile import (
    TRAVERSING_ENTRIES,
    billion_pages_pdf,
    cyclic_pdf,
    endless_pdf,
    inflating_pdf,
    traversing_docx,
    with_xxe,
    xxe_docx,
)


def upload(client, token, content, metadata=None, name="berkas.bin"):
    data = {"file": (io.BytesIO(content), name)}
    if metadata is not None:
        data["metadata"] = json.dumps(metadata)
    return client.post(
        "/api/v1/regulations", data=data, headers=auth(token), content_type="multipart/form-data"
    )


def counts(app):
    files = Path(app.instance_path) / "files"
    stored = sum(1 for path in files.rglob("*") if path.is_file()) if files.exists() else 0
    return (
        db.session.scalar(select(func.count()).select_from(Regulation)),
        db.session.scalar(select(func.count()).select_from(Relation)),
        stored,
    )


def seed_ids(keys):
    rows = db.session.execute(
        select(Regulation.seed_key, Regulation.id).where(Regulation.seed_key.in_(keys))
    )
    return {key: id_ for key, id_ in rows}


@pytest.fixture
def muara_enim(client):
    return make_user("region", "16.03")[1]


@pytest.mark.parametrize("make", [decree_docx, decree_pdf], ids=["docx", "pdf"])
def test_a_decree_file_yields_its_metadata_and_citations(client, muara_enim, make):
    response = upload(client, muara_enim, make(), {})
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["form"], body["region_code"], body["number"], body["year"]) == (
        "kepbup",
        "16.03",
        "188.45/123/KPTS/2025",
        2025,
    )
    assert body["title"] == DECREE_TITLE
    assert (body["enacted_on"], body["place_of_enactment"]) == ("2025-06-04", "Muara Enim")
    assert body["text_status"] == "available"
    assert body["file"]["media_type"] in (
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    cited = client.get(f"/api/v1/regulations/{body['id']}/relations").json["outgoing"]
    assert {rel["regulation"]["id"] for rel in cited} == set(seed_ids(CITED_KEYS).values())
    assert {rel["label"] for rel in cited} == {"merujuk"}
    assert body["unresolved_citations"] == [
        "Peraturan Daerah Kabupaten Muara Enim Nomor 99 Tahun 2099"
    ]


def test_the_cited_act_shows_the_decree_as_citing_it(client, muara_enim):
    decree = upload(client, muara_enim, decree_docx(), {}).json
    perpres = seed_ids(["perpres-49-2023"])["perpres-49-2023"]
    incoming = client.get(f"/api/v1/regulations/{perpres}/relations").json["incoming"]
    assert [(rel["label"], rel["regulation"]["id"]) for rel in incoming] == [
        ("dirujuk oleh", decree["id"])
    ]


def test_explicit_metadata_wins_over_what_is_read(client, muara_enim):
    response = upload(
        client, muara_enim, decree_docx(), {"title": "Judul dari petugas", "year": 2026}
    )
    assert (response.json["title"], response.json["year"]) == ("Judul dari petugas", 2026)
    assert response.json["number"] == "188.45/123/KPTS/2025"


def test_the_file_is_stored_once_and_downloads_intact(client, muara_enim, app):
    content = decree_pdf()
    first = upload(client, muara_enim, content, {}).json
    before = counts(app)[2]
    upload(client, muara_enim, content, {"number": "188.45/124/KPTS/2025"})
    assert counts(app)[2] == before  # same content, same stored file
    download = client.get(first["file"]["url"])
    assert download.status_code == 200 and download.data == content
    assert download.mimetype == "application/pdf"
    assert "kepbup-188-45-123-KPTS-2025-2025.pdf" in download.headers["Content-Disposition"]


def test_a_corrupted_stored_file_is_refused_on_read(client, muara_enim, app):
    body = upload(client, muara_enim, decree_docx(), {}).json
    sha = body["file"]["sha256"]
    (Path(app.instance_path) / "files" / sha[:2] / sha).write_bytes(b"tampered")
    response = client.get(body["file"]["url"])
    assert response.status_code == 500
    assert response.json["error"]["code"] == "file_corrupted"


def test_a_scan_without_text_is_stored_and_flagged(client, muara_enim):
    metadata = {
        "form": "kepbup",
        "region_code": "16.03",
        "number": "188.45/777/KPTS/2024",
        "year": 2024,
        "title": "Pembentukan Gugus Tugas",
    }
    response = upload(client, muara_enim, scanned_pdf(), metadata)
    assert response.status_code == 201
    assert response.json["file"] is not None
    # OCR (inline here, where Tesseract is installed) runs once the upload commits.
    stored = client.get(f"/api/v1/regulations/{response.json['id']}").json
    assert stored["text_status"] == "no_text_layer"


def test_extract_proposes_without_storing_then_the_handle_saves(client, muara_enim, app):
    before = counts(app)
    response = client.post(
        "/api/v1/regulations/extract",
        headers=auth(muara_enim),
        data={"file": (io.BytesIO(decree_docx("555")), "sk.docx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    body = response.json
    assert body["proposal"]["form"] == "kepbup" and body["proposal"]["region_code"] == "16.03"
    assert body["proposal"]["number"] == "188.45/555/KPTS/2025"
    assert [c["text"] for c in body["citations"]][:2] == [
        "Undang-Undang Nomor 21 Tahun 2007",
        "Undang-Undang Nomor 23 Tahun 2014",
    ]
    assert counts(app) == before

    saved = client.post(
        "/api/v1/regulations",
        headers=auth(muara_enim),
        json={**body["proposal"], "file_handle": body["handle"]},
    )
    assert saved.status_code == 201
    assert saved.json["file"]["sha256"] == body["handle"]


def test_an_unknown_handle_is_422(client, muara_enim):
    response = client.post(
        "/api/v1/regulations",
        headers=auth(muara_enim),
        json={"form": "kepbup", "file_handle": "0" * 64},
    )
    assert response.status_code == 422
    assert "file_handle" in response.json["error"]["details"]["fields"]


@pytest.mark.parametrize(
    "content, status",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", 415),
        (zip_bomb(), 422),
        (broken_pdf(), 422),
    ],
    ids=["png", "zip-bomb", "broken-pdf"],
)
def test_bad_files_are_refused_and_leave_nothing(client, muara_enim, app, content, status):
    before = counts(app)
    response = upload(client, muara_enim, content, {"region_code": "16.03"})
    assert response.status_code == status
    assert counts(app) == before


def test_a_file_over_the_limit_is_413(client, muara_enim, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    before = counts(app)
    content = b"%PDF-1.7\n" + b"0" * 4096
    assert upload(client, muara_enim, content, {}).status_code == 413
    assert counts(app) == before


def test_another_regions_upload_is_403_and_leaves_nothing(client, app):
    _, palembang = make_user("region", "16.71")
    before = counts(app)
    response = upload(client, palembang, decree_docx(), {})  # reads as Kabupaten Muara Enim
    assert response.status_code == 403
    assert counts(app) == before


def test_403_for_the_named_region_comes_before_the_file_type(client):
    _, palembang = make_user("region", "16.71")
    response = upload(client, palembang, b"\x89PNG\r\n\x1a\n", {"region_code": "16.03"})
    assert response.status_code == 403


def test_a_duplicate_upload_is_409_and_its_new_file_is_removed(client, muara_enim, app):
    upload(client, muara_enim, decree_docx(), {})
    before = counts(app)
    response = upload(client, muara_enim, decree_pdf(), {})  # same number, new file
    assert response.status_code == 409
    assert counts(app) == before


def test_malformed_metadata_json_is_422(client, muara_enim):
    response = client.post(
        "/api/v1/regulations",
        headers=auth(muara_enim),
        data={"metadata": "{oops", "file": (io.BytesIO(b"teks"), "a.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "metadata" in response.json["error"]["details"]["fields"]


needs_ocr = pytest.mark.skipif(
    not ocr_available(),
    reason="Tesseract with Indonesian data (tesseract-ocr-ind) is not "
    "installed; `make test` and .ci/run install it with apt-get when they run as root",
)


@needs_ocr
def test_a_scanned_decree_is_read_by_ocr_and_its_citations_linked(client, muara_enim):
    metadata = {
        "form": "kepbup",
        "region_code": "16.03",
        "number": "188.45/321/KPTS/2025",
        "year": 2025,
        "title": "Pembentukan Gugus Tugas",
    }
    response = upload(client, muara_enim, scanned_decree_pdf(), metadata)
    assert response.status_code == 201
    regulation_id = response.json["id"]
    body = client.get(f"/api/v1/regulations/{regulation_id}").json
    assert body["text_status"] == "available"
    assert "Undang-Undang Nomor 21 Tahun 2007" in " ".join(body["text"].split())
    cited = client.get(f"/api/v1/regulations/{regulation_id}/relations").json["outgoing"]
    assert [rel["regulation"]["id"] for rel in cited] == list(seed_ids(["uu-21-2007"]).values())


@needs_ocr
def test_ocr_waiting_after_a_restart_is_finished_by_the_command(
    client, muara_enim, runner, monkeypatch, app
):
    monkeypatch.setitem(app.config, "OCR_MODE", "off")
    metadata = {
        "form": "kepbup",
        "region_code": "16.03",
        "number": "188.45/322/KPTS/2025",
        "year": 2025,
        "title": "Pembentukan Gugus Tugas",
    }
    body = upload(client, muara_enim, scanned_pdf(), metadata).json
    assert body["text_status"] == "no_text_layer"
    regulation = db.session.get(Regulation, body["id"])
    regulation.text_status = "pending_ocr"  # as a worker killed mid-OCR leaves it
    db.session.commit()
    result = runner.invoke(args=["corpus", "ocr"])
    assert result.exit_code == 0, result.output
    assert "1 berkas pindaian diproses" in result.output
    assert db.session.get(Regulation, body["id"]).text_status in ("available", "no_text_layer")


def test_the_mengingat_of_an_uploaded_decree_is_linted_on_the_record(client, muara_enim):
    body = upload(client, muara_enim, decree_docx(), {}).json
    findings = {(finding["code"], finding["item"]) for finding in body["lint"]}
    # Item 3 says "diubah terakhir dengan" for a twice-amended Perpres; item 4 leaves out
    # Permendagri 120/2018; item 5 is unknown to the corpus.
    assert findings == {("amendment_phrase", 3), ("amendment_not_latest", 4), ("unknown_act", 5)}
    assert client.get(f"/api/v1/regulations/{body['id']}").json["lint"] == body["lint"]


# --- hostile files ------------------------------------------------------------------------


@pytest.fixture
def short_limits(monkeypatch):
    """Two seconds to read any file, so that a PDF that never ends is stopped quickly."""
    monkeypatch.setattr(files, "READ_SECONDS", 2.0)
    monkeypatch.setattr(files, "READ_SECONDS_PER_MIB", 0.0)


def test_a_pdf_that_never_ends_is_stopped_at_its_time_limit(client, muara_enim, app, short_limits):
    before = counts(app)
    started = time.perf_counter()
    response = upload(client, muara_enim, endless_pdf(), {"region_code": "16.03"})
    elapsed = time.perf_counter() - started
    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert "batas waktu 2 detik" in error["message"]
    assert error["details"]["limit"] == "time"
    assert elapsed < 2 + 10, elapsed  # the limit, plus starting a worker if none is idle
    assert counts(app) == before


@pytest.mark.parametrize(
    "make",
    [billion_pages_pdf, cyclic_pdf, inflating_pdf],
    ids=["billion-pages", "cyclic-pages", "inflating-stream"],
)
def test_a_pdf_built_to_exhaust_the_reader_is_refused(client, muara_enim, app, short_limits, make):
    before = counts(app)
    response = upload(client, muara_enim, make(), {"region_code": "16.03"})
    assert response.status_code == 422, response.json
    assert response.json["error"]["message"].startswith("Berkas PDF tidak dapat dibaca")
    assert counts(app) == before


def test_a_pdf_running_out_of_memory_is_refused_and_the_next_file_is_read(monkeypatch):
    monkeypatch.setattr(files, "READ_MEMORY_BYTES", 64 * 2**20)  # less than inflating takes
    with pytest.raises(Invalid) as refused:
        read_upload(inflating_pdf())
    assert refused.value.details["limit"] == "memory"
    monkeypatch.undo()
    assert read_upload(decree_pdf()).text_status == "available"


def test_a_hostile_pdf_holds_up_no_other_upload(monkeypatch):
    """While one worker chews on a PDF that never ends, other files are read as usual."""
    monkeypatch.setattr(files, "READ_SECONDS", 5.0)
    monkeypatch.setattr(files, "READ_SECONDS_PER_MIB", 0.0)
    outcome = {}

    def read_hostile():
        try:
            read_upload(endless_pdf())
        except Invalid as exc:
            outcome["hostile"] = exc.details["limit"]

    hostile = threading.Thread(target=read_hostile)
    hostile.start()
    time.sleep(0.5)
    for number in ("701", "702", "703"):
        assert "Nomor 21 Tahun 2007" in read_upload(decree_pdf(number)).text
    assert hostile.is_alive()  # the others were read before the hostile one was stopped
    hostile.join()
    assert outcome == {"hostile": "time"}
    assert read_upload(decree_pdf("704")).text_status == "available"


@pytest.mark.parametrize(
    "part, encoding",
    [
        ("word/document.xml", "utf-8"),
        ("word/document.xml", "utf-16"),
        ("word/styles.xml", "utf-8"),
        ("[Content_Types].xml", "utf-8"),
        ("word/_rels/document.xml.rels", "utf-16-le"),
    ],
)
def test_a_docx_with_an_xml_external_entity_is_refused(client, muara_enim, app, part, encoding):
    before = counts(app)
    content = with_xxe(decree_docx("903"), part=part, encoding=encoding)
    response = upload(client, muara_enim, content, {"region_code": "16.03"})
    assert response.status_code == 422, response.json
    assert "DOCTYPE" in response.json["error"]["message"]
    assert response.json["error"]["details"] == {"entry": part}
    assert counts(app) == before


def test_python_docx_never_resolves_an_external_entity_nor_fetches_one(tmp_path):
    """Behind the DOCTYPE check: python-docx's own parser resolves no entity, reads no file
    and opens no connection (checked, not assumed)."""
    secret = tmp_path / "rahasia.txt"
    secret.write_text("RAHASIA-NEGARA")
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/xxe"
        for target in (secret.as_uri(), url):
            document = docx.Document(io.BytesIO(xxe_docx(target)))
            text = "\n".join(paragraph.text for paragraph in document.paragraphs)
            assert "PROVINSI SUMATERA SELATAN" in text and "RAHASIA" not in text
        with pytest.raises(TimeoutError):
            listener.accept()


@pytest.mark.parametrize("name", TRAVERSING_ENTRIES)
def test_a_docx_with_an_entry_leaving_its_folder_is_refused(client, muara_enim, app, name):
    before = counts(app)
    response = upload(client, muara_enim, traversing_docx(name), {"region_code": "16.03"})
    assert response.status_code == 422, response.json
    assert response.json["error"]["details"] == {"entries": [name]}
    assert counts(app) == before


def test_the_client_file_name_is_never_used(client, muara_enim, app, tmp_path_factory):
    """A file called ../../../etc/passwd is kept under its sha256 only, and downloads under a
    name made from its metadata."""
    root = tmp_path_factory.getbasetemp()
    before = {path for path in root.rglob("*") if path.is_file()}
    response = upload(client, muara_enim, decree_docx("904"), {}, name="../../../etc/passwd")
    assert response.status_code == 201, response.json
    sha = response.json["file"]["sha256"]
    instance = Path(app.instance_path)
    store = instance / "files"
    new = {path for path in root.rglob("*") if path.is_file()} - before
    # Besides the store, only a search index (whichever folder the app's index is in) changes.
    outside = {path for path in new if not path.is_relative_to(instance)}
    assert all("search" in path.parts for path in outside), outside
    assert {path for path in new if path.is_relative_to(store)} == {store / sha[:2] / sha}
    assert not any("passwd" in str(path) for path in new)
    download = client.get(response.json["file"]["url"])
    disposition = download.headers["Content-Disposition"]
    assert "kepbup-188-45-904-KPTS-2025-2025.docx" in disposition
    assert "passwd" not in disposition and ".." not in disposition
    assert "passwd" not in json.dumps(response.json)


def test_nul_characters_in_a_pdf_text_layer_are_dropped():
    from fpdf import FPDF

    from legalbase.corpus.files import PDF, extract_text

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="KEPUTUSAN\x00 WALI KOTA")
    text = extract_text(bytes(pdf.output()), PDF)
    assert "\x00" not in text and "KEPUTUSAN" in text
