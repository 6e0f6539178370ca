"""Surat pengingat: one reminder letter (naskah dinas surat) to the head of every lagging region
of a selection, saying its coverage status, the reasons, the deadline and what to do, with its
open draft SK attached where one exists; written by a job into a ZIP with a manifest.csv.

The letter's context comes from coverage, the region registry and the request; a fact nobody gave
is printed as a visible blank ([belum diisi]) and reported by the letter's lint. Every letter is
checked as drafts are: no template syntax left, no English, its status and reasons equal to the
coverage of the same date."""

import csv
import io
import re
import zipfile
from datetime import date

import docx

from ..core import audit, db
from ..core.dates import indonesian_date
from ..core.errors import Invalid
from ..core.storage import file_store
from ..corpus.citation_lint import Finding
from ..corpus.citations import cited_name
from ..corpus.reading import title_case
from ..coverage.basis import RegionCoverage, coverage, national_chain
from ..coverage.export import STATUS_LABELS
from ..coverage.reports import coverage_report, current_rules
from ..drafting.catalog import LETTER, Template, chosen_template, get_template
from ..drafting.drafts import draft_docx
from ..drafting.lifecycle import open_draft_of
from ..drafting.render import render_docx, zip_entry
from ..drafting.uploads import TemplateKind, register_template_kind
from ..jobs import Job, create_job, report_progress
from ..regions.models import Region
from ..regions.registry import find_region

KIND = "reminder_letters"
LETTER_TEMPLATE = "surat-pengingat"
LAGGING = ("outdated", "expired", "missing", "unreported")
BLANK = "[belum diisi]"
TASK_FORCE = "Gugus Tugas Pencegahan dan Penanganan Tindak Pidana Perdagangan Orang"
DECREE_NAME = {"provinsi": "Keputusan Gubernur", "kabupaten": "Keputusan Bupati"}
# What the request may give (name: type, as a manifest's fields) and their labels in lint.
LETTER_FIELDS = {
    "instansi": "string",
    "alamat": "string",
    "nomor": "string",
    "sifat": "string",
    "hal": "string",
    "tempat": "string",
    "tanggal_surat": "date",
    "nama_penandatangan": "string",
    "jabatan_penandatangan": "string",
    "tembusan": "list",
    "batas_waktu": "date",
}
SENDER_LABELS = {
    "instansi": "Instansi pengirim",
    "alamat": "Alamat pengirim",
    "nomor": "Nomor surat",
    "sifat": "Sifat surat",
    "hal": "Hal",
    "tempat": "Tempat surat",
    "tanggal_surat": "Tanggal surat",
    "nama_penandatangan": "Nama penandatangan",
    "jabatan_penandatangan": "Jabatan penandatangan",
    "batas_waktu": "Batas waktu",
}
SENDER_FIELDS = frozenset(LETTER_FIELDS) - {"batas_waktu"}  # the deadline comes on its own
MANIFEST_COLUMNS = ("region_code", "region_name", "status", "file", "attachment", "lint")
# Common English words a template or the data could leak into a letter (checked on its text).
ENGLISH_WORDS = frozenset(
    {
        "the", "and", "of", "to", "for", "with", "is", "are", "this", "that", "from", "by",
        "on", "status", "current", "outdated", "expired", "missing", "unreported", "required",
        "progress", "draft", "none", "true", "false", "null", "region", "letter", "deadline",
        "reason", "reasons", "days", "overdue", "date", "not",
    }
)  # fmt: skip
SYNTAX = ("{{", "}}", "{%", "%}", "{#")
PROGRESS_EVERY = 10


# --- the request ----------------------------------------------------------------------------


def start_letters(
    selection: dict,
    sender: dict,
    deadline: date | None,
    actor: audit.Actor,
    template_name: str = LETTER_TEMPLATE,
    as_of: date | None = None,
) -> Job:
    """Queue the letters for the lagging regions of a selection ({"province", "statuses",
    "region_codes"}); Invalid (422) names a bad template, selection, sender field or deadline."""
    as_of = as_of or date.today()
    template = chosen_template(template_name, LETTER)
    chosen = check_selection(selection)
    params = {
        "template": template.name,
        **chosen,
        "sender": check_sender(sender),
        "batas_waktu": check_deadline(deadline, as_of).isoformat(),
        "as_of": as_of.isoformat(),
    }
    return create_job(KIND, params, actor, chosen["province"])


