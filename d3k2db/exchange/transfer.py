"""Export foods to CSV/JSON and import the user's foods from CSV (e.g. a spreadsheet).

The CSV layout is one row per food (see docs/import.md). An exported file imports back to the same
foods, byte for byte on re-export: floats are written with ``repr`` (shortest exact form), and cells
a spreadsheet would run as a formula are neutralised with a leading ``'`` that import removes again.

Import streams the file (exchange/reading.py) and checks, plans and writes it BATCH_ROWS rows at a
time, all in one transaction: a refused file leaves the database exactly as it was, and memory
follows the batch, not the file. Seed foods are cited data: a row may repeat a seed food unchanged
(that is what an export of a whole database contains) or add aliases of the user's own to it, but
never change it.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from ..database import run_write, snapshot
from ..errors import Invalid, SeedError
from ..i18n import _
from ..meal.units import serving_portion
from ..records import (
    ALIAS_SEPARATOR,
    DEFAULT_CATEGORY,
    DEFAULT_SERVING_G,
    MAX_CATEGORY,
    MAX_CITATION,
    MAX_LABEL,
    MAX_LOCATOR,
    FoodSpec,
    build_spec,
    category_spellings,
    check_alias,
    check_figures,
    check_name,
    check_serving_g,
    check_text,
    check_url,
    default_label,
    figure_from_text,
    food_rows,
    mirror_values,
    normalize_tag,
    source_id,
    source_taken_message,
    taken_message,
)
from ..storage.bulk import insert_many
from ..storage.engine import SEED_KEY
from ..storage.tables import FORMS
from ..storage.tables import aliases as alias_table
from ..storage.tables import foods as food_table
from ..storage.tables import meta as meta_table
from ..storage.tables import portions as portion_table
from ..storage.tables import sources as source_table
from ..storage.writes import Holder, holders, insert_foods, update_mirror_measurement
from ..text import json_safe, printable, search_key
from .progress import Track, progress_bar, shown, untracked
from .reading import TableFile, header_name, open_table

CSV_FIGURES = (*FORMS, "total_k2", "k1", "vitamin_d3")
EXPORT_COLUMNS = (
    "name",
    "category",
    "tag",
    *CSV_FIGURES,
    "serving_g",
    "serving_label",
    "aliases",
    "source",
    "locator",
    "url",
    "custom",
)
# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
JOINER = f" {ALIAS_SEPARATOR} "
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$")

Record = dict[str, Any]


# --- formula neutralisation ----------------------------------------------------------------------


def neutralize(cell: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would run as a formula ('=HYPERLINK(…)', '-2+3').

    A cell that already starts with quotes before a trigger ("'=x") gets one more, so that
    :func:`unneutralize` always removes exactly the quote added here and the text round-trips.
    """
    return "'" + cell if cell.lstrip("'").startswith(FORMULA_TRIGGERS) else cell


def unneutralize(cell: str) -> str:
    """Undo :func:`neutralize`: drop one leading ``'`` when the rest is a neutralised formula."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_TRIGGERS):
        return cell[1:]
    return cell


# --- export --------------------------------------------------------------------------------------


def _load_records(
    connection: Connection, *, custom_only: bool = False, ids: Sequence[int] | None = None
) -> dict[int, Record]:
    """Every food (or only the user's own, or those of ``ids``) as an export record (typed: floats,
    None, a sorted alias list, a bool), by id."""
    statement = select(food_table, source_table.c.citation, source_table.c.url).outerjoin(
        source_table, food_table.c.source_id == source_table.c.id
    )
    if custom_only:
        statement = statement.where(food_table.c.is_custom.is_(True))
    aliases = select(alias_table.c.food_id, alias_table.c.alias)
    records: dict[int, Record] = {}
    for part in [None] if ids is None else _slices(ids):
        found = statement if part is None else statement.where(food_table.c.id.in_(part))
        for row in connection.execute(found):
            records[row.id] = {
                "name": row.name,
                "category": row.category,
                "tag": row.tag,
                **{form: getattr(row, form) for form in FORMS},
                "total_k2": row.total_k2_published,
                "k1": row.k1,
                "vitamin_d3": row.vitamin_d3,
                "serving_g": row.serving_g,
                "serving_label": row.serving_label,
                "aliases": [],
                "source": row.citation,
                "locator": row.locator,
                "url": row.url,
                "custom": bool(row.is_custom),
            }
        of = aliases if part is None else aliases.where(alias_table.c.food_id.in_(part))
        for food_id, alias in connection.execute(of):
            if food_id in records:
                records[food_id]["aliases"].append(alias)
    for record in records.values():
        record["aliases"].sort()
    return records


def _slices(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    """``items`` in slices that stay under every driver's limit of parameters in one statement."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _sorted(records: Iterable[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (r["name"].casefold(), r["name"]))


