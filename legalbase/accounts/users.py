"""Creating users, setting passwords, importing many at once, and their API tokens."""

import csv
import hashlib
import re
import secrets
from datetime import UTC, datetime

from sqlalchemy import and_, func, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..core import audit, db
from ..core.db import utcnow
from ..core.errors import Conflict, Invalid, NotFound
from ..regions.registry import find_region
from .models import ROLES, ApiToken, User

TOKEN_PREFIX = "lb_"
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")
MIN_PASSWORD = 10


def create_user(
    username: str | None,
    display_name: str,
    role: str,
    region_code: str | None,
    actor: audit.Actor,
    password: str | None = None,
) -> User:
    """Add a user after checking role, region and username; the username defaults from them."""
    username = username or default_username(role, region_code, display_name)
    problems = user_problems(username, display_name, role, region_code, password)
    if problems:
        raise Invalid("Data pengguna tidak valid.", {"fields": problems})
    if find_user(username) is not None:
        raise Conflict(f"Nama pengguna '{username}' sudah dipakai.", {"username": username})
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        region_code=region_code if role == "region" else None,
    )
    if password:
        user.password_hash = generate_password_hash(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "create", "user", user.id, None, user_snapshot(user), user.region_code)
    return user


def user_snapshot(user: User) -> dict:
    """A user's account facts as plain data (never the password hash)."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "region_code": user.region_code,
        "active": user.active,
        "has_password": user.password_hash is not None,
    }


def user_problems(username, display_name, role, region_code, password) -> dict:
    """What is wrong with the fields of a new user, by field (empty when nothing is)."""
    problems = {}
    if not USERNAME.fullmatch(username or ""):
        problems["username"] = [
            "Gunakan 2-80 huruf kecil, angka, titik, garis bawah atau tanda hubung."
        ]
    if not (display_name or "").strip():
        problems["name"] = ["Wajib diisi."]
    if role not in ROLES:
        problems["role"] = [f"Harus salah satu dari: {', '.join(ROLES)}."]
    if role == "region" and find_region(region_code) is None:
        problems["region"] = [
            f"Kode wilayah '{region_code}' tidak dikenal."
            if region_code
            else "Peran 'region' wajib menyebut kode wilayah."
        ]
    if role in ("ministry", "admin") and region_code:
        problems["region"] = [f"Peran '{role}' tidak terikat pada satu wilayah."]
    if password is not None and len(password) < MIN_PASSWORD:
        problems["password"] = [f"Kata sandi paling sedikit {MIN_PASSWORD} karakter."]
    return problems


def default_username(role: str, region_code: str | None, display_name: str) -> str:
    if role == "region" and region_code:
        return f"wilayah-{region_code}"
    return re.sub(r"[^a-z0-9]+", "-", (display_name or "").lower()).strip("-")[:80]


def find_user(username: str) -> User | None:
    """The user called `username`, or None."""
    return db.session.scalar(select(User).where(User.username == username))


def get_user(username: str) -> User:
    """The user called `username`, or NotFound."""
    user = find_user(username)
    if user is None:
        raise NotFound(f"Pengguna '{username}' tidak ditemukan.", {"username": username})
    return user


def set_password(user: User, password: str, actor: audit.Actor) -> None:
    """Replace a user's password (stored hashed)."""
    if len(password) < MIN_PASSWORD:
        raise Invalid(
            "Kata sandi terlalu pendek.",
            {"fields": {"password": [f"Paling sedikit {MIN_PASSWORD} karakter."]}},
        )
    user.password_hash = generate_password_hash(password)
    audit.record(actor, "set_password", "user", user.id, None, None, user.region_code)


def change_role(user: User, role: str, region_code: str | None, actor: audit.Actor) -> User:
    """Give a user another role and region (the region counts only for the region role)."""
    region_code = (region_code or None) if role == "region" else None
    problems = user_problems(user.username, user.display_name, role, region_code, None)
    if problems:
        raise Invalid("Data pengguna tidak valid.", {"fields": problems})
    before = user_snapshot(user)
    user.role, user.region_code = role, region_code
    db.session.flush()
    where = region_code or before["region_code"]
    audit.record(actor, "change_role", "user", user.id, before, user_snapshot(user), where)
    return user


