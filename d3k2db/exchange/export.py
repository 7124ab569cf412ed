"""Export foods to CSV and JSON, and the layout the CSV import reads back (see docs/import.md).

The CSV layout is one row per food. An exported file imports back to the same foods, byte for byte
on re-export: floats are written with ``repr`` (shortest exact form), and cells a spreadsheet would
run as a formula are neutralised with a leading ``'`` that import removes again.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from ..database import snapshot
from ..domain.records import ALIAS_SEPARATOR, FoodSpec
from ..domain.text import json_safe, printable
from ..errors import UsageError
from ..files.reading import DELIMITERS
from ..i18n import _
from ..storage.tables import FORMS
from ..storage.tables import aliases as alias_table
from ..storage.tables import foods as food_table
from ..storage.tables import sources as source_table

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

Record = dict[str, Any]


def csv_figures(number: Callable[[str], float | None]) -> dict[str, float | None]:
    """A CSV row's figures keyed like the schema (the file's total_k2 is total_k2_published), each
    read by ``number`` from its column."""
    figures = {form: number(form) for form in FORMS}
    figures["total_k2_published"] = number("total_k2")
    figures["k1"] = number("k1")
    figures["vitamin_d3"] = number("vitamin_d3")
    return figures


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


def load_records(
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
    for part in [None] if ids is None else slices(ids):
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


def slices(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
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
        return _sorted(load_records(connection, custom_only=custom_only).values())


def cell_text(column: str, value: Any) -> str:
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
    return [cell_text(column, record[column]) for column in EXPORT_COLUMNS]


def spec_record(spec: FoodSpec, url: str | None) -> Record:
    """A food about to be written, as the export record it will read back as."""
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
    if delimiter not in DELIMITERS:
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


__all__ = [
    "CSV_FIGURES",
    "EXPORT_COLUMNS",
    "Record",
    "cell_text",
    "csv_cells",
    "csv_figures",
    "export_csv",
    "export_json",
    "export_rows",
    "load_records",
    "neutralize",
    "slices",
    "spec_record",
    "unneutralize",
]
