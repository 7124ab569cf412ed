"""A full, ordered dump of a d3k2db database, to prove that a failed operation changed nothing."""

from __future__ import annotations

from sqlalchemy import text

from d3k2db.storage.engine import make_engine

TABLES = ("foods", "aliases", "portions", "measurements", "sources", "meta", "alembic_version")


def dump(url: str) -> list[tuple]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            rows: list[tuple] = []
            for table in TABLES:
                result = connection.execute(text(f"SELECT * FROM {table} ORDER BY 1"))
                rows += [(table, *row) for row in result]
            return rows
    finally:
        engine.dispose()
