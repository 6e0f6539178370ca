"""Searching with the PostgreSQL backend: the query parsed as for any backend (the same query
language, citations and filters: query_language.parse_query and with_filters), translated to
one SQL condition over `search_documents` (index.py).

- Terms, pairs, keys and their AND/OR/NOT become one tsquery per vector column, so that a query
  is one or two GIN lookups; year and in-force filters compare columns. A word of the title
  (`judul:`) or the subjects (`subjek:`) is its lexeme restricted to weight A or C; a phrase on
  them, its lexemes at consecutive positions (`<->`); a phrase on the body, its word pairs
  (rewritten so by query_language.py, as for Whoosh). Wildcards and term ranges, which Whoosh
  expands against its lexicon, read the lexemes of the documents a GIN prefix lookup leaves.
- Ranking: `ts_rank` of the query's words over the weighted terms (a title occurrence weighs
  four times a text one, a subject three times: Whoosh's body + boosted field), a citation of
  the record itself adding CITE_BOOST, as in Whoosh.
- The total and the facets come from one grouped count; the page from one ordered query;
  highlights from the database text, as for Whoosh (highlights.hit_items).
"""

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    and_,
    any_,
    case,
    exists,
    false,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy import true as sql_true
from sqlalchemy.dialects.postgresql import TSQUERY

from ...core import db
from ..documents import date_number
from ..highlights import highlight_terms, hit_items
from ..query_language import CITE_BOOST, SearchRequest, SearchResult, parse_query, with_filters
from ..query_nodes import (
    NULL,
    And,
    AndMaybe,
    AndNot,
    Error,
    Every,
    Not,
    NumericRange,
    Or,
    Phrase,
    Prefix,
    Term,
    TermRange,
    Wildcard,
    children,
)
from ..query_syntax import whole_number
from .database import require_postgresql
from .index import KEY_FIELDS, MAX_LEXEME_BYTES, TABLE, key_lexeme, quote

# Weights of ts_rank, in PostgreSQL's order D (text), C (subjects), B (keys), A (title).
RANK_WEIGHTS = "{0.25, 0.75, 0.5, 1.0}"
# Not divided by the document's length: on the judged queries of bench/search.py, dividing by
# 1 + its logarithm (1), by its length (2) or by its distinct words (8) each ranked worse.
RANK_NORMALIZATION = 0
TEXT_WEIGHTS = {"body": "", "title": "A", "subjects": "C"}  # what each text field may match
BODY_WEIGHTS = "ACD"  # every weight but the keys'
NUMERIC_COLUMNS = {"year": TABLE.c.year, "start": TABLE.c.starts, "end": TABLE.c.ends}
MAX_SLOP = 10
WILDCARDS = str.maketrans({"\\": "\\\\", "%": "\\%", "_": "\\_", "*": "%", "?": "_"})


@dataclass(frozen=True)
class Match:
    """A tsquery on one vector column (`terms` or `pairs`), kept as text so that siblings on
    the same column merge into one tsquery."""

    column: str
    query: str


def search(request: SearchRequest) -> SearchResult:
    """Run a search on `search_documents`: the page of hits with highlights, the total and the
    facets."""
    require_postgresql()
    as_of = request.as_of or date.today()
    text_query = parse_query(request.q)
    condition = as_sql(translate(with_filters(text_query, request, as_of)))
    day = date_number(as_of)
    with index_scans():
        total, facets = count_facets(condition, day)
        hits = page_of_hits(condition, text_query, request, day) if total else []
    return SearchResult(
        total=total, facets=facets, items=hit_items(hits, highlight_terms(text_query))
    )


@contextmanager
def index_scans():
    """Within the block, no sequential scan where an index serves, and no JIT compilation.

    PostgreSQL prices a sequential scan of `search_documents` by its small rows, not by the
    large vectors each row's @@ then reads from TOAST: it would read every vector rather than
    look the lexemes up in the GIN index (125 ms against 2 ms for a phrase on 10,000 records).
    The settings are the transaction's own and are put back after the block."""
    previous = db.session.execute(
        text(
            "SELECT current_setting('enable_seqscan'), current_setting('jit'), "
            "set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)"
        )
    ).one()
    yield
    # (After an error the transaction is rolled back, and the settings with it.)
    db.session.execute(
        text("SELECT set_config('enable_seqscan', :seqscan, true), set_config('jit', :jit, true)"),
        {"seqscan": previous[0], "jit": previous[1]},
    )


