"""Hits as the API returns them, for both backends: each regulation read from the database (the
database wins over the index), named in full as it is cited ("Peraturan Daerah Kota Samarinda
Nomor 7 Tahun 2013"), with its title and snippets of its text marking the words the query
matched (escaped: a document's text never reaches a page as HTML).

Highlights are made for the page of hits only, reading the text word by word until three
snippets are found.
"""

import html
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import load_only

from ..core import db
from ..corpus.citations import cited_name
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
    from the database with their full names and highlights."""
    rows = _live_regulations([regulation_id for regulation_id, _, _ in hits])
    items = []
    for regulation_id, score, in_force in hits:
        row = rows.get(regulation_id)
        if row is None:  # withdrawn since the index saw it: the database wins
            continue
        items.append(
            {
                "id": row.id,
                "name": cited_name(row),
                "title": row.title,
                "title_highlighted": marked(row.title, terms),
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


def _live_regulations(ids: list[int]) -> dict[int, Regulation]:
    """The live regulations of `ids` by id, with their regions (what their names need)."""
    query = (
        select(Regulation)
        .options(
            load_only(
                Regulation.id,
                Regulation.title,
                Regulation.form,
                Regulation.number,
                Regulation.year,
                Regulation.region_code,
                Regulation.issuer,
                Regulation.text,
            )
        )
        .where(Regulation.id.in_(ids), Regulation.withdrawn_at.is_(None))
    )
    return {regulation.id: regulation for regulation in db.session.scalars(query)}


def marked(text: str, terms: frozenset) -> str:
    """The whole of a short `text` (a title), escaped, with the matched words marked."""
    spans = list(_matched_spans(text, terms, len(text))) if terms else []
    return " ".join(_marked(text, 0, len(text), spans).split())


def highlights(text: str | None, terms: frozenset, top: int = 3) -> list[str]:
    """Up to `top` snippets of `text` with the matched words marked <mark>...</mark>.

    The text is read word by word from the start (a word matches when one of the terms it
    indexes as is a query term) and reading stops once `top` snippets are complete, so a
    document whose matches come early costs little however long it is."""
    if not text or not terms:
        return []
    limit = min(len(text), HIGHLIGHT_CHARS)
    windows: list[tuple[int, int, list[tuple[int, int]]]] = []  # each match within a window
    for start, end in _matched_spans(text, terms, limit):
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
    return " ".join(_marked(text, left, right, spans).split())


def _matched_spans(text: str, terms: frozenset, limit: int) -> Iterator[tuple[int, int]]:
    """Where the words of text[:limit] that match (one of the terms a word indexes as is a
    query term) stand, in order."""
    matched: dict[str, bool] = {}
    for found in TOKEN_RE.finditer(text, 0, limit):
        word = found.group().lower()
        hit = matched.get(word)
        if hit is None:
            hit = matched[word] = not terms.isdisjoint(word_terms(word))
        if hit:
            yield found.span()


def _marked(text: str, left: int, right: int, spans: list) -> str:
    """text[left:right] escaped, each span (within it) marked <mark>...</mark>."""
    parts, cursor = [], left
    for span_start, span_end in spans:
        parts.append(html.escape(text[cursor:span_start], quote=False))
        parts.append(f"<mark>{html.escape(text[span_start:span_end], quote=False)}</mark>")
        cursor = span_end
    parts.append(html.escape(text[cursor:right], quote=False))
    return "".join(parts)
