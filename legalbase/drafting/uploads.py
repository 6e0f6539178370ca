"""Templates an admin uploads, checked in full before anything is kept: a real Word archive,
Jinja that parses and stays inside the sandbox, only the variables of the context contract (the
top-level keys of the manifest's `sample`), and a smoke render of the sample and of real
regions, bounded in time and memory in a process of its own. A template that passes is kept as
`<instance>/templates/<name>/<version>/{template.docx,manifest.yaml}`, where the catalog finds
it (the newest version wins); a refused one leaves that folder as it was."""

import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import yaml
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes
from jinja2 import sandbox as jinja_sandbox
from sqlalchemy import select

from ..core import audit, db, limits
from ..core.errors import Conflict, Invalid, NotFound
from ..corpus.files import check_docx_archive
from ..corpus.models import Regulation
from ..jobs import Job, create_job
from ..regions.models import Region
from .batch import with_placeholders
from .catalog import (
    DECREE,
    FIELD_TYPES,
    KINDS,
    RETIRED,
    YAML_LOADER,
    Template,
    TemplateVersion,
    newest_version_number,
    parse_manifest,
    read_manifest,
    retirement_folder,
    template_versions,
    uploaded_root,
)
from .context import draft_context
from .fields import DECREE_FORMS
from .render import render_docx, sandbox

SMOKE_TIMEOUT_SECONDS = 10.0  # the checks and renders of one upload, once the worker is up
WORKER_MEMORY_BYTES = 1024**3  # address space of the worker
LEVELS = ("provinsi", "kabupaten", "kota")
NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_NAME = 80
# What the sandbox refuses to reach: "_" names, and these (jinja2.sandbox.is_internal_attribute).
UNSAFE_ATTRIBUTES = frozenset({"mro"}).union(
    jinja_sandbox.UNSAFE_FUNCTION_ATTRIBUTES,
    jinja_sandbox.UNSAFE_METHOD_ATTRIBUTES,
    jinja_sandbox.UNSAFE_GENERATOR_ATTRIBUTES,
    jinja_sandbox.UNSAFE_COROUTINE_ATTRIBUTES,
    jinja_sandbox.UNSAFE_ASYNC_GENERATOR_ATTRIBUTES,
)
# The fields draft_context reads (context.py, fields.py) and their types; no other field reaches
# a template, and the signatory's name is the one it cannot do without.
CONTEXT_FIELDS = {
    "nomor": "string",
    "tanggal_penetapan": "date",
    "tempat": "string",
    "nama_penandatangan": "string",
    "anggota": "rows",
    "tembusan": "list",
    "memperhatikan": "list",
    "sk_diubah_id": "regulation",
}
REQUIRED_FIELDS = ("nama_penandatangan",)
CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
RENDER_SECONDS_EACH = 0.5
OUTSIDE_SANDBOX = "Templat ditolak karena mencoba menjangkau ke luar sandbox"

limits.warm(__name__)


@dataclass(frozen=True)
class TemplateKind:
    """What a kind of template may ask and how legalbase builds its context for a region: the
    fields it knows (name: type), those it cannot do without, and the context builder."""

    fields: dict[str, str]
    required: tuple[str, ...]
    region_context: Callable[[Template, Region], dict]


TEMPLATE_KINDS: dict[str, TemplateKind] = {}


def register_template_kind(kind: str, template_kind: TemplateKind) -> None:
    """Let templates of `kind` be uploaded and checked (the room making them registers it)."""
    TEMPLATE_KINDS[kind] = template_kind


def kind_of(template: Template) -> TemplateKind:
    """How templates of this template's kind are checked; Invalid for a kind none registered."""
    if template.kind == DECREE:
        return TemplateKind(CONTEXT_FIELDS, REQUIRED_FIELDS, _decree_context)
    if template.kind not in TEMPLATE_KINDS:
        raise Invalid(
            f"Jenis templat '{template.kind}' tidak dikenal.",
            {"fields": {"manifest": [f"kind: salah satu dari: {', '.join(KINDS)}."]}},
        )
    return TEMPLATE_KINDS[template.kind]