def in_force(day: int):
    """Whether a document is in force on `day` (YYYYMMDD): started and not yet ended."""
    return and_(TABLE.c.starts <= day, TABLE.c.ends > day)


def count_facets(condition, day: int) -> tuple[int, dict]:
    """The total and, per facet, how many matching documents carry each value: one scan,
    grouped by each facet in turn (GROUPING SETS)."""
    current = in_force(day).label("in_force")
    facets = {
        "form": TABLE.c.form,
        "year": TABLE.c.year,
        "province": TABLE.c.province,
        "in_force": current,
    }
    groups = func.grouping_sets(*(tuple_(column) for column in facets.values()))
    query = select(*facets.values(), func.count()).where(condition).group_by(groups)
    counted: dict[str, Counter] = {name: Counter() for name in facets}
    for *values, count in db.session.execute(query):
        # Each row counts one facet's value; the other columns are NULL (none is nullable).
        name, value = next(
            (name, value) for name, value in zip(facets, values, strict=True) if value is not None
        )
        counted[name][_facet_value(value)] += count
    total = sum(counted["in_force"].values())
    return total, {
        name: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        for name, counts in counted.items()
    }


def _facet_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def page_of_hits(condition, text_query, request: SearchRequest, day: int) -> list[tuple]:
    """(regulation id, score, in force) of the requested page: best score first (ties: by id),
    or the latest in force first for sort=date."""
    if request.sort == "date":
        score = literal(None)
        order: tuple = (TABLE.c.starts.desc(), TABLE.c.year.desc(), TABLE.c.regulation_id)
    else:
        score = relevance(text_query)
        order = (score.desc(), TABLE.c.regulation_id)
    query = (
        select(TABLE.c.regulation_id, score.label("score"), in_force(day))
        .where(condition)
        .order_by(*order)
        .limit(request.per_page)
        .offset((request.page - 1) * request.per_page)
    )
    return [tuple(row) for row in db.session.execute(query)]


def relevance(text_query):
    """The score of a document: ts_rank of the query's words over its weighted terms, plus
    CITE_BOOST when it is the regulation a citation in the query names."""
    words = sorted(set(positive_words(text_query))) if text_query is not None else []
    weights = literal_column(f"'{RANK_WEIGHTS}'::float4[]")
    score = (
        func.ts_rank(weights, TABLE.c.terms, tsquery(" | ".join(words)), RANK_NORMALIZATION)
        if words
        else literal(0.0)
    )
    cited = sorted(set(cited_keys(text_query))) if text_query is not None else []
    if cited:
        score = score + case((matches("terms", " | ".join(cited)), CITE_BOOST), else_=0.0)
    return score


def positive_words(query):
    """The tsquery atoms of the words a query asks for (not those it excludes): terms and
    prefixes of the text fields, and the words of phrases and pairs."""
    if isinstance(query, Not):
        return
    if isinstance(query, AndNot):
        yield from positive_words(query.a)
        return
    fieldname = getattr(query, "field", None)
    if isinstance(query, Term) and fieldname in TEXT_WEIGHTS:
        yield from _atoms([query.text])
    elif isinstance(query, Term) and fieldname == "pairs":
        yield from _atoms(query.text.split(" "))
    elif isinstance(query, Phrase) and fieldname in TEXT_WEIGHTS:
        yield from _atoms(query.words)
    elif isinstance(query, Prefix) and fieldname in TEXT_WEIGHTS and query.text:
        yield from (f"{atom}:*" for atom in _atoms([query.text]))
    else:
        for child in children(query):
            yield from positive_words(child)


def cited_keys(query):
    """The tsquery atoms of the citation keys a query asks for."""
    if isinstance(query, Not):
        return
    if isinstance(query, Term) and query.field == "cite":
        yield from _atoms([key_lexeme("cite", query.text)])
        return
    for child in children(query):
        yield from cited_keys(child)


def _atoms(lexemes):
    return (atom for atom in map(tsquery_atom, lexemes) if atom is not None)


# --- translation ----------------------------------------------------------------------------


