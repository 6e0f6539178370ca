from sqlalchemy import select

from legalbase.accounts.models import ApiToken, User
from legalbase.accounts.users import find_user, password_matches
from legalbase.core import db
from tests.factories import auth, regulation_data


def test_users_create_prints_a_token_on_the_last_line_that_authenticates(runner, client):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--name",
            "Bagian Hukum Kota Palembang",
            "--role",
            "region",
            "--region",
            "16.71",
        ]
    )
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("lb_") and " " not in token
    response = client.post("/api/v1/regulations", json=regulation_data(), headers=auth(token))
    assert response.status_code == 201
    user = find_user("wilayah-16.71")
    assert (user.role, user.region_code) == ("region", "16.71")


def test_tokens_and_passwords_are_stored_hashed(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--name",
            "Kementerian",
            "--role",
            "ministry",
            "--username",
            "kemen",
            "--password-stdin",
        ],
        input="rahasia-panjang-sekali\n",
    )
    token = result.output.strip().splitlines()[-1]
    user = find_user("kemen")
    assert user.password_hash.startswith("scrypt:") and "rahasia" not in user.password_hash
    assert password_matches(user, "rahasia-panjang-sekali")
    stored = db.session.scalars(select(ApiToken.token_hash).where(ApiToken.user_id == user.id))
    assert token not in list(stored)


def test_an_unknown_region_is_refused_with_a_reason_and_creates_nothing(runner):
    result = runner.invoke(
        args=["users", "create", "--name", "X", "--role", "region", "--region", "99.99"]
    )
    assert result.exit_code == 1
    assert "99.99" in result.output and "tidak dikenal" in result.output
    assert db.session.scalar(select(User).where(User.display_name == "X")) is None


def test_a_region_user_needs_a_region(runner):
    result = runner.invoke(args=["users", "create", "--name", "X", "--role", "region"])
    assert result.exit_code == 1
    assert "wajib menyebut kode wilayah" in result.output


def test_set_password_replaces_the_password(runner):
    runner.invoke(
        args=["users", "create", "--name", "Admin", "--role", "admin", "--username", "admin"]
    )
    result = runner.invoke(args=["users", "set-password", "admin"], input="kata-sandi-baru-1\n")
    assert result.exit_code == 0, result.output
    assert password_matches(find_user("admin"), "kata-sandi-baru-1")
    short = runner.invoke(args=["users", "set-password", "admin"], input="pendek\n")
    assert short.exit_code == 1
    assert password_matches(find_user("admin"), "kata-sandi-baru-1")


def test_import_creates_every_account_with_a_token(runner, tmp_path, client):
    csv_file = tmp_path / "users.csv"
    csv_file.write_text(
        "name,role,region,username\n"
        "Biro Hukum Sumatera Selatan,region,16,\n"
        "Bagian Hukum Kabupaten Muara Enim,region,16.03,\n"
        "Kemenko PMK,ministry,,kemenko\n"
    )
    result = runner.invoke(args=["users", "import", str(csv_file)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.strip().splitlines()]
    assert lines[0] == "username,role,region,token"
    rows = [line.split(",") for line in lines[1:]]
    assert [row[0] for row in rows] == ["wilayah-16", "wilayah-16.03", "kemenko"]
    token_1603 = rows[1][3]
    data = regulation_data(form="kepbup", region_code="16.03")
    response = client.post("/api/v1/regulations", json=data, headers=auth(token_1603))
    assert response.status_code == 201


def test_import_with_one_bad_row_creates_none(runner, tmp_path):
    csv_file = tmp_path / "users.csv"
    csv_file.write_text(
        "name,role,region\nBiro Hukum Aceh,region,11\nSalah,region,77.77\nDobel,region,11\n"
    )
    result = runner.invoke(args=["users", "import", str(csv_file)])
    assert result.exit_code == 1
    assert '"3"' in result.output and "77.77" in result.output  # line 3: unknown region
    assert '"4"' in result.output  # line 4: username wilayah-11 twice
    assert find_user("wilayah-11") is None
