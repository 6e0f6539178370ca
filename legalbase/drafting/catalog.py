"""The drafting templates: the ones shipped in TEMPLATES_DIR and the versions an admin uploaded
into the instance folder, each a `template.docx` with its `manifest.yaml`."""

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask import current_app

from ..core.errors import Invalid, NotFound

FIELD_TYPES = ("string", "date", "boolean", "rows", "list", "regulation")
# libyaml reads a manifest about ten times faster than the pure-Python loader, with the same
# (safe) constructors.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
RETIRED = "retired.json"  # beside validation.json: the version is no longer used for new drafts
DECREE, LETTER = "keputusan", "surat"  # a template's kind: an SK draft, or a letter (naskah dinas)
KINDS = (DECREE, LETTER)
KIND_LABELS = {DECREE: "keputusan", LETTER: "surat"}


@dataclass(frozen=True)
class Template:
    """One drafting template at one version."""

    name: str
    title: str
    version: int
    forms: tuple[str, ...]
    levels: tuple[str, ...]
    options: dict
    fields: tuple[dict, ...]
    sample: dict
    path: Path
    source: str = "bawaan"
    kind: str = DECREE
    extra: dict = field(default_factory=dict)

    def field_named(self, name: str) -> dict | None:
        return next((spec for spec in self.fields if spec["name"] == name), None)


def read_manifest(folder: Path, source: str = "bawaan") -> Template:
    """The template of a folder holding template.docx and manifest.yaml; Invalid if broken."""
    try:
        text = (folder / "manifest.yaml").read_text(encoding="utf-8")
    except OSError as exc:
        raise Invalid(f"Manifes templat di {folder.name} tidak dapat dibaca: {exc}.") from None
    return parse_manifest(text, folder / "template.docx", source, f" di {folder.name}")


