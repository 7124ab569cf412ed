"""Read, validate and load the cited seed (data/*.csv) in one transaction.

The one reader of tables (files/reading.py) reads the files, which must be UTF-8; every cell is
validated before anything is written, and the first bad cell is reported by file, the line the row
starts on and column, in the chosen language. A failed load leaves the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection, Engine

from ..domain.figures import k2_total
from ..domain.records import (
    MAX_CATEGORY,
    MAX_CITATION,
    MAX_LABEL,
    MAX_LOCATOR,
    MAX_NAME,
    Invalid,
    check_alias,
    check_figures,
    check_name,
    check_plain,
    check_serving_g,
    check_text,
    check_url,
    figure_from_text,
    normalize_tag,
)
from ..domain.text import search_key
from ..files.reading import open_table
from ..i18n import _
from ..resources import data_dir
from ..storage import changes as change_record
from ..storage.bulk import insert_many
from ..storage.changes import SeedChange
from ..storage.engine import SEED_KEY, seed_fingerprint
from ..storage.tables import FORMS, aliases, foods, measurements, portions, sources
from ..storage.upsert import put_meta
from ..storage.writes import exclusive
from .carry import Held, carry_aliases, in_order, name_clashes
from .export import csv_figures

FIGURE_COLUMNS = (*FORMS, "total_k2", "k1", "vitamin_d3")
FOOD_COLUMNS = ("name", "category", "tag", *FIGURE_COLUMNS, "serving_g", "serving_label", "source")
MEASUREMENT_COLUMNS = ("food", "source", *FIGURE_COLUMNS)
ALIAS_COLUMNS = ("food", "alias")
PORTION_COLUMNS = ("food", "unit", "amount", "grams")
RENAMED_COLUMNS = ("old", "new", "reason")

Row = dict[str, Any]

# The headline's evidence in foods.csv (d3k2db.domain.evidence; written by tools/build_data.py).
EVIDENCE_TEXT = ("coverage", "flags", "main_form", "headline_reason", "tag_note")
EVIDENCE_COUNTS = ("independent", "agreeing")


def _count(table: CsvTable, line: int, row: dict[str, str], column: str) -> int | None:
    value = table.number(line, row, column)
    return None if value is None else int(value)


class CsvTable:
    """A CSV file of the seed read as text, with cell accessors that raise SeedError naming line
    and column."""

    def __init__(self, path: Path, required: Iterable[str]) -> None:
        columns = tuple(required)
        with open_table(path, columns, required=columns, utf8_only=True) as table:
            self.rows = list(table.records())
        self.name = table.name
        self.fail = table.fail

    def lines(self) -> Iterable[tuple[int, dict[str, str]]]:
        """Each row with the line it starts on in the file."""
        return self.rows

    def text(self, line: int, row: dict[str, str], column: str, *, required: bool = False) -> str | None:
        value = row.get(column, "").strip()
        if not value:
            if required:
                raise self.fail(line, column, _("is empty"))
            return None
        try:  # every cell of the seed is plain text, as every stored text is
            return check_plain(column, value)
        except Invalid as exc:  # not self.cell(): a context manager per cell costs a third of a load
            raise self.fail(line, exc.column, exc.problem) from None

    def number(
        self, line: int, row: dict[str, str], column: str, *, required: bool = False, positive: bool = False
    ) -> float | None:
        raw = self.text(line, row, column, required=required)
        if raw is None:
            return None
        try:
            value = figure_from_text(column, raw)
            assert value is not None
            return check_serving_g(value, column) if positive else value
        except Invalid as exc:
            raise self.fail(line, exc.column, exc.problem) from None

    @contextmanager
    def cell(self, line: int) -> Iterator[None]:
        """Report a broken value rule (records.Invalid) as this file's line and column."""
        try:
            yield
        except Invalid as exc:
            raise self.fail(line, exc.column, exc.problem) from None


def _figures(table: CsvTable, line: int, row: dict[str, str]) -> Row:
    return csv_figures(lambda column: table.number(line, row, column))


