"""Every autonomous region's seat, with its confidence: from the seed, corrected by the region
itself (audited, kept by the next sync), and printed after "Ditetapkan di" without typing."""

import io
from pathlib import Path

import docx
import pytest
import yaml
from sqlalchemy import func, select

from legalbase.core import db
from legalbase.core.audit import Actor, AuditEntry
from legalbase.drafting.catalog import get_template
from legalbase.drafting.fields import check_fields
from legalbase.regions.models import SEAT_CONFIDENCE, Region
from legalbase.regions.registry import get_region
from legalbase.regions.seed import sync_regions
from tests.factories import auth, make_user

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "regions"
TEMPLATE = "kepbupwal-pembentukan"
MEMBERS = [{"jabatan_gt": "Ketua", "jabatan": "Sekretaris Daerah"}]


def autonomous_regions() -> list[Region]:
    return list(db.session.scalars(select(Region).where(Region.autonomous.is_(True))))


def required_fields(template: str) -> dict:
    """Values for exactly the fields the template's manifest marks required."""
    manifest = yaml.safe_load((ROOT / "templates" / template / "manifest.yaml").read_text())
    names = {spec["name"] for spec in manifest["fields"] if spec.get("required")}
    assert names == {"nama_penandatangan", "anggota"}
    return {"nama_penandatangan": "Nama Kepala Daerah", "anggota": MEMBERS}


def seat_entries(code: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_type == "region", AuditEntry.entity_id == code)
            .order_by(AuditEntry.id)
        )
    )


def correct(client, token, code, body):
    return client.patch(f"/api/v1/regions/{code}", headers=auth(token), json=body)


def enacted_at(content: bytes) -> str:
    """The place after "Ditetapkan di" in a rendered decree."""
    text = "\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(content)).paragraphs)
    line = next(line for line in text.splitlines() if line.strip().startswith("Ditetapkan di"))
    return line.split("Ditetapkan di", 1)[1].strip()


# --- the seed ------------------------------------------------------------------------------


def test_after_the_seed_sync_every_autonomous_region_has_a_seat_with_its_confidence():
    regions = autonomous_regions()
    by_level = {
        level: sum(region.level == level for region in regions)
        for level in ("provinsi", "kabupaten", "kota")
    }
    assert by_level == {"provinsi": 38, "kabupaten": 415, "kota": 93}
    assert [region.code for region in regions if not region.seat] == []
    assert {region.seat_confidence for region in regions} <= set(SEAT_CONFIDENCE) - {"corrected"}
    assert all(region.seat_source for region in regions)


@pytest.mark.parametrize(
    "code, seat, confidence",
    [
        ("11.03", "Idi Rayeuk", "majority"),  # Aceh Timur: the seat moved from Langsa
        ("16.04", "Lahat", "confirmed"),
        ("16.01", "Baturaja", "confirmed"),  # Ogan Komering Ulu, unknown before
        ("32.01", "Cibinong", "confirmed"),  # Bogor
        ("18.04", "Liwa", "confirmed"),  # Lampung Barat
        ("36.03", "Tigaraksa", "confirmed"),  # Tangerang
        ("35.06", "Ngasem", "majority"),  # Kediri
        ("73.14", "Pangkajene Sidenreng", "conflicting"),
        ("81.03", "Saumlaki", "majority"),  # Kepulauan Tanimbar: source A has none
        ("16", "Palembang", "curated"),
        ("16.71", "Palembang", "curated"),
    ],
)
def test_seats_match_the_sources(code, seat, confidence):
    region = get_region(code)
    assert (region.seat, region.seat_confidence) == (seat, confidence)


def test_an_unsure_seat_says_what_its_sources_say():
    region = get_region("32.05")  # Garut: the kecamatan, where decrees may write the town
    assert (region.seat, region.seat_confidence) == ("Tarogong Kidul", "majority")
    assert region.seat_source == "seats.csv (A+C)"
    assert "B: Garut" in region.seat_note and "'Garut'" in region.seat_note


def test_the_api_and_the_page_show_the_seat_with_its_confidence(client):
    body = client.get("/api/v1/regions/11.03").json
    assert (body["seat"], body["seat_confidence"], body["seat_confidence_label"]) == (
        "Idi Rayeuk",
        "majority",
        "mayoritas sumber",
    )
    assert body["seat_note"].startswith("A: Idi Rayeuk; B: Langsa")
    page = client.get("/wilayah/16.04").get_data(as_text=True)
    assert "Ibu kota: Lahat" in page and "terkonfirmasi: dua sumber sepakat" in page


# --- a region corrects its own seat -----------------------------------------------------------


