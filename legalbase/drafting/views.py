"""The drafting API: templates, drafts and their documents."""

import io

from flask import request, send_file
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..accounts.auth import current_actor, current_user, token_required
from ..accounts.policy import require
from ..core import db
from ..core.errors import Invalid, UnsupportedMediaType
from ..corpus.schemas import LintFindingSchema
from ..coverage.basis import STATUSES
from ..jobs.views import JobSchema
from ..regions.registry import find_region
from ..service.api import (
    API_PREFIX,
    BEARER,
    Blueprint,
    Day,
    Timestamp,
    json_body,
    json_request_body,
    load_json,
    refuse_too_large,
)
from .batch import start_batch
from .catalog import DECREE, KINDS, list_templates
from .drafts import create_draft, draft_docx, draft_pdf, get_draft, rerender_draft, version_of
from .lifecycle import DRAFT_STATES, STATE_LABELS, enact_draft, submit_draft

templates_blp = Blueprint(
    "templates",
    __name__,
    url_prefix=f"{API_PREFIX}/templates",
    description="Templat penyusunan keputusan (DOCX).",
)
blp = Blueprint(
    "drafting",
    __name__,
    url_prefix=f"{API_PREFIX}/drafts",
    description="Draf keputusan dari templat.",
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class TemplateSchema(Schema):
    name = fields.String(required=True)
    title = fields.String(required=True)
    version = fields.Integer(required=True)
    forms = fields.List(fields.String(), required=True)
    levels = fields.List(fields.String(), required=True)
    options = fields.Dict(required=True)
    fields_ = fields.List(fields.Dict(), data_key="fields", attribute="fields", required=True)
    source = fields.String(required=True, metadata={"description": "bawaan atau unggahan"})
    kind = fields.String(
        required=True,
        metadata={"description": "keputusan (draf SK) atau surat (naskah dinas, mis. pengingat)"},
    )


class TemplateListArgs(Schema):
    kind = fields.String(load_default=DECREE, validate=validate.OneOf(KINDS))


class DraftInputSchema(Schema):
    template = fields.String(required=True, validate=validate.Length(min=1, max=80))
    region_code = fields.String(required=True, validate=validate.Length(min=1, max=8))
    fields_ = fields.Dict(data_key="fields", load_default=dict)
    options = fields.Dict(load_default=dict)


class RerenderSchema(Schema):
    fields_ = fields.Dict(data_key="fields", load_default=None)
    options = fields.Dict(load_default=None)


class VersionSchema(Schema):
    number = fields.Integer(required=True)
    inputs_hash = fields.String(required=True)
    created_at = Timestamp(required=True)


class DraftSchema(Schema):
    id = fields.Integer(required=True)
    template = fields.String(required=True)
    template_version = fields.Integer(required=True)
    region_code = fields.String(required=True)
    fields_ = fields.Dict(data_key="fields", attribute="fields", required=True)
    options = fields.Dict(required=True)
    lint = fields.List(fields.Nested(LintFindingSchema), required=True)
    versions = fields.List(fields.Nested(VersionSchema), required=True)
    document_url = fields.Function(lambda d: f"{API_PREFIX}/drafts/{d.id}/document.docx")
    pdf_url = fields.Function(lambda d: f"{API_PREFIX}/drafts/{d.id}/document.pdf")
    created_at = Timestamp(required=True)
    state = fields.String(
        required=True,
        validate=validate.OneOf(DRAFT_STATES),
        metadata={"description": "draf, diajukan (untuk ditandatangani) atau ditetapkan"},
    )
    state_label = fields.Function(lambda d: STATE_LABELS[d.state], required=True)
    submitted_at = Timestamp(allow_none=True, required=True)
    enacted_at = Timestamp(allow_none=True, required=True)
    regulation_id = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "Peraturan hasil penetapan (SK bertanda tangan)"},
    )


class SignedFormSchema(Schema):
    number = fields.String(load_default=None, validate=validate.Length(min=1, max=120))
    date = Day(load_default=None)


SIGNED_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "SK bertanda tangan: PDF (juga pindaian), DOCX, atau teks",
                    },
                    "number": {
                        "type": "string",
                        "description": "Nomor SK, bila tidak terbaca dari berkas atau keliru",
                    },
                    "date": {
                        "type": "string",
                        "format": "date",
                        "description": "Tanggal penetapan (YYYY-MM-DD), bila tidak terbaca",
                    },
                },
            }
        }
    },
}


class BatchInputSchema(Schema):
    template = fields.String(required=True, validate=validate.Length(min=1, max=80))
    statuses = fields.List(
        fields.String(validate=validate.OneOf(STATUSES)),
        required=True,
        validate=validate.Length(min=1),
    )
    province = fields.String(load_default=None, validate=validate.Length(max=2))
    fields_ = fields.Dict(data_key="fields", load_default=dict)
    options = fields.Dict(load_default=dict)


class VersionArgs(Schema):
    version = fields.Integer(validate=validate.Range(min=1))


@templates_blp.route("")
class Templates(MethodView):
    @templates_blp.arguments(TemplateListArgs, location="query")
    @templates_blp.response(200, TemplateSchema(many=True))
    def get(self, args):
        """Templat yang tersedia, dengan isian dan opsinya: templat keputusan, atau templat
        surat dengan ?kind=surat."""
        return list_templates(args["kind"])


@blp.route("")
class Drafts(MethodView):
    @token_required
    @blp.doc(security=BEARER, requestBody=json_request_body(DraftInputSchema))
    @blp.response(201, DraftSchema)
    def post(self):
        """Susun draf keputusan untuk satu wilayah dari templat."""
        payload = json_body()
        _authorize_draft(payload.get("region_code"))
        args = load_json(DraftInputSchema(), payload)
        draft = create_draft(
            args["template"], args["region_code"], args["fields_"], args["options"], current_actor()
        )
        return draft


