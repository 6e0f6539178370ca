"""The coverage report ("Laporan cakupan") as DOCX and PDF: for a prepared instance (regions
current, outdated, expired, missing, unreported, in progress) its numbers equal the coverage
API's for the same date, its "since" section names exactly the regions whose status changed,
its tables repeat their header rows, and its PDF holds the map and the chart as images; through
the API, the job of the Pemantauan form and the command line."""

import io
import re
import shutil

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader
from sqlalchemy import func, select

from legalbase.core import db
from legalbase.coverage.export import STATUS_LABELS
from legalbase.drafting.drafts import create_draft
from legalbase.jobs import Job
from tests.coverage.decrees import upload_decree
from tests.factories import TEST_ACTOR, auth, make_user

AS_OF, SINCE = "2025-12-31", "2024-12-31"
CURRENT, OUTDATED, EXPIRED, MISSING, DRAFTING = "16.03", "16.01", "16.05", "16.06", "16.04"
PASSWORD = "kata-sandi-laporan-uji"
LABELS = {label: status for status, label in STATUS_LABELS.items()}
needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is not installed; `make test` and "
    ".ci/run install libreoffice-writer-nogui with apt-get when they run as root",
)


@pytest.fixture
def prepared(client):
    """Sumatera Selatan with a region of each kind, as of AS_OF (and SINCE, a year before)."""
    token = {code: make_user("region", code)[1] for code in (CURRENT, OUTDATED, EXPIRED, MISSING)}
    upload_decree(client, token[CURRENT], "188.45/1/KPTS/2025", "2025-06-04", region=CURRENT)
    upload_decree(
        client, token[OUTDATED], "188.45/2/KPTS/2020", "2020-02-03", region=OUTDATED, root_only=True
    )
    upload_decree(
        client,
        token[EXPIRED],
        "188.45/4/KPTS/2024",
        "2024-01-10",
        region=EXPIRED,
        valid_until="2025-01-09",
    )
    response = client.post(
        f"/api/v1/coverage/{MISSING}/attestations",
        headers=auth(token[MISSING]),
        json={"has_basis": False, "stated_on": "2025-03-01", "note": "Belum dibentuk"},
    )
    assert response.status_code == 201
    fields = {
        "nama_penandatangan": "Cik Ujang",
        "anggota": [{"jabatan_gt": "Ketua", "jabatan": "Bupati Lahat"}],
    }
    create_draft("kepbupwal-pembentukan", DRAFTING, fields, {}, TEST_ACTOR)
    db.session.commit()
    statuses = {
        code: client.get(f"/api/v1/coverage/{code}?as_of={AS_OF}").json["item"]["status"]
        for code in (CURRENT, OUTDATED, EXPIRED, MISSING, DRAFTING)
    }
    assert statuses == {
        CURRENT: "current",
        OUTDATED: "outdated",
        EXPIRED: "expired",
        MISSING: "missing",
        DRAFTING: "unreported",
    }


def report(client, suffix="docx", **query):
    query = {"as_of": AS_OF, "since": SINCE, **query}
    response = client.get(f"/api/v1/coverage/report.{suffix}", query_string=query)
    assert response.status_code == 200, response.get_data()[:400]
    return response


def tables(document, *header_start):
    """The tables whose header row starts with `header_start`, as lists of rows of texts."""
    found = []
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if tuple(rows[0][: len(header_start)]) == header_start:
            found.append(rows)
    return found


def test_the_summary_and_the_provinces_equal_the_coverage_api(client, prepared):
    document = Document(io.BytesIO(report(client).data))
    (summary,) = tables(document, "Status")
    for as_of, column in ((SINCE, 1), (AS_OF, 2)):
        api = client.get(f"/api/v1/coverage?as_of={as_of}").json["summary"]
        labels = {**LABELS, "Jumlah": "total"}
        counts = {labels.get(row[0], "in_progress"): int(row[column]) for row in summary[1:]}
        assert counts == api
    assert summary[0][2] == "Per 31 Desember 2025" and summary[0][1] == "Per 31 Desember 2024"
    (provinces,) = tables(document, "Kode", "Provinsi")
    api = client.get(f"/api/v1/coverage/provinces?as_of={AS_OF}").json
    assert len(provinces) - 1 == len(api) == 38
    for row, expected in zip(provinces[1:], api, strict=True):
        assert row[0] == expected["region_code"] and row[1] == expected["region_name"]
        assert LABELS[row[2]] == expected["status"]
        assert [int(value) for value in (row[3], row[4], row[5], row[7], row[8])] == [
            expected["kabkota_total"],
            expected["kabkota_unreported"],
            expected["kabkota_lacking_reported"],
            expected["kabkota_in_progress"],
            expected["max_overdue_days"],
        ]
        if expected["share_lacking_reported"] is None:
            assert row[6] == "tidak diketahui"
        else:
            assert float(row[6].rstrip("%").replace(",", ".")) == pytest.approx(
                expected["share_lacking_reported"] * 100
            )
    south_sumatra = next(row for row in provinces if row[0] == "16")
    assert south_sumatra[6] != "tidak diketahui"  # the prepared regions reported


