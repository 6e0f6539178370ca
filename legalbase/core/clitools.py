"""Helpers shared by the command-line doors of every room."""

import json
from functools import wraps

import click

from . import db
from .errors import DomainError


def domain_errors_exit(command):
    """Turn a domain error into a readable message and exit status 1, after a rollback."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DomainError as exc:
            db.session.rollback()
            click.echo(f"Galat: {exc.message}", err=True)
            if exc.details:
                click.echo(json.dumps(exc.details, ensure_ascii=False, indent=2), err=True)
            raise SystemExit(1) from None

    return wrapper
