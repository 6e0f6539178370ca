"""REAL-DATA TEST: the lint names each real error that real regional decrees carry.

The documents live outside the repository, in `<repo>/../shared/data/real-decrees/` (never
copied in; the module is skipped when they are absent). Each test lints one document's real
text as an upload is linted (`lint_document`, as of the document's own date of enactment),
against a corpus that holds the national acts the check needs, created here as a legal bureau's
corpus would hold them (facts from ../shared/data/national-acts/acts.yaml where it has them).
Every check also has a negative case, so that each test can fail.

Where each error is (doc: file prefix in real-decrees/):
  self citation          06 Mengingat 11: Perda Banjarnegara 8/2025 cites itself, not 8/2023
  chain stops early      17 Mengingat 6 (UU 23/2014 to UU 9/2015, 2022: UU 11/2020 came after);
                         13 Mengingat 3 (to Perppu 2/2022, 2026: enacted as UU 6/2023);
                         15 Mengingat 4 (to UU 11/2020: right in 2021, stale once UU 6/2023 came)
  gazette year           08 Mengingat 1: UU 16/1997 in "Lembaran Negara ... Tahun 1999 Nomor 39"
  wrong form             09 Mengingat 4: PP 51/1999 called Peraturan Presiden;
                         16 Mengingat 7: UU 36/2014 called Peraturan Pemerintah
  empty Menetapkan       08: "Menetapkan : :" straight into KESATU
  heading mismatch       06: "BUPATI BANJARNGERA" (kop) / "BUPATI BANJARNEGARA," elsewhere;
                         15: "PERATURAN WALIKOTAKOTA MEDAN" / "WALI KOTA MEDAN,"
  blank dates            13: Diundangkan without a date; 07: Ditetapkan and Diundangkan both
"""

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from legalbase.core import db
from legalbase.corpus.citation_lint import lint_document
from legalbase.corpus.models import Regulation
from legalbase.corpus.reading import read_document
from legalbase.corpus.relations import add_relation
from legalbase.corpus.uploads import lint_text
from tests.factories import TEST_ACTOR, make_regulation

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real-decrees"
ENACTED = {
    "01": date(2025, 10, 24),
    "06": date(2025, 12, 30),
    "07": date(2021, 1, 1),
    "08": date(2023, 1, 25),
    "09": date(2023, 3, 4),
    "10": date(2012, 6, 25),
    "11": date(2020, 6, 8),
    "12": date(2026, 6, 30),
    "13": date(2026, 1, 5),
    "14": date(2003, 12, 23),
    "15": date(2021, 7, 14),
    "16": date(2016, 5, 27),
    "17": date(2022, 4, 6),
    "26": date(2021, 12, 30),
    "27": date(2016, 12, 20),
}
DOCUMENT_CODES = {"empty_menetapkan", "heading_mismatch", "blank_date"}

pytestmark = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"real-data test: {DATA} is absent (the shared data set)"
)


def real_text(doc: str) -> str:
    """The text of real document `doc` ("06"), or a skip naming the missing file."""
    paths = sorted(DATA.glob(f"{doc}-*.txt"))
    if not paths:
        pytest.skip(f"real-data test: document {doc}-*.txt is absent from {DATA}")
    return paths[0].read_text(encoding="utf-8")


def lint(text: str, doc: str, as_of: date | None = None) -> list[dict]:
    """The findings an upload of `text` gets, as of `as_of` (default: its date of enactment)."""
    title = read_document(text).proposal.get("title", "")
    return lint_document(text, title, as_of or ENACTED[doc])


def lint_real(doc: str, as_of: date | None = None) -> list[dict]:
    return lint(real_text(doc), doc, as_of)


def with_code(findings: list[dict], code: str, item: int | None = None) -> list[dict]:
    return [f for f in findings if f["code"] == code and (item is None or f["item"] == item)]


def national(form: str, number: str, year: int, title: str, **facts) -> Regulation:
    """A national act in the corpus (dates and gazette only where they are known)."""
    return make_regulation(
        form=form,
        number=number,
        year=year,
        title=title,
        region_code=None,
        enacted_on=facts.pop("enacted_on", None),
        **facts,
    )


def seed(key: str) -> Regulation:
    return db.session.scalar(select(Regulation).where(Regulation.seed_key == key))


def relate(source: Regulation, kind: str, target: Regulation, effective_on=None) -> None:
    add_relation(source, kind, target, TEST_ACTOR, effective_on=effective_on)
    db.session.commit()


