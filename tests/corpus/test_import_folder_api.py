"""POST /api/v1/import/folder: an admin sends a ZIP of documents, checked before it is queued,
and gets a job (run inline in the tests) whose result holds report.csv and summary.json."""

import csv
import hashlib
import io
import json
import zipfile

import pytest
from sqlalchemy import func, select

from legalbase.core import db
from legalbase.core.audit import history
from legalbase.core.storage import file_store
from legalbase.corpus import folder_jobs
from legalbase.corpus.models import Regulation
from legalbase.jobs import Job, run_queued_jobs
from legalbase.ops.check import referenced_files
from legalbase.search import backend
from tests.factories import auth, make_user

URL = "/api/v1/import/folder"
LAHAT = (
    "BUPATI LAHAT\nPROVINSI SUMATERA SELATAN\n\nKEPUTUSAN BUPATI LAHAT\n"
    "NOMOR {number} TAHUN 2025\nTENTANG\nPEMBENTUKAN GUGUS TUGAS PENCEGAHAN DAN PENANGANAN "
    "TINDAK PIDANA PERDAGANGAN ORANG KABUPATEN LAHAT\n\nBUPATI LAHAT,\n\n"
    "Menimbang : a. bahwa perdagangan orang merupakan kejahatan terhadap martabat manusia;\n"
    "MEMUTUSKAN:\nMenetapkan : KEPUTUSAN BUPATI TENTANG PEMBENTUKAN GUGUS TUGAS.\n"
    "Ditetapkan di Lahat\npada tanggal 4 Juni 2025\nBUPATI LAHAT,\n"
)


def zip_of(files: dict[str, str | bytes]) -> bytes:
    """A ZIP holding `files` (name -> text or bytes), as a client would build it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def decrees() -> bytes:
    return zip_of(
        {
            "lahat/2025/sk-gugus-tugas.txt": LAHAT.format(number="1"),
            "lahat/2025/revisi/sk-perubahan.md": LAHAT.format(number="2"),
            "lahat/foto.png": b"\x89PNG\r\n\x1a\n bukan dokumen",
        }
    )


def send(client, token, archive: bytes | None, **fields):
    data = {name: value for name, value in fields.items() if value is not None}
    if archive is not None:
        data["archive"] = (io.BytesIO(archive), "arsip.zip")
    return client.post(
        URL, data=data, content_type="multipart/form-data", headers=auth(token) if token else {}
    )


def ran(client, token, job: dict) -> dict:
    """The job as it stands now: the 202 shows it as committed (queued); inline, it ran once the
    request's work committed, before the response left."""
    return client.get(f"/api/v1/jobs/{job['id']}", headers=auth(token)).json


def result_of(client, token, job: dict) -> tuple[list[dict], dict]:
    response = client.get(ran(client, token, job)["result_url"], headers=auth(token))
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "application/zip"
    assert f"impor-folder-{job['id']}.zip" in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert sorted(archive.namelist()) == ["report.csv", "summary.json"]
        rows = list(csv.DictReader(io.StringIO(archive.read("report.csv").decode("utf-8"))))
        return rows, json.loads(archive.read("summary.json"))


def job_creator(job: dict) -> int:
    return db.session.get(Job, job["id"]).created_by_id


def job_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Job))


@pytest.fixture
def admin():
    return make_user("admin", None, username="admin-impor")[1]


