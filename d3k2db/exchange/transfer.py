"""Export foods to CSV/JSON and import the user's foods from CSV (e.g. a spreadsheet).

The CSV layout is one row per food (see docs/import.md). An exported file imports back to the same
foods, byte for byte on re-export: floats are written with ``repr`` (shortest exact form), and cells
a spreadsheet would run as a formula are neutralised with a leading ``'`` that import removes again.

Import validates every row first and writes in one transaction; a refused file leaves the database
exactly as it was. Seed foods are cited data: a row may repeat a seed food unchanged (that is what an
export of a whole database contains) or add aliases of the user's own to it, but never change it.

Rows are read with the csv module rather than pandas: pandas pads short rows silently and counts
lines differently once a quoted cell holds a line break, and the error must name the real line.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection, Engine

from ..errors import SeedError
from ..i18n import _
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
    check_alias,
    check_figures,
    check_name,
    check_serving_g,
    check_text,
    check_url,
    default_label,
    figure_from_text,
    normalize_tag,
)
from ..storage.engine import SEED_KEY, snapshot
from ..storage.tables import FORMS
from ..storage.tables import aliases as alias_table
from ..storage.tables import foods as food_table
from ..storage.tables import meta as meta_table
from ..storage.tables import portions as portion_table
from ..storage.tables import sources as source_table
from ..storage.writes import (
    Holder,
    Invalid,
    category_spellings,
    holders,
    insert_foods,
    run_write,
    serving_portion,
    source_id,
    update_mirror_measurement,
)
from ..text import json_safe, printable, search_key

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


def _load_records(connection: Connection, *, custom_only: bool = False) -> dict[int, Record]:
    """Every food as an export record (typed: floats, None, a sorted alias list, a bool), by id."""
    statement = select(food_table, source_table.c.citation, source_table.c.url).outerjoin(
        source_table, food_table.c.source_id == source_table.c.id
    )
    if custom_only:
        statement = statement.where(food_table.c.is_custom.is_(True))
    records: dict[int, Record] = {}
    for row in connection.execute(statement):
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
    for food_id, alias in connection.execute(select(alias_table.c.food_id, alias_table.c.alias)):
        if food_id in records:
            records[food_id]["aliases"].append(alias)
    for record in records.values():
        record["aliases"].sort()
    return records


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

    @property
    def key(self) -> str:
        return search_key(self.name)


class _File:
    """The decoded file, its delimiter and header; ``fail`` names file, line and column."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise SeedError(_("{file}: file not found").format(file=path)) from None
        except OSError as exc:
            raise SeedError(
                _("{file}: cannot read it ({reason})").format(file=path, reason=exc.strerror)
            ) from None
        self.text = self._decode(data)
        if not self.text.strip():
            raise SeedError(_("{file}: the file is empty").format(file=self.name))
        self.delimiter = self._delimiter()

    def _decode(self, data: bytes) -> str:
        """UTF-8 (with or without BOM, what most tools write), UTF-16 with BOM (Excel's
        'Unicode text'), else Windows-1252 (Excel's 'CSV' on Western Windows)."""
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                return data.decode("utf-16")
            except UnicodeDecodeError as exc:
                raise SeedError(
                    _("{file}: not valid UTF-16 text (byte {byte})").format(file=self.name, byte=exc.start)
                ) from None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise SeedError(
                _("{file}: neither UTF-8 nor Windows-1252 text (byte {byte}); save it as CSV UTF-8").format(
                    file=self.name, byte=exc.start
                )
            ) from None

    def _delimiter(self) -> str:
        """',' or ';' (Excel where the decimal separator is a comma) or a tab: whichever splits
        the header into the most known column names."""
        first = next(line for line in self.text.splitlines() if line.strip())
        best, score = ",", 0
        for candidate in (",", ";", "\t"):
            cells = next(csv.reader([first], delimiter=candidate))
            found = sum(1 for c in cells if _header(c) in EXPORT_COLUMNS)
            if found > score:
                best, score = candidate, found
        if score == 0:
            raise SeedError(
                _("{file}: line 1 is not a header of known columns (expected {columns})").format(
                    file=self.name, columns=", ".join(EXPORT_COLUMNS)
                )
            )
        return best

    def fail(self, line: int, column: str, problem: str) -> SeedError:
        return SeedError(
            _("{file} line {line}, column {column}: {problem}").format(
                file=self.name, line=line, column=column, problem=problem
            )
        )

    def records(self) -> tuple[list[str], list[tuple[int, list[str]]]]:
        """The header and every non-blank row with the line it starts on; ragged rows refused."""
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        rows: list[tuple[int, list[str]]] = []
        header: list[str] | None = None
        end = 0
        try:
            for cells in reader:
                start, end = end + 1, reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue  # blank line, or a row of empty cells a spreadsheet left behind
                if header is None:
                    header = cells
                    continue
                if len(cells) != len(header):
                    raise SeedError(
                        _(
                            "{file} line {line}: {count} cells where the header has "
                            "{expected} (a missing or extra '{delimiter}'?)"
                        ).format(
                            file=self.name,
                            line=start,
                            count=len(cells),
                            expected=len(header),
                            delimiter=self._shown_delimiter(),
                        )
                    )
                rows.append((start, cells))
        except csv.Error as exc:
            raise SeedError(
                _("{file} line {line}: not readable as CSV ({reason})").format(
                    file=self.name, line=reader.line_num, reason=exc
                )
            ) from None
        assert header is not None
        return header, rows

    def _shown_delimiter(self) -> str:
        return "tab" if self.delimiter == "\t" else self.delimiter