def translate(query):
    """A parsed query (with its filters) as a Match or a SQL condition."""
    if isinstance(query, And):
        return conjunction([translate(child) for child in query.children])
    if isinstance(query, Or):
        return disjunction([translate(child) for child in query.children])
    if isinstance(query, AndNot):
        return conjunction([translate(query.a), negation(translate(query.b))])
    if isinstance(query, AndMaybe):  # the second part only adds to the score
        return translate(query.a)
    if isinstance(query, Not):
        return negation(translate(query.query))
    if isinstance(query, Every):
        return sql_true()
    if query is NULL or isinstance(query, Error):
        return false()
    for kind, translator in LEAVES:
        if isinstance(query, kind):
            return translator(query)
    raise TypeError(f"no SQL translation for {query!r}")


def conjunction(parts: list):
    """All of `parts`: the Matches on one column merged into one tsquery."""
    by_column: dict[str, list] = {}
    conditions: list = []
    for part in parts:
        if isinstance(part, Match):
            by_column.setdefault(part.column, []).append(part.query)
        else:
            conditions.append(part)
    merged = [Match(column, _joined(" & ", queries)) for column, queries in by_column.items()]
    if len(merged) == 1 and not conditions:
        return merged[0]
    combined = [*map(as_sql, merged), *conditions]
    return and_(*combined) if combined else sql_true()


def disjunction(parts: list):
    """Any of `parts`: one tsquery when they are all Matches on one column."""
    columns = {part.column for part in parts if isinstance(part, Match)}
    if parts and len(columns) == 1 and all(isinstance(part, Match) for part in parts):
        return Match(columns.pop(), _joined(" | ", [part.query for part in parts]))
    return or_(*map(as_sql, parts)) if parts else false()


def negation(part):
    """Not `part`."""
    if isinstance(part, Match):
        return Match(part.column, f"!({part.query})")
    return not_(part)


def _joined(operator: str, queries: list[str]) -> str:
    return queries[0] if len(queries) == 1 else operator.join(f"({query})" for query in queries)


def as_sql(part):
    """A Match or a SQL condition as a SQL condition."""
    return matches(part.column, part.query) if isinstance(part, Match) else part


def matches(column: str, query: str):
    """`column @@ query` (tsquery text, bound as a parameter)."""
    return TABLE.c[column].bool_op("@@")(tsquery(query))


def tsquery(query: str):
    """`query` (tsquery text) as a bound tsquery."""
    return literal(query, TSQUERY)


def tsquery_atom(lexeme: str, suffix: str = "") -> str | None:
    """A lexeme as tsquery text with its `suffix` (weights, prefix mark); None when no
    document can hold it (empty, NUL, too long for PostgreSQL)."""
    if not lexeme or "\x00" in lexeme or len(lexeme.encode("utf-8")) > MAX_LEXEME_BYTES:
        return None
    return f"{quote(lexeme)}:{suffix}" if suffix else quote(lexeme)


def _match_or_nothing(column: str, atom: str | None):
    return Match(column, atom) if atom is not None else false()


def term(query: Term):
    """A term of a text field (weight-restricted for the title and subjects), a word pair, a
    key (tagged lexeme), or a form or year (columns)."""
    fieldname = query.field
    if fieldname == "year":
        return year_is(query.text)
    text = str(query.text)
    if fieldname in TEXT_WEIGHTS:
        if ":" in text:  # only keys hold a colon
            return false()
        return _match_or_nothing("terms", tsquery_atom(text, TEXT_WEIGHTS[fieldname]))
    if fieldname == "pairs":
        return _match_or_nothing("pairs", tsquery_atom(text))
    if fieldname in KEY_FIELDS:
        return _match_or_nothing("terms", tsquery_atom(key_lexeme(fieldname, text)))
    if fieldname == "form":
        return TABLE.c.form == text
    return false()


def year_is(value):
    """The year column equal to a year term (a parsed number, or the digits of a phrase)."""
    number = whole_number(value)
    return false() if number is None else TABLE.c.year == number


