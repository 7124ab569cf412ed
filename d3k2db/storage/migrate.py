"""Alembic, driven from code. Imported only when the schema must change (first use, upgrades):
a lookup on a current database never loads Alembic (see engine.schema_state)."""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def migrations_dir() -> Path:
    """The Alembic script folder (env.py and versions/): ``d3k2db/_migrations`` in a wheel (see
    pyproject.toml), the top-level ``migrations/`` in a checkout, as d3k2db.resources finds data."""
    installed = _PACKAGE_DIR / "_migrations"
    return installed if installed.is_dir() else _PACKAGE_DIR.parent / "migrations"


def alembic_config() -> Config:
    # Pass the current stdout: Alembic's default is bound once at import time, which breaks when
    # the first import happens while a test runner has swapped stdout.
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def script_revisions() -> list[str]:
    """Every revision the shipped scripts know, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def script_head() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