def _decree_context(template: Template, region: Region) -> dict:
    return draft_context(template, region.code, smoke_fields(template, region), {}).context


def upload_template(manifest_text: str, content: bytes, actor: audit.Actor) -> Template:
    """Check an uploaded template in full, then keep it as a new version: Invalid (422) names
    what is wrong, Conflict (409) a version not above every existing one."""
    template = read_upload_manifest(manifest_text)
    check_newer(template)
    run_bounded(verify_template, content, template.sample, region_contexts(template), date.today())
    audit.record(
        actor, "create", "template", template.name, None, _summary(template, manifest_text, content)
    )
    db.session.flush()
    return _store(template, manifest_text, content)


# --- the manifest -------------------------------------------------------------------------


def read_upload_manifest(text: str) -> Template:
    """The uploaded manifest read by the catalog's rules, plus what an upload must satisfy."""
    _refuse_aliases(text)
    template = parse_manifest(text, Path("template.docx"), "unggahan")
    problems = manifest_problems(template)
    if problems:
        raise Invalid(
            "Manifes templat tidak valid; periksa kunci yang disebutkan.",
            {"fields": {"manifest": problems}},
        )
    return template


def _refuse_aliases(text: str) -> None:
    """YAML anchors and aliases could nest a small manifest into a huge one (billion laughs)."""
    try:
        tokens = list(yaml.scan(text, Loader=YAML_LOADER))
    except yaml.YAMLError:
        return  # parse_manifest says what is wrong
    if any(isinstance(token, (yaml.AnchorToken, yaml.AliasToken)) for token in tokens):
        raise Invalid(
            "Manifes templat tidak boleh memakai anchor atau alias YAML (& dan *).",
            {"fields": {"manifest": ["Anchor atau alias YAML tidak diizinkan."]}},
        )


def manifest_problems(template: Template) -> list[str]:
    """What an uploaded manifest lacks beyond the catalog's rules, one line per problem."""
    problems = []
    if not (
        isinstance(template.name, str)
        and NAME.fullmatch(template.name)
        and len(template.name) <= MAX_NAME
    ):
        problems.append(
            f"name: huruf kecil, angka, dan tanda hubung, paling banyak {MAX_NAME} karakter."
        )
    if template.version < 1:
        problems.append("version: bilangan bulat paling sedikit 1.")
    if not isinstance(template.title, str) or not template.title.strip():
        problems.append("title: wajib berupa teks.")
    if template.kind not in KINDS:
        return [*problems, f"kind: salah satu dari: {', '.join(KINDS)}."]
    if template.kind == DECREE and not _chosen_from(template.forms, DECREE_FORMS):
        problems.append(f"forms: daftar yang tidak kosong dari: {', '.join(DECREE_FORMS)}.")
    if not _chosen_from(template.levels, LEVELS):
        problems.append(f"levels: daftar yang tidak kosong dari: {', '.join(LEVELS)}.")
    if not isinstance(template.options, dict) or not all(
        isinstance(option, dict) for option in template.options.values()
    ):
        problems.append("options: pemetaan nama opsi ke keterangannya.")
    problems += _fields_problems(template.fields, kind_of(template))
    if not isinstance(template.sample, dict) or not template.sample:
        problems.append("sample: konteks lengkap (pemetaan) untuk render contoh wajib ada.")
    return problems


def _chosen_from(values: tuple, allowed: tuple) -> bool:
    return bool(values) and all(isinstance(value, str) and value in allowed for value in values)


def _fields_problems(specs: tuple, kind: TemplateKind) -> list[str]:
    if not all(isinstance(spec, dict) for spec in specs):
        return ["fields: daftar isian, masing-masing berupa pemetaan."]
    problems = [
        problem
        for number, spec in enumerate(specs, start=1)
        for problem in _field_problems(number, spec, kind.fields)
    ]
    names = [spec.get("name") for spec in specs]
    doubled = sorted({name for name in names if isinstance(name, str) and names.count(name) > 1})
    if doubled:
        problems.append(f"fields: nama isian ganda: {', '.join(doubled)}.")
    required = {spec.get("name") for spec in specs if spec.get("required") is True}
    problems += [
        f"fields: isian {name} wajib ada dengan required: true."
        for name in kind.required
        if name not in required
    ]
    return problems


