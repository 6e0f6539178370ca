"""GET /api/v1/search: Indonesian word forms, abbreviations, citations, filters, facets."""

import pytest
from sqlalchemy import select

from legalbase.core import db
from legalbase.corpus.models import Regulation
from tests.factories import make_regulation
from tests.search.backend import whoosh_only

TRAFFICKING = (
    "Menimbang: bahwa perdagangan orang merupakan kejahatan terhadap martabat "
    "manusia. Mengingat: Peraturan Presiden Nomor 49 Tahun 2023 tentang Perubahan "
    "Kedua atas Peraturan Presiden Nomor 69 Tahun 2008. MEMUTUSKAN: Menetapkan "
    "pembentukan Gugus Tugas di Kota Palembang."
)
TAXES = (
    "Menimbang: bahwa pajak daerah dan retribusi daerah merupakan sumber pendapatan "
    "daerah. MEMUTUSKAN: Menetapkan tarif pajak hotel dan restoran."
)


def with_text(text, **overrides):
    regulation = make_regulation(**overrides)
    regulation.text = text
    db.session.commit()
    return regulation


def search(client, **params):
    response = client.get("/api/v1/search", query_string=params)
    assert response.status_code == 200, response.json
    return response.json


def ids(body):
    return [item["id"] for item in body["items"]]


def test_a_word_form_finds_the_other_forms(client):
    decree = with_text(TRAFFICKING)
    body = search(client, q="diperdagangkan", region="16.71")
    assert decree.id in ids(body)
    assert "perdagangan" not in TRAFFICKING.replace("perdagangan orang", "")


def test_highlights_mark_the_matched_words(client):
    decree = with_text(TRAFFICKING)
    body = search(client, q="diperdagangkan", region="16.71")
    item = next(i for i in body["items"] if i["id"] == decree.id)
    assert any("<mark>perdagangan</mark>" in snippet for snippet in item["highlights"])
    assert set(item) == {
        "id",
        "name",
        "title",
        "title_highlighted",
        "form",
        "number",
        "year",
        "region_code",
        "in_force",
        "score",
        "highlights",
    }


def hit(body, regulation):
    return next(item for item in body["items"] if item["id"] == regulation.id)


def test_a_hit_is_named_in_full_with_its_region(client):
    perda = db.session.scalar(select(Regulation).where(Regulation.seed_key == "perda-64.72-7-2013"))
    name = hit(search(client, q="samarinda"), perda)["name"]
    assert name == "Peraturan Daerah Kota Samarinda Nomor 7 Tahun 2013"
    kepbup = with_text(TAXES, form="kepbup", region_code="16.04")
    name = hit(search(client, q="pajak"), kepbup)["name"]
    assert name == "Keputusan Bupati Lahat Nomor 188.45/123/KPTS/2025"
    uu = search(client, q="UU 21 tahun 2007")["items"][0]
    assert uu["name"] == "Undang-Undang Nomor 21 Tahun 2007"


@pytest.mark.parametrize(
    "number, named",
    [
        ("460/105 Tahun 2025", "460/105 Tahun 2025"),
        ("188.45/9/KPTS/2024", "188.45/9/KPTS/2024 Tahun 2025"),
    ],
)
def test_a_number_ending_in_its_year_says_the_year_once(client, number, named):
    decree = with_text(TAXES, form="kepbup", region_code="16.04", number=number)
    name = hit(search(client, q="pajak"), decree)["name"]
    assert name == f"Keputusan Bupati Lahat Nomor {named}"


def test_a_query_matching_only_the_title_marks_the_title(client):
    decree = with_text("Menetapkan ketentuan umum.", title="Penataan Menara Telekomunikasi")
    item = hit(search(client, q="menara"), decree)
    assert item["title_highlighted"] == "Penataan <mark>Menara</mark> Telekomunikasi"
    assert item["title"] == "Penataan Menara Telekomunikasi" and item["highlights"] == []


def test_a_title_is_escaped_with_its_marks(client):
    decree = with_text(TAXES, title="Pajak <script>alert(1)</script> & Retribusi")
    item = hit(search(client, q="retribusi"), decree)
    assert item["title_highlighted"] == (
        "Pajak &lt;script&gt;alert(1)&lt;/script&gt; &amp; <mark>Retribusi</mark>"
    )


