"""Indonesian analysis, the same for both backends: legal numbers kept whole, lower case, our
stop list, abbreviations expanded, Sastrawi stems behind a cache. (Whoosh's field and analyzer
classes built on it live in search/whoosh/analysis.py.)

The data (stop list, abbreviations) lives in `corpus/search/`; after changing it, reindex.
"""

import os
import re
from functools import cache
from itertools import chain, groupby
from pathlib import Path

import yaml

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
def phrase_terms() -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
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


def pair_term(first: str, second: str) -> str:
    """The word-pair term of two consecutive terms."""
    return f"{first} {second}"


@cache
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    # The uncached stemmer underneath: our own dict above is the one cache.
    return StemmerFactory().create_stemmer().delegatedStemmer


def query_terms(text: str, tokenize: bool = True, removestops: bool = True) -> list[str]:
    """The terms a query word or phrase looks up: each word (or, without `tokenize`, the whole
    text) lower-cased and stemmed, a stop word dropped (with `removestops`), a multi-word
    abbreviation as its one synthetic term."""
    words = TOKEN_RE.findall(text) if tokenize else [text]
    terms = []
    for word in map(str.lower, words):
        expansion = abbreviations().get(word)
        if expansion is not None and len(expansion) > 1:
            terms.append(phrase_term(expansion))
        elif expansion is not None:
            terms.extend(expansion)
        elif not (removestops and word in stopwords()):
            terms.append(stem(word))
    return terms


def analyze(text: str) -> list[str]:
    """The terms `text` indexes as (what a query word matches)."""
    return index_terms(text)
