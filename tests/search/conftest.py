"""Each search test searches with the backend of the run: Whoosh (the default), or PostgreSQL
with LEGALBASE_SEARCH_BACKEND=postgresql and a PostgreSQL LEGALBASE_DATABASE_URL (`.ci/run`).

Whoosh: each test gets its own index, built from the test's database in a folder of its own, so
what a rolled-back test wrote into an index never reaches the next test. PostgreSQL: the search
table is rebuilt inside the test's transaction, and rolled back with it.
"""

import pytest

from legalbase.search import backend


@pytest.fixture(autouse=True)
def search_index(app, tmp_path):
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "search")
    backend().rebuild()  # and what the seed left in the outbox applied (Whoosh)
    yield tmp_path / "search"
    app.config.pop("SEARCH_INDEX_DIR", None)
