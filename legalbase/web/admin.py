"""The Administrasi pages, for admins only: users, their role and region, passwords and API
tokens. Each view checks the caller, parses the form and calls one domain function."""

from flask import Blueprint, redirect, render_template, request, url_for

from ..accounts.models import ROLES
from ..accounts.policy import require
from ..accounts.users import (
    change_role,
    create_user,
    get_user,
    issue_token,
    list_tokens,
    revoke_token,
    set_password,
    token_state,
    users_with_token_counts,
)
from ..core.audit import Actor
from ..core.errors import Conflict, Invalid, Unauthorized
from .session import check_csrf, page_user

bp = Blueprint("admin", __name__, url_prefix="/admin")
ROLE_LABELS = {"region": "Wilayah", "ministry": "Kementerian", "admin": "Administrator"}


def _admin() -> Actor:
    """The signed-in admin as an audit actor (401 signed out, 403 not an admin, 400 on a POST
    without its CSRF token)."""
    user = page_user()
    if user is None:
        raise Unauthorized("Masuk terlebih dahulu untuk membuka halaman ini.")
    require(user, "manage_users")
    if request.method == "POST":
        check_csrf()
    return Actor(user.username, user.id)


def _field(name: str) -> str | None:
    return request.form.get(name, "").strip() or None


@bp.get("/pengguna")
def pengguna():
    """The list of users and the form that creates one."""
    _admin()
    return _list_page({}, {})


@bp.post("/pengguna")
def pengguna_buat():
    """Create a user from the form, or give the form back with what is wrong (400)."""
    actor = _admin()
    values = {key: _field(key) for key in ("username", "display_name", "role", "region_code")}
    try:
        user = create_user(
            values["username"],
            values["display_name"] or "",
            values["role"] or "",
            values["region_code"],
            actor,
            password=request.form.get("password", ""),
        )
    except (Invalid, Conflict) as error:
        return _list_page(values, _problems(error), 400)
    return redirect(url_for("admin.pengguna_satu", username=user.username))


def _problems(error: Invalid | Conflict) -> dict:
    """The messages of a refused form by field (a taken username is a username problem)."""
    if isinstance(error, Conflict):
        return {"username": [error.message]}
    return error.details.get("fields") or {"_": [error.message]}


def _list_page(values: dict, problems: dict, status: int = 200):
    page = render_template(
        "web/admin_pengguna.html",
        users=users_with_token_counts(),
        values=values,
        problems=problems,
        roles=ROLES,
        role_labels=ROLE_LABELS,
    )
    return page, status


@bp.get("/pengguna/<username>")
def pengguna_satu(username):
    """One user: role and region, password, API tokens."""
    _admin()
    return _user_page(username)


@bp.post("/pengguna/<username>/peran")
def pengguna_peran(username):
    """Change a user's role and region."""
    actor = _admin()
    try:
        change_role(get_user(username), _field("role") or "", _field("region_code"), actor)
    except Invalid as error:
        return _user_page(username, problems=_problems(error), status=400)
    return redirect(url_for("admin.pengguna_satu", username=username))


@bp.post("/pengguna/<username>/sandi")
def pengguna_sandi(username):
    """Set a new password for a user."""
    actor = _admin()
    try:
        set_password(get_user(username), request.form.get("password", ""), actor)
    except Invalid as error:
        return _user_page(username, problems=_problems(error), status=400)
    return _user_page(username, notice="Kata sandi baru telah disimpan.")


@bp.post("/pengguna/<username>/token")
def pengguna_token(username):
    """Issue an API token and show it, this once."""
    actor = _admin()
    plain = issue_token(get_user(username), actor, label=_field("label"))
    return _user_page(username, plain_token=plain)


@bp.post("/token/<int:token_id>/cabut")
def token_cabut(token_id):
    """Revoke one API token, then go back to its user."""
    actor = _admin()
    token = revoke_token(token_id, actor)
    return redirect(url_for("admin.pengguna_satu", username=token.user.username))


def _user_page(username: str, status: int = 200, **shown):
    user = get_user(username)
    page = render_template(
        "web/admin_pengguna_satu.html",
        target=user,
        tokens=[(token, token_state(token)) for token in list_tokens(user.username)],
        roles=ROLES,
        role_labels=ROLE_LABELS,
        problems=shown.pop("problems", {}),
        **shown,
    )
    return page, status
