"""The PostgreSQL backend runs on a PostgreSQL database only: its refusal elsewhere, at
start-up (an exit) and per request (Unavailable, 503)."""

from sqlalchemy.engine import make_url

from ...core import db
from ...core.errors import Unavailable
from ..settings import POSTGRESQL, refusal


def refuse_another_database(app) -> None:
    """At start-up: exit with the refusal when the app's database is not PostgreSQL (as an
    invalid setting does, see config.py)."""
    dialect = make_url(app.config["DATABASE_URL"]).get_backend_name()
    if dialect != POSTGRESQL:
        raise SystemExit(refusal(dialect))


def database_is_postgresql() -> bool:
    """Whether the app's database (or the connection a test pinned) is PostgreSQL."""
    return db.session.get_bind().dialect.name == POSTGRESQL


def require_postgresql() -> None:
    """Unavailable (503) when the backend would run on another database (one a test pinned, or
    a backend set after start-up)."""
    if not database_is_postgresql():
        raise Unavailable(
            refusal(db.session.get_bind().dialect.name), code="search_backend_unsupported"
        )