def test_the_since_section_names_exactly_the_regions_whose_status_changed(client, prepared):
    document = Document(io.BytesIO(report(client).data))
    listed = {
        row[0]: (row[2], row[3])
        for rows in tables(document, "Kode", "Wilayah", "Status sebelumnya")
        for row in rows[1:]
    }
    before = _statuses(client, SINCE)
    after = _statuses(client, AS_OF)
    changed = {code for code in after if before[code] != after[code]}
    assert set(listed) == changed
    assert {CURRENT, EXPIRED, MISSING} <= changed and OUTDATED not in changed
    assert listed[MISSING][0] == "Belum melapor" and "1 Maret 2025" in listed[MISSING][1]
    assert listed[EXPIRED][0] == "Berlaku dan mutakhir" and "9 Januari 2025" in listed[EXPIRED][1]
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Memperoleh dasar hukum yang berlaku dan mutakhir" in text
    assert "Masa berlaku dasar hukumnya habis" in text


def _statuses(client, as_of):
    items = client.get(f"/api/v1/coverage?as_of={as_of}").json["items"]
    return {item["region_code"]: item["status"] for item in items}


def test_the_document_is_indonesian_a4_with_repeated_headers_and_no_template_syntax(
    client, prepared
):
    document = Document(io.BytesIO(report(client).data))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.styles["Normal"].font.name == "Arial"
    assert document.styles["Normal"].font.size.pt == 12
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
    body = document.element.body.xml
    assert "{{" not in body and "{%" not in body
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Laporan Cakupan Dasar Hukum Gugus Tugas PP-TPPO Daerah".upper() in text
    assert "per 31 Desember 2025" in text and "per 31 Desember 2024" in text
    assert re.search(r"aturan cakupan: \S+", text)
    (annex,) = tables(document, "Kode", "Wilayah", "Status", "Dasar hukum")
    assert len(annex) - 1 == client.get(f"/api/v1/coverage?as_of={AS_OF}").json["summary"]["total"]
    rows = {row[0]: row for row in annex[1:]}
    assert "Nomor 188.45/1/KPTS/2025" in rows[CURRENT][3]
    assert "ditetapkan 4 Juni 2025" in rows[CURRENT][3]
    assert rows[DRAFTING][3] == "tidak diketahui"  # unreported: nothing known, nothing invented
    assert rows[MISSING][3] == "tidak ada"
    cells = " ".join(cell for rows in tables(document, "Kode") for row in rows for cell in row)
    english = re.compile(r"\b(the|and|of|current|outdated|missing|unreported|expired|since)\b")
    assert not english.search(f"{text} {cells}")
    images = [r for r in document.part.rels.values() if "image" in r.reltype]
    assert len(images) == 2  # the map and the chart


def test_the_overdue_list_and_in_progress_show_what_coverage_says(client, prepared):
    document = Document(io.BytesIO(report(client).data))
    (late,) = tables(document, "Kode", "Wilayah", "Status", "Terlambat (hari)")
    items = client.get(f"/api/v1/coverage?as_of={AS_OF}").json["items"]
    overdue = {item["region_code"]: item for item in items if item["overdue_days"]}
    assert {row[0] for row in late[1:]} == set(overdue)
    days = [int(row[3]) for row in late[1:]]
    assert days == sorted(days, reverse=True)
    for row in late[1:]:
        in_progress = overdue[row[0]]["in_progress"]
        assert row[4] == (in_progress["state_label"] if in_progress else "—")
        assert int(row[3]) == overdue[row[0]]["overdue_days"]
    # today Lahat's draft (made today) is under way: the report says so
    document = Document(io.BytesIO(report(client, as_of=None, since=None).data))
    (late,) = tables(document, "Kode", "Wilayah", "Status", "Terlambat (hari)")
    assert next(row for row in late[1:] if row[0] == DRAFTING)[4] == "Draf"


@needs_libreoffice
def test_the_pdf_holds_the_map_and_the_chart_as_images(client, prepared):
    response = report(client, "pdf")
    assert response.mimetype == "application/pdf"
    assert 'filename="laporan-cakupan-2025-12-31.pdf"' in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    # LibreOffice may list every image among each page's resources: count distinct ones
    images = {image.data for page in reader.pages for image in page.images}
    assert len(images) == 2
    assert "31 Desember 2025" in reader.pages[0].extract_text()


