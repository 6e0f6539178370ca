"""A folder's naming as metadata for a folder import (`{form}/{year}/{number}`)."""

import pytest

from legalbase.core.errors import Invalid
from legalbase.corpus.path_names import compile_pattern, names_from_path

ACTS = compile_pattern("{form}/{year}/{number}")


@pytest.mark.parametrize(
    ("path", "stated"),
    [
        ("uu/2007/21.md", {"form": "uu", "year": 2007, "number": "21"}),
        ("arsip/pp/1948/19.pdf", {"form": "pp", "year": 1948, "number": "19"}),
        ("Perpres/2023/49.PDF", {"form": "perpres", "year": 2023, "number": "49"}),
    ],
)
def test_a_path_under_the_pattern_states_form_year_and_number(path, stated):
    assert names_from_path(path, ACTS) == stated


@pytest.mark.parametrize("path", ["uu/20x7/21.md", "surat/2007/21.md", "README.md", "uu/21.md"])
def test_a_path_that_does_not_fit_states_nothing(path):
    assert names_from_path(path, ACTS) == {}


def test_a_region_and_a_number_with_slashes_replaced():
    pattern = compile_pattern("{region}/{form}-{number}-{year}")
    assert names_from_path("35.10/perbup-19-2012.pdf", pattern) == {
        "region_code": "35.10",
        "form": "perbup",
        "number": "19",
        "year": 2012,
    }


@pytest.mark.parametrize("pattern", ["{jenis}/{year}", "tanpa-kolom", "{year}/{year}"])
def test_an_unknown_or_repeated_field_is_refused_in_indonesian(pattern):
    with pytest.raises(Invalid) as refused:
        compile_pattern(pattern)
    assert "Pola nama berkas tidak valid" in refused.value.message
