"""Batch drafting: one decree for every region of a selection (say, all without a current
basis), rendered in a pool of processes into a ZIP with a manifest.csv. Equal inputs give
byte-identical archives: every date inside comes from the inputs, never from the clock."""

import contextlib
import csv
import hashlib
import io
import json
import multiprocessing
import zipfile
from concurrent.futures import ProcessPoolExecutor
from datetime import date

from ..core import audit, db
from ..core.errors import Invalid
from ..core.storage import file_store
from ..coverage.basis import STATUSES
from ..coverage.reports import coverage_report
from ..jobs import Job, create_job, report_progress
from .catalog import Template, chosen_template, get_template
from .context import draft_context
from .render import render_docx, zip_entry

MANIFEST_COLUMNS = (
    "region_code",
    "region_name",
    "status",
    "file",
    "lint",
    "template",
    "template_version",
    "inputs_sha256",
)
POOL_SIZE = 2
PROGRESS_EVERY = 10


def start_batch(
    template_name: str,
    statuses: list[str],
    province: str | None,
    fields: dict,
    options: dict,
    actor: audit.Actor,
    as_of: date | None = None,
    scheduled: bool = True,
) -> Job:
    """Queue a batch: checks the template and the selection now, renders later (once the work
    commits, unless `scheduled=False`: the caller runs it itself)."""
    template = chosen_template(template_name)
    unknown = [status for status in statuses if status not in STATUSES]
    if not statuses or unknown:
        raise Invalid(
            "Pilih status wilayah yang akan dibuatkan draf.",
            {"fields": {"statuses": [f"Harus dari: {', '.join(STATUSES)}."]}},
        )
    params = {
        "template": template.name,
        "statuses": sorted(statuses),
        "province": province,
        "fields": fields,
        "options": options,
        "as_of": (as_of or date.today()).isoformat(),
    }
    return create_job("batch_drafts", params, actor, province, scheduled)


def render_batch(job: Job) -> None:
    """The "batch_drafts" job: render a draft for every selected region into one ZIP."""
    params = job.params
    template, as_of = get_template(params["template"]), date.fromisoformat(params["as_of"])
    selection = select_regions(template, params["statuses"], params["province"], as_of)
    job.status, job.total, job.progress = "running", len(selection), 0
    db.session.commit()
    with db.memo_scope(), _renderer(template, len(selection)) as render:
        # Contexts are built here while the pool renders the ones already built.
        entries = _contexts(job, template, selection, params, as_of, render)
        documents = [entry.pop("document")() for entry in entries]
    archive = _archive(template, entries, documents, as_of)
    job.result_sha256 = file_store().put(db.session, archive)
    job.progress = job.total


def _contexts(job, template, selection, params, as_of, render) -> list[dict]:
    entries = []
    for item in selection:
        entry = _region_entry(template, item, params, as_of)
        entry["document"] = render(entry["context"], as_of)
        entries.append(entry)
        if len(entries) % PROGRESS_EVERY == 0:
            job.progress = len(entries)
            db.session.commit()
        report_progress()
    return entries


@contextlib.contextmanager
def _renderer(template: Template, count: int):
    """A function rendering a context later: in a pool of processes for a large batch."""
    if count < 2 * POOL_SIZE:
        yield lambda context, as_of: lambda: render_docx(template.path, context, as_of)
        return
    source = template.path.read_bytes()
    # Spawned, not forked: a forked child would share the parent's database connections.
    with ProcessPoolExecutor(POOL_SIZE, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield lambda context, as_of: pool.submit(render_docx, source, context, as_of).result


def select_regions(
    template: Template, statuses: list[str], province: str | None, as_of: date
) -> list:
    """Coverage items of the template's levels whose status is one of `statuses`."""
    report = coverage_report(as_of, province)
    return [
        item
        for item in report["items"]
        if item.status in statuses and item.region.level in template.levels
    ]


def _region_entry(template: Template, item, params: dict, as_of: date) -> dict:
    fields = with_placeholders(template, params["fields"], item.region)
    built = draft_context(template, item.region.code, fields, params["options"], as_of)
    inputs = json.dumps(
        {"template": template.name, "version": template.version, "context": built.context},
        sort_keys=True,
        default=str,
    )
    slug = "-".join(item.region.name.lower().split())
    return {
        "region": item.region,
        "status": item.status,
        "context": built.context,
        "lint": [finding.code for finding in built.lint],
        "file": f"{item.region.code}-{slug}.docx",
        "inputs_sha256": hashlib.sha256(inputs.encode()).hexdigest(),
    }


def with_placeholders(template: Template, fields: dict, region) -> dict:
    """The batch's common fields, with a visible placeholder for what only the region can
    fill (the signatory, the membership, a seat the registry does not know)."""
    filled = dict(fields)
    for spec in template.fields:
        if filled.get(spec["name"]) or not (spec.get("required") or spec["name"] == "tempat"):
            continue
        if spec["name"] == "tempat" and region.seat:
            continue
        placeholder = f"[{spec['label'].lower()} belum diisi]"
        if spec["type"] == "rows":
            filled[spec["name"]] = [{column["name"]: placeholder for column in spec["columns"]}]
        elif spec["type"] == "string":
            filled[spec["name"]] = placeholder
    return filled


def _archive(template: Template, entries: list[dict], documents: list[bytes], as_of: date) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for entry, content in zip(entries, documents, strict=True):
            # A DOCX is compressed already: stored as it is, dated from the inputs.
            archive.writestr(zip_entry(entry["file"], as_of, zipfile.ZIP_STORED), content)
        archive.writestr(
            zip_entry("manifest.csv", as_of, zipfile.ZIP_DEFLATED), _manifest(template, entries)
        )
    return out.getvalue()


def _manifest(template: Template, entries: list[dict]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(MANIFEST_COLUMNS)
    for entry in entries:
        writer.writerow(
            (
                entry["region"].code,
                entry["region"].name,
                entry["status"],
                entry["file"],
                " ".join(entry["lint"]),
                template.name,
                template.version,
                entry["inputs_sha256"],
            )
        )
    return text.getvalue()
