"""The search backend this test run uses (LEGALBASE_SEARCH_BACKEND, as the app reads it), and
marks for the tests that only one backend can run."""

import os

import pytest

ON_POSTGRESQL = os.environ.get("LEGALBASE_SEARCH_BACKEND", "whoosh") == "postgresql"
POSTGRESQL_DATABASE = os.environ.get("LEGALBASE_DATABASE_URL", "").startswith("postgresql")


def whoosh_only(reason: str):
    """Skip on the PostgreSQL backend: the test is about Whoosh's own machinery (`reason`)."""
    return pytest.mark.skipif(ON_POSTGRESQL, reason=f"Whoosh only: {reason}")


def postgresql_only(reason: str):
    """Run only on the PostgreSQL backend (`reason`)."""
    return pytest.mark.skipif(not ON_POSTGRESQL, reason=f"PostgreSQL backend only: {reason}")