def test_an_admin_gets_a_job_whose_report_has_a_row_per_file(client, admin):
    response = send(client, admin, decrees())
    assert response.status_code == 202, response.json
    assert response.json["status"] == "queued"
    job = ran(client, admin, response.json)
    assert (job["kind"], job["status"]) == ("import_folder", "finished"), job
    assert job["total"] == job["progress"] == 2
    assert job["params"]["dry_run"] is False
    rows, summary = result_of(client, admin, job)
    assert [row["path"] for row in rows] == [
        "lahat/2025/revisi/sk-perubahan.md",
        "lahat/2025/sk-gugus-tugas.txt",
    ]
    assert summary["total"] == 2 and summary["dry_run"] is False
    stored = [row for row in rows if row["status"] in ("created", "needs_review")]
    assert stored, rows
    for row in stored:
        regulation = db.session.get(Regulation, int(row["regulation_id"]))
        assert regulation.region_code == "16.04" and regulation.form == "kepbup"
        created = history("regulation", regulation.id)[0]
        assert (created.action, created.actor_label) == ("create", "admin-impor")
        assert created.actor_id == job_creator(job)


def test_what_a_queued_job_imports_is_in_the_search_index_when_it_ends(
    app, client, admin, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "search"))  # its own
    monkeypatch.setitem(app.config, "JOBS_MODE", "queued")  # run below, as `jobs run` does
    backend().rebuild()
    db.session.commit()
    job = send(client, admin, decrees()).json
    assert run_queued_jobs() == 1
    assert backend().pending() == 0  # applied as the job ended, not left for a search
    assert ran(client, admin, job)["status"] == "finished"
    index = backend().check()
    assert index["missing"] == [] and index["stale"] == [], index
    assert index["indexed"] == index["expected"] >= 2


def test_the_job_reads_back_at_its_url_and_the_archive_is_kept_as_its_input(client, admin):
    archive = decrees()
    job = send(client, admin, archive, dry_run="true").json
    again = client.get(f"/api/v1/jobs/{job['id']}", headers=auth(admin))
    assert again.status_code == 200 and again.json["status"] == "finished"
    sha256 = hashlib.sha256(archive).hexdigest()
    assert job["params"]["archive_sha256"] == sha256
    assert file_store().get(sha256) == archive
    assert f"pekerjaan {job['id']}" in referenced_files(db.session.connection())[sha256]


def test_a_dry_run_reports_and_stores_nothing(client, admin):
    before = db.session.scalar(select(func.count()).select_from(Regulation))
    job = ran(client, admin, send(client, admin, decrees(), dry_run="true").json)
    assert job["status"] == "finished", job
    rows, summary = result_of(client, admin, job)
    assert len(rows) == 2 and summary["dry_run"] is True
    assert all(row["regulation_id"] == "" for row in rows)
    assert db.session.scalar(select(func.count()).select_from(Regulation)) == before


def test_the_form_and_region_given_are_passed_to_the_import(client, admin):
    job = send(client, admin, decrees(), form="kepbup", region="16.04", dry_run="false").json
    assert job["params"] == {
        "archive_sha256": job["params"]["archive_sha256"],
        "form": "kepbup",
        "region": "16.04",
        "dry_run": False,
        "actor": "admin-impor",
        "names": None,
    }
    rows, _ = result_of(client, admin, job)
    assert {row["region_code"] for row in rows} == {"16.04"}


@pytest.mark.parametrize("role, region", [("region", "16.04"), ("ministry", None)])
def test_only_an_admin_may_import_a_folder(client, role, region):
    _, token = make_user(role, region)
    response = send(client, token, decrees())
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"


def test_an_anonymous_caller_is_asked_for_a_token(client):
    assert send(client, None, decrees()).status_code == 401


@pytest.mark.parametrize(
    "name",
    ["../evil.txt", "lahat/../../evil.txt", "/etc/evil.txt", "lahat\\..\\evil.txt", "C:/evil.txt"],
)
def test_an_entry_escaping_its_folder_is_refused_and_nothing_is_stored(client, admin, name):
    archive = zip_of({"lahat/sk.txt": LAHAT.format(number="3"), name: "jahat"})
    jobs = job_count()
    response = send(client, admin, archive)
    assert response.status_code == 422, response.json
    assert "jalur yang tidak sah" in response.json["error"]["message"]
    assert name in response.json["error"]["details"]["entries"]
    assert job_count() == jobs
    assert not file_store().path_of(hashlib.sha256(archive).hexdigest()).exists()


