"""Inserting many rows, and indexing the names among them.

Every row inserted into ``foods`` or ``aliases`` goes through ``insert_many``: on SQLite it puts
the new names into the FTS5 name index itself, in one statement after the rows
(storage/search_index.py; migration 0005 dropped the per-row triggers that did it).

PostgreSQL (and any other backend) gets an INSERT … RETURNING, which SQLAlchemy sends as
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

from . import search_index

# SQLite's default limit of parameters in one statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32).
_SQLITE_PARAMETERS = 32_766
_ROWS_PER_STATEMENT = 1_000


def insert_many(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (each with the same keys, no ``id``) into ``table`` in multi-row
    statements; columns the rows leave out take their scalar defaults (``is_custom``, ``counted``).
    New names and aliases are in the name index when this returns."""
    if not rows:
        return
    indexed = search_index.keeps_name_index(connection, table.name)
    after = search_index.last_id(connection, table.name) if indexed else 0
    _insert(connection, table, rows)
    if indexed:  # the new rows are numbered above ``after`` (SQLite: max(rowid) + 1)
        search_index.index_new_names(connection, table.name, after)


def _insert(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
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
