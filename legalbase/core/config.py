"""Every setting of legalbase in one place, each with a help line and a LEGALBASE_* override.

Order of precedence: the defaults below, then the environment (`LEGALBASE_<NAME>`), then the
mapping given to `create_app(config=...)`.
"""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    kind: type = str
    choices: tuple = ()


SETTINGS = (
    Setting(
        "INSTANCE_DIR",
        str(REPO_ROOT / "instance"),
        "Folder holding the embedded database, stored files, search index and secret key.",
    ),
    Setting(
        "DATABASE_URL",
        None,
        "SQLAlchemy database URL; default SQLite in the instance folder. "
        "PostgreSQL: postgresql+psycopg://user@host:5432/name.",
    ),
    Setting(
        "CORPUS_DIR",
        str(REPO_ROOT / "corpus"),
        "Seed corpus folder: regions, national regulations and their relations.",
    ),
    Setting(
        "TEMPLATES_DIR",
        str(REPO_ROOT / "templates"),
        "Folder of DOCX drafting templates, each with its manifest.",
    ),
    Setting(
        "MAX_UPLOAD_BYTES",
        20 * 1024 * 1024,
        "Largest request body accepted, in bytes (uploads included).",
        int,
    ),
    Setting(
        "SECRET_KEY",
        None,
        "Key signing sessions; generated into the instance folder when not given.",
    ),
    Setting("HOST", "127.0.0.1", "Address the server listens on."),
    Setting("PORT", 5000, "Port the server listens on.", int),
    Setting("WORKERS", 1, "Worker processes of `legalbase serve`; more than 1 runs gunicorn.", int),
    Setting("THREADS", 4, "Threads per gunicorn worker process.", int),
    Setting(
        "OCR_MODE",
        "background",
        "When scans are read by OCR (where Tesseract is installed): background, inline, off.",
        choices=("background", "inline", "off"),
    ),
    Setting(
        "JOBS_MODE",
        "background",
        "How long work (batch drafting) runs: background (a thread), inline, or queued "
        "(left for `legalbase drafts run-jobs`).",
        choices=("background", "inline", "queued"),
    ),
    Setting(
        "LOGIN_ATTEMPTS_PER_ACCOUNT",
        5,
        "Failed sign-ins one account may have within LOGIN_WINDOW_SECONDS.",
        int,
    ),
    Setting(
        "LOGIN_ATTEMPTS_PER_ADDRESS",
        20,
        "Failed sign-ins one client address may have within LOGIN_WINDOW_SECONDS.",
        int,
    ),
    Setting("LOGIN_WINDOW_SECONDS", 900, "Window over which failed sign-ins are counted.", int),
    Setting(
        "PROXY_COUNT",
        0,
        "Reverse proxies in front of the service whose X-Forwarded-* headers are trusted "
        "(client address, HTTPS).",
        int,
    ),
    Setting(
        "SESSION_COOKIE_SECURE",
        "auto",
        "Mark the session cookie Secure: auto (when the request came over HTTPS), on, off.",
        choices=("auto", "on", "off"),
    ),
    Setting(
        "CORS_ORIGINS",
        "",
        "Origins (comma-separated) whose pages may call the API from a browser; none by default.",
    ),
    Setting(
        "JOB_LEASE_SECONDS",
        600,
        "How long a running job may go without recording progress before it is taken as "
        "stopped (its worker killed) and queued again.",
        int,
    ),
    Setting(
        "SEARCH_BACKEND",
        "whoosh",
        "Full-text search: whoosh (an index folder of this machine) or postgresql (in the "
        "PostgreSQL database, shared by every machine).",
        choices=("whoosh", "postgresql"),
    ),
    Setting("PER_PAGE_MAX", 1000, "Largest page size a list endpoint accepts.", int),
)


def load_settings(overrides: dict | None = None) -> dict:
    """Resolve every setting from defaults, environment and explicit overrides."""
    values = {}
    for setting in SETTINGS:
        raw = os.environ.get(f"LEGALBASE_{setting.name}", setting.default)
        values[setting.name] = _coerce(setting, raw)
    values.update(overrides or {})
    instance_dir = Path(values["INSTANCE_DIR"]).resolve()
    values["INSTANCE_DIR"] = str(instance_dir)
    if not values["DATABASE_URL"]:
        values["DATABASE_URL"] = f"sqlite:///{instance_dir / 'legalbase.sqlite'}"
    return values


def _coerce(setting: Setting, raw):
    if setting.choices and raw not in setting.choices:
        raise SystemExit(
            f"LEGALBASE_{setting.name} harus salah satu dari {', '.join(setting.choices)}: {raw!r}"
        )
    if raw is None or setting.kind is str:
        return raw
    try:
        return setting.kind(raw)
    except ValueError as exc:
        raise SystemExit(
            f"LEGALBASE_{setting.name} harus berupa {setting.kind.__name__}: {raw!r}"
        ) from exc


def ensure_secret_key(instance_dir: Path) -> str:
    """Read the instance's secret key, generating it (mode 0600) on first use."""
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
