"""The drafting wizard's form, read back into the fields a template's manifest describes."""

import re

from ..drafting.catalog import Template


def form_fields(template: Template, form) -> tuple[dict, dict]:
    """Field values and options from a submitted wizard form (rows as `name-N-column`)."""
    fields = {}
    for spec in template.fields:
        value = READERS.get(spec["type"], _text)(spec, form)
        if value not in (None, "", []):
            fields[spec["name"]] = value
    options = {name: form.get(f"opsi-{name}") == "ya" for name in template.options}
    return fields, options


def _text(spec: dict, form):
    return form.get(spec["name"], "").strip()


def _number(spec: dict, form):
    raw = form.get(spec["name"], "").strip()
    return int(raw) if raw.isdigit() else None


def _lines(spec: dict, form) -> list[str]:
    return [line.strip() for line in form.get(spec["name"], "").splitlines() if line.strip()]


def _rows(spec: dict, form) -> list[dict]:
    """Rows in the order of their numbers; numbers may skip (rows removed in the page)."""
    cell = re.compile(rf"{re.escape(spec['name'])}-(\d+)-(\w+)")
    rows: dict[int, dict] = {}
    for key in form:
        match = cell.fullmatch(key)
        if match:
            rows.setdefault(int(match[1]), {})[match[2]] = form[key].strip()
    columns = [column["name"] for column in spec["columns"]]
    return [
        {column: row.get(column, "") for column in columns}
        for _, row in sorted(rows.items())
        if any(row.values())
    ]


READERS = {"rows": _rows, "list": _lines, "regulation": _number, "date": _text}
