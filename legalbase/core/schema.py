"""The database schema: Alembic's migrations, applied and reverted on the current app's database."""

from pathlib import Path

from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from alembic.util import CommandError

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


def migrations() -> ScriptDirectory:
    """legalbase's migration scripts."""
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision this code base knows."""
    head = migrations().get_current_head()
    assert head is not None, "legalbase has migrations"
    return head


def is_known_revision(revision) -> bool:
    """Whether `revision` names one of this code base's migrations (by its exact id)."""
    if not isinstance(revision, str) or not revision:
        return False
    try:
        script = migrations().get_revision(revision)
    except CommandError:
        return False
    return script is not None and script.revision == revision


def migrate_database(current: str | None, revision: str) -> None:
    """Bring the current app's database from `current` (None: no schema yet) to `revision`,
    upgrading or downgrading as that lies ahead or behind."""
    if current == revision:
        return
    behind = current is not None and revision in {
        script.revision for script in migrations().iterate_revisions(current, "base")
    }
    (downgrade_database if behind else upgrade_database)(revision)
