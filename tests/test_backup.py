"""Backup and restore: the same records, files and search results in an empty or a brand-new
instance, from an archive at the newest schema revision or an older one, ending at the newest;
a damaged archive, an unknown revision or an instance that is not empty refused before anything
is written; a backup consistent while another connection writes; SQLite and PostgreSQL archives
interchangeable."""

import hashlib
import io
import json
import re
import threading
import zipfile
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select, update

from legalbase import create_app
from legalbase.accounts.users import issue_token, list_tokens, revoke_token
from legalbase.core import db
from legalbase.core.audit import AuditEntry
from legalbase.core.schema import downgrade_database, head_revision, upgrade_database
from legalbase.corpus.files import read_upload
from legalbase.corpus.models import Regulation
from legalbase.corpus.regulations import create_regulation
from legalbase.corpus.relations import add_relation
from legalbase.corpus.uploads import attach_file
from legalbase.ops.archive import backed_up_tables, encode_row
from legalbase.ops.backup import write_backup
from legalbase.ops.restore import restore_backup
from legalbase.regions.models import Region
from legalbase.regions.seed import sync_regions
from legalbase.search import backend
from tests.corpus.documents import decree_docx, decree_pdf
from tests.databases import new_database
from tests.factories import TEST_ACTOR, auth, make_user, regulation_data

SHIPPED_TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "kepbupwal-pembentukan"
SEARCHES = [
    {"q": "gugus tugas"},
    {"q": "perdagangan orang", "region": "16"},
    {"q": "perpres 49/2023"},
    {"q": "jenis:kepbup", "sort": "date"},
    {"q": "pembentukan", "in_force": "true"},
]


@pytest.fixture
def instance(app, tmp_path, monkeypatch):
    """An instance folder of the test's own: files, templates and index do not outlive it."""
    folder = tmp_path / "instance"
    monkeypatch.setattr(app, "instance_path", str(folder))
    return folder


@contextmanager
def brand_new_instance(folder: Path):
    """An app whose instance folder does not exist yet and whose database was never created
    (SQLite: its file in that folder; PostgreSQL: a schema of its own without tables)."""
    with new_database(folder) as url:
        instance = folder / "new-instance"
        if url.startswith("sqlite"):
            url = f"sqlite:///{instance / 'legalbase.sqlite'}"
        other = create_app(
            {"DATABASE_URL": url, "SECRET_KEY": "test", "INSTANCE_DIR": str(instance)}
        )
        try:
            yield other
        finally:
            other.extensions["legalbase.db"].engine.dispose()


@pytest.fixture(params=["empty", "brand-new"])
def target(request, empty_instance, tmp_path):
    """The instance a restore goes into: an empty one (migrated, with the region registry) or
    a brand-new one (no folder, no database); `target.registry` says whether it has one."""
    if request.param == "empty":
        make = partial(empty_instance)
        make.registry = True
    else:
        make = partial(brand_new_instance, tmp_path / "target")
        make.registry = False
    return make


def revision_of(other) -> str | None:
    with other.app_context():
        return MigrationContext.configure(db.session.connection()).get_current_revision()


