"""The forms (jenis) of regulation legalbase knows: names, abbreviations, rank and scope.

Rank orders legal bases by the hierarchy of UU 12/2011 Pasal 7 and 8 (lower is higher).
Scope says which region a record of that form must name: none (national), a province, a
kabupaten, a kota, either of the last two, or any region (the decrees of a regional secretary
or of the head of a regional office, which bureaus keep beside their head's instruments).
"""

from dataclasses import dataclass

NATIONAL, PROVINSI, KABUPATEN, KOTA = "national", "provinsi", "kabupaten", "kota"
KABKOTA, REGIONAL = "kabkota", "regional"


@dataclass(frozen=True)
class Form:
    code: str
    name: str
    abbreviation: str
    rank: int
    scope: str


FORMS = {
    form.code: form
    for form in (
        Form("uud", "Undang-Undang Dasar", "UUD", 10, NATIONAL),
        Form("tap_mpr", "Ketetapan Majelis Permusyawaratan Rakyat", "Tap MPR", 20, NATIONAL),
        Form("uu", "Undang-Undang", "UU", 30, NATIONAL),
        Form("perppu", "Peraturan Pemerintah Pengganti Undang-Undang", "Perppu", 30, NATIONAL),
        Form("pp", "Peraturan Pemerintah", "PP", 40, NATIONAL),
        Form("perpres", "Peraturan Presiden", "Perpres", 50, NATIONAL),
        Form("permen", "Peraturan Menteri", "Permen", 60, NATIONAL),
        Form("kepmen", "Keputusan Menteri", "Kepmen", 65, NATIONAL),
        Form("perkahar", "Peraturan Ketua Harian Gugus Tugas", "Perkahar", 66, NATIONAL),
        Form("perda_provinsi", "Peraturan Daerah Provinsi", "Perda", 70, PROVINSI),
        Form("perda_kabkota", "Peraturan Daerah Kabupaten/Kota", "Perda", 80, KABKOTA),
        Form("pergub", "Peraturan Gubernur", "Pergub", 90, PROVINSI),
        Form("perbup", "Peraturan Bupati", "Perbup", 90, KABUPATEN),
        Form("perwal", "Peraturan Wali Kota", "Perwal", 90, KOTA),
        Form("kepgub", "Keputusan Gubernur", "Kepgub", 100, PROVINSI),
        Form("kepbup", "Keputusan Bupati", "Kepbup", 100, KABUPATEN),
        Form("kepwal", "Keputusan Wali Kota", "Kepwal", 100, KOTA),
        Form("kepsekda", "Keputusan Sekretaris Daerah", "Kep. Sekda", 110, REGIONAL),
        Form("kepkadis", "Keputusan Kepala Perangkat Daerah", "Kep. Kepala PD", 120, REGIONAL),
    )
}

FORM_CODES = tuple(FORMS)


def scope_admits(scope: str, level: str | None) -> bool:
    """Whether a region of `level` (None: national) may be named by a form of `scope`."""
    if scope == NATIONAL:
        return level is None
    if scope == KABKOTA:
        return level in (KABUPATEN, KOTA)
    if scope == REGIONAL:
        return level in (PROVINSI, KABUPATEN, KOTA)
    return level == scope
