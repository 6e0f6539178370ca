import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from legalbase.core import db
from legalbase.core.audit import AuditEntry
from legalbase.core.errors import Invalid
from legalbase.corpus.exchange.csv_records import export_csv, import_csv
from legalbase.corpus.exchange.jdihn import JDIHN_KEYS, build_jdihn_feed
from legalbase.corpus.exchange.jdihn_import import import_jdihn_feed
from legalbase.corpus.models import Regulation, Relation
from legalbase.corpus.regulations import regulation_snapshot
from legalbase.corpus.relations import add_relation
from tests.factories import TEST_ACTOR, auth, make_regulation, make_user

# Identities, as in the feed's legalbase_relations targets.
UU_21_2007 = {"form": "uu", "region_code": None, "year": 2007, "number": "21", "issuer": None}


def seeded(form, number, year, region_code=None):
    return db.session.scalar(
        select(Regulation).where(
            Regulation.form == form,
            Regulation.number == number,
            Regulation.year == year,
            Regulation.region_code.is_(None)
            if region_code is None
            else Regulation.region_code == region_code,
        )
    )


def entry_of(feed, regulation):
    return next(entry for entry in feed if entry["idData"] == str(regulation.id))


def counts():
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Regulation, Relation, AuditEntry)
    )


def corpus_state():
    """Every live record by identity: its metadata, text status and outgoing relations."""
    state = {}
    for regulation in db.session.scalars(
        select(Regulation).where(Regulation.withdrawn_at.is_(None))
    ):
        relations = db.session.scalars(select(Relation).where(Relation.source_id == regulation.id))
        state[regulation.identity_key] = {
            **regulation_snapshot(regulation),
            "text_status": regulation.text_status,
            "relations": sorted(
                (rel.kind, rel.target.identity_key, str(rel.effective_on), rel.note)
                for rel in relations
            ),
        }
    return state


def without_local_keys(feed):
    """The feed minus what differs between two instances: ids and URLs."""
    local = {"idData", "urlDetailPeraturan", "urlDownload", "fileDownload"}
    return [{key: value for key, value in entry.items() if key not in local} for entry in feed]


def make_full_records():
    """A Perda and a Keputusan of Palembang with every field filled, a Permendagri, and the
    Keputusan's relations to all three plus UU 21/2007."""
    common = {
        "teu_badan": "Palembang (Kota)",
        "place_of_enactment": "Palembang",
        "status": "Berlaku",
        "language": "Indonesia",
        "custodian": "Bagian Hukum Setda Kota Palembang",
        "field_of_law": "Hukum Pidana",
    }
    perda = make_regulation(
        form="perda_kabkota",
        number="3",
        year=2024,
        issuer="Wali Kota Palembang",
        title="Perlindungan Korban Perdagangan Orang",
        enacted_on="2024-03-01",
        promulgated_on="2024-03-04",
        gazette={"kind": "LD", "year": 2024, "number": "3", "supplement": "2"},
        subjects=["perdagangan orang", "korban"],
        valid_from="2024-03-04",
        valid_until="2029-12-31",
        text="BAB I\nKETENTUAN UMUM\nPasal 1",
        **common,
    )
    perda.text_status = "available"
    kepwal = make_regulation(
        issuer="Wali Kota Palembang",
        gazette={"kind": "BD", "year": 2025, "number": "12", "supplement": "1"},
        subjects=["PERDAGANGAN ORANG", "GUGUS TUGAS"],
        valid_from="2025-06-04",
        valid_until="2030-06-03",
        text="KESATU: Membentuk Gugus Tugas.",
        **common,
    )
    permen = make_regulation(
        form="permen",
        number="10",
        year=2012,
        region_code=None,
        enacted_on="2012-02-01",
        issuer="Menteri Dalam Negeri",
        title="Pedoman Uji Coba",
        promulgated_on="2012-02-03",
        gazette={"kind": "BN", "year": 2012, "number": "501", "supplement": None},
    )
    add_relation(kepwal, "implements", perda, TEST_ACTOR, datetime(2025, 6, 5).date(), "Pasal 2")
    add_relation(kepwal, "cites", permen, TEST_ACTOR, note="Mengingat angka 5")
    add_relation(kepwal, "cites", seeded("uu", "21", 2007), TEST_ACTOR)
    db.session.commit()
    return perda, kepwal, permen


