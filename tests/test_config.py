import os
import stat

import pytest

from legalbase.core.config import SETTINGS, ensure_secret_key, load_settings


def test_every_setting_has_a_help_line():
    for setting in SETTINGS:
        assert setting.help.strip(), setting.name


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.delenv("LEGALBASE_DATABASE_URL", raising=False)
    monkeypatch.setenv("LEGALBASE_PORT", "5099")
    monkeypatch.setenv("LEGALBASE_INSTANCE_DIR", str(tmp_path))
    settings = load_settings()
    assert settings["PORT"] == 5099
    assert settings["INSTANCE_DIR"] == str(tmp_path)
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path / 'legalbase.sqlite'}"


def test_a_setting_of_the_wrong_type_says_which(monkeypatch):
    monkeypatch.setenv("LEGALBASE_PORT", "lima ribu")
    with pytest.raises(SystemExit, match="LEGALBASE_PORT"):
        load_settings()


def test_a_setting_outside_its_choices_says_which_are_allowed(monkeypatch):
    monkeypatch.setenv("LEGALBASE_JOBS_MODE", "nanti")
    with pytest.raises(SystemExit, match="background, inline, queued"):
        load_settings()


def test_secret_key_is_generated_once_private_and_reused(tmp_path):
    key = ensure_secret_key(tmp_path)
    assert len(key) == 64
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600
    assert ensure_secret_key(tmp_path) == key
