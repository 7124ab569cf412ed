"""Writing FDC foods in the one transaction, BATCH_FOODS at a time, so that importing a download
again changes nothing: a food is found again by its fdc_id (kept in ``locator``), an identical one
is left alone and a changed one rewritten; and the report of what was done."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from ...domain.records import MAX_NAME
from ...domain.text import search_key
from ...i18n import _
from ...storage.bulk import insert_many
from ...storage.tables import foods as food_table
from ...storage.tables import measurements as measurement_table
from ...storage.tables import portions as portion_table
from ...storage.tables import sources as source_table
from ...storage.writes import Holder, food_ids, holders
from .build import CITATION_PREFIX, Food, batch
from .parse import Tables

FDC_URL = "https://fdc.nal.usda.gov/"  # the url of each dataset's Source


@dataclass
class FdcReport:
    """What an FDC import did, by food name; ``skipped`` says what was left out and why."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rows_read: int = 0  # food_nutrient.csv rows scanned
    foods_with_mk4: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "rows_read": self.rows_read,
            "foods_with_mk4": self.foods_with_mk4,
        }


_FOOD_COLUMNS = [c for c in food_table.columns if c.key != "id"]
_PORTION_KEYS = ("unit", "amount", "grams", "description", "source", "locator")
_MEASUREMENT_KEYS = tuple(c.key for c in measurement_table.columns if c.key not in ("id", "food_id"))
# Foods built and written at a time, inside the one transaction: memory stays flat however many
# foods of a download have MK-4.
BATCH_FOODS = 2_000


@dataclass
class _Current:
    """What an earlier FDC import wrote for one food, in comparable form."""

    food: dict[str, Any]
    portions: list[tuple[Any, ...]] = field(default_factory=list)
    measurements: list[tuple[Any, ...]] = field(default_factory=list)


def _fdc_id_of(locator: str | None) -> int | None:
    match = re.fullmatch(r"fdc_id (\d+)", locator or "")
    return int(match.group(1)) if match else None


def _imported(connection: Connection) -> dict[int, int]:
    """fdc_id → food id of the foods earlier FDC imports added (the first, should one repeat)."""
    rows = connection.execute(
        select(food_table.c.id, food_table.c.locator)
        .join(source_table, food_table.c.source_id == source_table.c.id)
        .where(food_table.c.is_custom.is_(True), source_table.c.citation.startswith(CITATION_PREFIX))
        .order_by(food_table.c.id)
    )
    by_fdc: dict[int, int] = {}
    for food_id, locator in rows:
        fdc_id = _fdc_id_of(locator)
        if fdc_id is not None:
            by_fdc.setdefault(fdc_id, food_id)
    return by_fdc


def _current(connection: Connection, food_ids: list[int]) -> dict[int, _Current]:
    """The rows an earlier import wrote for ``food_ids`` (at most BATCH_FOODS, three queries)."""
    if not food_ids:
        return {}
    current = {
        row.id: _Current({c.key: row._mapping[c.key] for c in _FOOD_COLUMNS})
        for row in connection.execute(
            select(food_table.c.id, *_FOOD_COLUMNS).where(food_table.c.id.in_(food_ids))
        )
    }
    for food_id, values in _child_rows(connection, portion_table, _PORTION_KEYS, food_ids):
        current[food_id].portions.append(values)
    for food_id, values in _child_rows(connection, measurement_table, _MEASUREMENT_KEYS, food_ids):
        current[food_id].measurements.append(values)
    return current


