"""Verified facts (issue 14): a draft for every autonomous region, alone or in a batch, prints
`[belum diketahui]` only for the facts that shared/data/national-acts/acts.yaml leaves unknown."""

import pytest
from sqlalchemy import select

from legalbase.core import db
from legalbase.corpus.citations import PLACEHOLDER
from legalbase.coverage.basis import STATUSES
from legalbase.regions.models import Region
from tests.drafting.test_batch import entries, result_of
from tests.drafting.test_drafts import document_text
from tests.factories import auth, make_user

TEMPLATES = {
    "provinsi": "kepgub-pembentukan",
    "kabupaten": "kepbupwal-pembentukan",
    "kota": "kepbupwal-pembentukan",
}
# Only what the manifests require; the seat comes from the registry, the rest is left blank.
REQUIRED_FIELDS = {
    "nama_penandatangan": "Nama Penandatangan",
    "anggota": [{"jabatan_gt": "Ketua", "jabatan": "Sekretaris Daerah"}],
}
NO_SEAT = "[tempat penetapan belum diisi]"  # what a batch prints for a seat it does not know
AUTONOMOUS_REGIONS = 546  # 38 provinces and 508 kabupaten/kota (DKI's 6 units are not)

# The facts acts.yaml leaves unknown (null) that a drafted Mengingat prints, each as the
# gazette reference printed around the placeholder. Derived from acts.yaml by hand:
#   pp-9-2008              gazette.ln_number null (LN year 2008 and TLN 4818 are known)
#   permeneg-pppa-10-2012  gazette.bn_year and gazette.bn_number null
# acts.yaml's other unknowns print nothing: a Mengingat cites no dates (all null dates:
# uu-17-2016 and perppu-2-2022 promulgated_on, pp-9-2008 enacted_on, both dates of
# perpres-69-2008, perpres-22-2021, permendagri-80-2015, permendagri-120-2018,
# permeneg-pppa-10-2012, perketuaharian-gtpptppo-1-2025); Perpres 69/2008 is cited without a
# gazette, as both official 2023 Perpres cite it; Perpres carry no TLN; Perpres 22/2021 is not
# printed (the chain is cited to its last link, Perpres 49/2023); the Perppu and the Peraturan
# Ketua Harian 1/2025 are not cited.
UNKNOWN_FACTS = {
    "Peraturan Pemerintah Nomor 9 Tahun 2008": (
        "(Lembaran Negara Republik Indonesia Tahun 2008 Nomor [belum diketahui], Tambahan "
        "Lembaran Negara Republik Indonesia Nomor 4818)"
    ),
    "Peraturan Menteri Negara Pemberdayaan Perempuan dan Perlindungan Anak Nomor 10 Tahun 2012": (
        "(Berita Negara Republik Indonesia Tahun [belum diketahui] Nomor [belum diketahui])"
    ),
}


@pytest.fixture
def ministry():
    return make_user("ministry", None, username="kemen")[1]


def autonomous_regions() -> list[Region]:
    return list(
        db.session.scalars(select(Region).where(Region.autonomous.is_(True)).order_by(Region.code))
    )


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_only_known_unknowns(text: str, where: str) -> None:
    """Every placeholder of `text` is one of UNKNOWN_FACTS, and each of those is printed, after
    the act it belongs to."""
    rest = flat(text)
    for act, gazette in UNKNOWN_FACTS.items():
        assert rest.count(gazette) == 1, f"{where}: {act} {gazette} not printed once"
        assert rest.index(act) < rest.index(gazette), f"{where}: {gazette} not after {act}"
        rest = rest.replace(gazette, "")
    assert PLACEHOLDER not in rest, f"{where}: a fact acts.yaml knows is printed unknown"


@pytest.mark.slow
def test_a_draft_for_every_autonomous_region_prints_only_the_unknown_facts(client, ministry):
    regions = autonomous_regions()
    assert len(regions) == AUTONOMOUS_REGIONS
    unseated = [region.code for region in regions if not region.seat]
    for region in regions:
        response = client.post(
            "/api/v1/drafts",
            headers=auth(ministry),
            json={
                "template": TEMPLATES[region.level],
                "region_code": region.code,
                "fields": REQUIRED_FIELDS,
            },
        )
        assert response.status_code == 201, (region.code, unseated[:10], response.json)
        unknown = [f["item"] for f in response.json["lint"] if f["code"] == "unknown_fact"]
        assert len(unknown) == len(UNKNOWN_FACTS), (region.code, response.json["lint"])
        content = client.get(response.json["document_url"], headers=auth(ministry)).data
        assert_only_known_unknowns(document_text(content), region.code)


@pytest.mark.slow
def test_the_batch_of_every_autonomous_region_prints_only_the_unknown_facts(client, ministry):
    selected = []
    for template in ("kepgub-pembentukan", "kepbupwal-pembentukan"):
        response = client.post(
            "/api/v1/drafts/batch",
            headers=auth(ministry),
            json={
                "template": template,
                "fields": REQUIRED_FIELDS,
                "statuses": [status for status in STATUSES if status != "not_required"],
            },
        )
        assert response.status_code == 202, response.json
        archive, manifest = entries(result_of(client, ministry, response.json)[1])
        for row in manifest:
            text = document_text(archive.read(row["file"]))
            assert NO_SEAT not in text, f"{row['region_code']}: the registry knows no seat"
            assert_only_known_unknowns(text, row["region_code"])
        selected += [row["region_code"] for row in manifest]
    assert sorted(selected) == [region.code for region in autonomous_regions()]
