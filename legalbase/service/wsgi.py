"""The WSGI entry point for another server: `gunicorn 'legalbase.service.wsgi:app'` (settings
from the LEGALBASE_* environment)."""

from .. import create_app
from .serving import start_background_work

app = start_background_work(create_app())
