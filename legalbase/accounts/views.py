"""GET /api/v1/me (who the token belongs to) and GET /api/v1/audit (the append-only log: all of
it for admins, a region's own records for that region; no route changes it)."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..core.audit import audit_entries
from ..service.api import API_PREFIX, BEARER, Blueprint, PageArgs, Timestamp, page_schema
from .auth import current_user, token_required
from .policy import require

blp = Blueprint(
    "accounts", __name__, url_prefix=API_PREFIX, description="Akun pemanggil dan log audit."
)


class MeSchema(Schema):
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    role = fields.String(required=True)
    region_code = fields.String(allow_none=True, required=True)


class AuditLogEntrySchema(Schema):
    id = fields.Integer(required=True)
    at = Timestamp(required=True)
    actor = fields.String(attribute="actor_label", required=True)
    actor_id = fields.Integer(allow_none=True, required=True)
    action = fields.String(required=True)
    entity_type = fields.String(required=True)
    entity_id = fields.String(required=True)
    region_code = fields.String(allow_none=True, required=True)
    before = fields.Dict(allow_none=True, required=True)
    after = fields.Dict(allow_none=True, required=True)


class AuditArgs(PageArgs):
    region = fields.String(
        validate=validate.Length(min=1, max=8),
        metadata={
            "description": "Kode wilayah; pengguna wilayah hanya membaca wilayahnya sendiri."
        },
    )
    entity_type = fields.String(validate=validate.Length(min=1, max=40))
    entity_id = fields.String(validate=validate.Length(min=1, max=64))


@blp.route("/me")
class Me(MethodView):
    @token_required
    @blp.doc(security=BEARER)
    @blp.response(200, MeSchema)
    def get(self):
        """Pemilik token yang dipakai: peran dan wilayahnya."""
        return current_user()


@blp.route("/audit")
class AuditLog(MethodView):
    @token_required
    @blp.doc(security=BEARER)
    @blp.arguments(AuditArgs, location="query")
    @blp.response(200, page_schema(AuditLogEntrySchema))
    def get(self, args):
        """Log audit (terbaru dahulu): siapa mengubah apa dan kapan. Admin membaca semuanya;
        pengguna wilayah membaca catatan wilayahnya sendiri."""
        user = current_user()
        region = args.pop("region", None) or (user.region_code if user.role == "region" else None)
        require(user, "read_audit", region)
        page = audit_entries(region, **args)
        return {
            "items": page.items,
            "total": page.total,
            "page": page.page,
            "per_page": page.per_page,
        }
