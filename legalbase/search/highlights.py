"""Hits as the API returns them, for both backends: each regulation read from the database (the
database wins over the index), with snippets of its text marking the words the query matched.

Highlights are made for the page of hits only, reading the text word by word until three
snippets are found.
"""

import html

from sqlalchemy import select

from ..core import db
from ..corpus.models import Regulation
from .analysis import JOIN, TOKEN_RE, word_terms
from .query_nodes import all_terms

HIGHLIGHT_CHARS, SNIPPET_CHARS, SURROUND = 60_000, 240, 60


def highlight_terms(query) -> frozenset:
    """The analysed words a query matches in the text (what highlights mark)."""
    if query is None:
        return frozenset()
    terms = set()
    for fieldname, text in all_terms(query):
        if fieldname in ("title", "body"):
            terms.update(text.split(JOIN))  # a synthetic term marks the words it stands for
    return frozenset(terms)


def hit_items(hits: list[tuple], terms: frozenset) -> list[dict]:
    """The API items of a page of hits, each (regulation id, score or None, in force), read
    from the database with their highlights."""
    ids = [regulation_id for regulation_id, _, _ in hits]
    rows = {
        row.id: row
        for row in db.session.execute(
            select(
                Regulation.id,
                Regulation.title,
                Regulation.form,
                Regulation.number,
                Regulation.year,
                Regulation.region_code,
                Regulation.text,
            ).where(Regulation.id.in_(ids), Regulation.withdrawn_at.is_(None))
        )
    }
    items = []
    for regulation_id, score, in_force in hits:
        row = rows.get(regulation_id)
        if row is None:  # withdrawn since the index saw it: the database wins
            continue
        items.append(
            {
                "id": row.id,
                "title": row.title,
                "form": row.form,
                "number": row.number,
                "year": row.year,
                "region_code": row.region_code,
                "in_force": in_force,
                "score": round(score, 4) if score is not None else None,
                "highlights": highlights(row.text, terms),
            }
        )
    return items


def highlights(text: str | None, terms: frozenset, top: int = 3) -> list[str]:
    """Up to `top` snippets of `text` with the matched words marked <mark>...</mark>.

    The text is read word by word from the start (a word matches when one of the terms it
    indexes as is a query term) and reading stops once `top` snippets are complete, so a
    document whose matches come early costs little however long it is."""
    if not text or not terms:
        return []
    limit = min(len(text), HIGHLIGHT_CHARS)
    matched: dict[str, bool] = {}
    windows: list[tuple[int, int, list[tuple[int, int]]]] = []  # each match within a window
    for found in TOKEN_RE.finditer(text, 0, limit):
        word = found.group().lower()
        hit = matched.get(word)
        if hit is None:
            hit = matched[word] = not terms.isdisjoint(word_terms(word))
        if not hit:
            continue
        start, end = found.span()
        if windows and end <= windows[-1][0] + SNIPPET_CHARS - SURROUND:
            first, _, spans = windows[-1]
            windows[-1] = (first, end, [*spans, (start, end)])
            continue
        if len(windows) == top:
            break
        windows.append((start, end, [(start, end)]))
    return [_snippet(text, start, end, spans, limit) for start, end, spans in windows]


def _snippet(text: str, start: int, end: int, spans: list, limit: int) -> str:
    left = max(0, start - SURROUND)
    right = min(limit, max(end + SURROUND, left + SNIPPET_CHARS))
    # Whole words only at the edges.
    if left:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else left
    if right < limit:
        space = text.rfind(" ", end, right)
        right = space if space >= 0 else right
    parts, cursor = [], left
    for span_start, span_end in spans:
        parts.append(html.escape(text[cursor:span_start], quote=False))
        parts.append(f"<mark>{html.escape(text[span_start:span_end], quote=False)}</mark>")
        cursor = span_end
    parts.append(html.escape(text[cursor:right], quote=False))
    return " ".join("".join(parts).split())
