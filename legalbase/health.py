"""GET /api/v1/health: is the service up and its database reachable."""

from importlib.metadata import version

from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from . import db
from .api import API_PREFIX, Blueprint
from .errors import Unavailable

blp = Blueprint("health", __name__, url_prefix=f"{API_PREFIX}/health",
                description="Kesehatan layanan.")


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
        return {"status": "ok", "database": db.engine().dialect.name,
                "version": version("legalbase")}