def export_rows(engine: Engine, *, custom_only: bool = False) -> list[Record]:
    """Every food (or only the user's own) as a dict of EXPORT_COLUMNS, by name.

    Figures are floats (µg per 100 g) or None (not published), ``aliases`` a list, ``custom`` a bool.
    """
    with snapshot(engine) as connection:
        return _sorted(_load_records(connection, custom_only=custom_only).values())


def _cell(column: str, value: Any) -> str:
    """A cell as the export writes it. Text is written as text.printable shows it: only a database
    written before the plain-text rule (records.check_plain) can hold a name with ESC or U+202E, and
    a CSV has no escapes of its own, so such a name is written '\x1b' — a file safe to open
    anywhere, which imports back as that visible text."""
    if column == "aliases":
        return neutralize(printable(JOINER.join(value)))
    if column == "custom":
        return "yes" if value else "no"
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same float
    return neutralize(printable(str(value)))


def csv_cells(record: Record) -> list[str]:
    return [_cell(column, record[column]) for column in EXPORT_COLUMNS]


def _open_target(target: str | Path | IO[str], encoding: str) -> tuple[IO[str], bool]:
    if hasattr(target, "write"):
        return target, False  # type: ignore[return-value]  # hasattr does not narrow to IO[str]
    return Path(target).open("w", encoding=encoding, newline=""), True


def export_csv(
    engine: Engine,
    target: str | Path | IO[str],
    *,
    custom_only: bool = False,
    delimiter: str = ",",
    bom: bool = False,
) -> int:
    """Write the foods as CSV to a path or a text stream; returns the number of foods.

    ``bom=True`` starts the file with a UTF-8 byte-order mark, which Excel needs to read accents
    correctly; ``delimiter=';'`` suits Excel in locales that use a decimal comma. Import reads all.
    """
    if delimiter not in (",", ";", "\t"):
        from ..errors import UsageError

        raise UsageError(_("delimiter must be ',', ';' or a tab, not {value}").format(value=repr(delimiter)))
    rows = export_rows(engine, custom_only=custom_only)
    stream, owned = _open_target(target, "utf-8-sig" if bom else "utf-8")
    try:
        writer = csv.writer(stream, delimiter=delimiter, lineterminator="\n")
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(csv_cells(record) for record in rows)
    finally:
        if owned:
            stream.close()
    return len(rows)


def export_json(engine: Engine, target: str | Path | IO[str], *, custom_only: bool = False) -> int:
    """Write ``{"count", "foods": [...]}`` (numbers as numbers, null = not published)."""
    rows = export_rows(engine, custom_only=custom_only)
    stream, owned = _open_target(target, "utf-8")
    try:
        # the exact text, every control or invisible character escaped as JSON escapes it (\u202e)
        document = json.dumps(
            {"count": len(rows), "foods": rows}, ensure_ascii=False, indent=2, allow_nan=False
        )
        stream.write(json_safe(document) + "\n")
    finally:
        if owned:
            stream.close()
    return len(rows)


# --- import: reading and checking the file -------------------------------------------------------

# Rows planned and written at a time, inside the one transaction: memory follows the batch, not
# the file. What stays for the whole file is small and bounded by the limits below: each food's
# name (for the report) and a 64-bit fingerprint of each name, alias and cited source (to refuse a
# row that repeats an earlier one), so that no file, however large, takes more than 300 MB.
BATCH_ROWS = 2_000
MAX_FOODS = 250_000  # foods (rows) in one file
MAX_NAMES = 500_000  # names and aliases in one file
IMPORT_CACHE_KIB = -32_768  # SQLite's page cache while importing: 32 MB (negative: in KiB)


