"""Indonesian analysis for the index: legal numbers kept whole, lower case, our stop list,
abbreviations expanded, Sastrawi stems behind a cache.

Whoosh pickles the analyzer into every index TOC, so everything here is a module-level name
(no bound methods, no data in instances): renaming this module means rebuilding the index.
The data (stop list, abbreviations) lives in `corpus/search/`; after changing it, reindex.
"""

import os
import re
from functools import cache
from pathlib import Path

import yaml
from whoosh.analysis import Filter, RegexTokenizer

from ..config import REPO_ROOT

# A legal number starting with a digit keeps its dots, slashes and hyphens
# (100.3.3.1/441/013/2025, 49/2023); a word keeps its hyphens (undang-undang, PP-TPPO).
TOKEN_PATTERN = r"\d\w*(?:[./-]\w+)*|\w+(?:-\w+)*"
STEM_CACHE_LIMIT = 500_000
_stem_cache: dict[str, str] = {}


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
            if words is None:
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