# --- the feed ---------------------------------------------------------------------------------


def test_the_feed_has_the_jdihn_keys_with_string_values(client):
    response = client.get("/api/v1/jdihn.json")
    assert response.status_code == 200
    feed = response.json
    assert isinstance(feed, list) and len(feed) >= 35
    for entry in feed:
        assert all(isinstance(entry[key], str) for key in JDIHN_KEYS), entry
        assert (entry["operasi"], entry["display"], entry["isbn"]) == ("4", "1", "-")
    uu = entry_of(feed, seeded("uu", "21", 2007))
    assert (uu["noPeraturan"], uu["tahun_pengundangan"], uu["status"]) == ("21", "2007", "Berlaku")
    assert uu["judul"] == (
        "Undang-Undang Nomor 21 Tahun 2007 tentang Pemberantasan Tindak Pidana Perdagangan Orang"
    )
    assert (uu["jenis"], uu["singkatanJenis"]) == ("Undang-Undang", "UU")
    assert uu["sumber"] == "LN 2007 (58), TLN 4720"
    assert uu["subjek"] == "PERDAGANGAN ORANG - TINDAK PIDANA"
    assert uu["tanggal_pengundangan"] == "2007-04-19" and uu["urlDownload"] == ""
    detail = uu["urlDetailPeraturan"]
    assert detail == f"http://localhost/dokumen/{uu['idData']}"
    assert "Nomor 21 Tahun 2007" in client.get(detail).get_data(as_text=True)


def test_the_revoked_perda_diy_2014_is_tidak_berlaku_and_keeps_its_stated_status(client):
    feed = client.get("/api/v1/jdihn.json").json
    old = entry_of(feed, seeded("perda_provinsi", "6", 2014, "34"))
    new = entry_of(feed, seeded("perda_provinsi", "6", 2025, "34"))
    assert old["status"] == "Tidak Berlaku"
    assert old["legalbase_status_stated"] is None
    assert new["status"] == "Berlaku"
    assert new["judul"].startswith(
        "Peraturan Daerah Provinsi Daerah Istimewa Yogyakarta Nomor 6 Tahun 2025 tentang "
    )
    assert new["legalbase_relations"] == [
        {
            "type": "revokes",
            "note": "Pasal 36",
            "effective_on": None,
            "target": {
                "form": "perda_provinsi",
                "region_code": "34",
                "year": 2014,
                "number": "6",
                "issuer": None,
            },
        }
    ]


def test_the_feed_leaves_out_withdrawn_records_and_links_stored_files(client):
    perda, kepwal, permen = make_full_records()
    perda.file_sha256, perda.file_media_type = "ab" * 32, "application/pdf"
    permen.withdrawn_at = datetime.now(UTC)
    db.session.commit()
    feed = client.get("/api/v1/jdihn.json").json
    assert str(permen.id) not in {entry["idData"] for entry in feed}
    with_file = entry_of(feed, perda)
    assert with_file["urlDownload"] == f"http://localhost/api/v1/regulations/{perda.id}/file"
    assert with_file["fileDownload"] == "perda_kabkota-3-2024.pdf"
    assert with_file["judul"] == (
        "Peraturan Daerah Kota Palembang Nomor 3 Tahun 2024 tentang "
        "Perlindungan Korban Perdagangan Orang"
    )
    assert with_file["sumber"] == "LD 2024 (3), TLD 2"
    assert "permen" not in {
        rel["target"]["form"] for rel in entry_of(feed, kepwal)["legalbase_relations"]
    }


# --- importing the feed -----------------------------------------------------------------------


def test_the_feed_round_trips_every_field_into_an_empty_instance(client, empty_instance):
    make_full_records()
    feed = client.get("/api/v1/jdihn.json").json
    expected = corpus_state()
    assert len(expected) == 38
    with empty_instance() as other, other.app_context():
        report = import_jdihn_feed(feed, TEST_ACTOR)
        db.session.commit()
        assert report.totals() == {"created": 38, "updated": 0, "unchanged": 0, "refused": 0}
        assert report.relation_totals() == {"created": 21, "unchanged": 0, "refused": 0}
        assert corpus_state() == expected
        again = build_jdihn_feed("http://other.example/")
    assert without_local_keys(again) == without_local_keys(feed)