@dataclass
class ImportReport:
    """What an import did (or, with dry_run, would do), by food name."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)  # header cells import does not read
    dry_run: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "ignored_columns": self.ignored_columns,
            "dry_run": self.dry_run,
        }


@dataclass
class _Row:
    """One file row, checked on its own; None = the cell was empty (a default may apply)."""

    line: int
    name: str
    category: str | None
    tag: str | None
    figures: dict[str, float | None]  # keyed like the schema: total_k2_published
    serving_g: float | None
    serving_label: str | None
    aliases: list[str]
    source: str | None
    locator: str | None
    url: str | None
    custom: bool | None
    key: str = ""  # the name's search key

    def __post_init__(self) -> None:
        self.key = search_key(self.name)


class _File:
    """A CSV file of foods read row by row; ``fail`` names file, line and column."""

    def __init__(self, table: TableFile) -> None:
        self.table = table
        self.name = table.name
        self.delimiter = table.delimiter
        self.ignored: list[str] = []

    def fail(self, line: int, column: str, problem: str) -> SeedError:
        return SeedError(
            _("{file} line {line}, column {column}: {problem}").format(
                file=self.name, line=line, column=column, problem=problem
            )
        )

    def rows(self, track: Track = untracked) -> Iterator[_Row]:
        """Every row, parsed and checked on its own, in file order."""
        for line, cells in self._cells(track):
            try:
                row = _parse_row(self, line, cells)
            except Invalid as exc:
                raise self.fail(line, exc.column, exc.problem) from None
            yield row

    def row_at(self, line: int) -> _Row:
        """The row that starts on ``line``, read again (to word an error about an earlier row)."""
        return next(row for row in self.rows() if row.line == line)

    def _cells(self, track: Track) -> Iterator[tuple[int, Callable[[str], str]]]:
        rows = self.table.rows(track)
        header_cells = next(rows, (1, []))[1]
        header = _check_header(self, header_cells)
        index = {column: header.index(column) for column in EXPORT_COLUMNS if column in header}
        self.ignored = [
            cell for cell in header_cells if header_name(cell) not in EXPORT_COLUMNS and cell.strip()
        ]
        for line, cells in rows:
            yield line, _cell_reader(index, cells)


def _check_header(file: _File, header_cells: list[str]) -> list[str]:
    """The header's column names; refused when a column appears twice, or name or every figure is missing."""
    header = [header_name(cell) for cell in header_cells]
    seen: set[str] = set()
    for column in header:
        if column in EXPORT_COLUMNS and column in seen:
            raise SeedError(_("{file}: column {column} appears twice").format(file=file.name, column=column))
        seen.add(column)
    if "name" not in header:
        raise SeedError(_("{file}: missing column(s) name").format(file=file.name))
    if not any(column in header for column in CSV_FIGURES):
        raise SeedError(
            _("{file}: missing column(s): at least one of {columns}").format(
                file=file.name, columns=", ".join(CSV_FIGURES[:-2])
            )
        )
    return header


def _cell_reader(index: dict[str, int], cells: list[str]) -> Callable[[str], str]:
    """One row's cell by column name, neutralisation undone; '' for a column the file lacks."""
    values = {column: unneutralize(cells[at]).strip() for column, at in index.items()}
    return lambda column: values.get(column, "")


def _parse_row(file: _File, line: int, cell: Callable[[str], str]) -> _Row:
    def number(column: str) -> float | None:
        raw = cell(column)
        if not raw:
            return None
        text = raw.replace(",", ".") if file.delimiter == ";" and _DECIMAL_COMMA.match(raw) else raw
        return figure_from_text(column, text, raw)

    name = check_name(cell("name"))
    figures = {form: number(form) for form in FORMS}
    figures["total_k2_published"] = number("total_k2")
    figures["k1"] = number("k1")
    figures["vitamin_d3"] = number("vitamin_d3")
    check_figures(figures)
    serving_g = number("serving_g")
    if serving_g is not None:  # empty: the food's current serving, or the default
        check_serving_g(serving_g)
    aliases: list[str] = []
    keys = {search_key(name)}
    for part in cell("aliases").split(ALIAS_SEPARATOR):
        if not part.strip():
            continue
        alias = check_alias(part)
        if search_key(alias) not in keys:
            keys.add(search_key(alias))
            aliases.append(alias)
    raw_custom = cell("custom").lower()
    if raw_custom and raw_custom not in _YES | _NO:
        raise Invalid("custom", _("{value} is not yes or no").format(value=repr(cell("custom"))))
    return _Row(
        line=line,
        name=name,
        category=check_text("category", cell("category"), MAX_CATEGORY),
        tag=normalize_tag(cell("tag")) or None,
        figures=figures,
        serving_g=serving_g,
        serving_label=check_text("serving_label", cell("serving_label"), MAX_LABEL),
        aliases=aliases,
        source=check_text("source", cell("source"), MAX_CITATION),
        locator=check_text("locator", cell("locator"), MAX_LOCATOR),
        url=check_url(cell("url")),
        custom=None if not raw_custom else raw_custom in _YES,
    )


