"""Searching: the query language (words, "phrases", AND/OR/NOT, jenis:/tahun:/wilayah:,
citations), the filters, the facets and the highlights.

Filters are part of the query (an intersection), so they restrict the matching itself. Facets
are counted over every matching document from sortable columns, without scoring. Highlights
are made from the text in the database, for the page of hits only.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from sqlalchemy import select
from whoosh import highlight
from whoosh.qparser import FieldAliasPlugin, MultifieldParser
from whoosh.query import And, AndNot, NullQuery, NumericRange, Or, Phrase, Term
from whoosh.sorting import FieldFacet

from .. import db
from ..corpus.forms import FORMS
from ..corpus.models import Regulation
from ..errors import Invalid
from .analysis import IndonesianAnalyzer, analyze
from .index import NEVER, citation_group, date_number, searcher

TEXT_FIELDS = ("title", "body", "subjects")
FIELD_ALIASES = {"kinds": ["jenis"], "year": ["tahun"], "regions": ["wilayah"],
                 "number": ["nomor"], "title": ["judul"], "subjects": ["subjek"]}
ALIASES = {alias for aliases in FIELD_ALIASES.values() for alias in aliases}
CITE_BOOST = 1000.0
HIGHLIGHT_HEAD, HIGHLIGHT_CHARS = 8_000, 60_000
FACETS = ("form", "year", "province")

# "Perpres 49/2023", "UU 21 tahun 2007", "Peraturan Presiden Nomor 69 Tahun 2008".
_FORM_WORDS = {form.name.lower(): citation_group(code) for code, form in FORMS.items()}
_FORM_WORDS.update({form.abbreviation.lower(): citation_group(code)
                    for code, form in FORMS.items()})
_FORM_WORDS.update({"peraturan daerah": "perda", "permendagri": "permen",
                    "peraturan menteri dalam negeri": "permen"})
_FORM_ALTERNATION = "|".join(re.escape(words).replace(r"\ ", r"\s+")
                             for words in sorted(_FORM_WORDS, key=len, reverse=True))
CITATION = re.compile(
    rf"\b(?P<form>{_FORM_ALTERNATION})\s+(?:no\.?\s*|nomor\s+)?"
    r"(?:(?P<number>[\w.-]+(?:/[\w.-]+)*?)\s*/\s*(?P<year>(?:19|20)\d\d)"
    r"|(?P<number2>[\w./-]+)\s+tahun\s+(?P<year2>(?:19|20)\d\d))\b", re.I)
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
    """Run a search: the page of hits with highlights, the total and the facets."""
    as_of = request.as_of or date.today()
    text_query = parse_query(request.q)
    query = with_filters(text_query, request, as_of)
    index_searcher = searcher()
    columns = _columns(index_searcher)
    docnums = list(index_searcher.docs_for_query(query))
    result = SearchResult(total=len(docnums), facets=count_facets(docnums, columns, as_of))
    hits = _page_of_hits(index_searcher, query, request)
    result.items = _items(hits, columns, as_of, highlight_terms(text_query))
    return result


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
    unknown = sorted({name for name in FIELD_PREFIX.findall(outside_quotes)
                      if name.lower() not in ALIASES})
    if unknown:
        known = ", ".join(f"{alias}:" for alias in sorted(ALIASES))
        raise Invalid(f"Kolom pencarian tidak dikenal: {', '.join(unknown)}. Gunakan {known}",
                      {"q": text, "unknown_fields": unknown})


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
    citing = [Phrase("body", terms) for terms in map(analyze, phrases) if len(terms) > 1]
    return exact, Or(citing) if citing else NullQuery


def _parse_words(text: str):
    parser = MultifieldParser(list(TEXT_FIELDS), _schema())
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    query = parser.parse(text)
    errors = [str(error) for error in _errors(query)]
    if errors:
        raise Invalid("Kueri tidak dapat dibaca: ada nilai kolom yang tidak sah (tahun: harus "
                      "berupa bilangan, misalnya tahun:2023 atau tahun:[2020 TO 2023]).",
                      {"q": text, "problems": errors})
    if query is NullQuery or isinstance(query, type(NullQuery)):
        return None
    return query


def _errors(query):
    if getattr(query, "error", None):
        yield query.error
    for child in query.children():
        yield from _errors(child)


def _schema():
    return searcher().schema


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
    combined = And([part for part in [query, *filters] if part is not None]) \
        if (query is not None or filters) else None
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
        cached = {name: list(reader.column_reader(name))
                  for name in (*FACETS, "start", "end")}
        index_searcher._legalbase_columns = cached
    return cached


def count_facets(docnums: list[int], columns: dict, as_of: date) -> dict:
    """Per facet, how many of the matching documents carry each value."""
    facets = {name: {} for name in (*FACETS, "in_force")}
    day = date_number(as_of)
    for docnum in docnums:
        for name in FACETS:
            value = str(columns[name][docnum])
            facets[name][value] = facets[name].get(value, 0) + 1
        state = "true" if columns["start"][docnum] <= day < columns["end"][docnum] else "false"
        facets["in_force"][state] = facets["in_force"].get(state, 0) + 1
    return {name: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
            for name, counts in facets.items()}


def _page_of_hits(index_searcher, query, request: SearchRequest):
    limit = request.page * request.per_page
    if request.sort == "date":
        sort = [FieldFacet("start", reverse=True), FieldFacet("year", reverse=True)]
        results = index_searcher.search(query, limit=limit, sortedby=sort)
    else:
        results = index_searcher.search(query, limit=limit)
    start = (request.page - 1) * request.per_page
    scored = request.sort != "date"
    return [(hit.docnum, int(hit["id"]), hit.score if scored else None)
            for hit in results[start:limit]]


def highlight_terms(query) -> frozenset:
    """The analysed words a query matches in the text (what highlights mark)."""
    if query is None:
        return frozenset()
    return frozenset(text.decode("utf-8") if isinstance(text, bytes) else text
                     for fieldname, text in query.iter_all_terms()
                     if fieldname in ("title", "body"))


def _items(hits, columns: dict, as_of: date, terms: frozenset) -> list[dict]:
    ids = [regulation_id for _, regulation_id, _ in hits]
    rows = {row.id: row for row in db.session.execute(
        select(Regulation.id, Regulation.title, Regulation.form, Regulation.number,
               Regulation.year, Regulation.region_code, Regulation.text)
        .where(Regulation.id.in_(ids), Regulation.withdrawn_at.is_(None)))}
    day = date_number(as_of)
    items = []
    for docnum, regulation_id, score in hits:
        row = rows.get(regulation_id)
        if row is None:  # withdrawn since the index saw it: the database wins
            continue
        items.append({
            "id": row.id, "title": row.title, "form": row.form, "number": row.number,
            "year": row.year, "region_code": row.region_code,
            "in_force": columns["start"][docnum] <= day < columns["end"][docnum],
            "score": round(score, 4) if score is not None else None,
            "highlights": highlights(row.text, terms),
        })
    return items


class _SnippetFormatter(highlight.HtmlFormatter):
    """Whoosh's HTML formatter, giving each snippet separately, matches in <mark>."""

    def __init__(self):
        super().__init__(tagname="mark", classname="", termclass="", between="")

    def format_token(self, text, token, replace=False):
        return f"<mark>{highlight.htmlescape(highlight.get_text(text, token, replace))}</mark>"

    def format(self, fragments, replace=False):
        return [self.format_fragment(fragment, replace=replace) for fragment in fragments]


def highlights(text: str | None, terms: frozenset, top: int = 3) -> list[str]:
    """Up to `top` snippets of `text` with the matched words marked <mark>...</mark>."""
    if not text or not terms:
        return []
    # The head of the text first (where a match usually is: analysing costs per character),
    # then the rest up to HIGHLIGHT_CHARS when the head held none.
    for part in (text[:HIGHLIGHT_HEAD], text[HIGHLIGHT_HEAD:HIGHLIGHT_CHARS]):
        fragmenter = highlight.ContextFragmenter(maxchars=240, surround=60)
        snippets = highlight.highlight(part, terms, _highlight_analyzer(), fragmenter,
                                       _SnippetFormatter(), top=top)
        if snippets:
            return [" ".join(snippet.split()) for snippet in snippets]
    return []


@cache
def _highlight_analyzer():
    return IndonesianAnalyzer()
