"""Surat pengingat: one letter to the head of every lagging region of a selection, saying its
status, reasons, deadline and what to do, its open draft SK attached, in a ZIP with a manifest;
checked as drafts are; a letter template is data an admin can replace, never offered as an SK."""

import csv
import io
import re
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path

import docx
import pytest
import yaml
from sqlalchemy import func, select

from legalbase.core import db
from legalbase.core.dates import indonesian_date
from legalbase.drafting.drafts import create_draft
from legalbase.jobs import Job
from tests.coverage.decrees import upload_decree
from tests.factories import TEST_ACTOR, auth, make_user
from tests.web.test_monitoring_page import sign_in

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
URL = "/api/v1/letters/batch"
LAHAT, MUARA_ENIM = "16.04", "16.03"
LAGGING = ("outdated", "expired", "missing", "unreported")
DEADLINE = date.today() + timedelta(days=45)
SENDER = {
    "instansi": "Kementerian Dalam Negeri",
    "alamat": "Jalan Medan Merdeka Utara Nomor 7, Jakarta Pusat",
    "nomor": "100.2.1/77/SJ",
    "sifat": "Penting",
    "hal": "Pembentukan Gugus Tugas PP-TPPO",
    "tempat": "Jakarta",
    "tanggal_surat": date.today().isoformat(),
    "nama_penandatangan": "Safrizal Z.A.",
    "jabatan_penandatangan": "Direktur Jenderal Bina Administrasi Kewilayahan",
    "tembusan": ["Menteri Dalam Negeri (sebagai laporan)", "Gubernur Sumatera Selatan"],
}
STATUS_WORDS = {
    "outdated": "Perlu penyesuaian",
    "expired": "Masa berlaku habis",
    "missing": "Tidak ada dasar hukum",
    "unreported": "Belum melapor",
}
ENGLISH = {"the", "and", "of", "status", "current", "outdated", "expired", "missing", "none"}
MARK = "Surat ini disusun dengan templat surat unggahan versi 2."


@pytest.fixture
def ministry():
    return make_user("ministry", None, username="kemen")[1]


@pytest.fixture
def sumsel(client):
    """Sumatera Selatan with a kabupaten current, outdated, expired and missing, and Lahat
    unreported with a draft in progress; the rest unreported (the seed)."""
    token = {code: make_user("region", code)[1] for code in ("16.01", "16.02", "16.03", "16.05")}
    upload_decree(client, token["16.03"], "188.45/1/KPTS/2025", "2025-01-10")
    upload_decree(
        client, token["16.01"], "188.45/2/KPTS/2020", "2020-02-03", region="16.01", root_only=True
    )
    upload_decree(
        client,
        token["16.02"],
        "188.45/3/KPTS/2024",
        "2024-01-10",
        region="16.02",
        valid_until="2025-01-09",
    )
    client.post(
        "/api/v1/coverage/16.05/attestations",
        headers=auth(token["16.05"]),
        json={"has_basis": False, "stated_on": "2025-03-01"},
    )
    fields = {
        "nama_penandatangan": "Cik Ujang",
        "anggota": [{"jabatan_gt": "Ketua", "jabatan": "Bupati Lahat"}],
    }
    draft = create_draft("kepbupwal-pembentukan", LAHAT, fields, {}, TEST_ACTOR)
    db.session.commit()
    coverage = client.get("/api/v1/coverage", query_string={"province": "16"}).json["items"]
    statuses = {item["region_code"]: item["status"] for item in coverage}
    assert [statuses[code] for code in ("16.01", "16.02", "16.03", "16.04", "16.05")] == [
        "outdated",
        "expired",
        "current",
        "unreported",
        "missing",
    ]
    return {"statuses": statuses, "draft": draft}


def send(client, token, **body):
    return client.post(URL, headers=auth(token), json={"batas_waktu": DEADLINE.isoformat(), **body})


def archive_of(client, token, response):
    assert response.status_code == 202, response.json
    job = client.get(f"/api/v1/jobs/{response.json['id']}", headers=auth(token)).json
    assert job["status"] == "finished", job
    result = client.get(job["result_url"], headers=auth(token))
    assert result.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(result.data))
    rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    return archive, {row["region_code"]: row for row in rows}


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    lines = [paragraph.text for paragraph in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def job_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Job))


# --- the letters ----------------------------------------------------------------------------


def test_each_lagging_region_of_the_province_gets_one_letter_naming_its_status(
    client, ministry, sumsel
):
    archive, manifest = archive_of(
        client, ministry, send(client, ministry, province="16", sender=SENDER)
    )
    lagging = {code for code, status in sumsel["statuses"].items() if status in LAGGING}
    assert set(manifest) == lagging and MUARA_ENIM not in manifest and len(lagging) == 17
    letters = [
        name for name in archive.namelist() if "lampiran" not in name and name.endswith(".docx")
    ]
    assert len(letters) == len(lagging)
    for code, row in manifest.items():
        text = text_of(archive.read(row["file"]))
        item = client.get(f"/api/v1/coverage/{code}").json["item"]
        assert row["status"] == item["status"]
        assert STATUS_WORDS[item["status"]] in text
        assert all(reason["message"] in text for reason in item["reasons"])
        assert "{{" not in text and "{%" not in text
        assert not set(re.findall(r"[a-z]+", text.lower())) & ENGLISH, code
        assert indonesian_date(DEADLINE) in text and row["lint"] == ""


