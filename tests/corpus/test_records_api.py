"""Listing, changing, withdrawing a record and reading its history."""

from tests.factories import auth, make_regulation, make_user


def test_the_list_filters_by_form_region_year_and_subject(client):
    make_regulation(subjects=["Gugus Tugas"])
    make_regulation(form="kepbup", region_code="16.03", number="7", subjects=["ANAK"])
    province = client.get("/api/v1/regulations?region=16").json
    assert {item["region_code"] for item in province["items"]} == {"16.71", "16.03"}
    assert client.get("/api/v1/regulations?region=16&form=kepbup").json["total"] == 1
    subject = client.get("/api/v1/regulations?subject=gugus tugas&region=16").json
    assert [item["region_code"] for item in subject["items"]] == ["16.71"]
    national = client.get("/api/v1/regulations?region=national&year=2007").json
    assert [item["number"] for item in national["items"]] == ["21"]
    assert "text" not in national["items"][0]


def test_patch_changes_only_the_fields_sent_and_is_audited(client):
    user, token = make_user("region", "16.71")
    decree = make_regulation(custodian="Bagian Hukum")
    response = client.patch(
        f"/api/v1/regulations/{decree.id}",
        headers=auth(token),
        json={"title": "Judul yang diperbaiki"},
    )
    assert response.status_code == 200
    assert (response.json["title"], response.json["custodian"]) == (
        "Judul yang diperbaiki",
        "Bagian Hukum",
    )
    history = client.get(f"/api/v1/regulations/{decree.id}/history", headers=auth(token)).json
    assert [entry["action"] for entry in history] == ["create", "update"]
    assert history[1]["after"] == {"title": "Judul yang diperbaiki"}
    assert history[1]["actor"] == user.username


def test_patch_cannot_move_a_record_to_another_region(client):
    _, token = make_user("region", "16.71")
    decree = make_regulation()
    response = client.patch(
        f"/api/v1/regulations/{decree.id}", headers=auth(token), json={"region_code": "16.72"}
    )
    assert response.status_code == 403


def test_patch_of_another_regions_record_is_403_and_of_a_missing_one_404(client):
    _, token = make_user("region", "16.03")
    decree = make_regulation()
    assert (
        client.patch(
            f"/api/v1/regulations/{decree.id}", headers=auth(token), json={"title": "X"}
        ).status_code
        == 403
    )
    assert (
        client.patch(
            "/api/v1/regulations/999999", headers=auth(token), json={"title": "X"}
        ).status_code
        == 404
    )


def test_only_an_admin_withdraws_and_the_record_leaves_the_lists(client):
    decree = make_regulation()
    _, region_token = make_user("region", "16.71")
    _, admin_token = make_user("admin", None, username="admin")
    url = f"/api/v1/regulations/{decree.id}/withdraw"
    assert client.post(url, headers=auth(region_token), json={"reason": "x"}).status_code == 403
    assert client.post(url, headers=auth(admin_token), json={}).status_code == 422
    response = client.post(url, headers=auth(admin_token), json={"reason": "Nomor salah ketik"})
    assert response.status_code == 200
    assert response.json["withdrawn_reason"] == "Nomor salah ketik"
    assert response.json["in_force"] is False
    listed = client.get("/api/v1/regulations?region=16.71").json["items"]
    assert decree.id not in [item["id"] for item in listed]
    assert client.post(url, headers=auth(admin_token), json={"reason": "x"}).status_code == 409
    # The number is free again for a corrected record.
    assert make_regulation().id != decree.id


def test_history_is_private(client):
    decree = make_regulation()
    assert client.get(f"/api/v1/regulations/{decree.id}/history").status_code == 401
    _, other = make_user("region", "16.72")
    assert (
        client.get(f"/api/v1/regulations/{decree.id}/history", headers=auth(other)).status_code
        == 403
    )
    _, province = make_user("region", "16")
    assert (
        client.get(f"/api/v1/regulations/{decree.id}/history", headers=auth(province)).status_code
        == 200
    )


def test_a_record_without_a_file_has_no_download(client):
    decree = make_regulation()
    response = client.get(f"/api/v1/regulations/{decree.id}/file")
    assert response.status_code == 404


def test_patching_a_record_onto_another_ones_identity_is_409_and_changes_nothing(client):
    _, token = make_user("region", "16.71")
    first = make_regulation(number="1")
    second = make_regulation(number="2")
    response = client.patch(
        f"/api/v1/regulations/{second.id}", headers=auth(token), json={"number": "1"}
    )
    assert response.status_code == 409
    assert response.json["error"]["details"] == {"existing_id": first.id}
    assert client.get(f"/api/v1/regulations/{second.id}").json["number"] == "2"
