import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from legalbase.core import db
from legalbase.core.audit import Actor, AuditEntry
from legalbase.core.errors import Invalid
from legalbase.regions.models import Region
from legalbase.regions.registry import get_region, head_title_for
from legalbase.regions.seed import read_seed_regions, sync_regions

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


def test_seat_is_known_with_its_confidence_or_null_never_guessed(tmp_path):
    assert (get_region("32.01").seat, get_region("32.01").seat_confidence) == (
        "Cibinong",
        "confirmed",
    )
    assert (get_region("16").seat, get_region("16").seat_confidence) == ("Palembang", "curated")
    assert get_region("16.01").seat == "Baturaja"
    without = tmp_path / "regions"
    shutil.copytree(SEED, without)
    with_line(without / "seats.csv", "", replacing="16.01")
    row = next(row for row in read_seed_regions(without) if row["code"] == "16.01")
    assert (row["seat"], row["seat_confidence"], row["seat_source"]) == (None, None, None)


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
    facts.write_text(facts.read_text().replace("\n74.72,Bau Bau,", "\n74.72,Baubau,"))

    counts = sync_regions(corrected, Actor("corpus sync"))

    assert (counts.created, counts.updated) == (0, 1)
    assert get_region("74.72").seat == "Baubau"
    entry = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_type == "region", AuditEntry.entity_id == "74.72"
        )
    ).all()[-1]
    assert (entry.action, entry.actor_label) == ("update", "corpus sync")
    assert (entry.before, entry.after) == ({"seat": "Bau Bau"}, {"seat": "Baubau"})


def with_line(path: Path, line: str, replacing: str | None = None) -> None:
    """Append `line` to a seed CSV, dropping first the row whose code is `replacing`."""
    rows = [
        row
        for row in path.read_text().splitlines()
        if not (replacing and row.startswith(replacing + ","))
    ]
    path.write_text("\n".join([*rows, line]) + "\n")


@pytest.mark.parametrize(
    "name, line, replacing, message",
    [
        ("facts.csv", "16.01,Baturaja,true,,ibu kota kabupaten", None, "facts.csv dan seats.csv"),
        (
            "seats.csv",
            "99.99,Kabupaten Tidak Ada,Entah,A,confirmed,",
            None,
            "tidak ada di regencies",
        ),
        ("seats.csv", "16.04,Kabupaten Lahatt,Lahat,A+B,confirmed,", "16.04", "tidak sama"),
        ("seats.csv", "16.04,Kabupaten Lahat,Lahat,A+B,yakin,", "16.04", "confidence"),
        ("seats.csv", "16.04,Kabupaten Lahat,Lahat,,confirmed,", "16.04", "source"),
    ],
)
def test_a_seat_in_two_files_or_on_a_bad_row_is_refused(tmp_path, name, line, replacing, message):
    seed = tmp_path / "regions"
    shutil.copytree(SEED, seed)
    with_line(seed / name, line, replacing)
    with pytest.raises(Invalid, match=message):
        read_seed_regions(seed)
