"""The Whoosh index: its schema, where it lives, building it, swapping a rebuilt one in,
writing regulations' documents (search/documents.py) into it, and comparing it with the
database.

One writer at a time: writers are taken with a timeout and retried on LockError.
"""

import os
import pickle
import shutil
import threading
import time
from functools import cache

from flask import current_app
from sqlalchemy import func, select
from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, Schema
from whoosh.filedb.structfile import StructFile
from whoosh.index import LockError
from whoosh.util.filelock import try_for

from ...core import db
from ...core.errors import Unavailable
from ...corpus.models import Regulation
from ..backend import IndexReport
from ..documents import document, live_rows, revocation_dates, revoked_by, stamp
from .analysis import IndonesianAnalyzer, IndonesianPairs, IndonesianText
from .postings import LengthCachedBM25F

WRITER_TIMEOUT = 10.0
WRITER_ATTEMPTS = 3
PARALLEL_FROM = 1_000
BUILD_CHUNK = 20_000
# What reading an index of another version's layout may raise (its fields pickled under names
# this version no longer has).
UNREADABLE = (AttributeError, ImportError, pickle.UnpicklingError)
_local = threading.local()


def make_schema() -> Schema:
    """The fields of the index (the text itself stays in the database), as documents.FIELDS
    describes them. `pairs` holds the body's consecutive word pairs, which phrase queries on the
    body look up."""
    analyzer = IndonesianAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=IndonesianText(analyzer=analyzer, field_boost=3.0, multitoken_query="phrase"),
        body=IndonesianText(analyzer=analyzer, multitoken_query="phrase"),
        subjects=IndonesianText(analyzer=analyzer, field_boost=2.0, multitoken_query="phrase"),
        pairs=IndonesianPairs(analyzer=analyzer, phrase=False),
        number=ID(),
        cite=KEYWORD(),
        kinds=KEYWORD(),
        form=ID(sortable=True),
        year=NUMERIC(int, sortable=True, shift_step=16),
        regions=KEYWORD(),
        province=ID(sortable=True),
        start=NUMERIC(int, sortable=True, shift_step=16),
        end=NUMERIC(int, sortable=True, shift_step=16),
        stamp=STORED(),
    )


@cache
def query_schema() -> Schema:
    """The schema queries are translated against (made once)."""
    return make_schema()


def index_dir() -> str:
    """Where the app's index lives: SEARCH_INDEX_DIR, else <instance>/search."""
    return current_app.config.get("SEARCH_INDEX_DIR") or os.path.join(
        current_app.instance_path, "search"
    )


def index_exists(path: str | None = None) -> bool:
    """Whether an index has been built at `path` (default: the app's)."""
    path = path or index_dir()
    # A table of contents (_MAIN_<generation>.toc) exists once an index has been committed;
    # Whoosh's exists_in opens it, which fails if another process replaces it meanwhile.
    return os.path.isdir(path) and any(
        name.startswith("_MAIN_") and name.endswith(".toc") for name in os.listdir(path)
    )


def open_index(path: str | None = None):
    """The app's index, or Unavailable when it has not been built (or was built by a version
    whose layout this one cannot read)."""
    path = path or index_dir()
    if not index_exists(path):
        raise Unavailable(
            "Indeks pencarian belum dibangun; jalankan `legalbase search reindex`.",
            code="search_index_missing",
        )
    for attempt in range(3):
        try:
            return whoosh_index.open_dir(path)
        except FileNotFoundError:
            # Another process committed between Whoosh listing the newest table of contents
            # and reading it (and removed it): list again.
            if attempt == 2:
                raise
        except UNREADABLE as error:
            _close_left_open(error)
            raise Unavailable(
                "Indeks pencarian dibangun oleh versi lain; jalankan `legalbase setup` atau "
                "`legalbase search reindex`.",
                code="search_index_missing",
            ) from None
    raise AssertionError("unreachable")


def _close_left_open(error) -> None:
    """Close the table of contents Whoosh leaves open when its fields fail to load (else a
    ResourceWarning when the file is collected)."""
    trace = error.__traceback__
    while trace is not None:
        for value in trace.tb_frame.f_locals.values():
            if isinstance(value, StructFile):
                value.close()
        trace = trace.tb_next


def searcher():
    """A searcher on the latest committed index, cached per thread (Whoosh readers are not
    shared between threads) and reopened after a commit or a swap."""
    for attempt in range(3):
        try:
            return _latest_searcher()
        except FileNotFoundError:
            # Another process committed meanwhile and removed the segment files this one was
            # opening: forget them and open the newer ones.
            getattr(_local, "searchers", {}).pop(index_dir(), None)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _latest_searcher():
    path = index_dir()
    key = (path, _inode(path))
    cached = getattr(_local, "searchers", {}).get(path)
    if cached is not None and cached[0] == key:
        fresh = cached[1].refresh()
        if fresh is not cached[1]:
            _local.searchers[path] = (key, fresh)
        return fresh
    if cached is not None:
        cached[1].close()
    opened = open_index(path).searcher(weighting=LengthCachedBM25F())
    _local.__dict__.setdefault("searchers", {})[path] = (key, opened)
    return opened


