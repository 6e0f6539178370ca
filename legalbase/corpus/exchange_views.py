"""JDIHN feed and CSV exchange over HTTP (to be filled in)."""

from flask_smorest import Blueprint

from ..api import API_PREFIX

blp = Blueprint("exchange", __name__, url_prefix=API_PREFIX,
                description="Pertukaran data: umpan JDIHN dan CSV.")