@pytest.fixture
def cipta_kerja_2020():
    """UU 11/2020 on Cipta Kerja, amending UU 23/2014 from 2 November 2020."""
    act = national(
        "uu", "11", 2020, "Cipta Kerja", enacted_on="2020-11-02", promulgated_on="2020-11-02"
    )
    relate(act, "amends", seed("uu-23-2014"), date(2020, 11, 2))
    return act


# --- 1. a Perda citing itself instead of the Perda it amends -------------------------------


def test_a_perda_citing_itself_is_named_on_its_record():
    # Doc 06, Perda Banjarnegara 8/2025, uploaded: its Mengingat 11 cites 8/2025 (itself) where
    # its title says it amends 8/2023. Its own record in the corpus does not hide the error.
    text = real_text("06")
    regulation = make_regulation(
        form="perda_kabkota",
        region_code="33.04",
        number="8",
        year=2025,
        text=text,
        title="Perubahan atas Peraturan Daerah Nomor 8 Tahun 2023 tentang Pajak Daerah dan "
        "Retribusi Daerah",
        enacted_on="2025-12-30",
        promulgated_on="2025-12-30",
    )
    lint_text(regulation)
    [finding] = with_code(regulation.lint, "self_citation")
    assert (finding["item"], finding["severity"]) == (11, "error")
    assert "Peraturan Daerah Kabupaten Banjarnegara Nomor 8 Tahun 2025" in finding["message"]
    assert "Peraturan Daerah Nomor 8 Tahun 2023" in finding["message"]


def test_a_perda_citing_the_perda_it_amends_is_no_self_citation():
    text = real_text("06")
    corrected = re.sub(
        r"Banjarnegara Nomor\s+8 Tahun 2025", "Banjarnegara Nomor 8 Tahun 2023", text, count=1
    )
    assert corrected != text
    assert with_code(lint(corrected, "06"), "self_citation") == []


# --- 2. amendment chains that stop at an older amendment ----------------------------------


def test_a_chain_stopping_before_the_latest_amendment_is_named(cipta_kerja_2020):
    # Doc 17 (6 April 2022) cites UU 23/2014 "terakhir dengan" UU 9/2015; UU 11/2020 came after.
    [finding] = with_code(lint_real("17"), "amendment_not_latest")
    assert (finding["item"], finding["severity"]) == (6, "error")
    assert "UU 9/2015" in finding["message"] and "UU 11/2020" in finding["message"]
    assert "pada 6 April 2022" in finding["message"]


def test_a_chain_stopping_at_a_perppu_since_enacted_is_named():
    # Doc 13 (5 January 2026) stops UU 23/2014 at Perppu 2/2022, enacted as UU 6/2023 in 2023.
    national(
        "perppu",
        "2",
        2022,
        "Cipta Kerja",
        enacted_on="2022-12-30",
        gazette={"kind": "LN", "year": 2022, "number": "238", "supplement": "6841"},
    )
    [finding] = with_code(lint_real("13"), "amendment_not_latest", 3)
    assert "Perppu 2/2022" in finding["message"] and "UU 6/2023" in finding["message"]


def test_a_chain_written_twice_over_is_read_to_its_act(cipta_kerja_2020):
    # Doc 15: "sebagaimana telah beberapa kali diubah terakhir dengan sebagaimana telah diubah
    # dengan Undang- Undang Nomor 11 tahun 2020": right on its date (14 July 2021) ...
    findings = lint_real("15")
    assert with_code(findings, "amendment_not_latest", 4) == []
    assert with_code(findings, "amendment_phrase", 4) == []
    # ... and stale once UU 6/2023 amended UU 23/2014 after UU 11/2020.
    [finding] = with_code(lint_real("15", date(2026, 1, 1)), "amendment_not_latest", 4)
    assert "UU 11/2020" in finding["message"] and "UU 6/2023" in finding["message"]


@pytest.fixture
def pemerintahan_daerah_2004():
    """UU 32/2004, amended by UU 8/2005 and UU 12/2008, revoked by UU 23/2014."""
    base = national("uu", "32", 2004, "Pemerintahan Daerah")
    for number, year, title in (
        (
            "8",
            2005,
            "Penetapan Peraturan Pemerintah Pengganti Undang-Undang Nomor 3 Tahun "
            "2005 tentang Perubahan atas Undang-Undang Nomor 32 Tahun 2004 tentang "
            "Pemerintahan Daerah menjadi Undang-Undang",
        ),
        (
            "12",
            2008,
            "Perubahan Kedua atas Undang-Undang Nomor 32 Tahun 2004 tentang Pemerintahan Daerah",
        ),
    ):
        relate(national("uu", number, year, title), "amends", base)
    relate(seed("uu-23-2014"), "revokes", base)
    return base


