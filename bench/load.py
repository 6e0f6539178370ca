"""Load on a served legalbase: gunicorn with 2 and 4 workers on loopback, on SQLite and on the
PostgreSQL at 127.0.0.1:5432 (when it answers), against a bare Flask route served the same way.

    .venv/bin/python bench/load.py [--seconds 20] [--clients 16] [--workers 2 4]

Each run sets up a fresh instance (`legalbase setup`), creates a region user (Kota Palembang,
16.71) through the command line, serves it with `legalbase serve --workers N`, and runs
--clients threads for --seconds, each sending a mix of requests: searches, coverage queries,
regulation reads, uploads of a decree (a text file with its metadata) and drafts. It prints,
per kind, the requests done, throughput, p50 and p99 latency and errors (any answer but the
expected 2xx), then the floor (GET on the bare route, same workers, threads and clients) and
the ratio of legalbase's latency to the floor's. After the load, `legalbase search check`
must find the index equal to the database.
"""

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG_URL = os.environ.get(
    "LEGALBASE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
QUERIES = [
    "perdagangan orang",
    "gugus tugas",
    "perpres 49/2023",
    "pencegahan dan penanganan",
    "tindak pidana",
    "kota palembang",
    "subgugus tugas",
    '"gugus tugas" AND daerah',
]
MIX = (("search", 40), ("coverage", 15), ("read", 30), ("upload", 10), ("draft", 5))
DRAFT = {
    "template": "kepbupwal-pembentukan",
    "region_code": "16.71",
    "fields": {
        "nama_penandatangan": "Drs. H. Ratu Dewa",
        "tanggal_penetapan": "2025-06-04",
        "anggota": [{"jabatan_gt": "Ketua", "jabatan": "Wali Kota Palembang"}],
    },
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Client:
    """One simulated officer: a keep-alive connection sending the mix."""

    def __init__(self, port: int, token: str | None, ids: list[int], seed: int):
        self.port, self.token, self.ids = port, token, ids
        self.random = random.Random(seed)
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def send(
        self, method: str, path: str, body: bytes | None = None, content_type: str | None = None
    ) -> int:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            self.last_body = response.read()[:300]
            return response.status
        except (OSError, http.client.HTTPException) as exc:
            self.last_body = repr(exc).encode()
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 0

    def search(self):
        query = urllib.parse.quote(self.random.choice(QUERIES))
        return self.send("GET", f"/api/v1/search?q={query}")

    def coverage(self):
        province = self.random.choice(["16", "31", "34", "35", "51", "73"])
        return self.send(
            "GET",
            self.random.choice(
                [
                    f"/api/v1/coverage?province={province}",
                    "/api/v1/coverage/provinces",
                    f"/api/v1/coverage/{province}",
                ]
            ),
        )

    def read(self):
        regulation = self.random.choice(self.ids)
        return self.send(
            "GET",
            self.random.choice(
                [
                    f"/api/v1/regulations/{regulation}",
                    f"/api/v1/regulations/{regulation}/relations",
                    "/api/v1/regulations?region=16&per_page=20",
                ]
            ),
        )

    def upload(self):
        number = f"188.45/{uuid.uuid4().hex[:8]}/KPTS/2025"
        metadata = {
            "form": "kepwal",
            "number": number,
            "year": 2025,
            "region_code": "16.71",
            "title": "Pembentukan Gugus Tugas Pencegahan dan Penanganan Tindak Pidana "
            "Perdagangan Orang Kota Palembang",
            "enacted_on": "2025-06-04",
        }
        text = (
            f"KEPUTUSAN WALI KOTA PALEMBANG NOMOR {number} TENTANG PEMBENTUKAN GUGUS TUGAS "
            "PENCEGAHAN DAN PENANGANAN TINDAK PIDANA PERDAGANGAN ORANG\n"
            "Mengingat : 1. Undang-Undang Nomor 21 Tahun 2007 tentang Pemberantasan Tindak "
            "Pidana Perdagangan Orang;\n"
        )
        boundary = uuid.uuid4().hex
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n'
            f"{json.dumps(metadata)}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f'name="file"; filename="sk.txt"\r\nContent-Type: text/plain\r\n\r\n{text}'
            f"\r\n--{boundary}--\r\n"
        ).encode()
        return self.send(
            "POST", "/api/v1/regulations", body, f"multipart/form-data; boundary={boundary}"
        )

    def floor(self):
        return self.send("GET", "/")

    def draft(self):
        return self.send("POST", "/api/v1/drafts", json.dumps(DRAFT).encode(), "application/json")


def run_load(
    port: int, token: str | None, ids: list[int], seconds: float, clients: int, kinds=MIX
) -> dict:
    """{kind: [(latency seconds, status)]} from `clients` threads sending the mix."""
    results, lock = defaultdict(list), threading.Lock()
    samples = {}
    deadline = time.monotonic() + seconds
    weights = [weight for _, weight in kinds]

    def officer(seed: int) -> None:
        client = Client(port, token, ids, seed)
        while time.monotonic() < deadline:
            kind = client.random.choices([name for name, _ in kinds], weights)[0]
            started = time.perf_counter()
            status = getattr(client, kind)()
            with lock:
                results[kind].append((time.perf_counter() - started, status))
                if not 200 <= status < 300:
                    samples.setdefault((kind, status), client.last_body)

    threads = [threading.Thread(target=officer, args=(seed,)) for seed in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for (kind, status), body in sorted(samples.items()):
        print(f"  error sample: {kind} {status}: {body.decode(errors='replace')}")
    return results


def cli(env: dict, *args, stdin: str | None = None) -> str:
    return subprocess.run(
        [BIN / "legalbase", *args], env=env, input=stdin, text=True, capture_output=True, check=True
    ).stdout


class Instance:
    """A fresh legalbase instance in a folder, on SQLite or a PostgreSQL schema of its own."""

    def __init__(self, folder: Path, database: str):
        self.env = {
            **os.environ,
            "LEGALBASE_INSTANCE_DIR": str(folder),
            "LEGALBASE_JOBS_MODE": "background",
        }
        self.env.pop("LEGALBASE_DATABASE_URL", None)
        self.schema = None
        if database == "postgresql":
            self.schema = f"lb_load_{uuid.uuid4().hex[:8]}"
            _pg_admin(f"CREATE SCHEMA {self.schema}")
            self.env["LEGALBASE_DATABASE_URL"] = f"{PG_URL}?options=-csearch_path%3D{self.schema}"
        cli(self.env, "setup")
        self.token = (
            cli(
                self.env,
                "users",
                "create",
                "--name",
                "Bagian Hukum Kota Palembang",
                "--role",
                "region",
                "--region",
                "16.71",
            )
            .strip()
            .splitlines()[-1]
        )

    def drop(self) -> None:
        if self.schema:
            _pg_admin(f"DROP SCHEMA {self.schema} CASCADE")


def _pg_admin(statement: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def postgres_answers() -> bool:
    try:
        _pg_admin("SELECT 1")
        return True
    except Exception:
        return False


def serve(command: list[str], env: dict, port: int, health: str, log=subprocess.DEVNULL):
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    wait_until_up(f"http://127.0.0.1:{port}{health}")
    return server


def stop(server) -> None:
    server.terminate()
    server.wait(timeout=30)


def regulation_ids(port: int) -> list[int]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/regulations?per_page=100") as r:
        return [item["id"] for item in json.load(r)["items"]]


def measure_legalbase(database: str, workers: int, args) -> tuple[dict, str]:
    with tempfile.TemporaryDirectory() as folder:
        instance = Instance(Path(folder), database)
        try:
            port = free_port()
            env = {**instance.env, "LEGALBASE_PORT": str(port)}
            log_path = Path(folder) / "server.log"
            with open(log_path, "wb") as log:
                server = serve(
                    [BIN / "legalbase", "serve", "--workers", str(workers)],
                    env,
                    port,
                    "/api/v1/health",
                    log,
                )
            try:
                results = run_load(
                    port, instance.token, regulation_ids(port), args.seconds, args.clients
                )
            finally:
                stop(server)
            print_last_error(log_path)
            check = subprocess.run(
                [BIN / "legalbase", "search", "check"],
                env=instance.env,
                capture_output=True,
                text=True,
            )
            verdict = (
                "sama dengan basis data"
                if check.returncode == 0
                else ("BERBEDA: " + check.stdout.strip().splitlines()[-1])
            )
            return results, verdict
        finally:
            instance.drop()


def print_last_error(log_path: Path) -> None:
    """The last traceback the server logged, if any (what a 500 in the table was)."""
    lines = log_path.read_text(errors="replace").splitlines()
    starts = [number for number, line in enumerate(lines) if line.startswith("Traceback")]
    if starts:
        trace = lines[starts[-1] :]
        end = next((i for i, line in enumerate(trace) if line.startswith("[")), len(trace))
        frames = [line for line in trace[:end] if "/legalbase/" in line] + trace[end - 1 : end]
        print("  last server error:\n    " + "\n    ".join(frames))


def measure_floor(workers: int, args) -> dict:
    port = free_port()
    command = [
        BIN / "gunicorn",
        "--chdir",
        str(ROOT / "bench"),
        "--workers",
        str(workers),
        "--threads",
        "4",
        "--worker-class",
        "gthread",
        "--bind",
        f"127.0.0.1:{port}",
        "floor_app:app",
    ]
    server = serve(command, os.environ, port, "/")
    try:
        return run_load(port, None, [0], args.seconds, args.clients, kinds=(("floor", 1),))
    finally:
        stop(server)


def summary(samples: list) -> dict:
    latencies = sorted(latency for latency, _ in samples)
    errors = sum(1 for _, status in samples if not 200 <= status < 300)
    return {
        "count": len(samples),
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "errors": errors,
    }


def report(title: str, results: dict, floor_results: dict, seconds: float, verdict: str) -> int:
    base = summary(floor_results["floor"])
    print(f"\n{title}")
    print(
        f"  {'kind':<9}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
        f"{'p50/floor':>11}{'p99/floor':>11}"
    )
    errors = 0
    every = [sample for kind in results for sample in results[kind]]
    for kind, samples in [*((kind, results[kind]) for kind, _ in MIX), ("all", every)]:
        row = summary(samples)
        errors += row["errors"] if kind != "all" else 0
        print(
            f"  {kind:<9}{row['count']:>9}{row['count'] / seconds:>9.1f}"
            f"{row['p50'] * 1000:>9.1f}{row['p99'] * 1000:>9.1f}{row['errors']:>8}"
            f"{row['p50'] / base['p50']:>10.1f}x{row['p99'] / base['p99']:>10.1f}x"
        )
    print(
        f"  {'floor':<9}{base['count']:>9}{base['count'] / seconds:>9.1f}"
        f"{base['p50'] * 1000:>9.1f}{base['p99'] * 1000:>9.1f}{base['errors']:>8}"
        f"{'1.0x':>11}{'1.0x':>11}"
    )
    print(f"  search check after the load: {verdict}")
    return errors + base["errors"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    args = parser.parse_args()
    databases = ["sqlite"] + (["postgresql"] if postgres_answers() else [])
    errors = 0
    for workers in args.workers:
        floor_results = measure_floor(workers, args)
        for database in databases:
            results, verdict = measure_legalbase(database, workers, args)
            title = (
                f"{database}, {workers} workers x 4 threads, {args.clients} clients, "
                f"{args.seconds:g} s"
            )
            errors += report(title, results, floor_results, args.seconds, verdict)
            errors += verdict != "sama dengan basis data"
    print(f"\nerrors in all runs: {errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