def _field_problems(number: int, spec: dict, known: dict[str, str]) -> list[str]:
    if not (
        isinstance(spec.get("name"), str)
        and isinstance(spec.get("label"), str)
        and spec.get("type") in FIELD_TYPES
        and isinstance(spec.get("required", False), bool)
    ):
        return [
            f"fields[{number}]: perlu name dan label (teks), type salah satu dari "
            f"{', '.join(FIELD_TYPES)}, dan required true/false."
        ]
    if known.get(spec["name"]) != spec["type"]:
        return [
            f"fields[{number}]: {spec['name']} ({spec['type']}) tidak dikenal; "
            f"{_known_fields(known)}."
        ]
    columns = spec.get("columns")
    if spec["type"] == "rows" and not (
        isinstance(columns, list)
        and columns
        and all(
            isinstance(column, dict) and isinstance(column.get("name"), str) for column in columns
        )
    ):
        return [f"fields[{number}]: isian rows perlu columns (daftar dengan name)."]
    return []


def _known_fields(known: dict[str, str]) -> str:
    return "yang dikenal legalbase (nama: type): " + ", ".join(
        f"{name}: {kind}" for name, kind in known.items()
    )


def check_newer(template: Template) -> None:
    """Conflict unless the version is above every version of that name, shipped or uploaded
    (still being checked and refused ones included)."""
    newest = newest_version_number(template.name)
    if newest is None:
        return
    if template.version <= newest:
        raise Conflict(
            f"Templat '{template.name}' sudah ada dengan versi {newest}; unggah "
            f"versi yang lebih tinggi dari {newest}.",
            {"name": template.name, "version": template.version, "newest_version": newest},
            code="template_version_not_newer",
        )


# --- contexts of real regions -------------------------------------------------------------


def region_contexts(template: Template) -> list[dict]:
    """The context of one real region per level the template serves, built as a draft's is,
    with placeholders for what the drafter would fill in."""
    with db.memo_scope():
        return [_region_context(template, region) for region in sample_regions(template)]


def _region_context(template: Template, region: Region) -> dict:
    try:
        return kind_of(template).region_context(template, region)
    except Invalid as exc:
        raise Invalid(
            f"Konteks contoh untuk {region.name} ({region.code}) tidak dapat "
            f"disusun: {exc.message}",
            exc.details,
        ) from None


def sample_regions(template: Template) -> list[Region]:
    """The first autonomous region by code of each level the template serves; when it needs a
    decree from the corpus, the first region that has one."""
    query = select(Region).where(Region.autonomous.is_(True)).order_by(Region.code).limit(1)
    if any(spec["type"] == "regulation" and spec.get("required") for spec in template.fields):
        query = query.where(
            Region.code.in_(
                select(Regulation.region_code).where(
                    Regulation.form.in_(DECREE_FORMS), Regulation.withdrawn_at.is_(None)
                )
            )
        )
    return [
        region
        for level in LEVELS
        if level in template.levels
        for region in db.session.scalars(query.where(Region.level == level))
    ]


def smoke_fields(template: Template, region: Region) -> dict:
    """The fields a batch would send for the region, and a value for every other required
    field: a placeholder, today, false, or the region's first decree in the corpus."""
    fields = with_placeholders(template, {}, region)
    for spec in template.fields:
        if spec.get("required") and not fields.get(spec["name"]):
            fields[spec["name"]] = _stand_in(spec, region)
    return fields


def _stand_in(spec: dict, region: Region):
    placeholder = f"[{spec['label'].lower()} belum diisi]"
    if spec["type"] == "regulation":
        return db.session.scalar(
            select(Regulation.id)
            .where(
                Regulation.region_code == region.code,
                Regulation.form.in_(DECREE_FORMS),
                Regulation.withdrawn_at.is_(None),
            )
            .order_by(Regulation.id)
            .limit(1)
        )
    return {
        "list": [placeholder],
        "date": date.today().isoformat(),
        "boolean": False,
        "string": placeholder,
    }.get(spec["type"])