def test_the_pdf_without_libreoffice_is_a_clear_501(client, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    response = client.get("/api/v1/coverage/report.pdf", query_string={"as_of": AS_OF})
    assert response.status_code == 501
    assert "LibreOffice" in response.json["error"]["message"]


@pytest.mark.parametrize(
    "query",
    [{"as_of": "2025-13-01"}, {"since": "kemarin"}, {"as_of": AS_OF, "since": AS_OF}],
    ids=["bad-month", "not-a-date", "since-not-before"],
)
def test_bad_dates_are_422(client, query):
    response = client.get("/api/v1/coverage/report.docx", query_string=query)
    assert response.status_code == 422


def test_the_dates_default_to_today_and_a_year_before(client):
    response = client.get("/api/v1/coverage/report.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert "dibandingkan dengan keadaan per" in text


def signed_in(client, username):
    make_user("ministry", None, username=username, password=PASSWORD)
    data = {"username": username, "password": PASSWORD, "csrf_token": csrf(client, "/masuk")}
    assert client.post("/masuk", data=data).status_code == 302


def csrf(client, path):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


def test_the_pemantauan_form_starts_a_job_whose_result_is_the_document(client, prepared):
    """DOCX: four steps (summary, figures, provinces, annex)."""
    signed_in(client, "kementerian")
    page = client.get("/pemantauan").get_data(as_text=True)
    assert "Buat laporan" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    response = client.post(
        "/pemantauan/laporan",
        data={"csrf_token": token, "tanggal": AS_OF, "pembanding": SINCE, "format": "docx"},
    )
    assert response.status_code == 303
    job_page = response.headers["Location"]
    assert "Laporan cakupan" in client.get(job_page).get_data(as_text=True)
    status = client.get(f"{job_page}/status").json
    assert status["status"] == "finished" and status["progress"] == status["total"] == 4
    download = client.get(status["result_url"])
    assert download.mimetype.endswith("wordprocessingml.document")
    assert re.search(r"laporan-cakupan-\d+\.docx", download.headers["Content-Disposition"])
    (summary,) = tables(Document(io.BytesIO(download.data)), "Status")
    assert (
        int(summary[-2][2])
        == client.get(f"/api/v1/coverage?as_of={AS_OF}").json["summary"]["total"]
    )


def test_the_pemantauan_form_refuses_a_bad_date_without_a_job(client):
    signed_in(client, "kementerian")
    page = client.get("/pemantauan").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    response = client.post(
        "/pemantauan/laporan",
        data={"csrf_token": token, "tanggal": AS_OF, "pembanding": "2026-01-01", "format": "docx"},
    )
    assert response.status_code == 400
    assert "Tanggal pembanding harus sebelum tanggal laporan." in response.get_data(as_text=True)
    assert report_jobs() == 0


def test_the_command_writes_the_docx(runner, prepared, tmp_path):
    out = tmp_path / "laporan.docx"
    result = runner.invoke(
        args=[
            "coverage",
            "report",
            "--format",
            "docx",
            "--as-of",
            AS_OF,
            "--since",
            SINCE,
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "ditulis ke" in result.output
    assert tables(Document(str(out)), "Status")


def test_the_command_still_writes_xlsx_and_refuses_a_late_since(runner, tmp_path):
    out = tmp_path / "cakupan.xlsx"
    result = runner.invoke(args=["coverage", "report", "--as-of", AS_OF, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"
    result = runner.invoke(
        args=[
            "coverage",
            "report",
            "--format",
            "docx",
            "--as-of",
            AS_OF,
            "--since",
            "2026-01-01",
            "-o",
            str(tmp_path / "x.docx"),
        ]
    )
    assert result.exit_code == 1 and "Tanggal pembanding" in result.output


@needs_libreoffice
def test_a_pdf_job_has_a_fifth_step_and_downloads_as_pdf(client, prepared):
    signed_in(client, "kementerian")
    token = csrf(client, "/pemantauan")
    response = client.post(
        "/pemantauan/laporan",
        data={"csrf_token": token, "tanggal": AS_OF, "pembanding": SINCE, "format": "pdf"},
    )
    status = client.get(f"{response.headers['Location']}/status").json
    assert status["status"] == "finished" and status["progress"] == status["total"] == 5
    download = client.get(status["result_url"])
    assert download.mimetype == "application/pdf" and download.data[:5] == b"%PDF-"
    assert re.search(r"laporan-cakupan-\d+\.pdf", download.headers["Content-Disposition"])


def test_an_unknown_format_is_refused_without_a_job(client):
    signed_in(client, "kementerian")
    response = client.post(
        "/pemantauan/laporan", data={"csrf_token": csrf(client, "/pemantauan"), "format": "odt"}
    )
    assert response.status_code == 400
    assert "Format laporan harus docx atau pdf." in response.get_data(as_text=True)
    assert report_jobs() == 0


def report_jobs() -> int:
    return db.session.scalar(select(func.count(Job.id)).where(Job.kind == "coverage_report"))
