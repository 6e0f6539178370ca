"""Benchmarks: legalbase's API against its anchor, plain SQLite, in the same run.

    make bench        (or: .venv/bin/python bench/regions.py [--repeat N])

Each row times one request through the whole Flask stack (routing, authentication hook,
validation, ORM, JSON) and the same answer read with the sqlite3 module and json.dumps on the
same database file. The ratio says what the stack costs over the bare query.
"""

import argparse
import json
import sqlite3
import tempfile
from pathlib import Path

from common import median_seconds, seeded_app

COLUMNS = "code, name, level, parent_code, head_title, seat, autonomous"


def anchor_rows(conn: sqlite3.Connection, sql: str, args: tuple) -> str:
    cursor = conn.execute(sql, args)
    names = [column[0] for column in cursor.description]
    return json.dumps([dict(zip(names, row, strict=True)) for row in cursor.fetchall()])


def cases(client, conn):
    one = f"SELECT {COLUMNS} FROM regions WHERE code = ?"
    level = f"SELECT {COLUMNS} FROM regions WHERE level = ? ORDER BY code"
    return [
        (
            "GET /regions/16.71",
            lambda: client.get("/api/v1/regions/16.71"),
            lambda: anchor_rows(conn, one, ("16.71",)),
        ),
        (
            "GET /regions?level=kabupaten (416)",
            lambda: client.get("/api/v1/regions?level=kabupaten&per_page=1000"),
            lambda: anchor_rows(conn, level, ("kabupaten",)),
        ),
        (
            "GET /regulations/1",
            lambda: client.get("/api/v1/regulations/1"),
            lambda: anchor_rows(conn, "SELECT * FROM regulations WHERE id = ?", (1,)),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = seeded_app(folder)
        conn = sqlite3.connect(Path(folder) / "legalbase.sqlite")
        client = app.test_client()
        print(f"{'case':40} {'legalbase':>12} {'sqlite3':>12} {'ratio':>8}")
        for name, ours, anchor in cases(client, conn):
            mine, base = median_seconds(ours, args.repeat), median_seconds(anchor, args.repeat)
            print(f"{name:40} {mine * 1e3:>10.3f}ms {base * 1e3:>10.3f}ms {mine / base:>7.1f}x")
        conn.close()
        app.extensions["legalbase.db"].engine.dispose()


if __name__ == "__main__":
    main()
