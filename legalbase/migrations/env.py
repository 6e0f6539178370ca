"""Alembic environment: migrations run on the current Flask app's engine."""

from alembic import context

from legalbase.accounts import models as _accounts  # noqa: F401
from legalbase.core import audit, db  # noqa: F401  (models register on the metadata)
from legalbase.corpus import models as _corpus  # noqa: F401
from legalbase.coverage import models as _coverage  # noqa: F401
from legalbase.drafting import models as _drafting  # noqa: F401
from legalbase.jobs import models as _jobs  # noqa: F401
from legalbase.regions import models as _regions  # noqa: F401
from legalbase.search import models as _search  # noqa: F401

target_metadata = db.Base.metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with db.engine().connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite rebuilds a table to alter it, which foreign keys would forbid; the pragma
            # only takes effect outside a transaction, hence the raw driver connection.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        _run(connection)
        connection.commit()
        if sqlite:
            _check_foreign_keys(connection)


def _check_foreign_keys(connection) -> None:
    driver = connection.connection.driver_connection
    broken = driver.execute("PRAGMA foreign_key_check").fetchall()
    driver.execute("PRAGMA foreign_keys = ON")
    if broken:
        raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
