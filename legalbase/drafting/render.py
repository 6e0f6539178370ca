"""Rendering a DOCX template with docxtpl in a Jinja2 sandbox, autoescaped, byte-identical for
the same inputs (zip entry times and document dates come from the inputs, not the clock)."""

import io
import zipfile
from datetime import date, datetime

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from ..errors import Invalid

MAX_OUTPUT_BYTES = 50 * 1024 * 1024


def sandbox() -> SandboxedEnvironment:
    """The only Jinja environment drafts render in: sandboxed, autoescaped, strict."""
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


def render_docx(template_source, context: dict, moment: date) -> bytes:
    """Render a template (a path or bytes) with `context`; Invalid says why it failed."""
    source = io.BytesIO(template_source) if isinstance(template_source, bytes) else template_source
    try:
        document = DocxTemplate(source)
        document.render(context, jinja_env=sandbox(), autoescape=True)
        _stamp(document, moment)
        out = io.BytesIO()
        document.save(out)
    except TemplateError as exc:  # SecurityError and UndefinedError included
        raise Invalid(f"Templat gagal dirender: {exc}.", {"template_error": str(exc)}) from None
    except (ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise Invalid(f"Templat bukan dokumen Word yang dapat dipakai: {exc}.") from None
    if out.tell() > MAX_OUTPUT_BYTES:
        raise Invalid("Hasil render terlalu besar; periksa perulangan dalam templat.")
    return fixed_zip(out.getvalue(), moment)


def _stamp(document: DocxTemplate, moment: date) -> None:
    when = datetime(moment.year, moment.month, moment.day)
    properties = document.docx.core_properties
    properties.created = properties.modified = when
    properties.last_printed = when
    properties.revision = 1
    properties.author = properties.last_modified_by = "legalbase"


def fixed_zip(content: bytes, moment: date) -> bytes:
    """The same archive with every entry stamped `moment`, so equal inputs give equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            target.writestr(zip_entry(entry.filename, moment, zipfile.ZIP_DEFLATED),
                            source.read(entry.filename))
    return out.getvalue()


def zip_entry(name: str, moment: date, compression: int) -> zipfile.ZipInfo:
    """A zip entry dated `moment` (not the clock), readable by everyone."""
    info = zipfile.ZipInfo(name, date_time=(max(moment.year, 1980), moment.month, moment.day,
                                            0, 0, 0))
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info
