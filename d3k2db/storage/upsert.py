"""INSERT … ON CONFLICT, spelled by the database at hand (SQLite or PostgreSQL).

A row that several writers may create at once — a source, a word of the typo index, a ``meta``
value — is written so that the second writer finds it made instead of failing on the unique key:
``DO NOTHING`` for a row that only has to exist, ``DO UPDATE`` for a value the last writer sets.
Both databases spell it the same way in SQL, but SQLAlchemy builds it with each dialect's own
``insert``; this module is the one place that chooses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection

from .tables import meta

if TYPE_CHECKING:  # each dialect is imported when a connection to it writes
    from sqlalchemy.dialects import postgresql, sqlite

BATCH = 10_000  # rows per executemany: keeps a refresh of thousands of words in few round trips


def dialect_insert(connection: Connection, table: Table) -> sqlite.Insert | postgresql.Insert:
    """``insert(table)`` of the connection's dialect, which offers ``on_conflict_do_…``."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def insert_missing(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows``; one whose primary or unique key is already stored is left as it is."""
    if not rows:
        return
    statement = dialect_insert(connection, table).on_conflict_do_nothing()
    for start in range(0, len(rows), BATCH):
        connection.execute(statement, list(rows[start : start + BATCH]))


def put_meta(connection: Connection, key: str, value: str) -> None:
    """Set the ``meta`` value ``key`` whether it is stored yet or not (the last writer's wins)."""
    statement = dialect_insert(connection, meta).values(key=key, value=value)
    connection.execute(
        statement.on_conflict_do_update(index_elements=[meta.c.key], set_={"value": statement.excluded.value})
    )
