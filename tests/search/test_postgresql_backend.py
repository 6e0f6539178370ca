"""What only the PostgreSQL backend has: its rows ride in the regulation's own transaction, an
empty table is filled by setup, PostgreSQL's limits on a tsvector, and its refusal to run on
another database."""

import pytest
from sqlalchemy import func, select, text

from legalbase import create_app
from legalbase.core import db
from legalbase.core.audit import Actor
from legalbase.corpus.regulations import create_regulation
from legalbase.search import backend
from legalbase.search.models import SearchDocument
from legalbase.search.postgresql import PostgresqlBackend
from legalbase.search.query_language import SearchRequest
from tests.factories import make_regulation, regulation_data
from tests.search.backend import POSTGRESQL_DATABASE, postgresql_only

TEXT = "Menimbang: bahwa kincir angin menjadi sumber listrik desa."


def found(q: str, **filters) -> list[int]:
    return [item["id"] for item in backend().search(SearchRequest(q=q, **filters)).items]


@postgresql_only("its search row is written by the regulation's own flush")
def test_the_search_row_commits_or_rolls_back_with_the_regulation(client):
    regulation = create_regulation(regulation_data(text=TEXT), Actor("tests"))
    db.session.flush()
    assert found("kincir") == [regulation.id]  # before any commit: the same transaction
    db.session.rollback()
    assert found("kincir") == []
    assert backend().check()["extra"] == []


@postgresql_only("the table an upgrade or a switch to this backend finds behind")
def test_setup_brings_an_empty_or_stale_search_table_in_line(client):
    live = backend().check()["expected"]
    db.session.execute(text("DELETE FROM search_documents"))
    assert backend().ensure() == live
    report = backend().check()
    assert (report["missing"], report["stale"], report["indexed"]) == ([], [], live)
    assert backend().ensure() is None
    stale = make_regulation(text=TEXT)
    db.session.execute(
        text("UPDATE search_documents SET stamp = 'x', terms = '' WHERE regulation_id = :id"),
        {"id": stale.id},
    )
    assert found("kincir") == []
    assert backend().ensure() == 1
    assert found("kincir") == [stale.id]


@postgresql_only("PostgreSQL's limits on a tsvector")
def test_a_text_past_postgresql_limits_is_stored_and_found_by_what_fits(client):
    giant = "x" * 3000  # a "word" longer than a lexeme may be
    repeated = " ".join(["angin"] * 400)  # more positions than PostgreSQL keeps
    regulation = make_regulation(number="7'A", text=f"{TEXT} {giant} {repeated} turbin")
    assert found("turbin") == [regulation.id]
    assert found('"angin turbin"') == [regulation.id]
    assert found("nomor:7'a") == [regulation.id]
    assert found(giant) == []


@postgresql_only("PostgreSQL's limit of 1 MB of lexemes per tsvector")
def test_a_text_of_over_a_megabyte_of_distinct_words_is_found_by_its_first_megabyte(client):
    words = [f"n{number:06d}" for number in range(150_000)]  # 1.05 MB, none stemmed
    regulation = make_regulation(text=" ".join(words))
    assert found(words[0]) == [regulation.id]
    assert found(f'"{words[0]} {words[1]}"') == [regulation.id]
    assert found(words[-1]) == []


@postgresql_only("its rows are counted from the table")
def test_a_withdrawn_regulation_leaves_the_table(client):
    regulation = make_regulation(text=TEXT)
    rows = (
        select(func.count())
        .select_from(SearchDocument)
        .where(SearchDocument.regulation_id == regulation.id)
    )
    assert db.session.scalar(rows) == 1
    regulation.withdrawn_at = db.utcnow()
    db.session.commit()
    assert db.session.scalar(rows) == 0


def test_the_postgresql_backend_refuses_to_start_on_another_database(tmp_path):
    with pytest.raises(
        SystemExit, match="memerlukan basis data PostgreSQL, sedangkan basis data ini sqlite"
    ):
        create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite'}",
                "SEARCH_BACKEND": "postgresql",
                "SECRET_KEY": "t",
                "INSTANCE_DIR": str(tmp_path),
            }
        )


@pytest.mark.skipif(POSTGRESQL_DATABASE, reason="needs a database other than PostgreSQL")
def test_the_postgresql_backend_on_another_database_refuses_to_search(
    app, client, runner, monkeypatch
):
    """The search answers 503 and the search commands exit 1, each saying why."""
    monkeypatch.setitem(app.extensions, "legalbase.search", PostgresqlBackend())
    response = client.get("/api/v1/search", query_string={"q": "pajak"})
    assert response.status_code == 503
    assert response.json["error"]["code"] == "search_backend_unsupported"
    assert "memerlukan basis data PostgreSQL" in response.json["error"]["message"]
    for command in ("reindex", "check"):
        result = runner.invoke(args=["search", command])
        assert result.exit_code == 1 and "memerlukan basis data PostgreSQL" in result.output
