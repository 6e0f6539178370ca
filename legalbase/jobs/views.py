"""The jobs API: a job's status and progress, and its result once finished."""

import io

from flask import send_file
from flask.views import MethodView
from marshmallow import Schema, fields

from ..accounts.auth import current_user, token_required
from ..accounts.policy import require
from ..core.errors import Conflict
from ..core.storage import file_store
from ..service.api import API_PREFIX, BEARER, Blueprint, Timestamp
from .queue import get_job, result_name, result_type

blp = Blueprint(
    "jobs",
    __name__,
    url_prefix=f"{API_PREFIX}/jobs",
    description="Pekerjaan panjang (penyusunan draf massal, impor folder) dan kemajuannya.",
)


class JobSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    status = fields.String(
        required=True, metadata={"description": "queued, running, finished atau failed"}
    )
    progress = fields.Integer(required=True)
    total = fields.Integer(required=True)
    error = fields.String(allow_none=True, required=True)
    params = fields.Dict(required=True)
    result_url = fields.Function(
        lambda job: f"{API_PREFIX}/jobs/{job.id}/result.zip" if job.result_sha256 else None
    )
    created_at = Timestamp(required=True)
    updated_at = Timestamp(required=True)


@blp.route("/<int:job_id>")
class JobDetail(MethodView):
    @token_required
    @blp.doc(security=BEARER)
    @blp.response(200, JobSchema)
    def get(self, job_id):
        """Status dan kemajuan satu pekerjaan."""
        return readable_job(job_id)


@blp.route("/<int:job_id>/result.zip")
class JobResult(MethodView):
    @token_required
    @blp.doc(security=BEARER)
    @blp.response(200, {"type": "string", "format": "binary"}, content_type="application/zip")
    @blp.alt_response(409, response="CONFLICT")
    def get(self, job_id):
        """Unduh hasil pekerjaan (ZIP) setelah selesai."""
        job = readable_job(job_id)
        if job.result_sha256 is None:
            raise Conflict(
                "Pekerjaan belum selesai; hasilnya belum tersedia.",
                {"status": job.status},
                code="job_not_finished",
            )
        return send_file(
            io.BytesIO(file_store().get(job.result_sha256)),
            mimetype=result_type(job),
            as_attachment=True,
            download_name=result_name(job),
        )


def readable_job(job_id: int):
    """The job, 404 if none, 403 unless the caller may read its region's private records."""
    job = get_job(job_id)
    require(current_user(), "read_private", job.region_code)
    return job
