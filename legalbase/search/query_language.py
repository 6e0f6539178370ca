"""The query language, the same on both backends: what a search asks for (SearchRequest) and
answers (SearchResult), a query string read into a query (words, "phrases", AND/OR/NOT,
jenis:/tahun:/wilayah:/nomor:/judul:/subjek:, citations such as "Perpres 49/2023"), and the
API's filters added to it.

A phrase is looked up as word pairs (the `pairs` field) or, when it is an abbreviation's
expansion, as the one synthetic term indexed for it; a citation as the cited regulation's key
(boosted far above any text match) or as texts citing it.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from ..core.errors import Invalid
from ..corpus.forms import FORMS
from .analysis import abbreviations, analyze, pair_term, phrase_term
from .documents import NEVER, POSITIONAL, citation_group, date_number
from .query_nodes import (
    BINARY,
    COMPOUNDS,
    NULL,
    And,
    AndNot,
    Every,
    Not,
    NumericRange,
    Or,
    Phrase,
    Require,
    Term,
    errors,
    normalize,
)
from .query_syntax import OperatorWithoutOperand, parse

FIELD_ALIASES = {
    "kinds": ["jenis"],
    "year": ["tahun"],
    "regions": ["wilayah"],
    "number": ["nomor"],
    "title": ["judul"],
    "subjects": ["subjek"],
}
ALIASES = {alias: name for name, aliases in FIELD_ALIASES.items() for alias in aliases}
CITE_BOOST = 1000.0

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
    """A page of hits (API items, highlights included), the total and the facets."""

    total: int
    items: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)


def parse_query(text: str):
    """The query of a user's query string (None when empty); Invalid (422) when it cannot be
    read."""
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
    exact = Or(tuple(part[0] for part in parts))
    citing = Or(tuple(part[1] for part in parts))
    return Or((exact, And((citing, rest_query)) if rest_query else citing))


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
    exact = Term("cite", f"{group}:{number}:{year}", CITE_BOOST)
    spelled = [name for name, grp in _FORM_WORDS.items() if grp == group and name != group]
    phrases = [f"{name} nomor {number} tahun {year}" for name in spelled[:2]]
    phrases.append(f"{group} {number}/{year}")
    citing = [
        _rewrite(Phrase("body", tuple(terms))) for terms in map(analyze, phrases) if len(terms) > 1
    ]
    return exact, Or(tuple(citing)) if citing else NULL


def _parse_words(text: str):
    try:
        parsed = parse(text, ALIASES)
    except OperatorWithoutOperand:
        raise Invalid(
            "Kueri tidak dapat dibaca: operator AND, OR dan NOT harus diikuti kata "
            "yang dicari, misalnya pajak AND NOT hotel.",
            {"q": text},
        ) from None
    query = rewritten(normalize(parsed))
    problems = errors(query)
    if problems:
        raise Invalid(
            "Kueri tidak dapat dibaca: ada nilai kolom yang tidak sah (tahun: harus "
            "berupa bilangan, misalnya tahun:2023 atau tahun:[2020 TO 2023]).",
            {"q": text, "problems": problems},
        )
    return None if query is NULL else query


def rewritten(node):
    """`node` with each part rewritten (`_rewrite`), from the leaves up."""
    if isinstance(node, COMPOUNDS):
        node = type(node)(tuple(map(rewritten, node.children)), node.boost)
    elif isinstance(node, BINARY):
        node = type(node)(rewritten(node.a), rewritten(node.b))
    elif isinstance(node, Not):
        node = Not(rewritten(node.query))
    return _rewrite(node)


def _rewrite(node):
    """Phrases as term lookups: a phrase that is exactly an abbreviation's expansion becomes the
    one synthetic term indexed for it; another phrase on the body, all its word pairs. And
    `a REQUIRE b` as `a AND b` (Whoosh 2.7.4's Require also returned documents without b)."""
    if isinstance(node, Require):
        return And((node.a, node.b))
    if not isinstance(node, Phrase):
        return node
    if node.field not in POSITIONAL:
        raise Invalid(
            "Tanda kutip tidak dapat dipakai pada kolom jenis: dan wilayah:; tulis "
            "satu nilai, misalnya jenis:perda atau wilayah:16.71.",
            {"field": FIELD_ALIASES.get(node.field, [node.field])[0]},
        )
    words = node.words
    if node.slop != 1 or len(words) < 2:
        return node
    if words in _expansions():
        return Term(node.field, phrase_term(words), node.boost)
    if node.field == "body":
        pairs = sorted({pair_term(*pair) for pair in zip(words, words[1:], strict=False)})
        if len(pairs) == 1:
            return Term("pairs", pairs[0], node.boost)
        return And(tuple(Term("pairs", pair) for pair in pairs), node.boost)
    return node


def _expansions() -> frozenset:
    return frozenset(words for words in abbreviations().values() if len(words) > 1)


def with_filters(query, request: SearchRequest, as_of: date):
    """`query` restricted by the API's filters (None: every live record)."""
    filters: list = []
    if request.form:
        filters.append(Term("form", request.form))
    if request.region:
        filters.append(Term("regions", request.region.lower()))
    if request.year_from or request.year_to:
        filters.append(NumericRange("year", request.year_from or 0, request.year_to or 9999))
    if request.in_force is True:
        filters.append(in_force_query(as_of))
    parts = tuple(part for part in (query, *filters) if part is not None)
    combined: And | AndNot | Every = And(parts) if parts else Every()
    if request.in_force is False:
        combined = AndNot(combined, in_force_query(as_of))
    return combined


def in_force_query(as_of: date):
    """Documents in force on `as_of`: started, and not yet ended (period or revocation)."""
    day = date_number(as_of)
    # Explicit bounds on both sides (Whoosh 2.7.4 mis-answers ranges on unsigned fields).
    return And((NumericRange("start", 0, day), NumericRange("end", day + 1, NEVER)))