def build_records(client, instance: Path) -> dict:
    """Regulations with DOCX and PDF files, relations, a withdrawal, users with tokens (one
    revoked), an attestation, a draft, a batch job, an uploaded template: all through the API."""
    muara_enim = make_user("region", "16.03", username="muara-enim")[1]
    admin = make_user("admin", None, username="admin-cadangan")[1]
    ministry = make_user("ministry", None, username="kemen-cadangan")[1]
    docx_decree = _upload(client, muara_enim, decree_docx("7101"), {})
    pdf_decree = _upload(
        client, muara_enim, decree_pdf("7102"), {"number": "188.45/7102/KPTS/2025"}
    )
    assert (
        client.post(
            f"/api/v1/regulations/{pdf_decree['id']}/relations",
            headers=auth(muara_enim),
            json={"type": "amends", "target_id": docx_decree["id"], "effective_on": "2025-07-01"},
        ).status_code
        == 201
    )
    withdrawn = _upload(client, muara_enim, decree_docx("7103"), {})
    assert (
        client.post(
            f"/api/v1/regulations/{withdrawn['id']}/withdraw",
            headers=auth(admin),
            json={"reason": "Salah unggah"},
        ).status_code
        == 200
    )
    revoked = client.post(
        "/api/v1/regulations",
        headers=auth(muara_enim),
        json=regulation_data(
            form="kepbup",
            region_code="16.03",
            number="188.45/7104/KPTS/2025",
            title="Pembentukan Tim Terpadu",
        ),
    ).json
    assert (
        client.post(
            f"/api/v1/regulations/{docx_decree['id']}/relations",
            headers=auth(muara_enim),
            json={"type": "revokes", "target_id": revoked["id"]},
        ).status_code
        == 201
    )
    revoke_a_token()
    assert (
        client.post(
            "/api/v1/coverage/16.03/attestations",
            headers=auth(muara_enim),
            json={"has_basis": True, "stated_on": "2025-06-05", "note": "SK terlampir"},
        ).status_code
        == 201
    )
    draft = client.post(
        "/api/v1/drafts",
        headers=auth(muara_enim),
        json={
            "template": "kepbupwal-pembentukan",
            "region_code": "16.03",
            "fields": {
                "nama_penandatangan": "H. Edison",
                "tanggal_penetapan": "2025-06-04",
                "anggota": [{"jabatan_gt": "Ketua", "jabatan": "Bupati Muara Enim"}],
            },
        },
    )
    assert draft.status_code == 201, draft.json
    job = client.post(
        "/api/v1/drafts/batch",
        headers=auth(ministry),
        json={
            "template": "kepbupwal-pembentukan",
            "province": "16",
            "statuses": ["outdated", "expired", "missing", "unreported"],
        },
    )
    assert job.status_code == 202, job.json
    keep_uploaded_template(instance)
    return {"regulations": [docx_decree, pdf_decree, withdrawn, revoked]}


def _upload(client, token, content: bytes, metadata: dict) -> dict:
    response = client.post(
        "/api/v1/regulations",
        headers=auth(token),
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(content), "sk.bin"), "metadata": json.dumps(metadata)},
    )
    assert response.status_code == 201, response.json
    return response.json


def revoke_a_token() -> None:
    user, _ = make_user("region", "16.71", username="palembang-cadangan")
    issue_token(user, TEST_ACTOR, label="skrip impor")
    revoke_token(list_tokens(user.username)[0].id, TEST_ACTOR)
    db.session.commit()


def keep_uploaded_template(instance: Path) -> None:
    """An uploaded version as the upload leaves it: template, manifest, validation marker."""
    manifest = (SHIPPED_TEMPLATE / "manifest.yaml").read_text(encoding="utf-8")
    manifest = re.sub(r"(?m)^version: *\d+", "version: 41", manifest)
    folder = instance / "templates" / "kepbupwal-pembentukan" / "41"
    folder.mkdir(parents=True)
    (folder / "template.docx").write_bytes((SHIPPED_TEMPLATE / "template.docx").read_bytes())
    (folder / "manifest.yaml").write_text(manifest, encoding="utf-8")
    (folder / "validation.json").write_text('{"status": "ready", "reason": null}')
    retired = instance / "templates" / "keputusan-perubahan" / "1"
    retired.mkdir(parents=True)
    (retired / "retired.json").write_text('{"by": "admin", "at": "2026-12-05T08:00:00+00:00"}')


def table_rows() -> dict[str, list[tuple]]:
    """Every row of every backed-up table, by table, in key order."""
    return {
        table.name: [
            tuple(row)
            for row in db.session.execute(select(table).order_by(*table.primary_key.columns))
        ]
        for table in backed_up_tables()
    }


def stored_files(instance: Path) -> dict[str, bytes]:
    root = instance / "files"
    return {path.name: path.read_bytes() for path in root.rglob("*") if path.is_file()}


def template_files(instance: Path) -> dict[str, bytes]:
    root = instance / "templates"
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and not path.name.startswith(".")
    }


