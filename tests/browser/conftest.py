"""A running legalbase (its own instance, the embedded SQLite) and Debian's Chromium driven by
Playwright. Screenshots of every page go to LEGALBASE_SCREENSHOTS (default
/tmp/legalbase-screenshots), named in the test log."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "legalbase"
CHROMIUM = shutil.which("chromium")
SHOTS = Path(os.environ.get("LEGALBASE_SCREENSHOTS", "/tmp/legalbase-screenshots"))
PASSWORD = "kata-sandi-uji-123"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - installed by `make test` through the test extra
    sync_playwright = None

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or sync_playwright is None,
    reason="Chromium (Debian package chromium) or playwright is missing; `make test` and "
           ".ci/run install both")


def pytest_terminal_summary(terminalreporter):
    if SHOTS.exists():
        terminalreporter.write_line(f"browser screenshots: {SHOTS}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cli(env, *args, stdin=None) -> str:
    return subprocess.run([BIN, *args], env=env, input=stdin, capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The base URL of a served instance with a user per role, and their API tokens."""
    if CHROMIUM is None or sync_playwright is None:
        pytest.skip("Chromium or playwright is missing")
    folder = tmp_path_factory.mktemp("live")
    port = _free_port()
    env = {**os.environ, "LEGALBASE_INSTANCE_DIR": str(folder), "LEGALBASE_PORT": str(port)}
    env.pop("LEGALBASE_DATABASE_URL", None)
    _cli(env, "setup")
    tokens = {}
    for username, role, region in (("muaraenim", "region", "16.03"),
                                   ("palembang", "region", "16.71"),
                                   ("kementerian", "ministry", None)):
        args = ["users", "create", "--name", username, "--role", role, "--username", username,
                "--password-stdin"] + (["--region", region] if region else [])
        tokens[username] = _cli(env, *args, stdin=PASSWORD + "\n").strip().splitlines()[-1]
    server = subprocess.Popen([BIN, "serve"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    _wait(f"{base}/api/v1/health")
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield {"base": base, "tokens": tokens}
    server.terminate()
    server.wait(timeout=10)


def _wait(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID",
                                  accept_downloads=True, base_url=site["base"])
    yield context.new_page()
    context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