# --- checks on the DOCX, run in a bounded worker ------------------------------------------


def verify_template(content: bytes, sample: dict, regions: list[dict], moment: date) -> None:
    """Everything checked on the DOCX itself: a sound archive without a DTD, it opens, the
    Jinja of every part parses and stays in the sandbox, it names only the sample's variables
    (and, for real regions, only variables a draft provides), and the sample and every region
    render."""
    check_docx_archive(content)
    document = open_template(content)
    for where, source in template_sources(document):
        check_source(where, source)
    variables = document.get_undeclared_template_variables(jinja_env=sandbox())
    _check_variables(variables, set(sample), "kontrak konteks (kunci sample di manifes)")
    for context in regions:
        _check_variables(variables, set(context), "konteks yang disusun legalbase untuk draf")
    for context in [sample, *regions]:
        _smoke_render(content, context, moment)


def open_template(content: bytes) -> DocxTemplate:
    """The DOCX loaded by docxtpl, or Invalid."""
    try:
        document = DocxTemplate(io.BytesIO(content))
        document.init_docx()
    except MemoryError:
        raise  # the worker reports its memory limit
    except Exception as exc:  # python-docx raises many kinds for a malformed package
        raise Invalid(
            f"Berkas templat bukan dokumen Word yang dapat dibaca: {type(exc).__name__}.",
            {"fields": {"template": ["Bukan DOCX."]}},
        ) from None
    return document


def template_sources(document: DocxTemplate) -> list[tuple[str, str]]:
    """(where, Jinja source) of every part docxtpl renders: the body, headers, footers,
    footnotes and core properties, each as docxtpl prepares it."""
    sources = [("isi dokumen", document.patch_xml(document.get_xml()))]
    for where, uri in (("header", document.HEADER_URI), ("footer", document.FOOTER_URI)):
        sources += [
            (f"{where} {part.partname}", document.patch_xml(document.get_part_xml(part)))
            for _, part in document.get_headers_footers(uri)
        ]
    sources += [
        (f"catatan kaki {part.partname}", document.patch_xml(part.blob.decode("utf-8")))
        for part in document.docx.part.package.parts
        if part.content_type == FOOTNOTES
    ]
    properties = document.docx.core_properties
    sources += [
        (f"properti dokumen {name}", getattr(properties, name) or "") for name in CORE_PROPERTIES
    ]
    return sources


def check_source(where: str, source: str) -> None:
    """Invalid if the Jinja of one part does not parse or reaches for an attribute the
    sandbox forbids (`__class__`, `__globals__`, `mro`, ...)."""
    try:
        tree = sandbox().parse(source)
    except TemplateSyntaxError as exc:
        raise Invalid(
            f"Sintaks Jinja di {where} tidak sah: {exc.message}.",
            {"fields": {"template": [f"Sintaks Jinja tidak sah di {where}."]}},
        ) from None
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        for name in _attribute_names(node):
            if name.startswith("_") or name in UNSAFE_ATTRIBUTES:
                raise Invalid(
                    f"{OUTSIDE_SANDBOX}: atribut '{name}' di {where}.",
                    {
                        "fields": {"template": [f"Atribut terlarang '{name}' di {where}."]},
                        "attribute": name,
                        "where": where,
                    },
                )


def _attribute_names(node) -> list[str]:
    """The attribute names a node reaches for, where the template spells them out."""
    if isinstance(node, nodes.Getattr):
        return [node.attr]
    if isinstance(node, nodes.Getitem):
        arguments = [node.arg]
    else:  # filters: attr('name'), and map, sort, groupby, sum, ... (attribute='a.b')
        arguments = node.args[:1] if node.name == "attr" else []
        arguments += [keyword.value for keyword in node.kwargs if keyword.key == "attribute"]
    return [
        part
        for argument in arguments
        if isinstance(argument, nodes.Const) and isinstance(argument.value, str)
        for part in argument.value.split(".")
    ]


def _check_variables(variables: set[str], known: set[str], contract: str) -> None:
    unknown = sorted(variables - known)
    if unknown:
        raise Invalid(
            f"Templat memakai variabel di luar {contract}: {', '.join(unknown)}.",
            {
                "fields": {"template": [f"Variabel tidak dikenal: {name}." for name in unknown]},
                "unknown_variables": unknown,
            },
        )


