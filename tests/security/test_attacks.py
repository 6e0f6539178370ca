"""Known attacks against a real served instance, over HTTP: each is refused with a 4xx in the
one error shape, stores nothing, and the server answers its health check promptly after."""

import http.client
import json
import threading
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from legalbase.corpus.files import READ_SECONDS
from tests.corpus.documents import decree_docx, decree_pdf, zip_bomb
from tests.databases import new_database
from tests.drafting.test_template_uploads import manifest_text, template_bytes
from tests.factories import assert_error_shape
from tests.security.hostile import (
    SANDBOX_ESCAPES,
    endless_pdf,
    rewritten_docx,
    with_xxe,
    xxe_docx,
)
from tests.served import served

pytestmark = pytest.mark.served

MAX_UPLOAD_BYTES = 1024 * 1024
USERS = (("admin", "admin", None), ("muaraenim", "region", "16.03"))
PROMPT_SECONDS = 3.0
REGULATIONS = "/api/v1/regulations"
TEMPLATES = "/api/v1/templates"


@dataclass
class Reply:
    """An HTTP answer, shaped enough like a Flask response for assert_error_shape."""

    status_code: int
    headers: dict
    data: bytes

    @property
    def mimetype(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip()

    def get_json(self):
        return json.loads(self.data)

    @property
    def json(self):
        return self.get_json()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A served instance on the database the suite runs on, with MAX_UPLOAD_BYTES of 1 MiB."""
    folder = tmp_path_factory.mktemp("attacked")
    (folder / "db").mkdir()
    with (
        new_database(folder / "db") as url,
        served(
            folder / "instance",
            USERS,
            database_url=url,
            settings={"LEGALBASE_MAX_UPLOAD_BYTES": str(MAX_UPLOAD_BYTES)},
        ) as live,
    ):
        yield live


def request(
    site,
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict | None = None,
    timeout: float = 60,
) -> Reply:
    address = urlsplit(site.base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=timeout)
    try:
        headers = headers or {}
        connection.request(
            method,
            path,
            body=body or None,
            headers=headers,
            encode_chunked="Transfer-Encoding" in headers,
        )
        answer = connection.getresponse()
        return Reply(answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read())
    finally:
        connection.close()


def multipart(parts: dict) -> tuple[bytes, str]:
    """A multipart/form-data body: a value is text, or (file name, bytes) for a file part."""
    boundary = uuid.uuid4().hex
    chunks = []
    for name, value in parts.items():
        if isinstance(value, tuple):
            filename, content = value
            head = (
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream"
            )
        else:
            head, content = f'Content-Disposition: form-data; name="{name}"', value.encode()
        chunks.append(f"--{boundary}\r\n{head}\r\n\r\n".encode() + content + b"\r\n")
    body = b"".join(chunks) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def post_parts(site, path: str, token: str, parts: dict, timeout: float = 60) -> Reply:
    body, content_type = multipart(parts)
    return request(
        site,
        "POST",
        path,
        body,
        {"Authorization": f"Bearer {token}", "Content-Type": content_type},
        timeout,
    )


def upload_regulation(site, content: bytes, name: str = "sk.docx", timeout: float = 60):
    return post_parts(
        site,
        REGULATIONS,
        site.tokens["muaraenim"],
        {"metadata": json.dumps({"region_code": "16.03"}), "file": (name, content)},
        timeout,
    )


def upload_template(site, content: bytes):
    return post_parts(
        site,
        TEMPLATES,
        site.tokens["admin"],
        {"manifest": manifest_text(), "template": ("template.docx", content)},
    )


def stored(site) -> tuple:
    """The regulations (as the admin sees them) and every file kept in the instance."""
    listed = request(
        site,
        "GET",
        f"{REGULATIONS}?per_page=1",
        headers={"Authorization": f"Bearer {site.tokens['admin']}"},
    )
    assert listed.status_code == 200, listed.data
    kept = sorted(
        str(path.relative_to(site.instance))
        for folder in ("files", "templates")
        for path in (site.instance / folder).rglob("*")
        if path.is_file() and path.name != ".lock"
    )
    return listed.json["total"], kept


def staged(site) -> set[str]:
    folder = site.instance / "staging"
    return {path.name for path in folder.iterdir()} if folder.exists() else set()


def assert_answers(site) -> None:
    """The server still answers its health check, promptly."""
    started = time.perf_counter()
    reply = request(site, "GET", "/api/v1/health", timeout=PROMPT_SECONDS)
    assert reply.status_code == 200 and reply.json["status"] == "ok", reply.data
    assert time.perf_counter() - started < PROMPT_SECONDS


def assert_refused(site, reply: Reply, status: int, code: str, before: tuple) -> str:
    """A 4xx in the one error shape, nothing stored, and the server still answering; the
    message."""
    assert reply.status_code == status, reply.data
    assert_error_shape(reply)
    assert reply.json["error"]["code"] == code, reply.json
    assert_answers(site)
    assert stored(site) == before
    return reply.json["error"]["message"]


# --- the attacks --------------------------------------------------------------------------


@pytest.mark.parametrize("payload", SANDBOX_ESCAPES)
def test_a_template_escaping_the_jinja_sandbox_is_refused(site, payload):
    before = stored(site)
    message = assert_refused(
        site, upload_template(site, template_bytes(payload)), 422, "invalid", before
    )
    assert "ke luar sandbox" in message


@pytest.mark.parametrize("target", ["regulation", "template"])
def test_a_zip_bomb_is_refused(site, target):
    before = stored(site)
    reply = (
        upload_regulation(site, zip_bomb())
        if target == "regulation"
        else upload_template(site, zip_bomb())
    )
    assert "bom zip" in assert_refused(site, reply, 422, "invalid", before)


@pytest.mark.parametrize("target", ["regulation", "template"])
def test_a_docx_with_an_xml_external_entity_is_refused(site, target):
    before = stored(site)
    reply = (
        upload_regulation(site, xxe_docx())
        if target == "regulation"
        else upload_template(site, with_xxe(template_bytes()))
    )
    message = assert_refused(site, reply, 422, "invalid", before)
    assert "DOCTYPE" in message and "root:" not in reply.data.decode()


def upload_endless_pdf_meanwhile(site) -> tuple[threading.Thread, dict]:
    """The never-ending PDF uploaded from a thread, started; its reply lands in the dict."""
    replies = {}
    hostile = threading.Thread(
        target=lambda: replies.update(hostile=upload_regulation(site, endless_pdf(), "sk.pdf"))
    )
    hostile.start()
    time.sleep(0.5)
    return hostile, replies


def test_a_pdf_that_never_ends_is_stopped_and_the_server_keeps_answering(site):
    """The hostile PDF runs out of its time (about READ_SECONDS for a small file); meanwhile
    the server answers as usual."""
    before = stored(site)
    started = time.perf_counter()
    hostile, replies = upload_endless_pdf_meanwhile(site)
    while hostile.is_alive():
        assert_answers(site)
        regions = request(site, "GET", "/api/v1/regions/16.03", timeout=PROMPT_SECONDS)
        assert regions.status_code == 200
        time.sleep(0.5)
    elapsed = time.perf_counter() - started
    message = assert_refused(site, replies["hostile"], 422, "invalid", before)
    assert "batas waktu" in message
    assert replies["hostile"].json["error"]["details"]["limit"] == "time"
    assert elapsed < READ_SECONDS + 15, elapsed  # its limit, plus starting a worker


def test_another_upload_is_read_while_a_hostile_pdf_runs(site):
    staged_before = staged(site)
    hostile, _replies = upload_endless_pdf_meanwhile(site)
    extraction = post_parts(
        site,
        f"{REGULATIONS}/extract",
        site.tokens["muaraenim"],
        {"file": ("sk.pdf", decree_pdf("801"))},
    )
    read_meanwhile = hostile.is_alive()
    hostile.join()
    assert extraction.status_code == 200, extraction.data
    assert staged(site) - staged_before == {extraction.json["handle"]}
    assert read_meanwhile  # it did not wait for the hostile one to be stopped


@pytest.mark.parametrize("path", [REGULATIONS, TEMPLATES])
def test_an_oversized_body_is_refused_before_it_is_read(site, path):
    """Content-Length over the limit: 413 although only a few bytes of the body were sent."""
    before = stored(site)
    address = urlsplit(site.base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=PROMPT_SECONDS)
    try:
        connection.putrequest("POST", path)
        connection.putheader("Authorization", f"Bearer {site.tokens['admin']}")
        connection.putheader("Content-Type", "multipart/form-data; boundary=batas")
        connection.putheader("Content-Length", str(4 * MAX_UPLOAD_BYTES))
        connection.endheaders(b"--batas\r\n")
        answer = connection.getresponse()  # times out if the server waits for the body
        reply = Reply(answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read())
    finally:
        connection.close()
    assert_refused(site, reply, 413, "payload_too_large", before)


def test_an_oversized_chunked_body_is_refused(site):
    """No Content-Length to judge by: the server stops reading at the limit."""
    before = stored(site)
    content = b"%PDF-1.7\n" + b"0" * 2 * MAX_UPLOAD_BYTES
    body, content_type = multipart({"file": ("sk.pdf", content)})
    reply = request(
        site,
        "POST",
        REGULATIONS,
        iter([body]),
        {
            "Authorization": f"Bearer {site.tokens['muaraenim']}",
            "Content-Type": content_type,
            "Transfer-Encoding": "chunked",
        },
    )
    assert_refused(site, reply, 413, "payload_too_large", before)


@pytest.mark.parametrize("target", ["regulation", "template"])
@pytest.mark.parametrize("name", ["../../evil.xml", "/abs.xml", "..\\..\\evil.xml"])
def test_a_docx_with_an_entry_leaving_its_folder_is_refused(site, target, name):
    before = stored(site)
    if target == "regulation":
        reply = upload_regulation(site, rewritten_docx(decree_docx("811"), {name: b"<x/>"}))
    else:
        reply = upload_template(site, rewritten_docx(template_bytes(), {name: b"<x/>"}))
    assert "jalur yang tidak sah" in assert_refused(site, reply, 422, "invalid", before)


def test_a_client_file_name_leaving_its_folder_is_never_used(site):
    """The name `../../../etc/passwd` is ignored: the file is kept under its sha256 only and
    downloads under a name made from its metadata."""
    outside = site.instance.parent
    before = {path for path in outside.rglob("*") if path.is_file()}
    content = decree_docx("812")
    reply = upload_regulation(site, content, name="../../../etc/passwd")
    assert reply.status_code == 201, reply.data
    assert_answers(site)
    sha = reply.json["file"]["sha256"]
    new = {path for path in outside.rglob("*") if path.is_file()} - before
    kept = {path for path in new if path.is_relative_to(site.instance / "files")}
    assert kept == {site.instance / "files" / sha[:2] / sha}
    assert all(path.is_relative_to(site.instance) for path in new), new
    assert not any("passwd" in str(path) for path in new)
    download = request(site, "GET", urlsplit(reply.json["file"]["url"]).path)
    disposition = download.headers["content-disposition"]
    assert download.status_code == 200 and download.data == content
    assert "kepbup-188-45-812-KPTS-2025-2025.docx" in disposition
    assert "passwd" not in disposition and "passwd" not in reply.data.decode()