def phrase(query: Phrase):
    """Words at consecutive positions (`<->`), or each next one within `slop` positions."""
    weight = TEXT_WEIGHTS.get(query.field)
    if weight is None:
        return false()
    found = [tsquery_atom(word, weight) for word in query.words]
    atoms = [atom for atom in found if atom is not None]
    if not atoms or len(atoms) < len(found):
        return false()
    if query.slop <= 1 or len(atoms) == 1:
        return Match("terms", " <-> ".join(atoms))
    # Each next word within `slop` of the one before (Whoosh's SpanNear), pair by pair.
    reach = range(1, min(query.slop, MAX_SLOP) + 1)
    return Match(
        "terms",
        " & ".join(
            "(" + " | ".join(f"{first} <{distance}> {second}" for distance in reach) + ")"
            for first, second in zip(atoms, atoms[1:], strict=False)
        ),
    )


def prefix(query: Prefix):
    """Lexemes starting with the text: of the field's weights, or of the field's keys."""
    fieldname, text = query.field, query.text
    if fieldname in TEXT_WEIGHTS:
        return (
            _match_or_nothing(
                "terms", tsquery_atom(text, "*" + (TEXT_WEIGHTS[fieldname] or BODY_WEIGHTS))
            )
            if text
            else sql_true()
        )
    if fieldname in KEY_FIELDS:
        return _match_or_nothing("terms", tsquery_atom(key_lexeme(fieldname, text), "*"))
    return false()


def wildcard(query: Wildcard):
    """Documents holding a lexeme of the field that the pattern (* and ?) matches."""
    if "\x00" in query.text:
        return false()
    pattern = query.text.translate(WILDCARDS)
    literal_start = query.text.split("*")[0].split("?")[0]
    narrowed = prefix(Prefix(query.field, literal_start))
    if query.field in KEY_FIELDS:
        pattern = key_lexeme(query.field, pattern)
    return and_(
        as_sql(narrowed),
        _lexicon(query.field, lambda lexeme: lexeme.like(pattern, escape="\\")),
    )


def term_range(query: TermRange):
    """Documents holding a lexeme of the field between the bounds (in byte order, as Whoosh)."""
    fieldname = query.field
    if any("\x00" in bound for bound in (query.start, query.end) if bound is not None):
        return false()

    def within(lexeme):
        lexeme = lexeme.collate("C")
        bounds = []
        if query.start is not None:
            low = key_lexeme(fieldname, query.start) if fieldname in KEY_FIELDS else query.start
            bounds.append(lexeme > low if query.startexcl else lexeme >= low)
        if query.end is not None:
            high = key_lexeme(fieldname, query.end) if fieldname in KEY_FIELDS else query.end
            bounds.append(lexeme < high if query.endexcl else lexeme <= high)
        if fieldname in KEY_FIELDS:
            bounds.append(lexeme.startswith(key_lexeme(fieldname, ""), autoescape=True))
        return and_(*bounds) if bounds else sql_true()

    return _lexicon(fieldname, within)


def _lexicon(fieldname: str, test):
    """Whether the document holds a lexeme of `fieldname` passing `test` (a lexicon read, as
    Whoosh expands these queries: only for the rare wildcard and range)."""
    if fieldname not in TEXT_WEIGHTS and fieldname not in KEY_FIELDS:
        return false()
    lexemes = (
        func.unnest(TABLE.c.terms).table_valued("lexeme", "positions", "weights").alias("lexemes")
    )
    condition = [test(lexemes.c.lexeme)]
    weight = TEXT_WEIGHTS.get(fieldname)
    if weight is not None:
        condition.append(func.strpos(lexemes.c.lexeme, ":") == 0)
    if weight:
        condition.append(literal(weight) == any_(lexemes.c.weights))
    return exists(select(1).select_from(lexemes).where(*condition))


def numeric_range(query: NumericRange):
    """A year or date range on its column (bounds may be open)."""
    column = NUMERIC_COLUMNS.get(query.field)
    if column is None:
        return false()
    bounds = []
    if query.start is not None:
        bounds.append(column > query.start if query.startexcl else column >= query.start)
    if query.end is not None:
        bounds.append(column < query.end if query.endexcl else column <= query.end)
    return and_(*bounds) if bounds else sql_true()


LEAVES = (
    (Term, term),
    (Phrase, phrase),
    (Prefix, prefix),
    (Wildcard, wildcard),
    (TermRange, term_range),
    (NumericRange, numeric_range),
)
