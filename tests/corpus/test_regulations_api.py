from datetime import datetime, timedelta

from sqlalchemy import func, select

from legalbase.core import db
from legalbase.core.audit import AuditEntry
from legalbase.corpus.models import Regulation
from tests.factories import auth, make_regulation, make_user, regulation_data


def regulation_count():
    return db.session.scalar(select(func.count()).select_from(Regulation))


def post(client, token, data, **kwargs):
    headers = auth(token) if token else {}
    return client.post("/api/v1/regulations", json=data, headers=headers, **kwargs)


def test_a_region_stores_its_own_decree_and_the_write_is_audited(client):
    user, token = make_user("region", "16.71")
    response = post(client, token, regulation_data())
    assert response.status_code == 201
    body = response.json
    assert (body["form"], body["number"], body["region_code"]) == (
        "kepwal",
        "188.45/123/KPTS/2025",
        "16.71",
    )
    assert body["form_name"] == "Keputusan Wali Kota"
    entry = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_type == "regulation", AuditEntry.entity_id == str(body["id"])
        )
    ).one()
    assert (entry.action, entry.actor_id, entry.before) == ("create", user.id, None)
    assert entry.after["number"] == "188.45/123/KPTS/2025"
    assert client.get(f"/api/v1/regulations/{body['id']}").json["title"] == body["title"]


def test_the_ministry_stores_national_regulations(client):
    _, token = make_user("ministry", None)
    data = regulation_data(
        form="perkahar", number="1", year=2025, region_code=None, title="Pembentukan Subgugus Tugas"
    )
    assert post(client, token, data).status_code == 201


def test_missing_or_bad_token_is_401(client):
    before = regulation_count()
    assert post(client, None, regulation_data()).status_code == 401
    response = client.post(
        "/api/v1/regulations",
        json=regulation_data(),
        headers={"Authorization": "Bearer lb_not-a-token"},
    )
    assert response.status_code == 401
    assert "Token" in response.json["error"]["message"]
    assert regulation_count() == before


def test_another_regions_write_is_403_and_leaves_nothing(client):
    _, token = make_user("region", "16.71")
    before = regulation_count()
    response = post(client, token, regulation_data(form="kepbup", region_code="16.03"))
    assert response.status_code == 403
    assert response.json["error"]["details"]["region_code"] == "16.03"
    assert regulation_count() == before


def test_a_province_user_does_not_write_its_kabupatens_records(client):
    _, token = make_user("region", "16")
    response = post(client, token, regulation_data(form="kepbup", region_code="16.03"))
    assert response.status_code == 403


def test_the_ministry_writes_no_regions_own_records(client):
    _, token = make_user("ministry", None)
    assert post(client, token, regulation_data()).status_code == 403


def test_a_region_writes_no_national_regulation(client):
    _, token = make_user("region", "16.71")
    data = regulation_data(form="perpres", region_code=None)
    assert post(client, token, data).status_code == 403


def test_403_comes_before_422(client):
    _, token = make_user("region", "16.71")
    data = regulation_data(form="kepbup", region_code="16.03", year="not a year")
    assert post(client, token, data).status_code == 403


def test_an_unknown_region_in_the_body_is_422(client):
    _, token = make_user("region", "16.71")
    response = post(client, token, regulation_data(region_code="99.99"))
    assert response.status_code == 422
    assert "region_code" in response.json["error"]["details"]["fields"]


def test_a_regional_form_must_name_a_region_of_its_level(client):
    _, token = make_user("admin", None)
    response = post(client, token, regulation_data(form="kepbup", region_code="16.71"))
    assert response.status_code == 422
    assert response.json["error"]["details"]["fields"]["region_code"] == [
        "Keputusan Bupati harus menyebut kode wilayah tingkat kabupaten."
    ]
    national = post(client, token, regulation_data(form="uu", region_code="16.71"))
    assert national.status_code == 422


