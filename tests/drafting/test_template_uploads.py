"""Uploading a drafting template (admin): checked in full before anything is kept, then used
by the drafts made after it."""

import io
import socket
import time
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from docxtpl import DocxTemplate

from legalbase.core.audit import history
from legalbase.drafting import uploads
from tests.factories import auth, make_user
from tests.security.hostile import (
    SANDBOX_ESCAPES,
    TRAVERSING_ENTRIES,
    rewritten_docx,
    with_xxe,
    xxe_docx,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
NAME = "kepbupwal-pembentukan"
URL = "/api/v1/templates"
MARK = "Disusun dengan templat unggahan versi 2."
FIELDS = {
    "nama_penandatangan": "H. Edison",
    "anggota": [{"jabatan_gt": "Ketua", "jabatan": "Sekretaris Daerah Muara Enim"}],
}
ESCAPES = (
    "{{ cycler.__init__.__globals__.os.getcwd() }}",
    "{{ ''.__class__.__mro__ }}",
    *SANDBOX_ESCAPES,
)
BOMB = "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}"


@pytest.fixture
def instance(app, tmp_path, monkeypatch):
    """An instance folder of the test's own, so uploads do not outlive it."""
    folder = tmp_path / "instance"
    monkeypatch.setattr(app, "instance_path", str(folder))
    return folder


@pytest.fixture
def admin():
    return make_user("admin", None)[1]


def shipped_manifest():
    return yaml.safe_load((TEMPLATES / NAME / "manifest.yaml").read_text(encoding="utf-8"))


def shipped_fields(without=None, **types):
    """The shipped manifest's fields, one left out, some with another type."""
    return [
        {**spec, "type": types.get(spec["name"], spec["type"])}
        for spec in shipped_manifest()["fields"]
        if spec["name"] != without
    ]


def manifest_text(version=2, drop=None, **changes):
    data = shipped_manifest()
    data.update(version=version, **changes)
    data.pop(drop, None)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def template_bytes(paragraph=MARK, header=None):
    """The shipped template with one paragraph added at the end (and to the header)."""
    document = docx.Document(TEMPLATES / NAME / "template.docx")
    if paragraph:
        document.add_paragraph(paragraph)
    if header:
        document.sections[0].header.add_paragraph(header)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(client, token, manifest=None, template=None):
    data = {
        "manifest": manifest_text() if manifest is None else manifest,
        "template": (
            io.BytesIO(template_bytes() if template is None else template),
            "template.docx",
        ),
    }
    headers = auth(token) if token else {}
    return client.post(URL, headers=headers, data=data, content_type="multipart/form-data")


def stored(instance):
    """Everything under <instance>/templates but the uploads' lock file."""
    root = instance / "templates"
    found = root.rglob("*") if root.exists() else []
    return sorted(str(path.relative_to(root)) for path in found if path.name != ".lock")


def document_text(content):
    return "\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(content)).paragraphs)


def refused(response, status=422):
    assert response.status_code == status, response.json
    return response.json["error"]["message"]


# --- a valid upload -----------------------------------------------------------------------


@pytest.mark.slow
def test_an_uploaded_version_is_listed_kept_and_used_by_the_next_draft(client, admin, instance):
    response = upload(client, admin)
    assert response.status_code == 201, response.json
    assert response.json["name"] == NAME and response.json["version"] == 2
    assert response.json["source"] == "unggahan" and response.json["levels"] == [
        "kabupaten",
        "kota",
    ]
    assert response.json["validation"] == "pending"  # as committed; the check runs after
    job = client.get(response.json["validation_job"], headers=auth(admin)).json
    assert job["status"] == "finished", job  # every region rendered (jobs run inline)
    listed = {t["name"]: t for t in client.get(URL).json}
    assert listed[NAME] == {
        key: value
        for key, value in response.json.items()
        if key not in ("validation", "validation_job")
    }
    assert stored(instance) == [
        NAME,
        f"{NAME}/2",
        f"{NAME}/2/manifest.yaml",
        f"{NAME}/2/template.docx",
        f"{NAME}/2/validation.json",
    ]
    [entry] = history("template", NAME)
    assert (entry.action, entry.after["version"]) == ("create", 2)

    region = make_user("region", "16.03")[1]
    draft = client.post(
        "/api/v1/drafts",
        headers=auth(region),
        json={"template": NAME, "region_code": "16.03", "fields": FIELDS},
    )
    assert draft.status_code == 201, draft.json
    assert draft.json["template_version"] == 2
    content = client.get(draft.json["document_url"], headers=auth(region)).data
    text = document_text(content)
    assert MARK in text and "BUPATI MUARA ENIM" in text


@pytest.mark.slow
def test_a_version_must_be_above_every_existing_one(client, admin, instance):
    message = refused(upload(client, admin, manifest_text(version=1)), 409)
    assert "versi 1" in message and stored(instance) == []
    assert upload(client, admin, manifest_text(version=3)).status_code == 201
    for version in (2, 3):
        response = upload(client, admin, manifest_text(version=version))
        assert response.status_code == 409, response.json
        assert response.json["error"]["details"]["newest_version"] == 3
    assert [entry.after["version"] for entry in history("template", NAME)] == [3]
    documented = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/templates"]["post"]
    assert "409" in documented["responses"]


@pytest.mark.slow
def test_the_manifest_may_come_as_a_file_part(client, admin, instance):
    data = {
        "manifest": (io.BytesIO(manifest_text().encode()), "manifest.yaml"),
        "template": (io.BytesIO(template_bytes()), "template.docx"),
    }
    response = client.post(URL, headers=auth(admin), data=data, content_type="multipart/form-data")
    assert response.status_code == 201, response.json


# --- who may upload, and the request ------------------------------------------------------


def test_401_without_a_token_then_403_for_non_admins(client, instance):
    assert upload(client, None).status_code == 401  # no Authorization header at all
    for role, region in (("region", "16.03"), ("ministry", None)):
        token = make_user(role, region)[1]
        assert refused(upload(client, token), 403)
        assert refused(client.post(URL, headers=auth(token), json={}), 403)
    assert stored(instance) == []


def test_415_when_not_multipart_and_422_naming_missing_parts(client, admin, instance):
    assert refused(client.post(URL, headers=auth(admin), json={"manifest": "x"}), 415)
    response = client.post(URL, headers=auth(admin), data={}, content_type="multipart/form-data")
    assert set(response.json["error"]["details"]["fields"]) == {"manifest", "template"}
    assert refused(response)


# --- refused templates --------------------------------------------------------------------


@pytest.mark.parametrize("payload", ESCAPES)
@pytest.mark.parametrize("place", ["paragraph", "header"])
def test_a_template_reaching_outside_the_sandbox_is_refused(
    client, admin, instance, payload, place
):
    content = (
        template_bytes(payload) if place == "paragraph" else template_bytes(None, header=payload)
    )
    message = refused(upload(client, admin, template=content))
    assert "ke luar sandbox" in message
    assert ("header" in message) == (place == "header")
    assert stored(instance) == [] and history("template", NAME) == []


def test_an_attribute_named_to_a_filter_is_refused_before_rendering(client, admin, instance):
    """The static check names it (the render would only say the sandbox refused)."""
    content = template_bytes("{{ diktum|map(attribute='label.__class__')|list }}")
    message = refused(upload(client, admin, template=content))
    assert "atribut '__class__' di isi dokumen" in message


def test_an_escape_the_static_check_misses_is_caught_by_the_sandboxed_render(
    client, admin, instance
):
    content = template_bytes("{{ cycler['__in' ~ 'it__'] }}")
    message = refused(upload(client, admin, template=content))
    assert "ke luar sandbox saat dirender" in message and stored(instance) == []


def test_an_unknown_variable_is_refused_by_name(client, admin, instance):
    content = template_bytes("Kepala dinas: {{ nama_kepala_dinas }} {{ kepala.jabatan }}")
    response = upload(client, admin, template=content)
    assert "nama_kepala_dinas" in refused(response)
    assert response.json["error"]["details"]["unknown_variables"] == ["nama_kepala_dinas"]
    assert stored(instance) == []


def test_a_sample_key_no_draft_provides_is_refused(client, admin, instance):
    """The sample may not widen the contract beyond what legalbase puts in a draft."""
    data = yaml.safe_load(manifest_text())
    data["sample"]["moto_daerah"] = "Serasan Sekundang"
    manifest = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    response = upload(client, admin, manifest, template_bytes("{{ moto_daerah }}"))
    assert "moto_daerah" in refused(response) and stored(instance) == []


def header_part(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return next(name for name in archive.namelist() if name.startswith("word/header"))


@pytest.mark.parametrize("where", ["document", "header"])
def test_a_template_with_an_xml_external_entity_is_refused(client, admin, instance, where):
    content = template_bytes(header="Kop")
    part = "word/document.xml" if where == "document" else header_part(content)
    response = upload(client, admin, template=with_xxe(content, part=part))
    assert "DOCTYPE" in refused(response)
    assert response.json["error"]["details"] == {"entry": part}
    assert stored(instance) == [] and history("template", NAME) == []


@pytest.mark.parametrize("name", TRAVERSING_ENTRIES)
def test_a_template_with_an_entry_leaving_its_folder_is_refused(client, admin, instance, name):
    response = upload(client, admin, template=rewritten_docx(template_bytes(), {name: b"<evil/>"}))
    assert "jalur yang tidak sah" in refused(response)
    assert stored(instance) == []


def test_docxtpl_never_resolves_an_external_entity_nor_fetches_one(tmp_path):
    """Behind the DOCTYPE check: rendering reads no file and opens no connection (checked,
    not assumed)."""
    secret = tmp_path / "rahasia.txt"
    secret.write_text("RAHASIA-NEGARA")
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/xxe"
        for target in (secret.as_uri(), url):
            document = DocxTemplate(io.BytesIO(xxe_docx(target)))
            document.render({"nomor": "1"}, autoescape=True)
            out = io.BytesIO()
            document.save(out)
            text = document_text(out.getvalue())
            assert "PROVINSI SUMATERA SELATAN" in text and "RAHASIA" not in text
        with pytest.raises(TimeoutError):
            listener.accept()


@pytest.mark.parametrize(
    "content",
    [
        b"bukan dokumen Word",
        template_bytes()[:5000],
        b"PK\x03\x04" + b"\x00" * 100,
    ],
    ids=["text", "truncated", "zip-header-only"],
)
def test_a_broken_docx_is_refused(client, admin, instance, content):
    assert refused(upload(client, admin, template=content))
    assert stored(instance) == []


def test_a_zip_with_broken_word_xml_is_refused(client, admin, instance):
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template_bytes())) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for entry in source.infolist():
            data = source.read(entry)
            target.writestr(
                entry, b"<w:document" if entry.filename == "word/document.xml" else data
            )
    assert "dokumen Word" in refused(upload(client, admin, template=out.getvalue()))


