import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from legalbase import db
from legalbase.audit import Actor, record


def test_the_migrations_build_exactly_the_models():
    connection = db.session.connection()
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    assert compare_metadata(context, db.Base.metadata) == []


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET actor_label = 'someone else'",
    "DELETE FROM audit_log",
])
def test_the_database_refuses_to_change_the_audit_log(statement):
    record(Actor("tests"), "create", "thing", 1, None, {"a": 1})
    db.session.flush()
    with pytest.raises(DBAPIError, match="append-only"), db.session.begin_nested():
        db.session.execute(text(statement))


def test_the_orm_refuses_to_change_the_audit_log():
    entry = record(Actor("tests"), "create", "thing", 1, None, {"a": 1})
    db.session.flush()
    entry.actor_label = "someone else"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
