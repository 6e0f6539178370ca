"""Whether a regulation is in force on a date: derived from its dates and relations, never typed.

A regulation is in force on day D when it is not withdrawn, has started (`in_force_from`), its
stated period has not ended, and no live act revokes it with effect on or before D. An amended
regulation stays in force, as amended. Every answer comes from one SQL expression, so lists,
filters and single records agree.
"""

from datetime import date

from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy.orm import aliased

from .. import db
from .models import Regulation, Relation


def in_force_from(regulation: Regulation) -> date:
    """First day in force: the stated period's start, else promulgation, else enactment, else
    1 January of its year (the most a record without dates tells)."""
    return (regulation.valid_from or regulation.promulgated_on or regulation.enacted_on
            or date(regulation.year, 1, 1))


def relation_takes_effect(relation=Relation, source=Regulation):
    """SQL: the day a relation takes effect: its own date, else its source's first day."""
    return func.coalesce(relation.effective_on, source.in_force_from)


def in_force_clause(as_of: date, regulation=Regulation):
    """SQL condition: `regulation` is in force on `as_of`."""
    revoking = aliased(Regulation)
    revoked = exists(
        select(Relation.id)
        .join(revoking, revoking.id == Relation.source_id)
        .where(Relation.kind == "revokes", Relation.target_id == regulation.id,
               revoking.withdrawn_at.is_(None),
               relation_takes_effect(Relation, revoking) <= as_of))
    return and_(regulation.withdrawn_at.is_(None), regulation.in_force_from <= as_of,
                or_(regulation.valid_until.is_(None), regulation.valid_until >= as_of),
                not_(revoked))


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
    query = (select(func.min(relation_takes_effect(Relation, revoking)))
             .join(revoking, revoking.id == Relation.source_id)
             .where(Relation.kind == "revokes", Relation.target_id == regulation.id,
                    revoking.withdrawn_at.is_(None)))
    return db.session.scalar(query)


def corpus_stamp() -> tuple:
    """What changes whenever a regulation or a relation changes (for caches of derived text):
    the newest update time and the counts (records are never deleted; a relation change
    touches its target's update time)."""
    regulations = db.session.execute(
        select(func.max(Regulation.updated_at), func.count(Regulation.id))).one()
    relations = db.session.scalar(select(func.count(Relation.id)))
    return (str(regulations[0]), regulations[1], relations)