def read_seed(folder: Path | None = None) -> dict[str, list[Row]]:
    """Validate the seed files and return rows ready to insert (foods keyed by name)."""
    folder = folder or data_dir()
    foods, keys = _read_foods(folder)
    measurements = _read_measurements(folder, keys)
    aliases = _read_aliases(folder, keys)
    portions = _read_portions(folder, keys)
    return {
        "foods": foods,
        "measurements": measurements,
        "aliases": aliases,
        "portions": portions,
        "sources": _read_publishers(folder),
        "renamed": _read_renamed(folder, keys),
    }


def _read_foods(folder: Path) -> tuple[list[Row], dict[str, int]]:
    """foods.csv's foods, and the line of each food's search key."""
    table = CsvTable(folder / "foods.csv", FOOD_COLUMNS)
    keys: dict[str, int] = {}
    foods = [_food(table, line, row, keys) for line, row in table.lines()]
    return foods, keys


def _food(table: CsvTable, line: int, row: dict[str, str], keys: dict[str, int]) -> Row:
    """One food of foods.csv, checked; its search key is added to ``keys`` (key → line)."""
    with table.cell(line):
        name = check_name(table.text(line, row, "name", required=True))
    key = search_key(name)
    if key in keys:
        problem = _("{name} duplicates the name on line {line}").format(name=repr(name), line=keys[key])
        raise table.fail(line, "name", problem)
    keys[key] = line
    figures = _figures(table, line, row)
    with table.cell(line):
        tag = normalize_tag(table.text(line, row, "tag"))
        check_figures(figures)
        text = _food_text(table, line, row)
    return {
        "name": name,
        "search_key": key,
        "tag": tag,
        **figures,
        "k2_total": k2_total(figures),
        "serving_g": table.number(line, row, "serving_g", required=True, positive=True),
        **text,
        "vitamin_d3_source": table.text(line, row, "vitamin_d3_source"),
        "is_custom": False,
        "notes": table.text(line, row, "notes"),
        **{column: table.text(line, row, column) for column in EVIDENCE_TEXT},
        **{column: _count(table, line, row, column) for column in EVIDENCE_COUNTS},
    }


def _food_text(table: CsvTable, line: int, row: dict[str, str]) -> Row:
    """A food's text cells, each within its column's width (records.check_text)."""

    def cell(column: str, limit: int, *, required: bool = False) -> str | None:
        return check_text(column, table.text(line, row, column, required=required), limit)

    return {
        "category": cell("category", MAX_CATEGORY, required=True),
        "serving_label": cell("serving_label", MAX_LABEL, required=True),
        "citation": cell("source", MAX_CITATION, required=True),
        "url": check_url(table.text(line, row, "url")),
        "locator": cell("locator", MAX_LOCATOR),
    }


def _not_a_food(name: str) -> str:
    return _("{name} is not a food in {file}").format(name=repr(name), file="foods.csv")


def _food_key(table: CsvTable, line: int, row: dict[str, str], keys: dict[str, int]) -> str:
    """The search key of the food a row's ``food`` cell names; refused if foods.csv lacks it."""
    name = table.text(line, row, "food", required=True)
    assert name is not None
    key = search_key(name)
    if key not in keys:
        raise table.fail(line, "food", _not_a_food(name))
    return key


def _read_measurements(folder: Path, keys: dict[str, int]) -> list[Row]:
    table = CsvTable(folder / "measurements.csv", MEASUREMENT_COLUMNS)
    return [_measurement(table, line, row, keys) for line, row in table.lines()]


def _measurement(table: CsvTable, line: int, row: dict[str, str], keys: dict[str, int]) -> Row:
    """One row of measurements.csv, checked by the rules of a food's figures (records)."""
    figures = _figures(table, line, row)
    with table.cell(line):
        check_figures(figures)
        citation = check_text("source", table.text(line, row, "source", required=True), MAX_CITATION)
        locator = check_text("locator", table.text(line, row, "locator"), MAX_LOCATOR)
        url = check_url(table.text(line, row, "url"))
    return {
        "food_key": _food_key(table, line, row, keys),
        "citation": citation,
        "url": url,
        "locator": locator,
        "source_food_name": table.text(line, row, "source_food_name"),
        "basis": table.text(line, row, "basis"),
        "notes": table.text(line, row, "notes"),
        **figures,
        "coverage": table.text(line, row, "coverage"),
        "counted": (table.text(line, row, "counted") or "yes") != "no",
        "same_as": table.text(line, row, "same_as"),
        "flags": table.text(line, row, "flags"),
    }