def referenced_shas(rows: dict) -> set[str]:
    columns = {
        "regulations": "file_sha256",
        "draft_versions": ("docx_sha256", "pdf_sha256"),
        "jobs": "result_sha256",
    }
    found = set()
    for table_name, names in columns.items():
        table = db.Base.metadata.tables[table_name]
        for name in (names,) if isinstance(names, str) else names:
            index = list(table.columns.keys()).index(name)
            found |= {row[index] for row in rows[table_name] if row[index]}
    return found


def invoke(other, *args: str):
    """Run a `legalbase` command in another app (in its app context: the test holds one of the
    test app's, which Flask would otherwise keep)."""
    with other.app_context():
        return other.test_cli_runner().invoke(args=list(args))


def without_ids(rows: list[tuple]) -> list[tuple]:
    return [row[1:] for row in rows]


def test_restore_into_an_empty_or_new_instance_gives_the_same_records_files_and_searches(
    app, client, runner, instance, target, tmp_path
):
    build_records(client, instance)
    # Built in one go, as a restore builds it (applying updates would shift the scores a little).
    backend().rebuild()
    archive = tmp_path / "cadangan.zip"
    result = runner.invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert "tabel regulations:" in result.output and "sha256 arsip:" in result.output
    source = table_rows()
    files = referenced_shas(source)
    assert all(source[name] for name in ("api_tokens", "attestations", "draft_versions", "jobs"))
    assert len(files) >= 5  # three decrees, a draft, a batch result
    searches = {
        json.dumps(args): client.get("/api/v1/search", query_string=args).json for args in SEARCHES
    }
    assert all(body["total"] for body in searches.values()), searches
    templates = template_files(instance)
    assert "kepbupwal-pembentukan/41/template.docx" in templates
    assert "keputusan-perubahan/1/retired.json" in templates

    with target() as other:
        registry_entries = 0
        if target.registry:
            with other.app_context():
                registry_entries = db.session.scalar(select(func.count()).select_from(AuditEntry))
        else:
            assert not Path(other.instance_path).exists()
        result = invoke(other, "restore", str(archive))
        assert result.exit_code == 0, result.output
        assert "Pemulihan selesai" in result.output
        assert revision_of(other) == head_revision()
        with other.app_context():
            restored = table_rows()
        other_instance = Path(other.instance_path)
        other_files = stored_files(other_instance)
        other_client = other.test_client()
        restored_searches = {
            key: other_client.get("/api/v1/search", query_string=json.loads(key)).json
            for key in searches
        }
        check = invoke(other, "check")
        restored_templates = template_files(other_instance)

    for name, rows in source.items():
        if name == "audit_log":
            continue
        assert restored[name] == rows, name
    # The audit log is append-only: the registry's loading there stays first, then the copy.
    assert [row[5] for row in restored["audit_log"][:registry_entries]] == (
        ["region"] * registry_entries
    )
    assert without_ids(restored["audit_log"][registry_entries:]) == without_ids(source["audit_log"])
    assert set(other_files) == files
    for sha256, content in other_files.items():
        assert hashlib.sha256(content).hexdigest() == sha256
    assert restored_templates == templates
    assert restored_searches == searches
    assert check.exit_code == 0, check.output
    assert "Instans utuh." in check.output


def test_a_backup_leaves_no_half_file_when_it_fails(client, runner, instance, tmp_path):
    decree = _upload(client, make_user("region", "16.03")[1], decree_docx("7201"), {})
    (instance / "files" / decree["file"]["sha256"][:2] / decree["file"]["sha256"]).unlink()
    archive = tmp_path / "cadangan.zip"
    result = runner.invoke(args=["backup", str(archive)])
    assert result.exit_code == 1
    assert f"Berkas tersimpan {decree['file']['sha256']}" in result.output
    assert "tidak ada" in result.output
    assert list(tmp_path.glob("*cadangan*")) == []


def small_archive(client, tmp_path) -> tuple[Path, bytes]:
    """A backup of the test's database holding one decree with its DOCX; and those bytes."""
    content = decree_docx("7301")
    _upload(client, make_user("region", "16.03")[1], content, {})
    archive = tmp_path / "cadangan.zip"
    write_backup(archive)
    return archive, content