def test_a_second_import_of_the_same_feed_changes_nothing(client, empty_instance):
    make_full_records()
    feed = client.get("/api/v1/jdihn.json").json
    with empty_instance() as other, other.app_context():
        import_jdihn_feed(feed, TEST_ACTOR)
        db.session.commit()
        before = counts()
        report = import_jdihn_feed(feed, TEST_ACTOR)
        db.session.commit()
        assert {o.outcome for o in report.entries} == {"unchanged"}
        assert {o.outcome for o in report.relations} == {"unchanged"}
        assert counts() == before


def plain_entry(jenis, number, judul, **extra):
    """A feed entry as another JDIH site writes it: no legalbase_* keys unless given."""
    return {
        "idData": f"x-{number}",
        "jenis": jenis,
        "noPeraturan": number,
        "tahun_pengundangan": "2026",
        "judul": judul,
        "tanggal_pengundangan": "",
        "tanggal_penetapan": "2026-02-01",
        "status": "Berlaku",
        "bahasa": "Indonesia",
        **extra,
    }


def test_refused_entries_are_reported_with_their_reason_and_the_others_go_in():
    entries = [
        plain_entry(
            "Peraturan Daerah",
            "9",
            "Peraturan Daerah DIY Nomor 9 Tahun 2026 Tentang Bantuan Hukum",
            legalbase_region_code="34",
            subjek="BANTUAN HUKUM - MISKIN",
            tempatTerbit="Yogyakarta",
            sumber="LD 2026 (9)",
        ),
        plain_entry("Peraturan Kepala Desa", "1", "Peraturan Kepala Desa tentang Pungutan"),
        plain_entry("Peraturan Gubernur", "2", "Pergub tentang Apa", legalbase_region_code="99"),
        plain_entry("Peraturan Bupati", "3", "Perbup tentang Apa", legalbase_region_code="34"),
        plain_entry("Peraturan Wali Kota", "4", "Perwal tentang Apa"),
        plain_entry(
            "Peraturan Menteri Dalam Negeri",
            "7",
            "Peraturan Menteri Dalam Negeri Nomor 7 Tahun 2026 tentang Uji Coba",
            tahun_pengundangan="dua ribu",
        ),
        plain_entry(
            "Peraturan Menteri Dalam Negeri",
            "8",
            "Peraturan Menteri Dalam Negeri Nomor 8 Tahun 2026 tentang Pedoman Gugus Tugas",
        ),
    ]
    before = counts()
    report = import_jdihn_feed(entries, TEST_ACTOR)
    db.session.commit()

    outcomes = [o.outcome for o in report.entries]
    assert outcomes == ["created", "refused", "refused", "refused", "refused", "refused", "created"]
    reasons = [o.reason for o in report.entries]
    assert "jenis" in reasons[1]["details"]["fields"]
    assert reasons[2]["details"]["fields"]["region_code"] == ["Kode wilayah '99' tidak dikenal."]
    assert reasons[3]["details"]["fields"]["region_code"] == [
        "Peraturan Bupati harus menyebut kode wilayah tingkat kabupaten."
    ]
    assert "legalbase_region_code" in reasons[4]["details"]["fields"]
    assert reasons[5]["details"]["fields"]["year"] == ["Harus berupa bilangan bulat."]
    assert report.entries[1].where == {"index": 1, "idData": "x-1"}
    assert report.totals() == {"created": 2, "updated": 0, "unchanged": 0, "refused": 5}
    assert counts()[0] == before[0] + 2

    perda = db.session.get(Regulation, report.entries[0].record_id)
    assert (perda.form, perda.region_code, perda.title) == ("perda_provinsi", "34", "Bantuan Hukum")
    assert (perda.subjects, perda.place_of_enactment) == (["BANTUAN HUKUM", "MISKIN"], "Yogyakarta")
    assert perda.gazette == {"kind": "LD", "year": 2026, "number": "9", "supplement": None}
    assert (perda.promulgated_on, perda.enacted_on.isoformat()) == (None, "2026-02-01")
    assert perda.status == "Berlaku"  # the stated status, kept as the site wrote it
    permen = db.session.get(Regulation, report.entries[6].record_id)
    assert (permen.form, permen.issuer, permen.title) == (
        "permen",
        "Menteri Dalam Negeri",
        "Pedoman Gugus Tugas",
    )


