"""Who is signed in on the pages (a session cookie), and the CSRF token of every form."""

import hmac
import secrets

from flask import request, session

from .. import db
from ..accounts.models import User
from ..accounts.users import find_user, password_matches
from ..errors import BadRequest


def page_user() -> User | None:
    """The signed-in user of this browser session, or None."""
    user_id = session.get("user_id")
    user = db.session.get(User, user_id) if user_id else None
    return user if user is not None and user.active else None


def sign_in(username: str, password: str) -> User | None:
    """The user when the password matches (the session then holds them), else None."""
    user = find_user(username.strip())
    if user is None or not user.active or not password_matches(user, password):
        return None
    session.clear()
    session["user_id"] = user.id
    return user


def sign_out() -> None:
    session.clear()


def csrf_token() -> str:
    """The session's CSRF token, made on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check_csrf() -> None:
    """400 unless the form carries the session's CSRF token."""
    sent = request.form.get("csrf_token", "")
    if not hmac.compare_digest(sent, session.get("csrf", "")) or not sent:
        raise BadRequest("Formulir kedaluwarsa atau tidak sah; muat ulang halaman lalu coba lagi.",
                         code="csrf_failed")
