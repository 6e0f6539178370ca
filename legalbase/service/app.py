"""The Flask application class: every request is one unit of work."""

from flask import Flask

from ..core import db


class LegalbaseFlask(Flask):
    """Flask whose requests each run as one unit of work, as Indico's request handler does: the
    view's changes commit once after it returns (whatever status it answers) and roll back when
    it raises; what waits for the commit (index changes, OCR, jobs) runs right after it."""

    def dispatch_request(self):
        """Run the view inside `db.unit_of_work()`."""
        with db.unit_of_work():
            return super().dispatch_request()
