"""Reading benchmark: how right and how fast legalbase reads real documents, beside its anchors.

    .venv/bin/python bench/reading.py                 # both parts (about 4 minutes)
    .venv/bin/python bench/reading.py --limit 500 --repeat 1
                                                      # quick: 500 national acts (a seeded
                                                      # sample), one timing per regional PDF
    .venv/bin/python bench/reading.py --part regional # or --part national
    .venv/bin/python bench/reading.py --choose-titles # print the title sample to judge by hand

(a) The regional set: the 15 real decrees and regulations of ../shared/data/real-decrees with
the hand-written answers of tests/corpus/real_documents.yaml. Per field, how many of the 15 are
right, counted as tests/corpus/test_real_documents.py counts them (from the text the system has:
read_upload of the PDF, or the .txt), with the table of misses; recall and precision of the
national citations. Per PDF, the median time of read_document and of read_proposal (heading,
closing, citations, region and citation lookups) against pypdf's own extraction of the same
PDF, the floor any upload pays, as a ratio. A PDF that read_upload refuses counts as missed for
accuracy; its reading is timed on the text pypdf extracts from it (marked *).

(b) The national corpus: ../shared/data/peraturan-nasional/uu-pp.tar.xz, unpacked at run time
into a temporary folder; read_document on every act (5,871 .md files, OCR'd), whose path
(uu/2007/21.md) is the truth of form, number and year. Accuracy of form, number and year and
documents per second, beside a naive anchor (one regex for "UNDANG-UNDANG|PERATURAN PEMERINTAH
... NOMOR n TAHUN yyyy TENTANG ..." on the flattened text). Titles: on the whole corpus, the
share of acts given a non-empty title free of heading debris (MENIMBANG, DENGAN RAHMAT,
PRESIDEN REPUBLIK INDONESIA, ...); on the 60 hand-judged acts of bench/national_titles.yaml,
how many are right after folding case, whitespace and punctuation.
"""

import argparse
import hashlib
import io
import logging
import random
import re
import statistics
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import pypdf
import yaml
from common import seeded_app

from legalbase.corpus.files import PDF, Upload, extract_text
from legalbase.corpus.reading import read_document
from legalbase.corpus.uploads import read_proposal
from tests.corpus.test_real_documents import (
    DATA,
    FIELDS,
    Outcome,
    citation_scores,
    load_expected,
    miss_table,
    misses,
    read_one,
    source_bytes,
    system_upload,
)

# pypdf logs doc 06's leading newline ("invalid pdf header") here and in the reading worker,
# which imports this module again.
logging.getLogger("pypdf").setLevel(logging.ERROR)
BENCH = Path(__file__).resolve().parent
NATIONAL_ARCHIVE = BENCH.parents[1] / "shared" / "data" / "peraturan-nasional" / "uu-pp.tar.xz"
TITLES = BENCH / "national_titles.yaml"
TITLE_SEED = 20070421
WRONG_SHOWN = 20
EXAMPLES = 5
# OCR marks: a caret, or O/I/l among digits ("2OO5", "2Ol4", "l95U" does not count).
OCR_MARK = re.compile(r"\^|\d[OIl]\d|[12][OIl]\d\d|\b[12]\d[OIl]\d\b|[OIl]\d{3}\b")
# Heading debris in a title: the parts around the TENTANG text, or the heading line itself.
DEBRIS = re.compile(
    r"\bMENIMBANG\b|\bMENGINGAT\b|\bMEMUTUSKAN\b|DENGAN\s+RA[K]?HMAT|"
    r"PRESIDEN\s+REPUBLIK\s+INDONESIA\s*,|\bREPUBLIK\s+INDONESIA\s+NOMOR\b|"
    r"^\s*(?:UNDANG-UNDANG|PERATURAN\s+PEMERINTAH)(?:\s+REPUBLIK\s+INDONESIA)?"
    r"\s+NOMOR\b",
    re.I,
)
NAIVE = re.compile(
    r"\b(?P<kind>UNDANG-UNDANG|PERATURAN PEMERINTAH)\b.{0,60}?\bNOMOR\s+"
    r"(?P<number>\d{1,4})\s+TAHUN\s+(?P<year>\d{4})\s+TENTANG\s+"
    r"(?P<title>.{1,600}?)(?=\s+(?:DENGAN\s+RA|PRESIDEN\s+REPUBLIK|Menimbang|"
    r"MENIMBANG)|$)"
)


