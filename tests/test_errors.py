"""Every API error has one shape; the conftest client checks each one the suite provokes."""

from sqlalchemy import func, select

from legalbase import create_app
from legalbase.core import db
from legalbase.regions.models import Region
from tests.factories import ERROR_CODES_SEEN, assert_error_shape


def test_unknown_api_path_is_a_404_in_the_shape(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_wrong_method_is_405_with_allow(client):
    response = client.delete("/api/v1/regions")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_malformed_authorization_header_is_401(client):
    response = client.get("/api/v1/regions/16", headers={"Authorization": "Basic abc"})
    assert response.status_code == 401
    assert "Bearer" in response.json["error"]["message"]


def test_an_unexpected_failure_is_a_500_in_the_shape_and_rolls_back(database_url, tmp_path):
    app = create_app(
        {"DATABASE_URL": database_url, "SECRET_KEY": "t", "INSTANCE_DIR": str(tmp_path)}
    )

    @app.get("/api/v1/boom")
    def boom():
        db.session.add(Region(code="98", name="Sementara", level="provinsi", head_title="X"))
        db.session.flush()
        raise RuntimeError("kaboom")

    response = app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert_error_shape(response)
    assert "kaboom" not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Region.code == "98")) == 0
    app.extensions["legalbase.db"].engine.dispose()


def test_the_suite_has_provoked_errors_of_many_kinds(client):
    """Runs last in this file: by now the shape checker has seen several statuses."""
    client.get("/api/v1/regions/00")
    statuses = {status for status, _ in ERROR_CODES_SEEN}
    assert {404, 405, 401} <= statuses
