"""The Whoosh index: its schema, where it lives, the document of a regulation, building it,
swapping a rebuilt one in, and comparing it with the database.

Whoosh stays behind this module and `queries.py`: nothing else in legalbase imports it.
One writer at a time: writers are taken with a timeout and retried on LockError.

`reindex`, `ensure_index`, `check_index` and `index_exists` (without a path) serve the
configured backend: with SEARCH_BACKEND=postgresql they act on its table (pg_index.py).
"""

import os
import shutil
import threading
import time
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, Schema
from whoosh.index import LockError
from whoosh.util.filelock import try_for

from ..core import db
from ..core.errors import Unavailable
from ..corpus.forms import FORMS
from ..corpus.models import Regulation, Relation
from ..corpus.status import relation_takes_effect
from .analysis import IndonesianAnalyzer, IndonesianPairs, IndonesianText
from .backends import uses_postgresql
from .postings import LengthCachedBM25F

NEVER = 99991231  # the end date of a regulation with no known end
WRITER_TIMEOUT = 10.0
WRITER_ATTEMPTS = 3
PARALLEL_FROM = 1_000
BUILD_CHUNK = 20_000
COLUMNS = (
    Regulation.id,
    Regulation.form,
    Regulation.number,
    Regulation.year,
    Regulation.title,
    Regulation.region_code,
    Regulation.subjects,
    Regulation.text,
    Regulation.in_force_from,
    Regulation.valid_until,
    Regulation.updated_at,
)
_local = threading.local()


def make_schema() -> Schema:
    """The fields of the index (the text itself stays in the database). `pairs` holds the
    body's consecutive word pairs, which phrase queries on the body look up."""
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


def index_dir() -> str:
    """Where the app's index lives: SEARCH_INDEX_DIR, else <instance>/search."""
    return current_app.config.get("SEARCH_INDEX_DIR") or os.path.join(
        current_app.instance_path, "search"
    )


def index_exists(path: str | None = None) -> bool:
    """Whether an index has been built at `path` (default: the app's, or the PostgreSQL
    backend's table)."""
    if path is None and uses_postgresql():
        return postgresql_backend().built()
    path = path or index_dir()
    # A table of contents (_MAIN_<generation>.toc) exists once an index has been committed;
    # Whoosh's exists_in opens it, which fails if another process replaces it meanwhile.
    return os.path.isdir(path) and any(
        name.startswith("_MAIN_") and name.endswith(".toc") for name in os.listdir(path)
    )


def open_index(path: str | None = None):
    """The app's index, or Unavailable when it has not been built."""
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
    raise AssertionError("unreachable")


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


def date_number(day: date | None, default: int = NEVER) -> int:
    """A date as the integer YYYYMMDD the index filters on."""
    return day.year * 10000 + day.month * 100 + day.day if day else default


def revocation_dates(ids=None) -> dict[int, date]:
    """Per regulation, the day its earliest live revocation takes effect (`ids`: only those)."""
    revoking = aliased(Regulation)
    query = (
        select(Relation.target_id, func.min(relation_takes_effect(Relation, revoking)))
        .join(revoking, revoking.id == Relation.source_id)
        .where(Relation.kind == "revokes", revoking.withdrawn_at.is_(None))
        .group_by(Relation.target_id)
    )
    if ids is not None:
        query = query.where(Relation.target_id.in_(list(ids)))
    return {target: _as_date(day) for target, day in db.session.execute(query)}


def revoked_by(ids: set[int]) -> set[int]:
    """Regulations that those `ids` revoke (their end date follows the revoking act's dates)."""
    query = select(Relation.target_id).where(
        Relation.kind == "revokes", Relation.source_id.in_(list(ids))
    )
    return set(db.session.scalars(query))


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def end_date(valid_until: date | None, revoked: date | None) -> int:
    """The first day out of force: the day after the stated period, or the revocation."""
    ends = [day for day in (valid_until and valid_until + timedelta(days=1), revoked) if day]
    return date_number(min(ends)) if ends else NEVER


def stamp(row, revoked: date | None) -> str:
    """What says an index entry is current: the record's update time and its in-force dates."""
    updated = row.updated_at
    if isinstance(updated, datetime) and updated.tzinfo is not None:
        updated = updated.astimezone(UTC).replace(tzinfo=None)
    updated_text = updated.isoformat() if isinstance(updated, datetime) else str(updated)
    return f"{updated_text}|{date_number(row.in_force_from)}|{end_date(row.valid_until, revoked)}"


