"""Which regions have a current legal basis for their task force on a date, and why not.

The rules file says what counts (forms, how an instrument is recognised, the checks); the corpus
says what exists, what is in force, and which amendments of the root act have taken effect.
All regions of a question are judged from a handful of queries, then region by region in Python.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import String, cast, exists, false, or_, select
from sqlalchemy.orm import aliased

from ..core import db
from ..core.dates import indonesian_date
from ..core.errors import Invalid
from ..corpus.citations import short_name
from ..corpus.models import Regulation, Relation
from ..corpus.status import in_force_clause, relation_takes_effect
from ..regions.models import Region
from .models import Attestation
from .progress import open_work
from .rules import Rules

STATUSES = ("current", "outdated", "expired", "missing", "unreported", "not_required")
SETTLED = ("current", "not_required")  # no work in progress is shown for these


@dataclass
class Reason:
    code: str
    message: str


@dataclass
class Instrument:
    """A regional instrument recognised as forming the task force and/or its Subgugus."""

    regulation: Regulation
    in_force: bool
    revoked_on: date | None
    cites_latest: bool
    cites_root: bool
    task_force: bool
    subgugus: bool


@dataclass
class RegionCoverage:
    region: Region
    status: str
    reasons: list[Reason] = field(default_factory=list)
    basis: list[Regulation] = field(default_factory=list)
    overdue_days: int | None = None
    # the work on a new basis in progress (e.g. {"draft_id", "state", "state_label", "since"}),
    # shown only while the region is not settled
    in_progress: dict | None = None


@dataclass
class Chain:
    """The root act and its latest amendment in force on the date asked."""

    root: Regulation
    latest: Regulation
    latest_on: date


def national_chain(rules: Rules, as_of: date) -> Chain:
    """The root act and the last of its amendments that has taken effect by `as_of`."""
    root = db.session.scalar(select(Regulation).where(Regulation.seed_key == rules.root_act))
    if root is None:
        raise Invalid(
            f"Peraturan induk '{rules.root_act}' dari aturan cakupan tidak ada di "
            "korpus; jalankan 'legalbase corpus sync'."
        )
    amending = aliased(Regulation)
    takes_effect = relation_takes_effect(Relation, amending)
    row = db.session.execute(
        select(amending, takes_effect.label("on"))
        .join(Relation, Relation.source_id == amending.id)
        .where(
            Relation.kind == "amends",
            Relation.target_id == root.id,
            amending.withdrawn_at.is_(None),
            takes_effect <= as_of,
        )
        .order_by(takes_effect.desc(), amending.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return Chain(root, root, root.in_force_from)
    return Chain(root, row[0], row[1])


def coverage(rules: Rules, as_of: date, regions: list[Region]) -> list[RegionCoverage]:
    """The coverage of each of `regions` on `as_of`."""
    chain = national_chain(rules, as_of)
    codes = [region.code for region in regions]
    instruments = _instruments(rules, chain, as_of, codes)
    texts = _subgugus_texts(instruments)
    attestations = _latest_attestations(as_of, codes)
    judged = [
        _judge(
            rules,
            chain,
            as_of,
            region,
            instruments.get(region.code, []),
            texts,
            attestations.get(region.code),
        )
        for region in regions
    ]
    _mark_in_progress(judged, as_of)
    return judged


def _mark_in_progress(judged: list[RegionCoverage], as_of: date) -> None:
    unsettled = [item for item in judged if item.status not in SETTLED]
    if not unsettled:
        return
    work = open_work([item.region.code for item in unsettled], as_of)
    for item in unsettled:
        item.in_progress = work.get(item.region.code)


def _instruments(rules: Rules, chain: Chain, as_of: date, codes: list[str]) -> dict:
    task_force = _task_force_clause(rules, chain.root)
    subgugus = _words_clause(Regulation.title, rules.subgugus_title_words)
    subgugus_text = _words_clause(Regulation.text, rules.subgugus_text_words)
    query = (
        select(
            Regulation,
            in_force_clause(as_of).label("in_force"),
            _revoked_by(as_of).label("revoked_on"),
            _cites(chain.latest).label("cites_latest"),
            _cites(chain.root).label("cites_root"),
            task_force.label("task_force"),
            or_(subgugus, subgugus_text).label("sg"),
        )
        .where(
            Regulation.region_code.in_(codes),
            Regulation.form.in_(rules.accepted_forms),
            Regulation.withdrawn_at.is_(None),
            Regulation.in_force_from <= as_of,
            or_(task_force, subgugus, subgugus_text),
        )
        .order_by(Regulation.in_force_from, Regulation.id)
    )
    found: dict[str, list[Instrument]] = {}
    for row in db.session.execute(query):
        instrument = Instrument(
            row[0],
            bool(row.in_force),
            row.revoked_on,
            bool(row.cites_latest),
            bool(row.cites_root),
            bool(row.task_force),
            bool(row.sg),
        )
        found.setdefault(row[0].region_code, []).append(instrument)
    return found


def _task_force_clause(rules: Rules, root: Regulation):
    subjects = cast(Regulation.subjects, String)
    by_subject = [subjects.like(f'%"{subject}"%') for subject in rules.task_force_subjects]
    clauses = [_words_clause(Regulation.title, rules.task_force_title_words), *by_subject]
    if rules.implements_root:
        clauses.append(
            exists(
                select(Relation.id).where(
                    Relation.kind == "implements",
                    Relation.source_id == Regulation.id,
                    Relation.target_id == root.id,
                )
            )
        )
    return or_(*clauses)


def _words_clause(column, words):
    return or_(*[column.ilike(f"%{word}%") for word in words]) if words else false()


def _cites(target: Regulation):
    return exists(
        select(Relation.id).where(
            Relation.kind == "cites",
            Relation.source_id == Regulation.id,
            Relation.target_id == target.id,
        )
    )


def _revoked_by(as_of: date):
    revoking = aliased(Regulation)
    takes_effect = relation_takes_effect(Relation, revoking)
    return (
        select(takes_effect)
        .join(revoking, revoking.id == Relation.source_id)
        .where(
            Relation.kind == "revokes",
            Relation.target_id == Regulation.id,
            revoking.withdrawn_at.is_(None),
            takes_effect <= as_of,
        )
        .order_by(takes_effect)
        .limit(1)
        .scalar_subquery()
    )


def _subgugus_texts(instruments: dict) -> dict[int, str]:
    ids = [
        i.regulation.id
        for group in instruments.values()
        for i in group
        if i.subgugus and i.in_force and i.regulation.text_status == "available"
    ]
    if not ids:
        return {}
    rows = db.session.execute(select(Regulation.id, Regulation.text).where(Regulation.id.in_(ids)))
    return {id_: " ".join((text or "").split()).lower() for id_, text in rows}


def _latest_attestations(as_of: date, codes: list[str]) -> dict[str, Attestation]:
    query = (
        select(Attestation)
        .where(Attestation.region_code.in_(codes), Attestation.stated_on <= as_of)
        .order_by(Attestation.stated_on, Attestation.id)
    )
    return {attestation.region_code: attestation for attestation in db.session.scalars(query)}


def _judge(rules, chain, as_of, region, instruments, texts, attestation) -> RegionCoverage:
    if not region.autonomous:
        return RegionCoverage(
            region,
            "not_required",
            [
                Reason(
                    "not_autonomous",
                    "Daerah administratif, bukan daerah otonom: dicakup oleh "
                    "dasar hukum provinsinya.",
                )
            ],
        )
    in_force = [i for i in instruments if i.in_force]
    if in_force:
        judged = _judge_in_force(rules, chain, as_of, region, in_force, texts)
    else:
        judged = _judge_absent(region, instruments, attestation, as_of)
    if judged.status != "current":
        judged.overdue_days = max((as_of - rules.mandate_deadline).days, 0)
    return judged


def _judge_in_force(rules, chain, as_of, region, in_force, texts) -> RegionCoverage:
    blocking, notes = [], []
    task_forces = [i for i in in_force if i.task_force]
    if not task_forces:
        blocking.append(
            Reason(
                "no_task_force", "Belum ada instrumen berlaku yang membentuk Gugus Tugas PP-TPPO."
            )
        )
    for check in rules.checks:
        reason = CHECKS[check](rules, chain, as_of, in_force, task_forces, texts)
        if reason is not None:
            (notes if reason.code == "in_grace_period" else blocking).append(reason)
    if any(i.regulation.text_status != "available" for i in in_force):
        notes.append(
            Reason(
                "text_unavailable",
                "Sebagian dasar hukum dinilai dari metadata "
                "saja: teksnya belum tersedia di korpus.",
            )
        )
    status = "outdated" if blocking else "current"
    return RegionCoverage(region, status, blocking + notes, [i.regulation for i in in_force])


def _aligned(rules, chain, as_of, in_force, task_forces, texts) -> Reason | None:
    if not task_forces or chain.latest is chain.root:
        return None
    if any(i.cites_latest or i.regulation.in_force_from >= chain.latest_on for i in task_forces):
        return None
    latest = short_name(chain.latest)
    deadline = chain.latest_on + timedelta(days=rules.grace_period_days)
    if as_of < deadline:
        return Reason(
            "in_grace_period",
            f"Masih dalam masa penyesuaian terhadap {latest} hingga {indonesian_date(deadline)}.",
        )
    root = short_name(chain.root)
    if any(i.cites_root for i in task_forces):
        return Reason(
            "not_aligned", f"Dasar hukum merujuk {root} tanpa perubahan terakhir ({latest})."
        )
    return Reason(
        "not_aligned",
        f"Dasar hukum tidak merujuk perubahan terakhir {root} "
        f"({latest}) dan ditetapkan sebelum {latest} berlaku.",
    )


def _forms_subgugus(rules, chain, as_of, in_force, task_forces, texts) -> Reason | None:
    if any(i.subgugus for i in in_force):
        return None
    return Reason("no_subgugus", "Subgugus Tugas belum dibentuk dalam dasar hukum yang berlaku.")


def _subgugus_fields(rules, chain, as_of, in_force, task_forces, texts) -> Reason | None:
    readable = [texts[i.regulation.id] for i in in_force if i.regulation.id in texts]
    if not readable:
        return None
    missing = [name for name in rules.subgugus_fields if not any(name in text for text in readable)]
    if not missing:
        return None
    return Reason(
        "subgugus_fields_missing", f"Subgugus Tugas belum mencakup bidang: {', '.join(missing)}."
    )


def _period(rules, chain, as_of, in_force, task_forces, texts) -> Reason | None:
    return None  # an instrument whose period ended is not in force; see _judge_absent


CHECKS = {
    "aligned_with_latest_amendment": _aligned,
    "forms_subgugus": _forms_subgugus,
    "subgugus_fields_named": _subgugus_fields,
    "period_not_ended": _period,
}


def _judge_absent(region, instruments, attestation, as_of) -> RegionCoverage:
    expired = [
        i
        for i in instruments
        if i.revoked_on is None
        and i.regulation.valid_until is not None
        and i.regulation.valid_until < as_of
    ]
    revoked = [i for i in instruments if i.revoked_on is not None]
    if expired:
        last = max(expired, key=lambda i: i.regulation.valid_until).regulation
        return RegionCoverage(
            region,
            "expired",
            [
                Reason(
                    "period_ended",
                    f"Masa berlaku {short_name(last)} berakhir pada "
                    f"{indonesian_date(last.valid_until)}.",
                )
            ],
            [last],
        )
    if revoked:
        last = max(revoked, key=lambda i: i.revoked_on)
        return RegionCoverage(
            region,
            "missing",
            [
                Reason(
                    "basis_revoked",
                    f"Dasar hukum {short_name(last.regulation)} dicabut sejak "
                    f"{indonesian_date(last.revoked_on)}.",
                )
            ],
            [last.regulation],
        )
    if attestation is not None and not attestation.has_basis:
        return RegionCoverage(
            region,
            "missing",
            [
                Reason(
                    "attested_no_basis",
                    "Dinyatakan belum memiliki dasar hukum pada "
                    f"{indonesian_date(attestation.stated_on)}.",
                )
            ],
        )
    reasons = [
        Reason(
            "nothing_known",
            "Belum melapor: korpus tidak memuat dasar hukum maupun pernyataan wilayah ini.",
        )
    ]
    if attestation is not None:
        reasons.append(
            Reason(
                "basis_stated_not_uploaded",
                "Dinyatakan memiliki dasar hukum "
                f"pada {indonesian_date(attestation.stated_on)}, tetapi belum diunggah.",
            )
        )
    return RegionCoverage(region, "unreported", reasons)
