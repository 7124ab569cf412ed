"""JSON and CSV for scripts: the same data in every language, nothing a terminal obeys."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from ..domain.text import json_safe, printable


def _rounded(data: Any) -> Any:
    """Floats to 6 decimals so sums print as 36.42, not 36.419999999999995."""
    if isinstance(data, float):
        return round(data, 6)
    if isinstance(data, dict):
        return {key: _rounded(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_rounded(value) for value in data]
    return data


def to_json(data: Any) -> str:
    """Strict JSON, Chinese as written but every control, bidirectional and invisible character
    escaped (``\u202e``: text.json_safe, the same data for a parser, nothing a terminal obeys).
    NaN and Infinity are never written (allow_nan=False). Figures are bounded
    (records.MAX_FIGURE_UG), so only a database written before the bound can hold a figure whose sums
    overflow; that is refused as the tables refuse it ('a number is too large'), not printed."""
    try:
        return json_safe(json.dumps(_rounded(data), ensure_ascii=False, indent=2, allow_nan=False))
    except ValueError as error:
        if "Out of range float" not in str(error):
            raise
        raise OverflowError(str(error)) from None


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    """A CSV cell: empty for not published, yes/no, floats to 6 decimals, lists joined with ' | ';
    text as text.printable shows it (a CSV has no escapes of its own: see export_csv)."""
    if value is None:
        return ""
    if isinstance(value, bool):  # one spelling of a boolean in every CSV (as the export writes it)
        return "yes" if value else "no"
    if isinstance(value, float):
        return _rounded(value)
    if isinstance(value, list | tuple):
        return printable(" | ".join(str(v) for v in value))
    return printable(value) if isinstance(value, str) else value