def _read_aliases(folder: Path, keys: dict[str, int]) -> list[Row]:
    """aliases.csv's aliases; one that is only its food's name again (case, plural) is left out."""
    aliases: list[Row] = []
    alias_lines: dict[str, int] = {}
    table = CsvTable(folder / "aliases.csv", ALIAS_COLUMNS)
    for line, row in table.lines():
        food_key = _food_key(table, line, row, keys)
        with table.cell(line):
            alias = check_alias(table.text(line, row, "alias", required=True) or "", "alias")
        key = search_key(alias)
        if key == food_key:
            continue  # an alias that only differs in case or plural adds nothing
        if key in keys:
            raise table.fail(
                line, "alias", _("{alias} is the name of another food").format(alias=repr(alias))
            )
        if key in alias_lines:
            problem = _("{alias} is already an alias on line {line}").format(
                alias=repr(alias), line=alias_lines[key]
            )
            raise table.fail(line, "alias", problem)
        alias_lines[key] = line
        aliases.append(
            {"food_key": food_key, "alias": alias, "search_key": key, "lang": table.text(line, row, "lang")}
        )
    return aliases


def _read_portions(folder: Path, keys: dict[str, int]) -> list[Row]:
    table = CsvTable(folder / "portions.csv", PORTION_COLUMNS)
    return [_portion(table, line, row, keys) for line, row in table.lines()]


def _portion(table: CsvTable, line: int, row: dict[str, str], keys: dict[str, int]) -> Row:
    """One row of portions.csv; text that does not fit its column is refused, never cut."""

    def cell(column: str, limit: int, *, required: bool = False) -> str | None:
        with table.cell(line):
            return check_text(column, table.text(line, row, column, required=required), limit)

    return {
        "food_key": _food_key(table, line, row, keys),
        "unit": cell("unit", MAX_LABEL, required=True),
        "amount": table.number(line, row, "amount", required=True, positive=True),
        "grams": table.number(line, row, "grams", required=True, positive=True),
        "description": cell("description", MAX_NAME),
        "source": cell("source", MAX_CITATION),
        "locator": cell("locator", MAX_LOCATOR),
    }


def _read_publishers(folder: Path) -> list[Row]:
    """sources.csv's publisher URLs by citation (the file is optional)."""
    if not (folder / "sources.csv").exists():
        return []
    table = CsvTable(folder / "sources.csv", ("citation", "publisher_url"))
    return [
        {
            "citation": table.text(line, row, "citation", required=True),
            "publisher_url": table.text(line, row, "publisher_url"),
        }
        for line, row in table.lines()
    ]


def _read_renamed(folder: Path, keys: dict[str, int]) -> list[Row]:
    """renamed.csv (optional): each old seed food name and the food it is now (none: removed)."""
    if not (folder / "renamed.csv").exists():
        return []
    table = CsvTable(folder / "renamed.csv", RENAMED_COLUMNS)
    rows = []
    for line, row in table.lines():
        old = table.text(line, row, "old", required=True)
        new = table.text(line, row, "new")
        if new is not None and search_key(new) not in keys:
            raise table.fail(line, "new", _not_a_food(new))
        rows.append(
            {
                "old_key": search_key(old or ""),
                "new_key": None if new is None else search_key(new),
                "new": new,
                "reason": table.text(line, row, "reason"),
            }
        )
    return rows


def _source_ids(connection: Connection, rows: Iterable[Row]) -> dict[str, int]:
    """Look up or create a Source per citation; the first URL seen for a citation is kept."""
    wanted: dict[str, str | None] = {}
    for row in rows:
        wanted.setdefault(row["citation"], row.get("url"))
    existing = {
        citation: source_id
        for citation, source_id in connection.execute(select(sources.c.citation, sources.c.id))
    }
    new = [{"citation": c, "url": u} for c, u in wanted.items() if c not in existing]
    if new:
        connection.execute(insert(sources), new)
        existing = {
            citation: source_id
            for citation, source_id in connection.execute(select(sources.c.citation, sources.c.id))
        }
    return existing


