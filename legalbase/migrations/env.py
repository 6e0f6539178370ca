"""Alembic environment: migrations run on the current Flask app's engine."""

from alembic import context

from legalbase import audit, db  # noqa: F401  (models register on the metadata)
from legalbase.accounts import models as _accounts  # noqa: F401
from legalbase.corpus import models as _corpus  # noqa: F401
from legalbase.regions import models as _regions  # noqa: F401

target_metadata = db.Base.metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with db.engine().connect() as connection:
        _run(connection)
        connection.commit()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
