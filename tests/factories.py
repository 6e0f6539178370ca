"""Small factory functions that build test data through the domain code, plus shared checks."""

from legalbase.accounts.users import create_user, issue_token
from legalbase.core import db
from legalbase.core.audit import Actor
from legalbase.corpus.regulations import create_regulation

TEST_ACTOR = Actor("tests")
ERROR_CODES_SEEN: set = set()


def make_user(role="region", region_code="16.71", username=None, password=None):
    """A user with a fresh API token; returns (user, token)."""
    user = create_user(
        username,
        f"Pengguna uji {role} {region_code or ''}",
        role,
        region_code if role == "region" else None,
        TEST_ACTOR,
        password=password,
    )
    token = issue_token(user, TEST_ACTOR)
    db.session.commit()
    return user, token


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def regulation_data(**overrides):
    """Metadata of a Keputusan Wali Kota Palembang, with any field overridden."""
    data = {
        "form": "kepwal",
        "number": "188.45/123/KPTS/2025",
        "year": 2025,
        "title": "Pembentukan Gugus Tugas Pencegahan dan Penanganan Tindak Pidana "
        "Perdagangan Orang Kota Palembang",
        "region_code": "16.71",
        "enacted_on": "2025-06-04",
    }
    data.update(overrides)
    return data


def make_regulation(**overrides):
    regulation = create_regulation(regulation_data(**overrides), TEST_ACTOR)
    db.session.commit()
    return regulation


def assert_error_shape(response):
    """The one error shape: {"error": {"code": snake_case, "message": text, "details": {}}}."""
    body = response.get_json()
    assert response.mimetype == "application/json", response.data
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "details"}, body
    assert error["code"].replace("_", "").isalpha() and error["code"].islower(), body
    assert isinstance(error["message"], str) and error["message"], body
    assert isinstance(error["details"], dict), body
