"""The regulations API: store (JSON or a file), read, list, change, withdraw, relate."""

import io
import json

from flask import request, send_file
from flask.views import MethodView

from ..accounts.auth import current_actor, current_user, token_required
from ..accounts.policy import require, require_record_write
from ..core import audit
from ..core.errors import Invalid, NotFound, UnsupportedMediaType
from ..core.storage import file_store
from ..service.api import (
    API_PREFIX,
    BEARER,
    Blueprint,
    json_body,
    json_request_body,
    load_json,
    page_schema,
    refuse_nul,
    refuse_too_large,
)
from .files import read_upload
from .queries import list_regulations, with_status
from .regulations import get_regulation, patch_regulation, withdraw_regulation
from .relations import add_relation, relations_of
from .schemas import (
    AsOfArgs,
    AuditEntrySchema,
    ExtractionSchema,
    RegulationInputSchema,
    RegulationListArgs,
    RegulationSchema,
    RegulationSummarySchema,
    RelationInputSchema,
    RelationsSchema,
    WithdrawSchema,
)
from .uploads import read_proposal, save_regulation, stage, take_staged

blp = Blueprint(
    "corpus",
    __name__,
    url_prefix=f"{API_PREFIX}/regulations",
    description="Korpus peraturan nasional dan daerah.",
)

UPLOAD_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": RegulationInputSchema},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "metadata": {"type": "string", "description": "Metadata sebagai JSON"},
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "PDF, DOCX, atau teks",
                    },
                },
            }
        },
    },
}
FILE_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        }
    },
}


@blp.route("")
class Regulations(MethodView):
    @blp.arguments(RegulationListArgs, location="query")
    @blp.response(200, page_schema(RegulationSummarySchema))
    def get(self, args):
        """Daftar peraturan, disaring menurut jenis, wilayah, tahun, subjek, dan status."""
        return _page(list_regulations(**args))

    @token_required
    @blp.doc(security=BEARER, requestBody=UPLOAD_BODY)
    @blp.response(201, RegulationSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self):
        """Simpan peraturan baru dari metadatanya, dengan atau tanpa berkas."""
        metadata, upload = _metadata_and_upload()
        regulation = save_regulation(metadata, upload, current_actor(), authorize_record_write)
        return with_status([regulation])[0]


@blp.route("/extract")
class Extraction(MethodView):
    @token_required
    @blp.doc(security=BEARER, requestBody=FILE_BODY)
    @blp.response(200, ExtractionSchema)
    def post(self):
        """Baca berkas dan usulkan metadatanya tanpa menyimpan apa pun secara tetap."""
        upload = read_upload(_file_part(required=True))
        proposed = read_proposal(upload)
        return {
            "handle": stage(upload),
            "media_type": upload.media_type,
            "text_status": upload.text_status,
            "proposal": proposed.proposal,
            "citations": proposed.citations,
            "confidence": proposed.confidence,
            "notes": proposed.notes,
        }


@blp.route("/<int:regulation_id>")
class RegulationDetail(MethodView):
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, RegulationSchema)
    def get(self, args, regulation_id):
        """Satu peraturan, dengan status berlakunya pada as_of (bawaan: hari ini)."""
        return with_status([get_regulation(regulation_id)], args.get("as_of"))[0]

    @token_required
    @blp.doc(
        security=BEARER,
        requestBody={
            "required": True,
            "content": {"application/json": {"schema": RegulationInputSchema}},
            "description": "Hanya kolom yang dikirim yang diubah.",
        },
    )
    @blp.response(200, RegulationSchema)
    @blp.alt_response(409, response="CONFLICT")
    def patch(self, regulation_id):
        """Ubah sebagian metadata peraturan."""
        regulation = get_regulation(regulation_id)
        authorize_record_write({"region_code": regulation.region_code})
        changes = json_body()
        if "region_code" in changes:
            authorize_record_write(changes)
        patch_regulation(regulation, changes, current_actor())
        return with_status([regulation])[0]


@blp.route("/<int:regulation_id>/withdraw")
class Withdrawal(MethodView):
    @token_required
    @blp.doc(security=BEARER, requestBody=json_request_body(WithdrawSchema))
    @blp.response(200, RegulationSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, regulation_id):
        """Tarik catatan yang keliru, dengan alasannya (admin; tidak pernah dihapus)."""
        regulation = get_regulation(regulation_id)
        require(current_user(), "withdraw", regulation.region_code)
        args = load_json(WithdrawSchema())
        withdraw_regulation(regulation, args["reason"], current_actor())
        return with_status([regulation])[0]


