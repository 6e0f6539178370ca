"""Searching the Whoosh index: the parsed query (search/query_language.py) as Whoosh queries,
its matches, the facets and the page of hits.

Speed (see bench/search.py): words are matched in the body field only (it holds the title and
subjects too), the title and subject terms adding their boosted scores to the documents found;
one pass over the postings gives the total, the facets (counted from sortable columns) and the
page; terms found in most documents are matched from arrays cached per segment reader
(postings.py). Filters are part of the query (an intersection), so they restrict the matching
itself.
"""

import heapq
from collections import Counter
from datetime import date

from whoosh import query as whoosh_query

from ..documents import FIELDS, date_number
from ..highlights import highlight_terms, hit_items
from ..query_language import SearchRequest, SearchResult, parse_query, with_filters
from ..query_nodes import (
    NULL,
    And,
    AndMaybe,
    AndNot,
    Every,
    Not,
    NumericRange,
    Or,
    Phrase,
    Prefix,
    Require,
    Term,
    TermRange,
    Wildcard,
    children,
)
from .index import query_schema, searcher
from .postings import dense_terms

# Words are matched in the body (which holds the title and subjects too); the title and the
# subjects only add their boosted scores to the documents found (see _matches).
FEW_MATCHES = 64
BOOST_FIELDS = ("title", "subjects")
FACETS = ("form", "year", "province")
COMPOUND = {And: whoosh_query.And, Or: whoosh_query.Or}
BINARY = {
    AndNot: whoosh_query.AndNot,
    AndMaybe: whoosh_query.AndMaybe,
    Require: whoosh_query.Require,
}


def search(request: SearchRequest) -> SearchResult:
    """Run a search: the page of hits with highlights, the total and the facets."""
    as_of = request.as_of or date.today()
    text_query = parse_query(request.q)
    query = to_whoosh(with_filters(text_query, request, as_of))
    index_searcher = searcher()
    columns = _columns(index_searcher)
    scored = request.sort != "date"
    matches = _matches(index_searcher, query, scored, boost_terms(text_query) if scored else [])
    docnums = list(matches)
    result = SearchResult(total=len(matches), facets=count_facets(docnums, columns, as_of))
    day = date_number(as_of)
    hits = [
        (regulation_id, score, columns["start"][docnum] <= day < columns["end"][docnum])
        for docnum, regulation_id, score in _page_of_hits(index_searcher, matches, columns, request)
    ]
    result.items = hit_items(hits, highlight_terms(text_query))
    return result


def to_whoosh(node):
    """The Whoosh query of a parsed query."""
    if node is NULL:
        return whoosh_query.NullQuery
    kind = type(node)
    if kind in COMPOUND:
        return COMPOUND[kind]([to_whoosh(child) for child in node.children], boost=node.boost)
    if kind in BINARY:
        return BINARY[kind](to_whoosh(node.a), to_whoosh(node.b))
    if kind is Not:
        return whoosh_query.Not(to_whoosh(node.query), boost=node.boost)
    return _leaf(node)


def _leaf(node):
    if isinstance(node, Term):
        return whoosh_query.Term(node.field, _term_text(node), boost=node.boost)
    if isinstance(node, Phrase):
        return whoosh_query.Phrase(node.field, list(node.words), node.slop, boost=node.boost)
    if isinstance(node, (Prefix, Wildcard)):
        whoosh_class = whoosh_query.Prefix if isinstance(node, Prefix) else whoosh_query.Wildcard
        return whoosh_class(node.field, node.text, boost=node.boost)
    if isinstance(node, (TermRange, NumericRange)):
        whoosh_class = (
            whoosh_query.TermRange if isinstance(node, TermRange) else whoosh_query.NumericRange
        )
        return whoosh_class(
            node.field, node.start, node.end, node.startexcl, node.endexcl, boost=node.boost
        )
    if isinstance(node, Every):
        return whoosh_query.Every(node.field, boost=node.boost)
    raise TypeError(f"no Whoosh query for {node!r}")


def _term_text(node: Term):
    """A term's text as the index holds it (a parsed number: its sortable bytes)."""
    if FIELDS[node.field] == "numeric" and isinstance(node.text, int):
        return query_schema()[node.field].to_bytes(node.text)
    return node.text