def test_a_plain_entry_updates_only_what_it_carries():
    perda, _, _ = make_full_records()
    entry = plain_entry(
        "Peraturan Daerah",
        "3",
        "Peraturan Daerah Kota Palembang Nomor 3 Tahun "
        "2024 tentang Perlindungan Korban Perdagangan Orang",
        tahun_pengundangan="2024",
        legalbase_region_code="16.71",
        tanggal_penetapan="2024-03-01",
        tanggal_pengundangan="2024-03-04",
        lokasi="Perpustakaan Hukum Kota Palembang",
    )
    report = import_jdihn_feed([entry], TEST_ACTOR)
    db.session.commit()
    assert [(o.outcome, o.record_id) for o in report.entries] == [("updated", perda.id)]
    db.session.refresh(perda)
    assert perda.custodian == "Perpustakaan Hukum Kota Palembang"
    assert perda.gazette["supplement"] == "2" and perda.text.startswith("BAB I")
    assert (perda.valid_until.isoformat(), perda.issuer) == ("2029-12-31", "Wali Kota Palembang")


def test_a_csv_row_with_some_columns_updates_only_those():
    _, kepwal, _ = make_full_records()
    text = (
        "form,number,year,title,region_code,custodian\r\n"
        "kepwal,188.45/123/KPTS/2025,2025,Judul Baru,16.71,Arsip Kota\r\n"
    )
    report = import_csv(text, TEST_ACTOR)
    assert [(o.outcome, o.record_id) for o in report.entries] == [("updated", kepwal.id)]
    db.session.refresh(kepwal)
    assert (kepwal.title, kepwal.custodian, kepwal.issuer) == (
        "Judul Baru",
        "Arsip Kota",
        "Wali Kota Palembang",
    )
    assert kepwal.gazette["kind"] == "BD" and kepwal.text.startswith("KESATU")


def test_entries_of_the_wrong_shape_are_refused_never_a_server_error(client):
    _, admin = make_user("admin", None)
    base = plain_entry("Undang-Undang", "501", "Undang-Undang tentang Uji")
    odd = [
        {"legalbase_form": ["uu"]},
        {"noPeraturan": {"a": 1}},
        {"judul": ["x"]},
        {"legalbase_gazette": "LN"},
        {"tahun_pengundangan": True},
        {"legalbase_region_code": 34},
        {"legalbase_subjects": "A"},
        {"legalbase_text_status": "lost"},
        {"legalbase_form": "permen", "legalbase_issuer": 7},
        {"noPeraturan": "x" * 500},
        {"legalbase_relations": "none"},
        {"legalbase_relations": [None, 5]},
    ]
    links = [
        {"type": ["cites"], "target": UU_21_2007},
        {"type": "cites", "target": "UU 21"},
        {"type": "cites", "target": {**UU_21_2007, "year": "x"}},
        {"type": "cites", "target": UU_21_2007, "effective_on": 5},
        {"type": "cites", "target": UU_21_2007, "note": 3},
        {"type": "befriends", "target": UU_21_2007},
    ]
    feed = [{**base, **extra} for extra in odd] + [{**base, "legalbase_relations": links}]
    response = post_feed(client, admin, feed)
    assert response.status_code == 200
    body = response.json
    assert [e["outcome"] for e in body["entries"]] == ["refused"] * len(odd) + ["created"]
    assert all(e["reason"]["message"] for e in body["entries"][:-1])
    assert body["relation_totals"] == {"created": 0, "unchanged": 0, "refused": len(links)}


def test_the_document_lets_a_report_echo_what_was_sent(client):
    outcome = client.get("/api/v1/openapi.json").json["components"]["schemas"]["Outcome"]
    for name in ("idData", "type", "target"):  # a refused entry may have sent anything
        assert "type" not in outcome["properties"][name], name
        assert outcome["properties"][name]["nullable"], name


def test_a_feed_that_is_not_an_array_of_objects_is_invalid_as_a_whole():
    for feed in ({"idData": "1"}, [1, 2], "[]"):
        with pytest.raises(Invalid):
            import_jdihn_feed(feed, TEST_ACTOR)


