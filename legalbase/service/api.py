"""The JSON API under /api/v1, described by the OpenAPI document at /api/v1/openapi.json."""

from datetime import UTC, date
from http import HTTPStatus

import flask_smorest
from apispec import BasePlugin
from flask import current_app, request
from flask_smorest import Api
from marshmallow import Schema, ValidationError, fields, validate
from webargs.flaskparser import FlaskParser
from werkzeug.routing import IntegerConverter, UnicodeConverter

from ..core.errors import Invalid, PayloadTooLarge, UnsupportedMediaType, translate_messages

API_PREFIX = "/api/v1"
BEARER = [{"bearer": []}]  # the OpenAPI security of every write
ID_MAX = 2**31 - 1  # PostgreSQL's integer: the type of every id column
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)  # the years every year field allows
NUL_MESSAGE = "Tidak boleh memuat karakter NUL."

API_SETTINGS = {
    "API_TITLE": "legalbase",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": API_PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": "Dasar hukum Gugus Tugas PP-TPPO daerah: korpus peraturan, "
            "cakupan wilayah, penyusunan draf, dan pencarian."
        },
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    },
}


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"description": "snake_case"})
    message = fields.String(required=True, metadata={"description": "Bahasa Indonesia"})
    details = fields.Dict(required=True)


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


class ErrorResponses(BasePlugin):
    """Document on every operation the errors it can answer, from what the operation takes.

    Any request with a bad token is a 401; a protected one may be a 403; a path naming a record
    may be a 404; a body may be too large (413), of the wrong type (415) or invalid (422). Errors
    particular to one operation (409, 501, 503, a 404 for a record its query names) are declared
    on its view with `alt_response`.
    """

    def operation_helper(self, path=None, operations=None, **kwargs):
        in_path = bool(kwargs["rule"].arguments)
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            documented = {str(status) for status in responses}
            for status in _errors_of(operation, in_path):
                if str(status) not in documented:
                    responses[str(status)] = HTTPStatus(status).name


def _errors_of(operation: dict, in_path: bool) -> list[int]:
    statuses = [401]
    if operation.get("security"):
        statuses.append(403)
    if in_path:
        statuses.append(404)
    if "requestBody" in operation:
        statuses += [413, 415, 422]
    return statuses


class RecordIdConverter(IntegerConverter):
    """`<int:...>` in a URL: an id the database can hold, so a larger one is a 404 instead of an
    overflow in the database driver (and the OpenAPI document says the range)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", ID_MAX)
        super().__init__(url_map, *args, **kwargs)


class TextConverter(UnicodeConverter):
    """A text segment of a URL (`<code>`): never the NUL character, which no record's key holds
    and PostgreSQL cannot compare, so such a path is a 404."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", r"[^/\x00]")


class LegalbaseApi(Api):
    """flask-smorest's Api, documenting legalbase's own error shape and error responses."""

    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None  # every error is documented by its status instead

    def init_app(self, app, *args, **kwargs):
        for key, value in API_SETTINGS.items():
            app.config.setdefault(key, value)
        app.url_map.converters.update(
            int=RecordIdConverter, default=TextConverter, string=TextConverter
        )
        kwargs["spec_kwargs"] = {
            "extra_plugins": [ErrorResponses()],
            **kwargs.get("spec_kwargs", {}),
        }
        super().init_app(app, *args, **kwargs)


class QueryParser(FlaskParser):
    """webargs' parser, refusing the NUL character in a query string with a 422 naming the
    parameter: no text of the corpus holds it, and PostgreSQL cannot store or compare it."""

    def pre_load(self, location_data, *, schema, req, location):
        if location == "query":
            names = sorted(
                {
                    name
                    for name, value in req.args.items(multi=True)
                    if has_nul(name) or has_nul(value)
                }
            )
            if names:
                raise ValidationError({name: [NUL_MESSAGE] for name in names})
        return location_data


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint with legalbase's query-string parser."""

    ARGUMENTS_PARSER = QueryParser()


def has_nul(value) -> bool:
    """Whether a text, or any key or text inside JSON data, holds the NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(key) or has_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(has_nul(item) for item in value)
    return False


def refuse_nul(payload, part: str = "_body") -> None:
    """422 when JSON data sent holds the NUL character anywhere."""
    if has_nul(payload):
        raise Invalid(
            "Teks yang dikirim tidak boleh memuat karakter NUL.", {"fields": {part: [NUL_MESSAGE]}}
        )


class Timestamp(fields.DateTime):
    """A moment in ISO 8601 with its offset; SQLite gives back naive values, which are UTC."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class Day(fields.Date):
    """A date the API accepts: within the years the corpus allows, like every year field, so
    that no date arithmetic on it leaves the calendar."""

    def __init__(self, **kwargs):
        super().__init__(validate=_within_years, **kwargs)


def _within_years(day: date) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(f"Harus antara {FIRST_DAY.isoformat()} dan {LAST_DAY.isoformat()}.")


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=ID_MAX))
    per_page = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


def page_schema(item_schema: type[Schema]) -> type[Schema]:
    """A list response schema: {"items": [...], "total", "page", "per_page"}."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "total": fields.Integer(required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
        },
        name=f"{item_schema.__name__.removesuffix('Schema')}PageSchema",
    )


def refuse_too_large() -> None:
    """413 when the request announces a body over the configured limit (before reading it)."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"Ukuran kiriman melebihi batas {limit} bita.", {"limit": limit})


def json_body() -> dict:
    """The request's JSON object: 413 when too large, 415 when not JSON, 422 when not an object."""
    return _json_payload(dict, "objek")


def json_array_body() -> list:
    """The request's JSON array: 413 when too large, 415 when not JSON, 422 when not an array."""
    return _json_payload(list, "larik")


def _json_payload(kind: type, noun: str):
    refuse_too_large()
    if not request.is_json:
        raise UnsupportedMediaType(
            "Kirim isi berformat application/json.", {"content_type": request.content_type}
        )
    payload = request.get_json(silent=True)
    if not isinstance(payload, kind):
        raise Invalid(
            f"Isi permintaan harus berupa {noun} JSON yang sah.",
            {"fields": {"_body": [f"Bukan {noun} JSON yang sah."]}},
        )
    refuse_nul(payload)
    return payload


def load_json(schema: Schema, payload: dict | None = None) -> dict:
    """The request's JSON object loaded by `schema`; field errors are a 422 naming them.

    Views call this after they have found the resource (404) and checked the caller (403), so
    that the order of errors the API promises holds.
    """
    try:
        return schema.load(json_body() if payload is None else payload)
    except ValidationError as exc:
        raise Invalid(
            "Data yang dikirim tidak valid; periksa kolom yang disebutkan.",
            {"fields": translate_messages(exc.messages)},
        ) from None


def json_request_body(schema) -> dict:
    """OpenAPI requestBody for a JSON body described by `schema`."""
    return {"required": True, "content": {"application/json": {"schema": schema}}}
