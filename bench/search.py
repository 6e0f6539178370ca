"""Search benchmark: legalbase's two search backends (Whoosh, PostgreSQL) against SQLite FTS5,
PostgreSQL's own `indonesian` configuration and a naive Whoosh build.

    .venv/bin/python bench/search.py                  # 2,000 documents, about a minute
    .venv/bin/python bench/search.py --docs 10000     # the issue's first size (~2 min)
    .venv/bin/python bench/search.py --docs 100000    # the second (~15 min with --skip-naive,
                                                      # which skips the naive build)

A seeded generator writes Indonesian regional regulations shaped like a JDIH collection (title,
Menimbang, Mengingat, diktum/pasal; 300 to 3,000 words), most about regional taxes and levies,
budget, spatial planning, personnel, health and education, TPPO a minority. For the same
documents, in the same run, it prints:
- build rate (documents/s) and size of legalbase's Whoosh index, of legalbase's PostgreSQL
  search table (`legalbase search reindex`: rows, TOAST and GIN indexes), of a table built with
  PostgreSQL's `indonesian` configuration (to_tsvector, title A / text D, one GIN index), of a
  naive Whoosh index (StandardAnalyzer, one default writer) and of SQLite FTS5 (unicode61);
- p50/p95 latency of the query mix in `search_judged.yaml` (words, phrases, region and year
  filters, citations), highlights included (legalbase, either backend: `search()` with facets,
  the page's rows from the database and three highlighted snippets; `indonesian`:
  websearch_to_tsquery, ts_rank top 10 with ts_headline plus a count; FTS5: bm25 top 10 with
  snippet() plus a count), and the ratios;
- precision and recall at 10 on the same hand-judged queries for every engine
  (P@10 = relevant among those returned in the top 10 / returned; R@10 = relevant in the top 10
  / min(10, relevant in the corpus)).

The PostgreSQL engines run in a schema of their own on LEGALBASE_BENCH_POSTGRES_URL (default
the CI server at 127.0.0.1:5432), dropped at the end; --skip-postgres leaves them out.
"""

import argparse
import os
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import yaml
from common import seeded_app  # noqa: F401  (puts the repository on sys.path)
from sqlalchemy import create_engine, delete, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from legalbase import create_app
from legalbase.core import db
from legalbase.core.audit import Actor
from legalbase.core.schema import upgrade_database
from legalbase.corpus.models import Regulation
from legalbase.regions.models import Region
from legalbase.regions.seed import sync_regions
from legalbase.search import backend
from legalbase.search.models import SearchOutbox
from legalbase.search.postgresql.queries import RANK_NORMALIZATION, RANK_WEIGHTS, index_scans
from legalbase.search.query_language import SearchRequest
from legalbase.search.whoosh.index import build_index

