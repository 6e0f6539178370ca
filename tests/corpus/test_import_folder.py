"""`legalbase corpus import-folder`: a folder of documents through the upload pipeline, each file
its own unit of work, with one report row per file; rerun, dry run, interruption, real documents.

Each test works in an instance of its own (real commits), whose search index is built first, so
that `legalbase check` can judge it whole afterwards.
"""

import csv
import io
import os
import shutil
import signal
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from legalbase.core import db
from legalbase.core.audit import AuditEntry
from legalbase.corpus import cli as corpus_cli
from legalbase.corpus import folder_import
from legalbase.corpus.folder_import import STATUSES, ImportOptions, import_folder
from legalbase.corpus.models import Regulation
from legalbase.search import backend
from legalbase.search.models import SearchOutbox
from legalbase.search.whoosh import outbox

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
REAL_PDFS = SHARED_DATA / "real-decrees" / "pdf"
NATIONAL_ARCHIVE = SHARED_DATA / "peraturan-nasional" / "uu-pp.tar.xz"
NATIONAL_ACTS = ("uu/2007/21.md", "uu/2014/23.md", "pp/2008/9.md")
STORED = ("created", "needs_review")

needs_shared_data = pytest.mark.skipif(
    not REAL_PDFS.is_dir() or not NATIONAL_ARCHIVE.is_file(),
    reason="../shared/data (real decrees and national acts) is not present beside the repo",
)


def decree(number: str = "1 TAHUN 2025", regent: str = "LAHAT", body: str = "") -> str:
    """A Keputusan Bupati forming the task force, as plain text."""
    return f"""BUPATI {regent}
PROVINSI SUMATERA SELATAN
KEPUTUSAN BUPATI {regent}
NOMOR {number}
TENTANG
PEMBENTUKAN GUGUS TUGAS PENCEGAHAN DAN PENANGANAN TINDAK PIDANA PERDAGANGAN ORANG
KABUPATEN {regent}
DENGAN RAHMAT TUHAN YANG MAHA ESA
BUPATI {regent},
Menimbang : a. bahwa perdagangan orang merupakan kejahatan terhadap martabat manusia;
Mengingat : 1. Undang-Undang Nomor 21 Tahun 2007 tentang Pemberantasan Tindak Pidana
Perdagangan Orang (Lembaran Negara Republik Indonesia Tahun 2007 Nomor 58, Tambahan Lembaran
Negara Republik Indonesia Nomor 4720);
MEMUTUSKAN:
Menetapkan : KEPUTUSAN BUPATI TENTANG PEMBENTUKAN GUGUS TUGAS.
KESATU : Membentuk Gugus Tugas dengan susunan sebagaimana tercantum dalam Lampiran. {body}
Ditetapkan di {regent.title()}
pada tanggal 3 Maret 2025
BUPATI {regent},
"""


HEADLESS = "Daftar hadir rapat koordinasi tanggal 3 Maret 2025.\nPeserta: lima orang.\n"


def write(root: Path, name: str, content: str | bytes) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)


def decree_folder(root: Path, duplicate: bool = True) -> Path:
    """Two clean decrees (one deeper, its extension in capitals), one whose year is not written
    in its number, a junk .pdf, a text without a heading, files that are not documents, a
    symbolic link; with `duplicate`, another file with the first decree's number."""
    write(root, "lahat-1.txt", decree())
    write(root, "arsip/2025/lahat-2.TXT", decree("2 TAHUN 2025"))
    write(root, "lahat-tanpa-tahun.md", decree("188.45/12/KPTS"))
    write(root, "rusak.pdf", b"\x00\x01 ini bukan PDF \xff\xfe" * 20)
    write(root, "tanpa-kepala.txt", HEADLESS)
    write(root, "catatan.csv", "bukan,dokumen\n")
    write(root, "gambar.png", b"\x89PNG\r\n\x1a\n")
    (root / "tautan.txt").symlink_to(root / "lahat-1.txt")
    (root / "tautan-folder").symlink_to(root / "arsip", target_is_directory=True)
    if duplicate:
        write(root, "salinan/lahat-1-lain.txt", decree(body="Salinan yang diketik ulang."))
    return root