def test_a_jinja_syntax_error_is_refused(client, admin, instance):
    assert "Sintaks Jinja" in refused(upload(client, admin, template=template_bytes("{{ nomor ")))


@pytest.mark.parametrize("key", ["levels", "fields", "name", "version"])
def test_a_manifest_missing_a_key_is_refused(client, admin, instance, key):
    response = upload(client, admin, manifest_text(drop=key))
    assert key in refused(response)
    assert response.json["error"]["details"]["fields"]["manifest"]
    assert stored(instance) == []


@pytest.mark.parametrize(
    "changes, named",
    [
        ({"name": "../../etc"}, "name"),
        ({"levels": ["desa"]}, "levels"),
        ({"forms": "kepbup"}, "forms"),
        (
            {"fields": [{"name": "nomor", "label": "Nomor", "type": "angka", "required": False}]},
            "fields[1]",
        ),
        ({"sample": {}}, "sample"),
        (
            {"fields": shipped_fields(without="nama_penandatangan")},
            "fields: isian nama_penandatangan wajib",
        ),
        (
            {
                "fields": [
                    *shipped_fields(),
                    {"name": "moto", "label": "Moto", "type": "string", "required": False},
                ]
            },
            "fields[8]: moto (string)",
        ),
        (
            {"fields": shipped_fields(tanggal_penetapan="string")},
            "fields[2]: tanggal_penetapan (string)",
        ),
    ],
)
def test_a_manifest_breaking_the_upload_rules_is_refused(client, admin, instance, changes, named):
    response = upload(client, admin, manifest_text(**changes))
    assert any(
        problem.startswith(named)
        for problem in response.json["error"]["details"]["fields"]["manifest"]
    ), response.json
    assert refused(response) and stored(instance) == []