def _header(cell: str) -> str:
    return cell.strip().lstrip("\ufeff").strip().lower()


def _read_rows(file: _File) -> tuple[list[_Row], list[str]]:
    """Parse and check every row on its own and against the other rows of the file."""
    header_cells, records = file.records()
    header = _check_header(file, header_cells)
    index = {column: header.index(column) for column in EXPORT_COLUMNS if column in header}
    ignored = [cell for cell in header_cells if _header(cell) not in EXPORT_COLUMNS and cell.strip()]
    rows: list[_Row] = []
    earlier = _EarlierRows(file)
    for line, cells in records:
        try:
            row = _parse_row(file, line, _cell_reader(index, cells))
        except Invalid as exc:
            raise file.fail(line, exc.column, exc.problem) from None
        earlier.check(row)
        rows.append(row)
    return rows, ignored


def _check_header(file: _File, header_cells: list[str]) -> list[str]:
    """The header's column names; refused when a column appears twice, or name or every figure is missing."""
    header = [_header(cell) for cell in header_cells]
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

    def cell(column: str) -> str:
        return unneutralize(cells[index[column]]).strip() if column in index else ""

    return cell


@dataclass
class _EarlierRows:
    """The names, aliases and source URLs of the rows read so far, which a later row may not contradict."""

    file: _File
    name_lines: dict[str, int] = field(default_factory=dict)  # search key → line
    alias_lines: dict[str, int] = field(default_factory=dict)  # search key → line
    source_urls: dict[str, tuple[str, int]] = field(default_factory=dict)  # citation → URL, line

    def check(self, row: _Row) -> None:
        """Refuse ``row`` if it clashes with an earlier row, else remember what it claims."""
        self._check_name(row)
        self._check_aliases(row)
        self._check_source_url(row)

    def _check_name(self, row: _Row) -> None:
        if row.key in self.name_lines:
            problem = _("{name} duplicates the name on line {line}").format(
                name=repr(row.name), line=self.name_lines[row.key]
            )
            raise self.file.fail(row.line, "name", problem)
        if row.key in self.alias_lines:
            raise self.file.fail(
                row.line,
                "name",
                _("{name} is an alias on line {line}").format(
                    name=repr(row.name), line=self.alias_lines[row.key]
                ),
            )
        self.name_lines[row.key] = row.line

    def _check_aliases(self, row: _Row) -> None:
        for alias in row.aliases:
            key = search_key(alias)
            if key in self.name_lines and self.name_lines[key] != row.line:
                raise self.file.fail(
                    row.line,
                    "aliases",
                    _("{alias} is the name on line {line}").format(
                        alias=repr(alias), line=self.name_lines[key]
                    ),
                )
            if key in self.alias_lines:
                problem = _("{alias} is already an alias on line {line}").format(
                    alias=repr(alias), line=self.alias_lines[key]
                )
                raise self.file.fail(row.line, "aliases", problem)
            self.alias_lines[key] = row.line

    def _check_source_url(self, row: _Row) -> None:
        if not (row.source and row.url):
            return
        known = self.source_urls.setdefault(row.source, (row.url, row.line))
        if known[0] != row.url:
            raise self.file.fail(
                row.line,
                "url",
                _("the source {source} has the URL {url} on line {line}").format(
                    source=repr(row.source), url=known[0], line=known[1]
                ),
            )


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
    raw_tag = cell("tag")
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
        tag=normalize_tag(raw_tag) or None,
        figures=figures,
        serving_g=serving_g,
        serving_label=check_text("serving_label", cell("serving_label"), MAX_LABEL),
        aliases=aliases,
        source=check_text("source", cell("source"), MAX_CITATION),
        locator=check_text("locator", cell("locator"), MAX_LOCATOR),
        url=check_url(cell("url")),
        custom=None if not raw_custom else raw_custom in _YES,
    )


