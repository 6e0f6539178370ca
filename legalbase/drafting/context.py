"""The context of a draft, from the corpus rather than typed: the head's title, the place of
enactment, the Mengingat assembled and ordered, the Menimbang and diktum in the region's words,
and the membership rows from the drafter's fields. Lint runs on what is assembled."""

from dataclasses import dataclass, field
from datetime import date

from ..core import db
from ..core.dates import indonesian_date
from ..corpus.citation_lint import Finding, lint_mengingat, mengingat_config, seeded
from ..corpus.citations import (
    amendments_of,
    cite_with_amendments,
    cited_name,
    prefetch_chains,
)
from ..corpus.forms import FORMS
from ..corpus.models import Regulation
from ..corpus.reading import title_case
from ..corpus.status import corpus_stamp
from ..coverage.reports import current_rules
from ..regions.models import UNSURE_SEATS, Region
from ..regions.registry import get_region
from .catalog import Template
from .fields import check_fields

ORDINALS = (
    "KESATU",
    "KEDUA",
    "KETIGA",
    "KEEMPAT",
    "KELIMA",
    "KEENAM",
    "KETUJUH",
    "KEDELAPAN",
    "KESEMBILAN",
    "KESEPULUH",
)
PLACEHOLDER_NUMBER = "[nomor belum diisi]"
PLACEHOLDER_DATE = "[tanggal belum diisi]"
TASK_FORCE = "Gugus Tugas Pencegahan dan Penanganan Tindak Pidana Perdagangan Orang"
DECREE_NAME = {
    "provinsi": "Keputusan Gubernur",
    "kabupaten": "Keputusan Bupati",
    "kota": "Keputusan Wali Kota",
}
PERPRES_ARTICLE = {"provinsi": "Pasal 12", "kabupaten": "Pasal 13", "kota": "Pasal 13"}


@dataclass
class DraftContext:
    """What a template renders, what lint found, and the acts the Mengingat cites."""

    values: dict
    context: dict
    lint: list[Finding]
    cited_ids: tuple[int, ...] = ()
    as_of: date = field(default_factory=date.today)


def draft_context(
    template: Template, region_code: str, fields: dict, options: dict, as_of: date | None = None
) -> DraftContext:
    """Everything a template needs for one region; Invalid names a missing or bad field."""
    with db.memo_scope():
        return _draft_context(template, region_code, fields, options, as_of)


def _draft_context(template, region_code, fields, options, as_of) -> DraftContext:
    region = get_region(region_code)
    values = check_fields(template, region, fields, options)
    as_of = values["tanggal_penetapan"] or as_of or date.today()
    block = mengingat_block(region, as_of)
    context = _context(template, region, values, block, as_of)
    findings = (
        list(block.findings)
        + _placeholder_findings(values)
        + _seat_findings(region, values["tempat"])
    )
    return DraftContext(values, context, findings, block.cited_ids, as_of)


@dataclass(frozen=True)
class Mengingat:
    """The assembled Mengingat of a date, its lint, the acts it cites, and the national chain
    as the Menimbang names it: plain data, shared by every draft of the same corpus state."""

    texts: tuple[str, ...]
    findings: tuple[Finding, ...]
    cited_ids: tuple[int, ...]
    chain_phrase: str


_BLOCKS: dict = {}
_BLOCKS_KEPT = 64


def mengingat_block(region: Region, as_of: date) -> Mengingat:
    """The Mengingat for a region on a date, assembled once per corpus state (the cache key
    changes with every change to regulations and relations)."""
    keys = tuple(mengingat_keys(region))
    cache_key = (str(db.engine().url), corpus_stamp(), as_of, keys)
    block = _BLOCKS.get(cache_key)
    if block is None:
        block = _assemble(keys, as_of)
        if len(_BLOCKS) >= _BLOCKS_KEPT:
            _BLOCKS.clear()
        _BLOCKS[cache_key] = block
    return block


