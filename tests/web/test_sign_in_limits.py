"""Sign-in guessing is limited per account and per client address, in the database."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from legalbase.accounts.models import LoginAttempt
from legalbase.core import db
from tests.factories import make_user
from tests.web.test_pages import csrf

PASSWORD = "kata-sandi-yang-benar"


@pytest.fixture
def officer():
    return make_user("region", "16.03", username="muaraenim", password=PASSWORD)[0]


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        "/masuk",
        data={"username": username, "password": password, "csrf_token": csrf(client)},
        environ_base={"REMOTE_ADDR": address},
    )


def test_after_five_failures_even_the_right_password_waits(client, officer):
    for attempt in range(5):
        assert sign_in(client, "muaraenim", "salah", f"10.0.0.{attempt}").status_code == 401
    refused = sign_in(client, "muaraenim", PASSWORD, "10.0.0.99")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Terlalu banyak percobaan masuk" in refused.get_data(as_text=True)
    assert "Keluar" not in client.get("/").get_data(as_text=True)


def test_the_account_signs_in_again_once_the_failures_leave_the_window(client, officer):
    for _ in range(5):
        sign_in(client, "muaraenim", "salah")
    assert sign_in(client, "muaraenim", PASSWORD).status_code == 429
    db.session.execute(update(LoginAttempt).values(at=LoginAttempt.at - timedelta(hours=1)))
    db.session.commit()
    assert sign_in(client, "muaraenim", PASSWORD).status_code == 302


def test_a_success_forgives_the_accounts_earlier_failures(client, officer):
    for _ in range(4):
        sign_in(client, "muaraenim", "salah")
    assert sign_in(client, "muaraenim", PASSWORD).status_code == 302
    for _ in range(4):
        assert sign_in(client, "muaraenim", "salah").status_code == 401


def test_one_address_guessing_many_accounts_is_stopped(client, officer, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ATTEMPTS_PER_ADDRESS", 8)
    for number in range(8):
        assert sign_in(client, f"tebakan-{number}", "salah", "192.0.2.7").status_code == 401
    assert sign_in(client, "muaraenim", PASSWORD, "192.0.2.7").status_code == 429
    assert sign_in(client, "muaraenim", PASSWORD, "192.0.2.8").status_code == 302


def test_the_session_cookie_is_secure_over_https_only(client, officer):
    client.get("/masuk", base_url="https://legalbase.example")
    assert client.get_cookie("session", domain="legalbase.example").secure
    plain = client.application.test_client()
    plain.get("/masuk")
    assert not plain.get_cookie("session").secure
