"""name index written in bulk (the per-row INSERT triggers dropped); Chinese keys indexed apart

Migration 0002 kept the FTS5 name index in step with ``foods`` and ``aliases`` by triggers. Each
new name paid its own index write — and its rowid orders by K2, so rows came in out of order and
FTS5 flushed its pending terms for nearly every one: a 200,000-food import spent ~10 s there, a
million foods did not finish. New rows are now indexed by the writer that inserted them, in one
INSERT … SELECT ordered by rowid inside the same transaction (d3k2db/storage/search_index.py,
called by storage/bulk.py). The UPDATE and DELETE triggers stay: they touch one food at a time.
The index's rows are unchanged, so nothing is rebuilt. PostgreSQL's pg_trgm GIN indexes are on
the tables themselves: nothing changes there.

Also on SQLite: partial indexes of the keys holding a character outside printable ASCII (Chinese
names). The trigram table cannot match a term of one or two characters, so such a term was looked
for in every name (0.56 s at a million foods); now among these keys only (d3k2db/storage/reads.py,
WIDE_KEYS_CONTAINING, repeats the condition word for word, as the planner requires).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DROPPED = ("foods_name_index_insert", "aliases_name_index_insert")
WIDE_KEY = "search_key GLOB '*[^ -~]*'"
WIDE_INDEXES = {"ix_foods_wide_search_key": "foods", "ix_aliases_wide_search_key": "aliases"}


def _revision_0002() -> ModuleType:
    """Migration 0002, where the triggers are written (the downgrade puts them back as they were)."""
    spec = importlib.util.spec_from_file_location(
        "_d3k2db_0002", Path(__file__).with_name("0002_search_index.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in DROPPED:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for name, table in WIDE_INDEXES.items():
            op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} (search_key) WHERE {WIDE_KEY}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in WIDE_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        triggers = _revision_0002().SQLITE_TRIGGERS
        for name in DROPPED:
            op.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {triggers[name]}")
