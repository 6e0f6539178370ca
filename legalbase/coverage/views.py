"""The coverage API: by region, by province, over time, attestations, export. `/impact`, nested
in this blueprint, is served by the room of drafts, which adds the drafts citing a regulation."""

from datetime import date

from flask import Response
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..accounts.auth import current_actor, current_user, token_required
from ..accounts.policy import require
from ..corpus.schemas import RelatedRegulationSchema
from ..regions.models import LEVELS
from ..regions.registry import get_region
from ..service.api import (
    API_PREFIX,
    BEARER,
    Blueprint,
    Day,
    json_request_body,
    load_json,
)
from .basis import STATUSES
from .export import coverage_csv, coverage_xlsx
from .reports import (
    coverage_report,
    province_indicators,
    record_attestation,
    region_report,
    timeline,
)

blp = Blueprint(
    "coverage",
    __name__,
    url_prefix=f"{API_PREFIX}/coverage",
    description="Cakupan dasar hukum Gugus Tugas PP-TPPO per wilayah.",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReasonSchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)


class InProgressSchema(Schema):
    draft_id = fields.Integer(required=True)
    state = fields.String(required=True, metadata={"description": "draf atau diajukan"})
    state_label = fields.String(required=True)
    since = fields.Date(required=True, metadata={"description": "Sejak tanggal keadaan ini"})


class CoverageItemSchema(Schema):
    region_code = fields.String(attribute="region.code", required=True)
    region_name = fields.String(attribute="region.name", required=True)
    level = fields.String(attribute="region.level", required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    reasons = fields.List(fields.Nested(ReasonSchema), required=True)
    basis = fields.List(fields.Nested(RelatedRegulationSchema), required=True)
    overdue_days = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "Hari sejak tenggat mandat (aturan cakupan); null bila current"},
    )
    in_progress = fields.Nested(
        InProgressSchema,
        allow_none=True,
        required=True,
        metadata={
            "description": "Draf dasar hukum yang sedang disusun (belum ditetapkan); null bila "
            "tidak ada atau wilayah sudah current/not_required"
        },
    )


SummarySchema = Schema.from_dict(
    {status: fields.Integer(required=True) for status in (*STATUSES, "total", "in_progress")},
    name="CoverageSummary",
)


class CoverageSchema(Schema):
    as_of = fields.Date(required=True)
    rules_version = fields.String(required=True)
    summary = fields.Nested(SummarySchema, required=True)
    items = fields.List(fields.Nested(CoverageItemSchema), required=True)


class CoverageArgs(Schema):
    province = fields.String(validate=validate.Length(max=8))
    level = fields.String(validate=validate.OneOf(LEVELS))
    status = fields.String(validate=validate.OneOf(STATUSES))
    as_of = Day()


class AsOfArgs(Schema):
    as_of = Day()


class HistoryEntrySchema(Schema):
    date = fields.Date(required=True)
    status = fields.String(required=True)


class RegionCoverageSchema(Schema):
    item = fields.Nested(CoverageItemSchema, required=True)
    history = fields.List(fields.Nested(HistoryEntrySchema), required=True)


class TimelineArgs(Schema):
    start = Day(required=True, data_key="from")
    end = Day(required=True, data_key="to")


class TimelinePointSchema(Schema):
    month = fields.String(required=True)
    as_of = fields.Date(required=True)
    summary = fields.Nested(SummarySchema, required=True)


class ProvinceRowSchema(Schema):
    region_code = fields.String(required=True)
    region_name = fields.String(required=True)
    status = fields.String(required=True)
    kabkota_total = fields.Integer(required=True)
    kabkota_without_current = fields.Integer(required=True)
    kabkota_in_progress = fields.Integer(
        required=True,
        metadata={"description": "Kabupaten/kota tanpa dasar hukum berlaku yang sedang menyusun"},
    )
    share_without_current = fields.Float(required=True)
    kabkota_unreported = fields.Integer(
        required=True, metadata={"description": "Kabupaten/kota yang belum melapor"}
    )
    kabkota_lacking_reported = fields.Integer(
        required=True,
        metadata={
            "description": "Kabupaten/kota yang sudah melapor tetapi tanpa dasar hukum berlaku"
        },
    )
    share_lacking_reported = fields.Float(
        required=True,
        allow_none=True,
        metadata={
            "description": "Porsi tanpa dasar hukum berlaku di antara yang sudah melapor; "
            "null bila belum ada yang melapor"
        },
    )
    max_overdue_days = fields.Integer(required=True)


class AttestationInputSchema(Schema):
    has_basis = fields.Boolean(required=True)
    stated_on = Day(required=True)
    note = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class AttestationSchema(AttestationInputSchema):
    id = fields.Integer(required=True)
    region_code = fields.String(required=True)
    stated_by_label = fields.String(required=True)


@blp.route("")
class Coverage(MethodView):
    @blp.arguments(CoverageArgs, location="query")
    @blp.response(200, CoverageSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args):
        """Status dasar hukum setiap wilayah, dengan ringkasannya."""
        return coverage_report(**args)


@blp.route("/provinces")
class Provinces(MethodView):
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, ProvinceRowSchema(many=True))
    def get(self, args):
        """Per provinsi: status dan porsi kabupaten/kota tanpa dasar hukum yang berlaku."""
        return province_indicators(args.get("as_of"))


@blp.route("/timeline")
class Timeline(MethodView):
    @blp.arguments(TimelineArgs, location="query")
    @blp.response(200, TimelinePointSchema(many=True))
    def get(self, args):
        """Jumlah nasional per status pada akhir setiap bulan."""
        return timeline(args["start"], args["end"])


@blp.route("/export.xlsx")
class ExportXlsx(MethodView):
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, {"type": "string", "format": "binary"}, content_type=XLSX)
    def get(self, args):
        """Laporan cakupan untuk Presiden, sebagai XLSX."""
        return _download(coverage_xlsx(args.get("as_of") or date.today()), XLSX, "xlsx")


@blp.route("/export.csv")
class ExportCsv(MethodView):
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, {"type": "string"}, content_type="text/csv")
    def get(self, args):
        """Laporan cakupan sebagai CSV."""
        content = coverage_csv(args.get("as_of") or date.today()).encode("utf-8")
        return _download(content, "text/csv; charset=utf-8", "csv")


@blp.route("/<code>")
class RegionCoverageView(MethodView):
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, RegionCoverageSchema)
    def get(self, args, code):
        """Status satu wilayah dan riwayat perubahannya."""
        return region_report(code, args.get("as_of"))


@blp.route("/<code>/attestations")
class Attestations(MethodView):
    @token_required
    @blp.doc(security=BEARER, requestBody=json_request_body(AttestationInputSchema))
    @blp.response(201, AttestationSchema)
    def post(self, code):
        """Catat pernyataan bertanggal bahwa wilayah memiliki (atau belum) dasar hukum."""
        region = get_region(code)
        require(current_user(), "attest", region.code)
        args = load_json(AttestationInputSchema())
        return record_attestation(
            region.code, args["has_basis"], args["stated_on"], args["note"], current_actor()
        )


def _download(content: bytes, mimetype: str, extension: str) -> Response:
    name = f"cakupan-dasar-hukum-{date.today().isoformat()}.{extension}"
    return Response(
        content,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