@pytest.fixture
def other(empty_instance):
    """An instance of its own (regions only) with its search index built."""
    with empty_instance() as instance:
        with instance.app_context():
            backend().ensure()
            db.session.remove()
        yield instance


def run(other, root: Path, **options) -> folder_import.ImportReport:
    """import_folder in `other`, then its index changes applied (as the command does)."""
    with other.app_context():
        try:
            return import_folder(root, ImportOptions(**options))
        finally:
            backend().apply_pending()
            db.session.remove()


def by_path(report) -> dict[str, dict]:
    return {row["path"]: row for row in report.rows}


def counts(other) -> dict:
    """Records, audit entries, waiting index changes and stored files of `other`."""
    with other.app_context():
        counted = {
            name: db.session.scalar(select(func.count()).select_from(model))
            for name, model in (
                ("regulations", Regulation),
                ("audit", AuditEntry),
                ("outbox", SearchOutbox),
            )
        }
        db.session.remove()
    files = Path(other.instance_path) / "files"
    counted["files"] = (
        sorted(path.name for path in files.rglob("*") if path.is_file()) if files.is_dir() else []
    )
    return counted


def assert_whole(other) -> None:
    """`legalbase check` finds nothing wrong, orphan files included however young."""
    with other.app_context():
        result = other.test_cli_runner().invoke(args=["check", "--grace-seconds", "0"])
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("Instans utuh.")


def live_identities(other) -> list[str]:
    with other.app_context():
        keys = list(
            db.session.scalars(
                select(Regulation.identity_key).where(Regulation.withdrawn_at.is_(None))
            )
        )
        db.session.remove()
    return keys


def test_each_file_is_created_refused_or_flagged_for_review(other, tmp_path):
    root = decree_folder(tmp_path / "masuk")
    report = run(other, root)
    rows = by_path(report)
    assert list(rows) == [
        "arsip/2025/lahat-2.TXT",
        "lahat-1.txt",
        "lahat-tanpa-tahun.md",
        "rusak.pdf",
        "salinan/lahat-1-lain.txt",
        "tanpa-kepala.txt",
    ]
    for name in ("lahat-1.txt", "arsip/2025/lahat-2.TXT"):
        row = rows[name]
        assert row["status"] in STORED, row
        assert (row["form"], row["region_code"], row["year"]) == ("kepbup", "16.04", 2025)
        assert row["regulation_id"] and len(row["sha256"]) == 64
    undated = rows["lahat-tanpa-tahun.md"]
    assert undated["status"] == "needs_review", undated
    assert "year" in undated["uncertain"].split() and "tahun" in undated["reason"]
    assert rows["rusak.pdf"]["status"] == "refused" and rows["rusak.pdf"]["reason"]
    assert rows["tanpa-kepala.txt"]["status"] in ("refused", "needs_review")
    assert rows["tanpa-kepala.txt"]["reason"]
    duplicate = rows["salinan/lahat-1-lain.txt"]
    assert duplicate["status"] == "refused"
    assert duplicate["duplicate_of"] == rows["lahat-1.txt"]["regulation_id"]
    assert f"id {duplicate['duplicate_of']}" in duplicate["reason"]
    stored = [row for row in report.rows if row["status"] in STORED]
    summary = report.summary()
    assert summary["stored"] == len(stored) and summary["total"] == 6
    after = counts(other)
    assert after["regulations"] == len(stored)
    assert after["files"] == sorted(row["sha256"] for row in stored)  # nothing else kept
    assert after["outbox"] == 0
    assert_whole(other)


def test_the_report_is_csv_with_a_row_per_file(other, tmp_path):
    report = run(other, decree_folder(tmp_path / "masuk"))
    parsed = list(csv.DictReader(io.StringIO(report.csv())))
    assert [row["path"] for row in parsed] == [row["path"] for row in report.rows]
    assert set(parsed[0]) >= {
        "path",
        "sha256",
        "status",
        "regulation_id",
        "form",
        "region_code",
        "number",
        "year",
        "title",
        "uncertain",
        "lint",
        "reason",
    }
    assert all(row["status"] in STATUSES for row in parsed)


