"""The rows of a CSV file to import: each read and checked on its own (``FileRow``), then against
the rows before it (``EarlierRows``), in bounded memory (docs/import.md).

What stays for the whole file is small and bounded by MAX_FOODS and MAX_NAMES: each food's name
(for the report) and a 64-bit fingerprint of each name, alias and cited source (to refuse a row
that repeats an earlier one), so that no file, however large, takes more than 300 MB.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..domain.records import (
    ALIAS_SEPARATOR,
    MAX_CATEGORY,
    MAX_CITATION,
    MAX_LABEL,
    MAX_LOCATOR,
    Invalid,
    check_alias,
    check_figures,
    check_name,
    check_serving_g,
    check_text,
    check_url,
    figure_from_text,
    normalize_tag,
)
from ..domain.text import search_key
from ..errors import SeedError
from ..files.progress import Track, untracked
from ..files.reading import TableFile
from ..i18n import _
from .export import CSV_FIGURES, EXPORT_COLUMNS, csv_figures, unneutralize

MAX_FOODS = 250_000  # foods (rows) in one file
MAX_NAMES = 500_000  # names and aliases in one file
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_DECIMAL_COMMA = re.compile(r"^\d+,\d+$")


@dataclass
class FileRow:
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


class ImportFile:
    """A CSV file of foods (the export's layout) read row by row; ``fail`` names file, line and
    column. Refused at once when its header lacks a name or every figure."""

    def __init__(self, table: TableFile) -> None:
        self.table = table
        self.name = table.name
        self.delimiter = table.delimiter
        self.ignored = table.ignored
        self.fail = table.fail
        if not any(column in table.columns for column in CSV_FIGURES):
            raise SeedError(
                _("{file}: missing column(s): at least one of {columns}").format(
                    file=self.name, columns=", ".join(CSV_FIGURES[:-2])
                )
            )
        self.index = {column: at for at, column in enumerate(table.columns) if column in EXPORT_COLUMNS}

    def rows(self, track: Track = untracked) -> Iterator[FileRow]:
        """Every row, parsed and checked on its own, in file order."""
        for line, cells in self.table.rows(track):
            values = {column: unneutralize(cells[at]).strip() for column, at in self.index.items()}
            try:
                row = _parse_row(self, line, values)
            except Invalid as exc:
                raise self.fail(line, exc.column, exc.problem) from None
            yield row

    def row_at(self, line: int) -> FileRow:
        """The row that starts on ``line``, read again (to word an error about an earlier row)."""
        return next(row for row in self.rows() if row.line == line)


def _parse_row(file: ImportFile, line: int, values: dict[str, str]) -> FileRow:
    """One row's cells (neutralisation undone, trimmed) checked: '' for a column the file lacks."""

    def cell(column: str) -> str:
        return values.get(column, "")

    def number(column: str) -> float | None:
        raw = cell(column)
        if not raw:
            return None
        text = raw.replace(",", ".") if file.delimiter == ";" and _DECIMAL_COMMA.match(raw) else raw
        return figure_from_text(column, text, raw)

    name = check_name(cell("name"))
    figures = csv_figures(number)
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
    return FileRow(
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
class EarlierRows:
    """What the rows read so far claim — names, aliases and source URLs — which a later row may not
    contradict. Kept as 64-bit fingerprints (``hash``) with the line: a match is confirmed by reading
    that line again, so an error is never a fingerprint's accident and the text need not be kept."""

    file: ImportFile
    name_lines: dict[int, int] = field(default_factory=dict)  # hash(search key) → line
    alias_lines: dict[int, int] = field(default_factory=dict)  # hash(search key) → line
    source_urls: dict[int, tuple[int, int]] = field(default_factory=dict)  # hash(citation) → hash(URL), line
    foods: int = 0

    def check(self, row: FileRow) -> None:
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
        self, lines: dict[int, int], key: str, of: Callable[[FileRow], Iterable[str]]
    ) -> int | None:
        """The line of an earlier row whose name (or alias) has the search key ``key``."""
        line = lines.get(hash(key))
        if line is None or key not in {search_key(text) for text in of(self.file.row_at(line))}:
            return None
        return line

    def _check_name(self, row: FileRow) -> None:
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

    def _check_aliases(self, row: FileRow) -> None:
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

    def _check_source_url(self, row: FileRow) -> None:
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


__all__ = ["MAX_FOODS", "MAX_NAMES", "EarlierRows", "FileRow", "ImportFile"]
