"""What every search backend does (search/whoosh/, search/postgresql/): the one interface the
rest of legalbase searches and maintains the index through. The app chooses its backend once,
at start-up (search/__init__.py); `backend()` is that choice."""

from typing import Protocol, TypedDict

from flask import current_app

from .query_language import SearchRequest, SearchResult

EXTENSION = "legalbase.search"


class IndexReport(TypedDict):
    """The index against the live database: regulation ids missing from it, extra in it, and
    stale in it, with how many it holds and how many it should."""

    missing: list[int]
    extra: list[int]
    stale: list[int]
    indexed: int
    expected: int


class SearchBackend(Protocol):
    """A full-text index of the live regulations, always in step with the database."""

    name: str

    def exists(self) -> bool:
        """Whether the index can be searched (has been built, or its table can be read)."""

    def ensure(self) -> int | None:
        """Build or repair what is missing or outdated and apply waiting changes: how many
        regulations were (re)written; None when the index was current (`legalbase setup`)."""

    def rebuild(self) -> int:
        """Rebuild the whole index from the database; returns how many regulations it holds."""

    def check(self) -> IndexReport:
        """Compare the index with the database (Unavailable when it cannot be read)."""

    def apply(self, ids: set[int]) -> None:
        """Bring these regulations' entries (and those they revoke) in line with the database."""

    def on_flush(self, session, ids: set[int]) -> None:
        """Inside the flush of `session` that changed these regulations: make their entries
        follow its transaction (written in it, or queued to be applied once it commits)."""

    def apply_pending(self) -> int:
        """Apply the changes committed elsewhere that wait for the index; returns how many."""

    def pending(self) -> int:
        """How many regulations wait for their index entries."""

    def search(self, request: SearchRequest) -> SearchResult:
        """Run a search (after the waiting changes): the page of hits, the total, the facets."""


def backend() -> SearchBackend:
    """The current app's search backend."""
    return current_app.extensions[EXTENSION]
