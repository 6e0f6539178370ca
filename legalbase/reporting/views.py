"""`GET /api/v1/coverage/report.docx|.pdf?as_of=&since=`: the coverage report as a document.
Nested in coverage's blueprint when this module is imported (coverage never reads reporting),
so the routes keep their place under the coverage URL and tag; public, as every coverage read.

`as_of` defaults to today and `since` to one year before `as_of` (the last yearly report);
`since` must come before `as_of` (422 otherwise, as a bad date is)."""

from flask import Response
from flask.views import MethodView
from marshmallow import Schema

from ..coverage.views import blp as coverage_blp
from ..service.api import Blueprint, Day
from .jobs import report_pdf
from .report import coverage_document, report_period

blp = Blueprint("coverage_report", __name__)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ReportArgs(Schema):
    as_of = Day()
    since = Day()


@blp.route("/report.docx")
class ReportDocx(MethodView):
    @blp.arguments(ReportArgs, location="query")
    @blp.response(200, {"type": "string", "format": "binary"}, content_type=DOCX)
    def get(self, args):
        """Laporan cakupan (DOCX): ringkasan, perubahan sejak tanggal pembanding, peta, grafik,
        provinsi, wilayah terlambat, lampiran."""
        as_of, since = report_period(args.get("as_of"), args.get("since"))
        return download(coverage_document(as_of, since), DOCX, as_of, "docx")


@blp.route("/report.pdf")
class ReportPdf(MethodView):
    @blp.arguments(ReportArgs, location="query")
    @blp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf")
    @blp.alt_response(501, response="NOT_IMPLEMENTED")
    def get(self, args):
        """Laporan cakupan sebagai PDF (501 bila LibreOffice tidak terpasang di server)."""
        as_of, since = report_period(args.get("as_of"), args.get("since"))
        content = report_pdf(coverage_document(as_of, since))
        return download(content, "application/pdf", as_of, "pdf")


def download(content: bytes, mimetype: str, as_of, extension: str) -> Response:
    """The report as an attachment named after its date."""
    name = f"laporan-cakupan-{as_of.isoformat()}.{extension}"
    return Response(
        content,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


coverage_blp.register_blueprint(blp)
