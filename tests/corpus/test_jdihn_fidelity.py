"""The JDIHN feed says what JDIHN expects (T.E.U. badan, links to the page and the file), and
the importer takes feeds as real JDIH sites send them, reporting the keys it ignored."""

import json

from legalbase.core import db
from legalbase.corpus.exchange.naming import ministry_of
from legalbase.corpus.models import Regulation
from legalbase.regions.registry import find_region
from tests.factories import auth, make_regulation, make_user

MINISTER_FORMS = ("permen", "kepmen")


def feed_entry(feed, regulation):
    return next(entry for entry in feed if entry["idData"] == str(regulation.id))


def region_words(name: str) -> str:
    """A region's own name, without its level: 'Kota Palembang' -> 'Palembang'."""
    for prefix in ("Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kota "):
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def test_every_regional_item_names_its_region_and_national_ones_the_central_government(client):
    feed = client.get("/api/v1/jdihn.json").json
    regional = [e for e in feed if e["legalbase_region_code"] is not None]
    national = [e for e in feed if e["legalbase_region_code"] is None]
    assert regional and national
    for entry in regional:
        region = find_region(entry["legalbase_region_code"])
        assert entry["teuBadan"].strip(), entry["judul"]
        assert region_words(region.name) in entry["teuBadan"], (entry["teuBadan"], region.name)
    for entry in national:
        if entry["legalbase_teu_badan"] is None and entry["legalbase_form"] not in MINISTER_FORMS:
            assert entry["teuBadan"] == "Pemerintah Pusat", entry["judul"]
        assert entry["teuBadan"], entry["judul"]


def test_the_teu_badan_is_derived_from_the_issuer_when_not_stated(client):
    lahat = make_regulation(form="kepbup", region_code="16.04", number="188.4/5/KPTS/2025")
    sumsel = make_regulation(form="kepgub", region_code="16", number="188.4/6/KPTS/2025")
    palembang = make_regulation(number="188.45/77/KPTS/2025")
    stated = make_regulation(number="188.45/78/KPTS/2025", teu_badan="Palembang (Kota)")
    permendagri = make_regulation(
        form="permen",
        region_code=None,
        number="99",
        year=2026,
        issuer="Menteri Dalam Negeri",
        title="Uji",
    )
    feed = client.get("/api/v1/jdihn.json").json
    assert [
        feed_entry(feed, r)["teuBadan"] for r in (lahat, sumsel, palembang, stated, permendagri)
    ] == [
        "Pemerintah Kabupaten Lahat",
        "Pemerintah Provinsi Sumatera Selatan",
        "Pemerintah Kota Palembang",
        "Palembang (Kota)",
        "Kementerian Dalam Negeri",
    ]
    assert feed_entry(feed, palembang)["legalbase_teu_badan"] is None  # derived, not stated


def test_a_ministry_is_named_only_when_the_issuer_names_it_cleanly():
    assert ministry_of("Menteri Pemberdayaan Perempuan dan Perlindungan Anak") == (
        "Kementerian Pemberdayaan Perempuan dan Perlindungan Anak"
    )
    assert ministry_of("Menteri Sekretaris Negara") == "Kementerian Sekretariat Negara"
    for unclear in ("Menteri PPN/Kepala Bappenas", "Presiden", None, ""):
        assert ministry_of(unclear) is None


def test_the_feed_links_the_document_page_and_the_file_only_when_there_is_one(client):
    plain = make_regulation(number="188.45/80/KPTS/2025")
    with_file = make_regulation(number="188.45/81/KPTS/2025")
    with_file.file_sha256, with_file.file_media_type = "cd" * 32, "application/pdf"
    db.session.commit()
    feed = client.get("/api/v1/jdihn.json", base_url="https://jdih.example.go.id/").json
    entry = feed_entry(feed, plain)
    assert entry["urlDetailPeraturan"] == f"https://jdih.example.go.id/dokumen/{plain.id}"
    assert (entry["urlDownload"], entry["fileDownload"]) == ("", "")
    assert client.get(f"/dokumen/{plain.id}").status_code == 200
    entry = feed_entry(feed, with_file)
    assert entry["urlDownload"] == (
        f"https://jdih.example.go.id/api/v1/regulations/{with_file.id}/file"
    )


