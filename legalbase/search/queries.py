"""Searching: the query language (words, "phrases", AND/OR/NOT, jenis:/tahun:/wilayah:,
citations), the filters, the facets and the highlights.

Speed (see bench/search.py): words are matched in the body field only (it holds the title and
subjects too), the title and subject terms adding their boosted scores to the documents found;
a phrase is looked up as word pairs (the `pairs` field) or, when it is an abbreviation's
expansion, as the one synthetic term indexed for it; one pass over the postings gives the
total, the facets (counted from sortable columns) and the page; terms found in most documents
are matched from arrays cached per segment reader (postings.py). Filters are part of the query
(an intersection), so they restrict the matching itself. Highlights are made from the text in
the database, for the page of hits only, reading it word by word until three snippets are
found.

With SEARCH_BACKEND=postgresql, `search` hands the same request to pg_queries.py, which reads
the same parsed query (parse_query, with_filters) and answers in the same shape (hit_items).
"""

import heapq
import html
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from sqlalchemy import select
from whoosh.qparser import FieldAliasPlugin, QueryParser
from whoosh.query import (
    And,
    AndNot,
    Not,
    NullQuery,
    NumericRange,
    Or,
    Phrase,
    Require,
    Term,
)

from ..core import db
from ..core.errors import Invalid
from ..corpus.forms import FORMS
from ..corpus.models import Regulation
from .analysis import JOIN, TOKEN_RE, abbreviations, analyze, pair_term, phrase_term, word_terms
from .backends import uses_postgresql
from .index import NEVER, citation_group, date_number, make_schema, searcher
from .postings import dense_terms

# Words are matched in the body (which holds the title and subjects too); the title and the
# subjects only add their boosted scores to the documents found (see _matches).
FEW_MATCHES = 64
BOOST_FIELDS = ("title", "subjects")
FIELD_ALIASES = {
    "kinds": ["jenis"],
    "year": ["tahun"],
    "regions": ["wilayah"],
    "number": ["nomor"],
    "title": ["judul"],
    "subjects": ["subjek"],
}
ALIASES = {alias for aliases in FIELD_ALIASES.values() for alias in aliases}
CITE_BOOST = 1000.0
HIGHLIGHT_CHARS, SNIPPET_CHARS, SURROUND = 60_000, 240, 60
FACETS = ("form", "year", "province")

# "Perpres 49/2023", "UU 21 tahun 2007", "Peraturan Presiden Nomor 69 Tahun 2008".
_FORM_WORDS = {form.name.lower(): citation_group(code) for code, form in FORMS.items()}
_FORM_WORDS.update(
    {form.abbreviation.lower(): citation_group(code) for code, form in FORMS.items()}
)
_FORM_WORDS.update(
    {
        "peraturan daerah": "perda",
        "permendagri": "permen",
        "peraturan menteri dalam negeri": "permen",
    }
)
_FORM_ALTERNATION = "|".join(
    re.escape(words).replace(r"\ ", r"\s+") for words in sorted(_FORM_WORDS, key=len, reverse=True)
)
CITATION = re.compile(
    rf"\b(?P<form>{_FORM_ALTERNATION})\s+(?:no\.?\s*|nomor\s+)?"
    r"(?:(?P<number>[\w.-]+(?:/[\w.-]+)*?)\s*/\s*(?P<year>(?:19|20)\d\d)"
    r"|(?P<number2>[\w./-]+)\s+tahun\s+(?P<year2>(?:19|20)\d\d))\b",
    re.I | re.A,
)  # ASCII: the form is looked up by its spelling, and "ſ" is no "s" there
FIELD_PREFIX = re.compile(r"(?<![\w.])([A-Za-z_]+):")


@dataclass
class SearchRequest:
    """What a search asks for (the API's query string, parsed)."""

    q: str = ""
    form: str | None = None
    region: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    in_force: bool | None = None
    as_of: date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20


@dataclass
class SearchResult:
    total: int
    items: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)


def search(request: SearchRequest) -> SearchResult:
    """Run a search: the page of hits with highlights, the total and the facets (with the
    configured backend: the same query language, filters, facets and highlights)."""
    if uses_postgresql():
        from .pg_queries import search as search_postgresql

        return search_postgresql(request)
    as_of = request.as_of or date.today()
    text_query = parse_query(request.q)
    query = with_filters(text_query, request, as_of)
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