@dataclass
class _EarlierRows:
    """What the rows read so far claim — names, aliases and source URLs — which a later row may not
    contradict. Kept as 64-bit fingerprints (``hash``) with the line: a match is confirmed by reading
    that line again, so an error is never a fingerprint's accident and the text need not be kept."""

    file: _File
    name_lines: dict[int, int] = field(default_factory=dict)  # hash(search key) → line
    alias_lines: dict[int, int] = field(default_factory=dict)  # hash(search key) → line
    source_urls: dict[int, tuple[int, int]] = field(default_factory=dict)  # hash(citation) → hash(URL), line
    foods: int = 0

    def check(self, row: _Row) -> None:
        """Refuse ``row`` if it clashes with an earlier row or goes past the limits; else remember
        what it claims."""
        self._check_name(row)
        self._check_aliases(row)
        self._check_source_url(row)
        self.foods += 1
        if self.foods > MAX_FOODS or len(self.name_lines) + len(self.alias_lines) > MAX_NAMES:
            raise SeedError(
                _(
                    "{file} line {line}: more than {foods:,} foods or {names:,} names and aliases in one "
                    "file; import it in parts"
                ).format(file=self.file.name, line=row.line, foods=MAX_FOODS, names=MAX_NAMES)
            )

    def earlier_line(
        self, lines: dict[int, int], key: str, of: Callable[[_Row], Iterable[str]]
    ) -> int | None:
        """The line of an earlier row whose name (or alias) has the search key ``key``."""
        line = lines.get(hash(key))
        if line is None or key not in {search_key(text) for text in of(self.file.row_at(line))}:
            return None
        return line

    def _check_name(self, row: _Row) -> None:
        if (line := self.earlier_line(self.name_lines, row.key, lambda r: [r.name])) is not None:
            problem = _("{name} duplicates the name on line {line}").format(name=repr(row.name), line=line)
            raise self.file.fail(row.line, "name", problem)
        if (line := self.earlier_line(self.alias_lines, row.key, lambda r: r.aliases)) is not None:
            raise self.file.fail(
                row.line,
                "name",
                _("{name} is an alias on line {line}").format(name=repr(row.name), line=line),
            )
        self.name_lines.setdefault(hash(row.key), row.line)

    def _check_aliases(self, row: _Row) -> None:
        for alias in row.aliases:
            key = search_key(alias)
            line = self.earlier_line(self.name_lines, key, lambda r: [r.name])
            if line is not None and line != row.line:
                raise self.file.fail(
                    row.line,
                    "aliases",
                    _("{alias} is the name on line {line}").format(alias=repr(alias), line=line),
                )
            if (line := self.earlier_line(self.alias_lines, key, lambda r: r.aliases)) is not None:
                problem = _("{alias} is already an alias on line {line}").format(alias=repr(alias), line=line)
                raise self.file.fail(row.line, "aliases", problem)
            self.alias_lines.setdefault(hash(key), row.line)

    def _check_source_url(self, row: _Row) -> None:
        if not (row.source and row.url):
            return
        url, line = self.source_urls.setdefault(hash(row.source), (hash(row.url), row.line))
        if url == hash(row.url):
            return
        earlier = self.file.row_at(line)
        if earlier.source == row.source and earlier.url != row.url:
            raise self.file.fail(
                row.line,
                "url",
                _("the source {source} has the URL {url} on line {line}").format(
                    source=repr(row.source), url=earlier.url, line=line
                ),
            )


# --- import: planning against the database -------------------------------------------------------


@dataclass
class _Plan:
    """The writes one batch of rows needs, computed without writing."""

    add: list[tuple[FoodSpec, int]] = field(default_factory=list)  # spec, line
    # food id, the new food, its record before the import, line
    update: list[tuple[int, FoodSpec, Record, int]] = field(default_factory=list)
    alias_deletes: list[int] = field(default_factory=list)  # alias ids
    moved_aliases: list[str] = field(
        default_factory=list
    )  # search keys of aliases taken from a food named later
    alias_inserts: list[dict[str, Any]] = field(default_factory=list)
    file_urls: dict[str, str] = field(default_factory=dict)  # the URL the batch first gives each source
    source_urls: dict[str, str] = field(
        default_factory=dict
    )  # a URL for a source this import made without one


