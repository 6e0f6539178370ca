"""Which search backend serves this app (SEARCH_BACKEND): `whoosh`, an index folder of this
machine kept in step through the outbox, or `postgresql`, a table of the database itself written
in each regulation's own transaction, which every machine sharing the database shares too."""

from flask import current_app
from sqlalchemy.engine import make_url

from ..core import db
from ..core.errors import Unavailable

WHOOSH, POSTGRESQL = "whoosh", "postgresql"


def uses_postgresql() -> bool:
    """Whether this app searches with the PostgreSQL backend."""
    return current_app.config.get("SEARCH_BACKEND", WHOOSH) == POSTGRESQL


def refusal(dialect: str) -> str:
    """Why the PostgreSQL backend cannot run on a database of `dialect`, in Indonesian."""
    return (
        f"LEGALBASE_SEARCH_BACKEND=postgresql memerlukan basis data PostgreSQL, sedangkan "
        f"basis data ini {dialect}. Setel LEGALBASE_DATABASE_URL ke PostgreSQL "
        f"(postgresql+psycopg://...) atau pakai LEGALBASE_SEARCH_BACKEND=whoosh."
    )


def refuse_unsupported_configuration(app) -> None:
    """At start-up: exit with the refusal when the PostgreSQL backend is set on another
    database (as an invalid setting does, see config.py)."""
    if app.config.get("SEARCH_BACKEND", WHOOSH) != POSTGRESQL:
        return
    dialect = make_url(app.config["DATABASE_URL"]).get_backend_name()
    if dialect != POSTGRESQL:
        raise SystemExit(refusal(dialect))


def database_is_postgresql() -> bool:
    """Whether the app's database (or the connection a test pinned) is PostgreSQL."""
    return db.session.get_bind().dialect.name == POSTGRESQL


def require_postgresql() -> None:
    """Unavailable (503) when the PostgreSQL backend would run on another database (a setting
    changed after start-up)."""
    if not database_is_postgresql():
        raise Unavailable(
            refusal(db.session.get_bind().dialect.name), code="search_backend_unsupported"
        )