# --- import: planning against the database -------------------------------------------------------


@dataclass
class _Plan:
    """The writes an import needs, computed without writing."""

    add: list[tuple[FoodSpec, int]] = field(default_factory=list)  # spec, line
    # food id, the new food, its record before the import, line
    update: list[tuple[int, FoodSpec, Record, int]] = field(default_factory=list)
    alias_deletes: list[int] = field(default_factory=list)  # alias ids
    alias_inserts: list[dict[str, Any]] = field(default_factory=list)
    file_urls: dict[str, str] = field(default_factory=dict)


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


# a food's aliases in the database: search key → (alias id, alias, is_custom)
_Aliases = dict[str, tuple[int, str, bool]]
# who holds a search key while planning: (food id, or "line N" for a new food; food name)
_Owner = tuple[int | str, str]


@dataclass
class _Known:
    """What the database holds that an import is checked and planned against."""

    seeded: bool
    records: dict[int, Record]  # every food, by id
    taken: dict[str, Holder]  # every name and alias, by search key
    categories: dict[str, str]  # the spelling of each category, by search key
    sources: dict[str, str | None]  # citation → URL
    aliases_of: dict[int, list[tuple[int, str, str, bool]]]  # food id → (alias id, alias, key, custom)

    @classmethod
    def load(cls, connection: Connection) -> _Known:
        seeded = (
            connection.execute(select(meta_table.c.value).where(meta_table.c.key == SEED_KEY)).first()
            is not None
        )
        records = _load_records(connection)
        taken = holders(connection)
        categories = category_spellings(connection)
        sources = {c: u for c, u in connection.execute(select(source_table.c.citation, source_table.c.url))}
        aliases_of: dict[int, list[tuple[int, str, str, bool]]] = {}
        for alias_id, food_id, alias, key, custom in connection.execute(
            select(
                alias_table.c.id,
                alias_table.c.food_id,
                alias_table.c.alias,
                alias_table.c.search_key,
                alias_table.c.is_custom,
            )
        ):
            aliases_of.setdefault(food_id, []).append((alias_id, alias, key, bool(custom)))
        return cls(seeded, records, taken, categories, sources, aliases_of)

    def aliases(self, food_id: int | None) -> _Aliases:
        return {
            key: (alias_id, alias, custom)
            for alias_id, alias, key, custom in self.aliases_of.get(food_id or -1, [])
        }


def _plan(connection: Connection, file: _File, rows: list[_Row]) -> tuple[_Plan, ImportReport]:
    """The writes importing ``rows`` needs and the report, computed without writing.

    Raises the first problem, in file order: a row named by another food's alias, a seed food
    marked custom or changed, a source given another URL, an alias another food holds.
    """
    known = _Known.load(connection)
    targets = _targets(file, rows, known.taken)
    planner = _Planner(file, known, _Plan(file_urls=_file_urls(rows)), _owners(rows, known.taken, targets))
    for row in rows:
        planner.plan_row(row, targets[row.line])
    return planner.plan, planner.report


