"""The audit log over the API: who changed what and when; admins read it all, a region its own."""

from tests.factories import auth, make_user, regulation_data


def store(client, token, **overrides):
    response = client.post(
        "/api/v1/regulations", json=regulation_data(**overrides), headers=auth(token)
    )
    assert response.status_code == 201, response.json
    return response.json


def test_a_write_shows_who_when_and_what_changed(client):
    officer, token = make_user("region", "16.71", username="palembang")
    _, admin = make_user("admin", None, username="admin")
    regulation = store(client, token)
    client.patch(
        f"/api/v1/regulations/{regulation['id']}", json={"title": "Judul baru"}, headers=auth(token)
    )
    log = client.get(
        "/api/v1/audit",
        query_string={"entity_type": "regulation", "entity_id": regulation["id"]},
        headers=auth(admin),
    ).json
    assert [entry["action"] for entry in log["items"]] == ["update", "create"]
    update = log["items"][0]
    assert (update["actor"], update["actor_id"], update["region_code"]) == (
        "palembang",
        officer.id,
        "16.71",
    )
    assert update["after"] == {"title": "Judul baru"}
    assert update["before"]["title"] == regulation["title"]
    assert update["at"]


def test_a_region_reads_its_own_entries_only(client):
    _, palembang = make_user("region", "16.71", username="palembang")
    _, lubuklinggau = make_user("region", "16.73", username="lubuklinggau")
    store(client, palembang)
    store(client, lubuklinggau, region_code="16.73", number="7")
    own = client.get("/api/v1/audit", headers=auth(palembang)).json
    assert own["total"] >= 1
    assert {entry["region_code"] for entry in own["items"]} == {"16.71"}
    other = client.get("/api/v1/audit", query_string={"region": "16.73"}, headers=auth(palembang))
    assert other.status_code == 403


def test_the_ministry_and_anonymous_callers_do_not_read_the_log(client):
    _, ministry = make_user("ministry", None, username="kemen")
    assert client.get("/api/v1/audit", headers=auth(ministry)).status_code == 403
    assert client.get("/api/v1/audit").status_code == 401


def test_no_route_changes_or_removes_audit_entries(client):
    _, admin = make_user("admin", None, username="admin")
    for method in ("put", "patch", "delete", "post"):
        response = getattr(client, method)("/api/v1/audit", headers=auth(admin), json={})
        assert response.status_code == 405
    assert client.delete("/api/v1/audit/1", headers=auth(admin)).status_code == 404


def test_me_names_the_tokens_owner(client):
    _, token = make_user("region", "16.71", username="palembang")
    assert client.get("/api/v1/me", headers=auth(token)).json == {
        "username": "palembang",
        "display_name": "Pengguna uji region 16.71",
        "role": "region",
        "region_code": "16.71",
    }
