"""The reminder letters API: the ministry starts a batch of letters to lagging regions."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..accounts.auth import current_actor, current_user, token_required
from ..accounts.policy import require
from ..jobs.views import JobSchema
from ..service.api import API_PREFIX, BEARER, Blueprint, Day, json_request_body, load_json
from .letters import LAGGING, LETTER_TEMPLATE, start_letters

blp = Blueprint(
    "letters",
    __name__,
    url_prefix=f"{API_PREFIX}/letters",
    description="Surat pengingat kepada kepala daerah yang dasar hukumnya belum mutakhir.",
)


class SenderSchema(Schema):
    instansi = fields.String(validate=validate.Length(max=200))
    alamat = fields.String(validate=validate.Length(max=300))
    nomor = fields.String(validate=validate.Length(max=120))
    sifat = fields.String(validate=validate.Length(max=60))
    hal = fields.String(validate=validate.Length(max=300))
    tempat = fields.String(validate=validate.Length(max=120))
    tanggal_surat = Day()
    nama_penandatangan = fields.String(validate=validate.Length(max=200))
    jabatan_penandatangan = fields.String(validate=validate.Length(max=200))
    tembusan = fields.List(fields.String(validate=validate.Length(max=300)), load_default=list)


class LetterBatchSchema(Schema):
    template = fields.String(load_default=LETTER_TEMPLATE, validate=validate.Length(min=1, max=80))
    province = fields.String(load_default=None, validate=validate.Length(max=2))
    statuses = fields.List(
        fields.String(validate=validate.OneOf(LAGGING)), load_default=lambda: list(LAGGING)
    )
    region_codes = fields.List(fields.String(validate=validate.Length(max=8)), load_default=list)
    sender = fields.Nested(SenderSchema, load_default=dict)
    batas_waktu = Day(
        required=True, metadata={"description": "Tanggal batas waktu tindak lanjut (YYYY-MM-DD)"}
    )


@blp.route("/batch")
class LetterBatch(MethodView):
    @token_required
    @blp.doc(security=BEARER, requestBody=json_request_body(LetterBatchSchema))
    @blp.response(202, JobSchema)
    def post(self):
        """Tulis surat pengingat untuk setiap wilayah terpilih yang dasar hukumnya belum
        mutakhir (menurut provinsi, status, atau kode wilayah) sebagai satu pekerjaan; hasilnya
        ZIP berisi satu DOCX per wilayah, draf SK yang sedang disusun sebagai lampiran, dan
        manifest.csv."""
        require(current_user(), "batch_draft")
        args = load_json(LetterBatchSchema())
        selection = {key: args[key] for key in ("province", "statuses", "region_codes")}
        return start_letters(
            selection, args["sender"], args["batas_waktu"], current_actor(), args["template"]
        )
