"""Upload-and-extract throughput: generated decrees through the API, against their anchor.

    make bench        (or: .venv/bin/python bench/corpus.py [--count N])

For a batch of generated Keputusan Bupati (DOCX made with python-docx, PDF made with fpdf2),
each row gives documents per second stored through `POST /api/v1/regulations` (type check,
text extraction, heading and citation reading, citation links, file store, audit, commit) and,
as the anchor, documents per second of the text extraction alone (python-docx / pypdf on the
same bytes, in process). The ratio is what legalbase adds on top of reading the file, the
bounded worker process each file is read in (legalbase.core.limits) included.
"""

import argparse
import io
import json
import tempfile
import time

from common import seeded_app

from legalbase.accounts.users import create_user, issue_token
from legalbase.core import db
from legalbase.core.audit import Actor
from legalbase.corpus.files import detect_type, extract_text
from tests.corpus.documents import decree_docx, decree_pdf


def prepared_app(folder: str):
    app = seeded_app(folder)
    with app.app_context():
        user = create_user(None, "Bagian Hukum Muara Enim", "region", "16.03", Actor("bench"))
        token = issue_token(user, Actor("bench"))
        db.session.commit()
    return app, token


def upload_all(client, token: str, documents: list[bytes]) -> float:
    start = time.perf_counter()
    for content in documents:
        response = client.post(
            "/api/v1/regulations",
            headers={"Authorization": f"Bearer {token}"},
            data={"file": (io.BytesIO(content), "sk"), "metadata": json.dumps({})},
            content_type="multipart/form-data",
        )
        assert response.status_code == 201, response.get_json()
    return time.perf_counter() - start


def extract_all(documents: list[bytes]) -> float:
    start = time.perf_counter()
    for content in documents:
        extract_text(content, detect_type(content))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40, help="documents per format")
    args = parser.parse_args()
    print(f"{'format':8} {'docs':>5} {'API docs/s':>11} {'extract docs/s':>15} {'ratio':>7}")
    for name, make in (("docx", decree_docx), ("pdf", decree_pdf)):
        documents = [make(str(1000 + n)) for n in range(args.count)]
        with tempfile.TemporaryDirectory() as folder:
            app, token = prepared_app(folder)
            # Untimed: the worker process that reads files starts once per server.
            upload_all(app.test_client(), token, [make("999")])
            api_seconds = upload_all(app.test_client(), token, documents)
            app.extensions["legalbase.db"].engine.dispose()
        anchor_seconds = extract_all(documents)
        api_rate, anchor_rate = args.count / api_seconds, args.count / anchor_seconds
        print(
            f"{name:8} {args.count:>5} {api_rate:>11.1f} {anchor_rate:>15.1f} "
            f"{anchor_rate / api_rate:>6.1f}x"
        )


if __name__ == "__main__":
    main()
