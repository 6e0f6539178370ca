"""The Administrasi pages: an admin manages users, passwords and API tokens; nobody else may."""

import re

import pytest
from sqlalchemy import func, select

from legalbase.accounts.models import User
from legalbase.core import db
from tests.factories import auth, make_user

PASSWORD = "kata-sandi-admin-uji"


def csrf(client, path="/admin/pengguna"):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, username, password):
    token = csrf(client, "/masuk")
    response = client.post(
        "/masuk", data={"username": username, "password": password, "csrf_token": token}
    )
    return response.status_code == 302


@pytest.fixture
def admin(client):
    """The client, signed in as an admin."""
    make_user("admin", None, username="admin-uji", password=PASSWORD)
    assert sign_in(client, "admin-uji", PASSWORD)
    return client


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def new_user(client, **fields):
    data = {
        "username": "biro-hukum-pali",
        "display_name": "Biro Hukum Kabupaten PALI",
        "role": "region",
        "region_code": "16.12",
        "password": "sandi-awal-pali-2026",
        **fields,
    }
    return client.post("/admin/pengguna", data={**data, "csrf_token": csrf(client)})


def text(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def test_an_admin_sees_the_users_and_the_navigation_link(admin):
    make_user("region", "16.71", username="palembang")
    page = text(admin.get("/admin/pengguna"))
    assert "Administrasi" in text(admin.get("/"))
    assert 'data-username="palembang"' in page
    row = re.search(r'data-username="palembang">(.*?)</tr>', page).group(1)
    assert "Wilayah" in row and "16.71" in row and "<td>1</td>" in row


def test_an_admin_creates_a_region_user_who_then_signs_in(admin, client, app):
    response = new_user(admin)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/pengguna/biro-hukum-pali")
    assert "Biro Hukum Kabupaten PALI" in text(admin.get("/admin/pengguna"))
    admin.post("/keluar", data={"csrf_token": csrf(admin, "/")})
    assert sign_in(client, "biro-hukum-pali", "sandi-awal-pali-2026")
    assert "Administrasi" not in text(client.get("/"))


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"region_code": "99.99"}, "Kode wilayah &#39;99.99&#39; tidak dikenal."),
        ({"region_code": ""}, "Peran &#39;region&#39; wajib menyebut kode wilayah."),
        ({"password": "pendek"}, "Kata sandi paling sedikit 10 karakter."),
        ({"username": "admin-uji"}, "Nama pengguna &#39;admin-uji&#39; sudah dipakai."),
    ],
)
def test_bad_input_gives_the_form_back_with_the_message_and_creates_nothing(admin, fields, message):
    before = user_count()
    response = new_user(admin, **fields)
    assert response.status_code == 400
    page = text(response)
    assert message in page and "Pengguna belum dibuat" in page
    assert 'value="Biro Hukum Kabupaten PALI"' in page
    assert user_count() == before


def test_a_role_and_region_change_shows_on_the_list(admin):
    make_user("region", "16.71", username="palembang")
    token = csrf(admin)
    response = admin.post(
        "/admin/pengguna/palembang/peran",
        data={"role": "region", "region_code": "16.72", "csrf_token": token},
    )
    assert response.status_code == 302
    row = re.search(r'data-username="palembang">(.*?)</tr>', text(admin.get("/admin/pengguna")))
    assert "16.72" in row.group(1)
    ministry = admin.post(
        "/admin/pengguna/palembang/peran",
        data={"role": "ministry", "region_code": "16.72", "csrf_token": token},
    )
    assert ministry.status_code == 302
    row = re.search(r'data-username="palembang">(.*?)</tr>', text(admin.get("/admin/pengguna")))
    assert "Kementerian" in row.group(1) and "16.72" not in row.group(1)
    bad = admin.post(
        "/admin/pengguna/palembang/peran",
        data={"role": "region", "region_code": "99.99", "csrf_token": token},
    )
    assert bad.status_code == 400 and "tidak dikenal" in text(bad)


def test_a_password_reset_lets_the_user_sign_in_with_the_new_one(admin, app):
    make_user("region", "16.71", username="palembang", password="sandi-lama-palembang")
    token = csrf(admin)
    short = admin.post(
        "/admin/pengguna/palembang/sandi", data={"password": "pendek", "csrf_token": token}
    )
    assert short.status_code == 400 and "Paling sedikit 10 karakter." in text(short)
    response = admin.post(
        "/admin/pengguna/palembang/sandi",
        data={"password": "sandi-baru-palembang", "csrf_token": token},
    )
    assert response.status_code == 200 and "Kata sandi baru telah disimpan." in text(response)
    other = app.test_client()
    assert not sign_in(other, "palembang", "sandi-lama-palembang")
    assert sign_in(other, "palembang", "sandi-baru-palembang")


def test_a_token_is_shown_once_then_revoked_and_no_longer_authenticates(admin, client):
    make_user("region", "16.71", username="palembang")
    token = csrf(admin)
    issued = admin.post(
        "/admin/pengguna/palembang/token", data={"label": "sipd", "csrf_token": token}
    )
    page = text(issued)
    plain = re.search(r'<code id="token-polos">(lb_[^<]+)</code>', page).group(1)
    assert "hanya ditampilkan sekali" in page
    assert client.get("/api/v1/me", headers=auth(plain)).status_code == 200
    again = text(admin.get("/admin/pengguna/palembang"))
    assert plain not in again and "sipd" in again
    token_id = re.search(r'data-token="(\d+)"> <td><code>' + re.escape(plain[:10]), again).group(1)
    revoked = admin.post(f"/admin/token/{token_id}/cabut", data={"csrf_token": token})
    assert revoked.status_code == 302
    after = text(admin.get("/admin/pengguna/palembang"))
    state = re.search(rf'data-token="{token_id}">.*?class="status-token">(\w+)<', after)
    assert state.group(1) == "dicabut"
    assert client.get("/api/v1/me", headers=auth(plain)).status_code == 401


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/admin/pengguna"),
        ("POST", "/admin/pengguna"),
        ("GET", "/admin/pengguna/palembang"),
        ("POST", "/admin/pengguna/palembang/sandi"),
        ("POST", "/admin/pengguna/palembang/token"),
    ],
)
def test_a_region_user_and_anonymous_are_refused(client, method, path):
    make_user("region", "16.71", username="palembang", password="sandi-palembang-uji")
    anonymous = client.open(path, method=method, data={"password": "sandi-baru-palembang"})
    assert anonymous.status_code == 401 and "Perlu masuk" in text(anonymous)
    assert sign_in(client, "palembang", "sandi-palembang-uji")
    data = {"password": "sandi-baru-palembang", "csrf_token": csrf(client, "/")}
    refused = client.open(path, method=method, data=data)
    assert refused.status_code == 403 and "Akses ditolak" in text(refused)
    assert "Administrasi" not in text(client.get("/"))


def test_a_post_without_its_csrf_token_is_refused(admin):
    before = user_count()
    response = admin.post(
        "/admin/pengguna",
        data={
            "username": "tanpa-csrf",
            "display_name": "Tanpa CSRF",
            "role": "ministry",
            "password": "sandi-tanpa-csrf-1",
        },
    )
    assert response.status_code == 400 and "Formulir kedaluwarsa" in text(response)
    assert user_count() == before