def _smoke_render(content: bytes, context: dict, moment: date) -> None:
    try:
        render_docx(content, context, moment)
    except Invalid as exc:
        # render_docx raises `from None`: the Jinja error stays on as __context__.
        if isinstance(exc.__context__, jinja_sandbox.SecurityError):
            raise Invalid(
                f"{OUTSIDE_SANDBOX} saat dirender: {exc.__context__}",
                {"fields": {"template": ["Akses di luar sandbox."]}},
            ) from None
        raise


# --- the bounded worker -------------------------------------------------------------------


def run_bounded(function, *args, timeout: float | None = None) -> None:
    """Run `function(*args)` in a bounded worker process (legalbase.core.limits), within `timeout`
    seconds (default SMOKE_TIMEOUT_SECONDS) and WORKER_MEMORY_BYTES; its Invalid, a timeout,
    running out of memory or a crash are an Invalid here."""
    timeout = SMOKE_TIMEOUT_SECONDS if timeout is None else timeout
    try:
        limits.run_bounded(function, *args, timeout=timeout, memory=WORKER_MEMORY_BYTES)
    except limits.BoundedCallFailed as exc:
        raise Invalid(*_failure_message(exc, timeout)) from None


def _failure_message(failure: limits.BoundedCallFailed, timeout: float) -> tuple[str, dict]:
    if failure.reason == "time":
        return (
            f"Pemeriksaan dan render contoh templat melebihi batas waktu {timeout:g} detik; "
            "periksa perulangan dalam templat.",
            {"timeout_seconds": timeout},
        )
    if failure.reason == "memory":
        return (
            "Render contoh templat melebihi batas memori; periksa perulangan dalam templat.",
            {"memory_bytes": WORKER_MEMORY_BYTES},
        )
    if failure.reason == "crashed":
        return (
            "Pemeriksa templat berhenti tanpa hasil (kemungkinan kehabisan batas memori); "
            "periksa perulangan dalam templat.",
            {"memory_bytes": WORKER_MEMORY_BYTES},
        )
    # whatever the template provokes in docxtpl or lxml is its fault
    return f"Templat gagal diperiksa: {failure.detail}.", {}


# --- keeping it ---------------------------------------------------------------------------


def _summary(template: Template, manifest_text: str, content: bytes) -> dict:
    return {
        "name": template.name,
        "version": template.version,
        "title": template.title,
        "levels": list(template.levels),
        "template_sha256": hashlib.sha256(content).hexdigest(),
        "manifest_sha256": hashlib.sha256(manifest_text.encode()).hexdigest(),
    }


def _store(template: Template, manifest_text: str, content: bytes) -> Template:
    """Write into a hidden staging folder, then move it into place in one rename."""
    root = uploaded_root()
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".unggahan-", dir=root))
    try:
        (staging / "template.docx").write_bytes(content)
        (staging / "manifest.yaml").write_text(manifest_text, encoding="utf-8")
        _mark(staging, "pending")
        with _locked(root):
            check_newer(template)  # again: another upload may have won meanwhile
            target = root / template.name / str(template.version)
            target.parent.mkdir(exist_ok=True)
            os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return replace(template, path=target / "template.docx")