def test_a_relation_whose_target_is_missing_is_reported():
    feed = build_jdihn_feed("http://localhost/")
    kepbup = next(e for e in feed if e["noPeraturan"] == "460/105 Tahun 2017")
    kepbup["legalbase_relations"] = [
        {"type": "cites", "target": UU_21_2007, "effective_on": None, "note": "Mengingat 1"},
        {
            "type": "cites",
            "target": {**UU_21_2007, "number": "99"},
            "effective_on": None,
            "note": None,
        },
    ]
    report = import_jdihn_feed([kepbup], TEST_ACTOR)
    assert [o.outcome for o in report.relations] == ["created", "refused"]
    assert report.relations[1].reason["message"] == "Peraturan tujuan relasi tidak ditemukan."
    assert report.entries[0].outcome == "unchanged"


# --- over HTTP --------------------------------------------------------------------------------


def post_feed(client, token, body, **kwargs):
    headers = auth(token) if token else {}
    return client.post("/api/v1/import/jdihn", json=body, headers=headers, **kwargs)


def test_importing_over_http_is_for_admins_only(client):
    entry = plain_entry("Undang-Undang", "77", "Undang-Undang Nomor 77 Tahun 2026 tentang Uji")
    before = counts()
    assert post_feed(client, None, [entry]).status_code == 401
    _, region = make_user("region", "16.71")
    _, ministry = make_user("ministry", None)
    after_users = counts()
    for token in (region, ministry):
        response = post_feed(client, token, [entry])
        assert response.status_code == 403
        assert response.json["error"]["details"]["action"] == "import_corpus"
    assert counts()[:2] == before[:2] and counts() == after_users


def test_an_import_body_that_is_not_a_json_array_is_refused(client):
    _, admin = make_user("admin", None)
    before = counts()
    not_array = post_feed(client, admin, {"idData": "1"})
    assert not_array.status_code == 422
    assert "_body" in not_array.json["error"]["details"]["fields"]
    not_objects = post_feed(client, admin, [1, 2])
    assert not_objects.status_code == 422
    not_json = client.post(
        "/api/v1/import/jdihn", data="[]", headers=auth(admin), content_type="text/plain"
    )
    assert not_json.status_code == 415
    assert counts() == before


def test_an_admin_imports_a_feed_over_http_and_reads_the_report(client):
    _, admin = make_user("admin", None)
    uu = entry_of(client.get("/api/v1/jdihn.json").json, seeded("uu", "21", 2007))
    new = plain_entry("Undang-Undang", "77", "Undang-Undang Nomor 77 Tahun 2026 tentang Uji")
    response = post_feed(client, admin, [uu, new])
    assert response.status_code == 200
    body = response.json
    assert body["totals"] == {"created": 1, "updated": 0, "unchanged": 1, "refused": 0}
    assert body["entries"][1]["outcome"] == "created"
    assert body["entries"][0] == {
        "index": 0,
        "idData": uu["idData"],
        "outcome": "unchanged",
        "id": int(uu["idData"]),
        "reason": None,
        "ignored": [],
    }
    assert body["relation_totals"] == {"created": 0, "unchanged": 0, "refused": 0}
    created = client.get(f"/api/v1/regulations/{body['entries'][1]['id']}").json
    assert (created["form"], created["title"]) == ("uu", "Uji")


# --- CSV --------------------------------------------------------------------------------------


def test_csv_export_then_import_into_an_empty_instance_keeps_the_metadata(client, empty_instance):
    make_full_records()
    response = client.get("/api/v1/regulations.csv")
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    text = response.get_data(as_text=True)
    assert text.splitlines()[0].startswith("form,number,year,title,region_code,issuer")
    expected = {key: {**snap, "text": None} for key, snap in corpus_state().items()}
    with empty_instance() as other, other.app_context():
        report = import_csv(text, TEST_ACTOR)
        db.session.commit()
        assert report.totals()["created"] == 38
        imported = {
            key: regulation_snapshot(
                db.session.scalar(select(Regulation).where(Regulation.identity_key == key))
            )
            for key in expected
        }
    assert imported == {
        key: {name: snap[name] for name in imported[key]} for key, snap in expected.items()
    }


def test_a_csv_with_a_bad_row_reports_that_line_and_imports_the_rest():
    text = (
        "form,number,year,title,region_code,subjects,enacted_on\r\n"
        'kepwal,188.45/7/KPTS/2026,2026,"Gugus Tugas\nTahun 2026",16.71,A - B,2026-01-05\r\n'
        "kepwal,188.45/8/KPTS/2026,20x6,Salah Tahun,16.71,,\r\n"
        "kepwal,188.45/9/KPTS/2026,2026,Kurang Kolom\r\n"
    )
    report = import_csv(text, TEST_ACTOR)
    assert [(o.where["line"], o.outcome) for o in report.entries] == [
        (2, "created"),
        (4, "refused"),
        (5, "refused"),
    ]
    assert report.entries[1].reason["details"]["fields"]["year"] == ["Harus berupa bilangan bulat."]
    created = db.session.get(Regulation, report.entries[0].record_id)
    assert (created.subjects, created.title, created.gazette) == (
        ["A", "B"],
        "Gugus Tugas\nTahun 2026",
        None,
    )


