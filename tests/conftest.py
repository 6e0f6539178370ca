"""Fixtures: one migrated and seeded database per run, a rolled-back transaction per test.

The database is SQLite in a temporary folder, or the one LEGALBASE_DATABASE_URL names
(PostgreSQL in CI), where the run works in a schema of its own and drops it at the end.
"""

import os
import uuid

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from legalbase import create_app, db
from legalbase.cli import upgrade_database
from legalbase.corpus.cli import sync_seed
from tests.factories import ERROR_CODES_SEEN, assert_error_shape


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("LEGALBASE_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        return
    schema = f"lb_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


class ShapeCheckingClient(FlaskClient):
    """A test client that checks the error shape of every API error the suite provokes."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if response.status_code >= 400 and response.request.path.startswith("/api/"):
            assert_error_shape(response)
            ERROR_CODES_SEEN.add((response.status_code, response.json["error"]["code"]))
        return response


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "test",
                      "INSTANCE_DIR": str(tmp_path_factory.mktemp("instance"))})
    app.test_client_class = ShapeCheckingClient
    with app.app_context():
        upgrade_database()
        sync_seed()
        db.session.commit()
        db.session.remove()
    yield app
    app.extensions["legalbase.db"].engine.dispose()


@pytest.fixture(autouse=True)
def clean_database(app):
    """Run each test inside a transaction that is rolled back afterwards."""
    state = app.extensions["legalbase.db"]
    connection = state.engine.connect()
    transaction = connection.begin()
    state.connection = connection
    with app.app_context():
        yield
        db.session.remove()
    state.connection = None
    transaction.rollback()
    connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
