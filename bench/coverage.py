"""National coverage over a large corpus, against the floor of one plain counting query.

    make bench        (or: .venv/bin/python bench/coverage.py [--regulations N] [--repeat N])

Builds a corpus of N generated regulations (default 100,000) over all 552 regions, on the
embedded SQLite (or LEGALBASE_DATABASE_URL), then times a full national coverage computation
(every region judged with its reasons, as GET /api/v1/coverage does) and, as the floor, one
plain query counting the regulations per region on the same database. Median of --repeat runs.
"""

import argparse
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

from common import median_seconds, seeded_app
from sqlalchemy import func, insert, select

from legalbase.core import db
from legalbase.corpus.models import Regulation, Relation
from legalbase.corpus.regulations import identity_key
from legalbase.coverage.basis import coverage
from legalbase.coverage.reports import current_rules, regions_in_scope
from legalbase.regions.models import Region

FORMS_BY_LEVEL = {
    "provinsi": ("kepgub", "pergub", "perda_provinsi"),
    "kabupaten": ("kepbup", "perbup", "perda_kabkota"),
    "kota": ("kepwal", "perwal", "perda_kabkota"),
}
SUBGUGUS_TEXT = (
    "Membentuk Gugus Tugas dan Subgugus Tugas: pencegahan, rehabilitasi kesehatan, "
    "rehabilitasi sosial, pengembangan norma hukum, penegakan hukum, koordinasi "
    "dan kerja sama."
)
TOPICS = (
    "Retribusi Daerah",
    "Pajak Daerah",
    "Penataan Ruang",
    "Pengelolaan Sampah",
    "Perlindungan Anak",
    "Pemberdayaan Perempuan",
    "Kesehatan",
    "Pendidikan",
)


def generated_rows(regions: list[Region], count: int, rng: random.Random) -> list[dict]:
    """`count` regulations spread over `regions`; one in a hundred forms a task force, half
    of those with a text that forms the Subgugus."""
    rows, now = [], datetime(2026, 1, 1, tzinfo=UTC)
    for index in range(count):
        region = regions[index % len(regions)]
        form = rng.choice(FORMS_BY_LEVEL[region.level])
        year = rng.randint(2008, 2026)
        enacted = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
        task_force = rng.random() < 0.01
        text = SUBGUGUS_TEXT if task_force and rng.random() < 0.5 else None
        title = (
            "Pembentukan Gugus Tugas Pencegahan dan Penanganan Tindak Pidana Perdagangan Orang"
            if task_force
            else f"{rng.choice(TOPICS)} Nomor Urut {index}"
        )
        number = f"{index}/{year}"
        rows.append(
            {
                "form": form,
                "number": number,
                "year": year,
                "title": title,
                "region_code": region.code,
                "enacted_on": enacted,
                "in_force_from": enacted,
                "language": "Indonesia",
                "subjects": [],
                "unresolved_citations": [],
                "text": text,
                "text_status": "available" if text else "unavailable",
                "identity_key": identity_key(form, region.code, year, number),
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def build_corpus(count: int) -> None:
    rng = random.Random(2026)
    regions = list(db.session.scalars(select(Region).where(Region.autonomous.is_(True))))
    rows = generated_rows(regions, count, rng)
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Regulation), rows[start : start + 5000])
    cites_latest = db.session.scalar(
        select(Regulation.id).where(Regulation.seed_key == "perpres-49-2023")
    )
    task_forces = db.session.scalars(
        select(Regulation.id).where(
            Regulation.title.like("Pembentukan Gugus Tugas%"), Regulation.seed_key.is_(None)
        )
    )
    links = [
        {
            "kind": "cites",
            "source_id": id_,
            "target_id": cites_latest,
            "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        }
        for n, id_ in enumerate(task_forces)
        if n % 2 == 0
    ]
    db.session.execute(insert(Relation), links)
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regulations", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = seeded_app(folder)
        with app.app_context():
            started = time.perf_counter()
            build_corpus(args.regulations)
            built = time.perf_counter() - started
            total = db.session.scalar(select(func.count()).select_from(Regulation))
            rules, regions, as_of = current_rules(), regions_in_scope(), date(2026, 6, 30)

            def national():
                db.session.expire_all()
                return coverage(rules, as_of, regions)

            def floor():
                query = select(Regulation.region_code, func.count()).group_by(
                    Regulation.region_code
                )
                return db.session.execute(query).all()

            ours, base = median_seconds(national, args.repeat), median_seconds(floor, args.repeat)
            statuses = {}
            for item in national():
                statuses[item.status] = statuses.get(item.status, 0) + 1
        app.extensions["legalbase.db"].engine.dispose()
    print(f"corpus: {total} regulations over {len(regions)} regions (built in {built:.1f} s)")
    print(f"statuses: {statuses}")
    print(f"{'case':38} {'median':>10}")
    print(f"{'national coverage (552 regions)':38} {ours * 1e3:>8.1f}ms")
    print(f"{'floor: count per region (1 query)':38} {base * 1e3:>8.1f}ms")
    print(f"{'ratio':38} {ours / base:>9.1f}x   (target: coverage under 500 ms)")


if __name__ == "__main__":
    main()