def test_a_csv_with_an_unknown_column_is_refused_as_a_whole():
    with pytest.raises(Invalid) as refused:
        import_csv("form,number,year,title,colour\r\nuu,1,2026,X,red\r\n", TEST_ACTOR)
    assert refused.value.details["unknown"] == ["colour"]


def test_an_admin_imports_csv_over_http(client):
    _, admin = make_user("admin", None)
    _, region = make_user("region", "16.71")
    body = export_csv()
    assert (
        client.post(
            "/api/v1/import/csv", data=body, headers=auth(region), content_type="text/csv"
        ).status_code
        == 403
    )
    response = client.post(
        "/api/v1/import/csv", data=body, headers=auth(admin), content_type="text/csv"
    )
    assert response.status_code == 200
    assert response.json["totals"] == {"created": 0, "updated": 0, "unchanged": 35, "refused": 0}
    assert response.json["entries"][0]["line"] == 2
    wrong_type = client.post("/api/v1/import/csv", json=[], headers=auth(admin))
    assert wrong_type.status_code == 415


def test_a_csv_holding_a_nul_character_is_refused_as_a_whole(client):
    _, admin = make_user("admin", None)
    before = counts()
    response = client.post(
        "/api/v1/import/csv",
        headers=auth(admin),
        content_type="text/csv",
        data="form,number,year,title\r\nuu,1,2026,Uji\x00\r\n",
    )
    assert response.status_code == 422
    assert counts() == before


# --- command line -----------------------------------------------------------------------------


def test_the_cli_exports_the_feed_and_imports_a_corrected_one(runner, tmp_path):
    path = tmp_path / "jdihn.json"
    result = runner.invoke(
        args=["corpus", "export-jdihn", str(path), "--base-url", "https://jdih.example.go.id"]
    )
    assert result.exit_code == 0, result.output
    feed = json.loads(path.read_text(encoding="utf-8"))
    uu = entry_of(feed, seeded("uu", "21", 2007))
    assert uu["urlDetailPeraturan"] == f"https://jdih.example.go.id/dokumen/{uu['idData']}"
    uu["bidangHukum"] = "Hukum Pidana Khusus"
    path.write_text(json.dumps(feed, ensure_ascii=False), encoding="utf-8")

    result = runner.invoke(args=["corpus", "import-jdihn", str(path)])

    assert result.exit_code == 0, result.output
    assert f"(idData {uu['idData']}): diperbarui, id {uu['idData']}" in result.output
    assert "Peraturan: 0 dibuat, 1 diperbarui, 34 tidak berubah, 0 ditolak." in result.output
    assert "Relasi: 0 dibuat, 18 tidak berubah, 0 ditolak." in result.output
    assert seeded("uu", "21", 2007).field_of_law == "Hukum Pidana Khusus"


def test_the_cli_writes_the_feed_to_stdout_and_refuses_a_broken_file(runner, tmp_path):
    result = runner.invoke(args=["corpus", "export-jdihn"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 35
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = runner.invoke(args=["corpus", "import-jdihn", str(broken)])
    assert result.exit_code == 1
    assert "Galat: Umpan JDIHN bukan JSON yang sah" in result.output


def test_the_cli_round_trips_csv(runner, tmp_path):
    path = tmp_path / "peraturan.csv"
    assert runner.invoke(args=["corpus", "export-csv", str(path)]).exit_code == 0
    rows = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(rows + ["uu,1,2026,,,,,,,,,,,,,,,,,,"]) + "\n", encoding="utf-8")
    result = runner.invoke(args=["corpus", "import-csv", str(path)])
    assert result.exit_code == 0, result.output
    assert "Peraturan: 0 dibuat, 0 diperbarui, 35 tidak berubah, 1 ditolak." in result.output
    assert f"Baris {len(rows) + 1}: ditolak: Metadata peraturan tidak valid" in result.output
