"""Domain errors and the one JSON shape every API error takes.

Domain code raises `NotFound`, `Invalid`, `Conflict` or `Forbidden`; `register(app)` maps them, and
every HTTP error werkzeug raises, to

    {"error": {"code": "<snake_case>", "message": "<Bahasa Indonesia>", "details": {...}}}

and rolls the session back, so a failed request leaves the database as it was.
"""

import logging
import re

from flask import Flask, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from . import db

log = logging.getLogger(__name__)


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, details: dict | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        if code:
            self.code = code


class BadRequest(DomainError):
    status, code = 400, "bad_request"


class Unauthorized(DomainError):
    status, code = 401, "unauthorized"


class Forbidden(DomainError):
    status, code = 403, "forbidden"


class NotFound(DomainError):
    status, code = 404, "not_found"


class PayloadTooLarge(DomainError):
    status, code = 413, "payload_too_large"


class UnsupportedMediaType(DomainError):
    status, code = 415, "unsupported_media_type"


class Invalid(DomainError):
    """Invalid input; `details` maps each offending field to what is wrong with it."""

    status, code = 422, "invalid"


class Conflict(DomainError):
    status, code = 409, "conflict"


class TooManyRequests(DomainError):
    """Too many attempts; `retry_after` seconds until the next one is accepted."""

    status, code = 429, "too_many_requests"

    def __init__(self, message: str, retry_after: int, details: dict | None = None):
        super().__init__(message, {"retry_after_seconds": retry_after, **(details or {})})
        self.headers = {"Retry-After": str(retry_after)}


class Unavailable(DomainError):
    status, code = 503, "unavailable"


# Indonesian texts for the HTTP errors werkzeug raises before a view runs.
HTTP_MESSAGES = {
    400: ("bad_request", "Permintaan tidak dapat dibaca."),
    401: ("unauthorized", "Diperlukan token API yang sah (Authorization: Bearer <token>)."),
    403: ("forbidden", "Anda tidak berwenang melakukan tindakan ini."),
    404: ("not_found", "Alamat yang diminta tidak ditemukan."),
    405: ("method_not_allowed", "Metode HTTP ini tidak didukung untuk alamat tersebut."),
    413: ("payload_too_large", "Ukuran kiriman melebihi batas yang diizinkan."),
    415: ("unsupported_media_type", "Jenis isi kiriman tidak didukung."),
    422: ("invalid", "Data yang dikirim tidak valid."),
    429: ("too_many_requests", "Terlalu banyak permintaan; coba lagi nanti."),
}


def error_body(code: str, message: str, details: dict | None = None) -> dict:
    """The canonical error body of the API."""
    return {"error": {"code": code, "message": message, "details": details or {}}}


def error_response(status: int, code: str, message: str, details: dict | None = None):
    """The API's JSON error; on a page, the error page in the same words."""
    if not request.path.startswith("/api/"):
        return render_template("web/error.html", status=status, message=message), status
    response = jsonify(error_body(code, message, details))
    response.status_code = status
    return response


def register(app: Flask) -> None:
    """Install the handlers that turn every error into the one shape, after a rollback."""
    app.register_error_handler(DomainError, _handle_domain_error)
    app.register_error_handler(HTTPException, _handle_http_exception)
    app.register_error_handler(Exception, _handle_unexpected)


def _handle_domain_error(exc: DomainError):
    db.session.rollback()
    response = make_response(error_response(exc.status, exc.code, exc.message, exc.details))
    response.headers.update(getattr(exc, "headers", {}))
    return response


def _handle_http_exception(exc: HTTPException):
    db.session.rollback()
    status = exc.code or 500
    code, message = HTTP_MESSAGES.get(status, ("http_error", exc.description or exc.name))
    details = _webargs_details(exc)
    if details:
        message = "Data yang dikirim tidak valid; periksa kolom yang disebutkan."
    response = error_response(status, code, message, details)
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods and not isinstance(response, tuple):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _webargs_details(exc: HTTPException) -> dict:
    """Field messages of a query-string or body that webargs (flask-smorest) rejected."""
    messages = getattr(exc, "data", {}).get("messages") if hasattr(exc, "data") else None
    if not messages:
        return {}
    fields = {}
    for location_fields in messages.values():
        for field, problems in location_fields.items():
            fields[field] = translate_messages(problems)
    return {"fields": fields}


# marshmallow speaks English; users read Indonesian.
_FIELD_MESSAGES = (
    (r"Missing data for required field\.", "Wajib diisi."),
    (r"Field may not be null\.", "Tidak boleh kosong."),
    (r"Not a valid integer\.", "Harus berupa bilangan bulat."),
    (r"Not a valid string\.", "Harus berupa teks."),
    (r"Not a valid boolean\.", "Harus berupa true atau false."),
    (r"Not a valid date\.", "Harus berupa tanggal YYYY-MM-DD."),
    (r"Not a valid list\.", "Harus berupa daftar."),
    (r"Unknown field\.", "Kolom tidak dikenal."),
    (r"Invalid input type\.", "Jenis masukan tidak valid."),
    (r"Must be one of: (.*)\.", r"Harus salah satu dari: \1."),
    (r"Must be greater than or equal to (\S+)\.?", r"Harus paling sedikit \1."),
    (r"Must be less than or equal to (\S+)\.?", r"Harus paling banyak \1."),
    (
        r"Must be greater than or equal to (\S+) and less than or equal to (\S+)\.",
        r"Harus antara \1 dan \2.",
    ),
    (r"Shorter than minimum length (\d+)\.", r"Paling sedikit \1 karakter."),
    (r"Longer than maximum length (\d+)\.", r"Paling banyak \1 karakter."),
    (r"Length must be between (\d+) and (\d+)\.", r"Panjang harus antara \1 dan \2 karakter."),
)


def translate_messages(problems):
    """Indonesian texts for marshmallow's field messages (nested dicts and lists kept)."""
    if isinstance(problems, dict):
        return {key: translate_messages(value) for key, value in problems.items()}
    if isinstance(problems, list):
        return [translate_messages(value) for value in problems]
    for pattern, replacement in _FIELD_MESSAGES:
        if re.fullmatch(pattern, str(problems)):
            return re.sub(pattern, replacement, str(problems))
    return problems


def _handle_unexpected(exc: Exception):
    db.session.rollback()
    log.exception("unexpected error on %s %s", request.method, request.path)
    return error_response(
        500, "internal_error", "Terjadi kesalahan pada server; kejadian ini dicatat."
    )