def real_feed():
    """Two records as real JDIH sites send them: numbers for some ids and flags, empty or zero
    dates, a time after a date, and keys of their own."""
    common = {
        "tempatTerbit": "Jakarta",
        "penerbit": "-",
        "deskripsiFisik": "-",
        "isbn": "-",
        "noPanggil": "-",
        "nomorIndukBuku": "-",
        "bahasa": "Indonesia",
        "status": "Berlaku",
        "lokasi": "Biro Hukum Kementerian Dalam Negeri",
        "bidangHukum": "Hukum Tata Negara",
        "subjek": "GUGUS TUGAS - TPPO",
    }
    return [
        {
            **common,
            "idData": "1234",
            "operasi": "4",
            "display": "1",
            "tahun_pengundangan": "2026",
            "tanggal_pengundangan": "",
            "tanggal_penetapan": "2026-02-03 00:00:00",
            "jenis": "Peraturan Menteri Dalam Negeri",
            "singkatanJenis": "Permendagri",
            "noPeraturan": "12",
            "judul": "Peraturan Menteri Dalam Negeri Nomor 12 Tahun 2026 tentang Uji Umpan Nyata",
            "teuBadan": "Indonesia. Kementerian Dalam Negeri",
            "sumber": "BN 2026 (45)",
            "abstrak": "Peraturan ini mengatur uji umpan.",
            "urlAbstrak": "https://jdih.example.go.id/abstrak/1234.pdf",
            "urlDownload": "https://jdih.example.go.id/files/1234.pdf",
            "fileDownload": "1234.pdf",
            "urlDetailPeraturan": "https://jdih.example.go.id/detail/1234",
        },
        {
            **common,
            "idData": 5678,
            "operasi": 4,
            "display": 1,
            "tahun_pengundangan": 2026,
            "tanggal_pengundangan": "0000-00-00",
            "tanggal_penetapan": "",
            "jenis": "Undang-Undang",
            "singkatanJenis": "UU",
            "noPeraturan": 13,
            "teuBadan": "",
            "judul": "Undang-Undang Nomor 13 Tahun 2026 tentang Uji Umpan Nyata Kedua",
            "abstrak": "",
            "urlAbstrak": "",
            "urlDownload": "",
            "fileDownload": "",
            "kategori": "Peraturan",
        },
    ]


def test_a_real_feed_imports_and_the_report_names_the_ignored_keys(client):
    _, admin = make_user("admin", None)
    response = client.post("/api/v1/import/jdihn", json=real_feed(), headers=auth(admin))
    assert response.status_code == 200, response.json
    first, second = response.json["entries"]
    assert (first["outcome"], second["outcome"]) == ("created", "created")
    assert (first["idData"], second["idData"]) == ("1234", "5678")
    assert first["ignored"] == ["abstrak", "fileDownload", "urlAbstrak", "urlDownload"]
    assert second["ignored"] == ["kategori"]
    permen = db.session.get(Regulation, first["id"])
    assert (permen.form, permen.issuer, permen.number, permen.year) == (
        "permen",
        "Menteri Dalam Negeri",
        "12",
        2026,
    )
    assert (permen.enacted_on.isoformat(), permen.promulgated_on) == ("2026-02-03", None)
    assert (permen.custodian, permen.teu_badan) == (
        "Biro Hukum Kementerian Dalam Negeri",
        "Indonesia. Kementerian Dalam Negeri",
    )
    uu = db.session.get(Regulation, second["id"])
    assert (uu.form, uu.number, uu.enacted_on, uu.promulgated_on, uu.teu_badan) == (
        "uu",
        "13",
        None,
        None,
        None,
    )


def test_the_cli_prints_the_ignored_keys(runner, tmp_path):
    path = tmp_path / "umpan.json"
    path.write_text(json.dumps(real_feed()), encoding="utf-8")
    result = runner.invoke(args=["corpus", "import-jdihn", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        "Entri 0 (idData 1234): dibuat, id " in result.output
        and "(kunci diabaikan: abstrak, fileDownload, urlAbstrak, urlDownload)" in result.output
    )
    assert "(kunci diabaikan: kategori)" in result.output
