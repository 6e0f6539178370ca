"""Fixtures: one migrated and seeded database per run, a rolled-back transaction per test.

The database is SQLite in a temporary folder, or the one LEGALBASE_DATABASE_URL names
(PostgreSQL in CI), where the run works in a schema of its own and drops it at the end.
"""

from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from legalbase import create_app
from legalbase.core import db
from legalbase.core.audit import Actor
from legalbase.core.schema import upgrade_database
from legalbase.corpus.cli import sync_seed
from legalbase.regions.seed import sync_regions
from tests.databases import new_database
from tests.factories import ERROR_CODES_SEEN, assert_error_shape


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    with new_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture
def empty_instance(tmp_path):
    """Another app on a new database with the region registry and nothing else; its own
    instance folder. Use inside `with empty_instance() as other:`; commits there are real."""

    @contextmanager
    def make():
        with new_database(tmp_path) as url:
            other = create_app(
                {
                    "DATABASE_URL": url,
                    "SECRET_KEY": "test",
                    "INSTANCE_DIR": str(tmp_path / "other-instance"),
                }
            )
            other.test_client_class = ShapeCheckingClient
            with other.app_context():
                upgrade_database()
                sync_regions(Path(other.config["CORPUS_DIR"]) / "regions", Actor("tests"))
                db.session.commit()
                db.session.remove()
            try:
                yield other
            finally:
                other.extensions["legalbase.db"].engine.dispose()

    return make


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
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "TESTING": True,
            "SECRET_KEY": "test",
            "OCR_MODE": "inline",
            "JOBS_MODE": "inline",
            "INSTANCE_DIR": str(tmp_path_factory.mktemp("instance")),
        }
    )
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
    connection.info[db.DEFERRED] = True  # other connections of a test may write meanwhile
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
