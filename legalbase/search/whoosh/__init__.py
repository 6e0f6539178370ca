"""The Whoosh backend (SEARCH_BACKEND=whoosh): an index folder of this machine (index.py), kept
in step through the outbox (outbox.py), searched by queries.py.

Whoosh stays inside this package: nothing else in legalbase imports it.
"""

from ..backend import IndexReport
from ..query_language import SearchRequest, SearchResult
from . import index, outbox, queries


class WhooshBackend:
    """The search backend (search/backend.py) of an index folder kept in step by the outbox."""

    name = "whoosh"

    def exists(self) -> bool:
        """Whether the index folder has been built."""
        return index.index_exists()

    def ensure(self) -> int | None:
        """Build the index when there is none or its fields are another version's, then apply
        the waiting changes; the count built, None when the index was current."""
        built = index.ensure_index()
        outbox.apply_pending()
        return built

    def rebuild(self) -> int:
        """Build a new index and swap it in, then apply the changes made meanwhile."""
        return outbox.rebuild_index()

    def check(self) -> IndexReport:
        """Ids missing from, extra in and stale in the index (Unavailable when none is built)."""
        return index.check_index()

    def apply(self, ids: set[int]) -> None:
        """Write these regulations' documents into the index now."""
        index.apply(ids)

    def on_flush(self, session, ids: set[int]) -> None:
        """Queue these regulations in the outbox of the flushing transaction."""
        outbox.enqueue(session, ids)

    def apply_pending(self) -> int:
        """Drain the outbox into the index; returns how many rows were applied."""
        return outbox.apply_pending()

    def pending(self) -> int:
        """How many regulations wait in the outbox."""
        return outbox.pending_regulations()

    def search(self, request: SearchRequest) -> SearchResult:
        """Apply the waiting changes, then search the index."""
        outbox.apply_pending()
        return queries.search(request)
