"""PDF of drafts: LibreOffice's conversion lives in legalbase/core/office.py (the coverage report
converts with it too); its names are kept here for drafting's readers."""

from ..core.office import CONVERT_SECONDS, PdfUnavailable, docx_to_pdf, libreoffice

__all__ = ["CONVERT_SECONDS", "PdfUnavailable", "docx_to_pdf", "libreoffice"]
