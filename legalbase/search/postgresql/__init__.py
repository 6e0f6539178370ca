"""The PostgreSQL backend (SEARCH_BACKEND=postgresql): a table of the database itself
(index.py), written in each regulation's own transaction, which every machine sharing the
database shares too; searched by queries.py. Runs on a PostgreSQL database only (database.py).
"""

from ..backend import IndexReport
from ..query_language import SearchRequest, SearchResult
from . import index, queries
from .database import database_is_postgresql, refuse_another_database


class PostgresqlBackend:
    """The search backend (search/backend.py) of the `search_documents` table."""

    name = "postgresql"

    @classmethod
    def for_app(cls, app) -> "PostgresqlBackend":
        """The backend of `app`; exits (SystemExit) when its database is not PostgreSQL."""
        refuse_another_database(app)
        return cls()

    def exists(self) -> bool:
        """Whether the table can be searched (the database is PostgreSQL; a migration made it)."""
        return index.built()

    def ensure(self) -> int | None:
        """Rewrite the rows found missing, extra or stale; how many, None when all were current."""
        return index.ensure()

    def rebuild(self) -> int:
        """Rewrite every row in one transaction, committed; returns how many."""
        return index.rebuild()

    def check(self) -> IndexReport:
        """Ids missing from, extra in and stale in the table (Unavailable on another database)."""
        return index.check()

    def apply(self, ids: set[int]) -> None:
        """Rewrite these regulations' rows in the current transaction."""
        index.refresh_documents(ids)

    def on_flush(self, session, ids: set[int]) -> None:
        """Rewrite these regulations' rows in the flushing transaction itself."""
        if database_is_postgresql():  # elsewhere the backend refuses to search (database.py)
            index.refresh_documents(ids)

    def apply_pending(self) -> int:
        """Nothing waits: each change wrote its rows in its own transaction."""
        return 0

    def pending(self) -> int:
        """Nothing waits."""
        return 0

    def search(self, request: SearchRequest) -> SearchResult:
        """Search the table."""
        return queries.search(request)
