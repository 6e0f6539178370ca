"""The database: declarative base, one engine per app, one scoped session, and the unit of work.

Domain functions add and flush through `session`; the request (service/app.py) or the command
that started the work commits once, through `unit_of_work()` or `commit()`, and rolls back on an
error. What must wait for the commit (applying index changes, OCR, starting a job) is queued with
`after_commit()`. Background workers (jobs, OCR, the search outbox) own their units of work and
commit each one themselves.

SQLite has one writer at a time. How a request's transactions take its write lock is declared per
view with `transaction(READS)` or `transaction(WRITES)` (by default a GET, HEAD or OPTIONS reads
and any other method writes); slow work that needs no database runs after `release_locks()`,
which the slow parts themselves call (a bounded worker, a document conversion).
"""

import contextlib
import contextvars
import functools
import logging
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


log = logging.getLogger(__name__)
_writing: contextvars.ContextVar = contextvars.ContextVar("legalbase_writing", default=False)
READING_METHODS = ("GET", "HEAD", "OPTIONS")
READS, WRITES = "reads", "writes"
DEFERRED = "legalbase_deferred_begin"
WROTE = "legalbase_wrote"
AFTER_COMMIT, COMMITTED = "legalbase_after_commit", "legalbase_committed_callbacks"


def transaction(mode: str):
    """Declare how a view's transactions take SQLite's write lock: `READS` begins them deferred
    (a reader never waits), `WRITES` takes the lock as each begins (a writer never finds its
    snapshot stale). Put it above the view's other decorators."""
    if mode not in (READS, WRITES):
        raise ValueError(f"unknown transaction mode {mode!r}")

    def declare(view):
        view.transaction_mode = mode
        return view

    return declare


def declared_mode() -> str | None:
    """The current request's declared (or default) transaction mode; None outside a request."""
    if not has_request_context():
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        method = request.method.lower()
        view = getattr(view_class, method, None) or getattr(view_class, "get", None)
    declared = getattr(view, "transaction_mode", None)
    return declared or (READS if request.method in READING_METHODS else WRITES)


@contextlib.contextmanager
def writing():
    """Within this block, SQLite transactions take the write lock when they begin: for a worker
    that writes from a reading request's thread (the search outbox drain)."""
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


def release_locks() -> None:
    """Before slow work that needs no database (reading an uploaded file in a worker, converting
    a document), end the session's transaction when it has written nothing, so that no lock
    (SQLite's write lock) is kept meanwhile; a transaction holding writes is left as it is."""
    if not (session.new or session.dirty or session.deleted or session.info.get(WROTE)):
        session.commit()


def after_commit(callback, key=None, session=None) -> None:
    """Run `callback()` once the work in progress commits (once per `key`); forgotten if it
    rolls back. `session`: the session a flush listener was handed (default: the current one)."""
    info = (session if session is not None else _current_session()).info
    info.setdefault(AFTER_COMMIT, {})[callback if key is None else key] = callback


def _current_session() -> Session:
    return session()


def commit() -> None:
    """Commit the work in progress, then run what waited for the commit (`after_commit`)."""
    session.commit()
    run_after_commit()


def run_after_commit() -> None:
    """Run the callbacks of the commits made so far; one that fails is logged (the work it
    followed is committed) and its own changes rolled back."""
    while waiting := session.info.pop(COMMITTED, None):
        for callback in waiting.values():
            try:
                callback()
            except Exception:
                session.rollback()
                log.exception("after-commit work failed: %r", callback)


@contextlib.contextmanager
def unit_of_work():
    """One unit of work: commit once when the block ends, roll back if it raises."""
    try:
        yield
    except BaseException:
        session.rollback()
        raise
    commit()


@event.listens_for(AppSession, "after_flush")
def _mark_written(flushing, _context):
    flushing.info[WROTE] = True


@event.listens_for(AppSession, "do_orm_execute")
def _mark_statement_written(state):
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


@event.listens_for(AppSession, "after_commit")
def _commit_callbacks(committed):
    committed.info.pop(WROTE, None)
    waiting = committed.info.pop(AFTER_COMMIT, None)
    if waiting:
        committed.info.setdefault(COMMITTED, {}).update(waiting)


@event.listens_for(AppSession, "after_soft_rollback")
def _forget_callbacks(rolled_back, previous_transaction):
    if previous_transaction.nested:
        return  # a savepoint inside the work; the outer transaction decides
    rolled_back.info.pop(WROTE, None)
    rolled_back.info.pop(AFTER_COMMIT, None)


def _sqlite_begin(connection) -> None:
    # A transaction that reads, then writes after another process committed, fails at once
    # with "database is locked" (its snapshot is stale), whatever the timeout. So everything
    # but a reading request takes the write lock first (waiting up to the timeout for it);
    # readers never wait, thanks to WAL. A connection marked DEFERRED (the one a test pins for
    # its whole run) always begins deferred, so other connections may still write meanwhile.
    reading = declared_mode() == READS and not _writing.get()
    deferred = connection.info.get(DEFERRED) or reading
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

    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
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