def fold_title(text) -> str:
    """Case, whitespace and punctuation folded: '"Otorita Jatiluhur"' -> 'otorita jatiluhur'."""
    return " ".join(re.sub(r"[\W_]+", " ", str(text or "")).split()).casefold()


# -- (a) the regional set -------------------------------------------------------------------


def pypdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def median_of(fn, repeat: int) -> float:
    samples = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def regional(repeat: int) -> None:
    documents = load_expected()
    print(f"(a) regional set: {len(documents)} documents of {DATA}")
    with tempfile.TemporaryDirectory() as folder:
        app = seeded_app(folder)
        rows, outcomes = [], []
        for doc in documents:
            upload, refused = system_upload(doc)
            with app.app_context():
                outcomes.append(read_one(doc, upload, refused))
            rows.append(_timed(app, doc, source_bytes(doc), upload, repeat))
        app.extensions["legalbase.db"].engine.dispose()
    _print_accuracy(outcomes)
    _print_timings(rows, outcomes)


def _timed(app, doc: dict, content: bytes, upload, repeat: int) -> dict:
    """Median seconds of pypdf alone (the floor), read_document and read_proposal."""
    pdf = doc["text_from"] == "pdf"
    floor = median_of(lambda: pypdf_text(content), repeat) if pdf else None
    if upload is None:  # refused: time the reading of the text pypdf gives
        upload = Upload(
            content, PDF, hashlib.sha256(content).hexdigest(), extract_text(content, PDF)
        )
    text = upload.text
    read_document(text)  # warm-up (regex compilation, imports)
    document = median_of(lambda: read_document(text), repeat)
    with app.app_context():
        read_proposal(upload)
        proposal = median_of(lambda: read_proposal(upload), repeat)
    return {
        "doc": doc["file"][:2],
        "from": doc["text_from"],
        "chars": len(text or ""),
        "pypdf": floor,
        "document": document,
        "proposal": proposal,
    }


def _print_accuracy(outcomes: list[Outcome]) -> None:
    print(f"\n{'field':20} {'right':>7}")
    tables = []
    for name in FIELDS:
        rows = misses(outcomes, name)
        print(f"{name:20} {len(outcomes) - len(rows):>4}/{len(outcomes)}")
        if rows:
            tables.append(miss_table(name, rows))
    recall, precision, report = citation_scores(outcomes)
    print(f"{'national citations':20} recall {recall:.3f}  precision {precision:.3f}")
    refused = [f"{o.name} ({o.refused})" for o in outcomes if o.refused]
    if refused:
        print("refused by read_upload (every field missed): " + "; ".join(refused))
    for table in tables:
        print("\n" + table)
    if report:
        print("\ncitations, per document:\n" + "\n".join(report))


def _print_timings(rows: list[dict], outcomes: list[Outcome]) -> None:
    refused = {o.name for o in outcomes if o.refused}
    print(
        f"\n{'doc':5} {'text':4} {'chars':>7} {'pypdf ms':>9} {'read_document ms':>17} "
        f"{'read_proposal ms':>17} {'proposal/pypdf':>15}"
    )
    for row in rows:
        mark = "*" if row["doc"] in refused else " "
        floor = f"{row['pypdf'] * 1000:9.1f}" if row["pypdf"] is not None else f"{'-':>9}"
        ratio = f"{row['proposal'] / row['pypdf']:14.3f}x" if row["pypdf"] else f"{'-':>15}"
        print(
            f"{row['doc']}{mark:3} {row['from']:4} {row['chars']:>7} {floor} "
            f"{row['document'] * 1000:17.2f} {row['proposal'] * 1000:17.2f} {ratio}"
        )
    pdfs = [row for row in rows if row["pypdf"]]
    floor = sum(row["pypdf"] for row in pdfs)
    document = sum(row["document"] for row in pdfs)
    proposal = sum(row["proposal"] for row in pdfs)
    print(
        f"{'all ' + str(len(pdfs)) + ' PDFs':17} {floor * 1000:9.1f} {document * 1000:17.2f} "
        f"{proposal * 1000:17.2f} {proposal / floor:14.3f}x"
        f"   (read_document/pypdf {document / floor:.3f}x)"
    )
    if refused:
        print("* refused by read_upload; reading timed on the text pypdf extracts from it")


