"""Retiring a template version (admin): new drafts no longer use it and the API no longer lists
it, drafts made with it keep it; a template is never left without a usable version."""

import json

import pytest

from legalbase.core.audit import history
from legalbase.core.errors import Conflict, NotFound
from legalbase.drafting.catalog import get_template, list_templates, uploaded_root
from legalbase.drafting.drafts import create_draft
from legalbase.drafting.uploads import retire_template_version
from tests.drafting.test_template_uploads import (
    FIELDS,
    MARK,
    NAME,
    document_text,
    manifest_text,
    template_bytes,
)
from tests.factories import TEST_ACTOR, auth, make_user


@pytest.fixture
def instance(app, tmp_path, monkeypatch):
    """An instance folder of the test's own, so kept versions and markers do not outlive it."""
    folder = tmp_path / "instance"
    monkeypatch.setattr(app, "instance_path", str(folder))
    return folder


def keep_version(version: int, status: str = "ready", reason: str | None = None) -> None:
    """Keep an uploaded version of the shipped template (with MARK added) as its check left it."""
    folder = uploaded_root() / NAME / str(version)
    folder.mkdir(parents=True)
    (folder / "manifest.yaml").write_text(manifest_text(version=version), encoding="utf-8")
    (folder / "template.docx").write_bytes(template_bytes())
    marker = {"status": status, "reason": reason}
    (folder / "validation.json").write_text(json.dumps(marker), encoding="utf-8")


def listed_version(client) -> int:
    return {t["name"]: t for t in client.get("/api/v1/templates").json}[NAME]["version"]


def test_a_retired_version_is_neither_chosen_nor_listed_and_its_drafts_keep_it(client, instance):
    keep_version(2)
    region = make_user("region", "16.03")[1]
    made = client.post(
        "/api/v1/drafts",
        headers=auth(region),
        json={"template": NAME, "region_code": "16.03", "fields": FIELDS},
    ).json
    assert made["template_version"] == 2 and listed_version(client) == 2

    retired = retire_template_version(NAME, 2, TEST_ACTOR)

    assert retired.retired["by"] == "tests" and not retired.usable
    assert listed_version(client) == 1 and get_template(NAME).version == 1
    assert create_draft(NAME, "16.03", FIELDS, {}, TEST_ACTOR).template_version == 1
    kept = client.get(f"/api/v1/drafts/{made['id']}", headers=auth(region)).json
    assert kept["template_version"] == 2
    document = client.get(made["document_url"], headers=auth(region))
    assert document.status_code == 200 and MARK in document_text(document.data)
    assert get_template(NAME, 2).version == 2  # still found for the drafts made with it
    [entry] = history("template", NAME)
    assert (entry.action, entry.actor_label, entry.after) == (
        "retire",
        "tests",
        {"version": 2, "retired": True},
    )


def test_the_shipped_version_may_be_retired_once_an_upload_is_usable(instance):
    keep_version(2)
    retire_template_version(NAME, 1, TEST_ACTOR)
    assert [t.version for t in list_templates() if t.name == NAME] == [2]
    with pytest.raises(Conflict, match="versi terakhir yang dapat dipakai"):
        retire_template_version(NAME, 2, TEST_ACTOR)
    assert get_template(NAME).version == 2


def test_a_shipped_templates_only_version_is_not_retired(instance):
    with pytest.raises(Conflict, match="Templat bawaan 'kepbupwal-pembentukan' versi 1") as raised:
        retire_template_version(NAME, 1, TEST_ACTOR)
    assert "satu-satunya versi yang dapat dipakai" in raised.value.message
    assert get_template(NAME).version == 1 and history("template", NAME) == []
    assert not (uploaded_root() / NAME / "1").exists()


def test_a_version_still_being_checked_does_not_count_as_usable(instance):
    keep_version(2, "pending")
    with pytest.raises(Conflict, match="satu-satunya"):
        retire_template_version(NAME, 1, TEST_ACTOR)
    retire_template_version(NAME, 2, TEST_ACTOR)  # stopped before its check passes
    (uploaded_root() / NAME / "2" / "validation.json").write_text('{"status": "ready"}')
    assert get_template(NAME).version == 1


@pytest.mark.parametrize(
    "setup, version, error, words",
    [
        (lambda: None, 7, NotFound, "versi 7 tidak ditemukan"),
        (lambda: keep_version(2, "refused", "Render gagal."), 2, Conflict, "ditolak pemeriksaan"),
        (
            lambda: (keep_version(2), retire_template_version(NAME, 2, TEST_ACTOR)),
            2,
            Conflict,
            "sudah dipensiunkan",
        ),
    ],
    ids=["unknown", "refused", "retired"],
)
def test_what_cannot_be_retired_says_why(instance, setup, version, error, words):
    setup()
    before = len(history("template", NAME))
    with pytest.raises(error, match=words):
        retire_template_version(NAME, version, TEST_ACTOR)
    assert len(history("template", NAME)) == before
