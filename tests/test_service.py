"""The two commands' machinery, end to end: `legalbase setup` twice, then `legalbase serve`."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "legalbase"


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    """A fresh instance folder on the embedded default (SQLite), set up twice."""
    folder = tmp_path_factory.mktemp("instance")
    env = {**os.environ, "LEGALBASE_INSTANCE_DIR": str(folder)}
    env.pop("LEGALBASE_DATABASE_URL", None)
    runs = [
        subprocess.run([BIN, "setup"], env=env, capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    return folder, env, runs


def test_setup_creates_the_instance_and_seeds_it(instance):
    folder, _, runs = instance
    assert (folder / "legalbase.sqlite").exists() and (folder / "secret_key").exists()
    assert "wilayah: 552 dibuat" in runs[0].stdout


def test_a_second_setup_adds_nothing(instance):
    second = instance[2][1].stdout
    assert "wilayah: 0 dibuat, 0 diperbarui, 552 tetap" in second
    assert "peraturan: 0 dibuat, 0 diperbarui, 35 tetap" in second
    assert "relasi: 0 dibuat, 0 diperbarui, 18 tetap" in second


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def wait_for(url: str, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return get_json(url)
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.mark.served
def test_serve_answers_on_the_configured_port(instance):
    _, env, _ = instance
    port = free_port()
    server = subprocess.Popen(
        [BIN, "serve"],
        env={**env, "LEGALBASE_PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        assert wait_for(f"{base}/health") == (
            200,
            {"status": "ok", "database": "sqlite", "version": "0.1.0"},
        )
        assert get_json(f"{base}/regions?level=provinsi")[1]["total"] == 38
        status, body = get_json(f"{base}/regions/99.99")
        assert status == 404 and body["error"]["code"] == "not_found"
    finally:
        server.terminate()
        server.communicate(timeout=10)
