"""A real legalbase served by `legalbase serve` in a subprocess: a fresh instance folder, a free
loopback port, and users created through the command line (each with its API token)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent / "legalbase"


@dataclass
class Served:
    base: str  # http://127.0.0.1:PORT
    instance: Path
    tokens: dict  # username: API token
    log: Path  # the server's standard error
    pid: int = 0  # the `legalbase serve` process (gunicorn's master with WORKERS > 1)
    env: dict | None = None  # the environment its command line runs with (see `cli`)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cli(env: dict, *args, stdin: str | None = None) -> str:
    """Run the legalbase command line with `env`; its standard output."""
    return subprocess.run(
        [BIN, *args], env=env, input=stdin, capture_output=True, text=True, check=True
    ).stdout


@contextmanager
def served(
    instance: Path,
    users,
    password: str | None = None,
    database_url: str | None = None,
    settings: dict | None = None,
):
    """Set up an instance (SQLite in it unless `database_url`), create `users` ((username,
    role, region or None) each, with `password` if given), and serve it until the block ends.
    `settings` are extra LEGALBASE_* variables."""
    port = free_port()
    env = {
        **os.environ,
        "LEGALBASE_INSTANCE_DIR": str(instance),
        "LEGALBASE_PORT": str(port),
        **(settings or {}),
    }
    env.pop("LEGALBASE_DATABASE_URL", None)
    if database_url:
        env["LEGALBASE_DATABASE_URL"] = database_url
    cli(env, "setup")
    tokens = {
        username: _create_user(env, username, role, region, password)
        for username, role, region in users
    }
    log = instance / "server.log"
    with open(log, "wb") as stderr:
        server = subprocess.Popen([BIN, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/api/v1/health")
        yield Served(base, instance, tokens, log, server.pid, env)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _create_user(env, username, role, region, password) -> str:
    args = ["users", "create", "--name", username, "--role", role, "--username", username]
    args += ["--region", region] if region else []
    args += ["--password-stdin"] if password else []
    output = cli(env, *args, stdin=password + "\n" if password else None)
    return output.strip().splitlines()[-1]


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
