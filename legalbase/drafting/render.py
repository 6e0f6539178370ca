"""Rendering a DOCX template with docxtpl in a Jinja2 sandbox, autoescaped, byte-identical for
the same inputs (zip entry times and document dates come from the inputs, not the clock)."""

import io
import operator
import time
import zipfile
from datetime import date, datetime

from docx.opc.pkgwriter import PackageWriter
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from ..core.errors import Invalid

MAX_OUTPUT_BYTES = 50 * 1024 * 1024
RENDER_SECONDS = 10.0  # a built-in template renders in about 30 ms
MAX_VALUE_LENGTH = 1_000_000  # the longest string or list an expression may build
MAX_WIDTH = 1_000  # the widest padding a filter (center, indent, ...) may add


class RenderLimitExceeded(SecurityError):
    """A template ran past the render time, output size or value size limits."""


class _TickingCodeGenerator(CodeGenerator):
    # Every block body (a loop's included) first calls environment.tick(), so that loops that
    # write nothing and call nothing still meet the render deadline.
    def blockvisit(self, nodes, frame) -> None:
        self.writeline("environment.tick()")
        super().blockvisit(nodes, frame)

    # The ~ operator joins strings without a binop hook: bound its result like one.
    def visit_Concat(self, node, frame) -> None:
        self.write("environment.bounded(")
        super().visit_Concat(node, frame)
        self.write(")")


class _BoundedTemplate(Template):
    def render(self, *args, **kwargs) -> str:
        """Render like Jinja, refusing output beyond the environment's size budget."""
        context = self.new_context(dict(*args, **kwargs))
        pieces, size = [], 0
        for piece in self.root_render_func(context):
            size += len(piece)
            if size > MAX_OUTPUT_BYTES:
                raise RenderLimitExceeded(
                    "hasil render melebihi batas ukuran; periksa perulangan dalam templat"
                )
            pieces.append(piece)
        return self.environment.concat(pieces)


class BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox (no internals such as __class__ or __globals__) that also bounds a
    render in time, in output size, and in the size of the values its expressions build."""

    code_generator_class = _TickingCodeGenerator
    template_class = _BoundedTemplate
    intercepted_binops = frozenset(("*", "**", "+", "%"))

    def __init__(self, seconds: float = RENDER_SECONDS, **options):
        super().__init__(**options)
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        for name in ("center", "indent", "wordwrap", "truncate"):
            self.filters[name] = _narrow(self.filters[name])
        self.filters["join"] = _bounded_join(self.filters["join"])

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderLimitExceeded(
                f"render templat melebihi batas waktu {self.seconds:g} "
                "detik; periksa perulangan dalam templat"
            )

    def call_binop(self, context, operator_name: str, left, right):
        self.tick()
        if operator_name == "**" and _too_big_power(left, right):
            raise RenderLimitExceeded("pangkat terlalu besar dalam templat")
        if operator_name == "*" and _repeated_length(left, right) > MAX_VALUE_LENGTH:
            raise RenderLimitExceeded("nilai terlalu panjang dalam templat")
        result = _BINOPS[operator_name](left, right)
        if hasattr(result, "__len__") and len(result) > MAX_VALUE_LENGTH:
            raise RenderLimitExceeded("nilai terlalu panjang dalam templat")
        return result

    def bounded(self, value):
        if hasattr(value, "__len__") and len(value) > MAX_VALUE_LENGTH:
            raise RenderLimitExceeded("nilai terlalu panjang dalam templat")
        return value

    def call(self, context, obj, *args, **kwargs):
        self.tick()
        return super().call(context, obj, *args, **kwargs)


_BINOPS = {"*": operator.mul, "**": operator.pow, "+": operator.add, "%": operator.mod}


def _too_big_power(base, exponent) -> bool:
    return isinstance(exponent, int) and abs(exponent) > 64 and base not in (0, 1, -1)


def _repeated_length(left, right) -> int:
    for sequence, times in ((left, right), (right, left)):
        if hasattr(sequence, "__len__") and isinstance(times, int):
            return len(sequence) * times
    return 0


def _narrow(apply_filter):
    # These filters pad or wrap to a width the template chooses; cap it before Python builds it.
    def narrowed(value, *args, **kwargs):
        widths = [a for a in (*args, *kwargs.values()) if isinstance(a, int)]
        if any(width > MAX_WIDTH for width in widths):
            raise RenderLimitExceeded(f"lebar melebihi {MAX_WIDTH} dalam templat")
        return apply_filter(value, *args, **kwargs)

    return narrowed


def _bounded_join(join):
    def bounded_join(eval_ctx, value, d="", attribute=None):
        items = list(value)
        if len(str(d)) * len(items) > MAX_VALUE_LENGTH:
            raise RenderLimitExceeded("nilai terlalu panjang dalam templat")
        return join(eval_ctx, items, d, attribute)

    bounded_join.jinja_pass_arg = join.jinja_pass_arg
    return bounded_join


def sandbox() -> BoundedSandbox:
    """The only Jinja environment drafts render in: sandboxed, bounded, autoescaped, strict."""
    return BoundedSandbox(autoescape=True, undefined=StrictUndefined)


def render_docx(template_source, context: dict, moment: date) -> bytes:
    """Render a template (a path or bytes) with `context`; Invalid says why it failed."""
    source = io.BytesIO(template_source) if isinstance(template_source, bytes) else template_source
    try:
        document = DocxTemplate(source)
        document.render(context, jinja_env=sandbox(), autoescape=True)
        _stamp(document, moment)
        content = _save_dated(document, moment)
    except TemplateError as exc:  # SecurityError and UndefinedError included
        raise Invalid(f"Templat gagal dirender: {exc}.", {"template_error": str(exc)}) from None
    except (ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise Invalid(f"Templat bukan dokumen Word yang dapat dipakai: {exc}.") from None
    except (ArithmeticError, TypeError, AttributeError, LookupError) as exc:
        # Raised by expressions in the template itself ({{ 1 // 0 }}, {{ 'a' + 1 }}).
        raise Invalid(
            f"Templat gagal dirender: {type(exc).__name__}: {exc}.", {"template_error": str(exc)}
        ) from None
    if len(content) > MAX_OUTPUT_BYTES:
        raise Invalid("Hasil render terlalu besar; periksa perulangan dalam templat.")
    return content


def _stamp(document: DocxTemplate, moment: date) -> None:
    when = datetime(moment.year, moment.month, moment.day)
    properties = document.docx.core_properties
    properties.created = properties.modified = when
    properties.last_printed = when
    properties.revision = 1
    properties.author = properties.last_modified_by = "legalbase"


class _DatedZipWriter:
    """python-docx's package writer interface, writing every part dated `moment`."""

    def __init__(self, out: io.BytesIO, moment: date):
        self._zip = zipfile.ZipFile(out, "w")
        self._moment = moment

    def write(self, pack_uri, blob: bytes) -> None:
        self._zip.writestr(zip_entry(pack_uri.membername, self._moment, zipfile.ZIP_DEFLATED), blob)

    def close(self) -> None:
        self._zip.close()


def _save_dated(document: DocxTemplate, moment: date) -> bytes:
    # OpcPackage.save with our writer instead of one dating entries by the clock (saves
    # re-zipping the document: measured 4 ms a draft). docxtpl's own save adds only media
    # replacement, which legalbase never asks for.
    package = document.docx.part.package
    for part in package.parts:
        part.before_marshal()
    out = io.BytesIO()
    writer = _DatedZipWriter(out, moment)
    PackageWriter._write_content_types_stream(writer, package.parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, package.parts)
    writer.close()
    return out.getvalue()


def zip_entry(name: str, moment: date, compression: int) -> zipfile.ZipInfo:
    """A zip entry dated `moment` (not the clock), readable by everyone."""
    info = zipfile.ZipInfo(
        name, date_time=(max(moment.year, 1980), moment.month, moment.day, 0, 0, 0)
    )
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info