def parse_query(text: str):
    """The Whoosh query of a user's query string; Invalid (422) when it cannot be read."""
    text = " ".join((text or "").split())
    if not text:
        return None
    _refuse_malformed(text)
    citations, rest = _split_citations(text)
    rest_query = _parse_words(rest) if rest.strip(" ,;") else None
    if not citations:
        if rest_query is None:
            raise Invalid("Kueri tidak berisi kata yang dapat dicari.", {"q": text})
        return rest_query
    parts = [citation_query(*citation) for citation in citations]
    exact = Or([part[0] for part in parts])
    citing = Or([part[1] for part in parts])
    return Or([exact, And([citing, rest_query]) if rest_query else citing])


def _refuse_malformed(text: str) -> None:
    if text.count('"') % 2:
        raise Invalid('Tanda kutip (") dalam kueri tidak berpasangan.', {"q": text})
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    if depth:
        raise Invalid("Tanda kurung dalam kueri tidak berpasangan.", {"q": text})
    outside_quotes = re.sub(r'"[^"]*"', " ", text)
    unknown = sorted(
        {name for name in FIELD_PREFIX.findall(outside_quotes) if name.lower() not in ALIASES}
    )
    if unknown:
        known = ", ".join(f"{alias}:" for alias in sorted(ALIASES))
        raise Invalid(
            f"Kolom pencarian tidak dikenal: {', '.join(unknown)}. Gunakan {known}",
            {"q": text, "unknown_fields": unknown},
        )


def _split_citations(text: str) -> tuple[list, str]:
    citations = []
    for match in CITATION.finditer(text):
        group = _FORM_WORDS[" ".join(match["form"].lower().split())]
        number = (match["number"] or match["number2"]).lower()
        year = int(match["year"] or match["year2"])
        citations.append((group, number, year))
    return citations, CITATION.sub(" ", text)


def citation_query(group: str, number: str, year: int) -> tuple:
    """(the query finding the cited regulation itself, the query finding texts citing it)."""
    exact = Term("cite", f"{group}:{number}:{year}", boost=CITE_BOOST)
    spelled = [name for name, grp in _FORM_WORDS.items() if grp == group and name != group]
    phrases = [f"{name} nomor {number} tahun {year}" for name in spelled[:2]]
    phrases.append(f"{group} {number}/{year}")
    citing = [_rewrite(Phrase("body", terms)) for terms in map(analyze, phrases) if len(terms) > 1]
    return exact, Or(citing) if citing else NullQuery


_parsers = threading.local()


def _parser():
    """The query parser, made once per thread and schema (making one costs more than parsing)."""
    schema = query_schema()
    cached = getattr(_parsers, "parser", None)
    if cached is None or cached[0] is not schema:
        parser = QueryParser("body", schema)
        parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
        cached = _parsers.parser = (schema, parser)
    return cached[1]


def _parse_words(text: str):
    try:
        parsed = _parser().parse(text)
    except (IndexError, AssertionError):
        # Whoosh 2.7.4 fails on an operator with nothing to apply to ("NOT AND pajak").
        raise Invalid(
            "Kueri tidak dapat dibaca: operator AND, OR dan NOT harus diikuti kata "
            "yang dicari, misalnya pajak AND NOT hotel.",
            {"q": text},
        ) from None
    query = parsed.accept(_rewrite)
    errors = [str(error) for error in _errors(query)]
    if errors:
        raise Invalid(
            "Kueri tidak dapat dibaca: ada nilai kolom yang tidak sah (tahun: harus "
            "berupa bilangan, misalnya tahun:2023 atau tahun:[2020 TO 2023]).",
            {"q": text, "problems": errors},
        )
    if query is NullQuery or isinstance(query, type(NullQuery)):
        return None
    return query


def boost_terms(text_query) -> list:
    """The title and subject terms of the query's words: a document found also scores for
    those in its title and subjects (boosted fields)."""
    words = sorted(set(_positive_body_words(text_query))) if text_query is not None else []
    return [Term(name, word) for name in BOOST_FIELDS for word in words]