def flip_a_byte_in_place(archive: Path, content: bytes) -> None:
    """Change one byte of the stored file's data inside the archive (its CRC then fails)."""
    raw = bytearray(archive.read_bytes())
    start = raw.index(content)
    raw[start + len(content) // 2] ^= 0x01
    archive.write_bytes(bytes(raw))


def rewrite_with_a_changed_byte(archive: Path, content: bytes) -> None:
    """Rebuild the archive with one byte of the file changed and a valid CRC: only the
    manifest's sha256 can tell."""
    changed = bytearray(content)
    changed[len(content) // 2] ^= 0x01
    with zipfile.ZipFile(archive) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(archive, "w") as target:
        for info, data in members:
            target.writestr(info, bytes(changed) if data == content else data)


@pytest.mark.parametrize("tamper", [flip_a_byte_in_place, rewrite_with_a_changed_byte])
def test_a_tampered_archive_is_refused_before_anything_is_written(
    client, instance, empty_instance, tmp_path, tamper
):
    archive, content = small_archive(client, tmp_path)
    tamper(archive, content)
    with empty_instance() as other:
        with other.app_context():
            before = table_rows()
        result = invoke(other, "restore", str(archive))
        assert result.exit_code == 1
        assert "Anggota arsip 'files/" in result.output
        assert "Tidak ada yang dipulihkan" in result.output
        with other.app_context():
            assert table_rows() == before
        assert not (Path(other.instance_path) / "files").exists()
        assert not (Path(other.instance_path) / "search").exists()


def test_a_restore_into_an_instance_with_data_is_refused_and_changes_nothing(
    app, client, runner, instance, tmp_path
):
    archive, _ = small_archive(client, tmp_path)
    before = table_rows()
    files_before = stored_files(instance)
    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code == 1
    assert "Pemulihan hanya ke instans kosong" in result.output
    assert '"regulations"' in result.output
    assert table_rows() == before
    assert stored_files(instance) == files_before


def test_a_restore_over_another_region_registry_is_refused(
    client, instance, empty_instance, tmp_path
):
    archive, _ = small_archive(client, tmp_path)
    with empty_instance() as other:
        with other.app_context():
            db.session.execute(
                update(Region).where(Region.code == "16.03").values(seat="Tempat Lain")
            )
            db.session.commit()
            before = table_rows()
        result = invoke(other, "restore", str(archive))
        assert result.exit_code == 1
        assert "Registri wilayah instans ini berbeda" in result.output
        with other.app_context():
            assert table_rows() == before


def write_decree(number: int, amends: Regulation | None) -> Regulation:
    """A decree with its own (text) file, amending the one before it; committed."""
    regulation = create_regulation(regulation_data(number=f"188.45/{number}/KPTS/2025"), TEST_ACTOR)
    attach_file(regulation, read_upload(f"Keputusan Wali Kota Palembang {number}".encode()))
    if amends is not None:
        add_relation(regulation, "amends", amends, TEST_ACTOR)
    db.session.commit()
    return regulation


def archived_rows(archive: Path) -> tuple[dict, dict[str, list[dict]], set[str]]:
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        tables = {
            name: [json.loads(line) for line in opened.read(f"tables/{name}.jsonl").splitlines()]
            for name in manifest["tables"]
        }
        return manifest, tables, set(opened.namelist())


def test_a_backup_taken_while_another_connection_writes_is_consistent(empty_instance, tmp_path):
    with empty_instance() as other:
        with other.app_context():
            first = write_decree(8000, None)
            first_id = first.id
        commits, changed, stop = [0], threading.Condition(), threading.Event()

        def writer():
            with other.app_context():
                previous = db.session.get(Regulation, first_id)
                while not stop.is_set():
                    previous = write_decree(8001 + commits[0], previous)
                    with changed:
                        commits[0] += 1
                        changed.notify_all()

        def between_tables(_line):  # let at least one more write commit between two tables
            with changed:
                seen = commits[0]
                assert changed.wait_for(lambda: commits[0] > seen, timeout=30)

        thread = threading.Thread(target=writer)
        thread.start()
        try:
            with other.app_context():
                manifest = write_backup(tmp_path / "cadangan.zip", between_tables)
        finally:
            stop.set()
            thread.join()
        with other.app_context():
            written_since = db.session.scalar(select(func.count()).select_from(Regulation))

    manifest, tables, members = archived_rows(tmp_path / "cadangan.zip")
    assert commits[0] >= len(manifest["tables"])
    regulations = {row["id"]: row for row in tables["regulations"]}
    assert 1 <= len(regulations) < written_since
    assert {name: len(rows) for name, rows in tables.items()} == {
        name: entry["rows"] for name, entry in manifest["tables"].items()
    }
    for relation in tables["relations"]:
        assert relation["source_id"] in regulations and relation["target_id"] in regulations
    # Every decree but the first came with its relation and its audit entries, in one commit.
    assert len(tables["relations"]) == len(regulations) - 1
    audited = {
        int(row["entity_id"]) for row in tables["audit_log"] if row["entity_type"] == "regulation"
    }
    assert audited == set(regulations)
    for row in regulations.values():
        sha256 = row["file_sha256"]
        assert f"files/{sha256[:2]}/{sha256}" in members


@contextmanager
def sqlite_instance(folder: Path):
    """Inside the app context of a SQLite instance with the region registry, in a folder of
    its own (what `empty_instance` gives on the run's engine)."""
    other = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'legalbase.sqlite'}",
            "SECRET_KEY": "test",
            "INSTANCE_DIR": str(folder),
            "SEARCH_BACKEND": "whoosh",
        }
    )
    folder.mkdir(parents=True)
    try:
        with other.app_context():
            upgrade_database()
            sync_regions(Path(other.config["CORPUS_DIR"]) / "regions", TEST_ACTOR)
            db.session.commit()
            yield other
            db.session.remove()
    finally:
        other.extensions["legalbase.db"].engine.dispose()


