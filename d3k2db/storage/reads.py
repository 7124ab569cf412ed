"""Every query a lookup runs, written once as SQL text, and how to run it on either connection.

A lookup (search, show, meal, pair) reads through one of two connections:

* a stdlib ``sqlite3`` connection (:class:`SqliteReader`), opened by ``storage.quick`` when the
  SQLite file is already up to date, so that a lookup never imports SQLAlchemy;
* a SQLAlchemy ``Connection`` (PostgreSQL, a database that had to be migrated or seeded first,
  and every caller that holds one, such as the plan), through ``text()``.

The SQL is the dialect-neutral subset both backends read alike (``NULLS LAST``, ``IS TRUE``,
``LIKE … ESCAPE``); values are always bound as named parameters. A list value is bound as one
parameter per element (:func:`_expand`: ``:ids`` → ``:ids_0, :ids_1``), never written into the
text. Rows answer by column name (``row.name``), by position and by unpacking, on both.
"""

from __future__ import annotations

import re
import sqlite3
from collections import namedtuple
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    Reader: TypeAlias = "SqliteReader | Connection"

#: A row: its columns by name (``row.id``), by position, unpacked, and ``row._asdict()``.
Record: TypeAlias = Any

# --- the queries --------------------------------------------------------------------------------

#: A food row as lookups see it: every column of ``foods``, plus its source's citation and URLs.
FOOD_ROW = (
    "SELECT foods.*, sources.citation, sources.url, sources.publisher_url "
    "FROM foods LEFT OUTER JOIN sources ON sources.id = foods.source_id"
)
FOOD_FLAGS = "SELECT foods.id, foods.flags FROM foods"  # what orders equally good search hits
FOOD_BY_KEY = FOOD_ROW + " WHERE foods.search_key = :key"
FOOD_BY_ID = FOOD_ROW + " WHERE foods.id = :id"
FOOD_BY_ALIAS = (
    "SELECT foods.*, sources.citation, sources.url, sources.publisher_url, aliases.alias "
    "FROM foods LEFT OUTER JOIN sources ON sources.id = foods.source_id "
    "JOIN aliases ON aliases.food_id = foods.id WHERE aliases.search_key = :key"
)
UNFLAGGED = "(foods.flags IS NULL OR foods.flags = '')"
FLAGGED = "NOT " + UNFLAGGED
WITH_TAG = "foods.tag = :tag"
IN_CATEGORY = "foods.category = :category"
WITH_IDS = "foods.id IN :ids"
HAS_K2 = "foods.k2_total IS NOT NULL"
BY_K2_PER_100G = " ORDER BY foods.k2_total DESC, foods.name"
BY_K2_PER_SERVING = " ORDER BY foods.k2_total * foods.serving_g DESC, foods.name"
RICHEST_FIRST = " ORDER BY foods.k2_total DESC NULLS LAST, foods.name"
LIMIT = " LIMIT :limit"

CATEGORIES = "SELECT DISTINCT category FROM foods"
LAST_FOOD_ID = "SELECT max(id) FROM foods"
FOOD_IDS_BY_NAME = "SELECT name, id FROM foods WHERE name IN :names"
FOOD_NAMES_BY_ID = "SELECT id, name FROM foods WHERE id IN :ids"
FOOD_NAMES = "SELECT name FROM foods"

