"""search index: substring and typo lookups that stay fast at a million foods

SQLite: an FTS5 trigram table over every name and alias key (kept in step by triggers), which
answers LIKE '%term%' from an index. PostgreSQL: pg_trgm GIN indexes on the same keys.
Both: search_words, a delete-neighbourhood index of the words in names (SymSpell), for typos.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A name_index rowid orders its row by the food's K2, richest last, so that "the richest foods
# whose name contains X" is a MATCH read backwards with a LIMIT instead of a sort of every match:
#     rowid = (K2 in ng/100 g, capped) << 27 | (row id << 1) | (1 for an alias, 0 for a name)
# Every trigger computes the rowid it needs, so no trigger ever scans the index.


def _rowid(k2: str, row_id: str, alias: int) -> str:
    milli = f"MIN(CAST(MAX(COALESCE({k2}, 0), 0) * 1000 AS INTEGER), 68719476735)"
    return f"(({milli} << 27) | (({row_id}) << 1) | {alias})"


_FOOD_K2 = "(SELECT k2_total FROM foods WHERE id = {food})"
ADD = "INSERT INTO name_index(rowid, key, food_id)"
SQLITE_TRIGGERS = {
    "foods_name_index_insert": "AFTER INSERT ON foods BEGIN "
    f"{ADD} VALUES ({_rowid('new.k2_total', 'new.id', 0)}, new.search_key, new.id); END",
    # A new name or K2 moves the name's row and (K2 being part of their rowid) the aliases' rows.
    "foods_name_index_update": "AFTER UPDATE OF search_key, k2_total ON foods "
    "WHEN old.search_key IS NOT new.search_key OR old.k2_total IS NOT new.k2_total BEGIN "
    f"DELETE FROM name_index WHERE rowid = {_rowid('old.k2_total', 'old.id', 0)}; "
    f"{ADD} VALUES ({_rowid('new.k2_total', 'new.id', 0)}, new.search_key, new.id); "
    f"DELETE FROM name_index WHERE rowid IN (SELECT {_rowid('old.k2_total', 'a.id', 1)} FROM aliases a "
    "WHERE a.food_id = old.id); "
    f"{ADD} SELECT {_rowid('new.k2_total', 'a.id', 1)}, a.search_key, "
    "a.food_id FROM aliases a WHERE a.food_id = new.id; END",
    # BEFORE: the aliases (removed next by ON DELETE CASCADE) can still be read for their rowids.
    "foods_name_index_delete": "BEFORE DELETE ON foods BEGIN "
    f"DELETE FROM name_index WHERE rowid = {_rowid('old.k2_total', 'old.id', 0)}; "
    f"DELETE FROM name_index WHERE rowid IN (SELECT {_rowid('old.k2_total', 'a.id', 1)} FROM aliases a "
    "WHERE a.food_id = old.id); END",
    "aliases_name_index_insert": "AFTER INSERT ON aliases BEGIN "
    f"{ADD} VALUES "
    f"({_rowid(_FOOD_K2.format(food='new.food_id'), 'new.id', 1)}, new.search_key, new.food_id); END",
    "aliases_name_index_update": "AFTER UPDATE ON aliases BEGIN "
    f"DELETE FROM name_index WHERE rowid = {_rowid(_FOOD_K2.format(food='old.food_id'), 'old.id', 1)}; "
    f"{ADD} VALUES "
    f"({_rowid(_FOOD_K2.format(food='new.food_id'), 'new.id', 1)}, new.search_key, new.food_id); END",
    "aliases_name_index_delete": "AFTER DELETE ON aliases BEGIN "
    f"DELETE FROM name_index WHERE rowid = {_rowid(_FOOD_K2.format(food='old.food_id'), 'old.id', 1)}; END",
}


def upgrade() -> None:
    op.create_table(
        "search_words",
        sa.Column("variant", sa.String(length=64), nullable=False),
        sa.Column("word", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("variant", "word", name=op.f("pk_search_words")),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("CREATE VIRTUAL TABLE name_index USING fts5(key, food_id UNINDEXED, tokenize='trigram')")
        op.execute(f"{ADD} SELECT {_rowid('k2_total', 'id', 0)}, search_key, id FROM foods")
        op.execute(
            f"{ADD} SELECT {_rowid('f.k2_total', 'a.id', 1)}, a.search_key, a.food_id "
            "FROM aliases a JOIN foods f ON f.id = a.food_id"
        )
        for name, body in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    elif dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_foods_search_key_trgm ON foods USING gin (search_key gin_trgm_ops)")
        op.execute("CREATE INDEX ix_aliases_search_key_trgm ON aliases USING gin (search_key gin_trgm_ops)")
    # search_words is filled by d3k2db.storage.search_index.refresh() on the next write or lookup.


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS name_index")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_aliases_search_key_trgm")
        op.execute("DROP INDEX IF EXISTS ix_foods_search_key_trgm")
    op.drop_table("search_words")
    op.execute("DELETE FROM meta WHERE key = 'search_words_upto'")
