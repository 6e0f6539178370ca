"""The database: declarative base, one engine per app, one scoped session.

Domain functions add and flush through `session`; the view or CLI command that started the work
commits once; the error handler rolls back.
"""

import contextlib
import contextvars
import functools
import threading
from datetime import UTC, datetime

from flask import Flask, current_app, has_app_context, has_request_context, request
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


session = scoped_session(
    sessionmaker(class_=AppSession, join_transaction_mode="create_savepoint"),
    scopefunc=_session_scope,
)


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
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


_writing: contextvars.ContextVar = contextvars.ContextVar("legalbase_writing", default=False)
READING_METHODS = ("GET", "HEAD", "OPTIONS")
DEFERRED = "legalbase_deferred_begin"


@contextlib.contextmanager
def writing():
    """Within this block, SQLite transactions take the write lock when they begin: for the
    writes a reading request makes (applying search index changes, keeping a PDF)."""
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


def release_locks() -> None:
    """Before slow work that needs no database (reading an uploaded file), end the session's
    transaction when it holds nothing to write, so that no lock (SQLite's write lock) is kept
    meanwhile; with changes pending it is left as it is."""
    if not (session.new or session.dirty or session.deleted):
        session.commit()


def _sqlite_begin(connection) -> None:
    # A transaction that reads, then writes after another process committed, fails at once
    # with "database is locked" (its snapshot is stale), whatever the timeout. So everything
    # but a reading request takes the write lock first (waiting up to the timeout for it);
    # readers never wait, thanks to WAL. A connection marked DEFERRED (the one a test pins for
    # its whole run) always begins deferred, so other connections may still write meanwhile.
    reading = has_request_context() and request.method in READING_METHODS
    deferred = connection.info.get(DEFERRED) or (reading and not _writing.get())
    connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


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


_memo: contextvars.ContextVar = contextvars.ContextVar("legalbase_memo", default=None)


@contextlib.contextmanager
def memo_scope():
    """Within this block, functions marked `memoized` answer repeated questions from memory:
    for work that asks the corpus the same thing many times (a draft, a batch of drafts)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoized(key):
    """Memoize a read-only function inside `memo_scope()`; `key(*args)` must be hashable."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args):
            memo = _memo.get()
            if memo is None:
                return function(*args)
            cache_key = (function.__qualname__, key(*args))
            if cache_key not in memo:
                memo[cache_key] = function(*args)
            return memo[cache_key]

        wrapper.memo_key = key
        return wrapper

    return decorate


def remember(function, args: tuple, value) -> None:
    """Store an answer of a `memoized` function fetched in bulk (no-op outside a scope)."""
    memo = _memo.get()
    if memo is not None:
        memo[(function.__wrapped__.__qualname__, function.memo_key(*args))] = value
