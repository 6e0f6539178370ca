"""REAL-DATA TEST: what legalbase reads from fifteen decrees and regulations that Indonesian
regional governments really published, against answers written by hand.

The documents live outside the repository, in `<repo>/../shared/data/real-decrees/` (never
copied in); the expected answers, how they were made and the errors each document carries are
in `real_documents.yaml` beside this file. The whole module is skipped when the documents are
absent.

Each document is read from the text the system would have: `read_upload` of its PDF where the
PDF has a text layer, the .txt where there is no PDF (docs 12 and 13) or the PDF is a scan (doc
15, hand-transcribed); then `read_proposal` inside the app, whose seeded registry resolves the
region. A PDF that `read_upload` refuses leaves the reader nothing: every field of that
document counts as missed, as it would for the officer who uploaded it.

bench/reading.py reports the same figures with timings; it imports the helpers below.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
import yaml

from legalbase.core.errors import DomainError
from legalbase.corpus.files import read_upload
from legalbase.corpus.reading import ABSENT
from legalbase.corpus.uploads import read_proposal

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data" / "real-decrees"
EXPECTED = Path(__file__).with_name("real_documents.yaml")
FIELDS = (
    "form",
    "region_code",
    "number",
    "year",
    "title",
    "place_of_enactment",
    "enacted_on",
    "promulgated_on",
)
NATIONAL_FORMS = frozenset({"uu", "perppu", "pp", "perpres", "permen"})
RIGHT_AT_LEAST = 14  # of the 15 documents, per field
CITATION_THRESHOLD = 0.95  # recall and precision of national citations, over all documents

pytestmark = pytest.mark.skipif(
    not DATA.is_dir(), reason=f"real-data test: {DATA} is absent (the shared data set)"
)


def load_expected() -> list[dict]:
    """The hand-written answers, one dict per document, in file order."""
    return yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))


@dataclass
class Outcome:
    """What the system made of one document: its proposal, or why there is none."""

    doc: dict
    proposal: dict = field(default_factory=dict)
    confidence: dict = field(default_factory=dict)
    citations: list = field(default_factory=list)
    text: str | None = None
    refused: str | None = None  # read_upload's message when it refused the file

    @property
    def name(self) -> str:
        return self.doc["file"][:2]


def source_bytes(doc: dict) -> bytes:
    """The bytes the officer uploads: the PDF, or the .txt where the system reads the text."""
    if doc["text_from"] == "pdf":
        return (DATA / "pdf" / doc["pdf"]).read_bytes()
    return (DATA / doc["file"]).read_bytes()


def system_upload(doc: dict):
    """(Upload, None), or (None, the refusal) when read_upload refuses the file."""
    try:
        return read_upload(source_bytes(doc)), None
    except DomainError as exc:
        return None, f"{type(exc).__name__}: {exc}"


def read_one(doc: dict, upload, refused: str | None) -> Outcome:
    """read_proposal of one upload (call inside an app context)."""
    if upload is None:
        return Outcome(doc, refused=refused)
    proposed = read_proposal(upload)
    return Outcome(
        doc,
        dict(proposed.proposal),
        dict(proposed.confidence),
        list(proposed.citations),
        upload.text,
    )


def fold(text) -> str:
    return " ".join(str(text).split()).casefold()


def is_right(name: str, expected, proposed) -> bool:
    """Whether a proposed field value matches the expected one (null must stay null)."""
    if expected is None:
        return proposed in (None, "")
    if proposed in (None, ""):
        return False
    if name in ("title", "number"):
        return fold(proposed) == fold(expected)
    if name in ("enacted_on", "promulgated_on"):
        written = proposed.isoformat() if isinstance(proposed, date) else str(proposed)
        return written == expected
    if name == "year":
        return str(proposed).strip() == str(expected)
    if name == "place_of_enactment":
        return " ".join(str(proposed).split()) == expected
    return proposed == expected


def misses(outcomes: list[Outcome], name: str) -> list[tuple[str, object, object, str]]:
    """(document, expected, proposed, how) of every document whose `name` is not right."""
    rows = []
    for outcome in outcomes:
        expected, proposed = outcome.doc[name], outcome.proposal.get(name)
        if not is_right(name, expected, proposed):
            how = (
                f"berkas ditolak ({outcome.refused})"
                if outcome.refused
                else outcome.confidence.get(name, "-")
            )
            rows.append((outcome.name, expected, proposed, how))
    return rows


def miss_table(name: str, rows: list[tuple]) -> str:
    lines = [f"{'doc':4} {'expected':45} {'proposed':45} confidence", "-" * 110]
    for doc, expected, proposed, how in rows:
        lines.append(f"{doc:4} {_cell(expected):45} {_cell(proposed):45} {how}")
    return f"{name}: {len(rows)} miss(es)\n" + "\n".join(lines)


def _cell(value) -> str:
    text = "null" if value is None else repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 45 else text[:42] + "..."


def citation_key(form: str, number, year) -> tuple[str, str, int | None]:
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = None
    return form, "".join(str(number).split()).casefold(), year


def expected_citations(doc: dict) -> set[tuple]:
    return {citation_key(c["form"], c["number"], c["year"]) for c in doc["cites"]}


def found_citations(outcome: Outcome) -> set[tuple]:
    return {
        citation_key(c.form, c.number, c.year)
        for c in outcome.citations
        if c.form in NATIONAL_FORMS
    }


def citation_scores(outcomes: list[Outcome]) -> tuple[float, float, list[str]]:
    """(recall, precision, one line per document with what was missed or added)."""
    expected_total = found_total = matched = 0
    report = []
    for outcome in outcomes:
        expected, found = expected_citations(outcome.doc), found_citations(outcome)
        expected_total, found_total = expected_total + len(expected), found_total + len(found)
        matched += len(expected & found)
        if expected != found:
            missed = ", ".join(_short(key) for key in sorted(expected - found, key=str))
            extra = ", ".join(_short(key) for key in sorted(found - expected, key=str))
            report.append(
                f"{outcome.name}: missed [{missed}] extra [{extra}]"
                + (f" (berkas ditolak: {outcome.refused})" if outcome.refused else "")
            )
    recall = matched / expected_total if expected_total else 1.0
    precision = matched / found_total if found_total else 0.0
    return recall, precision, report


def _short(key: tuple) -> str:
    form, number, year = key
    return f"{form} {number}/{year}"


def read_all(app, documents: list[dict]) -> list[Outcome]:
    """Every document through read_upload and read_proposal, in an app context of `app`."""
    uploads = [system_upload(doc) for doc in documents]
    with app.app_context():
        return [
            read_one(doc, upload, refused)
            for doc, (upload, refused) in zip(documents, uploads, strict=True)
        ]


@pytest.fixture(scope="module")
def outcomes(app) -> list[Outcome]:
    return read_all(app, load_expected())


def outcome_of(outcomes: list[Outcome], prefix: str) -> Outcome:
    return next(outcome for outcome in outcomes if outcome.doc["file"].startswith(prefix))


def test_the_expected_answers_cover_the_fifteen_documents():
    documents = load_expected()
    assert len(documents) == 15
    for doc in documents:
        assert (DATA / doc["file"]).is_file(), doc["file"]
        assert doc["pdf"] is None or (DATA / "pdf" / doc["pdf"]).is_file(), doc["pdf"]
        assert doc["text_from"] in ("pdf", "txt")
        assert set(FIELDS) <= set(doc), doc["file"]


def test_every_real_pdf_with_a_text_layer_is_read(outcomes):
    refused = [f"{outcome.name}: {outcome.refused}" for outcome in outcomes if outcome.refused]
    empty = [outcome.name for outcome in outcomes if not outcome.refused and not outcome.text]
    assert not refused and not empty, (
        "read_upload refused real PDFs that have a text layer:\n"
        + "\n".join(refused)
        + (f"\nno text from: {', '.join(empty)}" if empty else "")
    )


@pytest.mark.parametrize("name", FIELDS)
def test_each_field_is_read_right_in_at_least_14_of_15_documents(outcomes, name):
    rows = misses(outcomes, name)
    right = len(outcomes) - len(rows)
    assert right >= RIGHT_AT_LEAST, (
        f"{name}: {right}/{len(outcomes)} right, at least {RIGHT_AT_LEAST} needed\n"
        + miss_table(name, rows)
    )


def test_national_citations_are_read_with_recall_and_precision_of_95_percent(outcomes):
    recall, precision, report = citation_scores(outcomes)
    assert recall >= CITATION_THRESHOLD and precision >= CITATION_THRESHOLD, (
        f"national citations: recall {recall:.3f}, precision {precision:.3f} "
        f"(at least {CITATION_THRESHOLD} each)\n" + "\n".join(report)
    )


def test_a_blank_enactment_date_stays_null(outcomes):
    # Doc 07 leaves "Ditetapkan di Pontianak / pada tanggal" blank. (Doc 14's enactment date is
    # written: "Ditetapkan di Medan, Pada Tanggal 23 Desember 2003".)
    outcome = outcome_of(outcomes, "07-")
    assert outcome.text, f"no text for doc 07: {outcome.refused}"
    assert outcome.proposal.get("enacted_on") is None
    assert outcome.confidence.get("enacted_on") == ABSENT


def test_a_blank_promulgation_date_stays_null(outcomes):
    # Doc 13 leaves "Diundangkan di Purbalingga / pada tanggal" blank (its enactment date and
    # Berita Daerah number are written); doc 07 leaves it blank too.
    for prefix in ("13-", "07-"):
        outcome = outcome_of(outcomes, prefix)
        assert outcome.text, f"no text for doc {prefix}: {outcome.refused}"
        assert outcome.proposal.get("promulgated_on") is None, prefix
        assert outcome.confidence.get("promulgated_on") == ABSENT, prefix
