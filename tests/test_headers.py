"""Security headers on pages and API answers; cross-site API calls only from configured origins."""

import pytest

from legalbase import create_app
from tests.factories import auth, make_user

PAGES = ["/", "/cari?q=perdagangan", "/masuk", "/api/v1/regions/16", "/halaman-tidak-ada"]


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_forbids_inline_scripts_framing_and_sniffing(client, path):
    headers = client.get(path).headers
    policy = dict(
        part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'" and "unsafe-inline" not in policy["style-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_the_pages_carry_no_inline_script_or_style(client):
    for path in ("/", "/wilayah/16", "/cari?q=perpres", "/masuk"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and " style=" not in page and " onclick=" not in page


def test_answers_to_a_signed_in_caller_are_not_stored_by_caches(client):
    _, token = make_user("ministry", None, username="kemen")
    assert client.get("/api/v1/regions/16", headers=auth(token)).headers["Cache-Control"] == (
        "private, no-store"
    )
    assert "no-store" not in client.get("/api/v1/regions/16").headers.get("Cache-Control", "")


def test_https_answers_ask_browsers_to_stay_on_https(client):
    assert "Strict-Transport-Security" in client.get("/", base_url="https://x.example").headers
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_no_site_may_call_the_api_from_a_browser_by_default(client):
    response = client.get("/api/v1/regions/16", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_a_configured_origin_may_call_the_api(app, tmp_path):
    other = create_app({**app.config, "CORS_ORIGINS": "https://jdih.example.go.id"})
    client = other.test_client()
    allowed = client.options(
        "/api/v1/regulations",
        headers={"Origin": "https://jdih.example.go.id", "Access-Control-Request-Method": "POST"},
    )
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://jdih.example.go.id"
    assert "Authorization" in allowed.headers["Access-Control-Allow-Headers"]
    refused = client.get("/api/v1/regions/16", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in refused.headers
    other.extensions["legalbase.db"].engine.dispose()