def test_invalid_fields_are_422_naming_each_field_in_indonesian(client):
    _, token = make_user("region", "16.71")
    data = regulation_data(year="2025x", title="  ", colour="red")
    del data["number"]
    response = post(client, token, data)
    assert response.status_code == 422
    fields = response.json["error"]["details"]["fields"]
    assert set(fields) == {"year", "title", "number", "colour"}
    assert fields["number"] == ["Wajib diisi."]
    assert fields["colour"] == ["Kolom tidak dikenal."]


def test_a_decree_is_enacted_never_promulgated(client):
    _, token = make_user("region", "16.71")
    response = post(client, token, regulation_data(promulgated_on="2025-06-05"))
    assert response.status_code == 422
    assert "promulgated_on" in response.json["error"]["details"]["fields"]


def test_a_duplicate_number_compared_case_folded_is_409(client):
    _, token = make_user("region", "16.71")
    first = make_regulation(number="188.45/123/KPTS/2025")
    response = post(client, token, regulation_data(number=" 188.45/123/kpts/2025 "))
    assert response.status_code == 409
    assert response.json["error"]["details"] == {"existing_id": first.id}


def test_a_duplicate_national_regulation_is_409_despite_its_null_region(client):
    _, token = make_user("ministry", None)
    data = regulation_data(form="uu", number="21", year=2007, region_code=None, title="Lagi")
    response = post(client, token, data)
    assert response.status_code == 409
    assert response.json["error"]["code"] == "duplicate_regulation"


def test_a_body_that_is_not_json_is_415(client):
    _, token = make_user("region", "16.71")
    response = client.post(
        "/api/v1/regulations", data="form=kepwal", headers=auth(token), content_type="text/plain"
    )
    assert response.status_code == 415


def test_broken_json_is_422(client):
    _, token = make_user("region", "16.71")
    response = client.post(
        "/api/v1/regulations",
        data="{not json",
        headers=auth(token),
        content_type="application/json",
    )
    assert response.status_code == 422


def test_a_body_over_the_limit_is_413(client, app):
    _, token = make_user("region", "16.71")
    huge = regulation_data(text="x" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    response = post(client, token, huge)
    assert response.status_code == 413


def test_an_unknown_regulation_is_404(client):
    response = client.get("/api/v1/regulations/999999")
    assert response.status_code == 404
    assert "999999" in response.json["error"]["message"]


def test_an_id_too_large_for_the_database_is_404_not_a_server_error(client):
    for regulation_id in ("0", "2147483648", "99999999999999999999999"):
        assert client.get(f"/api/v1/regulations/{regulation_id}").status_code == 404


def test_timestamps_carry_their_utc_offset(client):
    _, token = make_user("region", "16.71")
    body = post(client, token, regulation_data()).json
    for name in ("created_at", "updated_at"):
        assert datetime.fromisoformat(body[name]).utcoffset() == timedelta(0), body[name]


def test_dates_outside_the_years_of_the_corpus_are_422(client):
    _, token = make_user("region", "16.71")
    response = post(client, token, regulation_data(valid_until="9999-12-31"))
    assert response.status_code == 422
    assert response.json["error"]["details"]["fields"] == {
        "valid_until": ["Harus antara 1900-01-01 dan 2100-12-31."]
    }
    assert client.get("/api/v1/regulations?as_of=0999-01-01").status_code == 422


def test_a_nul_character_anywhere_in_the_body_is_422(client):
    _, token = make_user("region", "16.71")
    response = post(client, token, regulation_data(title="Gugus\x00Tugas"))
    assert response.status_code == 422
    assert response.json["error"]["details"]["fields"] == {
        "_body": ["Tidak boleh memuat karakter NUL."]
    }
    assert client.get("/api/v1/regulations?subject=a%00").status_code == 422


def test_the_document_lists_the_409_of_every_write_that_can_conflict(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path, method in (
        ("/regulations", "post"),
        ("/regulations/{regulation_id}", "patch"),
        ("/regulations/{regulation_id}/withdraw", "post"),
        ("/regulations/{regulation_id}/relations", "post"),
    ):
        assert "409" in paths[f"/api/v1{path}"][method]["responses"], (method, path)
