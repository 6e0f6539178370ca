"""Drafts: made from a template for a region, rendered into versions kept side by side, their
documents (DOCX, PDF) read back from the content-addressed store."""

import hashlib
import json

from sqlalchemy import select

from ..core import audit, db
from ..core.errors import NotFound
from ..core.storage import file_store
from .catalog import Template, chosen_template, get_template
from .context import DraftContext, draft_context
from .models import Draft, DraftCitation, DraftVersion
from .pdf import docx_to_pdf
from .render import render_docx


def create_draft(
    template_name: str, region_code: str, fields: dict, options: dict, actor: audit.Actor
) -> Draft:
    """Draft a decree for a region: context from the corpus, lint, first rendered version."""
    template = chosen_template(template_name)
    built = draft_context(template, region_code, fields, options)
    draft = Draft(
        template=template.name,
        template_version=template.version,
        region_code=region_code,
        fields=fields,
        options=options,
        lint=[finding.as_dict() for finding in built.lint],
        created_by_id=actor.user_id,
    )
    db.session.add(draft)
    db.session.flush()
    _add_version(draft, template, built)
    _record_citations(draft, built)
    audit.record(
        actor,
        "create",
        "draft",
        draft.id,
        None,
        {"template": template.name, "region_code": region_code},
        region_code,
    )
    return draft


def rerender_draft(
    draft: Draft, fields: dict | None, options: dict | None, actor: audit.Actor
) -> Draft:
    """Render the draft again (new fields, corpus changes, a new template version) as a new
    version; the earlier versions stay."""
    template = get_template(draft.template)
    built = draft_context(
        template,
        draft.region_code,
        fields if fields is not None else draft.fields,
        options if options is not None else draft.options,
    )
    draft.fields = fields if fields is not None else draft.fields
    draft.options = options if options is not None else draft.options
    draft.template_version = template.version
    draft.lint = [finding.as_dict() for finding in built.lint]
    _add_version(draft, template, built)
    _record_citations(draft, built)
    audit.record(
        actor,
        "render",
        "draft",
        draft.id,
        None,
        {"version": draft.versions[-1].number},
        draft.region_code,
    )
    return draft


def render_for(template: Template, built: DraftContext) -> tuple[bytes, str]:
    """The DOCX of a context and the hash of the inputs that made it."""
    inputs = {
        "template": template.name,
        "version": template.version,
        "context": built.context,
        "as_of": built.as_of.isoformat(),
    }
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()
    return render_docx(template.path, built.context, built.as_of), digest


def _add_version(draft: Draft, template: Template, built: DraftContext) -> None:
    content, digest = render_for(template, built)
    sha = file_store().put(db.session, content)
    number = len(draft.versions) + 1
    draft.versions.append(DraftVersion(number=number, docx_sha256=sha, inputs_hash=digest))
    db.session.flush()


def _record_citations(draft: Draft, built: DraftContext) -> None:
    db.session.query(DraftCitation).filter_by(draft_id=draft.id).delete()
    for regulation_id in built.cited_ids:
        db.session.add(DraftCitation(draft_id=draft.id, regulation_id=regulation_id))
    db.session.flush()


def get_draft(draft_id: int) -> Draft:
    """The draft with `draft_id`, or NotFound."""
    draft = db.session.get(Draft, draft_id)
    if draft is None:
        raise NotFound(f"Draf dengan id {draft_id} tidak ditemukan.", {"id": draft_id})
    return draft


def version_of(draft: Draft, number: int | None) -> DraftVersion:
    """One version of a draft (the newest unless asked), or NotFound."""
    if number is None:
        return draft.versions[-1]
    for version in draft.versions:
        if version.number == number:
            return version
    raise NotFound(f"Draf {draft.id} tidak memiliki versi {number}.", {"version": number})


def draft_docx(version: DraftVersion) -> bytes:
    return file_store().get(version.docx_sha256)


def draft_pdf(version: DraftVersion) -> bytes:
    """The PDF of a version, converted once through LibreOffice and kept."""
    if version.pdf_sha256 is None:
        pdf = docx_to_pdf({"draf": draft_docx(version)})["draf"]
        version.pdf_sha256 = file_store().put(db.session, pdf)
        db.session.flush()
    return file_store().get(version.pdf_sha256)


def drafts_citing(regulation_ids: set[int]) -> list[Draft]:
    """Stored drafts whose Mengingat cites any of the regulations."""
    citing = select(DraftCitation.draft_id).where(DraftCitation.regulation_id.in_(regulation_ids))
    query = select(Draft).where(Draft.id.in_(citing)).order_by(Draft.id)
    return list(db.session.scalars(query))
