"""In force or not, as of a date: derived from dates and relations, never typed."""

from datetime import date

from sqlalchemy import select

from legalbase.core import db
from legalbase.corpus.models import Regulation
from legalbase.corpus.status import is_in_force, revoked_on
from tests.factories import auth, make_regulation, make_user


def seeded(key):
    return db.session.scalar(select(Regulation).where(Regulation.seed_key == key))


def test_a_perda_revoked_in_2025_is_in_force_before_and_not_after(client):
    perda = seeded("perda-34-6-2014")
    assert is_in_force(perda, date(2024, 12, 31))
    assert not is_in_force(perda, date(2025, 12, 31))
    assert revoked_on(perda) == date(2025, 10, 24)
    url = f"/api/v1/regulations/{perda.id}"
    assert client.get(f"{url}?as_of=2024-12-31").json["in_force"] is True
    assert client.get(f"{url}?as_of=2025-12-31").json["in_force"] is False


def test_the_revoking_perda_itself_starts_on_its_promulgation():
    perda = seeded("perda-34-6-2025")
    assert not is_in_force(perda, date(2025, 10, 23))
    assert is_in_force(perda, date(2025, 10, 24))


def test_an_amended_act_stays_in_force():
    assert is_in_force(seeded("perpres-69-2008"), date(2025, 1, 1))


def test_a_stated_period_ends_it():
    decree = make_regulation(valid_from="2025-01-01", valid_until="2025-12-31")
    assert is_in_force(decree, date(2025, 12, 31))
    assert not is_in_force(decree, date(2026, 1, 1))


def test_the_list_filters_in_force_as_of_a_date(client):
    def numbers(as_of, in_force):
        body = client.get(f"/api/v1/regulations?region=34&in_force={in_force}&as_of={as_of}").json
        return sorted((item["number"], item["year"]) for item in body["items"])

    assert numbers("2024-12-31", "true") == [("6", 2014)]
    assert numbers("2025-12-31", "true") == [("6", 2025)]
    assert numbers("2025-12-31", "false") == [("6", 2014)]


def test_a_revocation_recorded_later_changes_the_answer_for_that_date(client):
    _, token = make_user("region", "16.71")
    old = make_regulation(number="188.45/1/KPTS/2020", year=2020, enacted_on="2020-02-01")
    new = make_regulation(number="188.45/2/KPTS/2025", year=2025, enacted_on="2025-06-04")
    response = client.post(
        f"/api/v1/regulations/{new.id}/relations",
        headers=auth(token),
        json={"type": "revokes", "target_id": old.id},
    )
    assert response.status_code == 201
    assert is_in_force(old, date(2025, 6, 3))
    assert not is_in_force(old, date(2025, 6, 4))