def test_a_second_run_finds_everything_stored_unchanged_and_creates_nothing(other, tmp_path):
    root = decree_folder(tmp_path / "masuk")
    first = by_path(run(other, root))
    before = counts(other)
    second = by_path(run(other, root))
    assert counts(other) == before
    for path, row in first.items():
        if row["status"] in STORED:
            assert second[path]["status"] == "unchanged"
            assert second[path]["regulation_id"] == row["regulation_id"]
        else:
            assert second[path]["status"] == "refused"
    assert "created" not in {row["status"] for row in second.values()}


def test_a_dry_run_writes_nothing_and_says_what_a_real_run_would_do(other, tmp_path):
    root = decree_folder(tmp_path / "masuk", duplicate=False)
    write(root, "salinan-sama.txt", decree())  # the same bytes as lahat-1.txt
    before = counts(other)
    dry = run(other, root, dry_run=True)
    assert counts(other) == before
    assert dry.dry_run and all(
        row["regulation_id"] == "" for row in dry.rows if row["status"] != "unchanged"
    )
    assert by_path(dry)["salinan-sama.txt"]["status"] == "unchanged"
    real = run(other, root)
    assert [row["status"] for row in dry.rows] == [row["status"] for row in real.rows]


def test_the_options_win_over_what_is_read(other, tmp_path):
    root = tmp_path / "masuk"
    write(root, "lahat-1.txt", decree())
    write(root, "tanpa-kepala.txt", HEADLESS)
    rows = by_path(run(other, root, form="kepbup", region_code="16.03"))
    assert rows["lahat-1.txt"]["region_code"] == "16.03"  # Muara Enim, not Lahat as read
    assert "region_code" not in rows["lahat-1.txt"]["uncertain"]
    headless = rows["tanpa-kepala.txt"]
    assert headless["status"] == "refused" and headless["form"] == "kepbup"
    assert "nomor" in headless["reason"] and "jenis" not in headless["reason"]


def test_a_file_over_the_upload_limit_is_refused(other, tmp_path, monkeypatch):
    root = tmp_path / "masuk"
    write(root, "lahat-1.txt", decree())
    monkeypatch.setitem(other.config, "MAX_UPLOAD_BYTES", 512)
    [row] = run(other, root).rows
    assert row["status"] == "refused" and "batas unggah" in row["reason"]
    assert counts(other)["regulations"] == 0


def test_an_interrupted_run_resumes_without_duplicates_or_leftovers(other, tmp_path):
    root = decree_folder(tmp_path / "masuk")

    def stop_after_two(done, _total):
        if done == 2:
            raise KeyboardInterrupt

    with other.app_context(), pytest.raises(KeyboardInterrupt):
        import_folder(root, ImportOptions(), stop_after_two)
    db.session.remove()
    interrupted = counts(other)
    assert interrupted["regulations"] == 2  # arsip/2025/lahat-2.TXT and lahat-1.txt, then stop
    assert len(interrupted["files"]) == 2
    rows = by_path(run(other, root))
    assert [rows[name]["status"] for name in ("arsip/2025/lahat-2.TXT", "lahat-1.txt")] == [
        "unchanged",
        "unchanged",
    ]
    assert rows["lahat-tanpa-tahun.md"]["status"] == "needs_review"
    keys = live_identities(other)
    assert len(keys) == len(set(keys))
    assert_whole(other)


def test_a_file_interrupted_while_it_is_stored_leaves_nothing(other, tmp_path, monkeypatch):
    root = decree_folder(tmp_path / "masuk")
    save = folder_import.save_regulation

    def killed_after_storing(*args, **kwargs):
        save(*args, **kwargs)  # flushed, its file in the store
        raise KeyboardInterrupt

    monkeypatch.setattr(folder_import, "save_regulation", killed_after_storing)
    with other.app_context(), pytest.raises(KeyboardInterrupt):
        import_folder(root, ImportOptions())
    db.session.remove()
    assert counts(other)["regulations"] == 0 and counts(other)["files"] == []
    monkeypatch.setattr(folder_import, "save_regulation", save)
    rows = by_path(run(other, root))
    assert rows["arsip/2025/lahat-2.TXT"]["status"] in STORED
    assert_whole(other)