@contextmanager
def _locked(root: Path):
    with open(root / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


# --- the check for every region, in the background ----------------------------------------


def start_validation(template: Template, actor: audit.Actor) -> Job:
    """Queue the render of a kept version for every region it serves; until it passes, the
    version is not used."""
    return create_job(
        "validate_template", {"name": template.name, "version": template.version}, actor
    )


def run_validation(job: Job) -> None:
    """Render the version for every autonomous region of its levels in a bounded worker; mark
    it ready, or refused with the reason."""
    folder = uploaded_root() / job.params["name"] / str(job.params["version"])
    template = read_manifest(folder, "unggahan")
    regions = list(
        db.session.scalars(
            select(Region)
            .where(Region.autonomous.is_(True), Region.level.in_(template.levels))
            .order_by(Region.code)
        )
    )
    job.status, job.total = "running", len(regions)
    db.session.commit()
    build = kind_of(template).region_context
    with db.memo_scope():
        contexts = [build(template, region) for region in regions]
    job.progress = len(contexts)
    db.session.commit()  # the renders take minutes: no transaction (SQLite's write lock) held
    try:
        run_bounded(
            _render_each,
            template.path.read_bytes(),
            contexts,
            date.today(),
            timeout=SMOKE_TIMEOUT_SECONDS + RENDER_SECONDS_EACH * len(contexts),
        )
    except Invalid as exc:
        _mark(folder, "refused", exc.message)
        raise
    _mark(folder, "ready")


def _render_each(content: bytes, contexts: list[dict], moment: date) -> None:
    for context in contexts:
        render_docx(content, context, moment)


def _mark(folder: Path, status: str, reason: str | None = None) -> None:
    (folder / "validation.json").write_text(
        json.dumps({"status": status, "reason": reason}, ensure_ascii=False), encoding="utf-8"
    )


# --- retiring a version -------------------------------------------------------------------


def retire_template_version(name: str, version: int, actor: audit.Actor) -> TemplateVersion:
    """Retire a version: new drafts no longer use it and the API no longer lists it, drafts
    made with it keep it. NotFound for no such version; Conflict when it is already retired,
    was refused, or is the template's last usable version."""
    root = uploaded_root()
    root.mkdir(parents=True, exist_ok=True)
    with _locked(root):  # two admins retiring the last two usable versions at once: one wins
        kept = _kept_version(name, version)
        _check_retirable(kept)
        return _retire(kept, actor)


def _retire(kept: TemplateVersion, actor: audit.Actor) -> TemplateVersion:
    """Audit the retirement, then leave its marker beside the version's validation marker."""
    name, version = kept.template.name, kept.template.version
    retirement = {"by": actor.label, "at": datetime.now(UTC).isoformat()}
    before = {"version": version, "validation": kept.validation}
    audit.record(actor, "retire", "template", name, before, {"version": version, "retired": True})
    db.session.flush()
    folder = retirement_folder(name, version)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / RETIRED).write_text(json.dumps(retirement, ensure_ascii=False), "utf-8")
    return replace(kept, retired=retirement)


def _kept_version(name: str, version: int) -> TemplateVersion:
    for kept in template_versions(name):
        if kept.template.version == version:
            return kept
    raise NotFound(
        f"Templat '{name}' versi {version} tidak ditemukan.", {"name": name, "version": version}
    )


def _check_retirable(kept: TemplateVersion) -> None:
    """Conflict unless retiring `kept` leaves its template a usable version."""
    name, version = kept.template.name, kept.template.version
    if kept.retired is not None:
        _refuse_retirement(f"Templat '{name}' versi {version} sudah dipensiunkan.", kept)
    if kept.validation == "refused":
        _refuse_retirement(
            f"Templat '{name}' versi {version} ditolak pemeriksaan dan tidak pernah dipakai; "
            "tidak ada yang perlu dipensiunkan.",
            kept,
        )
    others = [v for v in template_versions(name) if v.usable and v.template.version != version]
    if kept.usable and not others:
        _refuse_retirement(_last_usable_message(kept), kept)


def _last_usable_message(kept: TemplateVersion) -> str:
    name, version = kept.template.name, kept.template.version
    if kept.template.source == "bawaan":
        return (
            f"Templat bawaan '{name}' versi {version} adalah satu-satunya versi yang dapat "
            "dipakai dan tidak dapat dipensiunkan; unggah versi baru dan tunggu pemeriksaannya "
            "selesai terlebih dahulu."
        )
    return (
        f"Templat '{name}' versi {version} adalah versi terakhir yang dapat dipakai; unggah "
        "versi baru dan tunggu pemeriksaannya selesai sebelum memensiunkannya."
    )


def _refuse_retirement(message: str, kept: TemplateVersion) -> None:
    raise Conflict(
        message,
        {"name": kept.template.name, "version": kept.template.version},
        code="template_version_not_retirable",
    )