def test_real_amendment_phrasings_are_read(pemerintahan_daerah_2004):
    # Doc 10 (2012): "diubah kedua kali dengan Undang- Undang Nomor 12 Tahun 2008".
    findings = with_code(lint_real("10"), "amendment_not_latest", 1)
    assert findings + with_code(lint_real("10"), "amendment_phrase", 1) == []
    # Doc 11 (2020): "diubah beberapa kali / terakhir dengan Undang – Undang Nomor 12 Tahun
    # 2008": the chain is read, and the act it rests on was revoked six years before.
    findings = lint_real("11")
    assert with_code(findings, "amendment_not_latest", 1) == []
    assert with_code(findings, "amendment_phrase", 1) == []
    [revoked] = with_code(findings, "revoked_act", 1)
    assert "UU 32/2004" in revoked["message"]


# --- 3. wrong gazette years ---------------------------------------------------------------


@pytest.fixture
def statistik_1997():
    return national(
        "uu",
        "16",
        1997,
        "Statistik",
        gazette={"kind": "LN", "year": 1997, "number": "39", "supplement": "3683"},
    )


def test_a_wrong_gazette_year_names_the_written_and_the_known_year(statistik_1997):
    # Doc 08: "Undang-Undang Nomor 16 Tahun 1997 tentang Statistik (Lembaran Negara Republik
    # Indonesia Tahun 1999 Nomor 39, ...)".
    [finding] = with_code(lint_real("08"), "gazette_mismatch", 1)
    assert finding["severity"] == "error"
    assert finding["message"].startswith(
        "Mengingat angka 1: Lembaran Negara UU 16/1997 "
        "ditulis Tahun 1999, korpus mencatat Tahun 1997"
    )


def test_the_right_gazette_year_gives_no_finding(statistik_1997):
    # Docs 07 (Mengingat 3) and 09 (Mengingat 1) write UU 16/1997's gazette as it is.
    assert with_code(lint_real("07"), "gazette_mismatch", 3) == []
    assert with_code(lint_real("09"), "gazette_mismatch", 1) == []


# --- 4. an act cited under another form than its own --------------------------------------


@pytest.fixture
def statistik_1999():
    return national("pp", "51", 1999, "Penyelenggaraan Statistik")


def test_a_pp_called_perpres_is_named_with_its_real_form(statistik_1999):
    # Doc 09 Mengingat 4: "Peraturan Presiden Nomor 51 Tahun 1999 tentang Penyelenggaraan
    # Statistik" is PP 51/1999 (before 2005 there were no Peraturan Presiden at all).
    [finding] = with_code(lint_real("09"), "wrong_form", 4)
    assert finding["severity"] == "error"
    assert "ditulis Peraturan Presiden, seharusnya Peraturan Pemerintah" in finding["message"]
    assert (
        "Peraturan Pemerintah Nomor 51 Tahun 1999 tentang Penyelenggaraan Statistik"
        in (finding["message"])
    )
    assert with_code(lint_real("09"), "unknown_act", 4) == []


def test_a_uu_called_pp_is_named_with_its_real_form():
    # Doc 16 Mengingat 7: "Peraturan Pemerintah Nomor 36 Tahun 2014 tentang Tenaga Kesehatan"
    # is UU 36/2014.
    national("uu", "36", 2014, "Tenaga Kesehatan")
    [finding] = with_code(lint_real("16"), "wrong_form", 7)
    assert "ditulis Peraturan Pemerintah, seharusnya Undang-Undang" in finding["message"]


def test_an_act_of_the_same_number_and_year_but_another_title_is_no_wrong_form():
    # Same number and year alone is no evidence: acts of different forms share them often.
    national("pp", "51", 1999, "Sesuatu yang Lain Sama Sekali")
    findings = lint_real("09")
    assert with_code(findings, "wrong_form") == []
    assert len(with_code(findings, "unknown_act", 4)) == 1


# --- 5. a Menetapkan with nothing after it ------------------------------------------------


def test_an_empty_menetapkan_is_named():
    # Doc 08: "Menetapkan : :" then straight into "KESATU :".
    [finding] = with_code(lint_real("08"), "empty_menetapkan")
    assert finding["item"] is None and finding["severity"] == "warning"
    assert "'Menetapkan : :'" in finding["message"] and "KESATU" in finding["message"]


