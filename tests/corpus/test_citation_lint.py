"""Lint of a Mengingat: every planted defect is found, a clean one gives nothing."""

from datetime import date

import pytest

from legalbase.corpus.citation_lint import lint_mengingat, seeded, split_items

UU_21 = (
    "Undang-Undang Nomor 21 Tahun 2007 tentang Pemberantasan Tindak Pidana Perdagangan "
    "Orang (Lembaran Negara Republik Indonesia Tahun 2007 Nomor 58, Tambahan Lembaran "
    "Negara Republik Indonesia Nomor 4720);"
)
UU_23 = (
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah (Lembaran Negara "
    "Republik Indonesia Tahun 2014 Nomor 244, Tambahan Lembaran Negara Republik Indonesia "
    "Nomor 5587) sebagaimana telah diubah beberapa kali, terakhir dengan Undang-Undang "
    "Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah Pengganti Undang-Undang "
    "Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi Undang-Undang (Lembaran Negara Republik "
    "Indonesia Tahun 2023 Nomor 41, Tambahan Lembaran Negara Republik Indonesia Nomor 6856);"
)
PERPRES_69 = (
    "Peraturan Presiden Nomor 69 Tahun 2008 tentang Gugus Tugas Pencegahan dan "
    "Penanganan Tindak Pidana Perdagangan Orang sebagaimana telah diubah beberapa "
    "kali, terakhir dengan Peraturan Presiden Nomor 49 Tahun 2023;"
)
CLEAN = [UU_21, UU_23, PERPRES_69]
AS_OF = date(2026, 1, 1)


def lint(items):
    required = seeded(["uu-21-2007", "perpres-69-2008"])
    return [(finding.code, finding.item) for finding in lint_mengingat(items, AS_OF, required)]


def test_a_clean_mengingat_has_no_findings():
    assert lint(CLEAN) == []


@pytest.mark.parametrize(
    "items, expected",
    [
        # "UU 9 Tahun 2016" for UU 9/2015: an act the corpus does not know
        (
            [UU_21, UU_23.replace("Nomor 6 Tahun 2023", "Nomor 9 Tahun 2016"), PERPRES_69],
            [("unknown_act", 2), ("amendment_not_latest", 2)],
        ),
        # TLN 4437 for UU 23/2014 (the TLN of another act)
        ([UU_21, UU_23.replace("Nomor 5587", "Nomor 4437"), PERPRES_69], [("gazette_mismatch", 2)]),
        # the chain cited to Perpres 22/2021 only
        (
            [
                UU_21,
                UU_23,
                PERPRES_69.replace(
                    "beberapa kali, terakhir dengan Peraturan Presiden Nomor 49 Tahun 2023",
                    "dengan Peraturan Presiden Nomor 22 Tahun 2021",
                ),
            ],
            [("amendment_not_latest", 3)],
        ),
        # Perpres before the UU
        ([PERPRES_69, UU_21, UU_23], [("order", 2)]),
        # the revoked Perda DIY 6/2014 cited
        (
            CLEAN
            + [
                "Peraturan Daerah Provinsi Daerah Istimewa Yogyakarta Nomor 6 Tahun 2014 tentang "
                "Perlindungan terhadap Korban Tindak Pidana Perdagangan Orang;"
            ],
            [("revoked_act", 4)],
        ),
        # an act unknown to the corpus
        (CLEAN + ["Undang-Undang Nomor 99 Tahun 2099 tentang Sesuatu;"], [("unknown_act", 4)]),
        # the national chain left out
        ([UU_21, UU_23], [("missing_chain_link", None)]),
        # a fact left as a placeholder
        (
            [UU_21.replace("Nomor 58", "Nomor [belum diketahui]"), UU_23, PERPRES_69],
            [("unknown_fact", 1)],
        ),
        # twice amended, written as if once
        (
            [UU_21, UU_23.replace("beberapa kali, terakhir dengan", "dengan"), PERPRES_69],
            [("amendment_phrase", 2)],
        ),
    ],
    ids=[
        "wrong-amendment",
        "wrong-gazette",
        "old-amendment",
        "order",
        "revoked",
        "unknown",
        "missing-link",
        "placeholder",
        "phrase",
    ],
)
def test_each_planted_defect_is_found(items, expected):
    assert lint(items) == expected


def test_items_are_split_from_a_document():
    text = "Menimbang : a. bahwa ...; Mengingat : 1. " + UU_21 + " 2. " + UU_23 + " MEMUTUSKAN:"
    assert split_items(text) == [UU_21, UU_23]
