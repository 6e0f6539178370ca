"""Every route the app registers, called by every kind of caller, answers as
`authorization_matrix.txt` says; every write a caller may make leaves an audit entry naming them.

Each case builds only the records its route touches (a regulation, a draft, a job of Kota
Palembang 16.71 or its province) inside the test's rolled-back transaction, in an instance
folder of its own.
"""

import csv
import io
import re
import shutil
import zipfile
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from legalbase.accounts.users import list_tokens, set_password
from legalbase.core import db
from legalbase.core.audit import AuditEntry
from legalbase.corpus.files import read_upload
from legalbase.corpus.models import Regulation
from legalbase.corpus.uploads import save_regulation, stage
from legalbase.drafting.batch import start_batch
from legalbase.drafting.catalog import uploaded_root
from legalbase.drafting.drafts import create_draft, draft_docx
from legalbase.drafting.lifecycle import submit_draft
from legalbase.jobs import run_job
from legalbase.search import backend
from tests.corpus.documents import decree_docx
from tests.factories import TEST_ACTOR, auth, make_user, regulation_data

MATRIX_FILE = Path(__file__).with_name("authorization_matrix.txt")
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ROLES = ("anonymous", "own", "other", "province", "ministry", "admin")
CALLERS = {
    "own": ("region", "16.71"),
    "other": ("region", "16.72"),
    "province": ("region", "16"),
    "ministry": ("ministry", None),
    "admin": ("admin", None),
}
TEMPLATE = "kepbupwal-pembentukan"
FIELDS = {
    "nama_penandatangan": "Drs. H. Ratu Dewa",
    "tanggal_penetapan": "2025-06-04",
    "anggota": [{"jabatan_gt": "Ketua", "jabatan": "Wali Kota Palembang"}],
}
PASSWORD = "kata-sandi-matriks"
CSRF = "token-csrf-matriks"


def read_matrix() -> dict:
    """{(method, route): ({role: status}, audited)} from the table."""
    matrix = {}
    for line in MATRIX_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        method, route, *statuses, audited = line.split()
        assert len(statuses) == len(ROLES), line
        assert (method, route) not in matrix, f"two rows for {method} {route}"
        matrix[(method, route)] = (
            dict(zip(ROLES, map(int, statuses), strict=True)),
            audited == "audit",
        )
    return matrix


MATRIX = read_matrix()


def registered_routes(app) -> set:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_the_matrix_covers_every_route_the_app_registers_and_no_other(app):
    registered = registered_routes(app)
    assert sorted(registered - set(MATRIX)) == [], "routes missing from the matrix"
    assert sorted(set(MATRIX) - registered) == [], "matrix rows for routes that do not exist"