def _spec_record(spec: FoodSpec, url: str | None) -> Record:
    return {
        "name": spec.name,
        "category": spec.category,
        "tag": spec.tag,
        **{form: spec.figures[form] for form in FORMS},
        "total_k2": spec.figures["total_k2_published"],
        "k1": spec.figures["k1"],
        "vitamin_d3": spec.figures["vitamin_d3"],
        "serving_g": spec.serving_g,
        "serving_label": spec.serving_label,
        "aliases": sorted(spec.aliases),
        "source": spec.source,
        "locator": spec.locator,
        "url": url,
        "custom": spec.is_custom,
    }


def _resolve(row: _Row, old: Record | None, is_custom: bool, categories: dict[str, str]) -> FoodSpec:
    """The food a row describes: empty default-bearing cells keep the food's current value (or
    take the default for a new food); an empty figure always means 'not published'."""
    serving_g = row.serving_g or (old["serving_g"] if old else DEFAULT_SERVING_G)
    if row.serving_label:
        label = row.serving_label
    elif old and serving_g == old["serving_g"]:
        label = old["serving_label"]
    else:
        label = default_label(serving_g)
    category = row.category or (old["category"] if old else DEFAULT_CATEGORY)
    # The row's values were checked cell by cell in _parse_row; build_spec applies the one set of
    # rules and defaults every writer uses (records), so an import makes the food `add` would.
    return build_spec(
        row.name,
        row.figures,
        tag=row.tag or (old["tag"] if old and old["tag"] else None),
        category=categories.get(search_key(category), category),
        serving_g=serving_g,
        serving_label=label,
        aliases=row.aliases,
        source=row.source or (old["source"] if old and old["source"] else None),
        url=row.url,
        locator=row.locator,
        is_custom=is_custom,
    )


# a food's aliases in the database: search key → (alias id, alias, is_custom); id -1: moved away already
_Aliases = dict[str, tuple[int, str, bool]]


@dataclass
class _Batch:
    """What the database holds about one batch's names, aliases, foods and sources."""

    taken: dict[str, Holder]  # the batch's names and aliases, by search key
    records: dict[int, Record]  # the foods the rows name, by id
    aliases_of: dict[int, _Aliases]  # their aliases
    sources: dict[str, tuple[int, str | None]]  # the batch's citations → id, URL

    @classmethod
    def load(cls, connection: Connection, rows: list[_Row], moved: dict[int, _Aliases]) -> _Batch:
        keys = sorted({row.key for row in rows} | {search_key(a) for row in rows for a in row.aliases})
        taken: dict[str, Holder] = {}
        for part in _slices(keys):
            taken.update(holders(connection, part))
        ids = sorted({h.food_id for row in rows if (h := taken.get(row.key)) and h.kind == "name"})
        records = _load_records(connection, ids=ids)
        aliases_of: dict[int, _Aliases] = {food_id: dict(moved.get(food_id, {})) for food_id in ids}
        for part in _slices(ids):
            statement = select(
                alias_table.c.id,
                alias_table.c.food_id,
                alias_table.c.alias,
                alias_table.c.search_key,
                alias_table.c.is_custom,
            ).where(alias_table.c.food_id.in_(part))
            for alias_id, food_id, alias, key, custom in connection.execute(statement):
                aliases_of[food_id][key] = (alias_id, alias, bool(custom))
        for food_id in ids:  # the aliases taken away by an earlier row still count as the food's
            records[food_id]["aliases"] = sorted(alias for _, alias, _ in aliases_of[food_id].values())
        citations = sorted(
            {row.source for row in rows if row.source}
            | {r["source"] for r in records.values() if r["source"]}
        )
        sources: dict[str, tuple[int, str | None]] = {}
        for part in _slices(citations):
            statement = select(source_table.c.citation, source_table.c.id, source_table.c.url)
            for found in connection.execute(statement.where(source_table.c.citation.in_(part))):
                sources[str(found.citation)] = (int(found.id), found.url)
        return cls(taken, records, aliases_of, sources)


def _is_custom(row: _Row, old: Record | None, seeded: bool) -> bool:
    """Once the seed is in, every imported food is the user's; before, the custom cell says, else
    the food stays what it was (a new food is the user's)."""
    if seeded:
        return True
    if row.custom is not None:
        return row.custom
    return bool(old["custom"]) if old else True


