import shutil
from pathlib import Path

from sqlalchemy import func, select

from legalbase import db
from legalbase.audit import Actor, AuditEntry
from legalbase.regions.models import Region
from legalbase.regions.registry import get_region, head_title_for
from legalbase.regions.seed import sync_regions

SEED = Path(__file__).resolve().parents[2] / "corpus" / "regions"


def count(level):
    return db.session.scalar(select(func.count()).where(Region.level == level))


def test_registry_holds_38_provinces_416_kabupaten_98_kota():
    assert (count("provinsi"), count("kabupaten"), count("kota")) == (38, 416, 98)


def test_palembang_is_a_kota_of_south_sumatra_signed_by_its_wali_kota():
    palembang = get_region("16.71")
    assert (palembang.name, palembang.level) == ("Kota Palembang", "kota")
    assert palembang.parent_code == "16"
    assert palembang.head_title == "WALI KOTA PALEMBANG"
    assert get_region("16.03").head_title == "BUPATI MUARA ENIM"
    assert get_region("16").head_title == "GUBERNUR SUMATERA SELATAN"


def test_seat_is_known_or_null_never_guessed():
    assert get_region("32.01").seat == "Cibinong"
    assert get_region("16").seat == "Palembang"
    # Kabupaten Ogan Komering Ulu: its seat is not in the seed, so it stays unknown.
    assert get_region("16.01").seat is None


def test_the_six_units_of_jakarta_are_not_autonomous_and_the_rest_are():
    not_autonomous = db.session.scalars(select(Region.code).where(Region.autonomous.is_(False)))
    assert sorted(not_autonomous) == ["31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]


def test_head_title_drops_the_words_kabupaten_and_kota():
    assert head_title_for("Kabupaten Bogor", "kabupaten") == "BUPATI BOGOR"
    assert head_title_for("Kota Bogor", "kota") == "WALI KOTA BOGOR"
    assert head_title_for("Jawa Timur", "provinsi") == "GUBERNUR JAWA TIMUR"


def test_a_second_sync_changes_nothing():
    counts = sync_regions(SEED, Actor("tests"))
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 552)


def test_a_corrected_fact_reaches_the_instance_and_is_audited(tmp_path):
    corrected = tmp_path / "regions"
    shutil.copytree(SEED, corrected)
    facts = corrected / "facts.csv"
    facts.write_text(facts.read_text() + "16.01,Baturaja,true,,ibu kota kabupaten\n")

    counts = sync_regions(corrected, Actor("corpus sync"))

    assert (counts.created, counts.updated) == (0, 1)
    assert get_region("16.01").seat == "Baturaja"
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == "region", AuditEntry.entity_id == "16.01")).all()[-1]
    assert (entry.action, entry.actor_label) == ("update", "corpus sync")
    assert (entry.before, entry.after) == ({"seat": None}, {"seat": "Baturaja"})
