"""Who is calling: the HTTP side of accounts (Bearer tokens on the API)."""

from functools import wraps

from flask import g, request

from ..core.audit import Actor
from ..core.errors import Unauthorized
from ..service.api import API_PREFIX
from .models import User
from .users import user_for_token


def authenticate_api_request() -> None:
    """Set `g.user` from the Authorization header; a malformed or unknown token is a 401."""
    g.user = None
    if not request.path.startswith(API_PREFIX):
        return
    header = request.headers.get("Authorization")
    if header is None:
        return
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Header Authorization harus berbentuk 'Bearer <token>'.")
    g.user = user_for_token(token.strip())
    if g.user is None:
        raise Unauthorized("Token API tidak dikenal, sudah dicabut, atau kedaluwarsa.")


def current_user() -> User | None:
    return g.get("user")


def current_actor() -> Actor:
    """The audit actor for the current request's user."""
    user = current_user()
    return Actor(user.username, user.id) if user else Actor("anonim")


def token_required(view):
    """Refuse the request with 401 before anything else when it carries no valid token."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_user() is None:
            raise Unauthorized("Diperlukan token API yang sah (Authorization: Bearer <token>).")
        return view(*args, **kwargs)

    return wrapper
