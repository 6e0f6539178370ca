"""A running legalbase (its own instance, the embedded SQLite) and Debian's Chromium driven by
Playwright. Screenshots of every page go to LEGALBASE_SCREENSHOTS (default
/tmp/legalbase-screenshots), named in the test log."""

import os
import shutil
from pathlib import Path

import pytest

from tests.served import served

CHROMIUM = shutil.which("chromium")
SHOTS = Path(os.environ.get("LEGALBASE_SCREENSHOTS", "/tmp/legalbase-screenshots"))
PASSWORD = "kata-sandi-uji-123"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - installed by `make test` through the test extra
    sync_playwright = None


def pytest_terminal_summary(terminalreporter):
    """Name every screenshot in the log, so a CI run says which pages it kept and where."""
    if not SHOTS.exists():
        return
    terminalreporter.write_line(f"browser screenshots: {SHOTS}")
    for picture in sorted(SHOTS.glob("*.png")):
        terminalreporter.write_line(f"  {picture.name} ({picture.stat().st_size:,} bytes)")


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The base URL of a served instance with a user per role, and their API tokens."""
    if CHROMIUM is None or sync_playwright is None:
        pytest.skip(
            "Chromium (Debian package chromium) or playwright is missing; `make test` "
            "and .ci/run install both"
        )
    users = (
        ("muaraenim", "region", "16.03"),
        ("palembang", "region", "16.71"),
        ("oganilir", "region", "16.10"),  # journey (b): test_monitoring_journey.py only
        ("empatlawang", "region", "16.11"),  # journey (a): test_journeys.py only
        ("kementerian", "ministry", None),
        ("admin", "admin", None),
    )
    with served(tmp_path_factory.mktemp("live"), users, password=PASSWORD) as live:
        SHOTS.mkdir(parents=True, exist_ok=True)
        yield {"base": live.base, "tokens": live.tokens}


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, site):
    """A page that fails its test when the browser reports a Content-Security-Policy breach
    (an inline script or style the pages must not use)."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 768},
        locale="id-ID",
        accept_downloads=True,
        base_url=site["base"],
    )
    page = context.new_page()
    breaches = []
    page.on(
        "console",
        lambda message: (
            breaches.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert breaches == [], breaches


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
