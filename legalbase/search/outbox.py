"""Keeping the index in step with the database: an outbox filled in the writing transaction,
drained after commit by one writer at a time (Whoosh backend). With SEARCH_BACKEND=postgresql
the same listener writes the search rows themselves in that transaction (pg_index.py): no
outbox rows, nothing to drain.

- Every flush that inserts or changes a `Regulation`, or inserts, changes or deletes a revoking
  `Relation` (both ends), inserts outbox rows on the same connection: they commit or roll back
  with the change itself (the corpus room never imports search; these listeners watch it).
- After a commit that carried outbox rows, the session is marked; the request that made the
  write drains the outbox before its response leaves (`drain_after_request`), and every search
  drains first, so a change committed elsewhere (a CLI, a thread) shows at the next search.
- The drain takes the index's one writer (timeout, retried on LockError), then reads the outbox
  and the records through the current session, applies them, commits the index, and only then
  deletes the rows it applied and commits: a row is never lost, at worst applied twice.
"""

import logging
from itertools import chain

from sqlalchemy import delete, event, insert, select

from ..core import db
from ..core.db import AppSession, utcnow
from ..corpus.models import Regulation, Relation
from .backends import database_is_postgresql, uses_postgresql
from .index import (
    acquire_writer,
    document,
    ensure_index,
    index_exists,
    live_rows,
    open_index,
    reindex,
    revocation_dates,
    revoked_by,
)
from .models import SearchOutbox
from .pg_index import refresh_documents

log = logging.getLogger(__name__)
BATCH = 500
DIRTY, COMMITTED = "search_outbox_dirty", "search_outbox_committed"


@event.listens_for(AppSession, "after_flush")
def _enqueue_changes(session, _flush_context):
    ids = changed_regulation_ids(session)
    if not ids:
        return
    if uses_postgresql():
        if database_is_postgresql():  # elsewhere the backend refuses to run (backends.py)
            refresh_documents(ids)
        return
    now = utcnow()
    session.connection().execute(
        insert(SearchOutbox.__table__), [{"regulation_id": key, "enqueued_at": now} for key in ids]
    )
    session.info[DIRTY] = True


@event.listens_for(AppSession, "after_commit")
def _mark_committed(session):
    if session.info.pop(DIRTY, False):
        session.info[COMMITTED] = True


def changed_regulation_ids(session) -> set[int]:
    """Regulations whose index entry the flush in progress may change."""
    ids = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Regulation) and (
            obj in session.new or obj in session.deleted or session.is_modified(obj)
        ):
            ids.add(obj.id)
        elif isinstance(obj, Relation) and obj.kind == "revokes":
            ids.update((obj.source_id, obj.target_id))
    return {key for key in ids if key is not None}


def has_committed_changes() -> bool:
    """Whether this session committed outbox rows not yet drained by it."""
    return bool(db.session.info.get(COMMITTED))


def apply_pending(batch: int = BATCH) -> int:
    """Apply every pending outbox row to the index; returns how many rows were applied.

    Does nothing (rows wait) while no index has been built, nor with the PostgreSQL backend.
    """
    db.session.info.pop(COMMITTED, None)
    if uses_postgresql() or not index_exists() or pending_count() == 0:
        return 0  # most calls (every search) find nothing waiting: no index writer is taken
    db.session.commit()  # end any reading transaction: the drain writes from a fresh one
    applied = 0
    with db.writing():
        while True:
            done = _apply_batch(batch)
            applied += done
            if done < batch:
                return applied


def _apply_batch(batch: int) -> int:
    writer = acquire_writer(open_index())
    try:
        rows = db.session.execute(
            select(SearchOutbox.id, SearchOutbox.regulation_id)
            .order_by(SearchOutbox.id)
            .limit(batch)
        ).all()
        if rows:
            _write(writer, {row.regulation_id for row in rows})
    except BaseException:
        writer.cancel()
        raise
    if not rows:
        writer.cancel()
        return 0
    writer.commit()
    db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([row.id for row in rows])))
    db.session.commit()
    return len(rows)


def _write(writer, ids: set[int]) -> None:
    ids = ids | revoked_by(ids)
    revoked = revocation_dates(ids)
    live = set()
    for row in live_rows(ids):
        writer.update_document(**document(row, revoked.get(row.id)))
        live.add(row.id)
    for key in ids - live:
        writer.delete_by_term("id", str(key))


def drain_after_request(response):
    """After a request that committed index changes, apply them before the response leaves."""
    if not has_committed_changes():
        return response
    try:
        apply_pending()
    except Exception:  # the write itself committed; its rows wait for the next drain
        db.session.rollback()
        log.exception("search outbox drain failed; rows kept for the next drain")
    return response


def pending_count() -> int:
    """How many outbox rows wait."""
    from sqlalchemy import func

    return db.session.scalar(select(func.count()).select_from(SearchOutbox))


def pending_regulations() -> int:
    """How many distinct regulations wait in the outbox."""
    from sqlalchemy import distinct, func

    return db.session.scalar(select(func.count(distinct(SearchOutbox.regulation_id))))


def rebuild_index() -> int:
    """Rebuild the index from the database, drop the outbox rows the rebuild reflects (those
    committed before it began), then apply any enqueued since; returns how many documents.

    For a bulk load: one build (parallel, no merges) costs a fraction of applying thousands
    of changes batch after batch to a growing index, each commit merging segments again."""
    seen = list(db.session.scalars(select(SearchOutbox.id)))
    db.session.commit()  # the build reads from a transaction begun after those rows committed
    count = reindex()
    with db.writing():
        for start in range(0, len(seen), BATCH):
            chunk = seen[start : start + BATCH]
            db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(chunk)))
        db.session.commit()
    apply_pending()
    return count


def ensure_search_index() -> None:
    """Build the index when there is none (PostgreSQL backend: bring its table in line), then
    apply the changes waiting in the outbox."""
    ensure_index()
    apply_pending()
