"""Each search test gets its own index, built from the test's database, in a folder of its own:
what a rolled-back test wrote into an index never reaches the next test."""

import pytest

from legalbase.search.index import reindex
from legalbase.search.outbox import apply_pending


@pytest.fixture(autouse=True)
def search_index(app, tmp_path):
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "search")
    reindex()
    apply_pending()  # what the seed left in the outbox
    yield tmp_path / "search"
    app.config.pop("SEARCH_INDEX_DIR", None)
