import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from legalbase import create_app
from legalbase.core import db
from legalbase.core.audit import Actor, record
from legalbase.core.schema import downgrade_database, upgrade_database
from tests.databases import new_database


def test_the_migrations_build_exactly_the_models():
    connection = db.session.connection()
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    assert compare_metadata(context, db.Base.metadata) == []


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor_label = 'someone else'",
        "DELETE FROM audit_log",
    ],
)
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


def test_upgrading_a_populated_0001_database_backfills_and_keeps_the_data(tmp_path):
    """An instance made before files and status existed upgrades with its records intact."""
    with new_database(tmp_path) as url:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "t", "INSTANCE_DIR": str(tmp_path)})
        with app.app_context():
            upgrade_database("0001")
            _insert_0001_rows()
            upgrade_database("head")
            rows = db.session.execute(
                text(
                    "SELECT number, identity_key, in_force_from, text_status FROM regulations "
                    "ORDER BY number"
                )
            ).all()
            assert [
                (r.number, r.identity_key, str(r.in_force_from), r.text_status) for r in rows
            ] == [
                ("10", "permen:menteri negara pppa|national|2012|10", "2012-01-01", "unavailable"),
                ("49", "perpres|national|2023|49", "2023-08-10", "unavailable"),
            ]
            db.session.remove()
            downgrade_database("base")
        app.extensions["legalbase.db"].engine.dispose()


def _insert_0001_rows():
    with db.engine().begin() as conn:
        for number, year, form, issuer, enacted in (
            ("49", 2023, "perpres", None, "2023-08-10"),
            ("10", 2012, "permen", "Menteri Negara PPPA", None),
        ):
            conn.execute(
                text(
                    "INSERT INTO regulations (form, number, year, title, identity_key, issuer, "
                    "enacted_on, subjects, language, created_at, updated_at) "
                    "VALUES (:form, :number, :year, 'T', :key, :issuer, :enacted, '[]', "
                    "'Indonesia', :now, :now)"
                ),
                {
                    "form": form,
                    "number": number,
                    "year": year,
                    "issuer": issuer,
                    "key": f"{form}|national|{year}|{number}",
                    "now": "2026-01-01T00:00:00+00:00",
                    "enacted": enacted,
                },
            )
