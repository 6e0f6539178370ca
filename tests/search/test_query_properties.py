"""Properties of the search room's parsers (Hypothesis): the query language (and its syntax, as
Whoosh's parser read it), citations typed in a search box ("perpres 49/2023"), and the analysis
that the index and a query share.

Bounds. Every property runs derandomized and without the example database, so CI sees the same
examples on every run, and without a per-example deadline (the first example pays for Sastrawi's
dictionary); each has an explicit example count so that the module finishes in a few seconds.
Queries are at most 500 characters, the longest the API accepts. Each test searches the index
the search fixtures build once from the seeded corpus (about thirty regulations): Hypothesis
runs all examples of a test against that one index, which is why the citation property draws
its regulations from the seed rather than storing new ones.
"""

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from whoosh.qparser import FieldAliasPlugin, QueryParser

from legalbase.core import db
from legalbase.core.config import REPO_ROOT
from legalbase.core.errors import Invalid
from legalbase.corpus.forms import FORMS
from legalbase.corpus.models import Regulation
from legalbase.search import backend
from legalbase.search import query_syntax as syntax
from legalbase.search.analysis import analyze, index_terms, query_terms
from legalbase.search.documents import citation_keys
from legalbase.search.query_language import ALIASES, FIELD_ALIASES, SearchRequest, parse_query
from legalbase.search.query_nodes import all_terms, errors, normalize
from legalbase.search.query_syntax import OperatorWithoutOperand
from legalbase.search.whoosh.analysis import IndonesianAnalyzer
from legalbase.search.whoosh.index import query_schema
from legalbase.search.whoosh.queries import to_whoosh


