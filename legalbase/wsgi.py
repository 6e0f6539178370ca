"""The WSGI entry point for another server: `gunicorn 'legalbase.wsgi:app'` (settings from the
LEGALBASE_* environment)."""

from . import create_app
from .serving import start_job_runner

app = start_job_runner(create_app())
