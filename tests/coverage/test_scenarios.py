"""The coverage scenarios of a kabupaten, from nothing known to a current basis and back."""

import re

import pytest
from sqlalchemy import select

from legalbase.core import db
from legalbase.corpus.models import Regulation
from tests.coverage.decrees import upload_decree
from tests.factories import auth, make_user


@pytest.fixture
def muara_enim():
    return make_user("region", "16.03")[1]


def status_of(client, code, as_of=None):
    query = f"?as_of={as_of}" if as_of else ""
    item = client.get(f"/api/v1/coverage/{code}{query}").json["item"]
    return item["status"], {reason["code"]: reason["message"] for reason in item["reasons"]}


def seeded_id(key):
    return db.session.scalar(select(Regulation.id).where(Regulation.seed_key == key))


def test_nothing_known_is_unreported_and_an_attestation_makes_it_missing(client, muara_enim):
    assert status_of(client, "16.03")[0] == "unreported"
    response = client.post(
        "/api/v1/coverage/16.03/attestations",
        headers=auth(muara_enim),
        json={"has_basis": False, "stated_on": "2025-03-01", "note": "Belum dibentuk"},
    )
    assert response.status_code == 201
    status, reasons = status_of(client, "16.03")
    assert status == "missing"
    assert "1 Maret 2025" in reasons["attested_no_basis"]
    assert status_of(client, "16.03", "2025-02-28")[0] == "unreported"


def test_a_decree_citing_the_latest_amendment_with_its_subgugus_is_current(client, muara_enim):
    upload_decree(client, muara_enim, "188.45/1/KPTS/2025", "2025-06-04")
    status, reasons = status_of(client, "16.03", "2025-12-31")
    assert status == "current", reasons
    item = client.get("/api/v1/coverage/16.03?as_of=2025-12-31").json["item"]
    assert [basis["number"] for basis in item["basis"]] == ["188.45/1/KPTS/2025"]
    assert item["overdue_days"] is None


def test_a_decree_citing_only_perpres_69_2008_is_outdated_with_that_reason(client, muara_enim):
    upload_decree(client, muara_enim, "188.45/2/KPTS/2020", "2020-02-03", root_only=True)
    status, reasons = status_of(client, "16.03", "2025-12-31")
    assert status == "outdated"
    assert reasons["not_aligned"] == (
        "Dasar hukum merujuk Perpres 69/2008 tanpa perubahan terakhir (Perpres 49/2023)."
    )
    # In 2020 the latest amendment in force was none: the same decree was current then.
    assert status_of(client, "16.03", "2020-12-31")[0] == "current"


def test_a_decree_without_its_subgugus_is_outdated(client, muara_enim):
    upload_decree(client, muara_enim, "188.45/3/KPTS/2025", "2025-06-04", subgugus=False)
    status, reasons = status_of(client, "16.03", "2025-12-31")
    assert status == "outdated" and "no_subgugus" in reasons


def test_a_basis_whose_period_ended_is_expired(client, muara_enim):
    upload_decree(client, muara_enim, "188.45/4/KPTS/2024", "2024-01-10", valid_until="2025-01-09")
    assert status_of(client, "16.03", "2025-01-09")[0] == "current"
    status, reasons = status_of(client, "16.03", "2025-06-01")
    assert status == "expired" and "9 Januari 2025" in reasons["period_ended"]


def test_revoking_the_basis_makes_the_region_missing_from_that_date(client, muara_enim):
    basis = upload_decree(client, muara_enim, "188.45/5/KPTS/2024", "2024-01-10")
    revoking = client.post(
        "/api/v1/regulations",
        headers=auth(muara_enim),
        json={
            "form": "kepbup",
            "region_code": "16.03",
            "number": "188.45/6/KPTS/2025",
            "year": 2025,
            "enacted_on": "2025-09-01",
            "title": "Pencabutan Keputusan Bupati",
        },
    ).json
    client.post(
        f"/api/v1/regulations/{revoking['id']}/relations",
        headers=auth(muara_enim),
        json={"type": "revokes", "target_id": basis["id"]},
    )
    assert status_of(client, "16.03", "2025-08-31")[0] == "current"
    status, reasons = status_of(client, "16.03", "2025-09-01")
    assert status == "missing" and "1 September 2025" in reasons["basis_revoked"]
    history = client.get("/api/v1/coverage/16.03?as_of=2025-12-31").json["history"]
    assert history[0]["status"] == "unreported"
    assert [(entry["date"], entry["status"]) for entry in history][-2:] == [
        ("2024-01-10", "current"),
        ("2025-09-01", "missing"),
    ]


def test_the_six_jakarta_units_are_not_required(client):
    body = client.get("/api/v1/coverage?province=31").json
    statuses = {item["region_code"]: item["status"] for item in body["items"]}
    assert [code for code, status in statuses.items() if status == "not_required"] == [
        "31.01",
        "31.71",
        "31.72",
        "31.73",
        "31.74",
        "31.75",
    ]


def test_a_later_amendment_turns_current_bases_outdated_after_the_grace_period(client, muara_enim):
    upload_decree(client, muara_enim, "188.45/7/KPTS/2025", "2025-06-04")
    _, ministry = make_user("ministry", None, username="kemen")
    amendment = client.post(
        "/api/v1/regulations",
        headers=auth(ministry),
        json={
            "form": "perpres",
            "number": "99",
            "year": 2026,
            "enacted_on": "2026-03-02",
            "title": "Perubahan Ketiga atas Peraturan Presiden Nomor 69 Tahun 2008",
        },
    ).json
    response = client.post(
        f"/api/v1/regulations/{amendment['id']}/relations",
        headers=auth(ministry),
        json={"type": "amends", "target_id": seeded_id("perpres-69-2008")},
    )
    assert response.status_code == 201
    assert status_of(client, "16.03", "2026-03-01")[0] == "current"
    status, reasons = status_of(client, "16.03", "2026-12-31")
    assert status == "current" and "in_grace_period" in reasons
    assert re.search(r"hingga \d{1,2} [A-Z][a-z]+ 20\d\d\.$", reasons["in_grace_period"])
    status, reasons = status_of(client, "16.03", "2027-03-02")
    assert status == "outdated"
    assert "Perpres 99/2026" in reasons["not_aligned"]


def test_seeded_metadata_only_bases_say_their_text_is_unavailable(client):
    status, reasons = status_of(client, "35", "2025-12-31")  # Kepgub Jatim 2025, no text
    assert status == "outdated"
    assert "text_unavailable" in reasons and "no_subgugus" in reasons


def test_the_summary_counts_every_region(client):
    body = client.get("/api/v1/coverage?as_of=2025-12-31").json
    assert body["summary"]["total"] == 552
    assert (
        sum(
            body["summary"][s]
            for s in ("current", "outdated", "expired", "missing", "unreported", "not_required")
        )
        == 552
    )
    assert body["summary"]["not_required"] == 6
    only = client.get("/api/v1/coverage?as_of=2025-12-31&status=not_required").json
    assert len(only["items"]) == 6 and only["summary"]["total"] == 552
