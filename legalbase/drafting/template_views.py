"""The template upload API: an admin adds a template, or a new version of one, after checks."""

from flask import request
from flask.views import MethodView
from marshmallow import fields

from ..accounts.auth import current_actor, current_user, token_required
from ..accounts.policy import require
from ..core.errors import Invalid, UnsupportedMediaType
from ..service.api import API_PREFIX, BEARER, Blueprint, refuse_too_large
from .catalog import validation_of
from .uploads import start_validation, upload_template
from .views import TemplateSchema


class UploadedTemplateSchema(TemplateSchema):
    validation = fields.String(
        required=True,
        metadata={
            "description": "pending, ready atau refused: dipakai setelah lolos render untuk setiap "
            "wilayah"
        },
    )
    validation_job = fields.String(required=True)


blp = Blueprint(
    "template_uploads",
    __name__,
    url_prefix=f"{API_PREFIX}/templates",
    description="Unggah templat penyusunan keputusan (admin), diperiksa sebelum disimpan.",
)
UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["manifest", "template"],
                "properties": {
                    "manifest": {
                        "type": "string",
                        "description": "manifest.yaml (YAML, seperti di templates/*/manifest.yaml)",
                    },
                    "template": {
                        "type": "string",
                        "format": "binary",
                        "description": "template.docx",
                    },
                },
            }
        }
    },
}


@blp.route("")
class TemplateUploads(MethodView):
    @token_required
    @blp.doc(security=BEARER, requestBody=UPLOAD_BODY)
    @blp.response(201, UploadedTemplateSchema)
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def post(self):
        """Unggah templat baru atau versi baru suatu templat (admin). Templat diperiksa dulu
        (arsip Word, sandbox, variabel konteks, render contoh dengan batas waktu); versinya
        harus lebih tinggi dari semua versi yang ada."""
        require(current_user(), "manage_templates")
        manifest_text, content = upload_parts()
        template = upload_template(manifest_text, content, current_actor())
        job = start_validation(template, current_actor())
        return {
            **vars(template),
            "validation_job": f"{API_PREFIX}/jobs/{job.id}",
            "validation": validation_of(template.path.parent),
        }


def upload_parts() -> tuple[str, bytes]:
    """The manifest text and the DOCX bytes: 413 too large, 415 not multipart, 422 missing."""
    refuse_too_large()
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType(
            "Kirim templat sebagai multipart/form-data (bagian 'manifest' dan 'template').",
            {"content_type": request.content_type},
        )
    problems = {}
    manifest_text = _manifest_part(problems)
    part = request.files.get("template")
    content = part.read() if part is not None else b""
    if not content:
        problems["template"] = ["Wajib diisi: berkas template.docx."]
    if problems:
        raise Invalid(
            "Bagian kiriman tidak lengkap; periksa bagian yang disebutkan.", {"fields": problems}
        )
    return manifest_text, content


def _manifest_part(problems: dict) -> str:
    part = request.files.get("manifest")
    raw = part.read() if part is not None else request.form.get("manifest", "").encode()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        problems["manifest"] = ["Harus berupa teks UTF-8."]
        return ""
    if not text.strip():
        problems["manifest"] = ["Wajib diisi: isi manifest.yaml."]
    return text
