"""Hostile files, built here from their parts: PDFs that never end or blow up, DOCX archives
with XML external entities or paths that leave their folder."""

import io
import re
import zipfile
import zlib

from tests.corpus.documents import decree_docx

XXE_DOCTYPE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{target}">]>'
SANDBOX_ESCAPES = (
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
)
TRAVERSING_ENTRIES = (
    "../../evil.xml",
    "/abs.xml",
    "..\\..\\evil.xml",
    "word/../../evil.xml",
    "C:/evil.xml",
)
_PAGE = (
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> >> >>"
)
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of `objects` (object 1 the catalog), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def deflated(data: bytes) -> bytes:
    body = zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(body), body)


def endless_pdf(pages: int = 50_000) -> bytes:
    """A 300 KB PDF whose every page is the same heavy one: pypdf reads it for days."""
    kids = b" ".join([b"3 0 R"] * pages)
    content = b"BT /F1 12 Tf " + b"(x) Tj " * 100_000 + b"ET"
    return pdf(
        [
            _CATALOG,
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
            _PAGE,
            deflated(content),
            _FONT,
        ]
    )


def billion_pages_pdf() -> bytes:
    """Kids arrays that name the same subtree a thousand times, three levels deep: 10^9 pages."""

    def kids(reference):
        return b"[" + b" ".join([reference] * 1000) + b"]"

    return pdf(
        [
            _CATALOG,
            b"<< /Type /Pages /Kids %s /Count 1000000000 >>" % kids(b"3 0 R"),
            b"<< /Type /Pages /Parent 2 0 R /Kids %s /Count 1000000 >>" % kids(b"4 0 R"),
            b"<< /Type /Pages /Parent 3 0 R /Kids %s /Count 1000 >>" % kids(b"5 0 R"),
            b"<< /Type /Page /Parent 4 0 R /MediaBox [0 0 612 792] >>",
        ]
    )


def cyclic_pdf() -> bytes:
    """A page tree whose only child is its own parent."""
    return pdf(
        [
            _CATALOG,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        ]
    )


def inflating_pdf() -> bytes:
    """A 200 KB content stream that inflates to 200 MiB."""
    return pdf(
        [
            _CATALOG,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _PAGE,
            deflated(b" " * (200 * 2**20)),
            _FONT,
        ]
    )


def rewritten_docx(content: bytes, changes: dict[str, bytes | None]) -> bytes:
    """The DOCX with some entries replaced (None: removed) or added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            if entry.filename not in changes:
                target.writestr(entry, source.read(entry))
        for name, data in changes.items():
            if data is not None:
                target.writestr(name, data)
    return out.getvalue()


def with_xxe(
    content: bytes,
    target: str = "file:///etc/passwd",
    part: str = "word/document.xml",
    encoding: str = "utf-8",
) -> bytes:
    """The DOCX with a DOCTYPE declaring an external entity in one XML part, and `&xxe;` used
    in its first paragraph's text (in the part's own encoding, declared)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read(part).decode("utf-8")
    declaration, rest = xml.split("?>", 1)
    declaration = re.sub(
        r"encoding=['\"][^'\"]*['\"]", f"encoding='{encoding.upper()}'", declaration
    )
    rest = rest.replace("<w:t>", "<w:t>&xxe;", 1) if "<w:t>" in rest else rest
    doctype = XXE_DOCTYPE.format(target=target)
    return rewritten_docx(content, {part: f"{declaration}?>{doctype}{rest}".encode(encoding)})


def xxe_docx(target: str = "file:///etc/passwd", encoding: str = "utf-8") -> bytes:
    """A decree whose document.xml reads `target` through an external entity."""
    return with_xxe(decree_docx("901"), target, encoding=encoding)


def traversing_docx(name: str) -> bytes:
    """A decree with an extra entry whose name leaves the archive's folder."""
    return rewritten_docx(decree_docx("902"), {name: b"<evil/>"})
