"""Indonesian analysis for the index: legal numbers kept whole, lower case, our stop list,
abbreviations expanded, Sastrawi stems behind a cache.

Whoosh pickles the analyzer into every index TOC, so everything here is a module-level name
(no bound methods, no data in instances): renaming this module means rebuilding the index.
The data (stop list, abbreviations) lives in `corpus/search/`; after changing it, reindex.
"""

import os
import re
from collections import Counter
from functools import cache
from itertools import chain, groupby
from operator import sub
from pathlib import Path
from pickle import dumps

import yaml
from whoosh.analysis import Filter, RegexTokenizer
from whoosh.fields import TEXT
from whoosh.system import pack_uint

from ..core.config import REPO_ROOT

# A legal number starting with a digit keeps its dots, slashes and hyphens
# (100.3.3.1/441/013/2025, 49/2023); a word keeps its hyphens (undang-undang, PP-TPPO).
TOKEN_PATTERN = r"\d\w*(?:[./-]\w+)*|\w+(?:-\w+)*"
TOKEN_RE = re.compile(TOKEN_PATTERN)
STEM_CACHE_LIMIT = 2_000_000
_stem_cache: dict[str, str] = {}
# A multi-word expansion is also indexed as one synthetic term (its words joined by "+", which
# no typed word contains), so that `TPPO` is one term lookup rather than a phrase.
JOIN = "+"


def data_dir() -> Path:
    """The folder holding the stop list and the abbreviations (LEGALBASE_CORPUS_DIR/search)."""
    return Path(os.environ.get("LEGALBASE_CORPUS_DIR", REPO_ROOT / "corpus")) / "search"


@cache
def stopwords() -> frozenset[str]:
    """Our Indonesian stop list (Sastrawi's, minus words that matter in legal text)."""
    lines = (data_dir() / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cache
def abbreviations() -> dict[str, tuple[str, ...]]:
    """Each abbreviation (folded) with the analysed words of its expansion."""
    raw = yaml.safe_load((data_dir() / "abbreviations.yaml").read_text(encoding="utf-8"))
    return {fold_abbreviation(key): tuple(plain_terms(value)) for key, value in raw.items()}


def fold_abbreviation(text: str) -> str:
    """How an abbreviation is looked up: lower case, without a final dot."""
    return str(text).strip().rstrip(".").lower()


def plain_terms(text: str) -> list[str]:
    """Analysed words of `text` without abbreviation expansion (for expansions themselves)."""
    stop = stopwords()
    words = (match.group(0).lower() for match in re.finditer(TOKEN_PATTERN, text))
    return [stem(word) for word in words if word not in stop]


def stem(word: str) -> str:
    """The Sastrawi root of a lower-case word; numbers and short words stay as they are."""
    try:
        return _stem_cache[word]
    except KeyError:
        pass
    root = word if len(word) < 4 or not word.replace("-", "").isalpha() else _stemmer().stem(word)
    if len(_stem_cache) >= STEM_CACHE_LIMIT:
        _stem_cache.clear()
    _stem_cache[word] = root or word
    return root or word


def phrase_term(words) -> str:
    """The synthetic term a multi-word expansion is indexed as (its analysed words joined)."""
    return JOIN.join(words)


@cache
def phrase_terms() -> dict[str, tuple[tuple[str, ...], str]]:
    """Per first word, the multi-word expansions starting with it and their synthetic terms."""
    found: dict[str, dict] = {}
    for words in abbreviations().values():
        if len(words) > 1:
            found.setdefault(words[0], {})[words] = phrase_term(words)
    return {first: tuple(by_words.items()) for first, by_words in found.items()}


class _WordTerms(dict):
    """Each word, as written, with the terms it indexes as (a stop word: none), filled lazily."""

    def __missing__(self, word):
        lower = word.lower()
        words = abbreviations().get(lower)
        if words is None:
            words = () if lower in stopwords() else (stem(lower),)
        if len(self) >= STEM_CACHE_LIMIT:
            self.clear()
        self[word] = words
        return words


_word_terms = _WordTerms()


def word_terms(word: str) -> tuple[str, ...]:
    """The terms a lower-case word indexes as (none for a stop word), cached."""
    return _word_terms[word]


def index_terms(text: str) -> list[str]:
    """The terms of `text` in order, as the analyzer makes them (without synthetic terms):
    one regex pass and a cached dictionary lookup per word, no Python per token."""
    # Words are found before lower-casing, as the analyzer finds them: "İ" lower-cases to "i"
    # and a combining dot, which is no word character.
    return list(chain.from_iterable(map(_word_terms.__getitem__, TOKEN_RE.findall(text))))


def term_positions(terms: list[str]) -> dict[str, list[int]]:
    """Each term with its ascending positions, plus the synthetic terms of the multi-word
    expansions found in the sequence (at the position of their first word)."""
    order = sorted(range(len(terms)), key=terms.__getitem__)
    positions = {term: list(group) for term, group in groupby(order, terms.__getitem__)}
    for first, expansions in phrase_terms().items():
        starts = positions.get(first)
        if not starts:
            continue
        for words, synthetic in expansions:
            size = len(words)
            found = [start for start in starts if tuple(terms[start : start + size]) == words]
            if found:
                positions.setdefault(synthetic, [])
                positions[synthetic] = sorted(set(positions[synthetic]).union(found))
    return positions


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


def pair_term(first: str, second: str) -> str:
    """The word-pair term of two consecutive terms."""
    return f"{first} {second}"


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


@cache
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    # The uncached stemmer underneath: our own dict above is the one cache.
    return StemmerFactory().create_stemmer().delegatedStemmer


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


def analyze(text: str) -> list[str]:
    """The terms `text` indexes as (what a query word matches)."""
    return [token.text for token in IndonesianAnalyzer()(text)]
