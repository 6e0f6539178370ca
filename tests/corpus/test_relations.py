"""Relations through the API: labels both ways, and the checks on adding one."""

import pytest
from sqlalchemy import func, select

from legalbase.core import db
from legalbase.corpus.models import Relation
from tests.factories import auth, make_regulation, make_user


@pytest.fixture
def palembang():
    return make_user("region", "16.71")[1]


def relate(client, token, source, target, kind="amends", **extra):
    return client.post(
        f"/api/v1/regulations/{source.id}/relations",
        headers=auth(token),
        json={"type": kind, "target_id": target.id, **extra},
    )


def relation_count():
    return db.session.scalar(select(func.count()).select_from(Relation))


def test_outgoing_and_incoming_carry_labels_and_dates(client, palembang):
    old = make_regulation(number="1", year=2020)
    new = make_regulation(number="2", year=2025)
    response = relate(client, palembang, new, old, effective_on="2025-07-01")
    assert response.status_code == 201
    outgoing = response.json["outgoing"][0]
    assert (outgoing["label"], outgoing["inverse_label"]) == ("mengubah", "diubah oleh")
    assert (outgoing["regulation"]["id"], outgoing["effective_on"]) == (old.id, "2025-07-01")
    incoming = client.get(f"/api/v1/regulations/{old.id}/relations").json["incoming"][0]
    assert (incoming["label"], incoming["regulation"]["id"]) == ("diubah oleh", new.id)


def test_a_self_relation_is_422(client, palembang):
    decree = make_regulation()
    assert relate(client, palembang, decree, decree).status_code == 422


def test_a_revocation_cycle_is_422(client, palembang):
    a, b, c = (make_regulation(number=str(n)) for n in (1, 2, 3))
    assert relate(client, palembang, a, b, "revokes").status_code == 201
    assert relate(client, palembang, b, c, "revokes").status_code == 201
    before = relation_count()
    response = relate(client, palembang, c, a, "revokes")
    assert response.status_code == 422
    assert "lingkaran" in response.json["error"]["message"]
    assert relation_count() == before


def test_the_same_relation_twice_is_409(client, palembang):
    a, b = make_regulation(number="1"), make_regulation(number="2")
    relate(client, palembang, a, b, "cites")
    response = relate(client, palembang, a, b, "cites")
    assert response.status_code == 409
    assert response.json["error"]["code"] == "duplicate_relation"


def test_an_unknown_target_is_422_and_an_unknown_source_404(client, palembang):
    decree = make_regulation()
    response = client.post(
        f"/api/v1/regulations/{decree.id}/relations",
        headers=auth(palembang),
        json={"type": "cites", "target_id": 999999},
    )
    assert response.status_code == 422
    missing = client.post(
        "/api/v1/regulations/999999/relations",
        headers=auth(palembang),
        json={"type": "cites", "target_id": decree.id},
    )
    assert missing.status_code == 404


def test_relations_from_another_regions_record_are_403(client):
    decree = make_regulation()
    other = make_regulation(form="kepbup", region_code="16.03", number="9")
    _, token = make_user("region", "16.03")
    assert relate(client, token, decree, other, "cites").status_code == 403


def test_401_comes_before_404(client):
    response = client.post(
        "/api/v1/regulations/999999/relations", json={"type": "cites", "target_id": 1}
    )
    assert response.status_code == 401


def test_a_target_id_too_large_for_the_database_is_422_naming_it(client, palembang):
    decree = make_regulation()
    response = client.post(
        f"/api/v1/regulations/{decree.id}/relations",
        headers=auth(palembang),
        json={"type": "cites", "target_id": 2**63},
    )
    assert response.status_code == 422
    assert set(response.json["error"]["details"]["fields"]) == {"target_id"}