def _file_urls(rows: list[_Row]) -> dict[str, str]:
    """The URL the file first gives each source."""
    urls: dict[str, str] = {}
    for row in rows:
        if row.source and row.url:
            urls.setdefault(row.source, row.url)
    return urls


def _targets(file: _File, rows: list[_Row], taken: dict[str, Holder]) -> dict[int, int | None]:
    """The existing food each row names, by line (None: a new food); no row may be named by an alias."""
    targets: dict[int, int | None] = {}
    for row in rows:
        holder = taken.get(row.key)
        if holder is not None and holder.kind == "alias":
            raise file.fail(
                row.line,
                "name",
                _("{problem} — give the food another name").format(problem=holder.describe(row.name)),
            )
        targets[row.line] = holder.food_id if holder else None
    return targets


def _ref(row: _Row, food_id: int | None) -> int | str:
    """How the file's rows name a food: its id if it exists, else its line."""
    return food_id if food_id is not None else f"line {row.line}"


def _owners(rows: list[_Row], taken: dict[str, Holder], targets: dict[int, int | None]) -> dict[str, _Owner]:
    """Who holds each search key before the file's aliases are claimed.

    Aliases that stay whatever the file says: those of foods the file does not name, and seed
    aliases. The rest are rewritten from the file, so they are claimed again row by row.
    """
    rewritten = {food_id for food_id in targets.values() if food_id is not None}
    owner: dict[str, _Owner] = {
        key: (holder.food_id, holder.food_name)
        for key, holder in taken.items()
        if holder.kind == "name" or holder.food_id not in rewritten or not holder.is_custom
    }
    for row in rows:
        owner.setdefault(row.key, (_ref(row, targets[row.line]), row.name))
    return owner


def _is_custom(row: _Row, old: Record | None, seeded: bool) -> bool:
    """Once the seed is in, every imported food is the user's; before, the custom cell says, else
    the food stays what it was (a new food is the user's)."""
    if seeded:
        return True
    if row.custom is not None:
        return row.custom
    return bool(old["custom"]) if old else True