def _assemble(keys: tuple[str, ...], as_of: date) -> Mengingat:
    found = [base for base in seeded(list(keys)) if base.in_force_from <= as_of]
    bases = sorted(found, key=lambda base: (FORMS[base.form].rank, base.in_force_from, base.id))
    prefetch_chains(bases, as_of)
    texts = [cite_with_amendments(base, amendments_of(base, as_of)) for base in bases]
    findings = lint_mengingat(texts, as_of, seeded(mengingat_config()["required_chain"]))
    cited = {act.id for base in bases for act in [base, *amendments_of(base, as_of)]}
    return Mengingat(tuple(texts), tuple(findings), tuple(sorted(cited)), _chain_phrase(as_of))


def mengingat_keys(region: Region) -> list[str]:
    """Seed keys of the acts to cite: the configured national bases and the region's own
    formation law where the corpus holds it."""
    config = mengingat_config()
    keys = list(config["bases"])
    for code in (region.code, region.parent_code):
        if code and code in (config.get("formation_laws") or {}):
            keys.append(config["formation_laws"][code])
    return keys


def _context(
    template: Template, region: Region, values: dict, block: Mengingat, as_of: date
) -> dict:
    decree = DECREE_NAME[region.level]
    amended = values.get("sk_diubah_id")
    subject = _subject(region, amended)
    context = {
        "dengan_rahmat": values["dengan_rahmat"],
        "kepala": {
            "jabatan": region.head_title,
            "provinsi_baris": _province_line(region),
            "judul_keputusan": f"KEPUTUSAN {region.head_title}",
        },
        "nomor": values["nomor"] or PLACEHOLDER_NUMBER,
        "tentang": subject.upper(),
        "menimbang": _menimbang(region, decree, subject, amended, block.chain_phrase),
        "mengingat": list(block.texts),
        "memperhatikan": values["memperhatikan"],
        "menetapkan": f"{decree.upper()} TENTANG {subject.upper()}.",
        "diktum": _diktum(region, decree, amended, bool(values["anggota"]), block.chain_phrase),
        "tempat": values["tempat"],
        "tanggal": (
            indonesian_date(values["tanggal_penetapan"])
            if values["tanggal_penetapan"]
            else PLACEHOLDER_DATE
        ),
        "penandatangan": {
            "jabatan": f"{region.head_title},",
            "nama": values["nama_penandatangan"].upper(),
        },
        "tembusan": values["tembusan"],
        "lampiran": {
            "judul": f"SUSUNAN KEANGGOTAAN {TASK_FORCE.upper()} {_region_words(region).upper()}",
            "anggota": [{"no": n, **row} for n, row in enumerate(values["anggota"], start=1)],
        },
        "perubahan": {"sk_diubah": _amended_name(amended) if amended else ""},
    }
    return context


def _province_line(region: Region) -> str:
    if region.level == "provinsi":
        return ""
    return f"PROVINSI {get_region(region.parent_code).name.upper()}"


def _region_words(region: Region) -> str:
    return f"Provinsi {region.name}" if region.level == "provinsi" else region.name


def _subject(region: Region, amended: Regulation | None) -> str:
    if amended is None:
        return f"Pembentukan {TASK_FORCE} {_region_words(region)}"
    return f"Perubahan atas {_amended_name(amended)}"


def _amended_name(amended: Regulation) -> str:
    return f"{cited_name(amended)} tentang {amended.title}"


def _chain_phrase(as_of: date) -> str:
    root = seeded([current_rules().root_act])[0]
    chain = amendments_of(root, as_of)
    text = cited_name(root)
    if len(chain) == 1:
        text += f" sebagaimana telah diubah dengan {cited_name(chain[0])}"
    elif chain:
        text += f" sebagaimana telah diubah beberapa kali, terakhir dengan {cited_name(chain[-1])}"
    return text


