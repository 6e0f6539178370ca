"""The folder import over HTTP (admin only): a ZIP of documents queued as a job."""

from flask import request
from flask.views import MethodView

from ..accounts.auth import current_actor, current_user, token_required
from ..accounts.policy import require
from ..core.errors import Invalid, UnsupportedMediaType
from ..jobs.views import JobSchema
from ..service.api import API_PREFIX, BEARER, Blueprint, refuse_nul, refuse_too_large
from .folder_jobs import refuse_not_zip, start_folder_import
from .forms import FORMS

blp = Blueprint(
    "folder_import",
    __name__,
    url_prefix=API_PREFIX,
    description="Impor folder dokumen (arsip ZIP) sebagai pekerjaan (admin).",
)

FOLDER_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["archive"],
                "properties": {
                    "archive": {
                        "type": "string",
                        "format": "binary",
                        "description": "Arsip ZIP berisi berkas PDF, DOCX, TXT, atau MD (folder "
                        "sedalam apa pun)",
                    },
                    "form": {
                        "type": "string",
                        "enum": list(FORMS),
                        "description": "Jenis peraturan untuk setiap berkas (menang atas yang "
                        "terbaca)",
                    },
                    "region": {
                        "type": "string",
                        "description": "Kode wilayah untuk setiap berkas "
                        "(menang atas yang terbaca)",
                    },
                    "dry_run": {
                        "type": "string",
                        "enum": ["true", "false"],
                        "default": "false",
                        "description": "true: baca dan laporkan saja, tidak ada yang disimpan",
                    },
                    "names": {
                        "type": "string",
                        "maxLength": 200,
                        "description": "Susunan nama berkas yang menyatakan metadata, mis. "
                        "'{form}/{year}/{number}' untuk uu/2007/21.pdf (menang atas "
                        "teks; beda dengan teks ditandai perlu diperiksa)",
                    },
                },
            }
        }
    },
}
FLAGS = {"true": True, "false": False}
MAX_REGION_LENGTH = 20
MAX_NAMES_LENGTH = 200


@blp.route("/import/folder")
class FolderImport(MethodView):
    @token_required
    @blp.doc(security=BEARER, requestBody=FOLDER_BODY)
    @blp.response(202, JobSchema)
    def post(self):
        """Impor folder dokumen dari arsip ZIP (admin) sebagai satu pekerjaan; hasilnya ZIP
        berisi report.csv (satu baris per berkas) dan summary.json."""
        require(current_user(), "import_corpus")
        content = archive_part()
        form, region, dry_run, names = option_fields()
        return start_folder_import(content, form, region, dry_run, current_actor(), names)


def archive_part() -> bytes:
    """The bytes of the `archive` part: 413 too large, 415 not multipart or not a ZIP, 422
    missing."""
    refuse_too_large()
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType(
            "Kirim arsip sebagai multipart/form-data (bagian 'archive').",
            {"content_type": request.content_type},
        )
    part = request.files.get("archive")
    content = part.read() if part is not None else request.form.get("archive", "").encode()
    if not content:
        raise Invalid(
            "Bagian 'archive' wajib ada: arsip ZIP berisi dokumen.",
            {"fields": {"archive": ["Wajib diisi."]}},
        )
    refuse_not_zip(content)
    return content


def option_fields() -> tuple[str | None, str | None, bool, str | None]:
    """The `form`, `region`, `dry_run` and `names` fields (empty: not given); 422 when
    malformed."""
    form = request.form.get("form", "").strip() or None
    region = request.form.get("region", "").strip() or None
    names = request.form.get("names", "").strip() or None
    refuse_nul(names, "names")
    flag = request.form.get("dry_run", "false").strip().lower() or "false"
    refuse_nul(form, "form")
    refuse_nul(region, "region")
    problems = {}
    if region is not None and len(region) > MAX_REGION_LENGTH:
        problems["region"] = [f"Paling banyak {MAX_REGION_LENGTH} karakter."]
    if flag not in FLAGS:
        problems["dry_run"] = ["Harus 'true' atau 'false'."]
    if names is not None and len(names) > MAX_NAMES_LENGTH:
        problems["names"] = [f"Paling banyak {MAX_NAMES_LENGTH} karakter."]
    if problems:
        raise Invalid(
            "Pilihan impor tidak valid; periksa kolom yang disebutkan.", {"fields": problems}
        )
    return form, region, FLAGS[flag], names
