"""`legalbase users ...`: create accounts, set passwords, import many at once, and issue,
list and revoke API tokens."""

import sys
from datetime import timedelta

import click
from flask.cli import AppGroup

from ..core import db
from ..core.audit import Actor
from ..core.clitools import domain_errors_exit
from ..core.db import utcnow
from . import users

users_group = AppGroup("users", help="Kelola akun pengguna dan token API.")
CLI_ACTOR = Actor("cli")
EXPIRY_HELP = "Token kedaluwarsa setelah sekian hari (bawaan: tidak kedaluwarsa)."


@users_group.command("create")
@click.option("--name", required=True, help="Nama tampilan, mis. 'Biro Hukum Sumatera Selatan'.")
@click.option("--role", required=True, type=click.Choice(("region", "ministry", "admin")))
@click.option("--region", "region_code", help="Kode wilayah Kemendagri (wajib untuk 'region').")
@click.option("--username", help="Nama pengguna; bawaan 'wilayah-<kode>' atau dari nama.")
@click.option("--password-stdin", is_flag=True, help="Baca kata sandi dari masukan standar.")
@click.option("--expires-in-days", type=click.IntRange(min=1), help=EXPIRY_HELP)
@domain_errors_exit
def create_command(name, role, region_code, username, password_stdin, expires_in_days):
    """Create a user and print a new API token alone on the last line."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    user = users.create_user(username, name, role, region_code, CLI_ACTOR, password=password)
    token = users.issue_token(
        user, CLI_ACTOR, label="users create", expires_at=_expiry(expires_in_days)
    )
    db.commit()
    scope = f" wilayah {user.region_code}" if user.region_code else ""
    click.echo(f"Pengguna '{user.username}' dibuat (peran {user.role}{scope}). Token API:")
    click.echo(token)


@users_group.command("set-password")
@click.argument("username")
@domain_errors_exit
def set_password_command(username):
    """Set a user's password, read from standard input."""
    password = sys.stdin.readline().rstrip("\n")
    users.set_password(users.get_user(username), password, CLI_ACTOR)
    db.commit()
    click.echo(f"Kata sandi '{username}' diperbarui.")


@users_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@domain_errors_exit
def import_command(path):
    """Create the users of a CSV file (name, role, region, username); print their tokens as CSV."""
    created = users.import_users(users.read_user_rows(path), CLI_ACTOR)
    db.commit()
    click.echo("username,role,region,token")
    for user, token in created:
        click.echo(f"{user.username},{user.role},{user.region_code or ''},{token}")
    click.echo(f"{len(created)} pengguna dibuat.", err=True)


@users_group.command("token")
@click.argument("username")
@click.option("--label", help="Keterangan token, mis. 'skrip impor JDIH'.")
@click.option("--expires-in-days", type=click.IntRange(min=1), help=EXPIRY_HELP)
@domain_errors_exit
def token_command(username, label, expires_in_days):
    """Issue another API token for a user and print it alone on the last line."""
    user = users.get_user(username)
    token = users.issue_token(user, CLI_ACTOR, label=label, expires_at=_expiry(expires_in_days))
    db.commit()
    click.echo(f"Token baru untuk '{username}':")
    click.echo(token)


@users_group.command("tokens")
@click.argument("username", required=False)
@domain_errors_exit
def tokens_command(username):
    """List API tokens (never the tokens themselves: their id, prefix and state)."""
    click.echo("id\tpengguna\tawalan\tketerangan\tdibuat\tkedaluwarsa\tstatus")
    for token in users.list_tokens(username):
        click.echo(
            "\t".join(
                (
                    str(token.id),
                    token.user.username,
                    token.prefix,
                    token.label or "-",
                    _moment(token.created_at),
                    _moment(token.expires_at),
                    users.token_state(token),
                )
            )
        )


@users_group.command("revoke")
@click.argument("token_id", type=int)
@domain_errors_exit
def revoke_command(token_id):
    """Revoke an API token by its id (see `legalbase users tokens`)."""
    token = users.revoke_token(token_id, CLI_ACTOR)
    db.commit()
    click.echo(f"Token {token.id} ({token.prefix}...) milik '{token.user.username}' dicabut.")


def _expiry(days: int | None):
    return utcnow() + timedelta(days=days) if days else None


def _moment(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"