def check_selection(selection: dict) -> dict:
    """The selection with its statuses (every lagging one by default) and known regions."""
    statuses = list(selection.get("statuses") or LAGGING)
    unknown = [status for status in statuses if status not in LAGGING]
    if unknown:
        _refuse("statuses", f"Status harus dari: {', '.join(LAGGING)}.")
    province = selection.get("province") or None
    if province and _region(province, "provinsi") is None:
        _refuse("province", f"Kode provinsi '{province}' tidak dikenal.")
    codes = sorted(set(selection.get("region_codes") or []))
    missing = [code for code in codes if _region(code) is None]
    if missing:
        _refuse("region_codes", f"Kode wilayah tidak dikenal: {', '.join(missing)}.")
    return {"statuses": sorted(statuses), "province": province, "region_codes": codes}


def check_sender(sender: dict) -> dict:
    """The sender's fields as text (tembusan a list of lines); Invalid for anything else."""
    unknown = sorted(set(sender) - SENDER_FIELDS)
    if unknown:
        _refuse("sender", f"Isian tidak dikenal: {', '.join(unknown)}.")
    kept = {}
    for name, value in sender.items():
        if LETTER_FIELDS[name] == "list":
            kept[name] = [str(line).strip() for line in value or [] if str(line).strip()]
        elif value not in (None, ""):
            kept[name] = _text_or_date(name, value)
    return kept


def _text_or_date(name: str, value) -> str:
    if LETTER_FIELDS[name] == "date":
        return _iso_date(name, value).isoformat()
    if not isinstance(value, str):
        _refuse(name, "Harus berupa teks.")
    return value.strip()


def check_deadline(deadline: date | None, as_of: date) -> date:
    """The day the regions must act by: required, and after the day the letters are made."""
    if deadline is None:
        _refuse("batas_waktu", "Wajib diisi: tanggal batas waktu tindak lanjut.")
    if deadline <= as_of:
        _refuse("batas_waktu", f"Batas waktu harus sesudah {indonesian_date(as_of)}.")
    return deadline


def _iso_date(name: str, value) -> date:
    try:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        _refuse(name, "Tanggal harus berformat TTTT-BB-HH.")


def _refuse(name: str, message: str):
    raise Invalid(
        f"Permintaan surat pengingat tidak valid: {message}", {"fields": {name: [message]}}
    )


def _region(code: str, level: str | None = None) -> Region | None:
    region = find_region(code) if isinstance(code, str) else None
    if region is None or (level and region.level != level):
        return None
    return region


# --- the job --------------------------------------------------------------------------------


def write_letters(job: Job) -> None:
    """The "reminder_letters" job: a letter for every lagging region selected, its open draft
    attached, and manifest.csv, in one ZIP."""
    params = job.params
    template, as_of = get_template(params["template"]), date.fromisoformat(params["as_of"])
    items = lagging_items(template, params, as_of)
    job.status, job.total, job.progress = "running", len(items), 0
    db.session.commit()
    entries = []
    for item in items:
        entries.append(letter_entry(template, item, params, as_of))
        if len(entries) % PROGRESS_EVERY == 0:
            job.progress = len(entries)
            db.session.commit()  # renews the lease; the page shows the progress
        report_progress()
    job.result_sha256 = file_store().put(db.session, letters_archive(entries, as_of))
    job.progress = job.total


def lagging_items(template: Template, params: dict, as_of: date) -> list[RegionCoverage]:
    """The coverage items of the selection, of the template's levels, whose status is one of
    its lagging statuses."""
    codes = set(params.get("region_codes") or [])
    items = coverage_report(as_of, params.get("province"))["items"]
    return [
        item
        for item in items
        if item.status in params["statuses"]
        and item.region.autonomous
        and item.region.level in template.levels
        and (not codes or item.region.code in codes)
    ]


