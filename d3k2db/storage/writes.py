"""The write layer: the rows a food is stored as, written by the user's commands (exchange/custom),
the CSV import (exchange/transfer) and the FDC import (exchange/fdc).

Every writer works inside :func:`run_write` (or :func:`write_transaction`), so a refused call leaves
the database exactly as it was, the typo index follows every committed name, and writers that start
together run one after another (storage/contention.py). Rows are deleted by the schema's
``ON DELETE CASCADE``: deleting a food takes its aliases, portions and measurements with it (SQLite
enforces it through ``PRAGMA foreign_keys=ON``, set on every connection in storage/engine.py).

This module must stay free of pandas: ``d3k2db add``/``remove`` import it and should start as fast
as ``search``. Like all of storage it knows only its schema: the rows it writes are built above it
(d3k2db/domain/records.py), and a database failure is raised as it is, for d3k2db/database.py to word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from ..errors import SourceTaken
from . import contention, search_index
from .bulk import insert_many
from .tables import aliases, foods, measurements, portions, sources
from .upsert import dialect_insert

T = TypeVar("T")


@dataclass(frozen=True)
class FoodRows:
    """One new food as the rows it is stored as: its ``foods`` columns (without id), its aliases'
    rows and its measurement's (without food_id), and the portion its serving implies, if any."""

    food: dict[str, Any]
    aliases: list[dict[str, Any]]
    measurement: dict[str, Any]
    portion: dict[str, Any] | None = None


@contextmanager
def exclusive(engine: Engine) -> Iterator[Connection]:
    """One transaction holding the database's write lock (storage/contention.py), committed at the
    end; anything raised rolls it back, and a database failure is raised as it is.

    The typo index is brought up to date inside the same transaction, so new names are found
    by typo as soon as they are committed.
    """
    with engine.connect() as connection:
        contention.begin_write(connection)
        yield connection
        search_index.refresh(connection)
        connection.commit()


def run_write(engine: Engine, work: Callable[[Connection], T]) -> T:
    """``work(connection)`` in one write transaction; returns what it returns.

    A transient failure (the database busy, a deadlock, a unique key taken by a writer that
    raced: contention.is_transient) rolls the transaction back and runs ``work`` again, up to
    contention.ATTEMPTS times, after a short random pause; ``work`` must therefore only read and
    write through ``connection``. Any other database failure, or the last, is raised as it is (the
    library's d3k2db.database.run_write words it); the library's own errors (NameTaken, …) pass
    through at once.
    """
    attempt = 1
    while True:
        try:
            with exclusive(engine) as connection:
                return work(connection)
        except DBAPIError as exc:
            if attempt >= contention.ATTEMPTS or not contention.is_transient(exc):
                raise
        contention.pause(attempt)
        attempt += 1


@dataclass(frozen=True)
class Holder:
    """Who holds a search key: a food's name or one of its aliases."""

    kind: str  # "name" or "alias"
    food_id: int
    food_name: str
    is_custom: bool  # the food's flag for a name, the alias's flag for an alias


def holders(connection: Connection, keys: Iterable[str] | None = None) -> dict[str, Holder]:
    """Every name and alias key (or only ``keys``) with the food that holds it."""
    wanted = None if keys is None else sorted(set(keys))
    by_name = select(foods.c.search_key, foods.c.id, foods.c.name, foods.c.is_custom)
    by_alias = select(aliases.c.search_key, foods.c.id, foods.c.name, aliases.c.is_custom).join(foods)
    if wanted is not None:
        by_name = by_name.where(foods.c.search_key.in_(wanted))
        by_alias = by_alias.where(aliases.c.search_key.in_(wanted))
    found: dict[str, Holder] = {}
    for key, food_id, food_name, custom in connection.execute(by_alias):
        found[key] = Holder("alias", food_id, food_name, bool(custom))
    for key, food_id, food_name, custom in connection.execute(by_name):
        found[key] = Holder("name", food_id, food_name, bool(custom))  # a name outranks an alias
    return found


def categories(connection: Connection) -> list[str]:
    """The categories the foods have, each spelling once."""
    return [str(c) for c in connection.execute(select(foods.c.category).distinct()).scalars()]


