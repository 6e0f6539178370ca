"""The JSON API under /api/v1, described by the OpenAPI document at /api/v1/openapi.json."""

from flask import current_app, request
from flask_smorest import Api
from marshmallow import Schema, ValidationError, fields, validate

from .errors import Invalid, PayloadTooLarge, UnsupportedMediaType, translate_messages

API_PREFIX = "/api/v1"
BEARER = [{"bearer": []}]  # the OpenAPI security of every write

API_SETTINGS = {
    "API_TITLE": "legalbase",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": API_PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {"description": "Dasar hukum Gugus Tugas PP-TPPO daerah: korpus peraturan, "
                                "cakupan wilayah, penyusunan draf, dan pencarian."},
        "components": {"securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"}}},
    },
}


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"description": "snake_case"})
    message = fields.String(required=True, metadata={"description": "Bahasa Indonesia"})
    details = fields.Dict(required=True)


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


class LegalbaseApi(Api):
    """flask-smorest's Api, documenting legalbase's own error shape."""

    ERROR_SCHEMA = ErrorSchema

    def init_app(self, app, *args, **kwargs):
        for key, value in API_SETTINGS.items():
            app.config.setdefault(key, value)
        super().init_app(app, *args, **kwargs)




class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


def page_schema(item_schema: type[Schema]) -> type[Schema]:
    """A list response schema: {"items": [...], "total", "page", "per_page"}."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema), required=True),
        "total": fields.Integer(required=True),
        "page": fields.Integer(required=True),
        "per_page": fields.Integer(required=True),
    }, name=f"{item_schema.__name__.removesuffix('Schema')}PageSchema")


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
        raise UnsupportedMediaType("Kirim isi berformat application/json.",
                                   {"content_type": request.content_type})
    payload = request.get_json(silent=True)
    if not isinstance(payload, kind):
        raise Invalid(f"Isi permintaan harus berupa {noun} JSON yang sah.",
                      {"fields": {"_body": [f"Bukan {noun} JSON yang sah."]}})
    return payload


def load_json(schema: Schema, payload: dict | None = None) -> dict:
    """The request's JSON object loaded by `schema`; field errors are a 422 naming them.

    Views call this after they have found the resource (404) and checked the caller (403), so
    that the order of errors the API promises holds.
    """
    try:
        return schema.load(json_body() if payload is None else payload)
    except ValidationError as exc:
        raise Invalid("Data yang dikirim tidak valid; periksa kolom yang disebutkan.",
                      {"fields": translate_messages(exc.messages)}) from None


def json_request_body(schema) -> dict:
    """OpenAPI requestBody for a JSON body described by `schema`."""
    return {"required": True, "content": {"application/json": {"schema": schema}}}