BENCH = Path(__file__).resolve().parent
PG_URL = os.environ.get(
    "LEGALBASE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
FOCUS = (
    "63.01",
    "63.71",
    "64.72",
    "64.02",
    "16.71",
    "16.03",
    "35.78",
    "33.03",
    "33.74",
    "52.71",
    "53.71",
    "61.71",
)
TOPIC_WEIGHTS = {
    "pajak": 16,
    "retribusi": 16,
    "anggaran": 16,
    "tataruang": 10,
    "kepegawaian": 14,
    "kesehatan": 10,
    "pendidikan": 10,
    "tppo": 8,
}

# sub: (topic, title, sentences that only this subtopic writes)
SUBTOPICS = {
    "hotel": (
        "pajak",
        "Pajak Hotel",
        [
            "pajak hotel dipungut atas pelayanan yang disediakan oleh hotel dengan pembayaran",
            "tarif pajak hotel ditetapkan sebesar sepuluh persen dari jumlah pembayaran tamu",
        ],
    ),
    "restoran": (
        "pajak",
        "Pajak Restoran",
        [
            "pajak restoran dikenakan atas makanan dan minuman yang disediakan restoran",
            "pengusaha restoran wajib memungut pajak dari pembeli makanan dan minuman",
        ],
    ),
    "reklame": (
        "pajak",
        "Pajak Reklame",
        [
            "pajak reklame dikenakan atas penyelenggaraan reklame papan billboard dan videotron",
            "nilai sewa reklame dihitung menurut ukuran lokasi dan jangka waktu penyelenggaraan",
        ],
    ),
    "airtanah": (
        "pajak",
        "Pajak Air Tanah",
        [
            "pajak air tanah dikenakan atas pengambilan dan pemanfaatan air tanah",
            "nilai perolehan air tanah dihitung menurut volume air yang diambil",
        ],
    ),
    "pbb": (
        "pajak",
        "Pajak Bumi dan Bangunan Perdesaan dan Perkotaan",
        [
            "objek pajak bumi dan bangunan perdesaan dan perkotaan adalah bumi dan bangunan",
            "nilai jual objek pajak ditetapkan setiap tiga tahun oleh kepala daerah",
        ],
    ),
    "parkir": (
        "retribusi",
        "Retribusi Parkir di Tepi Jalan Umum",
        [
            "retribusi parkir dipungut atas penyediaan pelayanan parkir di tepi jalan umum",
            "juru parkir wajib memberikan karcis parkir kepada pengguna jasa parkir kendaraan",
        ],
    ),
    "pasar": (
        "retribusi",
        "Retribusi Pelayanan Pasar",
        [
            "retribusi pelayanan pasar dipungut atas penggunaan kios los dan pelataran pasar",
            "pedagang yang melakukan kegiatan perdagangan barang di pasar rakyat wajib membayar",
        ],
    ),
    "sampah": (
        "retribusi",
        "Retribusi Pelayanan Persampahan/Kebersihan",
        [
            "retribusi pelayanan persampahan dipungut atas pengangkutan sampah rumah tangga",
            "pengelolaan persampahan dilakukan dengan pemilahan pengumpulan dan pengangkutan",
        ],
    ),
    "pbg": (
        "retribusi",
        "Retribusi Persetujuan Bangunan Gedung",
        [
            "retribusi persetujuan bangunan gedung dipungut atas penerbitan persetujuan bangunan",
            "indeks terintegrasi bangunan gedung dihitung menurut fungsi dan klasifikasi bangunan",
        ],
    ),
    "apbd": (
        "anggaran",
        "Anggaran Pendapatan dan Belanja Daerah Tahun Anggaran {year}",
        [
            "pendapatan daerah tahun anggaran ini direncanakan dari pendapatan asli daerah",
            "belanja daerah dialokasikan untuk belanja operasi "
            "belanja modal dan belanja tak terduga",
        ],
    ),
    "penjabaran": (
        "anggaran",
        "Penjabaran Anggaran Pendapatan dan Belanja Daerah",
        [
            "penjabaran anggaran memuat rincian pendapatan "
            "belanja dan pembiayaan per perangkat daerah",
            "rincian belanja menurut urusan pemerintahan "
            "organisasi program kegiatan dan subkegiatan",
        ],
    ),
    "lpj": (
        "anggaran",
        "Pertanggungjawaban Pelaksanaan Anggaran Pendapatan dan Belanja Daerah",
        [
            "laporan keuangan pemerintah daerah telah diperiksa oleh Badan Pemeriksa Keuangan",
            "pertanggungjawaban pelaksanaan anggaran memuat laporan realisasi anggaran dan neraca",
        ],
    ),
    "rtrw": (
        "tataruang",
        "Rencana Tata Ruang Wilayah",
        [
            "rencana tata ruang wilayah menjadi pedoman pemanfaatan ruang dan pengendalian",
            "rencana struktur ruang meliputi sistem pusat permukiman dan jaringan prasarana",
        ],
    ),
    "rdtr": (
        "tataruang",
        "Rencana Detail Tata Ruang Kawasan Perkotaan",
        [
            "rencana detail tata ruang memuat peraturan zonasi untuk setiap blok kawasan perkotaan",
            "ketentuan intensitas pemanfaatan ruang meliputi koefisien dasar bangunan",
        ],
    ),
    "tpp": (
        "kepegawaian",
        "Tambahan Penghasilan Pegawai Aparatur Sipil Negara",
        [
            "tambahan penghasilan pegawai diberikan berdasarkan "
            "beban kerja prestasi kerja dan kondisi",
            "besaran tambahan penghasilan pegawai memperhatikan kemampuan keuangan daerah",
        ],
    ),
    "disiplin": (
        "kepegawaian",
        "Penegakan Disiplin Pegawai Negeri Sipil",
        [
            "pegawai negeri sipil yang melanggar kewajiban masuk kerja dijatuhi hukuman disiplin",
            "hukuman disiplin terdiri atas hukuman disiplin ringan sedang dan berat",
        ],
    ),
    "jamkerja": (
        "kepegawaian",
        "Hari Kerja dan Jam Kerja di Lingkungan Pemerintah Daerah",
        [
            "hari kerja ditetapkan lima hari kerja dari Senin sampai dengan Jumat",
            "jam kerja efektif paling sedikit tiga puluh tujuh setengah jam dalam satu minggu",
        ],
    ),
    "stunting": (
        "kesehatan",
        "Percepatan Penurunan Stunting",
        [
            "percepatan penurunan stunting dilaksanakan melalui intervensi spesifik dan sensitif",
            "prevalensi stunting pada balita diturunkan melalui konvergensi program desa",
        ],
    ),
    "ktr": (
        "kesehatan",
        "Kawasan Tanpa Rokok",
        [
            "kawasan tanpa rokok meliputi fasilitas pelayanan kesehatan dan tempat proses belajar",
            "setiap orang dilarang merokok dan menjual rokok di kawasan tanpa rokok",
        ],
    ),
    "jamkesda": (
        "kesehatan",
        "Jaminan Kesehatan Daerah",
        [
            "jaminan kesehatan daerah diberikan kepada penduduk miskin yang belum terdaftar",
            "iuran jaminan kesehatan penerima bantuan dibayar dari anggaran daerah",
        ],
    ),
    "ppdb": (
        "pendidikan",
        "Penerimaan Peserta Didik Baru",
        [
            "penerimaan peserta didik baru dilaksanakan melalui jalur zonasi afirmasi dan prestasi",
            "kuota jalur zonasi paling sedikit lima puluh persen dari daya tampung sekolah",
        ],
    ),
    "beasiswa": (
        "pendidikan",
        "Pemberian Beasiswa bagi Mahasiswa Berprestasi",
        [
            "beasiswa diberikan kepada mahasiswa berprestasi dari keluarga kurang mampu",
            "penerima beasiswa wajib menyampaikan laporan hasil studi setiap semester",
        ],
    ),
    "wajibbelajar": (
        "pendidikan",
        "Wajib Belajar Dua Belas Tahun",
        [
            "program wajib belajar dua belas tahun menjamin setiap anak usia sekolah bersekolah",
            "pemerintah daerah menanggung biaya pendidikan anak dari keluarga kurang mampu",
        ],
    ),
    "gugus": (
        "tppo",
        "Pembentukan Gugus Tugas Pencegahan dan Penanganan Tindak Pidana Perdagangan Orang",
        [
            "Gugus Tugas PP-TPPO bertugas mengoordinasikan upaya pencegahan dan penanganan TPPO",
            "subgugus tugas pencegahan rehabilitasi kesehatan dan penegakan hukum dibentuk",
            "korban yang diperdagangkan berhak memperoleh rehabilitasi dan reintegrasi sosial",
        ],
    ),
    "rad": (
        "tppo",
        "Rencana Aksi Daerah Pencegahan dan Penanganan Tindak Pidana Perdagangan Orang",
        [
            "rencana aksi daerah memuat kegiatan pencegahan tindak pidana perdagangan orang",
            "setiap orang yang memperdagangkan perempuan dan anak dipidana sesuai undang-undang",
        ],
    ),
    "pmi": (
        "tppo",
        "Pelindungan Pekerja Migran Indonesia Asal Daerah",
        [
            "pekerja migran Indonesia dilindungi sebelum selama dan setelah bekerja",
            "calon pekerja migran dicegah agar tidak menjadi korban perdagangan orang",
        ],
    ),
    "korban": (
        "tppo",
        "Pencegahan dan Penanganan Korban Perdagangan Orang",
        [
            "korban perdagangan orang berhak atas restitusi rehabilitasi dan pemulangan",
            "pusat pelayanan terpadu menangani saksi dan korban tindak pidana perdagangan orang",
        ],
    ),
}
GENERAL = [
    "pemerintah daerah melaksanakan urusan pemerintahan yang menjadi kewenangan daerah",
    "ketentuan lebih lanjut mengenai pelaksanaan diatur dengan peraturan kepala daerah",
    "perangkat daerah yang membidangi urusan ini melaksanakan pembinaan dan pengawasan",
    "pendanaan pelaksanaan kegiatan dibebankan pada anggaran pendapatan dan belanja daerah",
    "masyarakat dapat berperan serta dalam penyelenggaraan dan pengawasan pelaksanaan",
    "pelaporan disampaikan secara berkala setiap enam bulan kepada kepala daerah",
    "sanksi administratif berupa teguran tertulis penghentian sementara dan pencabutan izin",
    "dalam melaksanakan tugasnya perangkat daerah berkoordinasi dengan instansi vertikal",
    "evaluasi pelaksanaan dilakukan paling sedikit satu kali dalam satu tahun",
    "data dan informasi dikelola dalam sistem informasi pemerintahan daerah",
]
NATIONAL = {
    "uu-23-2014": "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
    "uu-1-2022": "Undang-Undang Nomor 1 Tahun 2022 tentang Hubungan Keuangan antara "
    "Pemerintah Pusat dan Pemerintahan Daerah",
    "pp-35-2023": "Peraturan Pemerintah Nomor 35 Tahun 2023 tentang Ketentuan Umum Pajak "
    "Daerah dan Retribusi Daerah",
    "pp-12-2019": "Peraturan Pemerintah Nomor 12 Tahun 2019 tentang Pengelolaan Keuangan Daerah",
    "uu-26-2007": "Undang-Undang Nomor 26 Tahun 2007 tentang Penataan Ruang",
    "uu-20-2023": "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara",
    "uu-17-2023": "Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan",
    "uu-20-2003": "Undang-Undang Nomor 20 Tahun 2003 tentang Sistem Pendidikan Nasional",
    "uu-21-2007": "Undang-Undang Nomor 21 Tahun 2007 tentang Pemberantasan Tindak Pidana "
    "Perdagangan Orang",
    "uu-18-2017": "Undang-Undang Nomor 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia",
    "perpres-69-2008": "Peraturan Presiden Nomor 69 Tahun 2008 tentang Gugus Tugas Pencegahan "
    "dan Penanganan Tindak Pidana Perdagangan Orang",
    "perpres-22-2021": "Peraturan Presiden Nomor 22 Tahun 2021 tentang Perubahan atas Peraturan "
    "Presiden Nomor 69 Tahun 2008",
    "perpres-49-2023": "Peraturan Presiden Nomor 49 Tahun 2023 tentang Perubahan Kedua atas "
    "Peraturan Presiden Nomor 69 Tahun 2008",
}
TOPIC_CITES = {
    "pajak": ["uu-1-2022", "pp-35-2023"],
    "retribusi": ["uu-1-2022", "pp-35-2023"],
    "anggaran": ["pp-12-2019"],
    "tataruang": ["uu-26-2007"],
    "kepegawaian": ["uu-20-2023"],
    "kesehatan": ["uu-17-2023"],
    "pendidikan": ["uu-20-2003"],
    "tppo": ["uu-21-2007", "perpres-69-2008"],
}
FORMS_BY_LEVEL = {
    "provinsi": ["perda_provinsi", "pergub", "kepgub"],
    "kabupaten": ["perda_kabkota", "perbup", "kepbup"],
    "kota": ["perda_kabkota", "perwal", "kepwal"],
}
FORM_HEAD = {
    "perda_provinsi": "PERATURAN DAERAH PROVINSI",
    "perda_kabkota": "PERATURAN DAERAH",
    "pergub": "PERATURAN GUBERNUR",
    "perbup": "PERATURAN BUPATI",
    "perwal": "PERATURAN WALI KOTA",
    "kepgub": "KEPUTUSAN GUBERNUR",
    "kepbup": "KEPUTUSAN BUPATI",
    "kepwal": "KEPUTUSAN WALI KOTA",
}


def citations_for(topic: str, sub: str, year: int) -> list[str]:
    """What a generated document's Mengingat cites (the judged citation queries rely on it)."""
    cites = ["uu-23-2014", *TOPIC_CITES[topic]]
    if sub == "pmi":
        cites.append("uu-18-2017")
    if topic == "tppo" and year >= 2022:
        cites.append("perpres-22-2021")
    if topic == "tppo" and year >= 2024:
        cites.append("perpres-49-2023")
    return cites


def generate(count: int, seed: int, regions: list) -> list[dict]:
    """`count` regulations with their metadata (topic, sub, region, year, cites) and text."""
    rng = random.Random(seed)
    focus = [region for region in regions if region.code in FOCUS]
    subs_by_topic = {}
    for sub, (topic, _, _) in SUBTOPICS.items():
        subs_by_topic.setdefault(topic, []).append(sub)
    topics, weights = zip(*TOPIC_WEIGHTS.items(), strict=True)
    docs = []
    for n in range(count):
        topic = rng.choices(topics, weights)[0]
        sub = rng.choice(subs_by_topic[topic])
        region = rng.choice(focus) if rng.random() < 0.3 else rng.choice(regions)
        year = rng.randint(2008, 2025)
        form = rng.choice(FORMS_BY_LEVEL[region.level])
        docs.append(_document(rng, n, topic, sub, region, year, form))
    return docs


def _document(rng, n, topic, sub, region, year, form) -> dict:
    title = SUBTOPICS[sub][1].format(year=year)
    cites = citations_for(topic, sub, year)
    number = (
        f"{rng.randint(1, 60)}"
        if form.startswith(("perda", "per"))
        else f"188.45/{rng.randint(1, 999)}/KPTS/{year}"
    )
    return {
        "id": 100_000 + n,
        "topic": topic,
        "sub": sub,
        "region": region.code,
        "province": region.code.split(".")[0],
        "year": year,
        "form": form,
        "number": number,
        "title": title,
        "cites": cites,
        "text": _text(rng, topic, sub, region, form, number, year, title, cites),
    }


def _text(rng, topic, sub, region, form, number, year, title, cites) -> str:
    own = SUBTOPICS[sub][2]
    head = (
        f"{FORM_HEAD[form]} {region.name.upper()} NOMOR {number} TAHUN {year} TENTANG "
        f"{title.upper()}"
    )
    menimbang = " ".join(f"{letter}. bahwa {rng.choice(own + GENERAL)};" for letter in "abc")
    mengingat = " ".join(f"{i}. {NATIONAL[key]};" for i, key in enumerate(cites, 1))
    parts = [
        head,
        "DENGAN RAHMAT TUHAN YANG MAHA ESA",
        f"Menimbang: {menimbang}",
        f"Mengingat: {mengingat}",
        f"MEMUTUSKAN: Menetapkan: {title}.",
    ]
    words, target, pasal = sum(len(p.split()) for p in parts), rng.randint(300, 3000), 1
    while words < target:
        sentences = [
            rng.choice(own) if rng.random() < 0.35 else rng.choice(GENERAL)
            for _ in range(rng.randint(2, 5))
        ]
        paragraph = f"Pasal {pasal} " + " ".join(
            f"({i}) {s[0].upper()}{s[1:]}." for i, s in enumerate(sentences, 1)
        )
        parts.append(paragraph)
        words, pasal = words + len(paragraph.split()), pasal + 1
    parts.append(f"Ditetapkan di {region.name} pada tanggal {rng.randint(1, 28)} Juni {year}")
    return "\n".join(parts)


def prepared_app(folder: str, database_url: str | None = None, backend: str = "whoosh"):
    """An app on a new database (SQLite in `folder`, or `database_url`) holding the region
    registry and no regulation."""
    app = create_app(
        {
            "INSTANCE_DIR": folder,
            "SECRET_KEY": "bench",
            "SEARCH_BACKEND": backend,
            "SEARCH_INDEX_DIR": str(Path(folder) / "search"),
            **({"DATABASE_URL": database_url} if database_url else {}),
        }
    )
    with app.app_context():
        upgrade_database()
        corpus = Path(app.config["CORPUS_DIR"]) / "regions"
        sync_regions(corpus, Actor("bench"))
        db.session.commit()
    return app


def postgres_answers(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


@contextmanager
def postgres_app(folder: Path, url: str):
    """An app searching with the PostgreSQL backend, in a schema of its own on `url`."""
    schema = f"lb_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    folder.mkdir()
    app = prepared_app(str(folder), scoped.render_as_string(hide_password=False), "postgresql")
    try:
        yield app
    finally:
        app.extensions["legalbase.db"].engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def load_documents(docs: list[dict]) -> None:
    """Insert the generated regulations into the database (core inserts, one commit)."""
    rows = [
        {
            "id": d["id"],
            "form": d["form"],
            "number": d["number"],
            "year": d["year"],
            "title": d["title"],
            "region_code": d["region"],
            "identity_key": f"{d['form']}|{d['region']}|{d['year']}|{d['number']}|{d['id']}",
            "subjects": [],
            "text": d["text"],
            "text_status": "available",
            "unresolved_citations": [],
            "lint": [],
            "language": "Indonesia",
            "in_force_from": date(d["year"], 6, 1),
        }
        for d in docs
    ]
    for start in range(0, len(rows), 1000):
        db.session.execute(insert(Regulation), rows[start : start + 1000])
    db.session.execute(delete(SearchOutbox))
    db.session.commit()


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def build_ours(path: Path, procs: int) -> float:
    start = time.perf_counter()
    build_index(str(path), procs=procs)
    return time.perf_counter() - start


def build_naive(path: Path, docs: list[dict]) -> float:
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema

    start = time.perf_counter()
    path.mkdir()
    ix = index.create_in(str(path), Schema(id=ID(stored=True), title=TEXT, body=TEXT))
    writer = ix.writer()
    for d in docs:
        writer.add_document(id=str(d["id"]), title=d["title"], body=d["text"])
    writer.commit()
    return time.perf_counter() - start


def build_fts(path: Path, docs: list[dict]) -> float:
    start = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='unicode61');"
        "CREATE TABLE meta (id INTEGER PRIMARY KEY, form TEXT, region TEXT, province TEXT, "
        "year INTEGER);"
    )
    with conn:
        conn.executemany(
            "INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)",
            ((d["id"], d["title"], d["text"]) for d in docs),
        )
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?, ?, ?, ?)",
            ((d["id"], d["form"], d["region"], d["province"], d["year"]) for d in docs),
        )
    conn.close()
    return time.perf_counter() - start