@dataclass(frozen=True)
class SeedLoad:
    """What a seed load wrote (rows per table) and did to the user's own data (exchange/carry.py)."""

    counts: dict[str, int]
    changes: list[SeedChange]


def load_seed(engine: Engine, folder: Path | None = None) -> SeedLoad:
    """Replace the seed foods with the files' contents; the user's foods and aliases are kept (an
    alias of a renamed seed food moves to its new name: exchange/carry.py).

    Everything happens in one transaction: on any error nothing is written. The changes to the
    user's data are recorded (storage/changes.py) to be told again later.
    """
    seed = read_seed(folder)
    with exclusive(engine) as connection:  # no user's write can interleave with the refresh
        loaded = _write_seed(connection, seed)
        put_meta(connection, SEED_KEY, seed_fingerprint(folder or data_dir()))
        change_record.record(connection, loaded.changes)
    return loaded


def _write_seed(connection: Connection, seed: dict[str, list[Row]]) -> SeedLoad:
    """Replace the seed foods with ``seed``, keeping the user's own foods and aliases; the number
    of rows written per table, and what happened to the user's data."""
    source_ids = _source_ids(connection, seed["foods"] + seed["measurements"])
    _set_publisher_urls(connection, seed.get("sources", []), source_ids)
    current = _current_foods(connection)
    # A user's own food wins over a seed food of the same name.
    own_keys = {key for key, food in current.items() if food.is_custom}
    seed_foods = [row for row in seed["foods"] if row["search_key"] not in own_keys]
    seed_keys = {row["search_key"] for row in seed_foods}
    _write_foods(connection, seed_foods, current, source_ids)
    written = _written_foods(connection, seed_keys)
    stale = {key: food for key, food in current.items() if not food.is_custom and key not in seed_keys}
    renamed = {row["old_key"]: row for row in seed.get("renamed", [])}
    changes, kept = carry_aliases(connection, stale, renamed, written)
    gone = [food.id for food in stale.values() if food.id not in kept]
    if gone:
        connection.execute(delete(foods).where(foods.c.id.in_(gone)))
    ids = {key: food.id for key, food in written.items()}
    # the user's foods (their own, and the stale seed foods kept for their aliases) keep their names
    custom_food_keys = own_keys | {key for key, food in stale.items() if food.id in kept}
    attach = _Attacher(seed_keys, ids, source_ids)
    counts = {"foods": len(seed_foods), **_replace_attached(connection, seed, attach, custom_food_keys)}
    return SeedLoad(counts, in_order(changes + name_clashes(connection, seed["foods"], current, written)))


def _current_foods(connection: Connection) -> dict[str, Held]:
    """Every food in the database, seed or the user's, by search key."""
    return {
        key: Held(int(food_id), bool(is_custom), str(name))
        for food_id, key, is_custom, name in connection.execute(
            select(foods.c.id, foods.c.search_key, foods.c.is_custom, foods.c.name)
        )
    }


def _written_foods(connection: Connection, seed_keys: set[str]) -> dict[str, Held]:
    """The seed foods just written, by search key."""
    return {
        key: Held(int(food_id), False, str(name))
        for key, food_id, name in connection.execute(
            select(foods.c.search_key, foods.c.id, foods.c.name).where(foods.c.is_custom.is_(False))
        )
        if key in seed_keys
    }


