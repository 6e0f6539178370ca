"""The database: declarative base, one engine per app, one scoped session.

Domain functions add and flush through `session`; the view or CLI command that started the work
commits once; the error handler rolls back.
"""

import threading
from datetime import UTC, datetime

from flask import Flask, current_app, has_app_context
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    return datetime.now(UTC)


class AppSession(Session):
    """A session bound to the current app's engine, or to the connection a test pinned."""

    def get_bind(self, mapper=None, clause=None, **kwargs):
        if self.bind is not None:
            return self.bind
        state = current_app.extensions["legalbase.db"]
        return state.connection if state.connection is not None else state.engine


def _session_scope():
    # One session per thread and app, so that two apps in one process never share one.
    app = current_app._get_current_object() if has_app_context() else None
    return threading.get_ident(), id(app)


session = scoped_session(sessionmaker(class_=AppSession, join_transaction_mode="create_savepoint"),
                         scopefunc=_session_scope)


class DatabaseState:
    """What the app keeps of its database: the engine and, in tests, a pinned connection."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.connection = None


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys and real transactions (savepoints, DDL)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_on_connect(dbapi_connection, _record):
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
    dbapi_connection.isolation_level = None
    dbapi_connection.execute("PRAGMA foreign_keys = ON")
    dbapi_connection.execute("PRAGMA journal_mode = WAL")


def init_app(app: Flask) -> None:
    """Create the app's engine and remove the session at the end of every app context."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["legalbase.db"] = DatabaseState(engine)
    app.teardown_appcontext(_remove_session)


def engine() -> Engine:
    return current_app.extensions["legalbase.db"].engine


def _remove_session(_exc):
    if has_app_context():
        session.remove()


class Page:
    """One page of a list: items plus the total count across pages."""

    def __init__(self, items: list, total: int, page: int, per_page: int):
        self.items, self.total, self.page, self.per_page = items, total, page, per_page


def paginate(query, page: int, per_page: int) -> Page:
    """Run `query` (a select) for one page, counting every matching row."""
    from sqlalchemy import func, select

    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items, total, page, per_page)