def live_rows(ids=None):
    """The live (not withdrawn) regulations' indexed columns, `ids` only when given."""
    query = select(*COLUMNS).where(Regulation.withdrawn_at.is_(None)).order_by(Regulation.id)
    if ids is not None:
        query = query.where(Regulation.id.in_(list(ids)))
    return db.session.execute(query.execution_options(yield_per=500))


def document(row, revoked: date | None) -> dict:
    """The index document of one regulation row."""
    form = FORMS[row.form]
    number = " ".join(row.number.split()).lower()
    region = row.region_code
    subjects = " ".join(row.subjects or [])
    # The body field holds the title and subjects too, so a word query matches one field (the
    # title and subject fields only add their boost, see queries.py).
    body = "\n".join(part for part in (row.title, subjects, row.text) if part)
    return {
        "id": str(row.id),
        "title": row.title,
        "body": body,
        "pairs": body,
        "subjects": subjects,
        "number": number,
        "cite": " ".join(citation_keys(row.form, number, row.year)),
        "kinds": f"{row.form} {form.abbreviation.lower().replace(' ', '_')}",
        "form": row.form,
        "year": row.year,
        "regions": " ".join(region_ancestors(region)),
        "province": region.split(".")[0] if region else "national",
        "start": date_number(row.in_force_from),
        "end": end_date(row.valid_until, revoked),
        "stamp": stamp(row, revoked),
    }


def citation_keys(form: str, number: str, year: int) -> list[str]:
    """The keys a citation of this regulation is looked up by: form group, number, year."""
    group = citation_group(form)
    bare = number.removesuffix(f"/{year}").removesuffix(f" tahun {year}").strip()
    return sorted({f"{group}:{bare}:{year}", f"{group}:{number}"})


def citation_group(form: str) -> str:
    """Forms a citation cannot tell apart share a group (a "Perda" of a province or a kota)."""
    return FORMS[form].abbreviation.lower().replace(" ", "_")


def region_ancestors(code: str | None) -> list[str]:
    """The codes a region filter matches a record of region `code` by (itself and its province)."""
    if code is None:
        return ["national"]
    parts = code.split(".")
    return [".".join(parts[:length]) for length in range(1, len(parts) + 1)]


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
        procs = min(2, os.cpu_count() or 1) if live > PARALLEL_FROM else 1
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


def reindex() -> int:
    """Build a new index beside the app's and swap it in; returns how many documents.

    The old index's write lock is held throughout, so no drain writes into the old index
    meanwhile: their outbox rows wait and are applied to the new one afterwards.
    PostgreSQL backend: rewrites its table in one transaction (pg_index.rebuild).
    """
    if uses_postgresql():
        return postgresql_backend().rebuild()
    path = index_dir()
    fresh, retired = f"{path}.new", f"{path}.old"
    for leftover in (fresh, retired):
        shutil.rmtree(leftover, ignore_errors=True)
    lock = write_lock(open_index(path)) if index_exists(path) else None
    try:
        count = build_index(fresh)
        if lock is not None:
            os.rename(path, retired)
        os.rename(fresh, path)
    finally:
        if lock is not None:
            lock.release()
    shutil.rmtree(retired, ignore_errors=True)
    return count


def write_lock(ix):
    """Hold the index's write lock itself (what every writer takes), or LockError."""
    lock = ix.lock("WRITELOCK")
    if not try_for(lock.acquire, WRITER_TIMEOUT * WRITER_ATTEMPTS, 0.05):
        raise LockError("search index write lock is held")
    return lock


def ensure_index() -> int | None:
    """Build the index when there is none, or when its fields are not this version's (an
    upgrade that changed the layout): returns the count; None when the index is current.
    PostgreSQL backend: rewrites the rows of its table that `check_index` finds missing, extra
    or stale (pg_index.ensure)."""
    if uses_postgresql():
        return postgresql_backend().ensure()
    if index_exists() and fields_current():
        return None
    return reindex()


def fields_current() -> bool:
    """Whether the built index has exactly the fields this version writes."""
    return set(open_index().schema.names()) == set(make_schema().names())


def check_index() -> dict:
    """Ids missing from, extra in, and stale in the index, against the live database."""
    if uses_postgresql():
        return postgresql_backend().check()
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


def postgresql_backend():
    """The PostgreSQL backend's module (imported late: it builds on this one)."""
    from . import pg_index as module

    return module
