"""Search: the Indonesian full-text index over the corpus, always in step with the database.

Reads corpus and regions. The app chooses its backend once, at start-up (`init_app`): Whoosh
(search/whoosh/, an index folder of this machine) or PostgreSQL (search/postgresql/, a table of
the database); everything else asks `backend()` (backend.py). What does not depend on the
backend: the documents (documents.py), the analysis (analysis.py), the query language
(query_language.py, query_syntax.py, query_nodes.py), the hits and highlights (highlights.py),
and the flush listener that tells the backend what changed (changes.py).
"""

from flask import Flask

from . import changes as _changes  # noqa: F401  (registers the flush listener)
from .backend import EXTENSION, SearchBackend, backend
from .settings import POSTGRESQL, WHOOSH

__all__ = ["SearchBackend", "backend", "init_app"]


def init_app(app: Flask) -> None:
    """Choose the app's search backend (SEARCH_BACKEND) for its whole life."""
    app.extensions[EXTENSION] = chosen_backend(app)


def chosen_backend(app: Flask) -> SearchBackend:
    """The backend SEARCH_BACKEND names; the PostgreSQL backend on another database exits."""
    uses_postgresql = app.config.get("SEARCH_BACKEND", WHOOSH) == POSTGRESQL
    if uses_postgresql:
        from .postgresql import PostgresqlBackend  # (each backend imported only when chosen)

        return PostgresqlBackend.for_app(app)
    from .whoosh import WhooshBackend

    return WhooshBackend()
