"""The database schema: Alembic's migrations, applied and reverted on the current app's database."""

from pathlib import Path

from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"


def alembic_config() -> AlembicConfig:
    """Alembic's configuration for legalbase's migrations."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade_database(revision: str = "head") -> None:
    """Apply migrations up to `revision` on the current app's database."""
    alembic_command.upgrade(alembic_config(), revision)


def downgrade_database(revision: str) -> None:
    """Revert migrations down to `revision` on the current app's database."""
    alembic_command.downgrade(alembic_config(), revision)