def test_a_region_corrects_its_seat_audited_and_the_next_sync_keeps_it(client):
    user, token = make_user("region", "32.05", username="garut")
    response = correct(
        client,
        token,
        "32.05",
        {"seat": " Garut ", "note": "Keputusan Bupati Garut terbaru ditetapkan di Garut."},
    )
    assert response.status_code == 200, response.json
    assert (response.json["seat"], response.json["seat_confidence"]) == ("Garut", "corrected")
    assert response.json["seat_source"] == "koreksi daerah"
    entry = seat_entries("32.05")[-1]
    assert (entry.action, entry.actor_id, entry.region_code) == ("update", user.id, "32.05")
    assert (entry.before["seat"], entry.after["seat"]) == ("Tarogong Kidul", "Garut")
    assert entry.after["seat_note"] == "Keputusan Bupati Garut terbaru ditetapkan di Garut."

    counts = sync_regions(SEED, Actor("corpus sync"))

    assert counts.updated == 0 and counts.corrected_kept == ["32.05"]
    assert "1 ibu kota hasil koreksi daerah berbeda dari seed dan dibiarkan (32.05)" in str(counts)
    region = get_region("32.05")
    assert (region.seat, region.seat_confidence) == ("Garut", "corrected")
    assert seat_entries("32.05")[-1].id == entry.id


def test_an_admin_corrects_any_seat_and_the_same_correction_twice_changes_nothing(client):
    _, admin = make_user("admin", None, username="admin-seat")
    assert correct(client, admin, "16.04", {"seat": "Lahat"}).status_code == 200
    entries = len(seat_entries("16.04"))
    again = correct(client, admin, "16.04", {"seat": "Lahat"})
    assert again.status_code == 200 and again.json["seat_confidence"] == "corrected"
    assert len(seat_entries("16.04")) == entries


@pytest.mark.parametrize("caller", [("region", "16.72"), ("region", "16"), ("ministry", None)])
def test_another_regions_user_its_province_and_the_ministry_get_403(client, caller):
    _, token = make_user(*caller, username="bukan-pemilik")
    response = correct(client, token, "16.71", {"seat": "Tempat Lain"})
    assert response.status_code == 403
    assert get_region("16.71").seat == "Palembang"


@pytest.mark.parametrize(
    "body",
    [
        {"seat": ""},
        {"seat": "   "},
        {},
        {"seat": None},
        {"seat": "x" * 121},
        {"seat": "Palembang", "extra": 1},
    ],
)
def test_an_empty_or_bad_seat_is_422_and_nothing_changes(client, body):
    _, token = make_user("region", "16.71")
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    response = correct(client, token, "16.71", body)
    assert response.status_code == 422
    assert response.json["error"]["details"]["fields"]
    assert get_region("16.71").seat_confidence == "curated"
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_no_token_is_401_and_an_unknown_region_404(client):
    assert client.patch("/api/v1/regions/16.71", json={"seat": "X"}).status_code == 401
    _, admin = make_user("admin", None, username="admin-404")
    assert correct(client, admin, "99.99", {"seat": "X"}).status_code == 404


def test_the_document_describes_the_correction(client):
    operation = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/regions/{code}"]["patch"]
    assert set(operation["responses"]) == {"200", "401", "403", "404", "413", "415", "422"}
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/SeatCorrection")


# --- drafting prints the seat ---------------------------------------------------------------


@pytest.mark.parametrize("template", ["kepbupwal-pembentukan", "kepgub-pembentukan"])
def test_no_autonomous_region_needs_a_place_typed(template):
    chosen = get_template(template)
    fields = required_fields(template)
    regions = [region for region in autonomous_regions() if region.level in chosen.levels]
    assert len(regions) == (38 if template == "kepgub-pembentukan" else 508)
    for region in regions:
        assert check_fields(chosen, region, fields, {})["tempat"] == region.seat


@pytest.mark.parametrize(
    "code, seat",
    [
        ("11.03", "Idi Rayeuk"),
        ("16.04", "Lahat"),
        ("16.01", "Baturaja"),
        ("32.01", "Cibinong"),
        ("94.02", "Mulia"),
        ("73.14", "Pangkajene Sidenreng"),
    ],
)
def test_a_draft_with_only_the_required_fields_is_enacted_at_the_seat(client, code, seat):
    _, token = make_user("region", code, username=f"draf-{code}")
    response = client.post(
        "/api/v1/drafts",
        headers=auth(token),
        json={"template": TEMPLATE, "region_code": code, "fields": required_fields(TEMPLATE)},
    )
    assert response.status_code == 201, response.json
    content = client.get(response.json["document_url"], headers=auth(token)).data
    assert enacted_at(content) == seat
    unsure = [finding for finding in response.json["lint"] if finding["code"] == "seat_unsure"]
    assert bool(unsure) == (get_region(code).seat_confidence in ("majority", "conflicting"))


def test_an_unsure_seat_is_flagged_until_the_region_corrects_it(client):
    _, token = make_user("region", "32.05", username="garut-draf")
    draft = {"template": TEMPLATE, "region_code": "32.05", "fields": required_fields(TEMPLATE)}
    first = client.post("/api/v1/drafts", headers=auth(token), json=draft).json
    [finding] = [item for item in first["lint"] if item["code"] == "seat_unsure"]
    assert finding["severity"] == "warning" and "'Garut'" in finding["message"]
    assert correct(client, token, "32.05", {"seat": "Garut"}).status_code == 200
    second = client.post("/api/v1/drafts", headers=auth(token), json=draft).json
    assert "seat_unsure" not in {item["code"] for item in second["lint"]}
    content = client.get(second["document_url"], headers=auth(token)).data
    assert enacted_at(content) == "Garut"
