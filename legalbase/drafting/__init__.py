"""Drafting: SK drafts from DOCX templates, with the Mengingat assembled and linted.

Reads corpus, coverage and regions. (Built with the drafting issue.)
"""


def register_job_kinds() -> None:
    """Let this process run drafting's jobs: "batch_drafts" and "validate_template"."""
    from ..jobs import register
    from .batch import render_batch
    from .uploads import run_validation

    register("batch_drafts", render_batch, result_name="draf-massal-{id}.zip")
    register("validate_template", run_validation)
