"""Whether a regulation is in force on a date: derived from its dates and relations, never typed.

A regulation is in force on day D when it is not withdrawn, has started (`in_force_from`), its
stated period has not ended, and no live act revokes it with effect on or before D. An amended
regulation stays in force, as amended. Every answer comes from one SQL expression, so lists,
filters and single records agree.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy.orm import aliased

from ..core import db
from .models import Regulation, Relation


@dataclass(frozen=True)
class Since:
    """A day something took effect, as far as the records tell: `on` is the day used for
    computing; when not `known`, only its year is a fact (`on` is 1 January of that year)."""

    on: date
    known: bool


def in_force_from(regulation: Regulation) -> date:
    """First day in force, for computing: the stated start (see `Regulation.stated_start`),
    else 1 January of its year. Never show it as a fact; show `in_force_since` instead."""
    return regulation.stated_start or date(regulation.year, 1, 1)


def in_force_since(regulation: Regulation) -> Since:
    """Since when a regulation is in force, marking a day its record does not state."""
    return Since(in_force_from(regulation), regulation.stated_start is not None)


def relation_takes_effect(relation=Relation, source=Regulation):
    """SQL: the day a relation takes effect: its own date, else its source's first day."""
    return func.coalesce(relation.effective_on, source.in_force_from)


def in_force_clause(as_of: date, regulation=Regulation):
    """SQL condition: `regulation` is in force on `as_of`."""
    revoking = aliased(Regulation)
    revoked = exists(
        select(Relation.id)
        .join(revoking, revoking.id == Relation.source_id)
        .where(
            Relation.kind == "revokes",
            Relation.target_id == regulation.id,
            revoking.withdrawn_at.is_(None),
            relation_takes_effect(Relation, revoking) <= as_of,
        )
    )
    return and_(
        regulation.withdrawn_at.is_(None),
        regulation.in_force_from <= as_of,
        or_(regulation.valid_until.is_(None), regulation.valid_until >= as_of),
        not_(revoked),
    )


def in_force_ids(ids: list[int], as_of: date) -> set[int]:
    """Which of the regulations `ids` are in force on `as_of`."""
    if not ids:
        return set()
    query = select(Regulation.id).where(Regulation.id.in_(ids), in_force_clause(as_of))
    return set(db.session.scalars(query))


@db.memoized(lambda regulation, as_of: (regulation.id, as_of))
def is_in_force(regulation: Regulation, as_of: date) -> bool:
    """Whether one regulation is in force on `as_of`."""
    return regulation.id in in_force_ids([regulation.id], as_of)


def revoked_on(regulation: Regulation) -> date | None:
    """The day the earliest live revocation of `regulation` takes effect, or None."""
    revoking = aliased(Regulation)
    query = (
        select(func.min(relation_takes_effect(Relation, revoking)))
        .join(revoking, revoking.id == Relation.source_id)
        .where(
            Relation.kind == "revokes",
            Relation.target_id == regulation.id,
            revoking.withdrawn_at.is_(None),
        )
    )
    return db.session.scalar(query)


def revoked_since(regulation: Regulation) -> Since | None:
    """When the earliest live revocation of `regulation` takes effect, marking a day that no
    record states (a revocation without a date by an act without dates); None if not revoked."""
    revoking = aliased(Regulation)
    query = (
        select(Relation.effective_on, revoking)
        .join(revoking, revoking.id == Relation.source_id)
        .where(
            Relation.kind == "revokes",
            Relation.target_id == regulation.id,
            revoking.withdrawn_at.is_(None),
        )
    )
    candidates = [
        Since(stated, True) if stated else in_force_since(source)
        for stated, source in db.session.execute(query)
    ]
    return min(candidates, key=lambda since: (since.on, not since.known), default=None)


def unstated_days(region_code: str) -> set[date]:
    """The days standing for a date no record states (1 January of a dateless record's year)
    among the starts and revocations of the live regulations of one region itself."""
    regulations = list(
        db.session.scalars(
            select(Regulation).where(
                Regulation.region_code == region_code, Regulation.withdrawn_at.is_(None)
            )
        )
    )
    sinces = [in_force_since(regulation) for regulation in regulations]
    sinces += [revoked_since(regulation) for regulation in regulations]
    return {since.on for since in sinces if since is not None and not since.known}


def corpus_stamp() -> tuple:
    """What changes whenever a regulation or a relation changes (for caches of derived text):
    the newest update time and the counts (records are never deleted; a relation change
    touches its target's update time)."""
    regulations = db.session.execute(
        select(func.max(Regulation.updated_at), func.count(Regulation.id))
    ).one()
    relations = db.session.scalar(select(func.count(Relation.id)))
    return (str(regulations[0]), regulations[1], relations)