def test_tppo_finds_the_words_it_abbreviates(client):
    decree = with_text(
        "Pencegahan tindak pidana perdagangan orang di daerah.",
        title="Pembentukan Satuan Tugas Kota Palembang",
    )
    assert decree.id in ids(search(client, q="TPPO", region="16.71"))
    assert decree.id in ids(search(client, q='"tindak pidana perdagangan orang"'))


def test_a_phrase_needs_its_words_together(client):
    together = with_text("Menetapkan tarif pajak hotel yang baru.", number="1")
    apart = with_text("Pajak daerah dipungut dari setiap hotel.", number="2")
    found = ids(search(client, q='"pajak hotel"'))
    assert together.id in found and apart.id not in found
    assert {together.id, apart.id} <= set(ids(search(client, q="pajak hotel")))


def test_a_word_only_in_the_title_is_found_and_ranks_higher(client):
    titled = with_text(
        "Menetapkan ketentuan umum.", title="Penataan Menara Telekomunikasi", number="1"
    )
    mentioned = with_text("Menara telekomunikasi didata. Menetapkan ketentuan umum.", number="2")
    assert ids(search(client, q="telekomunikasi"))[:2] == [titled.id, mentioned.id]


@pytest.mark.parametrize(
    "q",
    [
        "perpres 49/2023",
        "Perpres No. 49/2023",
        "Peraturan Presiden Nomor 49 Tahun 2023",
        "peraturan presiden nomor 49 tahun 2023 gugus tugas",
    ],
)
def test_a_citation_puts_the_regulation_first(client, q):
    citing = with_text(TRAFFICKING + " Perpres 49/2023 " * 5)
    perpres = db.session.scalar(select(Regulation).where(Regulation.seed_key == "perpres-49-2023"))
    body = search(client, q=q)
    assert ids(body)[0] == perpres.id
    assert citing.id in ids(body)


def test_other_citation_shapes(client):
    body = search(client, q="UU 21 tahun 2007")
    assert (body["items"][0]["form"], body["items"][0]["number"]) == ("uu", "21")


def test_field_filters_in_the_query_and_as_parameters(client):
    decree = with_text(TAXES, number="188.45/9/KPTS/2024", year=2024, enacted_on="2024-03-01")
    assert ids(search(client, q="pajak jenis:kepwal tahun:2024")) == [decree.id]
    assert ids(search(client, q="pajak wilayah:16")) == [decree.id]
    assert ids(
        search(client, q="pajak", region="16.71", year_from=2024, year_to=2024, form="kepwal")
    ) == [decree.id]
    assert search(client, q="pajak", region="34")["total"] == 0
    assert ids(search(client, q="pajak NOT hotel")) == []
    assert decree.id in ids(search(client, q="pajak OR gugus"))


@pytest.mark.parametrize(
    "facet, param",
    [("form", "form"), ("year", "year"), ("province", "region"), ("in_force", "in_force")],
)
def test_a_facet_count_equals_the_results_it_narrows_to(client, facet, param):
    with_text(TRAFFICKING)
    with_text(
        TAXES,
        number="188.45/9/KPTS/2019",
        year=2019,
        enacted_on="2019-03-01",
        valid_until="2020-12-31",
    )
    facets = search(client, q="menimbang", per_page=1)["facets"]
    assert facets[facet]
    for value, count in facets[facet].items():
        params = {param: value} if param != "year" else {"year_from": value, "year_to": value}
        assert search(client, q="menimbang", **params)["total"] == count, (facet, value)


def test_sort_by_date_and_pages(client):
    with_text(TAXES, number="1", year=2020, enacted_on="2020-01-05")
    with_text(TAXES, number="2", year=2024, enacted_on="2024-01-05")
    body = search(client, q="pajak", sort="date", per_page=1)
    assert body["total"] == 2 and body["items"][0]["year"] == 2024
    assert search(client, q="pajak", sort="date", per_page=1, page=2)["items"][0]["year"] == 2020


