def test_provinces_total_38(client):
    body = client.get("/api/v1/regions?level=provinsi").json
    assert body["total"] == 38
    assert set(body) == {"items", "total", "page", "per_page"}


def test_kabupaten_plus_kota_total_514(client):
    kabupaten = client.get("/api/v1/regions?level=kabupaten").json["total"]
    kota = client.get("/api/v1/regions?level=kota").json["total"]
    assert kabupaten + kota == 514


def test_region_detail_answers_the_registry_fields(client):
    body = client.get("/api/v1/regions/16.71").json
    assert body == {
        "code": "16.71",
        "name": "Kota Palembang",
        "level": "kota",
        "parent_code": "16",
        "head_title": "WALI KOTA PALEMBANG",
        "seat": "Palembang",
        "seat_confidence": "curated",
        "seat_confidence_label": "fakta registri legalbase",
        "seat_source": "facts.csv",
        "seat_note": "kota: pusat pemerintahan di kota itu sendiri",
        "autonomous": True,
    }


def test_the_six_units_of_jakarta_are_listed_as_not_autonomous(client):
    items = client.get("/api/v1/regions?parent=31").json["items"]
    assert len(items) == 6
    assert not any(item["autonomous"] for item in items)


def test_children_of_a_province_by_parent(client):
    body = client.get("/api/v1/regions?parent=16").json
    assert body["total"] == 17
    assert all(item["parent_code"] == "16" for item in body["items"])


def test_name_search_is_case_insensitive(client):
    names = [item["name"] for item in client.get("/api/v1/regions?q=palembang").json["items"]]
    assert names == ["Kota Palembang"]


def test_pages_split_the_list(client):
    first = client.get("/api/v1/regions?level=provinsi&per_page=10&page=4").json
    assert (first["page"], first["per_page"], first["total"]) == (4, 10, 38)
    assert len(first["items"]) == 8


def test_unknown_region_is_a_404(client):
    response = client.get("/api/v1/regions/99.99")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert "99.99" in response.json["error"]["message"]


def test_bad_filters_are_422_naming_the_field(client):
    response = client.get("/api/v1/regions?level=desa&per_page=0")
    assert response.status_code == 422
    fields = response.json["error"]["details"]["fields"]
    assert set(fields) == {"level", "per_page"}
    assert fields["level"] == ["Harus salah satu dari: provinsi, kabupaten, kota."]


def test_a_page_beyond_any_offset_is_422_not_a_server_error(client):
    response = client.get(f"/api/v1/regions?page={2**70}")
    assert response.status_code == 422
    assert set(response.json["error"]["details"]["fields"]) == {"page"}


def test_a_nul_character_is_a_404_in_the_path_and_a_422_in_the_query(client):
    assert client.get("/api/v1/regions/%00").status_code == 404
    response = client.get("/api/v1/regions?q=Palembang%00")
    assert response.status_code == 422
    assert response.json["error"]["details"]["fields"] == {
        "q": ["Tidak boleh memuat karakter NUL."]
    }


def test_the_document_lists_every_error_a_read_can_answer(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    # 401: a token that is sent must be valid, even where none is needed.
    assert set(paths["/api/v1/regions/{code}"]["get"]["responses"]) == {"200", "401", "404"}
    assert set(paths["/api/v1/regions"]["get"]["responses"]) == {"200", "401", "422"}
    response = client.get("/api/v1/regions/16.71", headers={"Authorization": "Bearer salah"})
    assert response.status_code == 401