def _matches(index_searcher, query, scored: bool, boosts: list) -> dict[int, float]:
    """Every matching document with its score, in one pass over the postings (the total, the
    facets and the page all come from it, instead of matching once to count and again to
    rank). The `boosts` (title and subject terms) then add their scores to the documents found,
    looked up for those only."""
    query = dense_terms(query)
    context = index_searcher.context(
        needs_current=scored, weighting=index_searcher.weighting if scored else None
    )
    found = {}
    for leaf, offset in index_searcher.leaf_searchers():
        matcher = query.matcher(leaf, context)
        reader = leaf.reader()
        deleted = reader.is_deleted if reader.has_deletions() else None
        local = {}
        if scored:
            while matcher.is_active():
                docnum = matcher.id()
                if deleted is None or not deleted(docnum):
                    local[docnum] = matcher.score()
                matcher.next()
            for term in boosts:
                _add_boost(term.matcher(leaf, context), local)
        else:
            local = dict.fromkeys(
                (docnum for docnum in matcher.all_ids() if deleted is None or not deleted(docnum)),
                0.0,
            )
        if offset:
            local = {offset + docnum: score for docnum, score in local.items()}
        found.update(local)
    return found


def _add_boost(matcher, scores: dict) -> None:
    """Add the scores of `matcher` (a title or subject term) to the documents in `scores`:
    skipping to each of a few documents, or reading the term's postings for many."""
    if not scores or not matcher.is_active():
        return
    if len(scores) <= FEW_MATCHES:
        for docnum in sorted(scores):
            matcher.skip_to(docnum)
            if not matcher.is_active():
                return
            if matcher.id() == docnum:
                scores[docnum] += matcher.score()
        return
    while matcher.is_active():
        docnum = matcher.id()
        if docnum in scores:
            scores[docnum] += matcher.score()
        matcher.next()


def boost_terms(text_query) -> list:
    """The title and subject terms of the query's words: a document found also scores for
    those in its title and subjects (boosted fields)."""
    words = sorted(set(_positive_body_words(text_query))) if text_query is not None else []
    return [whoosh_query.Term(name, word) for name in BOOST_FIELDS for word in words]


def _positive_body_words(query):
    if isinstance(query, Not):
        return
    if isinstance(query, AndNot):
        yield from _positive_body_words(query.a)
        return
    if isinstance(query, Term):
        if query.field == "body":
            yield query.text
        return
    for child in children(query):
        yield from _positive_body_words(child)


def _columns(index_searcher) -> dict:
    cached = getattr(index_searcher, "_legalbase_columns", None)
    if cached is None:
        reader = index_searcher.reader()
        cached = {name: list(reader.column_reader(name)) for name in (*FACETS, "start", "end")}
        index_searcher._legalbase_columns = cached
    return cached


def count_facets(docnums: list[int], columns: dict, as_of: date) -> dict:
    """Per facet, how many of the matching documents carry each value."""
    facets = {}
    for name in FACETS:
        counts = Counter(map(columns[name].__getitem__, docnums))
        facets[name] = {str(value): count for value, count in counts.items()}
    day = date_number(as_of)
    starts = map(columns["start"].__getitem__, docnums)
    ends = map(columns["end"].__getitem__, docnums)
    in_force = sum(start <= day < end for start, end in zip(starts, ends, strict=True))
    facets["in_force"] = {
        state: count
        for state, count in (("true", in_force), ("false", len(docnums) - in_force))
        if count
    }
    return {
        name: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        for name, counts in facets.items()
    }


def _page_of_hits(index_searcher, matches, columns: dict, request: SearchRequest):
    """(docnum, regulation id, score) of the requested page: best score first (ties: index
    order), or the latest in force first for sort=date."""
    limit = request.page * request.per_page
    if request.sort == "date":
        start_of, year_of = columns["start"], columns["year"]
        top = heapq.nsmallest(
            limit,
            matches.items(),
            key=lambda match: (-start_of[match[0]], -year_of[match[0]], match[0]),
        )
    else:
        top = heapq.nsmallest(limit, matches.items(), key=lambda match: (-match[1], match[0]))
    page = top[(request.page - 1) * request.per_page : limit]
    scored = request.sort != "date"
    return [
        (docnum, int(index_searcher.stored_fields(docnum)["id"]), score if scored else None)
        for docnum, score in page
    ]
