"""GET /api/v1/regions and /api/v1/regions/CODE."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..api import API_PREFIX, Blueprint, PageArgs, page_schema
from .models import LEVELS
from .registry import get_region, list_regions

blp = Blueprint("regions", __name__, url_prefix=f"{API_PREFIX}/regions",
                description="Wilayah: provinsi dan kabupaten/kota (kode Kemendagri).")


class RegionSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    parent_code = fields.String(allow_none=True, required=True)
    head_title = fields.String(required=True)
    seat = fields.String(allow_none=True, required=True)
    autonomous = fields.Boolean(required=True)


class RegionListArgs(PageArgs):
    level = fields.String(validate=validate.OneOf(LEVELS))
    parent = fields.String(validate=validate.Length(max=8))
    q = fields.String(validate=validate.Length(max=120))


@blp.route("")
class Regions(MethodView):
    @blp.arguments(RegionListArgs, location="query")
    @blp.response(200, page_schema(RegionSchema))
    def get(self, args):
        """Daftar wilayah, disaring menurut tingkat, induk, atau nama."""
        return list_regions(**args)


@blp.route("/<code>")
class RegionDetail(MethodView):
    @blp.response(200, RegionSchema)
    def get(self, code):
        """Satu wilayah menurut kode Kemendagri."""
        return get_region(code)
