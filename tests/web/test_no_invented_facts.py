"""No invented facts: a record without dates is never shown in force from 1 January of its year,
on any page or feed that shows it; a dated one shows its date in Indonesian."""

import csv
import io
import re

import pytest
from sqlalchemy import select

from legalbase.core import db
from legalbase.corpus.models import Regulation
from legalbase.corpus.relations import add_relation
from legalbase.search import backend
from tests.factories import TEST_ACTOR, make_regulation

TITLE = "Pembentukan Gugus Tugas Sungsangbaru Pencegahan Tindak Pidana Perdagangan Orang"
TIMESTAMPS = ("created_at", "updated_at", "withdrawn_at")


def invented(year: int) -> tuple:
    """The ways 1 January of `year` could be written."""
    return (
        f"{year}-01-01",
        f"1 Januari {year}",
        f"01-01-{year}",
        f"01/01/{year}",
        f"1 January {year}",
    )


def assert_nothing_invented(text: str, *years: int) -> None:
    for year in years:
        for written in invented(year):
            assert written not in text, written


def assert_no_first_of_january(text: str) -> None:
    for written in ("01-01", "1 Januari", "-01-01"):
        assert written not in text, written


@pytest.fixture
def records(app, tmp_path, monkeypatch):
    """A Keputusan Wali Kota Palembang of 2018 without any date, revoked by one of 2019 without
    any date either, and one of 2007 enacted on 19 April 2007; all searchable."""
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "search"))
    dateless = make_regulation(number="188.45/7/KPTS/2018", year=2018, enacted_on=None, title=TITLE)
    revoking = make_regulation(
        number="188.45/9/KPTS/2019",
        year=2019,
        enacted_on=None,
        title="Pencabutan Keputusan Gugus Tugas Sungsangbaru",
    )
    add_relation(revoking, "revokes", dateless, TEST_ACTOR)
    dated = make_regulation(
        number="188.45/19/KPTS/2007",
        year=2007,
        enacted_on="2007-04-19",
        title="Tim Terpadu Sungsangbaru",
    )
    db.session.commit()
    backend().rebuild()
    return dateless, revoking, dated


def test_the_document_page_says_only_the_year_of_a_dateless_record(client, records):
    dateless, revoking, _ = records
    page = client.get(f"/dokumen/{dateless.id}").get_data(as_text=True)
    assert "Berlaku sejak 2018 (tanggal tidak diketahui)" in page
    assert "dicabut sejak 2019 (tanggal tidak diketahui)" in page
    assert "<dt>Tanggal penetapan</dt><dd>tidak diketahui</dd>" in page
    assert_nothing_invented(page, 2018, 2019)
    page = client.get(f"/dokumen/{revoking.id}").get_data(as_text=True)
    assert "Berlaku sejak 2019 (tanggal tidak diketahui)" in page
    assert_nothing_invented(page, 2018, 2019)


def test_a_dated_record_shows_its_date_in_indonesian(client, records):
    _, _, dated = records
    page = client.get(f"/dokumen/{dated.id}").get_data(as_text=True)
    assert "Berlaku sejak 19 April 2007" in page
    assert "<dt>Tanggal penetapan</dt><dd>19 April 2007</dd>" in page
    assert "tidak diundangkan" in page  # a Keputusan is only enacted
    assert "2007-04-19" not in page
    assert client.get(f"/api/v1/regulations/{dated.id}").json["in_force_from"] == "2007-04-19"


def test_the_region_page_and_its_history_invent_no_date(client, records):
    page = client.get("/wilayah/16.71").get_data(as_text=True)
    assert_nothing_invented(page, 2018, 2019)
    history = re.search(r'<h2 id="riwayat">.*?</ol>', page, re.S).group(0)
    assert "<li>2018 (tanggal tidak diketahui): " in history  # the dateless decree began
    assert not re.search(r"\d{4}-\d{2}-\d{2}", history)  # dates in Indonesian


def test_the_search_results_invent_no_date(client, records):
    page = client.get("/cari?q=Sungsangbaru").get_data(as_text=True)
    assert TITLE in re.sub("</?mark>", "", page)  # the matched word is marked in the title
    assert_nothing_invented(page, 2018, 2019)


def test_the_api_does_not_present_a_derived_date_as_known(client, records):
    dateless, _, _ = records
    body = client.get(f"/api/v1/regulations/{dateless.id}").json
    assert (body["in_force_from"], body["in_force_from_known"], body["in_force_since_year"]) == (
        None,
        False,
        2018,
    )
    facts = {key: value for key, value in body.items() if key not in TIMESTAMPS}
    assert_no_first_of_january(str(facts))
    listed = client.get("/api/v1/regulations?region=16.71&year=2018").json["items"]
    assert [item["in_force_from"] for item in listed if item["id"] == dateless.id] == [None]


def test_the_feed_and_the_csv_invent_no_date(client, records):
    dateless, revoking, _ = records
    feed = client.get("/api/v1/jdihn.json").json
    for record in (dateless, revoking):
        entry = next(e for e in feed if e["idData"] == str(record.id))
        assert (entry["tanggal_penetapan"], entry["tanggal_pengundangan"]) == ("", "")
        assert_no_first_of_january(str(entry))
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/regulations.csv").text)))
    for record in (dateless, revoking):
        row = next(r for r in rows if r["number"] == record.number)
        assert (row["enacted_on"], row["valid_from"]) == ("", "")
        assert_no_first_of_january(str(row))


def test_uu_21_2007_is_enacted_and_promulgated_on_19_april_2007_on_its_page(client):
    """The seed's facts from acts.yaml, as its page says them."""
    act = db.session.scalar(select(Regulation).where(Regulation.seed_key == "uu-21-2007"))
    page = client.get(f"/dokumen/{act.id}").get_data(as_text=True)
    enacted = re.search(r"Tanggal penetapan</dt><dd>([^<]*)<", page).group(1)
    promulgated = re.search(r"Tanggal pengundangan</dt><dd>([^<]*)<", page).group(1)
    assert (enacted, promulgated) == ("19 April 2007", "19 April 2007")
    assert "2007-01-01" not in page and "1 Januari 2007" not in page