def test_lahat_s_letter_is_addressed_to_its_bupati_with_its_reasons_and_deadline(
    client, ministry, sumsel
):
    archive, manifest = archive_of(
        client, ministry, send(client, ministry, province="16", sender=SENDER)
    )
    text = text_of(archive.read(manifest[LAHAT]["file"]))
    assert "Yth. Bupati Lahat\ndi\nLahat" in text
    assert "KEMENTERIAN DALAM NEGERI" in text and "100.2.1/77/SJ" in text
    assert "tercatat dalam keadaan: Belum melapor" in text
    assert "Belum melapor: korpus tidak memuat dasar hukum" in text
    assert f"paling lambat tanggal {indonesian_date(DEADLINE)}" in text
    assert "draf keputusan sedang disusun (tahap: Draf)" in text
    assert "Lampiran\n:\n1 (satu) berkas" in text
    assert "Tembusan:\nMenteri Dalam Negeri (sebagai laporan)" in text
    outdated = text_of(archive.read(manifest["16.01"]["file"]))
    assert (
        "menyesuaikan dasar hukum" in outdated
        and "Peraturan Presiden Nomor 49 Tahun 2023" in outdated
    )
    expired = text_of(archive.read(manifest["16.02"]["file"]))
    assert "membentuk Gugus Tugas" in expired and "Keputusan Bupati" in expired


def test_the_open_draft_is_attached_where_one_exists(client, ministry, sumsel):
    archive, manifest = archive_of(
        client, ministry, send(client, ministry, province="16", sender=SENDER)
    )
    attached = {code: row["attachment"] for code, row in manifest.items() if row["attachment"]}
    assert list(attached) == [LAHAT]
    draft = docx.Document(io.BytesIO(archive.read(attached[LAHAT])))
    assert draft.paragraphs[0].text == "BUPATI LAHAT"
    assert f"draf-{sumsel['draft'].id}" in attached[LAHAT]
    assert "Lampiran\n:\n-" in text_of(archive.read(manifest["16.01"]["file"]))
    assert list(manifest[LAHAT]) == [
        "region_code",
        "region_name",
        "status",
        "file",
        "attachment",
        "lint",
    ]


def test_a_fact_nobody_gave_stays_a_visible_blank_and_is_flagged(client, ministry, sumsel):
    sender = {key: value for key, value in SENDER.items() if key not in ("nomor", "tanggal_surat")}
    archive, manifest = archive_of(
        client, ministry, send(client, ministry, region_codes=[LAHAT, MUARA_ENIM], sender=sender)
    )
    assert list(manifest) == [LAHAT]  # Muara Enim is current: no letter
    text = text_of(archive.read(manifest[LAHAT]["file"]))
    assert "Nomor\n:\n[belum diisi]" in text and "Jakarta, [belum diisi]" in text
    assert manifest[LAHAT]["lint"] == "field_placeholder"


def test_statuses_narrow_the_letters(client, ministry, sumsel):
    _, manifest = archive_of(
        client, ministry, send(client, ministry, province="16", statuses=["outdated", "expired"])
    )
    assert set(manifest) == {"16.01", "16.02"}


# --- refused requests -------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, field",
    [
        ({"batas_waktu": None}, "batas_waktu"),
        ({"batas_waktu": date.today().isoformat()}, "batas_waktu"),
        ({"statuses": ["current"]}, "statuses"),
        ({"province": "99"}, "province"),
        ({"region_codes": ["99.99"]}, "region_codes"),
        ({"template": "kepbupwal-pembentukan"}, "template"),
        ({"sender": {"tanggal_surat": "kemarin"}}, "sender"),
    ],
)
def test_a_bad_request_is_refused_with_its_reason_and_no_job(client, ministry, body, field):
    before = job_count()
    response = send(client, ministry, **{"province": "16", **body})
    assert response.status_code == 422, response.json
    assert field in str(response.json["error"]["details"]["fields"])
    assert response.json["error"]["message"]
    assert job_count() == before


def test_region_users_may_not_send_letters(client):
    for code in ("16.71", "16"):
        token = make_user("region", code)[1]
        assert send(client, token, province="16").status_code == 403
    assert client.post(URL, json={"batas_waktu": DEADLINE.isoformat()}).status_code == 401


# --- the letter template: data, never an SK ------------------------------------------------


