"""`legalbase corpus import-jdihn|export-jdihn|import-csv|export-csv` (to be filled in)."""

from .cli import corpus_group  # noqa: F401  (commands attach to the corpus group)
