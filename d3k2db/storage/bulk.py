"""Inserting many rows into the tables that carry the SQLite name index.

Migration 0002 keeps an FTS5 table in step with ``foods`` and ``aliases`` through triggers, and
FTS5 flushes its pending terms at the end of every statement. A plain executemany runs one
statement per row, so each name pays a flush (≈ 90 µs); multi-row statements pay it once per
statement. PostgreSQL (and any other backend) gets an INSERT … RETURNING, which SQLAlchemy sends as
multi-row statements ("insertmanyvalues", up to 1,000 rows a statement). On SQLite the statements
are written here, rows × columns parameters each: SQLAlchemy's per-row processing of the same
rows cost more than SQLite's own work (a 200,000-food import spent 7 s in it, its measurements
another 6 s).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection

# SQLite's default limit of parameters in one statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32).
_SQLITE_PARAMETERS = 32_766
_ROWS_PER_STATEMENT = 1_000


def insert_many(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (each with the same keys) into ``table`` in multi-row statements; columns
    the rows leave out take their scalar defaults (``is_custom``, ``counted``)."""
    if not rows:
        return
    left_out = [column for column in table.columns if column.key not in rows[0]]
    computed = any(column.default is not None and not column.default.is_scalar for column in left_out)
    if connection.dialect.name == "sqlite" and not computed:  # a default computed per row is SQLAlchemy's
        _sqlite_values(connection, table, rows)
    elif connection.dialect.insert_executemany_returning:
        connection.execute(insert(table).returning(table.c.id), list(rows)).close()
    else:  # no RETURNING: one statement per row, still correct
        connection.execute(insert(table), list(rows))


def _sqlite_values(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """``INSERT INTO table (…) VALUES (…), (…), …`` with the columns' scalar defaults filled in."""
    keys = list(rows[0])
    defaults = {
        column.key: column.default.arg  # type: ignore[attr-defined]
        for column in table.columns
        if column.key not in rows[0] and column.default is not None and column.default.is_scalar
    }
    quote = connection.dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in (*keys, *defaults))
    slots = "(" + ", ".join("?" * (len(keys) + len(defaults))) + ")"
    per = max(1, min(_ROWS_PER_STATEMENT, _SQLITE_PARAMETERS // (len(keys) + len(defaults))))
    extra = tuple(defaults.values())
    for start in range(0, len(rows), per):
        part = rows[start : start + per]
        parameters = [value for row in part for value in (*(row[key] for key in keys), *extra)]
        sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES {', '.join([slots] * len(part))}"
        connection.exec_driver_sql(sql, tuple(parameters))