def test_the_letter_template_is_not_offered_for_sks(client, ministry):
    names = {template["name"] for template in client.get("/api/v1/templates").json}
    assert "surat-pengingat" not in names and "kepbupwal-pembentukan" in names
    letters = client.get("/api/v1/templates", query_string={"kind": "surat"}).json
    assert [(t["name"], t["kind"]) for t in letters] == [("surat-pengingat", "surat")]
    draft = client.post(
        "/api/v1/drafts",
        headers=auth(ministry),
        json={"template": "surat-pengingat", "region_code": LAHAT, "fields": {}},
    )
    assert draft.status_code == 422 and "template" in draft.json["error"]["details"]["fields"]
    batch = client.post(
        "/api/v1/drafts/batch",
        headers=auth(ministry),
        json={"template": "surat-pengingat", "statuses": ["unreported"], "province": "16"},
    )
    assert batch.status_code == 422
    wizard = client.get(f"/draf?wilayah={LAHAT}")
    assert "surat-pengingat" not in wizard.get_data(as_text=True)


@pytest.fixture
def instance(app, tmp_path, monkeypatch):
    """An instance folder of the test's own, so uploads do not outlive it."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))


def letter_upload(client, token, paragraph=MARK, **changes):
    manifest = yaml.safe_load((TEMPLATES / "surat-pengingat" / "manifest.yaml").read_text())
    manifest.update(version=2, **changes)
    document = docx.Document(TEMPLATES / "surat-pengingat" / "template.docx")
    document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    data = {
        "manifest": yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False),
        "template": (io.BytesIO(out.getvalue()), "template.docx"),
    }
    return client.post(
        "/api/v1/templates", headers=auth(token), data=data, content_type="multipart/form-data"
    )


@pytest.mark.slow
def test_a_letter_template_uploaded_by_an_admin_becomes_the_one_used(client, ministry, instance):
    admin = make_user("admin", None)[1]
    response = letter_upload(client, admin)
    assert response.status_code == 201, response.json
    assert response.json["kind"] == "surat"
    job = client.get(response.json["validation_job"], headers=auth(admin)).json
    assert job["status"] == "finished", job  # rendered for every region
    assert "surat-pengingat" not in {t["name"] for t in client.get("/api/v1/templates").json}
    archive, manifest = archive_of(client, ministry, send(client, ministry, region_codes=[LAHAT]))
    assert MARK in text_of(archive.read(manifest[LAHAT]["file"]))


def test_a_letter_template_must_keep_to_the_letter_s_contract(client, instance):
    admin = make_user("admin", None)[1]
    unknown = letter_upload(client, admin, paragraph="{{ menimbang }}")
    assert unknown.status_code == 422 and "menimbang" in unknown.json["error"]["message"]
    sk_field = letter_upload(
        client,
        admin,
        fields=[
            {
                "name": "anggota",
                "label": "Anggota",
                "type": "rows",
                "required": True,
                "columns": [{"name": "jabatan"}],
            }
        ],
    )
    assert sk_field.status_code == 422 and "anggota" in str(sk_field.json["error"]["details"])
    bad_kind = letter_upload(client, admin, kind="memo")
    assert bad_kind.status_code == 422 and "kind" in str(bad_kind.json["error"]["details"])


# --- the Pemantauan form -------------------------------------------------------------------


def test_the_ministry_sends_letters_from_pemantauan_and_lands_on_the_job(client, sumsel):
    sign_in(client, "ministry")
    page = client.get("/pemantauan?provinsi=16&status=outdated").get_data(as_text=True)
    assert 'action="/pemantauan/surat-pengingat"' in page and "Kirim surat pengingat" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {
        "csrf_token": token,
        "status": "outdated",
        "provinsi": "16",
        "batas_waktu": DEADLINE.isoformat(),
        "instansi": "Kementerian Dalam Negeri",
        "tembusan": "Menteri Dalam Negeri\nGubernur Sumatera Selatan",
    }
    response = client.post("/pemantauan/surat-pengingat", data=form)
    assert response.status_code == 303 and "/pekerjaan/" in response.location
    job_page = client.get(response.location).get_data(as_text=True)
    assert "Surat pengingat" in job_page and "selesai" in job_page
    job = db.session.scalars(select(Job).where(Job.kind == "reminder_letters")).one()
    assert job.params["statuses"] == ["outdated"] and job.params["province"] == "16"
    assert job.params["sender"]["tembusan"] == ["Menteri Dalam Negeri", "Gubernur Sumatera Selatan"]
    refused = client.post("/pemantauan/surat-pengingat", data={**form, "batas_waktu": ""})
    assert refused.status_code == 400 and "batas waktu" in refused.get_data(as_text=True)


def test_the_letter_template_is_built_reproducibly_by_its_script(tmp_path):
    build = TEMPLATES / "build_letter.py"
    subprocess.run([sys.executable, str(build), "--out", str(tmp_path)], check=True, cwd=TEMPLATES)
    built = (tmp_path / "surat-pengingat" / "template.docx").read_bytes()
    assert built == (TEMPLATES / "surat-pengingat" / "template.docx").read_bytes()