# (food id, stored key, name shown, K2 per 100 g) of names and of aliases: search.NameRow
NAMES = "SELECT foods.id, foods.search_key, foods.name, foods.k2_total FROM foods"
ALIAS_NAMES = (
    "SELECT aliases.food_id, aliases.search_key, aliases.alias, foods.k2_total "
    "FROM aliases JOIN foods ON foods.id = aliases.food_id"
)
NAME_IS = " WHERE foods.search_key = :key"
ALIAS_IS = " WHERE aliases.search_key = :key"
NAME_LIKE = " WHERE foods.search_key LIKE :pattern ESCAPE '\\'"
ALIAS_LIKE = " WHERE aliases.search_key LIKE :pattern ESCAPE '\\'"
RICHEST_LIMIT = " ORDER BY foods.k2_total DESC NULLS LAST LIMIT :limit"
NAME_INDEX_EXISTS = "SELECT 1 FROM sqlite_master WHERE name = 'name_index'"
NAME_INDEX = (  # the FTS5 trigram table of migration 0002; rowids are ordered by K2
    "SELECT food_id, key, key, (rowid >> 27) / 1000.0 FROM name_index WHERE {where} "
    "ORDER BY rowid DESC LIMIT :limit"
)
NAME_INDEX_MATCH = "name_index MATCH :value"
NAME_INDEX_LIKE = "key LIKE :value"
NAME_INDEX_INSTR = "instr(key, :value) > 0"
# A name_index rowid (migration 0002): (K2 in ng/100 g, capped) << 27 | row id << 1 | 1 for an alias
NAME_ROWID = (
    "(MIN(CAST(MAX(COALESCE({k2}, 0), 0) * 1000 AS INTEGER), 68719476735) << 27) | ({row_id} << 1) | {alias}"
)
# Keys holding a character outside printable ASCII (Chinese names). Migration 0005 indexes only
# those (partial indexes with this very condition, which the planner needs word for word), so a
# term of one or two such characters, which the trigram table cannot match, is looked for among
# them: a few thousand keys instead of every name (0.56 s at 1M foods).
WIDE_KEY = "search_key GLOB '*[^ -~]*'"
WIDE_KEYS_CONTAINING = (
    "SELECT food_id, key, key, (r >> 27) / 1000.0 FROM (SELECT foods.id AS food_id, foods.search_key AS key, "
    + NAME_ROWID.format(k2="foods.k2_total", row_id="foods.id", alias=0)
    + f" AS r FROM foods WHERE foods.{WIDE_KEY} AND instr(foods.search_key, :value) > 0 "
    "UNION ALL SELECT aliases.food_id, aliases.search_key, "
    + NAME_ROWID.format(k2="foods.k2_total", row_id="aliases.id", alias=1)
    + f" FROM aliases JOIN foods ON foods.id = aliases.food_id WHERE aliases.{WIDE_KEY} "
    "AND instr(aliases.search_key, :value) > 0) ORDER BY r DESC LIMIT :limit"
)

ALIASES_OF_FOODS = (
    "SELECT food_id, search_key, alias FROM aliases WHERE food_id IN :ids AND search_key IN :keys"
)
ALIASES_OF_FOOD = "SELECT alias, lang FROM aliases WHERE food_id = :id"
ALIAS_KEYS_BY_NAME = (
    "SELECT foods.name, aliases.search_key FROM foods JOIN aliases ON aliases.food_id = foods.id "
    "WHERE foods.name IN :names"
)
TYPO_NAMES = "SELECT search_key, id, name FROM foods"
TYPO_ALIASES = "SELECT search_key, food_id, alias FROM aliases"
# names in one language: its own script first, then names written alike in both (lang 'zh')
NAMES_IN = (
    "SELECT foods.name, aliases.alias FROM foods JOIN aliases ON aliases.food_id = foods.id "
    "WHERE aliases.lang IN :langs{names} ORDER BY aliases.lang = :both, aliases.id"
)
FOR_NAMES = " AND foods.name IN :names"

PORTIONS_OF_FOOD = "SELECT * FROM portions WHERE food_id = :id ORDER BY id"
PORTIONS_OF_FOODS = "SELECT * FROM portions WHERE food_id IN :ids ORDER BY id"
COUNTED_MEASUREMENTS = "SELECT * FROM measurements WHERE food_id IN :ids AND counted IS TRUE"
MEASUREMENTS_OF_FOOD = (
    "SELECT measurements.*, sources.citation, sources.url, sources.publisher_url "
    "FROM measurements JOIN sources ON sources.id = measurements.source_id "
    "WHERE measurements.food_id = :id ORDER BY measurements.id"
)

ALL_KEYS = "SELECT search_key, name FROM foods UNION ALL SELECT search_key, alias FROM aliases"
FOODS_VERSION = "SELECT count(id), max(id), sum(length(search_key)) FROM foods"
ALIASES_VERSION = "SELECT count(id), max(id), sum(length(search_key)) FROM aliases"
# The same in O(1) on SQLite: FTS5 rewrites the name index's structure record (id 10) whenever a
# transaction adds, removes or moves a name in it; the averages record (id 1) counts its rows.
NAME_INDEX_VERSION = (
    "SELECT (SELECT block FROM name_index_data WHERE id = 10), (SELECT block FROM name_index_data "
    "WHERE id = 1), (SELECT max(id) FROM foods), (SELECT max(id) FROM aliases)"
)

