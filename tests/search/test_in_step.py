"""The index follows committed changes: writes, withdrawals, revocations; check and reindex
(both backends)."""

import shutil
import sys
import types

import pytest
from sqlalchemy import select, text
from whoosh import fields as whoosh_fields
from whoosh import index as whoosh_index
from whoosh.index import LockError

from legalbase.core import db
from legalbase.corpus.models import Regulation
from legalbase.search import backend
from legalbase.search.whoosh import index as search_index
from legalbase.search.whoosh.index import fields_current, open_index
from tests.factories import auth, make_user, regulation_data
from tests.search.backend import ON_POSTGRESQL, whoosh_only

TEXT = "Menimbang: bahwa perdagangan orang harus dicegah. Mengingat: Undang-Undang Nomor 21."


def post(client, token, **overrides):
    response = client.post(
        "/api/v1/regulations", headers=auth(token), json=regulation_data(text=TEXT, **overrides)
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def hits(client, **params):
    body = client.get("/api/v1/search", query_string=params).json
    return body, [item["id"] for item in body["items"]]


def test_a_created_record_is_searchable_as_the_response_arrives(client):
    _, token = make_user("region", "16.71")
    new_id = post(client, token)
    assert backend().pending() == 0
    assert new_id in hits(client, q="dicegah")[1]


def test_an_update_is_searchable_at_once(client):
    _, token = make_user("region", "16.71")
    new_id = post(client, token)
    response = client.patch(
        f"/api/v1/regulations/{new_id}",
        headers=auth(token),
        json={"title": "Pembentukan Satuan Tugas Penanggulangan Banjir"},
    )
    assert response.status_code == 200
    assert backend().pending() == 0
    assert hits(client, q="banjir")[1] == [new_id]


def test_a_withdrawn_record_disappears_at_once(client):
    _, token = make_user("region", "16.71")
    _, admin = make_user("admin", None)
    new_id = post(client, token)
    response = client.post(
        f"/api/v1/regulations/{new_id}/withdraw",
        headers=auth(admin),
        json={"reason": "Salah unggah"},
    )
    assert response.status_code == 200
    assert backend().pending() == 0
    assert new_id not in hits(client, q="dicegah")[1]
    assert backend().check()["extra"] == []


def test_a_revocation_moves_the_revoked_one_in_the_in_force_facet(client):
    _, token = make_user("region", "16.71")
    old = post(client, token, number="188.45/1/KPTS/2020", year=2020, enacted_on="2020-02-01")
    new = post(client, token, number="188.45/2/KPTS/2025", year=2025, enacted_on="2025-06-04")
    before, _ = hits(client, q="dicegah", region="16.71", as_of="2025-07-01")
    assert before["facets"]["in_force"] == {"true": 2}
    response = client.post(
        f"/api/v1/regulations/{new}/relations",
        headers=auth(token),
        json={"type": "revokes", "target_id": old},
    )
    assert response.status_code == 201
    after, _ = hits(client, q="dicegah", region="16.71", as_of="2025-07-01")
    assert after["facets"]["in_force"] == {"true": 1, "false": 1}
    assert hits(client, q="dicegah", region="16.71", as_of="2025-07-01", in_force="false")[1] == [
        old
    ]
    # Judged against the query's date: before the revocation took effect it was in force.
    earlier, _ = hits(client, q="dicegah", region="16.71", as_of="2025-06-03")
    assert earlier["facets"]["in_force"] == {"true": 1, "false": 1}  # the new one not yet
    assert hits(client, q="dicegah", region="16.71", as_of="2025-06-03", in_force="true")[1] == [
        old
    ]


def test_check_is_clean_after_writes_and_after_a_reindex(client, runner):
    _, token = make_user("region", "16.71")
    post(client, token)
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert "Indeks bersih" in result.output
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_check_reports_missing_extra_and_stale(client, search_index):
    _, token = make_user("region", "16.71")
    new_id = post(client, token)
    seeded = db.session.scalar(
        select(Regulation.id).where(Regulation.seed_key.is_not(None)).order_by(Regulation.id)
    )
    tamper(missing=new_id, extra=999999, stale=seeded)
    report = backend().check()
    assert (report["missing"], report["extra"], report["stale"]) == ([new_id], [999999], [seeded])


def tamper(missing: int, extra: int, stale: int) -> None:
    """Drop `missing`'s entry, add one for the unknown `extra`, and mark `stale`'s outdated, in
    the backend's own store (as a crash or a bug elsewhere could)."""
    if ON_POSTGRESQL:
        db.session.execute(
            text(
                "INSERT INTO search_documents SELECT :extra, terms, pairs, form, year, province, "
                "starts, ends, stamp FROM search_documents WHERE regulation_id = :missing"
            ),
            {"extra": extra, "missing": missing},
        )
        db.session.execute(
            text("DELETE FROM search_documents WHERE regulation_id = :missing"),
            {"missing": missing},
        )
        db.session.execute(
            text("UPDATE search_documents SET stamp = 'x' WHERE regulation_id = :stale"),
            {"stale": stale},
        )
        return
    writer = open_index().writer()
    writer.delete_by_term("id", str(missing))
    writer.add_document(id=str(extra), stamp="x")
    writer.update_document(id=str(stale), stamp="x")
    writer.commit()


@whoosh_only(
    "the PostgreSQL backend writes in the regulation's own transaction: no outbox, no writer lock"
)
def test_a_locked_index_keeps_the_rows_for_the_next_drain(client, monkeypatch):
    monkeypatch.setattr(search_index, "WRITER_TIMEOUT", 0.1)
    _, token = make_user("region", "16.71")
    blocker = open_index().writer()
    try:
        new_id = post(client, token)  # the write succeeds; its drain fails on the lock
        assert backend().pending() >= 1
        with pytest.raises(LockError):
            backend().apply_pending()
    finally:
        blocker.cancel()
    assert backend().apply_pending() >= 1
    assert backend().pending() == 0
    assert new_id in hits(client, q="dicegah")[1]


@whoosh_only("the outbox is Whoosh's; test_postgresql_backend.py rolls back a search row")
def test_a_rolled_back_change_never_reaches_the_outbox(client):
    _, token = make_user("region", "16.71")
    response = client.post(
        "/api/v1/regulations", headers=auth(token), json=regulation_data(region_code="99.99")
    )
    assert response.status_code in (403, 422)
    db.session.rollback()
    assert backend().pending() == 0


@whoosh_only(
    "an index folder of an older layout; test_postgresql_backend.py fills an empty search table"
)
def test_setup_rebuilds_an_index_of_an_older_layout(tmp_path):
    """After an upgrade that changed the fields, `legalbase setup` rebuilds the index."""
    folder = tmp_path / "search"  # this test's index (tests/search/conftest.py)
    shutil.rmtree(folder)
    folder.mkdir()
    whoosh_index.create_in(str(folder), whoosh_fields.Schema(id=whoosh_fields.ID()))
    assert not fields_current()
    assert backend().ensure() is not None
    assert fields_current()
    assert backend().ensure() is None


class MovedText(whoosh_fields.TEXT):
    """A field class an index pickled under a module name that is gone (a renamed module)."""


@whoosh_only("an index folder whose pickled fields no longer load")
def test_setup_rebuilds_an_index_whose_fields_this_version_cannot_read(
    client, tmp_path, monkeypatch
):
    """An index written before its field classes moved reads as not built (503) until
    `legalbase setup` rebuilds it."""
    folder = tmp_path / "search"
    shutil.rmtree(folder)
    folder.mkdir()
    module = types.ModuleType("legalbase_moved_fields")
    module.MovedText = MovedText
    monkeypatch.setattr(MovedText, "__module__", module.__name__)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    whoosh_index.create_in(str(folder), whoosh_fields.Schema(id=whoosh_fields.ID(), x=MovedText()))
    monkeypatch.delitem(sys.modules, module.__name__)
    assert not fields_current()
    assert client.get("/api/v1/search", query_string={"q": "pajak"}).status_code == 503
    assert backend().ensure() is not None
    assert fields_current()
    assert client.get("/api/v1/search", query_string={"q": "pajak"}).status_code == 200


def test_records_updated_again_and_again_stay_searchable(client):
    """Each update replaces the document in the index; the record stays findable."""
    _, token = make_user("region", "16.71")
    new_id = post(client, token)
    for number in range(3):
        client.patch(
            f"/api/v1/regulations/{new_id}",
            headers=auth(token),
            json={"title": f"Pembentukan Gugus Tugas Tahap {number}"},
        )
        body, found = hits(client, q="dicegah")
        assert new_id in found and body["total"] >= 1
