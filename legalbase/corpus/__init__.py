"""The corpus: national and regional regulations, their metadata (JDIH), text and relations.

Reads the region registry; read by coverage, drafting and search.
"""


def register_job_kinds() -> None:
    """Let this process run the corpus's jobs: "import_folder" (a ZIP of documents)."""
    from ..jobs import register
    from .folder_jobs import KIND, run_folder_import

    register(KIND, run_folder_import, result_name="impor-folder-{id}.zip")
