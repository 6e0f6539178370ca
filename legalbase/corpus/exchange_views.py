"""JDIHN feed and CSV exchange over HTTP: read the corpus out, import it (admin only)."""

from flask import Response, jsonify, request
from flask.views import MethodView
from marshmallow import Schema, fields

from ..accounts.auth import current_actor, current_user, token_required
from ..accounts.policy import require
from ..core.errors import Invalid, UnsupportedMediaType
from ..service.api import (
    API_PREFIX,
    BEARER,
    Blueprint,
    json_array_body,
    refuse_nul,
    refuse_too_large,
)
from .exchange.csv_records import export_csv, import_csv
from .exchange.jdihn import JDIHN_KEYS, LEGALBASE_KEYS, build_jdihn_feed
from .exchange.jdihn_import import import_jdihn_feed

blp = Blueprint(
    "exchange", __name__, url_prefix=API_PREFIX, description="Pertukaran data: umpan JDIHN dan CSV."
)

JdihnEntrySchema = Schema.from_dict(
    {
        **{key: fields.String(required=True) for key in JDIHN_KEYS},
        **{key: fields.Raw(allow_none=True) for key in LEGALBASE_KEYS},
    },
    name="JdihnEntry",
)
# What an import accepts: any of those keys, each of any JSON type (real feeds send idData,
# operasi, display and years as numbers), none required, and keys of its own beside them.
JDIHN_INPUT_ITEM = {
    "type": "object",
    "additionalProperties": True,
    "description": "Entri umpan JDIHN. Kunci yang tidak dibaca (mis. abstrak, urlAbstrak, "
    "urlDownload, kunci lain di luar JDIHN) diabaikan dan disebut dalam "
    '\'ignored\' pada laporan; tanggal kosong ("", "-", "0000-00-00") '
    "berarti tidak diketahui.",
    "properties": {key: {} for key in (*JDIHN_KEYS, *LEGALBASE_KEYS)},
}


class OutcomeSchema(Schema):
    index = fields.Integer(metadata={"description": "Urutan entri umpan (mulai 0)"})
    idData = fields.Raw(allow_none=True, metadata={"description": "idData entri seperti dikirim"})
    line = fields.Integer(metadata={"description": "Nomor baris CSV"})
    type = fields.Raw(
        allow_none=True, metadata={"description": "Jenis relasi seperti dikirim (untuk relasi)"}
    )
    target = fields.Raw(
        allow_none=True,
        metadata={"description": "Identitas peraturan tujuan seperti dikirim (untuk relasi)"},
    )
    outcome = fields.String(
        required=True, metadata={"description": "created, updated, unchanged, refused"}
    )
    id = fields.Integer(allow_none=True, required=True)
    reason = fields.Dict(
        allow_none=True, required=True, metadata={"description": "{message, details} bila ditolak"}
    )
    ignored = fields.List(
        fields.String(),
        metadata={
            "description": "Entri umpan JDIHN: kunci yang nilainya tidak diambil (kunci di luar "
            "JDIHN, abstrak, urlAbstrak, urlDownload karena berkas tidak pernah "
            'diunduh, ...), bila berisi sesuatu selain "", "-" atau null; '
            "idData, urlDetailPeraturan, operasi dan display tidak pernah disebut"
        },
    )


class ImportReportSchema(Schema):
    entries = fields.List(fields.Nested(OutcomeSchema), required=True)
    relations = fields.List(fields.Nested(OutcomeSchema), required=True)
    totals = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    relation_totals = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


FEED_BODY = {
    "required": True,
    "content": {"application/json": {"schema": {"type": "array", "items": JDIHN_INPUT_ITEM}}},
}
CSV_BODY = {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}


@blp.route("/jdihn.json")
class JdihnFeed(MethodView):
    @blp.response(200, JdihnEntrySchema(many=True))
    def get(self):
        """Umpan JDIHN: setiap peraturan yang tidak ditarik, satu objek per peraturan."""
        return jsonify(build_jdihn_feed(request.url_root))


@blp.route("/import/jdihn")
class JdihnImport(MethodView):
    @token_required
    @blp.doc(security=BEARER, requestBody=FEED_BODY)
    @blp.response(200, ImportReportSchema)
    def post(self):
        """Impor umpan JDIHN (admin): buat atau perbarui tiap entri, lalu relasinya."""
        require(current_user(), "import_corpus")
        return import_jdihn_feed(json_array_body(), current_actor()).as_dict()


@blp.route("/regulations.csv")
class RegulationsCsv(MethodView):
    @blp.response(200, {"type": "string"}, content_type="text/csv")
    def get(self):
        """Semua peraturan yang tidak ditarik sebagai CSV (kolom: lihat corpus/EXCHANGE.md)."""
        return Response(
            export_csv(),
            mimetype="text/csv",
            headers={"Content-Disposition": 'inline; filename="peraturan.csv"'},
        )


@blp.route("/import/csv")
class CsvImport(MethodView):
    @token_required
    @blp.doc(security=BEARER, requestBody=CSV_BODY)
    @blp.response(200, ImportReportSchema)
    def post(self):
        """Impor CSV peraturan (admin): buat atau perbarui tiap baris."""
        require(current_user(), "import_corpus")
        return import_csv(csv_body(), current_actor()).as_dict()


def csv_body() -> str:
    """The request's CSV text (UTF-8): 413 when too large, 415 when not text/csv, 422 when not
    UTF-8 or holding the NUL character."""
    refuse_too_large()
    if request.mimetype != "text/csv":
        raise UnsupportedMediaType(
            "Kirim isi berformat text/csv.", {"content_type": request.content_type}
        )
    try:
        text = request.get_data().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(
            "Isi CSV harus berupa teks UTF-8.", {"fields": {"_body": ["Bukan teks UTF-8."]}}
        ) from None
    refuse_nul(text)
    return text