class Scene:
    """The caller and, made on first use, the records of 16.71 the route touches."""

    def __init__(self, client, role: str):
        self.client, self.role = client, role
        self.user = self.token = None
        if role != "anonymous":
            kind, region = CALLERS[role]
            self.user, self.token = make_user(kind, region, username=f"matriks-{role}")

    @cached_property
    def regulation(self) -> Regulation:
        upload = read_upload(decree_docx("188.45/77/KPTS/2025"))
        regulation = save_regulation(
            regulation_data(number="188.45/77/KPTS/2025"), upload, TEST_ACTOR, lambda metadata: None
        )
        db.session.commit()
        return regulation

    @cached_property
    def national(self) -> Regulation:
        return db.session.scalars(
            select(Regulation).where(Regulation.region_code.is_(None)).order_by(Regulation.id)
        ).first()

    @cached_property
    def managed(self):
        """A region user of 16.71 for the Administrasi pages to manage, with one token."""
        user, _ = make_user("region", "16.71", username="matriks-dikelola")
        return user

    @cached_property
    def uploaded_version(self) -> int:
        """Version 2 of the shipped template, kept as an upload that passed its check."""
        folder = uploaded_root() / TEMPLATE / "2"
        folder.mkdir(parents=True)
        manifest = yaml.safe_load((TEMPLATES / TEMPLATE / "manifest.yaml").read_text("utf-8"))
        (folder / "manifest.yaml").write_text(yaml.safe_dump({**manifest, "version": 2}), "utf-8")
        shutil.copy(TEMPLATES / TEMPLATE / "template.docx", folder / "template.docx")
        (folder / "validation.json").write_text('{"status": "ready", "reason": null}', "utf-8")
        return 2

    @cached_property
    def draft(self):
        draft = create_draft(TEMPLATE, "16.71", FIELDS, {}, TEST_ACTOR)
        db.session.commit()
        return draft

    @cached_property
    def job(self):
        """A batch job for the province of 16.71, still queued."""
        job = start_batch(TEMPLATE, ["unreported"], "16", {}, {}, TEST_ACTOR)
        db.session.commit()
        return job

    def path(self, route: str) -> str:
        finished = route.endswith(("result.zip", "/pekerjaan/<int:job_id>/unduh"))
        job = (lambda: run_job(self.job.id)) if finished else lambda: self.job
        values = {
            "code": lambda: "16.71",
            "path:filename": lambda: "style.css",
            "int:regulation_id": lambda: self.regulation.id,
            "int:draft_id": lambda: self.draft.id,
            "int:job_id": lambda: job().id,
            "username": lambda: self.managed.username,
            "int:token_id": lambda: list_tokens(self.managed.username)[0].id,
            "template_name": lambda: TEMPLATE,
            "int:template_version": lambda: self.uploaded_version,
        }
        return re.sub(r"<([^>]+)>", lambda match: str(values[match[1]]()), route)

    def call(self, method: str, route: str, **request):
        headers = auth(self.token) if self.token and route.startswith("/api/") else {}
        if not route.startswith("/api/"):
            self.sign_in_page()
        return self.client.open(self.path(route), method=method, headers=headers, **request)

    def sign_in_page(self) -> None:
        with self.client.session_transaction() as session:
            session["csrf"] = CSRF
            if self.user is not None:
                session["user_id"] = self.user.id


# --- what each route is sent beyond its path (GET routes without an entry send nothing) --------


def attestation(scene):
    return {"json": {"has_basis": False, "stated_on": "2025-03-01"}}


def new_draft(scene):
    return {"json": {"template": TEMPLATE, "region_code": "16.71", "fields": FIELDS}}


def batch(scene):
    return {"json": {"template": TEMPLATE, "statuses": ["unreported"], "province": "16"}}