def source_id(
    connection: Connection, citation: str, url: str | None, cache: dict[str, int] | None = None
) -> int:
    """The id of the source ``citation`` (created if new). Raises SourceTaken when the source
    exists with another URL: a citation names one reference, so its URL is one too."""
    if cache is not None and citation in cache:
        return cache[citation]
    stored = select(sources.c.id, sources.c.url).where(sources.c.citation == citation)
    row = connection.execute(stored).first()
    if row is None:  # created unless a writer racing this one has just created it
        connection.execute(
            dialect_insert(connection, sources)
            .values(citation=citation, url=url)
            .on_conflict_do_nothing(index_elements=[sources.c.citation])
        )
        row = connection.execute(stored).one()
    if row.url != url and url is not None:
        raise SourceTaken(citation, row.url)
    found = int(row.id)
    if cache is not None:
        cache[citation] = found
    return found


def insert_foods(connection: Connection, items: Sequence[FoodRows]) -> dict[str, int]:
    """Write new foods with their aliases, their serving's portion and their one measurement
    (d3k2db.exchange.rows.food_rows builds them). Returns the new ids by name.

    Rows go in as multi-row statements (storage/bulk.py): thousands of foods take well under a second.
    """
    if not items:
        return {}
    insert_many(connection, foods, [{**item.food, "notes": None} for item in items])
    ids = food_ids(connection, [item.food["name"] for item in items])
    alias_rows, portion_rows, measurement_rows = [], [], []
    for item in items:
        food_id = ids[item.food["name"]]
        alias_rows += [{"food_id": food_id, **row} for row in item.aliases]
        if item.portion is not None:
            portion_rows.append({"food_id": food_id, **item.portion})
        measurement_rows.append({"food_id": food_id, **item.measurement})
    insert_many(connection, aliases, alias_rows)
    for table, rows in ((portions, portion_rows), (measurements, measurement_rows)):
        if rows:
            insert_many(connection, table, rows)
    return ids


def food_ids(connection: Connection, names: Sequence[str]) -> dict[str, int]:
    """Food ids by exact name, queried in slices that stay under every driver's parameter limit."""
    found: dict[str, int] = {}
    for start in range(0, len(names), 500):
        part = list(names[start : start + 500])
        rows = connection.execute(select(foods.c.name, foods.c.id).where(foods.c.name.in_(part)))
        found.update((str(name), int(food_id)) for name, food_id in rows)
    return found


def drop_source_if_unused(connection: Connection, sid: int | None) -> None:
    """Remove a source no food or measurement cites any more (e.g. the last 'user-entered' food)."""
    if sid is None:
        return
    for table in (foods, measurements):
        count = select(func.count()).select_from(table).where(table.c.source_id == sid)
        if connection.execute(count).scalar():
            return
    connection.execute(delete(sources).where(sources.c.id == sid))


def delete_food(connection: Connection, food_id: int) -> None:
    """Delete a food; its aliases, portions and measurements go with it by ON DELETE CASCADE.
    The sources it cited go too when nothing else cites them."""
    sid = connection.execute(select(foods.c.source_id).where(foods.c.id == food_id)).scalar()
    measured = set(
        connection.execute(
            select(measurements.c.source_id).where(measurements.c.food_id == food_id)
        ).scalars()
    )
    connection.execute(delete(foods).where(foods.c.id == food_id))
    for candidate in {sid, *measured}:
        drop_source_if_unused(connection, candidate)


def update_mirror_measurement(
    connection: Connection, food_id: int, values: dict[str, Any], notes: str | None
) -> None:
    """Keep a custom food's one measurement equal to its figures (``values``: its columns but
    food_id and notes; kept: source_food_name, basis)."""
    ids = list(
        connection.execute(select(measurements.c.id).where(measurements.c.food_id == food_id)).scalars()
    )
    if len(ids) == 1:
        connection.execute(update(measurements).where(measurements.c.id == ids[0]).values(**values))
        return
    connection.execute(delete(measurements).where(measurements.c.food_id == food_id))
    connection.execute(insert(measurements).values(food_id=food_id, notes=notes, **values))
