"""What every benchmark needs: a seeded instance in a folder, and a median timer."""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from legalbase import create_app  # noqa: E402
from legalbase.core import db
from legalbase.core.schema import upgrade_database  # noqa: E402
from legalbase.corpus.cli import sync_seed  # noqa: E402


def seeded_app(folder: str):
    """An app on a new SQLite database in `folder`, migrated and holding the seed corpus."""
    app = create_app({"INSTANCE_DIR": folder, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade_database()
        sync_seed()
        db.session.commit()
    return app


def median_seconds(fn, repeat: int) -> float:
    """Median seconds of `repeat` calls of `fn`, after one warm-up call."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)
