"""Who is signed in on the pages (a session cookie), and the CSRF token of every form."""

import hmac
import secrets

from flask import current_app, request, session
from flask.sessions import SecureCookieSessionInterface

from ..accounts.models import User
from ..accounts.throttle import LoginLimits, check_login_allowed, record_login_attempt
from ..accounts.users import find_user, password_matches
from ..core import db
from ..core.errors import BadRequest


class PageSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, marked Secure as SESSION_COOKIE_SECURE says (auto: when
    the request came over HTTPS)."""

    def get_cookie_secure(self, app) -> bool:
        mode = app.config["SESSION_COOKIE_SECURE"]
        return request.is_secure if mode == "auto" else mode in ("on", True)


def page_user() -> User | None:
    """The signed-in user of this browser session, or None."""
    user_id = session.get("user_id")
    user = db.session.get(User, user_id) if user_id else None
    return user if user is not None and user.active else None


def sign_in(username: str, password: str) -> User | None:
    """The user when the password matches (the session then holds them), else None; too many
    failures for the account or the address are refused (TooManyRequests) before checking."""
    username, address = username.strip(), request.remote_addr or "unknown"
    check_login_allowed(username, address, _login_limits())
    user = find_user(username)
    if user is None or not user.active or not password_matches(user, password):
        user = None
    record_login_attempt(username, address, succeeded=user is not None)
    if user is not None:
        session.clear()
        session["user_id"] = user.id
    return user


def _login_limits() -> LoginLimits:
    config = current_app.config
    return LoginLimits(
        config["LOGIN_ATTEMPTS_PER_ACCOUNT"],
        config["LOGIN_ATTEMPTS_PER_ADDRESS"],
        config["LOGIN_WINDOW_SECONDS"],
    )


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
        raise BadRequest(
            "Formulir kedaluwarsa atau tidak sah; muat ulang halaman lalu coba lagi.",
            code="csrf_failed",
        )
