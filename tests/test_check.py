"""`legalbase check`: clean on a whole instance; a deleted or corrupted file, a missing index
entry, a broken reference and a chain of amendments back to itself each reported."""

import hashlib
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, text

from legalbase.core import db
from legalbase.corpus.models import Regulation, Relation
from legalbase.corpus.relations import add_relation
from legalbase.ops.check import ORPHAN_GRACE_SECONDS
from legalbase.search import backend
from legalbase.search.whoosh.index import open_index
from tests.factories import TEST_ACTOR
from tests.test_backup import invoke, write_decree


@pytest.fixture
def decrees(empty_instance):
    """An instance with three decrees and their files, each amending the one before; yields
    the app and the decrees' (id, sha256)."""
    with empty_instance() as other:
        with other.app_context():
            first = write_decree(6001, None)
            second = write_decree(6002, first)
            third = write_decree(6003, second)
            made = [(decree.id, decree.file_sha256) for decree in (first, second, third)]
            db.session.remove()
        yield other, made


def stored_path(other, sha256: str) -> Path:
    return Path(other.instance_path) / "files" / sha256[:2] / sha256


def searches_in_postgresql(other) -> bool:
    return other.config["SEARCH_BACKEND"] == "postgresql"


def drop_from_index(other, regulation_id: int) -> None:
    """Lose one regulation's entry in the search index of either backend."""
    with other.app_context():
        if searches_in_postgresql(other):
            documents = db.Base.metadata.tables["search_documents"]
            db.session.execute(delete(documents).where(documents.c.regulation_id == regulation_id))
            db.session.commit()
            return
        writer = open_index().writer()
        writer.delete_by_term("id", str(regulation_id))
        writer.commit()


def test_a_whole_instance_checks_clean_once_its_index_is_built(decrees):
    other, _ = decrees
    if not searches_in_postgresql(other):  # whose table the migration made
        result = invoke(other, "check")
        assert result.exit_code == 1
        assert "Indeks pencarian belum dibangun" in result.output
    with other.app_context():
        backend().rebuild()
    result = invoke(other, "check")
    assert result.exit_code == 0, result.output
    assert "Berkas tersimpan: 3 dirujuk; 0 hilang; 0 rusak" in result.output
    assert "3 terindeks, 3 di basis data" in result.output
    assert result.output.rstrip().endswith("Instans utuh.")
    report = json.loads(invoke(other, "check", "--json").output)
    assert (report["problems"], report["files"], report["dangling"]) == (0, 3, [])


def test_a_deleted_file_a_corrupted_file_and_a_missing_index_entry_are_reported(decrees):
    other, [(first, gone), (second, damaged), (third, _)] = decrees
    with other.app_context():
        backend().rebuild()
    stored_path(other, gone).unlink()
    content = bytearray(stored_path(other, damaged).read_bytes())
    content[0] ^= 0x20
    stored_path(other, damaged).write_bytes(bytes(content))
    drop_from_index(other, third)
    result = invoke(other, "check")
    assert result.exit_code == 1
    assert f"  hilang: {gone} (peraturan {first})" in result.output
    assert f"  rusak: {damaged} (peraturan {second})" in result.output
    assert f"  tidak ada di indeks: peraturan [{third}]" in result.output
    assert "Ditemukan 3 masalah." in result.output
    report = json.loads(invoke(other, "check", "--json").output)
    assert (
        list(report["missing_files"]),
        list(report["corrupted_files"]),
        report["index"]["missing"],
    ) == ([gone], [damaged], [third])


@contextmanager
def foreign_keys_unchecked():
    """A connection on which the database does not check foreign keys (what damage or a hand
    edit can leave), committed on exit."""
    with db.engine().connect() as connection:
        driver = connection.connection.driver_connection
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            driver.execute("PRAGMA foreign_keys = OFF")  # only outside a transaction
        else:
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        yield connection
        connection.commit()
        if sqlite:
            driver.execute("PRAGMA foreign_keys = ON")


