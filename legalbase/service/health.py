"""GET /api/v1/health: is the service up and its database reachable; GET /api/v1/health/ready:
may a load balancer send it requests."""

import os
from importlib.metadata import version
from pathlib import Path

from flask import current_app
from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..core import db
from ..core.errors import Unavailable
from ..search import backend
from .api import API_PREFIX, Blueprint

blp = Blueprint(
    "health", __name__, url_prefix=f"{API_PREFIX}/health", description="Kesehatan layanan."
)


class HealthSchema(Schema):
    status = fields.String(required=True)
    database = fields.String(required=True)
    version = fields.String(required=True)


@blp.route("")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def get(self):
        """Status layanan dan basis data."""
        try:
            db.session.execute(text("SELECT 1"))
        except SQLAlchemyError:
            raise Unavailable("Basis data tidak dapat dihubungi.") from None
        return {
            "status": "ok",
            "database": db.engine().dialect.name,
            "version": version("legalbase"),
        }


class ReadinessSchema(Schema):
    status = fields.String(required=True)
    checks = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


@blp.route("/ready")
class Readiness(MethodView):
    @blp.response(200, ReadinessSchema)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def get(self):
        """Siap melayani: basis data terhubung dan pada skema terbaru, indeks pencarian ada,
        folder berkas dapat ditulis (untuk penyeimbang beban)."""
        checks = readiness_checks()
        if any(state != "ok" for state in checks.values()):
            raise Unavailable(
                "Layanan belum siap; lihat pemeriksaan yang gagal.",
                {"checks": checks},
                code="not_ready",
            )
        return {"status": "ready", "checks": checks}


def readiness_checks() -> dict:
    """Each precondition of serving, "ok" or what is wrong with it."""
    checks = {"database": _database_state()}
    if checks["database"] == "ok":
        checks["schema"] = _schema_state()
        checks["search_index"] = "ok" if backend().exists() else "belum dibangun"
    checks["files"] = _files_state()
    return checks


def _database_state() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except SQLAlchemyError:
        db.session.rollback()
        return "tidak dapat dihubungi"


def _schema_state() -> str:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from ..core.schema import alembic_config

    current = MigrationContext.configure(db.session.connection()).get_current_revision()
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    return "ok" if current == head else f"revisi {current}, terbaru {head}: jalankan migrasi"


def _files_state() -> str:
    folder = Path(current_app.instance_path) / "files"
    folder.mkdir(parents=True, exist_ok=True)
    return "ok" if os.access(folder, os.W_OK) else f"{folder} tidak dapat ditulis"
