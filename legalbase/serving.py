"""Serving legalbase: Werkzeug's development server in one process, or gunicorn with several
worker processes (each builds its own app, so each has its own database connections)."""

from flask import Flask
from gunicorn.app.base import BaseApplication
from werkzeug.serving import run_simple


class GunicornServer(BaseApplication):
    """gunicorn run from `legalbase serve --workers N`, with the app built in each worker."""

    def __init__(self, options: dict, config: dict | None = None):
        self.options, self.app_config = options, config
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        from . import create_app

        return start_job_runner(create_app(self.app_config))


def start_job_runner(app: Flask) -> Flask:
    """Give a serving process its job runner (JOBS_MODE=background), which first takes back
    the jobs a stopped worker left running."""
    from .drafting.jobs import JobRunner

    if app.config["JOBS_MODE"] == "background":
        JobRunner(app).start()
    return app


def serve(app: Flask, host: str, port: int, workers: int, threads: int) -> None:
    """Serve until stopped: the development server for one worker, gunicorn for more."""
    if workers <= 1:
        run_simple(host, port, start_job_runner(app), threaded=True)
        return
    GunicornServer({"bind": f"{host}:{port}", "workers": workers, "threads": threads,
                    "worker_class": "gthread", "timeout": 120, "graceful_timeout": 30,
                    "accesslog": "-", "errorlog": "-"}).run()
