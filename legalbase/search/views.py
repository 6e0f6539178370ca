"""The search API: GET /api/v1/search, with filters, facets and highlights."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..corpus.forms import FORM_CODES
from ..service.api import API_PREFIX, Blueprint, Day
from .backend import backend
from .query_language import SearchRequest

blp = Blueprint(
    "search",
    __name__,
    url_prefix=f"{API_PREFIX}/search",
    description="Pencarian teks lengkap berbahasa Indonesia atas korpus.",
)


class SearchArgs(Schema):
    q = fields.String(
        load_default="",
        validate=validate.Length(max=500),
        metadata={
            "description": 'Kata, "frasa", AND/OR/NOT, jenis:, tahun:, wilayah:, nomor:, judul:, '
            'subjek:, atau kutipan seperti "Perpres 49/2023"'
        },
    )
    form = fields.String(validate=validate.OneOf(FORM_CODES))
    region = fields.String(
        validate=validate.Length(max=8),
        metadata={
            "description": "Kode wilayah (provinsi mencakup kabupaten/kotanya) atau 'national'"
        },
    )
    year_from = fields.Integer(validate=validate.Range(min=1900, max=2100))
    year_to = fields.Integer(validate=validate.Range(min=1900, max=2100))
    in_force = fields.Boolean()
    as_of = Day(metadata={"description": "YYYY-MM-DD; bawaan hari ini"})
    sort = fields.String(load_default="relevance", validate=validate.OneOf(("relevance", "date")))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class SearchHitSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(
        required=True,
        metadata={
            "description": "Nama lengkap sebagaimana dikutip, mis. 'Peraturan Daerah Kota "
            "Samarinda Nomor 7 Tahun 2013'"
        },
    )
    title = fields.String(required=True)
    title_highlighted = fields.String(
        required=True,
        metadata={
            "description": "Judul sebagai HTML yang di-escape; kata yang cocok ditandai "
            "<mark>...</mark>"
        },
    )
    form = fields.String(required=True)
    number = fields.String(required=True)
    year = fields.Integer(required=True)
    region_code = fields.String(allow_none=True)
    in_force = fields.Boolean(required=True)
    score = fields.Float(allow_none=True)
    highlights = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Cuplikan teks; kata yang cocok ditandai <mark>...</mark>"},
    )


class SearchResultSchema(Schema):
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    items = fields.List(fields.Nested(SearchHitSchema), required=True)
    facets = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.Integer()),
        required=True,
        metadata={"description": "form, year, province, in_force: jumlah hasil per nilai"},
    )


@blp.route("")
class Search(MethodView):
    @blp.arguments(SearchArgs, location="query")
    @blp.response(200, SearchResultSchema)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def get(self, args):
        """Cari peraturan dalam teks lengkapnya (perubahan yang sudah disimpan selalu terlihat)."""
        request = SearchRequest(**args)
        result = backend().search(request)
        return {
            "total": result.total,
            "page": request.page,
            "per_page": request.per_page,
            "items": result.items,
            "facets": result.facets,
        }