def build_postgres() -> float:
    """legalbase's PostgreSQL backend: `legalbase search reindex` on its table."""
    start = time.perf_counter()
    backend().rebuild()
    return time.perf_counter() - start


def build_indonesian() -> float:
    """A table of PostgreSQL's own `indonesian` analysis of the same regulations."""
    start = time.perf_counter()
    db.session.execute(
        text(
            "CREATE TABLE bench_indonesian AS SELECT r.id, r.year, r.region_code AS region, "
            "split_part(r.region_code, '.', 1) AS province, "
            "setweight(to_tsvector('indonesian', r.title), 'A') || "
            "setweight(to_tsvector('indonesian', coalesce(r.text, '')), 'D') AS document "
            "FROM regulations r"
        )
    )
    db.session.execute(
        text("CREATE INDEX ix_bench_indonesian ON bench_indonesian USING gin (document)")
    )
    db.session.execute(text("ANALYZE bench_indonesian"))
    db.session.commit()
    return time.perf_counter() - start


def relation_size(name: str) -> int:
    return db.session.scalar(
        text("SELECT pg_total_relation_size(CAST(:name AS regclass))"), {"name": name}
    )


def run_ours(query: dict) -> list[int]:
    request = SearchRequest(
        q=query["q"],
        region=query.get("region"),
        per_page=10,
        year_from=query.get("year_from"),
        year_to=query.get("year_to"),
    )
    return [item["id"] for item in backend().search(request).items]