def _menimbang(
    region: Region, decree: str, subject: str, amended: Regulation | None, chain: str
) -> list[str]:
    first = (
        "bahwa perdagangan orang merupakan tindak pidana yang merendahkan harkat dan "
        "martabat manusia serta melanggar hak asasi manusia, sehingga perlu dicegah dan "
        "ditangani secara terpadu;"
    )
    if amended is None:
        second = (
            f"bahwa berdasarkan Pasal 58 Undang-Undang Nomor 21 Tahun 2007 tentang "
            f"Pemberantasan Tindak Pidana Perdagangan Orang dan "
            f"{PERPRES_ARTICLE[region.level]} {chain}, pemerintah daerah membentuk "
            f"{TASK_FORCE};"
        )
    else:
        second = (
            f"bahwa {_amended_name(amended)} perlu disesuaikan dengan {chain}, "
            f"termasuk pembentukan Subgugus Tugas;"
        )
    last = (
        f"bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, "
        f"perlu menetapkan {decree} tentang {subject};"
    )
    return [first, second, last]


def _diktum(
    region: Region, decree: str, amended: Regulation | None, members: bool, chain: str
) -> list[dict]:
    fields = ", ".join(
        f"Subgugus Tugas {title_case(name.upper())}" for name in current_rules().subgugus_fields
    )
    budget = f"Anggaran Pendapatan dan Belanja Daerah {_region_words(region)}"
    opening = (
        f"Membentuk {TASK_FORCE} {_region_words(region)}, yang selanjutnya disebut Gugus "
        f"Tugas, dengan susunan keanggotaan sebagaimana tercantum dalam Lampiran yang "
        f"merupakan bagian tidak terpisahkan dari Keputusan ini."
    )
    if amended is not None:
        opening = (
            f"Mengubah {_amended_name(amended)} untuk menyesuaikannya dengan "
            f"{chain} dan membentuk Subgugus Tugas"
            + (
                ", dengan susunan keanggotaan Gugus Tugas sebagaimana tercantum dalam "
                "Lampiran yang merupakan bagian tidak terpisahkan dari Keputusan ini."
                if members
                else "."
            )
        )
    texts = [
        opening,
        "Gugus Tugas sebagaimana dimaksud dalam Diktum KESATU bertugas mengoordinasikan upaya "
        "pencegahan dan penanganan tindak pidana perdagangan orang, melaksanakan advokasi, "
        "sosialisasi, pelatihan, dan kerja sama, memantau perlindungan korban serta penegakan "
        "hukum, dan melaksanakan pelaporan dan evaluasi.",
        f"Gugus Tugas terdiri atas {fields}.",
        f"Segala biaya yang timbul akibat ditetapkannya Keputusan ini dibebankan pada {budget}.",
        f"{decree} ini mulai berlaku pada tanggal ditetapkan.",
    ]
    return [{"label": ORDINALS[n], "isi": text} for n, text in enumerate(texts)]


def _placeholder_findings(values: dict) -> list[Finding]:
    findings = []
    if not values["nomor"]:
        findings.append(
            Finding(
                "field_placeholder",
                "warning",
                f"Nomor keputusan belum diisi; dicetak sebagai {PLACEHOLDER_NUMBER}.",
            )
        )
    if not values["tanggal_penetapan"]:
        findings.append(
            Finding(
                "field_placeholder",
                "warning",
                f"Tanggal penetapan belum diisi; dicetak sebagai {PLACEHOLDER_DATE}.",
            )
        )
    return findings


def _seat_findings(region: Region, place: str) -> list[Finding]:
    if place != region.seat or region.seat_confidence not in UNSURE_SEATS:
        return []
    note = f" {region.seat_note}" if region.seat_note else ""
    return [
        Finding(
            "seat_unsure",
            "warning",
            f"Tempat penetapan '{place}' adalah ibu kota menurut registri wilayah "
            f"({region.seat_confidence_label}).{note} Periksa SK terbaru daerah ini; bila "
            "berbeda, isi tempat penetapan yang benar atau koreksi ibu kota wilayah.",
        )
    ]