@blp.route("/batch")
class DraftBatch(MethodView):
    @token_required
    @blp.doc(security=BEARER, requestBody=json_request_body(BatchInputSchema))
    @blp.response(202, JobSchema)
    def post(self):
        """Susun draf untuk semua wilayah terpilih (mis. missing dan outdated) sebagai satu
        pekerjaan; hasilnya ZIP berisi satu DOCX per wilayah dan manifest.csv."""
        require(current_user(), "batch_draft")
        args = load_json(BatchInputSchema())
        if args["province"] is not None:
            get_province(args["province"])
        return start_batch(
            args["template"],
            args["statuses"],
            args["province"],
            args["fields_"],
            args["options"],
            current_actor(),
        )


@blp.route("/<int:draft_id>")
class DraftDetail(MethodView):
    @token_required
    @blp.doc(security=BEARER)
    @blp.response(200, DraftSchema)
    def get(self, draft_id):
        """Satu draf dengan temuan lint dan versinya."""
        return _readable(draft_id)


@blp.route("/<int:draft_id>/render")
class DraftRender(MethodView):
    @token_required
    @blp.doc(security=BEARER, requestBody=json_request_body(RerenderSchema))
    @blp.response(201, DraftSchema)
    def post(self, draft_id):
        """Render ulang draf sebagai versi baru; versi lama tetap tersimpan."""
        draft = get_draft(draft_id)
        require(current_user(), "draft", draft.region_code)
        args = load_json(RerenderSchema())
        rerender_draft(draft, args["fields_"], args["options"], current_actor())
        return draft


@blp.route("/<int:draft_id>/submit")
class DraftSubmit(MethodView):
    @token_required
    @blp.doc(security=BEARER)
    @blp.response(200, DraftSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, draft_id):
        """Tandai draf telah diajukan untuk ditandatangani kepala daerah (draf -> diajukan)."""
        require(current_user(), "draft", get_draft(draft_id).region_code)
        return submit_draft(draft_id, current_actor())


@blp.route("/<int:draft_id>/signed")
class DraftSigned(MethodView):
    @token_required
    @blp.doc(security=BEARER, requestBody=SIGNED_BODY)
    @blp.response(201, DraftSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, draft_id):
        """Unggah SK bertanda tangan untuk draf yang telah diajukan: disimpan sebagai peraturan
        wilayahnya (nomor dan tanggal dibaca dari berkas bila tidak diisi), draf ditetapkan."""
        draft = get_draft(draft_id)
        require(current_user(), "draft", draft.region_code)
        filename, content = _signed_file()
        args = load_json(SignedFormSchema(), _filled(request.form))
        enact_draft(draft_id, filename, content, current_actor(), args["number"], args["date"])
        return get_draft(draft_id)


@blp.route("/<int:draft_id>/document.docx")
class DraftDocx(MethodView):
    @token_required
    @blp.doc(security=BEARER)
    @blp.arguments(VersionArgs, location="query")
    @blp.response(200, {"type": "string", "format": "binary"}, content_type=DOCX)
    def get(self, args, draft_id):
        """Unduh draf sebagai DOCX (versi terbaru, atau ?version=N)."""
        draft = _readable(draft_id)
        version = version_of(draft, args.get("version"))
        return _send(draft_docx(version), DOCX, f"draf-{draft.id}-v{version.number}.docx")


@blp.route("/<int:draft_id>/document.pdf")
class DraftPdf(MethodView):
    @db.transaction(db.WRITES)  # the first conversion keeps the PDF
    @token_required
    @blp.doc(security=BEARER)
    @blp.arguments(VersionArgs, location="query")
    @blp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf")
    @blp.alt_response(501, response="NOT_IMPLEMENTED")
    def get(self, args, draft_id):
        """Unduh draf sebagai PDF (melalui LibreOffice; 501 bila tidak terpasang)."""
        draft = _readable(draft_id)
        version = version_of(draft, args.get("version"))
        content = draft_pdf(version)
        return _send(content, "application/pdf", f"draf-{draft.id}-v{version.number}.pdf")


def _authorize_draft(region_code) -> None:
    """403 unless the caller may draft for the region the body names (422 if unknown)."""
    if isinstance(region_code, str) and find_region(region_code) is not None:
        require(current_user(), "draft", region_code)
        return
    require(current_user(), "draft", current_user().region_code)
    raise Invalid(
        "Kode wilayah tidak dikenal.",
        {"fields": {"region_code": [f"Kode wilayah '{region_code}' tidak dikenal."]}},
    )


def _signed_file() -> tuple[str, bytes]:
    """The signed file of a multipart body: 413 too large, 415 not multipart, 422 missing."""
    refuse_too_large()
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType(
            "Kirim SK bertanda tangan sebagai multipart/form-data (bagian 'file')."
        )
    part = request.files.get("file")
    content = part.read() if part is not None else b""
    if not content:
        raise Invalid("Bagian 'file' wajib ada.", {"fields": {"file": ["Wajib diisi."]}})
    return part.filename or "", content


def _filled(form) -> dict:
    return {key: value for key, value in form.items() if value.strip()}


def get_province(code: str):
    region = find_region(code)
    if region is None or region.level != "provinsi":
        raise Invalid(
            "Provinsi tidak dikenal.",
            {"fields": {"province": [f"Kode provinsi '{code}' tidak dikenal."]}},
        )
    return region


def _readable(draft_id: int):
    draft = get_draft(draft_id)
    require(current_user(), "read_private", draft.region_code)
    return draft


def _send(content: bytes, mimetype: str, name: str):
    return send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=name)
