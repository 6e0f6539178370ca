import shutil
from pathlib import Path

import yaml
from sqlalchemy import func, select

from legalbase.core import db
from legalbase.core.audit import Actor, AuditEntry
from legalbase.core.errors import Invalid
from legalbase.corpus.citations import cite, gazette_reference
from legalbase.corpus.models import Regulation, Relation
from legalbase.corpus.seed import sync_seed_regulations

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
NATIONAL, REGIONAL = CORPUS / "national", CORPUS / "regional"
BEFORE = Path(__file__).parent / "national_before_verified_facts.yaml"


def seeded(key):
    return db.session.scalar(select(Regulation).where(Regulation.seed_key == key))


def seed_entries() -> dict:
    entries = yaml.safe_load((NATIONAL / "regulations.yaml").read_text(encoding="utf-8"))
    return {entry["key"]: entry for entry in entries}


def last_audit(regulation):
    return db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity_type == "regulation", AuditEntry.entity_id == str(regulation.id))
        .order_by(AuditEntry.id)
    ).all()[-1]


def audit_since(entry_id):
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.id > entry_id)))


def amendments_of(key):
    query = (
        select(Regulation.seed_key)
        .join(Relation, Relation.source_id == Regulation.id)
        .where(Relation.kind == "amends", Relation.target_id == seeded(key).id)
        .order_by(Regulation.year)
    )
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


def test_verified_facts_are_stored_and_unknown_ones_stay_null():
    uu = seeded("uu-18-2017")
    assert (uu.enacted_on.isoformat(), uu.promulgated_on.isoformat()) == (
        "2017-11-22",
        "2017-11-22",
    )
    assert uu.gazette == {"kind": "LN", "year": 2017, "number": "242", "supplement": "6141"}
    assert seeded("uu-17-2016").promulgated_on is None
    assert seeded("pp-9-2008").gazette == {
        "kind": "LN",
        "year": 2008,
        "number": None,
        "supplement": "4818",
    }
    assert seeded("permen-pppa-10-2012").gazette == {
        "kind": "BN",
        "year": None,
        "number": None,
        "supplement": None,
    }
    assert seeded("perpres-69-2008").enacted_on is None


def test_a_conflicting_fact_is_stored_as_its_best_reading():
    permendagri = seeded("permendagri-120-2018")
    assert permendagri.gazette == {"kind": "BN", "year": 2019, "number": "157", "supplement": None}
    entry = seed_entries()["permendagri-120-2018"]
    assert entry["confidence"]["gazette"] == "conflicting"
    assert "2018, 2019 and 2021" in entry["notes"]


def test_an_act_cited_without_a_gazette_prints_none():
    perpres = seeded("perpres-69-2008")
    assert perpres.gazette is None
    assert gazette_reference(perpres) is None
    assert cite(perpres).endswith("Tindak Pidana Perdagangan Orang")


def test_every_fact_graded_unknown_is_null_and_every_null_date_is_graded_unknown():
    for key, entry in seed_entries().items():
        grades = entry.get("confidence") or {}
        for name in ("enacted_on", "promulgated_on"):
            assert (entry.get(name) is None) == (grades.get(name) == "unknown"), (key, name)
        gazette = entry.get("gazette") or {}
        if grades.get("gazette") == "unknown":
            assert not any(gazette.get(part) for part in ("year", "number", "supplement")), key


def test_a_second_sync_changes_nothing():
    regulations, relations = sync_seed_regulations([NATIONAL, REGIONAL], Actor("tests"))
    assert (regulations.created, regulations.updated, regulations.unchanged) == (0, 0, 35)
    assert (relations.created, relations.updated, relations.unchanged) == (0, 0, 18)


def test_a_corrected_gazette_number_is_updated_and_audited(tmp_path):
    corrected = tmp_path / "national"
    shutil.copytree(NATIONAL, corrected)
    seed = corrected / "regulations.yaml"
    seed.write_text(
        seed.read_text().replace(
            'gazette: {kind: BN, year: 2019, number: "157"}',
            'gazette: {kind: BN, year: 2018, number: "157"}',
        )
    )

    regulations, _ = sync_seed_regulations([corrected], Actor("corpus sync"))

    assert regulations.updated == 1
    permendagri = seeded("permendagri-120-2018")
    assert permendagri.gazette_year == 2018
    entry = last_audit(permendagri)
    assert entry.action == "update"
    assert entry.before["gazette"]["year"] == 2019
    assert entry.after["gazette"]["year"] == 2018


def test_corpus_sync_carries_the_verified_facts_to_an_instance_synced_before(
    app, runner, tmp_path, monkeypatch
):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    shutil.copy(BEFORE, corpus / "national" / "regulations.yaml")
    monkeypatch.setitem(app.config, "CORPUS_DIR", str(corpus))
    assert runner.invoke(args=["corpus", "sync"]).exit_code == 0
    assert seeded("uu-18-2017").gazette["number"] is None
    since = db.session.scalar(select(func.max(AuditEntry.id)))

    monkeypatch.setitem(app.config, "CORPUS_DIR", str(CORPUS))
    result = runner.invoke(args=["corpus", "sync"])

    assert result.exit_code == 0, result.output
    audited = {entry.entity_id: entry for entry in audit_since(since)}
    assert {entry.entity_type for entry in audited.values()} == {"regulation"}
    # Nothing new is known of these two: Permendagri 80/2015 had its gazette, no dates.
    national = set(seed_entries()) - {"permen-pppa-10-2012", "permendagri-80-2015"}
    assert set(audited) == {str(seeded(key).id) for key in national}
    uu = audited[str(seeded("uu-18-2017").id)]
    assert uu.action == "update" and uu.actor_label == "corpus sync"
    assert uu.before["gazette"]["number"] is None and uu.after["gazette"]["number"] == "242"
    assert (uu.before["enacted_on"], uu.after["enacted_on"]) == (None, "2017-11-22")
    perpres = audited[str(seeded("perpres-69-2008").id)]
    assert (perpres.before["gazette"]["kind"], perpres.after["gazette"]) == ("LN", None)
    since = db.session.scalar(select(func.max(AuditEntry.id)))
    assert runner.invoke(args=["corpus", "sync"]).exit_code == 0
    assert audit_since(since) == []


def test_a_seed_entry_with_malformed_provenance_names_itself(tmp_path):
    broken = tmp_path / "national"
    shutil.copytree(NATIONAL, broken)
    (broken / "regulations.yaml").write_text(
        "- key: uu-99-2099\n  form: uu\n  number: '99'\n  year: 2099\n  title: X\n"
        "  confidence: {gazette: pasti}\n  sources: ok\n"
    )
    try:
        sync_seed_regulations([broken], Actor("tests"))
    except Invalid as exc:
        assert "uu-99-2099" in exc.message
        assert set(exc.details["fields"]) == {"confidence", "sources"}
    else:
        raise AssertionError("a seed entry with malformed provenance must be refused")


def test_a_broken_seed_entry_names_itself(tmp_path):
    broken = tmp_path / "national"
    shutil.copytree(NATIONAL, broken)
    (broken / "regulations.yaml").write_text(
        "- key: uu-99-2099\n  form: undang\n  number: '99'\n  year: 2099\n  title: X\n"
    )
    try:
        sync_seed_regulations([broken], Actor("tests"))
    except Invalid as exc:
        assert "uu-99-2099" in exc.message
        assert "form" in exc.details["fields"]
    else:
        raise AssertionError("a seed entry with an unknown form must be refused")