def test_what_is_not_a_zip_is_refused_as_the_wrong_type(client, admin):
    response = send(client, admin, LAHAT.format(number="4").encode())
    assert response.status_code == 415
    assert "ZIP" in response.json["error"]["message"]


def test_a_broken_zip_is_refused(client, admin):
    response = send(client, admin, b"PK\x03\x04" + b"rusak" * 20)
    assert response.status_code == 422
    assert "rusak" in response.json["error"]["message"]


def test_a_zip_bomb_is_refused(client, admin):
    archive = zip_of({"bom.txt": b"0" * (40 * 1024 * 1024)})
    response = send(client, admin, archive)
    assert response.status_code == 422
    assert "bom zip" in response.json["error"]["message"]


def test_too_many_entries_are_refused(client, admin, monkeypatch):
    monkeypatch.setattr(folder_jobs, "ARCHIVE_MAX_ENTRIES", 2)
    response = send(client, admin, decrees())
    assert response.status_code == 422
    assert response.json["error"]["details"]["entries"] == 3


def test_an_archive_without_documents_is_refused(client, admin):
    response = send(client, admin, zip_of({"foto.png": b"\x89PNG", "__MACOSX/._sk.txt": "x"}))
    assert response.status_code == 422
    assert "archive" in response.json["error"]["details"]["fields"]


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"region": "99.99"}, "region"),
        ({"form": "surat"}, "form"),
        ({"form": "kepgub", "region": "16.04"}, "form"),
        ({"dry_run": "mungkin"}, "dry_run"),
    ],
)
def test_malformed_options_are_refused_naming_the_field(client, admin, fields, field):
    jobs = job_count()
    response = send(client, admin, decrees(), **fields)
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["details"]["fields"]
    assert job_count() == jobs


def test_a_request_without_the_archive_part_is_refused(client, admin):
    response = send(client, admin, None, form="kepbup")
    assert response.status_code == 422
    assert "archive" in response.json["error"]["details"]["fields"]
    json_body = client.post(URL, json={"archive": "x"}, headers=auth(admin))
    assert json_body.status_code == 415


def test_the_openapi_document_describes_the_multipart_body(client):
    operation = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/import/folder"]["post"]
    schema = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert schema["required"] == ["archive"]
    assert set(schema["properties"]) == {"archive", "form", "region", "dry_run", "names"}
    assert {"202", "401", "403", "413", "415", "422"} <= set(operation["responses"])


def test_a_queued_import_is_run_by_the_jobs_command(app, client, admin, runner, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_MODE", "queued")
    job = send(client, admin, decrees(), dry_run="true").json
    assert job["status"] == "queued" and job["result_url"] is None
    result = runner.invoke(args=["jobs", "run"])
    assert result.exit_code == 0, result.output
    assert f"Pekerjaan {job['id']} (import_folder): finished" in result.output
    finished = client.get(f"/api/v1/jobs/{job['id']}", headers=auth(admin)).json
    rows, _ = result_of(client, admin, finished)
    assert len(rows) == 2


def test_the_folder_naming_is_taken_and_an_unknown_field_refused(client, admin):
    archive = zip_of({"kepbup/2025/7.txt": LAHAT.format(number="1")})
    job = send(client, admin, archive, names="{form}/{year}/{number}").json
    rows, _ = result_of(client, admin, job)
    assert (rows[0]["form"], rows[0]["number"], rows[0]["year"]) == ("kepbup", "7", "2025")
    assert rows[0]["status"] == "needs_review" and "nama berkas '7'" in rows[0]["reason"]
    before = job_count()
    refused = send(client, admin, archive, names="{jenis}/{nomor}")
    assert refused.status_code == 422 and "Pola nama berkas" in refused.json["error"]["message"]
    assert job_count() == before
