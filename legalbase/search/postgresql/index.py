"""The PostgreSQL backend's documents: one row of `search_documents` per live regulation (its
search document, search/documents.py), written in the same transaction as the regulation itself
(no outbox, no index folder).

- `terms`: the app's own analysis (search/analysis.py, as the Whoosh index makes it) as a
  tsvector, each position weighted by the field it comes from: title A, subjects C, text D; and
  the keys a query looks up whole (citation, number, form, regions), tagged "cite:", "nomor:",
  "jenis:", "wilayah:" (no analysed term holds a colon), weight B.
- `pairs`: each two consecutive terms as one lexeme (what a phrase looks up, as the `pairs`
  field), without positions.
- form, year, province, starts, ends: what filters and facets read; `stamp`, what `check`
  compares (the same stamp as the Whoosh index keeps).

PostgreSQL keeps at most 256 positions of a lexeme and none past 16383 (later ones become
16383), and at most 1 MB of lexemes and positions per vector: a text beyond that is found by
its first megabyte of distinct terms (with their positions) and of pairs, the keys always kept.
Ranking saturates long before either limit.
"""

from bisect import bisect_right
from itertools import islice
from typing import cast

from sqlalchemy import Table, delete, select, text
from sqlalchemy.dialects.postgresql import insert as upsert

from ...core import db
from ...corpus.models import Regulation
from ..analysis import index_terms, term_positions
from ..backend import IndexReport
from ..documents import document, live_rows, revocation_dates, revoked_by, stamp
from ..models import SearchDocument
from .database import database_is_postgresql, require_postgresql

TABLE = cast(Table, SearchDocument.__table__)
KEY_FIELDS = {"cite": "cite", "number": "nomor", "kinds": "jenis", "regions": "wilayah"}
MAX_POSITIONS = 256  # what PostgreSQL keeps of one lexeme
MAX_LEXEME_BYTES = 2046
MAX_VECTOR_BYTES = 1_000_000  # PostgreSQL refuses a tsvector of over 1 MiB (2**20 - 1)
POSITIONS_OVERHEAD = 3  # a lexeme's alignment byte and its count of positions
BATCH = 500
REFRESHED = (
    "regulation_id",
    "terms",
    "pairs",
    "form",
    "year",
    "province",
    "starts",
    "ends",
    "stamp",
)


def quote(lexeme: str) -> str:
    """A lexeme as tsvector and tsquery input spell it (quoted, quotes and backslashes doubled)."""
    if "'" in lexeme or "\\" in lexeme:
        lexeme = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{lexeme}'"


def key_lexeme(field: str, value: str) -> str:
    """The lexeme a key of the document's `field` (cite, number, kinds, regions) is stored as."""
    return f"{KEY_FIELDS[field]}:{value}"


def document_row(row, revoked) -> dict:
    """The `search_documents` row of one regulation row (its search document, as vectors)."""
    doc = document(row, revoked)
    title, subjects = index_terms(row.title or ""), index_terms(doc["subjects"])
    terms = title + subjects + index_terms(row.text or "")
    keys = [
        key_lexeme(field, value)
        for field in ("cite", "kinds", "regions")
        for value in doc[field].split()
    ]
    keys.append(key_lexeme("number", doc["number"]))
    return {
        "regulation_id": row.id,
        "terms": terms_vector(terms, len(title), len(title) + len(subjects), keys),
        "pairs": pairs_vector(terms),
        "form": doc["form"],
        "year": doc["year"],
        "province": doc["province"],
        "starts": doc["start"],
        "ends": doc["end"],
        "stamp": doc["stamp"],
    }


def terms_vector(terms: list[str], title_end: int, subjects_end: int, keys: list[str]) -> str:
    """The tsvector text of a document's keys (weight B, no term holding a colon) and terms
    (positions from 1; the title's weighted A, the subjects' C, the text's D)."""
    # A leading empty term makes positions count from 1, as PostgreSQL's do.
    positioned = term_positions(["", *terms])
    del positioned[""]
    lexemes = [*keys, *positioned]  # the keys first: filters need them
    # What PostgreSQL stores besides a lexeme: alignment, a count, two bytes a position.
    overheads = [POSITIONS_OVERHEAD + 2] * len(keys) + [
        POSITIONS_OVERHEAD + 2 * min(len(positions), MAX_POSITIONS)
        for positions in positioned.values()
    ]
    parts = []
    for lexeme in within_limits(lexemes, overheads):
        positions = positioned.get(lexeme)
        marks = weighted(positions, title_end, subjects_end) if positions else "1B"
        parts.append(f"{quote(lexeme)}:{marks}")
    return " ".join(parts)