@dataclass
class _Importer:
    """Plans the file's rows batch by batch, in file order, into the report (and the writes).

    A batch is planned against the database as the import has left it so far, and against what
    the earlier rows claimed; what a row decides for a food that a later batch names (an alias it
    takes from it) is remembered until then, so a dry run that writes nothing plans the same."""

    file: _File
    earlier: _EarlierRows
    seeded: bool
    categories: dict[str, str]  # the spelling of each category, by search key, before the import
    first_new_source: int  # sources with this id or above were made by this import
    report: ImportReport = field(default_factory=ImportReport)
    # an alias a rewritten food gave up: its search key → the food's name (no later row may be named so)
    dropped: dict[str, str] = field(default_factory=dict)
    # aliases taken from a food no row has named yet: food id → its aliases taken (kept as its own)
    moved: dict[int, _Aliases] = field(default_factory=dict)
    # hash(the food's search key) → the first line and alias taken from it, and its name
    pending: dict[int, tuple[int, str, str]] = field(default_factory=dict)

    @classmethod
    def start(cls, connection: Connection, file: _File) -> _Importer:
        seeded = connection.execute(select(meta_table.c.value).where(meta_table.c.key == SEED_KEY)).first()
        last_source = connection.execute(select(func.max(source_table.c.id))).scalar() or 0
        return cls(
            file, _EarlierRows(file), seeded is not None, category_spellings(connection), last_source + 1
        )

    def run(self, connection: Connection, rows: Iterator[_Row], write: bool) -> ImportReport:
        batch: list[_Row] = []
        for row in rows:
            self.earlier.check(row)
            self.pending.pop(hash(row.key), None)
            batch.append(row)
            if len(batch) == BATCH_ROWS:
                self._batch(connection, batch, write)
                batch = []
        if batch:
            self._batch(connection, batch, write)
        if self.pending:
            line, alias, name = min(self.pending.values())
            raise self.file.fail(
                line,
                "aliases",
                _("{alias} is taken by the food {name} — remove it here").format(
                    alias=repr(alias), name=repr(name)
                ),
            )
        self.report.ignored_columns = self.file.ignored
        return self.report

    def _batch(self, connection: Connection, rows: list[_Row], write: bool) -> None:
        known = _Batch.load(connection, rows, self.moved)
        plan = _Plan()
        for row in rows:
            if row.source and row.url:
                plan.file_urls.setdefault(row.source, row.url)
        for row in rows:
            self._plan_row(row, known, plan)
        if write:
            _apply(connection, plan)
        # The keys of this batch's names are asked for several times (parse, plan, write), never
        # again: left in search_key's cache, 65,536 names of 300 characters would hold 46 MB.
        search_key.cache_clear()

    def _target(self, row: _Row, known: _Batch) -> int | None:
        """The existing food a row names (None: a new food); no row may be named by an alias."""
        holder = known.taken.get(row.key)
        if holder is not None and holder.kind == "alias":
            problem = taken_message(holder, row.name)
        elif row.key in self.dropped:
            problem = taken_message(Holder("alias", 0, self.dropped[row.key], True), row.name)
        else:
            return holder.food_id if holder else None
        raise self.file.fail(
            row.line, "name", _("{problem} — give the food another name").format(problem=problem)
        )

    def _url_of(self, citation: str, spec_url: str | None, known: _Batch) -> str | None:
        """A source's URL: the database's if the source was there before the import, else the file's."""
        found = known.sources.get(citation)
        return found[1] if found and found[0] < self.first_new_source else spec_url

    def _plan_row(self, row: _Row, known: _Batch, plan: _Plan) -> None:
        food_id = self._target(row, known)
        old = known.records.get(food_id) if food_id is not None else None
        seed_row = old is not None and not old["custom"] and self.seeded
        spec = self._spec(row, old, seed_row, known, plan)
        self._claim_aliases(row, spec, food_id, known, plan)
        if food_id is None or old is None:
            plan.add.append((spec, row.line))
            self.report.added.append(spec.name)
            return
        current = known.aliases_of.get(food_id, {})
        if seed_row:
            self._plan_seed_food(row, food_id, spec, old, current, known, plan)
        else:
            self._plan_own_food(row, food_id, spec, old, current, known, plan)

    def _spec(self, row: _Row, old: Record | None, seed_row: bool, known: _Batch, plan: _Plan) -> FoodSpec:
        """The food the row describes; refused when it marks a seed food custom or gives a
        source already in the database another URL."""
        if old is not None and seed_row and row.custom is True:
            raise self.file.fail(
                row.line,
                "name",
                _("{name} is a seed food; the seed cannot be edited — give your food another name").format(
                    name=repr(old["name"])
                ),
            )
        is_custom = _is_custom(row, old, self.seeded)
        spec = _resolve(row, old, False if seed_row else is_custom, self.categories)
        found = known.sources.get(spec.source)
        if spec.url is None or found is None or found[1] == spec.url:
            return spec
        if found[0] >= self.first_new_source and found[1] is None:
            plan.source_urls.setdefault(spec.source, spec.url)  # made by an earlier row that gave no URL
            return spec
        raise self.file.fail(row.line, "url", source_taken_message(spec.source, found[1]))

    def _claim_aliases(
        self, row: _Row, spec: FoodSpec, food_id: int | None, known: _Batch, plan: _Plan
    ) -> None:
        """The aliases this row claims, checked against every other food's names and aliases.

        An alias another food holds is free only when it is the user's alias of a food the file
        names too (whose row then rewrites its aliases); if that row is yet to come, the alias is
        taken from it now and the row must come before the file ends."""
        for alias in spec.aliases:
            key = search_key(alias)
            holder = known.taken.get(key)
            if holder is None or holder.food_id == food_id:
                continue
            # the fingerprint alone (a 1-in-2^64 accident aside): no error hangs on it
            named = hash(search_key(holder.food_name)) in self.earlier.name_lines
            if holder.kind == "alias" and holder.is_custom and named:
                continue
            if holder.kind == "alias" and holder.is_custom:
                self.moved.setdefault(holder.food_id, {})[key] = (-1, alias, True)
                self.pending.setdefault(
                    hash(search_key(holder.food_name)), (row.line, alias, holder.food_name)
                )
                plan.moved_aliases.append(key)
                continue
            raise self.file.fail(
                row.line,
                "aliases",
                _("{alias} is taken by the food {name} — remove it here").format(
                    alias=repr(alias), name=repr(holder.food_name)
                ),
            )

    def _drop(self, food: str, current: _Aliases, drops: Iterable[str], plan: _Plan) -> None:
        for key in drops:
            alias_id = current[key][0]
            if alias_id >= 0:
                plan.alias_deletes.append(alias_id)
            self.dropped[key] = food

    def _plan_seed_food(
        self,
        row: _Row,
        food_id: int,
        spec: FoodSpec,
        old: Record,
        current: _Aliases,
        known: _Batch,
        plan: _Plan,
    ) -> None:
        """A seed food must be repeated unchanged; only the user's own aliases of it come and go."""
        _check_seed_row(self.file, row, spec, old, self._url_of(spec.source, spec.url, known))
        wanted = {search_key(a): a for a in spec.aliases}
        adds = [a for k, a in wanted.items() if k not in current]
        drops = [k for k, (_, _, custom) in current.items() if custom and k not in wanted]
        self._drop(old["name"], current, drops, plan)
        plan.alias_inserts += [
            {"food_id": food_id, "alias": a, "search_key": search_key(a), "is_custom": True} for a in adds
        ]
        (self.report.updated if adds or drops else self.report.unchanged).append(old["name"])

    def _plan_own_food(
        self,
        row: _Row,
        food_id: int,
        spec: FoodSpec,
        old: Record,
        current: _Aliases,
        known: _Batch,
        plan: _Plan,
    ) -> None:
        """An existing food of the user's: rewritten with its aliases, unless the row repeats it."""
        if _spec_record(spec, self._url_of(spec.source, spec.url, known)) == old and all(
            custom == spec.is_custom for _, _, custom in current.values()
        ):
            self.report.unchanged.append(spec.name)
            return
        plan.update.append((food_id, spec, old, row.line))
        wanted = {search_key(a): a for a in spec.aliases}
        stale = [
            k
            for k, (_, alias, custom) in current.items()
            if wanted.get(k) != alias or custom != spec.is_custom
        ]
        self._drop(old["name"], current, [k for k in stale if k not in wanted], plan)
        plan.alias_deletes += [current[k][0] for k in stale if k in wanted and current[k][0] >= 0]
        plan.alias_inserts += [
            {"food_id": food_id, "alias": a, "search_key": k, "is_custom": spec.is_custom}
            for k, a in wanted.items()
            if k not in current or current[k][1] != a or current[k][2] != spec.is_custom
        ]
        self.report.updated.append(spec.name)