@pytest.mark.parametrize("doc", ["06", "09", "10", "11", "12", "13"])
def test_a_menetapkan_naming_the_act_or_opening_a_keputusan_diktum_gives_no_finding(doc):
    # 06, 10, 13: "Menetapkan : PERATURAN ..."; 09, 11, 12: a Keputusan going from "Menetapkan :"
    # straight to its diktum, the form DOMAIN.md section 5 gives.
    assert with_code(lint_real(doc), "empty_menetapkan") == []


def test_a_peraturan_whose_menetapkan_names_nothing_is_named():
    # Doc 10 (a Perbup) with its Menetapkan emptied: "Menetapkan : BAB I ...".
    text = re.sub(
        r"(Menetapkan\s*:)\s*PERATURAN BUPATI TENTANG.*?BANYUWANGI\.",
        r"\1",
        real_text("10"),
        count=1,
        flags=re.S,
    )
    [finding] = with_code(lint(text, "10"), "empty_menetapkan")
    assert "langsung diikuti 'BAB'" in finding["message"]


# --- 6. an issuer misspelt in the heading -------------------------------------------------


def test_a_misspelt_head_in_the_heading_names_both_spellings():
    # Doc 06: the kop says "BUPATI BANJARNGERA", the signatures "BUPATI BANJARNEGARA,".
    [finding] = with_code(lint_real("06"), "heading_mismatch")
    assert finding["item"] is None
    assert "'BUPATI BANJARNGERA'" in finding["message"]
    assert "'BUPATI BANJARNEGARA'" in finding["message"]


def test_a_misspelt_head_in_the_instrument_line_is_named():
    # Doc 15: "PERATURAN WALIKOTAKOTA MEDAN", signed "WALI KOTA MEDAN,".
    [finding] = with_code(lint_real("15"), "heading_mismatch")
    assert "'WALIKOTAKOTA MEDAN'" in finding["message"]
    assert "'WALI KOTA MEDAN'" in finding["message"]


@pytest.mark.parametrize(
    "doc", ["01", "07", "08", "09", "10", "11", "12", "13", "14", "16", "17", "26", "27"]
)
def test_a_heading_spelt_as_the_signature_gives_no_finding(doc):
    # Including "WALIKOTA SEMARANG" / "WALI KOTA", "GUBERNUR PROVINSI DAERAH KHUSUS IBUKOTA
    # JAKARTA" over two lines, and the Lampiran's "PERATURAN GUBERNUR TENTANG KEDUDUKAN,".
    assert with_code(lint_real(doc), "heading_mismatch") == []


# --- 7. dates left blank ------------------------------------------------------------------


def test_a_blank_promulgation_date_is_named():
    # Doc 13: "Diundangkan di Purbalingga / pada tanggal" and nothing; its enactment is dated.
    [finding] = with_code(lint_real("13"), "blank_date")
    assert finding["item"] is None and finding["severity"] == "warning"
    assert "Tanggal pengundangan" in finding["message"]
    assert "'Diundangkan di Purbalingga pada tanggal'" in finding["message"]


def test_blank_enactment_and_promulgation_dates_are_each_named():
    # Doc 07, Pergub Kalbar 124/2021 as published: neither date filled in.
    messages = [f["message"] for f in with_code(lint_real("07"), "blank_date")]
    assert len(messages) == 2
    assert "'Ditetapkan di Pontianak pada tanggal'" in messages[0]
    assert "'Diundangkan di Pontianak pada tanggal'" in messages[1]


@pytest.mark.parametrize("doc", ["01", "06", "08", "12", "14", "26"])
def test_written_dates_give_no_finding(doc):
    # 14: "Ditetapkan / di Medan, / Pada / Tanggal / 23 Desember / 2003" is a date, over six
    # lines; 06: the body is dated, only its Lampiran's signature blocks say "pada tanggal …".
    assert with_code(lint_real(doc), "blank_date") == []


# --- every document -----------------------------------------------------------------------


@pytest.mark.parametrize("doc", sorted(ENACTED))
def test_every_real_document_is_linted_into_well_formed_findings(doc):
    for finding in lint_real(doc):
        assert finding["severity"] in ("error", "warning")
        assert finding["message"] and finding["message"].endswith(".")
        assert (finding["item"] is None) == (
            finding["code"] in DOCUMENT_CODES or finding["code"] == "missing_chain_link"
        )
