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

# name_index rowids: 2 × foods.id for a name, 2 × aliases.id + 1 for an alias, so that every
# trigger finds its row by rowid instead of scanning the index.
SQLITE_TRIGGERS = {
    "foods_name_index_insert": "AFTER INSERT ON foods BEGIN "
    "INSERT INTO name_index(rowid, key, food_id) VALUES (2 * new.id, new.search_key, new.id); END",
    "foods_name_index_update": "AFTER UPDATE OF search_key ON foods "
    "WHEN old.search_key <> new.search_key BEGIN "
    "DELETE FROM name_index WHERE rowid = 2 * old.id; "
    "INSERT INTO name_index(rowid, key, food_id) VALUES (2 * new.id, new.search_key, new.id); END",
    "foods_name_index_delete": "AFTER DELETE ON foods BEGIN "
    "DELETE FROM name_index WHERE rowid = 2 * old.id; END",
    "aliases_name_index_insert": "AFTER INSERT ON aliases BEGIN "
    "INSERT INTO name_index(rowid, key, food_id) VALUES (2 * new.id + 1, new.search_key, new.food_id); END",
    "aliases_name_index_update": "AFTER UPDATE ON aliases BEGIN "
    "DELETE FROM name_index WHERE rowid = 2 * old.id + 1; "
    "INSERT INTO name_index(rowid, key, food_id) VALUES (2 * new.id + 1, new.search_key, new.food_id); END",
    "aliases_name_index_delete": "AFTER DELETE ON aliases BEGIN "
    "DELETE FROM name_index WHERE rowid = 2 * old.id + 1; END",
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
        op.execute("INSERT INTO name_index(rowid, key, food_id) SELECT 2 * id, search_key, id FROM foods")
        op.execute(
            "INSERT INTO name_index(rowid, key, food_id) SELECT 2 * id + 1, search_key, food_id FROM aliases"
        )
        for name, body in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    elif dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_foods_search_key_trgm ON foods USING gin (search_key gin_trgm_ops)")
        op.execute("CREATE INDEX ix_aliases_search_key_trgm ON aliases USING gin (search_key gin_trgm_ops)")
    # search_words is filled by d3k2db.search_index.refresh() on the next write or lookup.


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