def test_the_command_shows_progress_writes_the_report_and_exits_0(other, tmp_path, monkeypatch):
    root = decree_folder(tmp_path / "masuk")
    report_path = tmp_path / "laporan.csv"
    with other.app_context():
        result = other.test_cli_runner().invoke(
            args=["corpus", "import-folder", str(root), "--report", str(report_path)]
        )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(report_path.read_text(encoding="utf-8"))))
    assert len(rows) == 6 and {row["status"] for row in rows} >= {"refused", "needs_review"}
    refused = sum(row["status"] == "refused" for row in rows)
    assert "6 berkas diproses" in result.output and f"ditolak: {refused}" in result.output
    assert f"Laporan CSV: {report_path}" in result.output
    assert counts(other)["outbox"] == 0  # the command applied its index changes
    assert_whole(other)
    monkeypatch.chdir(tmp_path)
    with other.app_context():
        again = other.test_cli_runner().invoke(
            args=["corpus", "import-folder", str(root), "--dry-run"]
        )
    assert again.exit_code == 0, again.output
    assert f"tidak berubah: {6 - refused}" in again.output and "Uji coba" in again.output
    assert len(list(tmp_path.glob("import-report-*.csv"))) == 1


def test_a_bulk_load_rebuilds_the_index_once_at_the_end(other, tmp_path, monkeypatch):
    root = decree_folder(tmp_path / "masuk")
    monkeypatch.setattr(corpus_cli, "BULK_FROM", 2)  # 6 files into an empty corpus: bulk
    monkeypatch.setattr(outbox, "REBUILD_FROM", 2)
    calls = []
    for name in ("rebuild_index", "_apply_batch"):
        original = getattr(outbox, name)
        monkeypatch.setattr(outbox, name, spy(original, calls, name))
    with other.app_context():
        result = other.test_cli_runner().invoke(
            args=["corpus", "import-folder", str(root), "--report", str(tmp_path / "r.csv")]
        )
    assert result.exit_code == 0, result.output
    assert "Memperbarui indeks pencarian" in result.output
    if other.config["SEARCH_BACKEND"] == "postgresql":  # written by each file's transaction
        assert calls == []
    else:
        assert calls == ["rebuild_index"]  # once, at the end, and no batch on the way
    assert counts(other)["outbox"] == 0  # the rebuild reflects every change it dropped
    assert_whole(other)


def spy(function, calls: list, name: str):
    """`function`, noting `name` in `calls` each time it is called."""

    def noted(*args, **kwargs):
        calls.append(name)
        return function(*args, **kwargs)

    return noted


def test_the_command_killed_while_storing_a_file_leaves_nothing_of_it(other, tmp_path, monkeypatch):
    root = decree_folder(tmp_path / "masuk")
    save, calls = folder_import.save_regulation, []

    def killed_on_the_second(*args, **kwargs):
        regulation = save(*args, **kwargs)
        calls.append(regulation.file_sha256)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGTERM)  # kill, as an operator would
        return regulation

    monkeypatch.setattr(folder_import, "save_regulation", killed_on_the_second)
    command = ["corpus", "import-folder", str(root), "--report", str(tmp_path / "r.csv")]
    handler = signal.getsignal(signal.SIGTERM)
    with other.app_context():
        result = other.test_cli_runner().invoke(args=command)
    assert result.exit_code == 1 and "Dihentikan" in result.output
    assert signal.getsignal(signal.SIGTERM) is handler
    assert counts(other)["files"] == sorted(calls[:1])  # the second file was removed again
    monkeypatch.setattr(folder_import, "save_regulation", save)
    with other.app_context():
        assert other.test_cli_runner().invoke(args=command).exit_code == 0
    assert_whole(other)


@pytest.mark.parametrize(
    "args, message",
    [
        (["/tidak/ada"], "Folder tidak ditemukan"),
        (["{root}", "--form", "kepala_desa"], "Jenis 'kepala_desa' tidak dikenal"),
        (["{root}", "--region", "99.99"], "Kode wilayah '99.99' tidak dikenal"),
        (["{root}", "--form", "uu", "--region", "16.04"], "tidak cocok"),
        (["{root}", "--tidak-ada"], "No such option"),
    ],
    ids=["folder", "form", "region", "form-region", "option"],
)
def test_usage_errors_exit_1(other, tmp_path, args, message):
    args = [arg.replace("{root}", str(tmp_path)) for arg in args]
    with other.app_context():
        result = other.test_cli_runner().invoke(args=["corpus", "import-folder", *args])
    assert result.exit_code == 1, result.output
    assert message in result.output