@pytest.mark.parametrize(
    "q, why",
    [
        ('"gugus tugas', "kutip"),
        ("(pajak OR retribusi", "kurung"),
        ("warna:merah", "warna"),
        ("tahun:duaribu", "tahun"),
        ("yang dan", "kata"),
    ],
)
def test_a_query_the_parser_cannot_read_is_a_422(client, q, why):
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid"
    assert why in response.json["error"]["message"]


@whoosh_only(
    "an index folder that was never built; the PostgreSQL backend's table comes with "
    "the migration (its refusal on another database: test_postgresql_backend.py)"
)
def test_without_an_index_search_is_unavailable(app, client):
    app.config["SEARCH_INDEX_DIR"] = str(app.instance_path) + "/no-such-index"
    response = client.get("/api/v1/search", query_string={"q": "pajak"})
    assert response.status_code == 503
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "503" in paths["/api/v1/search"]["get"]["responses"]


def test_a_nul_character_in_the_query_is_422_naming_the_parameter(client):
    response = client.get("/api/v1/search", query_string={"q": "gugus\x00tugas"})
    assert response.status_code == 422
    assert response.json["error"]["details"]["fields"] == {
        "q": ["Tidak boleh memuat karakter NUL."]
    }


TOWERS = {
    "titled": {
        "title": "Penataan Menara Telekomunikasi",
        "subjects": ["TATA RUANG"],
        "text": "Menetapkan ketentuan umum tentang kabel serat optik.",
        "number": "1",
        "year": 2023,
        "enacted_on": "2023-02-01",
    },
    "mentioned": {
        "title": "Ketentuan Umum Bangunan",
        "subjects": ["TELEKOMUNIKASI"],
        "text": "Menara telekomunikasi didata setiap tahun. Menetapkan ketentuan umum.",
        "number": "2",
        "year": 2024,
        "enacted_on": "2024-02-01",
    },
}


@pytest.mark.parametrize(
    "q, expected",
    [
        ("judul:telekomunikasi", {"titled"}),
        ("subjek:telekomunikasi", {"mentioned"}),
        ("telekomunik*", {"titled", "mentioned"}),
        ("judul:telekom*", {"titled"}),
        ("tel?komunikasi", {"titled", "mentioned"}),
        ("*komunikasi", {"titled", "mentioned"}),
        ("judul:[telekomunikasi TO telekomunikasiz]", {"titled"}),
        ('judul:"menara telekomunikasi"', {"titled"}),
        ('judul:"telekomunikasi menara"', set()),
        ('"menara didata"~2', {"mentioned"}),
        ('"menara didata"', set()),
        ("menara ANDMAYBE kabel", {"titled", "mentioned"}),
        ("menara REQUIRE kabel", {"titled"}),
        ("menara ANDNOT kabel", {"mentioned"}),
        ("menara AND NOT (kabel OR bangunan)", set()),
        ("menara tahun:[2024 TO]", {"mentioned"}),
        ("menara tahun:2023", {"titled"}),
        ("menara jenis:kep*", {"titled", "mentioned"}),
        ("menara jenis:kep?al", {"titled", "mentioned"}),
        ("menara nomor:2", {"mentioned"}),
        ("menara (wilayah:16.71 OR tahun:1999)", {"titled", "mentioned"}),
        ("menara OR tahun:2023", {"titled", "mentioned"}),
        ("menara^3 kabel", {"titled"}),
    ],
)
def test_the_query_language_finds_the_same_on_every_backend(client, q, expected):
    """Fields, prefixes, wildcards, ranges, phrases with slop and the operators Whoosh's parser
    reads (the PostgreSQL backend translates each)."""
    made = {
        name: with_text(fields.pop("text"), **fields)
        for name, fields in ((name, dict(fields)) for name, fields in TOWERS.items())
    }
    names = {
        regulation_id: name
        for name, regulation_id in ((name, regulation.id) for name, regulation in made.items())
    }
    found = {
        names[found_id]
        for found_id in ids(search(client, q=q, region="16.71", per_page=100))
        if found_id in names
    }
    assert found == expected