@blp.route("/<int:regulation_id>/file")
class RegulationFile(MethodView):
    @blp.response(
        200, {"type": "string", "format": "binary"}, content_type="application/octet-stream"
    )
    def get(self, regulation_id):
        """Unduh berkas peraturan (hash diperiksa saat dibaca)."""
        regulation = get_regulation(regulation_id)
        if regulation.file_sha256 is None:
            raise NotFound("Peraturan ini tidak memiliki berkas.", {"id": regulation_id})
        content = file_store().get(regulation.file_sha256)
        return send_file(
            io.BytesIO(content),
            mimetype=regulation.file_media_type,
            as_attachment=True,
            download_name=regulation.download_name,
        )


@blp.route("/<int:regulation_id>/history")
class RegulationHistory(MethodView):
    @token_required
    @blp.doc(security=BEARER)
    @blp.response(200, AuditEntrySchema(many=True))
    def get(self, regulation_id):
        """Riwayat perubahan peraturan (log audit)."""
        regulation = get_regulation(regulation_id)
        require(current_user(), "read_private", regulation.region_code)
        return audit.history("regulation", regulation.id)


@blp.route("/<int:regulation_id>/relations")
class RegulationRelations(MethodView):
    @blp.response(200, RelationsSchema)
    def get(self, regulation_id):
        """Relasi keluar dan masuk, dengan label Indonesianya."""
        return relations_of(get_regulation(regulation_id))

    @token_required
    @blp.doc(security=BEARER, requestBody=json_request_body(RelationInputSchema))
    @blp.response(201, RelationsSchema)
    @blp.alt_response(409, response="CONFLICT")
    def post(self, regulation_id):
        """Catat relasi dari peraturan ini ke peraturan lain."""
        source = get_regulation(regulation_id)
        authorize_record_write({"region_code": source.region_code})
        args = load_json(RelationInputSchema())
        target = _related_target(args["target_id"])
        add_relation(
            source, args["type"], target, current_actor(), args["effective_on"], args["note"]
        )
        return relations_of(source)


def authorize_record_write(payload: dict) -> None:
    """403 unless the caller may write a record of the region (or nation) the body names."""
    require_record_write(current_user(), payload.get("region_code"))


def _metadata_and_upload():
    if request.mimetype != "multipart/form-data":
        metadata = json_body()
        handle = metadata.pop("file_handle", None)
        return metadata, take_staged(handle) if handle is not None else None
    refuse_too_large()
    metadata = _metadata_part()
    if metadata.get("region_code"):
        authorize_record_write(metadata)  # 403 before anything about the file
    content = _file_part(required=False)
    return metadata, read_upload(content) if content is not None else None


def _metadata_part() -> dict:
    raw = request.form.get("metadata", "{}")
    try:
        metadata = json.loads(raw)
    except ValueError:
        metadata = None
    if not isinstance(metadata, dict):
        raise Invalid(
            "Bagian 'metadata' harus berupa objek JSON yang sah.",
            {"fields": {"metadata": ["Bukan objek JSON yang sah."]}},
        )
    refuse_nul(metadata, "metadata")
    return metadata


def _file_part(required: bool) -> bytes | None:
    refuse_too_large()
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType("Kirim berkas sebagai multipart/form-data (bagian 'file').")
    part = request.files.get("file")
    if part is None:
        if required:
            raise Invalid("Bagian 'file' wajib ada.", {"fields": {"file": ["Wajib diisi."]}})
        return None
    content = part.read()
    if not content:
        raise Invalid("Berkas kosong.", {"fields": {"file": ["Berkas kosong."]}})
    return content


def _related_target(target_id: int):
    try:
        return get_regulation(target_id)
    except NotFound:
        raise Invalid(
            f"Peraturan tujuan dengan id {target_id} tidak ditemukan.",
            {"fields": {"target_id": ["Tidak ditemukan."]}},
        ) from None


def _page(page):
    return {"items": page.items, "total": page.total, "page": page.page, "per_page": page.per_page}
