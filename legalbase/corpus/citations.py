"""How a regulation is cited in a Mengingat, and how a citation finds its regulation.

    Undang-Undang Nomor 21 Tahun 2007 tentang Pemberantasan Tindak Pidana Perdagangan Orang
    (Lembaran Negara Republik Indonesia Tahun 2007 Nomor 58, Tambahan Lembaran Negara Republik
    Indonesia Nomor 4720)

A fact the corpus holds as unknown is printed as PLACEHOLDER, never left out.
"""

import difflib
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..core import db
from ..regions.models import Region
from .forms import FORMS
from .models import Regulation, Relation
from .reading import Citation, title_case
from .regulations import identity_key
from .status import in_force_ids, is_in_force, relation_takes_effect

PLACEHOLDER = "[belum diketahui]"
CITED_FORM_NAMES = {
    "uu": "Undang-Undang",
    "perppu": "Peraturan Pemerintah Pengganti Undang-Undang",
    "pp": "Peraturan Pemerintah",
    "perpres": "Peraturan Presiden",
}
GAZETTES = {
    "LN": ("Lembaran Negara Republik Indonesia", "Tambahan Lembaran Negara Republik Indonesia"),
    "BN": ("Berita Negara Republik Indonesia", None),
}
# Decrees signed by an official rather than the head: named after the official.
OFFICIALS = {
    "kepsekda": lambda regulation: f"Keputusan Sekretaris Daerah {_place_name(regulation)}",
    "kepkadis": lambda regulation: (
        f"Keputusan {regulation.issuer}"
        if regulation.issuer
        else f"Keputusan Kepala Perangkat Daerah {_place_name(regulation)}"
    ),
}
HEAD_PREFIX = {"provinsi": "GUBERNUR ", "kabupaten": "BUPATI ", "kota": "WALI KOTA "}


def short_name(regulation: Regulation) -> str:
    """'Perpres 49/2023'; a number that ends in its year says it once: 'Kepbup 188.45/5/2024'."""
    number = " ".join(str(regulation.number).split())
    if number.endswith(f"/{regulation.year}"):
        return f"{FORMS[regulation.form].abbreviation} {number}"
    return f"{FORMS[regulation.form].abbreviation} {number}/{regulation.year}"


def cited_name(regulation: Regulation) -> str:
    """'Undang-Undang Nomor 21 Tahun 2007', 'Peraturan Menteri Dalam Negeri Nomor 80 Tahun 2015',
    'Peraturan Daerah Kota Samarinda Nomor 7 Tahun 2013', 'Keputusan Bupati Lahat Nomor ...'."""
    if regulation.form in ("permen", "kepmen") and regulation.issuer:
        kind = f"{FORMS[regulation.form].name.split()[0]} {regulation.issuer}"
    elif regulation.region is not None:
        kind = _regional_kind(regulation)
    else:
        kind = CITED_FORM_NAMES.get(regulation.form, FORMS[regulation.form].name)
    return f"{kind} Nomor {number_and_year(regulation.number, regulation.year)}"


def number_and_year(number: str, year: int) -> str:
    """'7 Tahun 2013'; a number that already ends in its year says it once: '460/105 Tahun
    2017', '188.45/123/KPTS/2025'."""
    written = " ".join(str(number).split()).casefold()
    if written.endswith((f"tahun {year}", f"/{year}")):
        return str(number)
    return f"{number} Tahun {year}"


def _regional_kind(regulation: Regulation) -> str:
    region = regulation.region
    if regulation.form in OFFICIALS:
        return OFFICIALS[regulation.form](regulation)
    if regulation.form.startswith("perda"):
        level = "Provinsi " if region.level == "provinsi" else ""
        return f"Peraturan Daerah {level}{region.name}"
    word = "Keputusan" if regulation.form.startswith("kep") else "Peraturan"
    return f"{word} {title_case(region.head_title)}"


def _place_name(regulation: Regulation) -> str:
    """'Provinsi Kalimantan Barat', 'Kabupaten Banyuwangi', 'Kota Medan'."""
    region = regulation.region
    return f"Provinsi {region.name}" if region.level == "provinsi" else region.name


def cite(regulation: Regulation) -> str:
    """The full citation of one act: name, title and where it was published."""
    text = f"{cited_name(regulation)} tentang {regulation.title}"
    gazette = gazette_reference(regulation)
    return f"{text} ({gazette})" if gazette else text


def gazette_reference(regulation: Regulation) -> str | None:
    """'Lembaran Negara Republik Indonesia Tahun 2007 Nomor 58, Tambahan ... Nomor 4720'.

    None when no gazette is recorded: the act is cited without one, as official practice cites
    Perpres 69/2008 (`gazette: null` in the seed); a recorded gazette's unknown part prints
    PLACEHOLDER."""
    kind = regulation.gazette_kind
    if kind is None or kind not in GAZETTES:
        return None
    main, supplement = GAZETTES[kind]
    text = (
        f"{main} Tahun {regulation.gazette_year or PLACEHOLDER} "
        f"Nomor {regulation.gazette_number or PLACEHOLDER}"
    )
    if supplement and (regulation.gazette_supplement or regulation.form in ("uu", "perppu", "pp")):
        text += f", {supplement} Nomor {regulation.gazette_supplement or PLACEHOLDER}"
    return text


