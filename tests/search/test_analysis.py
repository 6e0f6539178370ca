"""Indonesian analysis: numbers whole, legal words kept, stems, abbreviations expanded."""

import pickle

from legalbase.search.analysis import analyze, index_terms, stem, term_positions
from legalbase.search.whoosh.analysis import IndonesianAnalyzer


def test_legal_numbers_stay_whole():
    assert "100.3.3.1/441/013/2025" in analyze("Nomor 100.3.3.1/441/013/2025")
    assert "49/2023" in analyze("Perpres 49/2023")
    assert "188.45/123/kpts/2025" in analyze("188.45/123/KPTS/2025")


def test_legal_words_are_not_stop_words():
    assert analyze("tentang bahwa mengingat nomor tahun atas pasal ayat") == [
        "tentang",
        "bahwa",
        "ingat",
        "nomor",
        "tahun",
        "atas",
        "pasal",
        "ayat",
    ]
    assert analyze("yang dan untuk") == []


def test_word_forms_share_a_stem():
    assert {stem(w) for w in ("perdagangan", "diperdagangkan", "memperdagangkan")} == {"dagang"}


def test_abbreviations_expand_to_their_words():
    assert analyze("TPPO") == analyze("tindak pidana perdagangan orang")
    assert analyze("Kab. Tanah Laut") == ["kabupaten", "tanah", "laut"]
    assert analyze("Perpres") == analyze("Peraturan Presiden")


def test_the_analyzer_pickles_small():
    """The analyzer goes into every index TOC: no dictionary may ride along."""
    assert len(pickle.dumps(IndonesianAnalyzer())) < 2000


def test_the_fast_indexing_path_makes_the_analyzers_terms():
    text = (
        "Menimbang: bahwa TPPO dan Perpres 49/2023, Kab. Tanah Laut; korban yang "
        "diperdagangkan berhak atas rehabilitasi menurut undang-undang 100.3.3.1/441/013/2025."
    )
    assert index_terms(text) == [token.text for token in IndonesianAnalyzer()(text, mode="index")]


def test_a_multi_word_expansion_is_also_one_synthetic_term():
    synthetic = "tindak+pidana+dagang+orang"
    positions = term_positions(index_terms("Pencegahan tindak pidana perdagangan orang"))
    assert positions[synthetic] == positions["tindak"] == [1]
    assert term_positions(index_terms("TPPO"))[synthetic] == [0]
    # A query for the abbreviation is that one term, not a phrase.
    assert [token.text for token in IndonesianAnalyzer()("TPPO", mode="query")] == [synthetic]
