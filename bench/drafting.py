"""Drafting through legalbase against the floor of bare docxtpl renders of the same contexts.

    .venv/bin/python bench/drafting.py [--quick] [--regions N] [--repeat N]

1. One draft: POST /api/v1/drafts (Flask test client, a region token; kepbupwal-pembentukan for
   16.03 with the manifest sample's 40 members as `anggota`), median of --repeat, next to a
   bare docxtpl load + render (sandboxed, autoescaped) + save of the same template and context.
2. The batch of the autonomous regions' decrees (every status but current and not_required;
   kepgub-pembentukan for the provinces, kepbupwal-pembentukan for kabupaten and kota), as
   start_batch + run_job, next to bare docxtpl renders of the same contexts in a 2-process
   pool. --regions N keeps the first N regions of each template's selection.
"""

import argparse
import io
import multiprocessing
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from datetime import date

from common import median_seconds, seeded_app
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from legalbase import jobs
from legalbase.accounts.users import create_user, issue_token
from legalbase.core import db
from legalbase.core.audit import Actor
from legalbase.core.storage import file_store
from legalbase.coverage.basis import STATUSES
from legalbase.drafting import batch
from legalbase.drafting.catalog import get_template
from legalbase.drafting.context import draft_context

ACTOR = Actor("bench")
REGION = "16.03"
SINGLE = "kepbupwal-pembentukan"
BATCHES = (("kepgub-pembentukan", "provinsi"), ("kepbupwal-pembentukan", "kabupaten, kota"))
SELECTED = [status for status in STATUSES if status not in ("current", "not_required")]


def bare_render(source, context: dict) -> bytes:
    """The floor: load, render in the sandbox with autoescape, save."""
    document = DocxTemplate(io.BytesIO(source) if isinstance(source, bytes) else source)
    document.render(context, jinja_env=SandboxedEnvironment(autoescape=True), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def single_draft(app, repeat: int) -> tuple[float, float]:
    """Median seconds of one draft through the API, and of the bare render of its context."""
    template = get_template(SINGLE)
    members = [
        {"jabatan_gt": row["jabatan_gt"], "jabatan": row["jabatan"]}
        for row in template.sample["lampiran"]["anggota"]
    ]
    fields = {
        "nama_penandatangan": "H. Edison",
        "tanggal_penetapan": "2025-06-04",
        "nomor": "188.45/123/KPTS/2025",
        "anggota": members,
    }
    token = issue_token(create_user(None, "Bench Muara Enim", "region", REGION, ACTOR), ACTOR)
    db.session.commit()
    client = app.test_client()
    body = {"template": SINGLE, "region_code": REGION, "fields": fields}

    def through_legalbase():
        response = client.post(
            "/api/v1/drafts", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 201, response.json

    context = draft_context(template, REGION, fields, {}).context
    ours = median_seconds(through_legalbase, repeat)
    return ours, median_seconds(lambda: bare_render(template.path, context), repeat)


def limit_selection(limit: int | None) -> None:
    """Keep the first `limit` regions of every selection (run_job looks the function up)."""
    if limit is None:
        return
    select_all = batch.select_regions
    batch.select_regions = lambda *args, **kwargs: select_all(*args, **kwargs)[:limit]


def batch_through_legalbase(as_of: date) -> tuple[float, int]:
    """Seconds of start_batch + run_job for both templates, and the documents in the ZIPs."""
    started, documents = time.perf_counter(), 0
    for name, _ in BATCHES:
        job = batch.start_batch(name, SELECTED, None, {}, {}, ACTOR, as_of)
        db.session.commit()
        job = jobs.run_job(job.id)
        assert job.status == "finished", job.error
        with zipfile.ZipFile(io.BytesIO(file_store().get(job.result_sha256))) as archive:
            documents += sum(entry.endswith(".docx") for entry in archive.namelist())
    return time.perf_counter() - started, documents


def batch_contexts(as_of: date) -> list[tuple[bytes, dict]]:
    """The (template bytes, context) of every document the batch renders, as it builds them."""
    work = []
    for name, _ in BATCHES:
        template = get_template(name)
        source = template.path.read_bytes()
        for item in batch.select_regions(template, SELECTED, None, as_of):
            fields = batch.with_placeholders(template, {}, item.region)
            work.append(
                (source, draft_context(template, item.region.code, fields, {}, as_of).context)
            )
    return work


def batch_floor(work: list[tuple[bytes, dict]]) -> tuple[float, int]:
    """Seconds of bare renders of the same contexts in a 2-process pool, and their count."""
    started = time.perf_counter()
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        documents = [
            job.result()
            for job in [pool.submit(bare_render, source, context) for source, context in work]
        ]
    return time.perf_counter() - started, len(documents)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="--regions 10 --repeat 5")
    parser.add_argument("--regions", type=int, help="first N regions of each selection")
    parser.add_argument("--repeat", type=int, default=20, help="runs of the single draft")
    args = parser.parse_args()
    regions, repeat = (args.regions or 10, 5) if args.quick else (args.regions, args.repeat)
    as_of = date.today()
    with tempfile.TemporaryDirectory() as folder:
        app = seeded_app(folder)
        with app.app_context():
            ours, floor = single_draft(app, repeat)
            limit_selection(regions)
            work = batch_contexts(as_of)
            ours_batch, ours_count = batch_through_legalbase(as_of)
            floor_batch, floor_count = batch_floor(work)
        app.extensions["legalbase.db"].engine.dispose()
    print(f"{'one draft (16.03, 40 members), median of ' + str(repeat):44} {'time':>9}")
    print(f"{'  legalbase: POST /api/v1/drafts':44} {ours * 1e3:>7.1f}ms")
    print(f"{'  floor: docxtpl load + render + save':44} {floor * 1e3:>7.1f}ms")
    print(f"{'  ratio':44} {ours / floor:>8.2f}x   (goal: at most 1.5x)")
    print(
        f"batch, statuses {', '.join(SELECTED)}: {ours_count} documents through legalbase, "
        f"{floor_count} bare"
    )
    print(f"{'  legalbase: start_batch + run_job (x2)':44} {ours_batch:>8.2f}s")
    print(f"{'  floor: docxtpl in a 2-process pool':44} {floor_batch:>8.2f}s")
    print(f"{'  ratio':44} {ours_batch / floor_batch:>8.2f}x   (goal: at most 1.3x)")


if __name__ == "__main__":
    main()
