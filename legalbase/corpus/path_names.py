"""Metadata that a folder's naming states, for a folder import: a JDIH's archive is often laid out
as `uu/2007/21.pdf` or `perbup/2023/15.pdf`, and that layout is the archivist's own record of
form, year and number. Under the pattern `{form}/{year}/{number}`, the path `uu/2007/21.md`
says form `uu`, year 2007, number `21`.

What a path says is given by the person who runs the import, as `--form` is: it wins over the
text, and where the text says otherwise the file is flagged for review.
"""

import re

from ..core.errors import Invalid
from .forms import FORMS

PLACEHOLDER = re.compile(r"\{(?P<name>[a-z_]+)\}")
NAMED_FIELDS = {"form": "form", "year": "year", "number": "number", "region": "region_code"}
# Bounded segment values: a path has short parts.
SEGMENT = r"[^/]{1,120}?"


def compile_pattern(pattern: str) -> re.Pattern:
    """The pattern as a regular expression over a relative path without its extension, or
    Invalid when it names an unknown field or nothing."""
    names = PLACEHOLDER.findall(pattern)
    unknown = sorted(set(names) - set(NAMED_FIELDS))
    if unknown or not names or len(names) != len(set(names)):
        raise Invalid(
            "Pola nama berkas tidak valid: gunakan {form}, {year}, {number} dan "
            "{region}, masing-masing sekali, dipisah '/'.",
            {
                "fields": {
                    "names": [
                        f"Tidak dikenal: {', '.join(unknown)}."
                        if unknown
                        else "Pola tidak menyebut kolom apa pun."
                    ]
                }
            },
        )
    parts = PLACEHOLDER.split(pattern)
    regex = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>{SEGMENT})"
        for index, part in enumerate(parts)
    )
    return re.compile(rf"(?:.*/)?{regex}")


def names_from_path(relative: str, pattern: re.Pattern) -> dict:
    """The metadata `relative` (a posix path) states under `pattern`; {} when it does not fit
    or a value is no valid form or year."""
    stem = relative.rsplit(".", 1)[0] if "." in relative.rsplit("/", 1)[-1] else relative
    match = pattern.fullmatch(stem)
    if match is None:
        return {}
    stated = {NAMED_FIELDS[name]: value.strip() for name, value in match.groupdict().items()}
    if "form" in stated:
        stated["form"] = _form(stated["form"])
    if "year" in stated:
        stated["year"] = int(stated["year"]) if stated["year"].isdigit() else None
    return stated if None not in stated.values() else {}


def _form(written: str) -> str | None:
    folded = written.casefold()
    if folded in FORMS:
        return folded
    matches = [code for code, form in FORMS.items() if form.abbreviation.casefold() == folded]
    return matches[0] if len(matches) == 1 else None
