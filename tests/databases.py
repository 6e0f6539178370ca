"""New, empty databases for tests: SQLite files, or PostgreSQL schemas of their own."""

import os
import uuid
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@contextmanager
def new_database(folder):
    """The URL of a new, empty database: a SQLite file in `folder`, or a PostgreSQL schema of
    its own on the server LEGALBASE_DATABASE_URL names (dropped on exit)."""
    url = os.environ.get("LEGALBASE_DATABASE_URL")
    if not url:
        yield f"sqlite:///{folder / f'{uuid.uuid4().hex[:8]}.sqlite'}"
        return
    schema = f"lb_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