def letter_entry(template: Template, item: RegionCoverage, params: dict, as_of: date) -> dict:
    """One region's letter rendered and checked, with its attachment (or None)."""
    attachment = draft_attachment(item.region)
    deadline = date.fromisoformat(params["batas_waktu"])
    built = letter_context(item, params["sender"], deadline, as_of, attachment is not None)
    content = render_docx(template.path, built["context"], as_of)
    findings = built["lint"] + check_letter(letter_text(content), item)
    return {
        "item": item,
        "file": f"{region_slug(item.region)}.docx",
        "content": content,
        "attachment": attachment,
        "lint": findings,
    }


def draft_attachment(region: Region) -> tuple[str, bytes] | None:
    """The DOCX of the latest version of the region's open draft SK, named; None without one."""
    draft = open_draft_of(region.code)
    if draft is None or not draft.versions:
        return None
    version = draft.versions[-1]
    name = f"{region_slug(region)}-lampiran-draf-{draft.id}-v{version.number}.docx"
    return name, draft_docx(version)


def region_slug(region: Region) -> str:
    """'16.04-kabupaten-lahat'."""
    return f"{region.code}-{'-'.join(region.name.lower().split())}"


def letters_archive(entries: list[dict], as_of: date) -> bytes:
    """The ZIP: each letter, each attachment, and manifest.csv, dated from the inputs."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for entry in entries:
            archive.writestr(zip_entry(entry["file"], as_of, zipfile.ZIP_STORED), entry["content"])
            if entry["attachment"]:
                name, content = entry["attachment"]
                archive.writestr(zip_entry(name, as_of, zipfile.ZIP_STORED), content)
        archive.writestr(zip_entry("manifest.csv", as_of, zipfile.ZIP_DEFLATED), manifest(entries))
    return out.getvalue()


def manifest(entries: list[dict]) -> str:
    """manifest.csv: one row per letter: region, status, letter file, attachment, lint codes."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(MANIFEST_COLUMNS)
    for entry in entries:
        region = entry["item"].region
        attachment = entry["attachment"][0] if entry["attachment"] else ""
        codes = " ".join(sorted({finding.code for finding in entry["lint"]}))
        writer.writerow(
            (region.code, region.name, entry["item"].status, entry["file"], attachment, codes)
        )
    return text.getvalue()


# --- the context ----------------------------------------------------------------------------


def letter_context(
    item: RegionCoverage, sender: dict, deadline: date | None, as_of: date, attached: bool
) -> dict:
    """{"context", "lint"}: what the letter template renders for one region, and the blanks."""
    blanks: list[str] = []

    def given(name: str) -> str:
        value = sender.get(name)
        if not value:
            blanks.append(name)
            return BLANK
        return indonesian_date(date.fromisoformat(value)) if name == "tanggal_surat" else value

    region = item.region
    context = {
        "kop": {"instansi": given("instansi").upper(), "alamat": given("alamat")},
        "nomor": given("nomor"),
        "sifat": given("sifat"),
        "lampiran": "1 (satu) berkas" if attached else "-",
        "hal": given("hal"),
        "tempat": given("tempat"),
        "tanggal": given("tanggal_surat"),
        "tujuan": {"jabatan": title_case(region.head_title), "tempat": region.seat or BLANK},
        "wilayah": {"kode": region.code, "nama": region_words(region)},
        "per_tanggal": indonesian_date(as_of),
        "keadaan": _standing(item),
        "disusun": _in_progress(item),
        "langkah": next_step(item, as_of),
        "batas_waktu": indonesian_date(deadline) if deadline else BLANK,
        "lampiran_draf": attached,
        "penandatangan": {
            "jabatan": given("jabatan_penandatangan"),
            "nama": given("nama_penandatangan"),
        },
        "tembusan": list(sender.get("tembusan") or []),
    }
    if region.seat is None:
        blanks.append("tempat_tujuan")
    if deadline is None:
        blanks.append("batas_waktu")
    return {"context": context, "lint": [_blank_finding(name) for name in blanks]}


