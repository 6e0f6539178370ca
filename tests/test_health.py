"""Liveness and readiness: what a load balancer asks before sending requests."""

from legalbase.core.schema import downgrade_database
from legalbase.search import backend


def test_ready_when_the_database_schema_index_and_files_are(app, client, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "search"))
    backend().rebuild()
    response = client.get("/api/v1/health/ready")
    assert response.status_code == 200
    assert response.json == {
        "status": "ready",
        "checks": {"database": "ok", "schema": "ok", "search_index": "ok", "files": "ok"},
    }


def test_not_ready_without_a_search_index(app, client, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "none"))
    response = client.get("/api/v1/health/ready")
    assert response.status_code == 503
    assert response.json["error"]["code"] == "not_ready"
    assert response.json["error"]["details"]["checks"]["search_index"] == "belum dibangun"
    assert client.get("/api/v1/health").status_code == 200  # alive, just not ready


def test_not_ready_on_an_old_schema(empty_instance):
    with empty_instance() as other, other.app_context():
        downgrade_database("0006")
        response = other.test_client().get("/api/v1/health/ready")
        assert response.status_code == 503
        schema = response.json["error"]["details"]["checks"]["schema"]
        assert schema.startswith("revisi 0006") and "jalankan migrasi" in schema
