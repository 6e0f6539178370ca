"""Upsert the seed regulations (`corpus/national/`, `corpus/regional/`) and their relations."""

from pathlib import Path

import yaml
from sqlalchemy import select

from ..core import audit, db
from ..core.db import utcnow
from ..core.errors import Invalid
from ..regions.seed import SyncCounts
from .models import RELATION_KINDS, Regulation, Relation
from .regulations import create_regulation, find_live_duplicate, identity_key, update_regulation
from .relations import relation_snapshot

# Where each fact of a seed entry comes from: kept in the data file, not in the database.
PROVENANCE_KEYS = ("confidence", "sources", "notes")
CONFIDENCE_LEVELS = ("confirmed", "one-source", "conflicting", "unknown")
GRADED_FACTS = ("title", "enacted_on", "promulgated_on", "gazette")


def read_yaml_list(path: Path) -> list[dict]:
    """A YAML file holding a list of mappings, or Invalid saying what is wrong with it."""
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise Invalid(f"Berkas seed {path.name} tidak dapat dibaca: {exc}.") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise Invalid(f"Berkas seed {path.name} harus berisi daftar entri.")
    return entries


def sync_seed_regulations(folders: list[Path], actor: audit.Actor) -> tuple[SyncCounts, SyncCounts]:
    """Upsert the regulations of every folder, then all their relations; flushes only.

    Each folder holds `regulations.yaml` and `relations.yaml`; keys are unique across folders,
    so a regional decree may cite a national act.
    """
    entries = [e for folder in folders for e in read_yaml_list(folder / "regulations.yaml")]
    links = [e for folder in folders for e in _optional_list(folder / "relations.yaml")]
    return _sync_regulations(entries, actor), _sync_relations(links, actor)


def _optional_list(path: Path) -> list[dict]:
    return read_yaml_list(path) if path.exists() else []


def _sync_regulations(entries: list[dict], actor: audit.Actor) -> SyncCounts:
    counts = SyncCounts()
    for entry in entries:
        key, data = _split_key(entry)
        try:
            _sync_regulation(key, data, actor, counts)
        except Invalid as exc:
            raise Invalid(f"Entri seed '{key}': {exc.message}", exc.details) from None
    return counts


def _split_key(entry: dict) -> tuple[str, dict]:
    data = dict(entry)
    key = data.pop("key", None)
    if not key:
        raise Invalid("Setiap entri regulations.yaml wajib memiliki 'key'.", {"entry": entry})
    problems = _provenance_problems(
        {name: data.pop(name) for name in PROVENANCE_KEYS if name in data}
    )
    if problems:
        raise Invalid(f"Entri seed '{key}': asal-usul fakta tidak valid.", {"fields": problems})
    for name in ("enacted_on", "promulgated_on", "valid_from", "valid_until"):
        if data.get(name) is not None:
            data[name] = str(data[name])  # YAML reads dates as dates; the schema reads text
    return key, data


def _provenance_problems(provenance: dict) -> dict:
    """What is wrong with an entry's `confidence`, `sources` and `notes` (shapes only)."""
    problems = {}
    confidence = provenance.get("confidence") or {}
    if not isinstance(confidence, dict) or any(
        fact not in GRADED_FACTS or level not in CONFIDENCE_LEVELS
        for fact, level in confidence.items()
    ):
        problems["confidence"] = [
            f"Per fakta ({', '.join(GRADED_FACTS)}) salah satu dari: "
            f"{', '.join(CONFIDENCE_LEVELS)}."
        ]
    sources = provenance.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        problems["sources"] = ["Harus berupa daftar teks."]
    if not isinstance(provenance.get("notes") or "", str):
        problems["notes"] = ["Harus berupa teks."]
    return problems


def _sync_regulation(key: str, data: dict, actor: audit.Actor, counts: SyncCounts) -> None:
    regulation = db.session.scalar(select(Regulation).where(Regulation.seed_key == key))
    if regulation is None:
        regulation = _adoptable(data)
        if regulation is not None:
            regulation.seed_key = key
    if regulation is None:
        create_regulation(data, actor, seed_key=key)
        counts.created += 1
    elif update_regulation(regulation, data, actor):
        counts.updated += 1
    else:
        counts.unchanged += 1


def _adoptable(data: dict) -> Regulation | None:
    """A live record entered by hand that the seed now describes (same identity)."""
    probe = Regulation(
        identity_key=identity_key(
            data["form"],
            data.get("region_code"),
            data["year"],
            str(data["number"]),
            data.get("issuer"),
        )
    )
    return find_live_duplicate(probe)


def _sync_relations(entries: list[dict], actor: audit.Actor) -> SyncCounts:
    counts = SyncCounts()
    by_key = {
        reg.seed_key: reg
        for reg in db.session.scalars(select(Regulation).where(Regulation.seed_key.is_not(None)))
    }
    for entry in entries:
        _sync_relation(entry, by_key, actor, counts)
    db.session.flush()
    return counts


def _sync_relation(entry: dict, by_key: dict, actor: audit.Actor, counts: SyncCounts) -> None:
    source, target = by_key.get(entry.get("source")), by_key.get(entry.get("target"))
    kind = entry.get("kind")
    if source is None or target is None or kind not in RELATION_KINDS:
        raise Invalid(f"Relasi seed tidak valid: {entry}.", {"entry": str(entry)})
    wanted = {"effective_on": entry.get("effective_on"), "note": entry.get("note")}
    relation = db.session.scalar(
        select(Relation).where(
            Relation.kind == kind, Relation.source_id == source.id, Relation.target_id == target.id
        )
    )
    if relation is None:
        relation = Relation(kind=kind, source_id=source.id, target_id=target.id, **wanted)
        db.session.add(relation)
        db.session.flush()
        audit.record(
            actor, "create", "relation", relation.id, None, relation_snapshot(relation), None
        )
        counts.created += 1
        return
    before = relation_snapshot(relation)
    relation.effective_on, relation.note = wanted["effective_on"], wanted["note"]
    changed_before, changed_after = audit.changed_fields(before, relation_snapshot(relation))
    if changed_after:
        target.updated_at = utcnow()  # a relation's change is a change of its target
        audit.record(actor, "update", "relation", relation.id, changed_before, changed_after)
        counts.updated += 1
    else:
        counts.unchanged += 1