def bounded(examples: int) -> settings:
    """Reproducible settings with `examples` examples (see the module docstring)."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


MAX_QUERY = 500
QUERY_FRAGMENTS = (
    '"',
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    " AND ",
    " OR ",
    " NOT ",
    " TO ",
    "jenis:",
    "tahun:",
    "wilayah:",
    "nomor:",
    "judul:",
    "subjek:",
    "warna:",
    "*",
    "?",
    "~",
    "^",
    "+",
    "-",
    ":",
    "\\",
    "'",
    "/",
    ".",
    " ",
    "perpres 49/2023",
    "Peraturan Presiden Nomor 69 Tahun 2008",
    "UU 21 tahun",
    "Perda ",
    "Kepgub 100.3.3.1/441/013/2025",
    "tppo",
    "Kab.",
    "gugus tugas",
    "2023",
    "16.71",
    "perpres",
    "no.",
    "nomor",
    "ſ",
    "İ",
    "ı",
    "\u0307",
    "٣",
    "ﬁ",
)
queries = st.lists(
    st.one_of(st.sampled_from(QUERY_FRAGMENTS), st.text(max_size=10)), max_size=40
).map(lambda parts: "".join(parts)[:MAX_QUERY])


@bounded(250)
# "ſ" and "İ" match "s" and "i" case-insensitively, and the form was then looked up by its
# spelling: a KeyError, so a 500 for anyone typing it in the search box.
@example("Perpreſ 49/2023")
@example("peraturan presİden nomor 69 tahun 2008")
# Whoosh's parser fails on an operator with nothing to apply to.
@example("pajak NOT AND hotel")
@example("REQUIRE ANDNOT hotel")
# ... and when it runs a phrase on a keyword field.
@example('pajak jenis:"kepwal perda"')
@given(queries)
def test_any_query_is_answered_or_refused(q):
    try:
        result = backend().search(SearchRequest(q=q, per_page=5))
    except Invalid as refusal:
        assert refusal.details  # what the 422 points the user at
        return
    assert result.total >= len(result.items)


@bounded(300)
@example("menara AND NOT (kabel OR bangunan) judul:(telekom* subjek:x)^2")
@example("NOT NOT pajak")
@example("pajak OR hotel AND gugus tugas OR x ANDNOT kabel ANDMAYBE tppo REQUIRE 2024")
@example("tahun:duaribu OR (a tahun:*) *:* 'jenis perda'")
@given(queries)
def test_the_query_syntax_reads_a_string_as_whoosh_s_parser_did(q):
    """query_syntax.py replaced Whoosh 2.7.4's parser: for any string, the same query (ranges
    aside: Whoosh merged overlapping ones, finding the same documents), the same unreadable
    values, and a refusal where Whoosh failed."""
    assume("[" not in q and "{" not in q)
    text = " ".join(q.split())
    whoosh_parser = QueryParser("body", query_schema())
    whoosh_parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    try:
        expected = whoosh_parser.parse(text)
    except (IndexError, AssertionError):
        with pytest.raises(OperatorWithoutOperand):
            syntax.parse(text, ALIASES)
        return
    ours = normalize(syntax.parse(text, ALIASES))
    if errors(ours):
        assert errors(ours) == list(_whoosh_errors(expected))
    else:
        assert repr(to_whoosh(ours)) == repr(expected)


def _whoosh_errors(query):
    if getattr(query, "error", None):
        yield str(query.error)
    for child in query.children():
        yield from _whoosh_errors(child)


def _seed_keys() -> list[str]:
    corpus = Path(REPO_ROOT) / "corpus"
    keys = []
    for part in ("national", "regional"):
        entries = yaml.safe_load((corpus / part / "regulations.yaml").read_text(encoding="utf-8"))
        keys += [entry["key"] for entry in entries]
    return sorted(keys)


def typed(regulation: Regulation, spelling: str, nomor: str, shape: str) -> str:
    """How someone types a citation of `regulation` in the search box."""
    form = FORMS[regulation.form]
    name = {
        "abbreviation": form.abbreviation,
        "name": form.name,
        "lower": form.abbreviation.lower(),
        "capitals": form.name.upper(),
    }[spelling]
    if regulation.form.startswith("perda") and spelling in ("name", "capitals"):
        name = "Peraturan Daerah"
    number = regulation.number
    if shape == "slash" and not number.endswith(f"/{regulation.year}"):
        if number.lower().endswith(f" tahun {regulation.year}"):
            number = number[: -len(f" tahun {regulation.year}")]
        number = f"{number}/{regulation.year}"
    elif shape == "tahun" and not number.lower().endswith(f" tahun {regulation.year}"):
        number = f"{number.removesuffix(f'/{regulation.year}')} Tahun {regulation.year}"
    return f"{name} {nomor}{number}"


@bounded(80)
@given(
    key=st.sampled_from(_seed_keys()),
    spelling=st.sampled_from(["abbreviation", "name", "lower", "capitals"]),
    nomor=st.sampled_from(["", "No. ", "Nomor ", "nomor "]),
    shape=st.sampled_from(["slash", "tahun"]),
    words=st.sampled_from(["", " gugus tugas"]),
)
def test_a_typed_citation_finds_its_regulation_first(key, spelling, nomor, shape, words):
    regulation = db.session.scalar(select(Regulation).where(Regulation.seed_key == key))
    q = typed(regulation, spelling, nomor, shape) + words
    items = backend().search(SearchRequest(q=q)).items
    # Regulations a citation cannot tell apart (a Perda of a province and one of a kota with
    # the same number and year) share the first place.
    namesakes = {
        other.id
        for other in db.session.scalars(
            select(Regulation).where(
                Regulation.year == regulation.year, Regulation.withdrawn_at.is_(None)
            )
        )
        if set(citation_keys(other.form, other.number.lower(), other.year))
        & set(citation_keys(regulation.form, regulation.number.lower(), regulation.year))
    }
    assert items and items[0]["id"] in namesakes, q


digits = st.one_of(
    st.integers(1, 999).map(str),
    st.from_regex(r"[1-9][0-9]{0,2}(\.[0-9]{1,2}){1,4}", fullmatch=True),
)
# No segment looks like a year: "180/2010/KPTS" of 2011 typed as "kepgub 180/2010/KPTS" reads
# as of 2010, and no rule tells which the writer meant.
bare_numbers = st.tuples(
    digits, st.lists(st.one_of(digits, st.sampled_from(["KPTS", "Kpts", "HK", "A"])), max_size=3)
).map(lambda parts: "/".join([parts[0], *parts[1]]))


@bounded(200)
@given(
    form=st.sampled_from(sorted(FORMS)),
    bare=bare_numbers,
    year=st.integers(1945, 2099),
    stored=st.sampled_from(["bare", "slash", "tahun"]),
    spelling=st.sampled_from(["abbreviation", "name", "lower", "capitals"]),
    nomor=st.sampled_from(["", "No. ", "No.", "Nomor "]),
    shape=st.sampled_from(["slash", "tahun"]),
)
def test_a_typed_citation_asks_for_a_key_its_regulation_is_indexed_under(
    form, bare, year, stored, spelling, nomor, shape
):
    number = {"bare": bare, "slash": f"{bare}/{year}", "tahun": f"{bare} Tahun {year}"}[stored]
    regulation = Regulation(form=form, number=number, year=year)
    asked = {
        text
        for field, text in all_terms(parse_query(typed(regulation, spelling, nomor, shape)))
        if field == "cite"
    }
    assert asked & set(citation_keys(form, number.lower(), year))


ANALYSIS_FRAGMENTS = (
    "TPPO",
    "Kab. ",
    "Perpres 49/2023",
    "100.3.3.1/441/013/2025",
    "undang-undang",
    "perdagangan",
    "yang",
    " ",
    "-",
    ".",
    "/",
    "İ",
    "ſ",
    "ı",
    "K",
    "\u0307",
    "ß",
    "ﬁ",
    "Σ",
)


@bounded(300)
# "İ" lower-cases to "i" and a combining dot that is no word character: the index split the
# word there, the query kept it whole, so a word with "İ" could not be found.
@example("İstanbul")
@given(
    st.lists(st.one_of(st.sampled_from(ANALYSIS_FRAGMENTS), st.text(max_size=8)), max_size=30).map(
        "".join
    )
)
def test_the_index_and_a_query_analyse_any_text_alike(text):
    assert index_terms(text) == [token.text for token in IndonesianAnalyzer()(text, mode="index")]
    # The query language's own analysis reads a query as Whoosh's analyzer does.
    assert query_terms(text) == [token.text for token in IndonesianAnalyzer()(text, mode="query")]
    assert all(isinstance(term, str) and term for term in analyze(text))
