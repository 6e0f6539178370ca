"""GET /api/v1/regions and /api/v1/regions/CODE; PATCH /api/v1/regions/CODE (its seat)."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..accounts.auth import current_actor, current_user, token_required
from ..accounts.policy import require
from ..service.api import (
    API_PREFIX,
    BEARER,
    Blueprint,
    PageArgs,
    json_request_body,
    load_json,
    page_schema,
)
from .models import LEVELS, SEAT_CONFIDENCE
from .registry import get_region, list_regions
from .seats import SEAT_MAX, correct_seat
from .seed import NOTE_MAX

blp = Blueprint(
    "regions",
    __name__,
    url_prefix=f"{API_PREFIX}/regions",
    description="Wilayah: provinsi dan kabupaten/kota (kode Kemendagri).",
)


class RegionSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    parent_code = fields.String(allow_none=True, required=True)
    head_title = fields.String(required=True)
    seat = fields.String(allow_none=True, required=True)
    seat_confidence = fields.String(
        allow_none=True,
        required=True,
        validate=validate.OneOf(list(SEAT_CONFIDENCE)),
        metadata={
            "description": "Keyakinan atas ibu kota: "
            + "; ".join(f"{key} = {label}" for key, label in SEAT_CONFIDENCE.items())
        },
    )
    seat_confidence_label = fields.String(allow_none=True, required=True)
    seat_source = fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "Asal ibu kota: facts.csv, seats.csv (huruf sumber A/B/C, "
            "lihat corpus/regions/README.md), atau koreksi daerah"
        },
    )
    seat_note = fields.String(allow_none=True, required=True)
    autonomous = fields.Boolean(required=True)


class SeatCorrectionSchema(Schema):
    seat = fields.String(
        required=True,
        validate=validate.Length(min=1, max=SEAT_MAX),
        metadata={"description": "Ibu kota (tempat penetapan keputusan)"},
    )
    note = fields.String(
        allow_none=True,
        validate=validate.Length(max=NOTE_MAX),
        metadata={"description": "Dasar koreksi, misalnya SK atau UU yang menyebut ibu kota"},
    )


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

    @token_required
    @blp.doc(security=BEARER, requestBody=json_request_body(SeatCorrectionSchema))
    @blp.response(200, RegionSchema)
    def patch(self, code):
        """Koreksi ibu kota wilayah sendiri (pengguna wilayah itu atau admin); tercatat di log
        audit dan tidak ditimpa oleh `corpus sync`."""
        region = get_region(code)
        require(current_user(), "correct_region", region.code)
        args = load_json(SeatCorrectionSchema())
        correct_seat(region, args["seat"], args.get("note"), current_actor())
        return region