def csv_import(scene):
    exported = scene.client.get("/api/v1/regulations.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(exported)))
    row = {**rows[0], "number": "97", "title": "Peraturan Uji Matriks Nomor 97"}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerow(row)
    return {"data": out.getvalue(), "content_type": "text/csv"}


def jdihn_import(scene):
    return {
        "json": [
            {
                "idData": "matriks-1",
                "jenis": "Undang-Undang",
                "noPeraturan": "98",
                "tahun_pengundangan": "2026",
                "judul": "Undang-Undang Nomor 98 Tahun 2026 tentang Uji Matriks",
                "tanggal_penetapan": "2026-02-01",
                "status": "Berlaku",
                "bahasa": "Indonesia",
            }
        ]
    }


def folder_import(scene):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as folder:
        folder.writestr(
            "2025/sk-gugus-tugas.txt",
            "KEPUTUSAN WALI KOTA PALEMBANG\nNOMOR 99 TAHUN "
            "2025\nTENTANG\nGUGUS TUGAS UJI MATRIKS\n",
        )
    return {
        "content_type": "multipart/form-data",
        "data": {"archive": (io.BytesIO(archive.getvalue()), "folder.zip"), "dry_run": "true"},
    }


def template_upload(scene):
    manifest = yaml.safe_load((TEMPLATES / TEMPLATE / "manifest.yaml").read_text("utf-8"))
    manifest["version"] = 2
    return {
        "content_type": "multipart/form-data",
        "data": {
            "manifest": yaml.safe_dump(manifest, allow_unicode=True),
            "template": (
                io.BytesIO((TEMPLATES / TEMPLATE / "template.docx").read_bytes()),
                "template.docx",
            ),
        },
    }


def with_password(scene):
    if scene.user is not None:
        set_password(scene.user, PASSWORD, TEST_ACTOR)
        db.session.commit()
    username = scene.user.username if scene.user else "tidak-ada"
    return {"data": {"username": username, "password": PASSWORD, "csrf_token": CSRF}}


def page_draft(scene):
    rows = {f"anggota-0-{key}": value for key, value in FIELDS["anggota"][0].items()}
    return {
        "data": {
            "wilayah": "16.71",
            "templat": TEMPLATE,
            "aksi": "simpan",
            "csrf_token": CSRF,
            "nama_penandatangan": FIELDS["nama_penandatangan"],
            "tanggal_penetapan": FIELDS["tanggal_penetapan"],
            **rows,
        }
    }


def page_save(scene):
    handle = stage(read_upload(decree_docx("188.45/78/KPTS/2025")))
    return {
        "data": {
            "handle": handle,
            "form": "kepwal",
            "region_code": "16.71",
            "number": "188.45/78/KPTS/2025",
            "year": "2025",
            "csrf_token": CSRF,
            "title": "Pembentukan Gugus Tugas PP-TPPO Kota Palembang",
            "enacted_on": "2025-06-04",
        }
    }


def signed_sk(scene):
    """The draft, submitted, and its own DOCX sent back as the signed SK from the workspace."""
    submit_draft(scene.draft.id, TEST_ACTOR)
    db.session.commit()
    content = draft_docx(scene.draft.versions[-1])
    return {
        "content_type": "multipart/form-data",
        "data": {
            "csrf_token": CSRF,
            "nomor": "188.45/79/KPTS/2025",
            "tanggal": "2025-06-04",
            "berkas": (io.BytesIO(content), "sk-ditandatangani.docx"),
        },
    }


def signed_api(scene):
    """The draft, submitted, and its own DOCX sent back as the signed SK through the API."""
    submit_draft(scene.draft.id, TEST_ACTOR)
    db.session.commit()
    content = draft_docx(scene.draft.versions[-1])
    return {
        "content_type": "multipart/form-data",
        "data": {
            "number": "188.45/80/KPTS/2025",
            "date": "2025-06-04",
            "file": (io.BytesIO(content), "sk-ditandatangani.docx"),
        },
    }


LETTERS_DEADLINE = (date.today() + timedelta(days=30)).isoformat()


def form(**fields):
    """A page form of `fields` with the session's CSRF token."""
    return lambda scene: {"data": {**fields, "csrf_token": CSRF}}


REQUESTS = {
    ("POST", "/admin/impor"): lambda scene: {
        "content_type": "multipart/form-data",
        "data": {**folder_import(scene)["data"], "csrf_token": CSRF},
    },
    ("POST", "/admin/pengguna"): form(
        username="matriks-baru",
        display_name="Biro Hukum Kota Prabumulih",
        role="region",
        region_code="16.72",
        password=PASSWORD,
    ),
    ("POST", "/admin/pengguna/<username>/peran"): form(role="region", region_code="16.72"),
    ("POST", "/admin/pengguna/<username>/sandi"): form(password=PASSWORD),
    ("POST", "/admin/pengguna/<username>/token"): form(label="matriks"),
    ("POST", "/admin/templat"): lambda scene: {
        "content_type": "multipart/form-data",
        "data": {**template_upload(scene)["data"], "csrf_token": CSRF},
    },
    ("POST", "/admin/templat/<template_name>/<int:template_version>/pensiun"): form(),
    ("POST", "/admin/token/<int:token_id>/cabut"): form(),
    ("GET", "/api/v1/audit"): lambda scene: {"query_string": {"region": "16.71"}},
    ("POST", "/api/v1/coverage/<code>/attestations"): attestation,
    ("GET", "/api/v1/coverage/impact"): lambda scene: {
        "query_string": {"regulation": scene.national.id}
    },
    ("GET", "/api/v1/coverage/timeline"): lambda scene: {
        "query_string": {"from": "2025-01-01", "to": "2025-12-31"}
    },
    ("POST", "/api/v1/drafts"): new_draft,
    ("POST", "/api/v1/drafts/<int:draft_id>/render"): lambda scene: {"json": {}},
    ("POST", "/api/v1/drafts/<int:draft_id>/signed"): signed_api,
    ("POST", "/api/v1/drafts/batch"): batch,
    ("POST", "/api/v1/letters/batch"): lambda scene: {
        "json": {"province": "16", "statuses": ["unreported"], "batas_waktu": LETTERS_DEADLINE}
    },
    ("POST", "/api/v1/import/csv"): csv_import,
    ("POST", "/api/v1/import/folder"): folder_import,
    ("POST", "/api/v1/import/jdihn"): jdihn_import,
    ("POST", "/api/v1/regulations"): lambda scene: {"json": regulation_data()},
    ("PATCH", "/api/v1/regulations/<int:regulation_id>"): lambda scene: {
        "json": {"title": "Judul yang diperbaiki"}
    },
    ("POST", "/api/v1/regulations/<int:regulation_id>/relations"): lambda scene: {
        "json": {"type": "cites", "target_id": scene.national.id}
    },
    ("POST", "/api/v1/regulations/<int:regulation_id>/withdraw"): lambda scene: {
        "json": {"reason": "Salah unggah: berkas milik wilayah lain."}
    },
    ("POST", "/api/v1/regulations/extract"): lambda scene: {
        "content_type": "multipart/form-data",
        "data": {"file": (io.BytesIO(decree_docx()), "sk.docx")},
    },
    ("PATCH", "/api/v1/regions/<code>"): lambda scene: {
        "json": {"seat": "Palembang", "note": "Sesuai SK Wali Kota Palembang terbaru."}
    },
    ("GET", "/api/v1/search"): lambda scene: {"query_string": {"q": "perdagangan orang"}},
    ("POST", "/api/v1/templates"): template_upload,
    ("GET", "/cari"): lambda scene: {"query_string": {"q": "perdagangan orang"}},
    ("GET", "/draf"): lambda scene: {"query_string": {"wilayah": "16.71"}},
    ("POST", "/draf"): page_draft,
    ("POST", "/draf/<int:draft_id>/ajukan"): form(),
    ("POST", "/draf/<int:draft_id>/penetapan"): signed_sk,
    ("POST", "/keluar"): lambda scene: {"data": {"csrf_token": CSRF}},
    ("POST", "/masuk"): with_password,
    ("POST", "/pemantauan/draf-massal"): form(
        template=TEMPLATE, status="unreported", provinsi="16"
    ),
    ("POST", "/pemantauan/laporan"): form(tanggal="2025-06-30", pembanding="2024-06-30"),
    ("POST", "/pemantauan/surat-pengingat"): form(
        status="unreported", provinsi="16", batas_waktu=LETTERS_DEADLINE
    ),
    ("POST", "/unggah"): lambda scene: {
        "content_type": "multipart/form-data",
        "data": {"csrf_token": CSRF, "berkas": (io.BytesIO(decree_docx()), "sk.docx")},
    },
    ("POST", "/ruang-kerja/<code>/pernyataan"): form(ada="belum", tanggal="2025-03-01"),
    ("POST", "/unggah/simpan"): page_save,
}


SEARCHES = {("GET", "/api/v1/search"), ("GET", "/cari"), ("GET", "/api/v1/health/ready")}


@pytest.fixture
def own_instance(app, tmp_path, monkeypatch):
    """Files, staging, uploaded templates and the search index in a folder of the test's own;
    batch jobs only queued."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "search"))
    monkeypatch.setitem(app.config, "JOBS_MODE", "queued")


def audit_count(user) -> int:
    if user is None:
        return 0
    return db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.actor_id == user.id)
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, route", sorted(MATRIX), ids=lambda part: part)
def test_the_route_answers_each_caller_as_the_matrix_says(
    client, own_instance, method, route, role
):
    expected, audited = MATRIX[(method, route)]
    if (method, route) in SEARCHES:
        backend().rebuild()
    scene = Scene(client, role)
    request = REQUESTS.get((method, route), lambda scene: {})(scene)
    before = audit_count(scene.user)
    response = scene.call(method, route, **request)
    body = response.get_data()[:400]
    response.close()
    assert response.status_code == expected[role], body
    if audited and response.status_code < 400:
        assert audit_count(scene.user) > before, f"{method} {route} left no audit entry"
