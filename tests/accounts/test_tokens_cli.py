"""API tokens: issued with an optional expiry, listed without their secret, revoked for good."""

from sqlalchemy import select

from legalbase.accounts.models import ApiToken
from legalbase.core import db
from legalbase.core.audit import AuditEntry
from tests.factories import auth, make_user, regulation_data


def last_line(result):
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def test_a_revoked_token_stops_working_at_once_and_the_others_keep_working(runner, client):
    user, first = make_user("region", "16.71")
    second = last_line(runner.invoke(args=["users", "token", user.username, "--label", "skrip"]))
    listing = runner.invoke(args=["users", "tokens", user.username]).output
    rows = [line.split("\t") for line in listing.splitlines()[1:]]
    assert [row[6] for row in rows] == ["aktif", "aktif"]
    assert first not in listing and second not in listing  # only prefixes are shown
    assert rows[1][3] == "skrip"

    result = runner.invoke(args=["users", "revoke", rows[0][0]])
    assert result.exit_code == 0 and "dicabut" in result.output
    refused = client.post("/api/v1/regulations", json=regulation_data(), headers=auth(first))
    assert refused.status_code == 401
    accepted = client.post("/api/v1/regulations", json=regulation_data(), headers=auth(second))
    assert accepted.status_code == 201
    assert "dicabut" in runner.invoke(args=["users", "tokens", user.username]).output


def test_revoking_twice_or_an_unknown_token_says_so(runner):
    make_user("region", "16.71")
    token_id = db.session.scalars(select(ApiToken.id)).first()
    assert runner.invoke(args=["users", "revoke", str(token_id)]).exit_code == 0
    again = runner.invoke(args=["users", "revoke", str(token_id)])
    assert again.exit_code == 1 and "sudah dicabut" in again.output
    unknown = runner.invoke(args=["users", "revoke", "999999"])
    assert unknown.exit_code == 1 and "tidak ditemukan" in unknown.output


def test_an_expired_token_is_refused_and_listed_as_expired(runner, client):
    user, _ = make_user("region", "16.71")
    token = last_line(
        runner.invoke(args=["users", "token", user.username, "--expires-in-days", "1"])
    )
    assert (
        client.post("/api/v1/regulations", json=regulation_data(), headers=auth(token)).status_code
        == 201
    )
    stored = db.session.scalars(select(ApiToken).order_by(ApiToken.id.desc())).first()
    stored.expires_at = stored.created_at  # a day has passed, as far as the token knows
    db.session.commit()
    response = client.post(
        "/api/v1/regulations", json=regulation_data(number="2"), headers=auth(token)
    )
    assert response.status_code == 401
    assert "kedaluwarsa" in response.json["error"]["message"]
    assert "kedaluwarsa" in runner.invoke(args=["users", "tokens", user.username]).output


def test_revocations_are_in_the_audit_log(runner):
    user, _ = make_user("region", "16.71")
    token_id = db.session.scalars(select(ApiToken.id)).first()
    runner.invoke(args=["users", "revoke", str(token_id)])
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "revoke_token")
    ).all()
    assert [(e.actor_label, e.entity_id, e.region_code) for e in entries] == [
        ("cli", str(user.id), "16.71")
    ]
