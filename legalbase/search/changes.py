"""Which regulations a flush changes, handed to the app's search backend inside that flush, so
that the index follows the transaction (commits or rolls back with it).

Every flush that inserts or changes a `Regulation`, or inserts, changes or deletes a revoking
`Relation` (both ends, whose in-force dates follow it), is watched here: the corpus room never
imports search.
"""

from itertools import chain

from sqlalchemy import event

from ..core.db import AppSession
from ..corpus.models import Regulation, Relation
from .backend import backend


@event.listens_for(AppSession, "after_flush")
def _follow_changes(session, _flush_context):
    ids = changed_regulation_ids(session)
    if ids:
        backend().on_flush(session, ids)


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
