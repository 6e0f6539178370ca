import shutil
from pathlib import Path

from sqlalchemy import select

from legalbase import db
from legalbase.audit import Actor, AuditEntry
from legalbase.corpus.models import Regulation, Relation
from legalbase.corpus.seed import sync_seed_regulations
from legalbase.errors import Invalid

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
NATIONAL, REGIONAL = CORPUS / "national", CORPUS / "regional"


def seeded(key):
    return db.session.scalar(select(Regulation).where(Regulation.seed_key == key))


def amendments_of(key):
    query = (select(Regulation.seed_key).join(Relation, Relation.source_id == Regulation.id)
             .where(Relation.kind == "amends", Relation.target_id == seeded(key).id)
             .order_by(Regulation.year))
    return list(db.session.scalars(query))


def test_uu_21_2007_carries_its_gazette_numbers():
    uu = seeded("uu-21-2007")
    assert (uu.form, uu.number, uu.year, uu.region_code) == ("uu", "21", 2007, None)
    assert uu.title == "Pemberantasan Tindak Pidana Perdagangan Orang"
    assert uu.gazette == {"kind": "LN", "year": 2007, "number": "58", "supplement": "4720"}


def test_the_national_chain_perpres_69_2008_amended_by_22_2021_and_49_2023():
    assert amendments_of("perpres-69-2008") == ["perpres-22-2021", "perpres-49-2023"]
    assert seeded("perpres-49-2023").enacted_on.isoformat() == "2023-08-10"


def test_a_perppu_enacted_into_law_is_the_uu_amending_the_base_act():
    assert amendments_of("uu-23-2002") == ["uu-35-2014", "uu-17-2016"]
    assert amendments_of("uu-23-2014") == ["uu-2-2015", "uu-9-2015", "uu-6-2023"]
    assert amendments_of("uu-12-2011") == ["uu-15-2019", "uu-13-2022"]


def test_unconfirmed_facts_are_stored_as_unknown():
    permendagri = seeded("permendagri-120-2018")
    assert permendagri.gazette == {"kind": "BN", "year": None, "number": "157", "supplement": None}
    assert seeded("perpres-69-2008").gazette["number"] is None
    assert seeded("perpres-69-2008").enacted_on is None


def test_a_second_sync_changes_nothing():
    regulations, relations = sync_seed_regulations([NATIONAL, REGIONAL], Actor("tests"))
    assert (regulations.created, regulations.updated, regulations.unchanged) == (0, 0, 35)
    assert (relations.created, relations.updated, relations.unchanged) == (0, 0, 18)


def test_a_corrected_gazette_number_is_updated_and_audited(tmp_path):
    corrected = tmp_path / "national"
    shutil.copytree(NATIONAL, corrected)
    seed = corrected / "regulations.yaml"
    seed.write_text(seed.read_text().replace(
        'gazette: {kind: BN, year: null, number: "157"}',
        'gazette: {kind: BN, year: 2019, number: "157"}'))

    regulations, _ = sync_seed_regulations([corrected], Actor("corpus sync"))

    assert regulations.updated == 1
    permendagri = seeded("permendagri-120-2018")
    assert permendagri.gazette_year == 2019
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == "regulation",
        AuditEntry.entity_id == str(permendagri.id)).order_by(AuditEntry.id)).all()[-1]
    assert entry.action == "update"
    assert entry.before["gazette"]["year"] is None
    assert entry.after["gazette"]["year"] == 2019


def test_a_broken_seed_entry_names_itself(tmp_path):
    broken = tmp_path / "national"
    shutil.copytree(NATIONAL, broken)
    (broken / "regulations.yaml").write_text(
        "- key: uu-99-2099\n  form: undang\n  number: '99'\n  year: 2099\n  title: X\n")
    try:
        sync_seed_regulations([broken], Actor("tests"))
    except Invalid as exc:
        assert "uu-99-2099" in exc.message
        assert "form" in exc.details["fields"]
    else:
        raise AssertionError("a seed entry with an unknown form must be refused")