def _inode(path: str) -> int | None:
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None


def build_index(path: str, procs: int | None = None, limitmb: int = 1024) -> int:
    """Create a new index at `path` from every live regulation; returns how many.

    `procs` writer processes (default: two when there are over PARALLEL_FROM records and two
    cores, each writing a segment of its own); `limitmb` is each one's memory for postings
    before it spills sorted runs to disk (and merges them: slow). A segment per BUILD_CHUNK
    records (per process): 100,000 records make ten segments, which Whoosh's merge policy
    leaves as they are.
    """
    os.makedirs(path, exist_ok=True)
    ix = whoosh_index.create_in(path, make_schema())
    revoked = revocation_dates()
    if procs is None:
        live = db.session.scalar(
            select(func.count()).select_from(Regulation).where(Regulation.withdrawn_at.is_(None))
        )
        procs = min(2, os.cpu_count() or 1) if (live or 0) > PARALLEL_FROM else 1
    options = {"limitmb": limitmb}
    if procs > 1:
        options.update(procs=procs, multisegment=True)
    # A writer per BUILD_CHUNK records, each committing its own segment(s) unmerged, so that
    # every process's postings stay within limitmb (past it Whoosh spills sorted runs to disk
    # and merges them, several times slower).
    writer = ix.writer(**options)
    count = 0
    try:
        for row in live_rows():
            writer.add_document(**document(row, revoked.get(row.id)))
            count += 1
            if count % BUILD_CHUNK == 0:
                writer.commit(merge=False)
                writer = ix.writer(**options)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(merge=False)
    return count


def acquire_writer(ix, attempts: int = WRITER_ATTEMPTS):
    """The index's one writer, waiting up to WRITER_TIMEOUT seconds per attempt; LockError
    when another writer held it throughout."""
    for attempt in range(attempts):
        try:
            return ix.writer(timeout=WRITER_TIMEOUT, delay=0.05)
        except LockError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
    raise LockError("unreachable")


def write_documents(writer, ids: set[int]) -> None:
    """Bring the documents of regulations `ids` (and of those they revoke) in line with the
    database through `writer`: live ones written, the others deleted."""
    ids = ids | revoked_by(ids)
    revoked = revocation_dates(ids)
    live = set()
    for row in live_rows(ids):
        writer.update_document(**document(row, revoked.get(row.id)))
        live.add(row.id)
    for key in ids - live:
        writer.delete_by_term("id", str(key))


def apply(ids: set[int]) -> None:
    """Write the documents of regulations `ids` into the index now (its one writer)."""
    writer = acquire_writer(open_index())
    try:
        write_documents(writer, ids)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def reindex() -> int:
    """Build a new index beside the app's and swap it in; returns how many documents.

    The old index's write lock is held throughout, so no drain writes into the old index
    meanwhile: their outbox rows wait and are applied to the new one afterwards.
    """
    path = index_dir()
    fresh, retired = f"{path}.new", f"{path}.old"
    for leftover in (fresh, retired):
        shutil.rmtree(leftover, ignore_errors=True)
    lock = _old_index_lock(path)
    try:
        count = build_index(fresh)
        if os.path.isdir(path):
            os.rename(path, retired)
        os.rename(fresh, path)
    finally:
        if lock is not None:
            lock.release()
    shutil.rmtree(retired, ignore_errors=True)
    return count


def _old_index_lock(path: str):
    """The write lock of the index at `path`; None when there is none (or none this version
    can open: nothing writes into it)."""
    if not index_exists(path):
        return None
    try:
        return write_lock(open_index(path))
    except Unavailable:
        return None


def write_lock(ix):
    """Hold the index's write lock itself (what every writer takes), or LockError."""
    lock = ix.lock("WRITELOCK")
    if not try_for(lock.acquire, WRITER_TIMEOUT * WRITER_ATTEMPTS, 0.05):
        raise LockError("search index write lock is held")
    return lock


def ensure_index() -> int | None:
    """Build the index when there is none, or when its fields are not this version's (an
    upgrade that changed the layout): returns the count; None when the index is current."""
    if index_exists() and fields_current():
        return None
    return reindex()


def fields_current() -> bool:
    """Whether the built index has exactly the fields this version writes (and can read)."""
    try:
        names = open_index().schema.names()
    except Unavailable:
        return False
    return set(names) == set(make_schema().names())


def check_index() -> IndexReport:
    """Ids missing from, extra in, and stale in the index, against the live database."""
    revoked = revocation_dates()
    expected = {str(row.id): stamp(row, revoked.get(row.id)) for row in live_rows()}
    with open_index().searcher() as index_searcher:
        indexed = {
            fields["id"]: fields.get("stamp") for fields in index_searcher.all_stored_fields()
        }
    return {
        "missing": sorted(int(key) for key in expected.keys() - indexed.keys()),
        "extra": sorted(int(key) for key in indexed.keys() - expected.keys()),
        "stale": sorted(
            int(key) for key in expected.keys() & indexed.keys() if expected[key] != indexed[key]
        ),
        "indexed": len(indexed),
        "expected": len(expected),
    }