def users_with_token_counts() -> list[tuple[User, int]]:
    """Every user, by username, with the number of their active (unrevoked, unexpired) tokens."""
    active = and_(
        ApiToken.user_id == User.id,
        ApiToken.revoked_at.is_(None),
        or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > utcnow()),
    )
    query = (
        select(User, func.count(ApiToken.id))
        .outerjoin(ApiToken, active)
        .group_by(User.id)
        .order_by(User.username)
    )
    return [(user, count) for user, count in db.session.execute(query)]


def password_matches(user: User, password: str) -> bool:
    return bool(user.password_hash) and check_password_hash(user.password_hash, password)


def issue_token(
    user: User, actor: audit.Actor, label: str | None = None, expires_at: datetime | None = None
) -> str:
    """Create an API token for `user`; the plain token is returned once and stored hashed."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        token_hash=hash_token(plain),
        prefix=plain[:10],
        label=label,
        expires_at=expires_at,
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        actor,
        "issue_token",
        "user",
        user.id,
        None,
        {"token_id": token.id, "prefix": token.prefix},
        user.region_code,
    )
    return plain


def hash_token(plain: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is safe and keeps each request cheap.
    return hashlib.sha256(plain.encode()).hexdigest()


def user_for_token(plain: str) -> User | None:
    """The active user holding this unrevoked, unexpired token, or None."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plain)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    if token.expires_at is not None and _aware(token.expires_at) <= utcnow():
        return None
    return token.user


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns; they are stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def list_tokens(username: str | None = None) -> list[ApiToken]:
    """API tokens (of one user, or everyone's), oldest first."""
    query = select(ApiToken).join(ApiToken.user).order_by(ApiToken.id)
    if username is not None:
        query = query.where(User.id == get_user(username).id)
    return list(db.session.scalars(query))


def token_state(token: ApiToken) -> str:
    """aktif, dicabut or kedaluwarsa, as the token list shows it."""
    if token.revoked_at is not None:
        return "dicabut"
    if token.expires_at is not None and _aware(token.expires_at) <= utcnow():
        return "kedaluwarsa"
    return "aktif"


def revoke_token(token_id: int, actor: audit.Actor) -> ApiToken:
    """Revoke one token for good (NotFound if unknown, Conflict if already revoked)."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"Token dengan id {token_id} tidak ditemukan.", {"id": token_id})
    if token.revoked_at is not None:
        raise Conflict(f"Token {token_id} sudah dicabut.", {"id": token_id})
    token.revoked_at = utcnow()
    audit.record(
        actor,
        "revoke_token",
        "user",
        token.user_id,
        None,
        {"token_id": token.id, "prefix": token.prefix},
        token.user.region_code,
    )
    return token


IMPORT_COLUMNS = ("name", "role", "region", "username")


def read_user_rows(path: str) -> list[dict]:
    """Rows of a users CSV (columns: name, role, region, username; the last two optional)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [col for col in ("name", "role") if col not in (reader.fieldnames or [])]
        if missing:
            raise Invalid(
                f"Kolom CSV wajib tidak ada: {', '.join(missing)}.",
                {"required_columns": list(IMPORT_COLUMNS[:2])},
            )
        return [
            {key: (row.get(key) or "").strip() or None for key in IMPORT_COLUMNS} for row in reader
        ]


def import_users(rows: list[dict], actor: audit.Actor) -> list[tuple[User, str]]:
    """Create every user of `rows` with a token each, or none of them if any row is wrong."""
    problems = _import_problems(rows)
    if problems:
        raise Invalid(
            "Berkas pengguna berisi baris yang tidak valid; tidak ada yang dibuat.",
            {"rows": problems},
        )
    created = []
    for row in rows:
        user = create_user(row["username"], row["name"], row["role"], row["region"], actor)
        created.append((user, issue_token(user, actor, label="import")))
    return created


def _import_problems(rows: list[dict]) -> dict:
    problems, seen = {}, set()
    for line, row in enumerate(rows, start=2):
        username = row["username"] or default_username(row["role"], row["region"], row["name"])
        row_problems = user_problems(username, row["name"], row["role"], row["region"], None)
        if username in seen or find_user(username) is not None:
            row_problems["username"] = [f"Nama pengguna '{username}' sudah dipakai."]
        seen.add(username)
        if row_problems:
            problems[str(line)] = row_problems
    return problems
