"""Serving legalbase: Werkzeug's development server in one process, or gunicorn with several
worker processes (each builds its own app, so each has its own database connections)."""

import logging
import threading

from flask import Flask
from gunicorn.app.base import BaseApplication
from werkzeug.serving import run_simple

from ..core import db

log = logging.getLogger(__name__)
POLL_SECONDS = 5.0


class GunicornServer(BaseApplication):
    """gunicorn run from `legalbase serve --workers N`, with the app built in each worker."""

    def __init__(self, options: dict, config: dict | None = None):
        self.options, self.app_config = options, config
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        from .. import create_app

        return start_background_work(create_app(self.app_config))


def start_background_work(app: Flask) -> Flask:
    """Give a serving process its background thread (see `BackgroundWork`)."""
    BackgroundWork(app).start()
    return app


class BackgroundWork:
    """One thread per serving process. Every few seconds, or when woken: applies search index
    changes still waiting (a drain that lost the race for the index writer), and with
    JOBS_MODE=background takes back the jobs a stopped worker left and runs the queued ones."""

    def __init__(self, app: Flask):
        self.app = app
        self.wake = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="legalbase-background", daemon=True)

    def start(self) -> None:
        self.app.extensions["legalbase.background"] = self
        self.thread.start()

    def _loop(self) -> None:
        while True:
            with self.app.app_context():
                try:
                    self.run_once()
                except Exception:  # keep the thread alive; the next round tries again
                    log.exception("background work failed")
                    db.session.rollback()
                db.session.remove()
            self.wake.wait(POLL_SECONDS)
            self.wake.clear()

    def run_once(self) -> None:
        from ..jobs import run_queued_jobs
        from ..search import backend

        backend().apply_pending()
        if self.app.config["JOBS_MODE"] == "background":
            run_queued_jobs()


def serve(app: Flask, host: str, port: int, workers: int, threads: int) -> None:
    """Serve until stopped: the development server for one worker, gunicorn for more."""
    if workers <= 1:
        run_simple(host, port, start_background_work(app), threaded=True)
        return
    GunicornServer(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": 120,
            "graceful_timeout": 30,
            "accesslog": "-",
            "errorlog": "-",
        }
    ).run()