def run_fts(conn, query: dict) -> list[int]:
    where, params = ["docs MATCH ?"], [query.get("fts", query["q"])]
    region = query.get("region")
    if region:
        where.append("(meta.region = ? OR meta.province = ?)")
        params += [region, region]
    if query.get("year_from"):
        where.append("meta.year BETWEEN ? AND ?")
        params += [query["year_from"], query["year_to"]]
    sql_where = " AND ".join(where)
    joined = f"FROM docs JOIN meta ON meta.id = docs.rowid WHERE {sql_where}"
    conn.execute(f"SELECT count(*) {joined}", params).fetchone()
    rows = conn.execute(
        f"SELECT docs.rowid, snippet(docs, 1, '<mark>', '</mark>', '…', 24) {joined} "
        "ORDER BY bm25(docs, 3.0, 1.0) LIMIT 10",
        params,
    ).fetchall()
    return [row[0] for row in rows]


def run_indonesian(query: dict) -> list[int]:
    """The query as websearch_to_tsquery('indonesian') reads it (NOT written as -), ranked by
    ts_rank with the same weights and normalisation as legalbase's backend, ts_headline."""
    rank = (
        f"ts_rank('{RANK_WEIGHTS}', document, websearch_to_tsquery('indonesian', :q), "
        f"{RANK_NORMALIZATION})"
    )
    where, params = (
        ["document @@ websearch_to_tsquery('indonesian', :q)"],
        {"q": query["q"].replace(" NOT ", " -").replace(" AND ", " ")},
    )
    if query.get("region"):
        where.append("(region = :region OR province = :region)")
        params["region"] = query["region"]
    if query.get("year_from"):
        where.append("year BETWEEN :year_from AND :year_to")
        params.update(year_from=query["year_from"], year_to=query["year_to"])
    condition = " AND ".join(where)
    with index_scans():  # the same planner settings as legalbase's backend
        db.session.execute(text(f"SELECT count(*) FROM bench_indonesian WHERE {condition}"), params)
        rows = db.session.execute(
            text(
                "SELECT top.id, ts_headline('indonesian', r.text, "
                "websearch_to_tsquery('indonesian', :q), 'MaxFragments=3') "
                f"FROM (SELECT id, {rank} AS score FROM bench_indonesian WHERE {condition} "
                "ORDER BY score DESC, id LIMIT 10) "
                "top JOIN regulations r ON r.id = top.id ORDER BY top.score DESC, top.id"
            ),
            params,
        ).all()
    return [row[0] for row in rows]