def weighted(positions: list[int], title_end: int, subjects_end: int) -> str:
    """Positions as tsvector text: A within the title, C within the subjects, D (no mark) after."""
    positions = positions[:MAX_POSITIONS]
    if positions[0] > subjects_end:
        return ",".join(map(str, positions))
    after = bisect_right(positions, subjects_end)
    marked = [
        f"{position}A" if position <= title_end else f"{position}C"
        for position in positions[:after]
    ]
    return ",".join([*marked, *map(str, positions[after:])])


def pairs_vector(terms: list[str]) -> str:
    """The tsvector text of the document's consecutive term pairs (no positions)."""
    pairs = dict.fromkeys(zip(terms, terms[1:], strict=False))
    return " ".join(map(quote, within_limits([f"{first} {second}" for first, second in pairs])))


def within_limits(lexemes: list[str], overheads: list[int] | None = None) -> list[str]:
    """`lexemes` as far as one tsvector holds them (the first ones kept): each up to 2046
    bytes, and 1 MB of them with what their positions take (`overheads`, bytes each)."""
    lengths = list(map(len, lexemes))
    overheads = overheads or [0] * len(lexemes)
    # UTF-8 takes at most four bytes a character: most documents are surely within.
    if (
        4 * sum(lengths) + sum(overheads) <= MAX_VECTOR_BYTES
        and 4 * max(lengths, default=0) <= MAX_LEXEME_BYTES
    ):
        return lexemes
    kept, left = [], MAX_VECTOR_BYTES
    for lexeme, overhead in zip(lexemes, overheads, strict=True):
        size = len(lexeme.encode("utf-8"))
        if size <= MAX_LEXEME_BYTES and size + overhead <= left:
            kept.append(lexeme)
            left -= size + overhead
    return kept


def refresh_documents(ids: set[int]) -> None:
    """Bring the rows of regulations `ids` (and of those they revoke) in line with the database,
    in the current transaction: live ones written, the others deleted."""
    ids = ids | revoked_by(ids)
    revoked = revocation_dates(ids)
    rows = [document_row(row, revoked.get(row.id)) for row in live_rows(ids)]
    connection = db.session.connection()
    if rows:
        connection.execute(upserting(), rows)
    gone = ids - {row["regulation_id"] for row in rows}
    if gone:
        connection.execute(delete(TABLE).where(TABLE.c.regulation_id.in_(gone)))


def upserting():
    """INSERT ... ON CONFLICT DO UPDATE: a concurrent writer of the same row waits, then wins."""
    statement = upsert(TABLE)
    return statement.on_conflict_do_update(
        index_elements=[TABLE.c.regulation_id],
        set_={name: statement.excluded[name] for name in REFRESHED[1:]},
    )


def rebuild() -> int:
    """Rewrite every live regulation's row and delete the others, in one transaction of its
    own (committed here, as any backend's rebuild is final when it returns); returns how many.

    Searches meanwhile read the previous rows; a regulation written meanwhile waits for it."""
    require_postgresql()
    revoked = revocation_dates()
    rows = (document_row(row, revoked.get(row.id)) for row in live_rows())
    connection = db.session.connection()
    count = 0
    while batch := list(islice(rows, BATCH)):
        connection.execute(upserting(), batch)
        count += len(batch)
    live = select(Regulation.id).where(Regulation.withdrawn_at.is_(None))
    connection.execute(delete(TABLE).where(TABLE.c.regulation_id.not_in(live)))
    connection.execute(text("ANALYZE search_documents"))  # the planner's statistics
    db.session.commit()
    return count


def built() -> bool:
    """Whether the backend can search: the database is PostgreSQL (the migration made the
    table)."""
    return database_is_postgresql()


def ensure() -> int | None:
    """Bring the rows `check` finds missing, extra or stale in line (an instance upgraded or
    switched to this backend, writes made while Whoosh served), in batches, committed: returns
    how many regulations; None when the table was current."""
    report = check()
    ids = sorted({*report["missing"], *report["extra"], *report["stale"]})
    if not ids:
        return None
    for start in range(0, len(ids), BATCH):
        refresh_documents(set(ids[start : start + BATCH]))
    db.session.connection().execute(text("ANALYZE search_documents"))
    db.session.commit()
    return len(ids)


def check() -> IndexReport:
    """Ids missing from, extra in, and stale in the table, against the live database."""
    require_postgresql()
    revoked = revocation_dates()
    stamped = select(
        Regulation.id, Regulation.updated_at, Regulation.in_force_from, Regulation.valid_until
    ).where(Regulation.withdrawn_at.is_(None))
    expected = {row.id: stamp(row, revoked.get(row.id)) for row in db.session.execute(stamped)}
    stored = dict(db.session.execute(select(TABLE.c.regulation_id, TABLE.c.stamp)).all())
    return {
        "missing": sorted(expected.keys() - stored.keys()),
        "extra": sorted(stored.keys() - expected.keys()),
        "stale": sorted(
            key for key in expected.keys() & stored.keys() if expected[key] != stored[key]
        ),
        "indexed": len(stored),
        "expected": len(expected),
    }
