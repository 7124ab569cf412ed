"""Tables printed: rich on a terminal, aligned plain text in a pipe (measured in display width).

Rich is imported only when a table is drawn on a terminal.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

from ..domain.text import printable
from .cells import DASH, Table


def emit(tables: Sequence[Table], notes: Sequence[str] = ()) -> None:
    """Print tables (rich on a terminal, plain text otherwise), then free-text notes. Every text is
    printed as text.printable shows it: a name stored with ESC or U+202E (an old database's) is
    shown as '\x1b' or '\u202e', never sent to the terminal to obey."""
    tables = [
        (printable(title), [printable(h) for h in headers], [[printable(c) for c in row] for row in rows])
        for title, headers, rows in tables
    ]
    notes = [printable(note) for note in notes]
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table as RichTable
        from rich.text import Text

        console = Console()
        for title, headers, rows in tables:
            # Text, not markup: '[generic; …]' and a food named '[bold]x' print as typed
            table = RichTable(title=Text(title) if title else None, title_justify="left", header_style="bold")
            for index, header in enumerate(headers):
                table.add_column(  # fold, never cut: a URL must stay whole to be followed
                    Text(header),
                    justify="left" if index == 0 or not _numeric(rows, index) else "right",
                    overflow="fold",
                )
            for row in rows:
                table.add_row(*(Text(cell) for cell in row))
            console.print(table)
        for note in notes:
            console.print(note, markup=False, highlight=False)
        return
    out = []
    for title, headers, rows in tables:
        out.append(plain_table(title, headers, rows))
    out.extend(notes)
    sys.stdout.write("\n".join(out) + "\n")


def _numeric(rows: list[list[str]], index: int) -> bool:
    cells = [row[index] for row in rows if row[index] not in (DASH, "")]
    return bool(cells) and all(_looks_numeric(cell) for cell in cells)


_NUMBER_CELL = re.compile(r"^[\d,]+(\.\d+)?(–[\d,]+(\.\d+)?)?( (g|IU))?[!‡]*$")


def _looks_numeric(cell: str) -> bool:
    return bool(_NUMBER_CELL.match(cell))


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: CJK wide and full-width characters take two."""
    import unicodedata

    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def plain_table(title: str, headers: list[str], rows: list[list[str]]) -> str:
    """Aligned columns for a pipe or a file, measured in display width (雞蛋 is four columns wide)."""
    widths = [max(display_width(c) for c in [h, *(r[i] for r in rows)]) for i, h in enumerate(headers)]
    numeric = [i > 0 and _numeric(rows, i) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        parts = []
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            pad = " " * (width - display_width(cell))
            parts.append(pad + cell if numeric[i] else cell + pad)
        return "  ".join(parts).rstrip()

    lines = [title] if title else []
    lines += [line(headers), line(["-" * w for w in widths])]
    lines += [line(row) for row in rows]
    return "\n".join(lines)