def national_acts(folder: Path) -> list[str]:
    """A few national acts taken from the archive at run time (members read, not extracted)."""
    wanted = set(NATIONAL_ACTS)
    with tarfile.open(NATIONAL_ARCHIVE, "r:xz") as archive:
        for member in archive:
            if member.name in wanted and member.isfile():
                write(folder, member.name, archive.extractfile(member).read())
                wanted.discard(member.name)
                if not wanted:
                    break
    return sorted(set(NATIONAL_ACTS) - wanted)


@needs_shared_data
@pytest.mark.slow
def test_real_decrees_and_national_acts_are_imported_and_a_rerun_changes_nothing(other, tmp_path):
    root = tmp_path / "masuk"
    for pdf in sorted(REAL_PDFS.glob("*.pdf")):
        write(root, f"pdf/{pdf.name}", pdf.read_bytes())
    acts = national_acts(root / "nasional")
    assert acts, "no national act found in the archive"
    decree_folder(root / "lahat")
    first = by_path(run(other, root))
    assert len(first) == len(list(REAL_PDFS.glob("*.pdf"))) + len(acts) + 6
    assert all(row["status"] in STATUSES for row in first.values())
    assert all(row["reason"] for row in first.values() if row["status"] == "refused")
    scan = first["pdf/15-medan-perwal-33-2021-SCAN.pdf"]
    assert scan["status"] == "refused" and "teks" in scan["reason"]  # no text layer
    stored = [row for row in first.values() if row["status"] in STORED]
    assert stored and counts(other)["regulations"] == len(stored)
    assert_whole(other)
    before = counts(other)
    second = by_path(run(other, root))
    assert counts(other) == before
    assert [path for path, row in second.items() if row["status"] == "unchanged"] == [
        path for path, row in first.items() if row["status"] in STORED
    ]


def test_documents_are_found_at_any_depth_without_following_links(tmp_path):
    root = decree_folder(tmp_path / "masuk")
    outside = tmp_path / "luar"
    write(outside, "rahasia.txt", decree("9 TAHUN 2025"))
    (root / "ke-luar").symlink_to(outside, target_is_directory=True)
    found = [path.relative_to(root).as_posix() for path in folder_import.find_documents(root)]
    assert found == [
        "arsip/2025/lahat-2.TXT",
        "lahat-1.txt",
        "lahat-tanpa-tahun.md",
        "rusak.pdf",
        "salinan/lahat-1-lain.txt",
        "tanpa-kepala.txt",
    ]
    shutil.rmtree(outside)


def test_the_folder_naming_states_form_year_and_number_and_a_disagreement_is_flagged(
    other, tmp_path
):
    root = tmp_path / "arsip"
    # Headless text: only its path says what it is; its title is read from its Penjelasan.
    write(
        root,
        "pp/1984/20.md",
        "a. bahwa perlu mengatur pelabuhan udara; PENJELASAN ATAS "
        "PERATURAN PEMERINTAH NOMOR 20 TAHUN 1984 TENTANG PERUSAHAAN UMUM ANGKASA PURA "
        "Menimbang ...",
    )
    write(root, "kepbup/2025/7.txt", decree("1 TAHUN 2025"))  # the text says number 1
    rows = by_path(run(other, root, names="{form}/{year}/{number}"))
    headless, differing = rows["pp/1984/20.md"], rows["kepbup/2025/7.txt"]
    assert (headless["form"], headless["number"], headless["year"]) == ("pp", "20", 1984)
    assert headless["status"] == "created" and headless["region_code"] == ""
    assert (differing["form"], differing["number"], differing["year"]) == ("kepbup", "7", 2025)
    assert differing["status"] == "needs_review"
    assert "teks menyebut '1', nama berkas '7'" in differing["reason"]


def test_an_unknown_field_in_the_naming_is_a_usage_error(other, tmp_path):
    (tmp_path / "kosong").mkdir()
    with other.app_context():
        result = other.test_cli_runner().invoke(
            args=["corpus", "import-folder", str(tmp_path / "kosong"), "--names", "{jenis}/{nomor}"]
        )
    assert result.exit_code == 1 and "Pola nama berkas tidak valid" in result.output