def encoded_tables() -> dict[str, list[dict]]:
    """Every backed-up table as engine-independent values (what an archive holds)."""
    return {
        table.name: [
            encode_row(table, row)
            for row in db.session.execute(
                select(table).order_by(*table.primary_key.columns)
            ).mappings()
        ]
        for table in backed_up_tables()
    }


def same_values(expected: dict, got: dict) -> None:
    """The same rows; audit entries after the registry's loading where restored (renumbered)."""
    for name, rows in expected.items():
        restored = got[name]
        if name == "audit_log":
            rows = [{**row, "id": None} for row in rows]
            restored = [{**row, "id": None} for row in restored[len(restored) - len(rows) :]]
        assert restored == rows, name


def test_an_archive_restores_across_engines(empty_instance, tmp_path):
    """SQLite to the run's engine (PostgreSQL in CI) and back to SQLite: the same values."""
    with sqlite_instance(tmp_path / "sqlite-source"):
        write_decree(9002, write_decree(9001, None))
        write_backup(tmp_path / "from-sqlite.zip")
        expected = encoded_tables()
    with empty_instance() as other, other.app_context():
        restore_backup(tmp_path / "from-sqlite.zip")
        same_values(expected, encoded_tables())
        write_backup(tmp_path / "from-run-engine.zip")
        db.session.remove()
    with sqlite_instance(tmp_path / "sqlite-target"):
        restore_backup(tmp_path / "from-run-engine.zip")
        same_values(expected, encoded_tables())
    assert expected["regulations"][0]["created_at"].endswith("+00:00")


OLDER_REVISION = "0008"  # before the regions' seat confidence, source and note (0009)
SEAT_COLUMNS = ("seat_confidence", "seat_source", "seat_note")


@contextmanager
def source_instance(folder: Path):
    """Inside the app context of an instance of its own on the run's engine, migrated, with
    the region registry (as `empty_instance`, in another folder)."""
    with brand_new_instance(folder) as source, source.app_context():
        Path(source.instance_path).mkdir(parents=True)
        upgrade_database()
        sync_regions(Path(source.config["CORPUS_DIR"]) / "regions", TEST_ACTOR)
        db.session.commit()
        yield source
        db.session.remove()