def test_a_manifest_that_is_not_yaml_or_uses_aliases_is_refused(client, admin, instance):
    assert refused(upload(client, admin, "name: [tidak ditutup"))
    aliased = "a: &x [1, 2]\nb: *x\n" + manifest_text()
    assert "alias" in refused(upload(client, admin, aliased))


def test_a_render_bomb_is_stopped_within_the_time_limit(client, admin, instance, monkeypatch):
    monkeypatch.setattr(uploads, "SMOKE_TIMEOUT_SECONDS", 3.0)
    started = time.perf_counter()
    message = refused(upload(client, admin, template=template_bytes(BOMB)))
    elapsed = time.perf_counter() - started
    assert "batas waktu 3 detik" in message or "batas memori" in message, message
    assert elapsed < 3.0 + 10, elapsed  # the limit, plus starting the worker's interpreter
    assert stored(instance) == []


@pytest.mark.parametrize(
    "bomb",
    [
        "{{ 'x' * 10**9 }}",
        "{% set ns = namespace(v='x' * 999999) %}{% for i in range(12) %}"
        "{% set ns.v = ns.v ~ ns.v %}{% endfor %}{{ ns.v }}",
        "{{ range(1000)|join('x' * 999999) }}",
    ],
)
def test_a_huge_string_is_refused_before_it_is_built(client, admin, instance, bomb):
    message = refused(upload(client, admin, template=template_bytes(bomb)))
    assert "terlalu panjang" in message, message


def test_a_template_breaking_for_one_region_is_refused_by_the_check_of_every_region(
    client, admin, instance
):
    """Kabupaten Ogan Komering Ulu is no sample region: only the check of every region sees it."""
    trap = "{% if kepala.jabatan == 'BUPATI OGAN KOMERING ULU' %}{{ 1 // 0 }}{% endif %}"
    response = upload(client, admin, template=template_bytes(paragraph=trap))
    assert response.status_code == 201, response.json
    assert response.json["validation"] == "pending"  # as committed; the check runs after
    job = client.get(response.json["validation_job"], headers=auth(admin)).json
    assert job["status"] == "failed" and "ZeroDivisionError" in job["error"]
    listed = {t["name"]: t for t in client.get(URL).json}
    assert listed[NAME]["version"] == 1  # the refused version is never used
    again = upload(client, admin)  # the refused number stays taken
    assert again.status_code == 409


@pytest.mark.parametrize("manifest", ["per_page", "- a\n- b", "12"])
def test_a_manifest_that_is_not_a_mapping_is_refused_with_the_reason(
    client, admin, instance, manifest
):
    response = upload(client, admin, manifest)
    assert refused(response) and "pemetaan YAML" in response.json["error"]["message"]
    assert stored(instance) == []