META_VALUE = "SELECT value FROM meta WHERE key = :key"
FOOD_KEYS_AFTER = "SELECT search_key FROM foods WHERE id > :after"
ALIAS_KEYS_AFTER = "SELECT search_key FROM aliases WHERE id > :after"
INDEXED_WORDS = "SELECT word FROM search_words WHERE variant = word"
WORDS_NEAR = "SELECT word FROM search_words WHERE variant IN :variants"


def where(statement: str, conditions: Sequence[str]) -> str:
    """``statement`` with the conditions (constants of this module) joined by AND."""
    return statement + (" WHERE " + " AND ".join(conditions) if conditions else "")


# --- running them -------------------------------------------------------------------------------


class SqliteReader(sqlite3.Connection):
    """A stdlib connection to an up-to-date SQLite file (storage.quick opens it)."""

    cache_key: str | None = None  # what identifies the database across connections (meal/index.py)


@lru_cache(maxsize=256)
def _row_class(names: tuple[str, ...]) -> Any:
    """The class of the rows of a query's columns: they answer by column name, as SQLAlchemy's do."""
    return namedtuple("Record", names, rename=True)


_PARAMETER = re.compile(r"(?<![:\w]):(\w+)")


def _expand(statement: str, params: Mapping[str, object]) -> tuple[str, dict[str, object]]:
    """Bind each element of a list or tuple value as its own parameter (``IN :ids``)."""
    lists = {name for name, value in params.items() if isinstance(value, (list, tuple, set, frozenset))}
    if not lists:
        return statement, dict(params)
    bound = {name: value for name, value in params.items() if name not in lists}
    placeholders: dict[str, str] = {}
    for name in lists:
        values = list(params[name])  # type: ignore[call-overload]
        if not values:  # an empty IN list matches nothing, on every backend
            placeholders[name] = "(NULL)"
            continue
        bound.update({f"{name}_{i}": value for i, value in enumerate(values)})
        placeholders[name] = "(" + ", ".join(f":{name}_{i}" for i in range(len(values))) + ")"
    text = _PARAMETER.sub(lambda m: placeholders.get(m.group(1), m.group(0)), statement)
    return text, bound


def rows(connection: Reader, statement: str, **params: object) -> list[Record]:
    """Every row ``statement`` gives, with ``params`` bound by name."""
    text, bound = _expand(statement, params)
    if isinstance(connection, SqliteReader):
        cursor = connection.execute(text, bound)
        make = _row_class(tuple(column[0] for column in cursor.description))._make
        return [make(row) for row in cursor.fetchall()]
    from sqlalchemy import text as sql_text  # the caller holds a SQLAlchemy connection already

    return list(connection.execute(sql_text(text), bound))


def values(connection: Reader, statement: str, **params: object) -> list[tuple[Any, ...]]:
    """As :func:`rows`, as plain tuples: for the reads of thousands of rows that are only unpacked."""
    text, bound = _expand(statement, params)
    if isinstance(connection, SqliteReader):
        return connection.execute(text, bound).fetchall()
    from sqlalchemy import text as sql_text

    return [tuple(row) for row in connection.execute(sql_text(text), bound)]


def first(connection: Reader, statement: str, **params: object) -> Record | None:
    found = rows(connection, statement, **params)
    return found[0] if found else None


def scalar(connection: Reader, statement: str, **params: object) -> Any:
    """The first column of the first row (None when there is no row)."""
    row = first(connection, statement, **params)
    return None if row is None else row[0]


def scalars(connection: Reader, statement: str, **params: object) -> list[Any]:
    return [row[0] for row in rows(connection, statement, **params)]


def dialect(connection: Reader) -> str:
    """'sqlite' or 'postgresql'."""
    return "sqlite" if isinstance(connection, SqliteReader) else connection.dialect.name


def cache_key(connection: Reader) -> str | None:
    """What names the database across connections, for per-process caches; None for a database
    that is one connection's alone (SQLite in memory)."""
    if isinstance(connection, SqliteReader):
        return connection.cache_key
    url = connection.engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    return url.render_as_string(hide_password=True)
