"""Inserting many rows into the tables that carry the SQLite name index.

Migration 0002 keeps an FTS5 table in step with ``foods`` and ``aliases`` through triggers, and
FTS5 flushes its pending terms at the end of every statement. A plain executemany runs one
statement per row, so each name pays a flush (≈ 90 µs); an INSERT … RETURNING lets SQLAlchemy
send the rows as multi-row statements ("insertmanyvalues", up to 1,000 rows a statement), which
inserts 3,334 FoodData Central foods in 0.1 s instead of 0.36 s. PostgreSQL pages the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection


def insert_many(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``table`` in multi-row statements where the driver allows it."""
    if not rows:
        return
    if connection.dialect.insert_executemany_returning:
        connection.execute(insert(table).returning(table.c.id), list(rows)).close()
    else:  # SQLite before 3.35 has no RETURNING: one statement per row, still correct
        connection.execute(insert(table), list(rows))
