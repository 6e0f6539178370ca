"""Whoosh's side of the Indonesian analysis (search/analysis.py): the fields that index through
it, and the analyzer that reads queries and stored text as Whoosh expects.

Whoosh pickles the fields and the analyzer into every index TOC, so everything here is a
module-level name (no bound methods, no data in instances): renaming this module means
rebuilding the index (`legalbase setup` does, finding the fields unreadable).
"""

from collections import Counter
from operator import sub
from pickle import dumps

from whoosh.analysis import Filter, RegexTokenizer
from whoosh.fields import TEXT
from whoosh.system import pack_uint

from ..analysis import (
    TOKEN_PATTERN,
    abbreviations,
    index_terms,
    pair_term,
    phrase_term,
    stem,
    stopwords,
    term_positions,
)


def encode_positions(positions: list[int]) -> bytes:
    """What `whoosh.formats.Positions.encode` writes, without a Python loop per position."""
    deltas = list(map(sub, positions, [0, *positions[:-1]]))
    return pack_uint(len(deltas)) + dumps(deltas, 2)


_last_analysed: tuple = (None, [])


def _analysed(text: str) -> list[str]:
    """`index_terms(text)`, remembering the last text: the body and the word-pair field of a
    document share one analysis."""
    global _last_analysed
    last_text, terms = _last_analysed
    if last_text is text or last_text == text:
        return terms
    terms = index_terms(text)
    _last_analysed = (text, terms)
    return terms


class IndonesianText(TEXT):
    """A TEXT field indexing through `index_terms` (the same terms as IndonesianAnalyzer, plus
    the synthetic terms of multi-word expansions), several times faster than the analyzer."""

    def index(self, value, **kwargs):
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not a string")
        boost = self.format.field_boost
        for term, positions in term_positions(_analysed(value)).items():
            count = len(positions)
            yield term.encode("utf-8"), count, count * boost, encode_positions(positions)


class IndonesianPairs(TEXT):
    """Each pair of consecutive terms of the text as one term (frequencies, no positions), so a
    phrase is a few term lookups rather than a position check: create with phrase=False."""

    def index(self, value, **kwargs):
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not a string")
        boost = self.format.field_boost
        terms = _analysed(value)
        for (first, second), count in Counter(zip(terms, terms[1:], strict=False)).items():
            yield pair_term(first, second).encode("utf-8"), count, count * boost, pack_uint(count)


class IndonesianFilter(Filter):
    """Lower-case, expand abbreviations, drop stop words and stem, renumbering positions."""

    def __call__(self, tokens):
        expansions, stop = abbreviations(), stopwords()
        position = 0
        for token in tokens:
            word = token.text.lower()
            words = expansions.get(word)
            if words is not None and len(words) > 1 and token.mode == "query":
                # A query's multi-word abbreviation: the one synthetic term the index holds.
                words = (phrase_term(words),)
            elif words is None:
                if word in stop and token.removestops:
                    continue
                words = (stem(word),)
            for term in words:
                token.text = term
                if token.positions:
                    token.pos = position
                position += 1
                yield token


def IndonesianAnalyzer():  # noqa: N802  (named like Whoosh's own analyzers)
    """The analyzer of the title, body and subjects fields."""
    return RegexTokenizer(TOKEN_PATTERN) | IndonesianFilter()