@dataclass
class _Planner:
    """Plans the file's rows one by one, in file order, into ``plan`` and ``report``."""

    file: _File
    known: _Known
    plan: _Plan
    owner: dict[str, _Owner]  # search key → who holds it, updated as rows claim aliases
    report: ImportReport = field(default_factory=ImportReport)

    def url_of(self, citation: str) -> str | None:
        """A source's URL: the database's if the source exists, else the one the file gives."""
        sources = self.known.sources
        return sources[citation] if citation in sources else self.plan.file_urls.get(citation)

    def plan_row(self, row: _Row, food_id: int | None) -> None:
        old = self.known.records.get(food_id) if food_id is not None else None
        seed_row = old is not None and not old["custom"] and self.known.seeded
        spec = self._spec(row, old, seed_row)
        current = self.known.aliases(food_id)
        self._claim_aliases(row, spec, _ref(row, food_id))
        if food_id is None or old is None:
            self.plan.add.append((spec, row.line))
            self.report.added.append(spec.name)
        elif seed_row:
            self._plan_seed_food(row, food_id, spec, old, current)
        else:
            self._plan_own_food(row, food_id, spec, old, current)

    def _spec(self, row: _Row, old: Record | None, seed_row: bool) -> FoodSpec:
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
        is_custom = _is_custom(row, old, self.known.seeded)
        spec = _resolve(row, old, False if seed_row else is_custom, self.known.categories)
        sources = self.known.sources
        if spec.url is not None and spec.source in sources and sources[spec.source] != spec.url:
            has = (
                _("the source {source} already has the URL {url}; give another source name")
                if sources[spec.source]
                else _("the source {source} already has no URL; give another source name")
            )
            raise self.file.fail(
                row.line, "url", has.format(source=repr(spec.source), url=sources[spec.source])
            )
        return spec

    def _claim_aliases(self, row: _Row, spec: FoodSpec, me: int | str) -> None:
        """The aliases this row claims, checked against every other food's final names."""
        for alias in spec.aliases:
            key = search_key(alias)
            holder_of = self.owner.get(key)
            if holder_of is not None and holder_of[0] != me:
                raise self.file.fail(
                    row.line,
                    "aliases",
                    _("{alias} is taken by the food {name} — remove it here").format(
                        alias=repr(alias), name=repr(holder_of[1])
                    ),
                )
            self.owner[key] = (me, row.name)

    def _plan_seed_food(
        self, row: _Row, food_id: int, spec: FoodSpec, old: Record, current: _Aliases
    ) -> None:
        """A seed food must be repeated unchanged; only the user's own aliases of it come and go."""
        _check_seed_row(self.file, row, spec, old, self.url_of(spec.source))
        wanted = {search_key(a): a for a in spec.aliases}
        adds = [a for k, a in wanted.items() if k not in current]
        drops = [aid for k, (aid, _, custom) in current.items() if custom and k not in wanted]
        self.plan.alias_deletes += drops
        self.plan.alias_inserts += [
            {"food_id": food_id, "alias": a, "search_key": search_key(a), "is_custom": True} for a in adds
        ]
        (self.report.updated if adds or drops else self.report.unchanged).append(old["name"])

    def _plan_own_food(self, row: _Row, food_id: int, spec: FoodSpec, old: Record, current: _Aliases) -> None:
        """An existing food of the user's: rewritten with its aliases, unless the row repeats it."""
        if _spec_record(spec, self.url_of(spec.source)) == old and all(
            custom == spec.is_custom for _, _, custom in current.values()
        ):
            self.report.unchanged.append(spec.name)
            return
        self.plan.update.append((food_id, spec, old, row.line))
        wanted = {search_key(a): a for a in spec.aliases}
        for key, (alias_id, alias, custom) in current.items():
            if wanted.get(key) != alias or custom != spec.is_custom:
                self.plan.alias_deletes.append(alias_id)
        self.plan.alias_inserts += [
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
    """Write the plan. Aliases are deleted first so that one can move between foods."""
    if plan.alias_deletes:
        connection.execute(delete(alias_table).where(alias_table.c.id.in_(plan.alias_deletes)))
    cache: dict[str, int] = {}

    def sid_of(spec: FoodSpec) -> int:
        return source_id(connection, spec.source, spec.url or plan.file_urls.get(spec.source), cache)

    for food_id, spec, old, _line in plan.update:
        sid = sid_of(spec)
        connection.execute(
            update(food_table).where(food_table.c.id == food_id).values(**spec.food_values(sid))
        )
        # The portion the old serving label implied goes; the new one comes (if not already there).
        before = serving_portion(old["serving_g"], old["serving_label"], old["source"])
        after = serving_portion(spec.serving_g, spec.serving_label, spec.source)
        portions = connection.execute(
            select(
                portion_table.c.id, portion_table.c.unit, portion_table.c.amount, portion_table.c.grams
            ).where(portion_table.c.food_id == food_id)
        ).all()
        if before != after:
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
        update_mirror_measurement(connection, food_id, spec, sid, None)
    insert_foods(connection, [(spec, sid_of(spec)) for spec, _line in plan.add])
    if plan.alias_inserts:
        connection.execute(insert(alias_table), plan.alias_inserts)


def import_csv(engine: Engine, path: str | Path, *, dry_run: bool = False) -> ImportReport:
    """Add or update the user's foods from a CSV file (the export layout; see docs/import.md).

    Every row is checked before anything is written, then everything is written in one
    transaction. ``dry_run`` computes the same report and writes nothing. Raises SeedError naming
    the file, line and column of the first problem.
    """
    file = _File(Path(path))
    rows, ignored = _read_rows(file)
    if dry_run:
        with snapshot(engine) as connection:
            _, report = _plan(connection, file, rows)
    else:

        def work(connection: Connection) -> ImportReport:
            plan, planned = _plan(connection, file, rows)  # again on a retry: another writer came first
            _apply(connection, plan)
            return planned

        report = run_write(engine, work)
    report.ignored_columns = ignored
    report.dry_run = dry_run
    return report


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
