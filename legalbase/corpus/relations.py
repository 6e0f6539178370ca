"""Relations between regulations: adding them (with their checks) and reading them both ways."""

from datetime import date

from sqlalchemy import select

from ..core import audit, db
from ..core.errors import Conflict, Invalid
from .models import RELATION_KINDS, RELATION_LABELS, Regulation, Relation


def add_relation(
    source: Regulation,
    kind: str,
    target: Regulation,
    actor: audit.Actor,
    effective_on: date | None = None,
    note: str | None = None,
) -> Relation:
    """Record `source` <kind> `target`; self-relations and revocation cycles are Invalid,
    the same relation twice a Conflict."""
    if kind not in RELATION_KINDS:
        choices = ", ".join(RELATION_KINDS)
        raise Invalid(
            "Jenis relasi tidak dikenal.",
            {"fields": {"type": [f"Harus salah satu dari: {choices}."]}},
        )
    if source.id == target.id:
        raise Invalid(
            "Peraturan tidak dapat berelasi dengan dirinya sendiri.",
            {"fields": {"target_id": ["Sama dengan peraturan sumber."]}},
        )
    if find_relation(source, kind, target) is not None:
        raise Conflict(
            "Relasi yang sama sudah tercatat.",
            {"type": kind, "target_id": target.id},
            code="duplicate_relation",
        )
    if kind == "revokes" and revokes_transitively(target, source):
        raise Invalid(
            "Relasi ini membentuk lingkaran pencabutan.",
            {
                "fields": {
                    "target_id": [
                        "Peraturan tujuan (langsung atau tidak langsung) mencabut peraturan sumber."
                    ]
                }
            },
        )
    relation = Relation(
        kind=kind, source_id=source.id, target_id=target.id, effective_on=effective_on, note=note
    )
    db.session.add(relation)
    db.session.flush()
    audit.record(
        actor,
        "create",
        "relation",
        relation.id,
        None,
        relation_snapshot(relation),
        source.region_code,
    )
    return relation


def find_relation(source: Regulation, kind: str, target: Regulation) -> Relation | None:
    """The relation `source` <kind> `target`, or None."""
    return db.session.scalar(
        select(Relation).where(
            Relation.kind == kind, Relation.source_id == source.id, Relation.target_id == target.id
        )
    )


def revokes_transitively(start: Regulation, goal: Regulation) -> bool:
    """Whether `start` revokes `goal`, directly or through acts it revokes."""
    seen, frontier = set(), {start.id}
    while frontier:
        if goal.id in frontier:
            return True
        seen |= frontier
        query = select(Relation.target_id).where(
            Relation.kind == "revokes", Relation.source_id.in_(frontier)
        )
        frontier = set(db.session.scalars(query)) - seen
    return False


def relations_of(regulation: Regulation) -> dict:
    """Outgoing and incoming relations of a regulation, each with its Indonesian label."""
    outgoing = db.session.scalars(
        select(Relation).where(Relation.source_id == regulation.id).order_by(Relation.id)
    )
    incoming = db.session.scalars(
        select(Relation).where(Relation.target_id == regulation.id).order_by(Relation.id)
    )
    return {
        "outgoing": [_seen_from_source(rel) for rel in outgoing],
        "incoming": [_seen_from_target(rel) for rel in incoming],
    }


def _seen_from_source(relation: Relation) -> dict:
    label, inverse = RELATION_LABELS[relation.kind]
    return _view(relation, relation.target, label, inverse)


def _seen_from_target(relation: Relation) -> dict:
    inverse, label = RELATION_LABELS[relation.kind]
    return _view(relation, relation.source, label, inverse)


def _view(relation: Relation, other: Regulation, label: str, inverse: str) -> dict:
    return {
        "id": relation.id,
        "type": relation.kind,
        "label": label,
        "inverse_label": inverse,
        "effective_on": relation.effective_on,
        "note": relation.note,
        "regulation": other,
    }


def relation_snapshot(relation: Relation) -> dict:
    """A relation as plain JSON data."""
    return {
        "kind": relation.kind,
        "source_id": relation.source_id,
        "target_id": relation.target_id,
        "effective_on": relation.effective_on.isoformat() if relation.effective_on else None,
        "note": relation.note,
    }