def older_archive(tmp_path: Path) -> tuple[Path, dict, dict]:
    """An archive written at an older schema revision: two decrees with their files written at
    the newest, the database downgraded (its migrations carrying the rows), then `legalbase
    backup`. Returns it, the rows as the newest revision held them, and a search's answer."""
    archive = tmp_path / "cadangan-lama.zip"
    with source_instance(tmp_path / "source") as source:
        write_decree(9102, write_decree(9101, None))
        backend().rebuild()  # built in one go, as a restore builds it
        found = source.test_client().get("/api/v1/search", query_string={"q": "palembang"}).json
        rows = encoded_tables()
        db.session.remove()
        downgrade_database(OLDER_REVISION)
        result = invoke(source, "backup", str(archive))
        assert result.exit_code == 0, result.output
    manifest = archived_rows(archive)[0]
    assert manifest["alembic_revision"] == OLDER_REVISION
    assert not set(SEAT_COLUMNS) & set(manifest["tables"]["regions"]["columns"])
    return archive, rows, found


def edit_manifest(archive: Path, change) -> None:
    """Rewrite the archive with `change` applied to its manifest (which lists no hash of its
    own, so the archive stays whole)."""
    with zipfile.ZipFile(archive) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(archive, "w") as rewritten:
        for info, data in members:
            if info.filename == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
            rewritten.writestr(info, data)


def no_database(other) -> bool:
    """Whether nothing was written for a brand-new instance: no folder, no table."""
    engine = other.extensions["legalbase.db"].engine
    tables = [] if engine.dialect.name == "sqlite" else inspect(engine).get_table_names()
    return not Path(other.instance_path).exists() and tables == []


def test_an_archive_from_an_older_revision_restores_and_ends_at_the_newest(target, tmp_path):
    archive, rows, found = older_archive(tmp_path)
    with target() as other:
        result = invoke(other, "restore", str(archive))
        assert result.exit_code == 0, result.output
        assert f"dimigrasi ke revisi cadangan {OLDER_REVISION}" in result.output
        assert f"ke revisi terbaru {head_revision()}" in result.output
        assert revision_of(other) == head_revision()
        with other.app_context():
            restored = encoded_tables()
        assert other.test_client().get("/api/v1/search", query_string={"q": "palembang"}).json == (
            found
        )
        files = stored_files(Path(other.instance_path))
        check = invoke(other, "check")
    # The older revision knew no seat confidence: the next `corpus sync` fills it.
    rows["regions"] = [{**row, **dict.fromkeys(SEAT_COLUMNS)} for row in rows["regions"]]
    same_values(rows, restored)
    assert set(files) == {row["file_sha256"] for row in rows["regulations"]}
    assert found["total"] == 2
    assert check.exit_code == 0, check.output


def test_an_archive_at_an_unknown_revision_is_refused_and_nothing_is_written(client, tmp_path):
    archive, _ = small_archive(client, tmp_path)
    edit_manifest(archive, lambda manifest: manifest.update(alembic_revision="0042_kelak"))
    with brand_new_instance(tmp_path / "target") as other:
        result = invoke(other, "restore", str(archive))
        assert result.exit_code == 1
        assert "revisi skema 0042_kelak" in result.output
        assert "tidak dikenal" in result.output and "Tidak ada yang dipulihkan" in result.output
        assert no_database(other)


def test_a_restore_failing_after_migrating_leaves_the_database_empty_at_the_newest(tmp_path):
    archive, _, _ = older_archive(tmp_path)
    edit_manifest(archive, lambda manifest: manifest["tables"]["regulations"].update(rows=7))
    with brand_new_instance(tmp_path / "target") as other:
        result = invoke(other, "restore", str(archive))
        assert result.exit_code == 1
        assert "manifes menyebut 7" in result.output
        assert "basis data tanpa data cadangan" in result.output
        assert revision_of(other) == head_revision()
        with other.app_context():
            assert not any(table_rows().values())
        assert not (Path(other.instance_path) / "files").exists()
        assert not (Path(other.instance_path) / "search").exists()


def test_an_instance_holding_records_is_refused_an_older_archive_and_changes_nothing(
    runner, instance, tmp_path
):
    archive, _, _ = older_archive(tmp_path)
    before = table_rows()
    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code == 1
    assert "Pemulihan hanya ke instans kosong" in result.output
    assert '"regulations"' in result.output
    assert table_rows() == before
    assert MigrationContext.configure(db.session.connection()).get_current_revision() == (
        head_revision()
    )
    assert not (instance / "files").exists()
