"""Drafting: SK drafts from DOCX templates, with the Mengingat assembled and linted.

Reads corpus, coverage and regions. (Built with the drafting issue.)
"""


def register_job_kinds() -> None:
    """Let this process run drafting's jobs: "batch_drafts" and "validate_template"; and let
    coverage count the regions whose draft is not yet enacted as in progress."""
    from ..jobs import register
    from .batch import render_batch
    from .lifecycle import register_progress
    from .uploads import run_validation

    register("batch_drafts", render_batch, result_name="draf-massal-{id}.zip")
    register("validate_template", run_validation)
    register_progress()