# -- (b) the national corpus ----------------------------------------------------------------


def ocr_marks(text: str) -> int:
    return len(OCR_MARK.findall(text[:3000]))


def choose_title_sample(root: Path) -> dict[str, str]:
    """The 60 acts to judge titles on (path -> group), as national_titles.yaml says."""
    paths = sorted(path.relative_to(root).as_posix() for path in root.glob("*/*/*.md"))
    year = lambda path: int(path.split("/")[1])  # noqa: E731
    rng = random.Random(TITLE_SEED)
    old = [path for path in paths if year(path) <= 1970]
    later = [path for path in paths if year(path) > 1970]
    noisy = [path for path in later if ocr_marks(_read(root / path)) >= 5]
    chosen = set(noisy)
    other = [path for path in later if path not in chosen]
    groups = {}
    for group, pool, count in (("old", old, 15), ("noisy", noisy, 15), ("other", other, 30)):
        for path in rng.sample(pool, count):
            groups[path] = group
    return groups


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def truth_of(path: str) -> tuple[str, str, int]:
    form, year, name = path.split("/")
    return form, name.removesuffix(".md"), int(year)


def naive_reading(text: str) -> dict:
    """The anchor: one regex on the flattened text."""
    match = NAIVE.search(" ".join(text.split()))
    if not match:
        return {}
    return {
        "form": "uu" if match["kind"] == "UNDANG-UNDANG" else "pp",
        "number": match["number"],
        "year": int(match["year"]),
        "title": match["title"],
    }