def _blank_finding(name: str) -> Finding:
    label = SENDER_LABELS.get(name, "Ibu kota daerah tujuan")
    return Finding("field_placeholder", "warning", f"{label} belum diisi; dicetak sebagai {BLANK}.")


def region_words(region: Region) -> str:
    """'Provinsi Sumatera Selatan', 'Kabupaten Lahat', 'Kota Palembang'."""
    return f"Provinsi {region.name}" if region.level == "provinsi" else region.name


def _standing(item: RegionCoverage) -> dict:
    return {
        "label": STATUS_LABELS[item.status],
        "alasan": [reason.message for reason in item.reasons],
        "terlambat": f"{item.overdue_days} hari" if item.overdue_days else "",
    }


def _in_progress(item: RegionCoverage) -> str:
    work = item.in_progress
    if not work:
        return ""
    return (
        f"draf keputusan sedang disusun (tahap: {work['state_label']}) "
        f"sejak {indonesian_date(work['since'])}"
    )


def next_step(item: RegionCoverage, as_of: date) -> str:
    """What the region must do, by its status, in the words of the letter."""
    region = region_words(item.region)
    decree = DECREE_NAME.get(item.region.level, "Keputusan Wali Kota")
    if item.status == "outdated":
        latest = cited_name(national_chain(current_rules(), as_of).latest)
        return (
            f"menyesuaikan dasar hukum pembentukan {TASK_FORCE} {region} dengan {latest}, "
            f"termasuk pembentukan Subgugus Tugas, dengan {decree} tentang perubahan"
        )
    if item.status in ("missing", "expired"):
        return f"membentuk {TASK_FORCE} {region} dengan {decree}"
    return (
        f"melaporkan dasar hukum pembentukan {TASK_FORCE} {region} dengan mengunggahnya ke "
        "legalbase, atau menyatakan bahwa dasar hukum tersebut belum ada"
    )


# --- the checks -----------------------------------------------------------------------------


def letter_text(content: bytes) -> str:
    """Every paragraph of a letter, its tables' included, one per line."""
    document = docx.Document(io.BytesIO(content))
    lines = [paragraph.text for paragraph in document.paragraphs]
    lines += [
        paragraph.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
    ]
    return "\n".join(lines)


def check_letter(text: str, item: RegionCoverage) -> list[Finding]:
    """What is wrong with a rendered letter: template syntax left, English words, a status or a
    reason other than coverage's for the same date."""
    findings = [
        Finding("template_syntax", "error", f"Sintaks templat tersisa dalam surat: {mark}")
        for mark in SYNTAX
        if mark in text
    ]
    english = sorted(set(re.findall(r"[a-z]+", text.lower())) & ENGLISH_WORDS)
    if english:
        findings.append(
            Finding(
                "english_word", "error", f"Kata bahasa Inggris dalam surat: {', '.join(english)}."
            )
        )
    expected = [STATUS_LABELS[item.status], *(reason.message for reason in item.reasons)]
    absent = [phrase for phrase in expected if phrase not in text]
    if absent:
        findings.append(
            Finding("status_mismatch", "error", f"Surat tidak memuat: {'; '.join(absent)}.")
        )
    return findings


# --- the kind of template -------------------------------------------------------------------


def sample_context(template: Template, region: Region) -> dict:
    """A region's letter with every request field blank: the upload check's context (inside a
    memo scope, the country's coverage is judged once for every region checked)."""
    today = date.today()
    item = _coverage_on(today).get(region.code) or coverage(current_rules(), today, [region])[0]
    return letter_context(item, {}, None, today, False)["context"]


@db.memoized(lambda day: day)
def _coverage_on(day: date) -> dict[str, RegionCoverage]:
    return {item.region.code: item for item in coverage_report(day)["items"]}


def register() -> None:
    """Let letter templates be uploaded and checked as SK templates are, and run the job."""
    from ..jobs import register as register_job

    register_template_kind(LETTER, TemplateKind(LETTER_FIELDS, ("batas_waktu",), sample_context))
    register_job(KIND, write_letters, result_name="surat-pengingat-{id}.zip")