def test_a_broken_reference_and_an_amendment_chain_back_to_itself_are_reported(decrees):
    other, [(first, _), (second, _), (third, _)] = decrees
    with other.app_context():
        backend().rebuild()
        add_relation(
            db.session.get(Regulation, first),
            "amends",
            db.session.get(Regulation, third),
            TEST_ACTOR,
        )
        db.session.commit()
        with foreign_keys_unchecked() as connection:
            connection.execute(
                insert(Relation), [{"kind": "cites", "source_id": second, "target_id": 999999}]
            )
        db.session.remove()
    result = invoke(other, "check")
    assert result.exit_code == 1
    assert "  putus: relations.target_id -> regulations: 1 baris" in result.output
    assert (
        f"  mengubah dirinya sendiri: peraturan {first} -> {third} -> {second} -> {first}"
        in result.output
    )
    assert "Ditemukan 2 masalah." in result.output


def plant_orphan(other, content: bytes, age_seconds: float) -> Path:
    """A stored file no record references, last modified `age_seconds` ago."""
    sha256 = hashlib.sha256(content).hexdigest()
    path = stored_path(other, sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    when = time.time() - age_seconds
    os.utime(path, (when, when))
    return path


def test_an_old_orphan_file_is_reported_and_a_young_one_is_not(decrees):
    other, _ = decrees
    with other.app_context():
        backend().rebuild()
    old = plant_orphan(other, b"ditinggal pekerja yang dihentikan", ORPHAN_GRACE_SECONDS + 60)
    young = plant_orphan(other, b"unggahan yang belum selesai", 5)
    result = invoke(other, "check")
    assert result.exit_code == 1, result.output
    assert "Berkas yatim (tidak dirujuk rekaman mana pun): 1." in result.output
    assert f"  yatim: {old.parent.name}/{old.name}" in result.output
    assert young.name not in result.output
    assert "Ditemukan 1 masalah." in result.output
    report = json.loads(invoke(other, "check", "--json").output)
    assert report["orphan_files"] == [f"{old.parent.name}/{old.name}"]
    assert report["problems"] == 1
    # With no grace the young one is an orphan too; neither is removed without --repair.
    report = json.loads(invoke(other, "check", "--json", "--grace-seconds", "0").output)
    assert sorted(report["orphan_files"]) == sorted(
        f"{path.parent.name}/{path.name}" for path in (old, young)
    )
    assert old.is_file() and young.is_file()


def test_repair_removes_orphans_and_never_a_referenced_file(decrees):
    other, made = decrees
    with other.app_context():
        backend().rebuild()
    referenced = [stored_path(other, sha256) for _, sha256 in made]
    for path in referenced:  # as old as any orphan: only the references keep them
        os.utime(path, (time.time() - 2 * ORPHAN_GRACE_SECONDS,) * 2)
    orphan = plant_orphan(other, b"berkas tanpa rekaman", ORPHAN_GRACE_SECONDS + 60)
    leftover = orphan.parent / f"{orphan.name}.4242.tmp"  # a killed writer's temporary file
    leftover.write_bytes(b"setengah")
    os.utime(leftover, (time.time() - ORPHAN_GRACE_SECONDS,) * 2)
    young = plant_orphan(other, b"masih diunggah", 5)
    result = invoke(other, "check", "--repair", "--grace-seconds", "60")
    assert result.exit_code == 0, result.output
    assert "Berkas yatim (tidak dirujuk rekaman mana pun): 2." in result.output
    assert "  2 berkas yatim dihapus." in result.output
    assert not orphan.exists() and not leftover.exists()
    assert young.is_file()
    assert all(path.is_file() for path in referenced)
    result = invoke(other, "check", "--grace-seconds", "60")
    assert result.exit_code == 0, result.output
    assert "Berkas yatim (tidak dirujuk rekaman mana pun): 0." in result.output
    assert "Berkas tersimpan: 3 dirujuk; 0 hilang; 0 rusak" in result.output
    result = invoke(other, "check", "--repair", "--grace-seconds", "0")
    assert result.exit_code == 0, result.output
    assert "  1 berkas yatim dihapus." in result.output
    assert not young.exists()
    assert all(path.is_file() for path in referenced)
