"""Reporting: the documents the ministry sends, made from coverage (the coverage report as DOCX
and PDF, the reminder letters).

Reads coverage, drafting, corpus and regions; read by web alone.
"""


def register_job_kinds() -> None:
    """Let this process run reporting's jobs: "coverage_report" (the report as DOCX or PDF)."""
    from ..jobs import register
    from .jobs import KIND, run_coverage_report

    register(KIND, run_coverage_report, result_name="laporan-cakupan-{id}.{format}")
    from .letters import register as register_letters

    register_letters()  # "reminder_letters", and letter templates (kind surat) for uploads