def _positive_body_words(query):
    if isinstance(query, Not):
        return
    if isinstance(query, AndNot):
        yield from _positive_body_words(query.a)
        return
    if isinstance(query, Term):
        if query.fieldname == "body":
            yield query.text
        return
    if isinstance(query, Phrase):
        return
    for child in query.children():
        yield from _positive_body_words(child)


def _rewrite(query):
    """Phrases as term lookups: a phrase that is exactly an abbreviation's expansion becomes the
    one synthetic term indexed for it; another phrase on the body, all its word pairs. And
    `a REQUIRE b` as `a AND b` (Whoosh 2.7.4's Require also returns documents without b)."""
    if isinstance(query, Require):
        return And([query.a, query.b], boost=query.boost)
    if not isinstance(query, Phrase):
        return query
    if not query_schema()[query.fieldname].format.supports("positions"):
        # Whoosh fails when it runs a phrase on a keyword field (jenis:, wilayah:).
        raise Invalid(
            "Tanda kutip tidak dapat dipakai pada kolom jenis: dan wilayah:; tulis "
            "satu nilai, misalnya jenis:perda atau wilayah:16.71.",
            {"field": FIELD_ALIASES.get(query.fieldname, [query.fieldname])[0]},
        )
    if query.slop != 1 or len(query.words) < 2:
        return query
    words = tuple(query.words)
    if words in _expansions():
        return Term(query.fieldname, phrase_term(words), boost=query.boost)
    if query.fieldname == "body":
        pairs = sorted({pair_term(*pair) for pair in zip(words, words[1:], strict=False)})
        if len(pairs) == 1:
            return Term("pairs", pairs[0], boost=query.boost)
        return And([Term("pairs", pair) for pair in pairs], boost=query.boost)
    return query


def _expansions() -> frozenset:
    return frozenset(words for words in abbreviations().values() if len(words) > 1)


def _errors(query):
    if getattr(query, "error", None):
        yield query.error
    for child in query.children():
        yield from _errors(child)


@cache
def query_schema():
    """The fields queries are parsed against (the same for both backends)."""
    return make_schema()


def with_filters(query, request: SearchRequest, as_of: date):
    """`query` restricted by the API's filters (None: every live record)."""
    filters = []
    if request.form:
        filters.append(Term("form", request.form))
    if request.region:
        filters.append(Term("regions", request.region.lower()))
    if request.year_from or request.year_to:
        filters.append(NumericRange("year", request.year_from or 0, request.year_to or 9999))
    if request.in_force is True:
        filters.append(in_force_query(as_of))
    combined = (
        And([part for part in [query, *filters] if part is not None])
        if (query is not None or filters)
        else None
    )
    if combined is None:
        from whoosh.query import Every

        combined = Every()
    if request.in_force is False:
        combined = AndNot(combined, in_force_query(as_of))
    return combined


def in_force_query(as_of: date):
    """Documents in force on `as_of`: started, and not yet ended (period or revocation)."""
    day = date_number(as_of)
    # Explicit bounds on both sides (Whoosh 2.7.4 mis-answers ranges on unsigned fields).
    return And([NumericRange("start", 0, day), NumericRange("end", day + 1, NEVER)])


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


def highlight_terms(query) -> frozenset:
    """The analysed words a query matches in the text (what highlights mark)."""
    if query is None:
        return frozenset()
    terms = set()
    for fieldname, text in query.iter_all_terms():
        if fieldname in ("title", "body"):
            text = text.decode("utf-8") if isinstance(text, bytes) else text
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
    matched = {}
    windows = []  # [start, end, [(start, end) of each match]]
    for found in TOKEN_RE.finditer(text, 0, limit):
        word = found.group().lower()
        hit = matched.get(word)
        if hit is None:
            hit = matched[word] = not terms.isdisjoint(word_terms(word))
        if not hit:
            continue
        start, end = found.span()
        if windows and end <= windows[-1][0] + SNIPPET_CHARS - SURROUND:
            windows[-1][1] = end
            windows[-1][2].append((start, end))
            continue
        if len(windows) == top:
            break
        windows.append([start, end, [(start, end)]])
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