def timed(fn, repeat: int) -> tuple[list[float], list[int]]:
    result = fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples, result


def relevant_ids(docs: list[dict], criteria: dict) -> set[int]:
    """The documents a judged query's hand-written criteria select."""

    def holds(d):
        return all(
            [
                criteria.get("topic") in (None, d["topic"]),
                criteria.get("sub") in (None, d["sub"]),
                criteria.get("province") in (None, d["province"]),
                criteria.get("region") in (None, d["region"]),
                criteria.get("year") in (None, d["year"]),
                criteria.get("cites") is None or criteria["cites"] in d["cites"],
                criteria.get("not_sub") is None or criteria["not_sub"] != d["sub"],
            ]
        )

    return {d["id"] for d in docs if holds(d)}


def precision_recall(ranked: list[int], relevant: set[int]) -> tuple[float, float]:
    found = len(set(ranked[:10]) & relevant)
    precision = found / len(ranked[:10]) if ranked else 0.0
    recall = found / min(10, len(relevant)) if relevant else 1.0
    return precision, recall


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000, help="documents to generate")
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per query")
    parser.add_argument(
        "--procs",
        type=int,
        default=None,
        help="processes building our index (default: build_index's choice)",
    )
    parser.add_argument("--skip-naive", action="store_true", help="skip the naive Whoosh build")
    parser.add_argument(
        "--skip-postgres",
        action="store_true",
        help="skip the PostgreSQL engines (backend and `indonesian`)",
    )
    parser.add_argument("--postgres-url", default=PG_URL, help="PostgreSQL server to use")
    args = parser.parse_args()
    queries = yaml.safe_load((BENCH / "search_judged.yaml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        report(Path(folder), args, queries)


class Engine:
    """One engine of the comparison: its build, its size, and how it answers a judged query
    (in its app's context, when it has one)."""

    def __init__(self, name: str, run, app=None):
        self.name, self.run, self.app = name, run, app
        self.seconds = self.size = None
        self.samples, self.scores = [], []

    def answer(self, query: dict, repeat: int) -> tuple[list[float], list[int]]:
        if self.app is None:
            return timed(lambda: self.run(query), repeat)
        with self.app.app_context():
            return timed(lambda: self.run(query), repeat)


def report(folder: Path, args, queries: list[dict]) -> None:
    app = prepared_app(str(folder))
    with app.app_context():
        regions = [r for r in db.session.query(Region) if r.level in FORMS_BY_LEVEL]
        docs = generate(args.docs, args.seed, regions)
        words = sum(len(d["text"].split()) for d in docs)
        tppo = sum(d["topic"] == "tppo" for d in docs)
        print(
            f"{len(docs)} documents, {words / len(docs):.0f} words on average, "
            f"{tppo} about TPPO ({100 * tppo / len(docs):.1f}%)"
        )
        load_documents(docs)
        whoosh = Engine("Whoosh", run_ours, app)
        whoosh.seconds = build_ours(folder / "search", args.procs)
        whoosh.size = folder_size(folder / "search")
        naive_s = None if args.skip_naive else build_naive(folder / "naive", docs)
        fts = Engine("FTS5", None)
        fts.seconds = build_fts(folder / "fts.sqlite", docs)
        fts.size = (folder / "fts.sqlite").stat().st_size
    conn = sqlite3.connect(folder / "fts.sqlite")
    fts.run = lambda query: run_fts(conn, query)
    if not args.skip_postgres and not postgres_answers(args.postgres_url):
        print(f"\nPostgreSQL does not answer at {args.postgres_url}: its engines are left out.")
        args.skip_postgres = True
    if args.skip_postgres:
        compare(folder, len(docs), docs, queries, args.repeat, [whoosh, fts], naive_s)
        return
    with postgres_app(folder / "postgres", args.postgres_url) as pg_app:
        with pg_app.app_context():
            load_documents(docs)
            postgres = Engine("PostgreSQL", run_ours, pg_app)
            postgres.seconds = build_postgres()
            postgres.size = relation_size("search_documents")
            indonesian = Engine("indonesian", run_indonesian, pg_app)
            indonesian.seconds = build_indonesian()
            indonesian.size = relation_size("bench_indonesian")
        compare(
            folder,
            len(docs),
            docs,
            queries,
            args.repeat,
            [whoosh, postgres, indonesian, fts],
            naive_s,
        )


def compare(
    folder: Path,
    count: int,
    docs: list[dict],
    queries: list[dict],
    repeat: int,
    engines: list[Engine],
    naive_s,
) -> None:
    print_builds(folder, count, engines, naive_s)
    compare_queries(docs, queries, repeat, engines)
    print_latency(engines)
    print_quality(engines)


def print_builds(folder: Path, count: int, engines: list[Engine], naive_s) -> None:
    print(f"\n{'build':12} {'docs/s':>9} {'seconds':>9} {'size MB':>9}")
    rows = [(engine.name, engine.seconds, engine.size) for engine in engines]
    if naive_s:
        rows.insert(1, ("naive", naive_s, folder_size(folder / "naive")))
    for name, seconds, size in rows:
        print(f"{name:12} {count / seconds:9.0f} {seconds:9.1f} {size / 1e6:9.1f}")
    if naive_s:
        print(f"build rate legalbase Whoosh / naive Whoosh: {naive_s / engines[0].seconds:.2f}x")
    anchor = engines[-1]
    for engine in engines[:-1]:
        print(
            f"build rate {engine.name} / {anchor.name}: "
            f"{anchor.seconds / engine.seconds:.2f}x; size {engine.size / anchor.size:.2f}x"
        )
    if len(engines) > 2:
        whoosh, postgres = engines[0], engines[1]
        print(
            f"build rate {postgres.name} / {whoosh.name}: "
            f"{whoosh.seconds / postgres.seconds:.2f}x; size {postgres.size / whoosh.size:.2f}x"
        )


def compare_queries(
    docs: list[dict], queries: list[dict], repeat: int, engines: list[Engine]
) -> None:
    names = "/".join(engine.name[:5] for engine in engines)
    print(f"\nper query: median ms, P@10, R@10 ({names})")
    for query in queries:
        relevant = relevant_ids(docs, query["relevant"])
        cells = []
        for engine in engines:
            samples, found = engine.answer(query, repeat)
            engine.samples += samples
            engine.scores.append(precision_recall(found, relevant))
            cells.append(engine.scores[-1] + (1000 * statistics.median(samples),))
        label = (
            query["q"]
            + (
                f" [{query.get('region') or ''}{query.get('year_from') or ''}]"
                if query.get("region") or query.get("year_from")
                else ""
            )
        )[:40]
        print(
            f"{label:40} "
            + " ".join(f"{ms:7.1f}" for _, _, ms in cells)
            + "  "
            + "/".join(f"{p:.2f}" for p, _, _ in cells)
            + "  "
            + "/".join(f"{r:.2f}" for _, r, _ in cells)
        )


def print_latency(engines: list[Engine]) -> None:
    print(f"\n{'latency':12} {'p50 ms':>8} {'p95 ms':>8}")
    for engine in engines:
        print(
            f"{engine.name:12} {1000 * percentile(engine.samples, 0.5):8.1f} "
            f"{1000 * percentile(engine.samples, 0.95):8.1f}"
        )
    anchor = engines[-1]
    for engine in engines[:-1]:
        print(
            f"ratio {engine.name} / {anchor.name}: "
            f"p50 {percentile(engine.samples, 0.5) / percentile(anchor.samples, 0.5):.2f}x, "
            f"p95 {percentile(engine.samples, 0.95) / percentile(anchor.samples, 0.95):.2f}x"
        )
    if len(engines) > 2:
        whoosh, postgres = engines[0], engines[1]
        print(
            f"ratio {postgres.name} / {whoosh.name}: "
            f"p50 {percentile(postgres.samples, 0.5) / percentile(whoosh.samples, 0.5):.2f}x, "
            f"p95 {percentile(postgres.samples, 0.95) / percentile(whoosh.samples, 0.95):.2f}x"
        )


def print_quality(engines: list[Engine]) -> None:
    print()
    for engine in engines:
        precision = statistics.mean(p for p, _ in engine.scores)
        recall = statistics.mean(r for _, r in engine.scores)
        print(f"{engine.name:12} mean P@10 {precision:.3f}  mean R@10 {recall:.3f}")


if __name__ == "__main__":
    main()
