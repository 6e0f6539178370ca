"""Batch drafting for every region without a current basis, as a job with a ZIP result."""

import csv
import io
import zipfile
from datetime import datetime, timedelta

import docx
import pytest

from tests.factories import auth, make_user

NOT_CURRENT = ["outdated", "expired", "missing", "unreported"]


@pytest.fixture
def ministry():
    return make_user("ministry", None, username="kemen")[1]


def batch(client, token, template, **extra):
    return client.post(
        "/api/v1/drafts/batch",
        headers=auth(token),
        json={"template": template, "statuses": NOT_CURRENT, **extra},
    )


def result_of(client, token, job):
    status = client.get(f"/api/v1/jobs/{job['id']}", headers=auth(token)).json
    assert status["status"] == "finished", status
    assert status["progress"] == status["total"]
    response = client.get(status["result_url"], headers=auth(token))
    assert response.status_code == 200 and response.mimetype == "application/zip"
    return status, response.data


def entries(archive_bytes):
    archive = zipfile.ZipFile(io.BytesIO(archive_bytes))
    manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    return archive, manifest


@pytest.mark.slow
def test_the_batch_for_every_kabupaten_and_kota_without_a_basis_completes(client, ministry):
    response = batch(client, ministry, "kepbupwal-pembentukan")
    assert response.status_code == 202
    status, content = result_of(client, ministry, response.json)
    archive, manifest = entries(content)
    coverage = client.get("/api/v1/coverage").json["items"]
    expected = {
        item["region_code"]
        for item in coverage
        if item["status"] in NOT_CURRENT and item["level"] != "provinsi"
    }
    assert {row["region_code"] for row in manifest} == expected
    assert status["total"] == len(expected) > 500
    for row in manifest:
        document = docx.Document(io.BytesIO(archive.read(row["file"])))
        assert document.paragraphs[0].text.startswith(("BUPATI", "WALI KOTA"))
    assert set(manifest[0]) == {
        "region_code",
        "region_name",
        "status",
        "file",
        "lint",
        "template",
        "template_version",
        "inputs_sha256",
    }


def test_the_provincial_batch_uses_the_governors_template(client, ministry):
    status, content = result_of(
        client, ministry, batch(client, ministry, "kepgub-pembentukan").json
    )
    archive, manifest = entries(content)
    assert status["total"] == len(manifest) > 30
    first = docx.Document(io.BytesIO(archive.read(manifest[0]["file"])))
    assert first.paragraphs[0].text.startswith("GUBERNUR")


def test_the_same_inputs_give_a_byte_identical_archive(client, ministry):
    first = result_of(
        client, ministry, batch(client, ministry, "kepbupwal-pembentukan", province="16").json
    )[1]
    second = result_of(
        client, ministry, batch(client, ministry, "kepbupwal-pembentukan", province="16").json
    )[1]
    assert first == second
    assert len(entries(first)[1]) == 17


def test_only_the_ministry_and_admins_batch_and_jobs_are_private(client, ministry):
    _, region = make_user("region", "16.03")
    assert batch(client, region, "kepbupwal-pembentukan").status_code == 403
    assert batch(client, None, "kepbupwal-pembentukan").status_code == 401
    bad = client.post(
        "/api/v1/drafts/batch",
        headers=auth(ministry),
        json={"template": "kepbupwal-pembentukan", "statuses": ["lost"]},
    )
    assert bad.status_code == 422
    job = batch(client, ministry, "kepbupwal-pembentukan", province="19").json
    assert client.get(f"/api/v1/jobs/{job['id']}", headers=auth(region)).status_code == 403
    assert client.get("/api/v1/jobs/999999", headers=auth(ministry)).status_code == 404


def test_the_result_of_an_unfinished_job_is_409_as_the_document_says(
    app, client, ministry, monkeypatch
):
    monkeypatch.setitem(app.config, "JOBS_MODE", "queued")
    job = batch(client, ministry, "kepbupwal-pembentukan", province="19").json
    response = client.get(f"/api/v1/jobs/{job['id']}/result.zip", headers=auth(ministry))
    assert response.status_code == 409
    assert response.json["error"]["code"] == "job_not_finished"
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "409" in paths["/api/v1/jobs/{job_id}/result.zip"]["get"]["responses"]
    assert datetime.fromisoformat(job["created_at"]).utcoffset() == timedelta(0)


def test_the_command_writes_the_zip(runner, tmp_path):
    target = tmp_path / "draf.zip"
    result = runner.invoke(
        args=[
            "drafts",
            "batch",
            "--template",
            "kepbupwal-pembentukan",
            "--province",
            "19",
            "--status",
            "unreported",
            "-o",
            str(target),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "7 draf ditulis" in result.output  # Bangka Belitung: 6 kabupaten and 1 kota
    archive, manifest = entries(target.read_bytes())
    assert len(manifest) == len(archive.namelist()) - 1 == 7


def test_a_queued_job_waits_for_the_run_jobs_command(app, client, ministry, runner, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_MODE", "queued")
    job = batch(client, ministry, "kepbupwal-pembentukan", province="19").json
    assert job["status"] == "queued"
    result = runner.invoke(args=["drafts", "run-jobs"])
    assert result.exit_code == 0, result.output
    assert f"Pekerjaan {job['id']} (batch_drafts): finished" in result.output
    status, _ = result_of(client, ministry, job)
    assert status["total"] == 7
