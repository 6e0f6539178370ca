"""The README stays true to the code: every setting, every command and every option of a
command is named in it."""

import re
from pathlib import Path

import click
import pytest

from legalbase.core.config import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
FLASK_OWN = {"run", "shell", "routes", "openapi"}  # Flask's and flask-smorest's own commands


def settings_table() -> str:
    return README.split("## Settings", 1)[1].split("\n## ", 1)[0]


def command_line_section() -> str:
    return README.split("## Command line", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.name)
def test_every_setting_is_in_the_settings_table(setting):
    assert f"`{setting.name}`" in settings_table()


def documented_commands(app) -> list[tuple[str, click.Command]]:
    """Every `legalbase ...` command of the app, with its path (`corpus import-folder`)."""
    found = []

    def walk(group: click.Group, prefix: str) -> None:
        for name, command in group.commands.items():
            if not prefix and name in FLASK_OWN:
                continue
            path = f"{prefix}{name}"
            if isinstance(command, click.Group):
                walk(command, f"{path} ")
            else:
                found.append((path, command))

    walk(app.cli, "")
    return found


def test_every_command_and_option_is_in_the_command_line_section(app):
    section = command_line_section()
    missing = []
    for path, command in documented_commands(app):
        if not re.search(rf"legalbase {re.escape(path)}\b", section):
            missing.append(path)
        for option in (p for p in command.params if isinstance(p, click.Option)):
            if not any(re.search(rf"{re.escape(name)}\b", section) for name in option.opts):
                missing.append(f"{path} {option.opts[0]}")
    assert not missing, f"the README does not name: {missing}"