def cite_with_amendments(base: Regulation, amendments: list[Regulation]) -> str:
    """A Mengingat item: the base act and, when amended, its last amendment (DOMAIN.md §5)."""
    text = cite(base)
    if len(amendments) == 1:
        text += f" sebagaimana telah diubah dengan {cite(amendments[0])}"
    elif amendments:
        text += f" sebagaimana telah diubah beberapa kali, terakhir dengan {cite(amendments[-1])}"
    return text + ";"


@db.memoized(lambda base, as_of: (base.id, as_of))
def amendments_of(base: Regulation, as_of: date) -> list[Regulation]:
    """The live acts amending `base` that have taken effect by `as_of`, oldest first."""
    amending = aliased(Regulation)
    takes_effect = relation_takes_effect(Relation, amending)
    query = (
        select(amending)
        .join(Relation, Relation.source_id == amending.id)
        .where(
            Relation.kind == "amends",
            Relation.target_id == base.id,
            amending.withdrawn_at.is_(None),
            takes_effect <= as_of,
        )
        .order_by(takes_effect, amending.year, amending.id)
    )
    return list(db.session.scalars(query))


@db.memoized(lambda bases, as_of: (tuple(base.id for base in bases), as_of))
def prefetch_chains(bases: list[Regulation], as_of: date) -> None:
    """Answer, in two queries, what citing `bases` will ask: their amendments and whether they
    and their amendments are in force (memoized inside `db.memo_scope()`)."""
    amending = aliased(Regulation)
    takes_effect = relation_takes_effect(Relation, amending)
    query = (
        select(amending, Relation.target_id)
        .join(Relation, Relation.source_id == amending.id)
        .where(
            Relation.kind == "amends",
            Relation.target_id.in_([b.id for b in bases]),
            amending.withdrawn_at.is_(None),
            takes_effect <= as_of,
        )
        .order_by(takes_effect, amending.year, amending.id)
    )
    chains: dict[int, list[Regulation]] = {base.id: [] for base in bases}
    for regulation, target_id in db.session.execute(query):
        chains[target_id].append(regulation)
    acts = bases + [act for chain in chains.values() for act in chain]
    live = in_force_ids([act.id for act in acts], as_of)
    for base in bases:
        db.remember(amendments_of, (base, as_of), chains[base.id])
    for act in acts:
        db.remember(is_in_force, (act, as_of), act.id in live)


@db.memoized(lambda regulation: regulation.id)
def base_of(regulation: Regulation) -> Regulation:
    """The act `regulation` amends, or itself when it amends none."""
    target = db.session.scalar(
        select(Relation.target_id)
        .where(Relation.kind == "amends", Relation.source_id == regulation.id)
        .limit(1)
    )
    return db.session.get(Regulation, target) if target else regulation


@db.memoized(lambda c: (c.form, c.number, c.year, c.issuer, c.region_level, c.region_name))
def resolve(citation: Citation) -> Regulation | None:
    """The live regulation a citation names, or None."""
    region_code = None
    if citation.region_name:
        region = _perda_region(citation)
        if region is None:
            return None
        region_code = region.code
    key = identity_key(citation.form, region_code, citation.year, citation.number, citation.issuer)
    found = _live(select(Regulation).where(Regulation.identity_key == key))
    if found or citation.form != "permen":
        return found[0] if len(found) == 1 else None
    # Ministries are named variously ("Menteri Negara ..."): one match by number is enough.
    same_number = _live(
        select(Regulation).where(
            Regulation.form == "permen",
            Regulation.year == citation.year,
            Regulation.number == citation.number,
        )
    )
    return same_number[0] if len(same_number) == 1 else None


def region_named(level: str, name: str) -> Region | None:
    """The region of `level` whose head signs as e.g. BUPATI <NAME>, or None."""
    title = HEAD_PREFIX[level] + " ".join(name.upper().split())
    return db.session.scalar(
        select(Region).where(Region.head_title == title, Region.level == level)
    )


def region_spelled_like(level: str, name: str) -> Region | None:
    """The one region of `level` whose name is nearest to a misspelt or garbled `name`
    ("BANJARNGERA" -> Kabupaten Banjarnegara), or None when none is near enough."""
    titles = dict(
        db.session.execute(
            select(Region.head_title, Region.code).where(Region.level == level)
        ).all()
    )
    wanted = HEAD_PREFIX[level] + " ".join(name.upper().split())
    near = difflib.get_close_matches(wanted, list(titles), n=2, cutoff=0.88)
    if len(near) == 1 or (near and _clearly_nearest(wanted, near)):
        return db.session.get(Region, titles[near[0]])
    return None


def _clearly_nearest(wanted: str, near: list[str]) -> bool:
    ratios = [difflib.SequenceMatcher(None, wanted, title).ratio() for title in near]
    return ratios[0] - ratios[1] > 0.05


def _perda_region(citation: Citation) -> Region | None:
    return region_named(citation.region_level, citation.region_name)


def _live(query) -> list[Regulation]:
    return list(db.session.scalars(query.where(Regulation.withdrawn_at.is_(None))))