def _check_seed_row(file: _File, row: _Row, spec: FoodSpec, old: Record, url: str | None) -> None:
    """A row naming a seed food must repeat it: the seed is cited data, not the user's to edit."""
    new = _spec_record(spec, url)
    for column in EXPORT_COLUMNS:
        if column in ("name", "aliases", "custom"):
            continue
        if (column == "url" and row.url is None) or (column == "locator" and row.locator is None):
            continue  # an empty cell here only means the row does not repeat it
        if new[column] != old[column]:
            shown_old = _cell(column, old[column]) or _("empty")
            shown_new = _cell(column, new[column]) or _("empty")
            raise file.fail(
                row.line,
                column,
                _(
                    "{name} is a seed food and the seed says {old}, not {new}; "
                    "the seed cannot be edited — give your version another name to keep it as your own food"
                ).format(name=repr(old["name"]), old=shown_old, new=shown_new),
            )


def _apply(connection: Connection, plan: _Plan) -> None:
    """Write one batch's plan. Aliases are deleted first so that one can move between foods."""
    for part in _slices(plan.alias_deletes):
        connection.execute(delete(alias_table).where(alias_table.c.id.in_(part)))
    for part in _slices(plan.moved_aliases):
        connection.execute(delete(alias_table).where(alias_table.c.search_key.in_(part)))
    for citation, url in plan.source_urls.items():
        connection.execute(update(source_table).where(source_table.c.citation == citation).values(url=url))
    cache: dict[str, int] = {}

    def sid_of(spec: FoodSpec) -> int:
        return source_id(connection, spec.source, spec.url or plan.file_urls.get(spec.source), cache)

    for food_id, spec, old, _line in plan.update:
        sid = sid_of(spec)
        connection.execute(
            update(food_table).where(food_table.c.id == food_id).values(**spec.food_values(sid))
        )
        _update_portion(connection, food_id, old, spec)
        update_mirror_measurement(connection, food_id, mirror_values(spec, sid), None)
    insert_foods(connection, [food_rows(spec, sid_of(spec)) for spec, _line in plan.add])
    if plan.alias_inserts:
        insert_many(connection, alias_table, plan.alias_inserts)