def parse_manifest(text: str, path: Path, source: str = "bawaan", where: str = "") -> Template:
    """The template a manifest's YAML text describes, its DOCX at `path`; Invalid if broken."""
    try:
        raw = yaml.load(text, Loader=YAML_LOADER)
        if not isinstance(raw, dict):
            raise TypeError("manifes harus berupa pemetaan YAML (kunci: nilai)")
        kind = raw.get("kind") or DECREE
        return Template(
            name=raw["name"],
            title=raw["title"],
            version=int(raw["version"]),
            forms=tuple(raw["forms"] if kind == DECREE else raw.get("forms") or ()),
            levels=tuple(raw["levels"]),
            options=raw.get("options") or {},
            fields=tuple(raw["fields"]),
            sample=raw.get("sample") or {},
            path=path,
            source=source,
            kind=kind,
        )
    except (yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        reason = (
            f"kunci '{exc.args[0]}' wajib ada"
            if isinstance(exc, KeyError)
            else f"{exc}".rstrip(".")
        )
        raise Invalid(
            f"Manifes templat{where} tidak dapat dibaca: {reason}.",
            {"fields": {"manifest": [reason]}},
        ) from None


def list_templates(kind: str | None = DECREE) -> list[Template]:
    """The newest usable version of every template of a kind (SK templates unless asked; None
    for every kind), uploaded versions winning over shipped ones (a retired one is not usable)."""
    newest: dict[str, Template] = {}
    for template in _usable_versions():
        if kind is not None and template.kind != kind:
            continue
        current = newest.get(template.name)
        if current is None or template.version >= current.version:
            newest[template.name] = template
    return sorted(newest.values(), key=lambda template: template.name)


def get_template(name: str, version: int | None = None) -> Template:
    """A template by name (its newest usable version unless a version is asked, which may be a
    retired one, as existing drafts keep theirs), or NotFound."""
    kept = _usable_versions() if version is None else _all_versions()
    matches = [t for t in kept if t.name == name and (version is None or t.version == version)]
    if not matches:
        raise NotFound(f"Templat '{name}' tidak ditemukan.", {"template": name})
    return max(matches, key=lambda template: template.version)


def chosen_template(name: str, kind: str = DECREE) -> Template:
    """The template of a kind a request body names: an unknown one, or one of another kind, is
    an invalid field (422)."""
    try:
        template = get_template(name)
    except NotFound as exc:
        raise Invalid(exc.message, {"fields": {"template": ["Templat tidak dikenal."]}}) from None
    if template.kind != kind:
        raise Invalid(
            f"Templat '{name}' bukan templat {KIND_LABELS[kind]}.",
            {"fields": {"template": [f"Pilih templat {KIND_LABELS[kind]}."]}},
        )
    return template


def validation_of(folder: Path) -> str:
    """How an uploaded version's check for every region stands: pending, ready or refused
    (only ready versions are used)."""
    marker = folder / "validation.json"
    if not marker.exists():
        return "ready"  # versions kept before the check for every region existed
    return json.loads(marker.read_text(encoding="utf-8"))["status"]


def validation_reason(folder: Path) -> str | None:
    """Why an uploaded version's check refused it (None unless refused)."""
    marker = folder / "validation.json"
    if not marker.exists():
        return None
    return json.loads(marker.read_text(encoding="utf-8")).get("reason")


def retirement_folder(name: str, version: int) -> Path:
    """Where a version's retirement marker lives: its uploaded folder, beside the validation
    marker; for a shipped version, a folder of that name and version in the instance."""
    return uploaded_root() / name / str(version)


def retirement_of(name: str, version: int) -> dict | None:
    """Who retired a version and when ({"by", "at"}), or None while it is not retired."""
    marker = retirement_folder(name, version) / RETIRED
    if not marker.exists():
        return None
    return json.loads(marker.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class TemplateVersion:
    """One kept version of a template as an admin sees it: its check and its retirement."""

    template: Template
    validation: str  # pending, ready or refused
    reason: str | None = None
    retired: dict | None = None

    @property
    def usable(self) -> bool:
        return self.validation == "ready" and self.retired is None


def template_versions(name: str | None = None) -> list[TemplateVersion]:
    """Every kept version (of one template if named), shipped and uploaded, being checked,
    refused and retired ones included, by name then version."""
    versions = [
        TemplateVersion(template, "ready", None, retirement_of(template.name, template.version))
        for template in _shipped_versions()
    ] + [_uploaded_version(folder) for folder in _uploaded_folders()]
    return sorted(
        (v for v in versions if name is None or v.template.name == name),
        key=lambda v: (v.template.name, v.template.version, v.template.source),
    )


def _uploaded_version(folder: Path) -> TemplateVersion:
    template = read_manifest(folder, "unggahan")
    return TemplateVersion(
        template,
        validation_of(folder),
        validation_reason(folder),
        retirement_of(template.name, template.version),
    )


def newest_version_number(name: str) -> int | None:
    """The highest version of a template kept here, whatever its validation says."""
    versions = [t.version for t in _all_versions() if t.name == name]
    folder = uploaded_root() / name
    if folder.exists():
        versions += [int(child.name) for child in folder.iterdir() if child.name.isdigit()]
    return max(versions) if versions else None


def uploaded_root() -> Path:
    return Path(current_app.instance_path) / "templates"


def _all_versions() -> list[Template]:
    """Every version a draft may have been made with: shipped, and uploaded ones that passed
    their check (retired ones included)."""
    return _shipped_versions() + [
        read_manifest(folder, "unggahan")
        for folder in _uploaded_folders()
        if validation_of(folder) == "ready"
    ]


def _usable_versions() -> list[Template]:
    """The versions new drafts may use: passed their check and not retired."""
    return [t for t in _all_versions() if retirement_of(t.name, t.version) is None]


def _shipped_versions() -> list[Template]:
    shipped = Path(current_app.config["TEMPLATES_DIR"])
    if not shipped.exists():
        return []
    return [
        read_manifest(folder)
        for folder in sorted(shipped.iterdir())
        if (folder / "manifest.yaml").exists()
    ]


def _uploaded_folders() -> list[Path]:
    uploaded = uploaded_root()
    if not uploaded.exists():
        return []
    folders = sorted(uploaded.glob("*/*"))
    return [folder for folder in folders if (folder / "manifest.yaml").exists()]
