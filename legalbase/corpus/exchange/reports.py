"""What the JDIHN feed and the CSV share: the live records an export holds, taking one imported
entry in (created, or the live record of its identity updated, in its own savepoint), and the
report of what became of every entry and relation."""

from dataclasses import dataclass, field

from sqlalchemy import select

from ...core import audit, db
from ...core.errors import DomainError
from ..models import Regulation
from ..regulations import (
    create_regulation,
    find_live_duplicate,
    identity_key,
    load_regulation_fields,
    regulation_snapshot,
    update_regulation,
)

OUTCOMES = ("created", "updated", "unchanged", "refused")
RELATION_OUTCOMES = ("created", "unchanged", "refused")


@dataclass
class Outcome:
    """What became of one entry (or one relation): where it was, outcome, record id, reason."""

    where: dict
    outcome: str
    record_id: int | None = None
    reason: dict | None = None
    ignored: list[str] | None = None  # feed entries: the keys whose values were not taken in

    def as_dict(self) -> dict:
        """The outcome as the report lists it: where, outcome, id, reason (and ignored)."""
        extra = {} if self.ignored is None else {"ignored": self.ignored}
        return {
            **self.where,
            "outcome": self.outcome,
            "id": self.record_id,
            "reason": self.reason,
            **extra,
        }


@dataclass
class ImportReport:
    """Outcome of every entry, then of every relation, of one import."""

    entries: list[Outcome] = field(default_factory=list)
    relations: list[Outcome] = field(default_factory=list)

    def totals(self) -> dict:
        """How many entries had each outcome."""
        return _count(self.entries, OUTCOMES)

    def relation_totals(self) -> dict:
        """How many relations had each outcome."""
        return _count(self.relations, RELATION_OUTCOMES)

    def as_dict(self) -> dict:
        """The whole report as JSON values."""
        return {
            "entries": [o.as_dict() for o in self.entries],
            "relations": [o.as_dict() for o in self.relations],
            "totals": self.totals(),
            "relation_totals": self.relation_totals(),
        }


def _count(outcomes: list[Outcome], names: tuple) -> dict:
    return {name: sum(1 for o in outcomes if o.outcome == name) for name in names}


def refusal_reason(exc: DomainError) -> dict:
    """The reason a report gives for a refusal: the error's message and details."""
    return {"message": exc.message, "details": exc.details}


def live_regulations() -> list[Regulation]:
    """Every regulation not withdrawn, in id order."""
    query = select(Regulation).where(Regulation.withdrawn_at.is_(None)).order_by(Regulation.id)
    return list(db.session.scalars(query))


@dataclass
class Incoming:
    """An entry read back: metadata in the API's field names, and the text status if given."""

    data: dict
    text_status: str | None = None


def import_record(read, where: dict, actor: audit.Actor) -> tuple[Outcome, Regulation | None]:
    """Read one entry with `read()` and upsert it in a savepoint; a refusal is an Outcome."""
    try:
        with db.session.begin_nested():
            regulation, outcome = _upsert(read(), actor)
    except DomainError as exc:
        return Outcome(where, "refused", reason=refusal_reason(exc)), None
    return Outcome(where, outcome, regulation.id), regulation


def _upsert(incoming: Incoming, actor: audit.Actor) -> tuple[Regulation, str]:
    existing = _live_with_identity(incoming.data)
    if existing is None:
        regulation, outcome = create_regulation(incoming.data, actor), "created"
    else:
        data = {**regulation_snapshot(existing), **incoming.data}
        regulation = existing
        outcome = "updated" if update_regulation(existing, data, actor) else "unchanged"
    if _set_text_status(regulation, incoming.text_status, actor) and outcome == "unchanged":
        outcome = "updated"
    return regulation, outcome


def _live_with_identity(data: dict) -> Regulation | None:
    fields = load_regulation_fields(data)
    key = identity_key(
        fields["form"], fields["region_code"], fields["year"], fields["number"], fields["issuer"]
    )
    return find_live_duplicate(Regulation(identity_key=key))


def _set_text_status(regulation: Regulation, text_status: str | None, actor: audit.Actor) -> bool:
    if text_status is None or text_status == regulation.text_status:
        return False
    before = regulation.text_status
    regulation.text_status = text_status
    db.session.flush()
    audit.record(
        actor,
        "update",
        "regulation",
        regulation.id,
        {"text_status": before},
        {"text_status": text_status},
        regulation.region_code,
    )
    return True
