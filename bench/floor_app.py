"""The floor of bench/load.py: a bare Flask route that does nothing, served the same way."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def nothing():
    return ""
