"""Keeping the Whoosh index in step with the database: an outbox filled in the writing
transaction, drained after commit by one writer at a time.

- The flush that changes regulations (search/changes.py) inserts outbox rows on the same
  connection: they commit or roll back with the change itself.
- That transaction's commit runs the drain (`db.after_commit`, once per commit), so the request
  that made the write has applied it before its response leaves; and every search drains first,
  so a change committed elsewhere (a CLI, a thread) shows at the next search.
- The drain takes the index's one writer (timeout, retried on LockError), then reads the outbox
  and the records through the current session, applies them, commits the index, and only then
  deletes the rows it applied and commits: a row is never lost, at worst applied twice.
"""

from typing import cast

from sqlalchemy import Table, delete, distinct, func, insert, select

from ...core import db
from ...core.db import utcnow
from ..models import SearchOutbox
from .index import acquire_writer, index_exists, open_index, reindex, write_documents

OUTBOX = cast(Table, SearchOutbox.__table__)
BATCH = 500
DRAIN = "search.apply_pending"  # the after-commit key: one drain per commit
# A backlog of at least REBUILD_FROM regulations, and no smaller than the index itself (a bulk
# load), is rebuilt rather than applied: on the national corpus (5,871 acts) batches into the
# growing index cost several times the import itself, one rebuild less than it.
REBUILD_FROM = 1000


def enqueue(session, ids: set[int]) -> None:
    """Inside the flush of `session`: outbox rows for regulations `ids`, drained once the
    transaction commits."""
    now = utcnow()
    rows = [{"regulation_id": key, "enqueued_at": now} for key in ids]
    session.connection().execute(insert(OUTBOX), rows)
    db.after_commit(apply_pending, key=DRAIN, session=session)


def apply_pending(batch: int = BATCH) -> int:
    """Apply every pending outbox row to the index (or rebuild it for a bulk load's backlog);
    returns how many rows were applied. Does nothing (rows wait) while no index has been built.
    """
    if not index_exists() or pending_count() == 0:
        return 0  # most calls (every search) find nothing waiting: no index writer is taken
    if is_bulk_backlog():
        waiting = pending_count()
        rebuild_index()
        return waiting
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
            write_documents(writer, {row.regulation_id for row in rows})
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


def pending_count() -> int:
    """How many outbox rows wait."""
    return db.session.scalar(select(func.count()).select_from(SearchOutbox)) or 0


def is_bulk_backlog() -> bool:
    """Whether the regulations waiting are too many to apply one batch after another."""
    waiting = pending_regulations()
    if waiting < REBUILD_FROM:
        return False
    return waiting >= open_index().doc_count()


def pending_regulations() -> int:
    """How many distinct regulations wait in the outbox."""
    return db.session.scalar(select(func.count(distinct(SearchOutbox.regulation_id)))) or 0


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