def _update_portion(connection: Connection, food_id: int, old: Record, spec: FoodSpec) -> None:
    """The portion the old serving label implied goes; the new one comes (if not already there)."""
    before = serving_portion(old["serving_g"], old["serving_label"], old["source"])
    after = serving_portion(spec.serving_g, spec.serving_label, spec.source)
    if before == after:
        return
    portions = connection.execute(
        select(portion_table.c.id, portion_table.c.unit, portion_table.c.amount, portion_table.c.grams).where(
            portion_table.c.food_id == food_id
        )
    ).all()
    if before is not None:
        for pid, unit, amount, grams in portions:
            if (unit, amount, grams) == (before["unit"], before["amount"], before["grams"]):
                connection.execute(delete(portion_table).where(portion_table.c.id == pid))
                break
    if after is not None and not any(
        (unit, amount, grams) == (after["unit"], after["amount"], after["grams"])
        for _, unit, amount, grams in portions
    ):
        connection.execute(insert(portion_table).values(food_id=food_id, **after))


def import_csv(
    engine: Engine, path: str | Path, *, dry_run: bool = False, progress: bool | None = None
) -> ImportReport:
    """Add or update the user's foods from a CSV file (the export layout; see docs/import.md).

    The file is read row by row and written BATCH_ROWS rows at a time, all in one transaction: a
    refused file leaves the database exactly as it was. ``dry_run`` computes the same report and
    writes nothing. ``progress=None`` shows a progress bar only when stderr is a terminal. Raises
    SeedError naming the file, line and column of the first problem.
    """
    with open_table(Path(path), EXPORT_COLUMNS) as table:
        file = _File(table)

        def bar() -> AbstractContextManager[Track]:
            return progress_bar(shown(progress), table.size, _("import"))

        if dry_run:
            with bar() as track, snapshot(engine) as connection:
                report = _Importer.start(connection, file).run(connection, file.rows(track), write=False)
        else:

            def work(connection: Connection) -> ImportReport:
                # read again from the start on a retry: another writer came first (storage/writes.py)
                with bar() as track, _roomy_cache(connection):
                    return _Importer.start(connection, file).run(connection, file.rows(track), write=True)

            report = run_write(engine, work)
    report.dry_run = dry_run
    return report


@contextmanager
def _roomy_cache(connection: Connection) -> Iterator[None]:
    """On SQLite, a 32 MB page cache while the import writes (the default is 2 MB): a large import
    otherwise spills the name index's pages to the WAL file over and over (a 200,000-food import
    spent 4 of its seconds there). The connection's own size is restored afterwards."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with suppress(DBAPIError):
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(before or 0)}")


__all__ = [
    "EXPORT_COLUMNS",
    "ImportReport",
    "export_csv",
    "export_json",
    "export_rows",
    "import_csv",
    "neutralize",
    "unneutralize",
]