def _child_rows(
    connection: Connection, table: Any, keys: tuple[str, ...], food_ids: list[int]
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(food id, the ``keys`` columns) of a table's rows for ``food_ids``, in insertion order."""
    statement = (
        select(table.c.food_id, *(table.c[k] for k in keys))
        .where(table.c.food_id.in_(food_ids))
        .order_by(table.c.id)
    )
    for food_id, *values in connection.execute(statement):
        yield food_id, tuple(values)


def _candidates(item: Food) -> list[tuple[str, str]]:
    """The names an FDC food may take, with their search keys: its description, then
    'description (FDC id)'."""
    base = item.spec.name
    names = [base, f"{base} (FDC {item.fdc_id})"]
    return [(name, search_key(name)) for name in names if len(name) <= MAX_NAME]


def _name_for(
    candidates: list[tuple[str, str]], own: int | None, taken: dict[str, Holder]
) -> tuple[str, str] | None:
    """The first candidate name no other food holds, with its search key."""
    for candidate, key in candidates:
        holder = taken.get(key)
        if key and (holder is None or (own is not None and holder.food_id == own)):
            return candidate, key
    return None


@dataclass
class _Plan:
    """What one batch does: foods to insert, foods to rewrite, and the portions and measurement
    of each (by the new food's name, or the rewritten food's id)."""

    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    children: list[tuple[Food, dict[str, Any], str | int]] = field(default_factory=list)


def _unchanged(now: _Current, values: dict[str, Any], item: Food, measurement: dict[str, Any]) -> bool:
    """Is the food as an earlier import wrote it, portions and measurement too?"""
    return (
        now.food == values
        and now.portions == [tuple(p[k] for k in _PORTION_KEYS) for p in item.portions]
        and now.measurements == [tuple(measurement[k] for k in _MEASUREMENT_KEYS)]
    )


class Writer:
    """Adds new foods, rewrites changed ones and leaves identical ones alone, a batch at a time."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.by_fdc = _imported(connection)
        self.sources: dict[str, int] = {}

    def source_id(self, citation: str) -> int:
        """One Source per FDC dataset, created on first import (an existing one is kept as it is)."""
        if citation not in self.sources:
            sid = self.connection.execute(
                select(source_table.c.id).where(source_table.c.citation == citation)
            ).scalar()
            if sid is None:
                result = self.connection.execute(insert(source_table).values(citation=citation, url=FDC_URL))
                assert result.inserted_primary_key is not None
                sid = result.inserted_primary_key[0]
            self.sources[citation] = int(sid)
        return self.sources[citation]

    def write(self, batch: list[Food], report: FdcReport) -> None:
        plan = self.plan(batch, report)
        self.rewrite(plan.updates)
        new_ids = self.insert_foods(plan.inserts)
        portions: list[dict[str, Any]] = []
        measurements: list[dict[str, Any]] = []
        for item, measurement, ref in plan.children:
            food_id = new_ids[ref] if isinstance(ref, str) else ref
            portions += [{"food_id": food_id, **p} for p in item.portions]
            measurements.append({"food_id": food_id, **measurement})
        for table, rows in ((portion_table, portions), (measurement_table, measurements)):
            if rows:
                self.connection.execute(insert(table), rows)

    def plan(self, batch: list[Food], report: FdcReport) -> _Plan:
        """Name each food of the batch and decide whether it is added, rewritten or left alone
        (reported as it is decided); a food whose names are both taken is skipped."""
        owned = {item.fdc_id: self.by_fdc.get(item.fdc_id) for item in batch}
        current = _current(self.connection, [food_id for food_id in owned.values() if food_id is not None])
        # Earlier batches are already written, so the database answers for them too.
        candidates = [_candidates(item) for item in batch]
        taken = holders(self.connection, (key for names in candidates for _, key in names))
        plan = _Plan()
        for item, names in zip(batch, candidates, strict=True):
            own = owned[item.fdc_id]
            named = _name_for(names, own, taken)
            if named is None:
                report.skipped.append(
                    _("fdc_id {id} ({description}): its name and '… (FDC {id})' are both taken").format(
                        id=item.fdc_id, description=item.description
                    )
                )
                continue
            name, key = named
            taken[key] = Holder("name", own if own is not None else -item.fdc_id, name, True)
            sid = self.source_id(item.citation)
            values = {**item.values(sid), "name": name, "search_key": key}
            measurement = {"source_id": sid, **item.measurement}
            if own is None:
                plan.inserts.append(values)
                plan.children.append((item, measurement, name))
                report.added.append(name)
            elif _unchanged(current[own], values, item, measurement):
                report.unchanged.append(name)
            else:
                plan.updates.append({"food_id": own, **values})
                plan.children.append((item, measurement, own))
                report.updated.append(name)
        return plan

    def rewrite(self, updates: list[dict[str, Any]]) -> None:
        """Rewrite changed foods; their portions and measurements are written again."""
        if not updates:
            return
        connection = self.connection
        connection.execute(update(food_table).where(food_table.c.id == bindparam("food_id")), updates)
        changed = [row["food_id"] for row in updates]
        connection.execute(delete(portion_table).where(portion_table.c.food_id.in_(changed)))
        connection.execute(delete(measurement_table).where(measurement_table.c.food_id.in_(changed)))

    def insert_foods(self, inserts: list[dict[str, Any]]) -> dict[str, int]:
        """Insert the new foods: name → id."""
        # K2 order keeps the search index's rowids (led by K2) appending, which FTS5 does fastest.
        inserts.sort(key=lambda values: values.get("k2_total") or 0.0)
        insert_many(self.connection, food_table, inserts)
        return food_ids(self.connection, [row["name"] for row in inserts])


def write_foods(connection: Connection, tables: Tables, ids: pd.Index, report: FdcReport) -> None:
    """Build and write the foods of ``ids`` (sorted fdc_ids), BATCH_FOODS at a time."""
    writer = Writer(connection)
    for start in range(0, len(ids), BATCH_FOODS):
        writer.write(batch(tables, ids[start : start + BATCH_FOODS], report.skipped), report)
