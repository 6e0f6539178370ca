"""The pages in Bahasa Indonesia: Beranda, Wilayah, Dokumen, Masuk, and the error page."""

import re

from sqlalchemy import select

from legalbase.core import db
from legalbase.corpus.models import Regulation
from legalbase.search import backend
from tests.factories import make_user


def csrf(client, path="/masuk"):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_dashboard_draws_38_provinces_and_the_counts_of_the_api(client):
    page = client.get("/").get_data(as_text=True)
    codes = re.findall(r'<path d="M[^"]+" fill="#[0-9a-f]{6}" data-code="(\d\d)"', page)
    assert len(set(codes)) == 38
    summary = client.get("/api/v1/coverage").json["summary"]
    shown = dict(re.findall(r'<dd data-status="(\w+)">(\d+)</dd>', page))
    assert {status: int(count) for status, count in shown.items()} == summary
    assert "CC BY 4.0" in page and '<html lang="id">' in page


def test_the_province_table_sorts_by_the_share_without_a_basis(client):
    page = client.get("/?urut=porsi").get_data(as_text=True)
    shares = [int(x) for x in re.findall(r"<td>(\d+)%</td>", page)]
    assert len(shares) == 38 and shares == sorted(shares, reverse=True)


def test_a_province_page_lists_its_kabupaten_and_kota(client):
    page = client.get("/wilayah/16").get_data(as_text=True)
    assert "Sumatera Selatan" in page and "GUBERNUR SUMATERA SELATAN" in page
    assert len(re.findall(r'href="/wilayah/16\.\d\d"', page)) == 17


def test_a_document_page_shows_its_metadata_and_relations_both_ways(client):
    perpres = db.session.scalar(
        select(Regulation.id).where(Regulation.seed_key == "perpres-69-2008")
    )
    page = " ".join(client.get(f"/dokumen/{perpres}").get_data(as_text=True).split())
    assert "Peraturan Presiden Nomor 69 Tahun 2008" in page
    assert "diubah oleh" in page and "49/2023" in page and "melaksanakan" in page


def test_an_unknown_page_is_a_404_page_in_indonesian(client):
    response = client.get("/wilayah/99.99")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)
    assert "99.99" in response.get_data(as_text=True)


def test_a_wrong_password_is_refused_and_the_right_one_signs_in(client):
    make_user("region", "16.03", username="muaraenim", password="kata-sandi-yang-benar")
    token = csrf(client)
    wrong = client.post(
        "/masuk", data={"username": "muaraenim", "password": "salah-sekali", "csrf_token": token}
    )
    assert wrong.status_code == 401
    assert "kata sandi salah" in wrong.get_data(as_text=True)
    right = client.post(
        "/masuk",
        data={"username": "muaraenim", "password": "kata-sandi-yang-benar", "csrf_token": token},
    )
    assert right.status_code == 302
    assert "Keluar" in client.get("/").get_data(as_text=True)
    client.post("/keluar", data={"csrf_token": csrf(client, "/")})
    assert "Masuk" in client.get("/").get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused(client):
    make_user("region", "16.03", username="muaraenim", password="kata-sandi-yang-benar")
    response = client.post(
        "/masuk", data={"username": "muaraenim", "password": "kata-sandi-yang-benar"}
    )
    assert response.status_code == 400
    assert "Formulir kedaluwarsa" in response.get_data(as_text=True)
    assert "Keluar" not in client.get("/").get_data(as_text=True)


def test_the_session_cookie_is_httponly_and_samesite_lax(client):
    client.get("/masuk")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_the_dashboard_charts_twelve_months_of_national_counts(client):
    page = client.get("/").get_data(as_text=True)
    lines = re.findall(r'<polyline [^>]*points="([^"]+)" data-status="(\w+)"', page)
    assert {status for _, status in lines} == {"current", "outdated", "missing", "unreported"}
    assert all(len(points.split()) == 12 for points, _ in lines)


def test_a_document_page_says_when_it_stopped_being_in_force(client):
    perda = db.session.scalar(select(Regulation.id).where(Regulation.seed_key == "perda-34-6-2014"))
    page = client.get(f"/dokumen/{perda}").get_data(as_text=True)
    assert "dicabut sejak 24 Oktober 2025" in page and "Tidak berlaku" in page


def test_a_citation_typed_in_the_search_box_lands_on_that_regulation(
    client, app, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "SEARCH_INDEX_DIR", str(tmp_path / "search"))
    backend().rebuild()
    perpres = db.session.scalar(
        select(Regulation.id).where(Regulation.seed_key == "perpres-49-2023")
    )
    response = client.get("/cari?q=perpres+49/2023")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/dokumen/{perpres}")
    listed = client.get("/cari?q=perpres+49/2023&daftar=1")
    assert listed.status_code == 200 and "Perubahan Kedua" in listed.get_data(as_text=True)