def _replace_attached(
    connection: Connection, seed: dict[str, list[Row]], attach: _Attacher, custom_food_keys: set[str]
) -> dict[str, int]:
    """Replace the measurements, portions and aliases of the seed foods written (but an alias the
    user's foods or aliases hold); the rows written per table."""
    seed_ids = list(attach.ids.values())
    for table in (portions, measurements):
        connection.execute(delete(table).where(table.c.food_id.in_(seed_ids)))
    connection.execute(delete(aliases).where(aliases.c.is_custom.is_(False)))
    custom_alias_keys = set(connection.execute(select(aliases.c.search_key)).scalars())
    seed_foods = [row for row in seed["foods"] if row["search_key"] in attach.seed_keys]
    alias_rows = _seed_alias_rows(attach, seed, seed_foods, custom_alias_keys | custom_food_keys)
    insert_many(connection, aliases, alias_rows)
    counts: dict[str, int] = {}
    for name, table in (("measurements", measurements), ("portions", portions)):
        rows = attach(seed[name])
        if rows:
            connection.execute(insert(table), rows)
        counts[name] = len(rows)
    return {"measurements": counts["measurements"], "aliases": len(alias_rows), **counts}


def _set_publisher_urls(connection: Connection, publishers: list[Row], source_ids: dict[str, int]) -> None:
    """Record the publisher's own page of each source, beside the copy the figures were read from."""
    known = [row for row in publishers if row["citation"] in source_ids]
    if known:
        connection.execute(
            update(sources).where(sources.c.id == bindparam("source_id")),
            [
                {"source_id": source_ids[row["citation"]], "publisher_url": row["publisher_url"]}
                for row in known
            ],
        )


def _write_foods(
    connection: Connection,
    seed_foods: list[Row],
    current: dict[str, Held],
    source_ids: dict[str, int],
) -> None:
    """Insert the seed foods the database lacks and update those it has (``current``: by key)."""
    food_fields = {column.key for column in foods.columns} - {"id"}
    inserts, updates = [], []
    for row in seed_foods:
        values = {k: v for k, v in row.items() if k in food_fields}
        values["source_id"] = source_ids[row["citation"]]
        if row["search_key"] in current:
            values["id"] = current[row["search_key"]].id
            updates.append(values)
        else:
            inserts.append(values)
    if inserts:
        # In K2 order, so the search index's rowids (which lead with K2) only ever append:
        # FTS5 flushes its pending data on every out-of-order rowid, which costs five times as much.
        inserts.sort(key=lambda values: values["k2_total"] or 0.0)
        insert_many(connection, foods, inserts)
    if updates:
        # one executemany: only rows whose values changed are rewritten by the database anyway
        connection.execute(
            update(foods).where(foods.c.id == bindparam("food_id")),
            [
                {**{k: v for k, v in values.items() if k != "id"}, "food_id": values["id"]}
                for values in updates
            ],
        )


@dataclass(frozen=True)
class _Attacher:
    """Turns seed rows naming a food by key into rows to insert for the seed foods written."""

    seed_keys: set[str]  # the seed foods written (not replaced by a user's food)
    ids: dict[str, int]  # seed food id by search key
    source_ids: dict[str, int]  # source id by citation

    def __call__(self, rows: list[Row], skip: set[str] | None = None) -> list[Row]:
        """The rows of seed foods written, with food_id (and source_id for a cited row); a row
        whose search_key is in ``skip`` is left out."""
        out = []
        for row in rows:
            if row["food_key"] not in self.seed_keys or (skip and row.get("search_key") in skip):
                continue
            values = {k: v for k, v in row.items() if k not in ("food_key", "citation", "url")}
            values["food_id"] = self.ids[row["food_key"]]
            if "citation" in row:
                values["source_id"] = self.source_ids[row["citation"]]
            out.append(values)
        return out


def _seed_alias_rows(
    attach: _Attacher, seed: dict[str, list[Row]], seed_foods: list[Row], taken: set[str]
) -> list[Row]:
    """The seed aliases to insert, but those whose key the user's foods or aliases hold (``taken``),
    in their food's K2 order (as the foods, for the search index)."""
    alias_key_food = {row["search_key"]: row["food_key"] for row in seed["aliases"]}
    alias_rows = attach(seed["aliases"], skip=taken)
    k2_of = {row["search_key"]: row["k2_total"] or 0.0 for row in seed_foods}
    alias_rows.sort(key=lambda alias: k2_of.get(alias_key_food[alias["search_key"]], 0.0))
    for alias in alias_rows:
        alias["is_custom"] = False
    return alias_rows