def national(limit: int | None) -> None:
    if not NATIONAL_ARCHIVE.is_file():
        print(f"(b) national corpus: skipped, {NATIONAL_ARCHIVE} is absent")
        return
    judged = yaml.safe_load(TITLES.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        start = time.perf_counter()
        with tarfile.open(NATIONAL_ARCHIVE) as archive:
            archive.extractall(root, filter="data")
        unpack = time.perf_counter() - start
        paths = sorted(path.relative_to(root).as_posix() for path in root.glob("*/*/*.md"))
        total = len(paths)
        if limit and limit < total:
            paths = sorted(random.Random(0).sample(paths, limit))
        texts = {path: _read(root / path) for path in paths}
        judged_texts = {row["path"]: _read(root / row["path"]) for row in judged}
        drifted = set(choose_title_sample(root)) ^ set(judged_texts)
    if drifted:
        print(
            f"warning: {TITLES.name} no longer lists the seeded sample: {sorted(drifted)[:6]}",
            file=sys.stderr,
        )
    print(
        f"\n(b) national corpus: {len(paths):,} of {total:,} acts "
        f"({NATIONAL_ARCHIVE.name}, unpacked in {unpack:.1f} s)"
    )
    ours, ours_seconds = _read_all(texts, lambda text: read_document(text).proposal)
    naive, naive_seconds = _read_all(texts, naive_reading)
    _print_national(paths, ours, naive, ours_seconds, naive_seconds)
    _print_titles(judged, judged_texts)


def _read_all(texts: dict[str, str], read) -> tuple[dict[str, dict], float]:
    results = {}
    start = time.perf_counter()
    for path, text in texts.items():
        results[path] = read(text)
    return results, time.perf_counter() - start


def _print_national(paths, ours, naive, ours_seconds, naive_seconds) -> None:
    count = len(paths)
    print(f"{'':26} {'read_document':>15} {'naive regex (anchor)':>22}")
    for index, name in enumerate(("form", "number", "year")):
        right = [
            sum(_same(truth_of(path)[index], result[path].get(name)) for path in paths)
            for result in (ours, naive)
        ]
        print(f"{name:26} {_share(right[0], count):>15} {_share(right[1], count):>22}")
    clean = [
        sum(_clean_title(result[path].get("title")) for path in paths) for result in (ours, naive)
    ]
    print(
        f"{'title, no heading debris':26} {_share(clean[0], count):>15} "
        f"{_share(clean[1], count):>22}"
    )
    ours_rate, naive_rate = count / ours_seconds, count / naive_seconds
    print(
        f"{'documents/s':26} {ours_rate:>15,.0f} {naive_rate:>22,.0f}   "
        f"(naive/read_document {naive_rate / ours_rate:.1f}x)"
    )
    for index, name in enumerate(("form", "number")):
        wrong = [path for path in paths if not _same(truth_of(path)[index], ours[path].get(name))][
            :EXAMPLES
        ]
        for path in wrong:
            print(f"  {name} e.g. {path}: {ours[path].get(name)!r}")
    debris = [
        path
        for path in paths
        if ours[path].get("title") and not _clean_title(ours[path].get("title"))
    ][:EXAMPLES]
    for path in debris:
        print(f"  debris e.g. {path}: {str(ours[path]['title'])[:100]!r}")


def _same(truth, proposed) -> bool:
    if proposed is None:
        return False
    if isinstance(truth, int):
        return str(proposed).strip() == str(truth)
    return " ".join(str(proposed).split()).casefold() == truth


def _clean_title(title) -> bool:
    return bool(title and str(title).strip()) and not DEBRIS.search(str(title))


def _share(right: int, count: int) -> str:
    return f"{right:,} ({100 * right / count:.1f}%)" if count else "-"


def _print_titles(judged: list[dict], texts: dict[str, str]) -> None:
    print(f"\ntitles on the hand-judged sample ({len(judged)} acts, {TITLES.name}):")
    print(f"{'group':8} {'acts':>5} {'read_document':>14} {'naive regex':>12}")
    results = {
        row["path"]: (
            read_document(texts[row["path"]]).proposal.get("title"),
            naive_reading(texts[row["path"]]).get("title"),
        )
        for row in judged
    }
    wrong = []
    for group in ("old", "noisy", "other", "all"):
        rows = [row for row in judged if group in ("all", row["group"])]
        right = [
            sum(_title_right(row, results[row["path"]][which]) for row in rows) for which in (0, 1)
        ]
        print(f"{group:8} {len(rows):>5} {right[0]:>14} {right[1]:>12}")
    printed = [row for row in judged if row.get("printed")]
    faithful = sum(
        fold_title(results[row["path"]][0]) == fold_title(row["printed"]) for row in printed
    )
    print(f"OCR-slipped titles matching the printed letters instead: {faithful}/{len(printed)}")
    for row in judged:
        proposed = results[row["path"]][0]
        if not _title_right(row, proposed):
            wrong.append(
                f"  {row['path']:16} expected {_shown(row['title'])}\n"
                f"  {'':16} proposed {_shown(proposed)}"
            )
    if wrong:
        shown = wrong[:WRONG_SHOWN]
        more = f"\n  ... and {len(wrong) - len(shown)} more" if len(wrong) > len(shown) else ""
        print(f"titles read wrong ({len(wrong)}):\n" + "\n".join(shown) + more)


def _shown(title) -> str:
    return "null" if title is None else repr(str(title)[:70])


def _title_right(row: dict, proposed) -> bool:
    if row["title"] is None:
        return not proposed
    return fold_title(proposed) == fold_title(row["title"])


def print_title_sample() -> None:
    """The chosen acts with the opening of each file, to judge their titles by hand."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with tarfile.open(NATIONAL_ARCHIVE) as archive:
            archive.extractall(root, filter="data")
        for path, group in sorted(choose_title_sample(root).items()):
            print(f"===== {path} ({group})\n{' '.join(_read(root / path)[:900].split())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("regional", "national", "both"), default="both")
    parser.add_argument("--limit", type=int, help="national acts to read (a seeded sample)")
    parser.add_argument("--repeat", type=int, default=3, help="timings per regional document")
    parser.add_argument(
        "--choose-titles",
        action="store_true",
        help="print the seeded title sample with each file's opening and stop",
    )
    args = parser.parse_args()
    if args.choose_titles:
        if not NATIONAL_ARCHIVE.is_file():
            sys.exit(f"{NATIONAL_ARCHIVE} is absent")
        print_title_sample()
        return
    if args.part in ("regional", "both"):
        if DATA.is_dir():
            regional(args.repeat)
        else:
            print(f"(a) regional set: skipped, {DATA} is absent")
    if args.part in ("national", "both"):
        national(args.limit)


if __name__ == "__main__":
    main()
