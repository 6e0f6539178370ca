"""What PDF extraction, OCR and transcription do to a regulation's text, undone before it is read:
e-signature (BSrE) footers, page numbers and "Page 1 of 4" lines, markdown markup, letters
spaced out by a decorative font, words hyphenated across lines, and OCR slips in numbers.

The cleaned text is only read, never stored: the record keeps the text as it was extracted.
"""

import re

# Footer lines that electronic signing stamps on every page, whatever the spacing the
# extraction gives their letters ("D okumen ini d itand atangani secar a elektr onik").
SIGNATURE_FOOTER = re.compile(
    r"dokumeninitelahditandatangani|dokumeniniditandatangani|"
    r"sertifikatelektronik|balai(?:besar)?sertifikasielektronik|"
    r"badansiberdansandinegara"
)
PAGE_LINE = re.compile(
    r"^\s*(?:-\s*\d{1,3}\s*-|\d{1,3}|page\s+\d+\s+of\s+\d+|halaman\s+\d+"
    r"(?:\s+dari\s+\d+)?|salinan)\s*$",
    re.I,
)
MARKUP = re.compile(r"^[ \t]*(?:#{1,6}|>)[ \t]*|\*\*|__|^[ \t]*-{3,}[ \t]*$", re.M)
SPACED_CAPITALS = re.compile(r"\b(?:[A-Z] ){3,}[A-Z]\b")
HYPHENATED = re.compile(r"\b(?P<head>\w+)-[ \t]*\n[ \t]*(?P<tail>[a-z]\w*)")
DASHED_UNDANG = re.compile(r"\bUndang\s*[-–—]\s*(?=Undang\b)|\bUndang\s+(?=Undang\b)", re.I)
# OCR reads 0 as O or D, 1 as I, l or L, 5 as S, 8 as B: undone only in a number right after
# "Nomor", "No." or "Tahun" that has at least one real digit ("2OO7"), never in words.
OCR_DIGITS = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "I": "1",
        "l": "1",
        "i": "1",
        "L": "1",
        "|": "1",
        "S": "5",
        "B": "8",
        "Z": "2",
    }
)
NUMBER_SLOT = re.compile(
    r"\b(?P<label>NOMOR|Nomor|NO\.|No\.|TAHUN|Tahun)(?P<gap>\s*:?\s*)"
    r"(?P<value>[0-9OoDIlLiSBZ|]{1,4})(?=[\s,.;:)/]|$)"
)
# Labels OCR glued or misread: "2TAHVN 2022" ("No." is left as written: headings accept it).
GLUED_YEAR = re.compile(r"(?P<digit>\d)TAHUN\b")
MISREAD_TAHUN = re.compile(r"\bTAHVN\b")


def clean(text: str) -> str:
    """The text with extraction noise removed, lines kept (headings are read line-aware)."""
    text = MARKUP.sub("", text)
    lines = [line for line in text.splitlines() if not _noise(line)]
    text = "\n".join(lines)
    text = SPACED_CAPITALS.sub(lambda m: m.group(0).replace(" ", ""), text)
    text = HYPHENATED.sub(_join_hyphenated, text)
    text = DASHED_UNDANG.sub(lambda match: match.group(0)[:6] + "-", text)
    text = GLUED_YEAR.sub(r"\g<digit> TAHUN", text)
    text = MISREAD_TAHUN.sub("TAHUN", text)
    return NUMBER_SLOT.sub(_fix_ocr_number, text)


def flatten(text: str) -> str:
    """All white space folded into single spaces."""
    return " ".join(text.split())


def _noise(line: str) -> bool:
    if PAGE_LINE.match(line):
        return True
    squeezed = re.sub(r"[^a-z]", "", line.casefold())
    return bool(SIGNATURE_FOOTER.search(squeezed))


def _join_hyphenated(match: re.Match) -> str:
    head, tail = match["head"], match["tail"]
    folded = head.casefold()
    # A reduplication keeps its hyphen: "undang-undang", "perundang-undangan", "masjid-masjid".
    if any(tail.casefold().startswith(folded[start:]) for start in range(len(folded) - 3)):
        return f"{head}-{tail}"
    return head + tail


def _fix_ocr_number(match: re.Match) -> str:
    value = match["value"]
    if value.isdigit() or not any(char.isdigit() for char in value):
        return match.group(0)  # a number already, or a word ("Tahun Ini")
    return f"{match['label']}{match['gap']}{value.translate(OCR_DIGITS)}"
