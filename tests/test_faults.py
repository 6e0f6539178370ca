"""Fault tests on a real gunicorn with two workers: a worker killed (SIGKILL) during an upload
or a batch job, and `legalbase search reindex` killed midway, leave no partial record, no orphan
file (or one `legalbase check --repair` finds and removes), no lost job, and an index that
`search check` and `check` accept."""

import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.corpus.documents import decree_lines
from tests.databases import new_database
from tests.security.hostile import pdf
from tests.served import BIN, served, wait_until_up

pytestmark = pytest.mark.served

REGION = "16.71"
USERS = [("daerah", "region", REGION), ("kemen", "ministry", None)]
SETTINGS = {
    "LEGALBASE_WORKERS": "2",
    # Short enough for a killed job to be taken back quickly, longer than the batch's longest
    # step without recorded progress (collecting 500 drafts from the pool, writing the ZIP).
    "LEGALBASE_JOB_LEASE_SECONDS": "10",
    "LEGALBASE_JOBS_MODE": "background",
}
NOT_CURRENT = ["unreported", "missing", "outdated", "expired"]
UPLOAD_PAGES = 500  # pypdf reads them in about two seconds
JOB_WAIT_SECONDS = 150  # the killed attempt's lease, a poll, and a whole second attempt


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A gunicorn-served instance (two workers, jobs in their background threads, 10 s leases)
    on the database the suite runs on; yields the Served and the database URL."""
    folder = tmp_path_factory.mktemp("faults")
    (folder / "db").mkdir()
    with (
        new_database(folder / "db") as url,
        served(folder / "instance", USERS, database_url=url, settings=SETTINGS) as live,
    ):
        yield live, url


# --- processes ------------------------------------------------------------------------------


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (gunicorn's workers, for its master)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def kill_workers(site) -> set[int]:
    """SIGKILL every worker of the server; the pids killed."""
    workers = children(site.pid)
    assert len(workers) == 2, workers
    for worker in workers:
        os.kill(worker, signal.SIGKILL)
    return workers


def wait_for_new_workers(site, killed: set[int], seconds: float = 60) -> None:
    """Until the master has two workers again, none of them a killed one, and they answer."""
    deadline = time.monotonic() + seconds
    while True:
        workers = children(site.pid)
        if len(workers) == 2 and not workers & killed:
            break
        assert time.monotonic() < deadline, f"workers not respawned: {workers}"
        time.sleep(0.1)
    wait_until_up(f"{site.base}/api/v1/health", seconds)


# --- HTTP and the command line ---------------------------------------------------------------


def call(
    site,
    method: str,
    path: str,
    token: str | None = None,
    body: bytes | None = None,
    content_type: str = "application/json",
    timeout: float = 60,
):
    """(status, parsed JSON or raw bytes) of one request."""
    headers = {"Content-Type": content_type} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(site.base + path, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, data, kind = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, data, kind = error.code, error.read(), error.headers
    return status, json.loads(data) if kind.get_content_type() == "application/json" else data


def run_cli(site, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BIN, *args], env=site.env, capture_output=True, text=True, timeout=120)


def multipart(metadata: dict, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n'
        f"{json.dumps(metadata)}\r\n--{boundary}\r\nContent-Disposition: form-data; "
        f'name="file"; filename="keputusan.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    )
    return (
        head.encode() + content + f"\r\n--{boundary}--\r\n".encode(),
        f"multipart/form-data; boundary={boundary}",
    )


def long_decree_pdf(number: str, pages: int) -> bytes:
    """A text PDF of the decree on every one of `pages` pages (one shared content stream)."""

    def escaped(line: str) -> bytes:
        return (
            line.replace("\\", "\\\\")
            .replace("(", "\\(")
            .replace(")", "\\)")
            .encode("latin-1", "replace")
        )

    stream = (
        b"BT /F1 10 Tf 40 800 Td 12 TL "
        + b" ".join(b"(%s) '" % escaped(line) for line in decree_lines(number))
        + b" ET"
    )
    kids = b" ".join(b"%d 0 R" % (5 + page) for page in range(pages))
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> >>"
    )
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        + [page] * pages
    )


# --- the faults -----------------------------------------------------------------------------


def test_a_worker_killed_during_an_upload_leaves_no_record_and_no_orphan_file(site):
    site, _ = site
    number = "188.45/9701/KPTS/2025"
    content = long_decree_pdf("9701", UPLOAD_PAGES)
    sha256 = hashlib.sha256(content).hexdigest()
    stored = site.instance / "files" / sha256[:2] / sha256
    body, content_type = multipart(
        {
            "form": "kepwal",
            "number": number,
            "year": 2025,
            "region_code": REGION,
            "title": "Pembentukan Gugus Tugas PP-TPPO Kota Palembang",
            "enacted_on": "2025-06-04",
        },
        content,
    )
    answers = []

    def upload():
        try:
            answers.append(
                call(
                    site,
                    "POST",
                    "/api/v1/regulations",
                    site.tokens["daerah"],
                    body,
                    content_type,
                    timeout=120,
                )
            )
        except OSError as error:  # the worker died under the request
            answers.append(error)

    uploading = threading.Thread(target=upload)
    uploading.start()
    # Kill the moment the file is stored: after extraction, before the record's commit (the
    # worst moment: the file is on disk and nothing references it).
    deadline = time.monotonic() + 60
    while not stored.exists() and uploading.is_alive():
        assert time.monotonic() < deadline, "the upload never stored its file"
        time.sleep(0.0005)
    killed = kill_workers(site)
    uploading.join(timeout=120)
    assert answers and isinstance(answers[0], OSError), answers  # it never answered 201
    wait_for_new_workers(site, killed)

    status, page = call(site, "GET", f"/api/v1/regulations?region={REGION}&year=2025&per_page=1000")
    assert status == 200
    assert number not in {item["number"] for item in page["items"]}
    # The file the killed worker stored is an orphan: found, removed, and then all is whole.
    found = run_cli(site, "check", "--grace-seconds", "0", "--json")
    assert found.returncode == 1, found.stdout + found.stderr
    report = json.loads(found.stdout)
    assert f"{sha256[:2]}/{sha256}" in report["orphan_files"]
    assert report["problems"] == len(report["orphan_files"]), report
    repaired = run_cli(site, "check", "--grace-seconds", "0", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "berkas yatim dihapus." in repaired.stdout
    assert not stored.exists()
    clean = run_cli(site, "check", "--grace-seconds", "0")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Berkas yatim (tidak dirujuk rekaman mana pun): 0." in clean.stdout


def test_a_batch_job_whose_worker_is_killed_is_taken_back_and_finished(site):
    site, url = site
    token = site.tokens["kemen"]
    status, job = call(
        site,
        "POST",
        "/api/v1/drafts/batch",
        token,
        json.dumps({"template": "kepbupwal-pembentukan", "statuses": NOT_CURRENT}).encode(),
    )
    assert status == 202, job
    deadline = time.monotonic() + 60
    while not (job["status"] == "running" and job["progress"] > 0):
        assert job["status"] in ("queued", "running"), job
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
        job = call(site, "GET", f"/api/v1/jobs/{job['id']}", token)[1]
    killed = kill_workers(site)
    assert job["progress"] < job["total"]  # killed midway
    wait_for_new_workers(site, killed)

    deadline = time.monotonic() + JOB_WAIT_SECONDS
    while job["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.5)
        job = call(site, "GET", f"/api/v1/jobs/{job['id']}", token)[1]
    assert job["status"] == "finished", job
    assert job["progress"] == job["total"] > 500
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            attempts = connection.execute(
                text("SELECT attempts FROM jobs WHERE id = :id"), {"id": job["id"]}
            ).scalar_one()
    finally:
        engine.dispose()
    assert attempts >= 2  # the killed attempt, then the one that finished
    status, archive = call(site, "GET", job["result_url"], token)
    assert status == 200
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        manifest = list(csv.DictReader(io.StringIO(opened.read("manifest.csv").decode())))
        assert len(manifest) == job["total"]
        assert {row["file"] for row in manifest} <= set(opened.namelist())
    clean = run_cli(site, "check", "--grace-seconds", "0")
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_a_reindex_killed_midway_leaves_the_index_whole_and_the_next_one_cleans_up(site):
    site, _ = site
    search = site.instance / "search"
    building = site.instance / "search.new"
    assert search.is_dir() and not building.exists()
    # Kill it while it builds beside the old index (the build folder exists); tried again in
    # the rare case the build finishes before it is seen.
    for _ in range(10):
        reindexing = subprocess.Popen(
            [BIN, "search", "reindex"],
            env=site.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while reindexing.poll() is None and not building.exists():
            time.sleep(0.0005)
        if reindexing.poll() is None:
            reindexing.send_signal(signal.SIGKILL)
        if reindexing.wait(timeout=60) == -signal.SIGKILL and building.exists():
            break
    else:
        pytest.fail("the reindex always finished before it could be killed")

    checked = run_cli(site, "search", "check", "--json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    report = json.loads(checked.stdout)
    assert (report["missing"], report["extra"], report["stale"]) == ([], [], [])
    assert report["indexed"] == report["expected"] > 0
    status, found = call(site, "GET", "/api/v1/search?q=perdagangan+orang")
    assert status == 200 and found["total"] > 0, found
    rebuilt = run_cli(site, "search", "reindex")
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert "Indeks dibangun ulang" in rebuilt.stdout
    assert not building.exists() and not (site.instance / "search.old").exists()
    assert call(site, "GET", "/api/v1/search?q=perdagangan+orang")[1]["total"] == found["total"]
    clean = run_cli(site, "check", "--grace-seconds", "0")
    assert clean.returncode == 0, clean.stdout + clean.stderr
