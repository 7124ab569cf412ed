"""Output: rich tables on a terminal, aligned plain text in a pipe, JSON and CSV for scripts.

Rich is imported only when a table is drawn on a terminal.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Sequence
from typing import Any

from ..figures import IU_PER_UG_D3, fmt_number
from ..results import FoodProfile, FoodSummary, MealItem, MealResult, PairResult, SourceSummary
from ..storage.tables import FORMS, LONG_CHAIN_FORMS

FORMATS = ("table", "json", "csv")
DASH = "—"
FORM_LABELS = {form: f"MK-{form[2:]}" for form in FORMS}

Table = tuple[str, list[str], list[list[str]]]  # title, headers, rows


def ug(value: float | None) -> str:
    """µg figure for a table: '—' when not published; two decimals below 1, one above."""
    if value is None:
        return DASH
    if value == 0:
        return "0"  # measured, not detected
    return f"{value:.2f}" if abs(value) < 1 else f"{value:.1f}"


def grams(value: float) -> str:
    return fmt_number(round(value, 1))


def serving(label: str, weight_g: float) -> str:
    """'1 large (50 g)'; a serving already given in grams is not repeated ('100 g')."""
    return label if label.endswith(" g") else f"{label} ({grams(weight_g)} g)"


def iu(value: float) -> str:
    return f"{round(value):,} IU"


# ---------------------------------------------------------------------------- tables and text


def emit(tables: Sequence[Table], notes: Sequence[str] = ()) -> None:
    """Print tables (rich on a terminal, plain text otherwise), then free-text notes."""
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table as RichTable
        from rich.text import Text

        console = Console()
        for title, headers, rows in tables:
            table = RichTable(title=title or None, title_justify="left", header_style="bold")
            for index, header in enumerate(headers):
                table.add_column(  # fold, never cut: a URL must stay whole to be followed
                    header,
                    justify="left" if index == 0 or not _numeric(rows, index) else "right",
                    overflow="fold",
                )
            for row in rows:  # Text, not markup: '[generic; …]' and a food named '[bold]x' print as typed
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


def _food_label(name: str, is_custom: bool) -> str:
    return f"{name} (custom)" if is_custom else name


MARK_FLAG, MARK_PARTIAL = "!", "‡"
FLAGGED_LEFT_OUT = (
    "Foods whose only figures are flagged as doubtful are left out (--include-flagged shows them, marked !)."
)


class Evidence:
    """Marks on K2 figures and their footnotes: '!' a flagged (doubtful) figure, '‡' a partial one."""

    def __init__(self) -> None:
        self.flagged: dict[tuple[str, ...], list[str]] = {}  # the same flags are one footnote
        self.partial: dict[str, list[str]] = {}

    def mark(self, cell: str, name: str, flags: Sequence[str], partial_note: str | None) -> str:
        if flags:
            cell += MARK_FLAG
            names = self.flagged.setdefault(tuple(flags), [])
            if name not in names:
                names.append(name)
        if partial_note:
            cell += MARK_PARTIAL
            names = self.partial.setdefault(partial_note, [])
            if name not in names:
                names.append(name)
        return cell

    def footnotes(self) -> list[str]:
        lines = [
            f"{MARK_FLAG} {' · '.join(names)} — doubtful figure: {'; '.join(flags)}."
            for flags, names in self.flagged.items()
        ]
        lines += [
            f"{MARK_PARTIAL} partial figure, {note}: {', '.join(names)}."
            for note, names in self.partial.items()
        ]
        return lines


def search_table(foods: Sequence[FoodSummary], evidence: Evidence | None = None) -> Table:
    evidence = evidence if evidence is not None else Evidence()
    headers = [
        "Food",
        "Category",
        "Tag",
        "Main form",
        "MK-4",
        "MK-7",
        "K2 µg/100 g",
        "Serving",
        "K2 µg/serving",
    ]
    rows = [
        [
            _food_label(f.name, f.is_custom),
            f.category,
            f.tag or DASH,
            f.main_form or DASH,
            ug(f.mk4),
            ug(f.mk7),
            evidence.mark(ug(f.k2_total), f.name, f.flags, f.coverage_note),
            serving(f.serving_label, f.serving_g),
            ug(f.k2_per_serving),
        ]
        for f in foods
    ]
    return ("", headers, rows)


def search_tables(foods: Sequence[FoodSummary], notes: Sequence[str]) -> tuple[list[Table], list[str]]:
    """The search (or top) table with its notes, then the footnotes of its marks."""
    evidence = Evidence()
    table = search_table(foods, evidence)
    return [table], [*notes, *evidence.footnotes()]


MARK_READING, MARK_FALLBACK = "*", "†"


def _meal_item_cell(item: MealItem, marks: dict[str, list[str]]) -> str:
    """'gouda: 30 g cheese → 30 g [generic; also: cheddar, edam …]*' — how the item was read."""
    cell = f"{_food_label(item.food, item.is_custom)}: {item.interpretation}"
    if item.match_note:
        cell += f" [{item.match_note}]{MARK_READING}"
        marks[MARK_READING].append(item.food)
    if item.fallback:
        cell += MARK_FALLBACK
        marks[MARK_FALLBACK].append(f"{item.food}: {item.fallback}")
    return cell


def _meal_footnotes(meal: MealResult, marks: dict[str, list[str]]) -> list[str]:
    notes = []
    if marks[MARK_READING]:
        notes.append(
            f"{MARK_READING} A reading, not a name: a generic word (cheese, milk, liver …) stands for a "
            "documented default food, a typo for the one name it is closest to. Name the food to be "
            "sure (`d3k2db search WORD`)."
        )
    for text in marks[MARK_FALLBACK]:
        notes.append(f"{MARK_FALLBACK} No published weight of this unit for the food; {text}.")
    dropped = [word for item in meal.items for word in item.dropped]
    dropped += [word for item in meal.skipped for word in item.dropped]
    if dropped:
        notes.append("Words left out: " + ", ".join(f"'{word}'" for word in dict.fromkeys(dropped)) + ".")
    for item in meal.skipped:
        subject = "" if item.reason.startswith(f"'{item.typed}'") else f" '{item.typed}'"
        notes.append(f"Skipped{subject}: {item.reason}.")
    return notes


def meal_tables(meal: MealResult) -> tuple[list[Table], list[str]]:
    headers = ["Item", "Grams", "MK-4", "MK-7", "Other MK", "K2 µg", "Range µg"]
    rows = []
    marks: dict[str, list[str]] = {MARK_READING: [], MARK_FALLBACK: []}
    evidence = Evidence()
    for item in meal.items:
        other = [v for f in LONG_CHAIN_FORMS if f != "mk7" and (v := item.forms[f]) is not None]
        rows.append(
            [
                _meal_item_cell(item, marks),
                grams(item.grams),
                ug(item.forms["mk4"]),
                ug(item.forms["mk7"]),
                ug(sum(other)) if other else DASH,
                evidence.mark(ug(item.k2), item.food, item.flags, item.coverage_note),
                f"{ug(item.k2_range[0])}–{ug(item.k2_range[1])}" if item.k2_range else DASH,
            ]
        )
    other_total = [v for f in LONG_CHAIN_FORMS if f != "mk7" and (v := meal.forms[f]) is not None]
    rows.append(
        [
            "Total (partial: items skipped)" if meal.partial else "Total",
            grams(sum(item.grams for item in meal.items)),
            ug(meal.forms["mk4"]),
            ug(meal.forms["mk7"]),
            ug(sum(other_total)) if other_total else DASH,
            ug(meal.k2),
            "",
        ]
    )
    partial = " of the items counted (partial: skipped items below)" if meal.partial else ""
    notes = [
        f"K2 total{partial}: {ug(meal.k2)} µg. At {fmt_number(meal.ratio_ug_per_10000_iu)} µg K2 per "
        f"10,000 IU, this pairs with {iu(meal.pairs_with_d3_iu)} of vitamin D3.",
    ]
    if meal.d3_check is not None:
        check = meal.d3_check
        verdict = (
            "covered"
            if check.covered
            else f"not covered: {ug(check.k2_missing_ug)} µg more K2 needed (see `d3k2db pair --d3 "
            f"{fmt_number(check.dose_iu)}`)"
        )
        notes.append(
            f"Your D3 dose of {iu(check.dose_iu)} calls for {ug(check.k2_needed_ug)} µg K2; this meal has "
            f"{ug(check.k2_ug)} µg — {verdict}."
        )
    if meal.target_check is not None:
        target = meal.target_check
        notes.append(
            f"Daily K2 target {ug(target.target_ug)} µg: {target.share:.0%} met"
            + (f", {ug(target.missing_ug)} µg missing." if target.missing_ug > 0 else ".")
        )
    notes += meal.warnings
    if meal.vitamin_d3 is not None:
        notes.append(
            f"Vitamin D3 in these foods: {meal.vitamin_d3:.2f} µg ({iu(meal.vitamin_d3 * IU_PER_UG_D3)})."
        )
    if any(item.k2 is not None and all(item.forms[f] is None for f in FORMS) for item in meal.items):
        notes.append("MK columns show published forms only; K2 µg includes totals published without forms.")
    notes += _meal_footnotes(meal, marks)
    notes += evidence.footnotes()
    return [("", headers, rows)], notes


def profile_tables(food: FoodProfile) -> tuple[list[Table], list[str]]:
    facts = [["Food", _food_label(food.name, food.is_custom)]]
    if food.match_note:
        facts.append(["Matched", f"'{food.typed}' → {food.name} [{food.match_note}]{MARK_READING}"])
    evidence = Evidence()
    facts += [
        ["Category", food.category],
        ["Tag", (food.tag or DASH) + (f" ({food.tag_note})" if food.tag_note else "")],
        ["Main measured form", food.main_form or DASH],
        *([FORM_LABELS[f], ug(v)] for f, v in food.forms.items() if v is not None),
        ["K2 total µg/100 g", evidence.mark(ug(food.k2_total), food.name, food.flags, food.coverage_note)],
    ]
    if food.headline_reason:
        agree = ""
        if food.independent and food.independent > 1:
            agree = (
                f"; {food.independent} independent measurement{'s' if food.independent != 1 else ''}"
                f", {food.agreeing} within a factor of 2 of it"
            )
        facts.append(["Why this figure", food.headline_reason + agree])
    if food.k2_range and food.k2_range[0] != food.k2_range[1]:
        low, high = food.k2_range
        facts.append(
            ["K2 range µg/100 g", f"{ug(low)}–{ug(high)} over {len(food.measurements)} measurements"]
        )
    d3_source = f" ({food.vitamin_d3_source})" if food.vitamin_d3_source else ""
    facts += [
        ["K1 µg/100 g", ug(food.k1)],
        ["Vitamin D3 µg/100 g", ug(food.vitamin_d3) + d3_source],
        ["Serving", f"{serving(food.serving_label, food.serving_g)}: {ug(food.k2_per_serving)} µg K2"],
        ["Source", " ".join(x for x in (food.source, food.locator and f"[{food.locator}]") if x) or DASH],
        ["Publisher's page", food.publisher_url or DASH],
        ["Read from", food.url or DASH],
    ]
    if food.aliases:
        facts.append(["Also called", ", ".join(food.aliases)])
    if food.notes:
        facts.append(["Notes", food.notes])
    tables: list[Table] = [("", ["Field", "Value"], facts)]
    if food.portions:
        tables.append(
            (
                "Portions",
                ["Unit", "Grams", "As published", "Source"],
                [
                    [
                        f"{fmt_number(p.amount)} {p.unit}",
                        grams(p.grams),
                        p.description or DASH,
                        " ".join(x for x in (p.source, p.locator) if x) or DASH,
                    ]
                    for p in food.portions
                ],
            )
        )
    if food.measurements:
        tables.append(
            (
                "Measurements (µg/100 g)",
                [
                    "Source",
                    "Code",
                    "As named there",
                    "MK-4",
                    "MK-7",
                    "Other MK",
                    "Total",
                    "K1",
                    "Covers",
                    "Counted",
                ],
                [
                    [
                        m.source,
                        m.locator or DASH,
                        m.source_food_name or DASH,
                        ug(m.forms["mk4"]),
                        ug(m.forms["mk7"]),
                        _other_forms(m.forms),
                        evidence.mark(
                            ug(m.k2_total),
                            food.name if m.flags == food.flags else f"{m.source}, {m.locator or '—'}",
                            m.flags,
                            None,
                        ),
                        ug(m.k1),
                        m.coverage or DASH,
                        "yes" if m.counted else f"no: same as {m.same_as}",
                    ]
                    for m in food.measurements
                ],
            )
        )
    notes = evidence.footnotes()
    if food.match_note:
        notes.append(
            f"{MARK_READING} '{food.typed}' is not a name of this food: it was read as "
            f"{'a generic word' if food.match == 'generic' else 'a typo'}. Name the food to be sure."
        )
    return tables, notes


def _other_forms(forms: dict[str, float | None]) -> str:
    parts = [
        f"{FORM_LABELS[f]} {ug(forms[f])}" for f in FORMS if f not in ("mk4", "mk7") and forms[f] is not None
    ]
    return ", ".join(parts) if parts else DASH


def sources_table(rows: Sequence[SourceSummary]) -> Table:
    return (
        "",
        ["Source", "Figures", "Publisher's page", "Read from"],
        [[r.citation, str(r.measurements), r.publisher_url or DASH, r.url or DASH] for r in rows],
    )


# ---------------------------------------------------------------------------- JSON and CSV


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
    return json.dumps(_rounded(data), ensure_ascii=False, indent=2)


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    """A CSV cell: empty for not published, yes/no, floats to 6 decimals, lists joined with ' | '."""
    if value is None:
        return ""
    if isinstance(value, bool):  # one spelling of a boolean in every CSV (as the export writes it)
        return "yes" if value else "no"
    if isinstance(value, float):
        return _rounded(value)
    if isinstance(value, list | tuple):
        return " | ".join(str(v) for v in value)
    return value


def search_csv(foods: Sequence[FoodSummary]) -> str:
    headers = list(FoodSummary.__dataclass_fields__)
    return to_csv(headers, [[getattr(f, h) for h in headers] for f in foods])


def meal_csv(meal: MealResult) -> str:
    headers = ["food", "typed", "match", "interpretation", "grams", *FORMS, "k2", "k1", "vitamin_d3"]
    headers += ["note", "flags"]
    rows: list[list[Any]] = [
        [
            i.food,
            i.typed,
            i.match,
            i.interpretation,
            round(i.grams, 3),
            *(i.forms[f] for f in FORMS),
            i.k2,
            i.k1,
            i.vitamin_d3,
            "; ".join(x for x in (i.match_note, i.fallback, i.coverage_note) if x),
            i.flags,
        ]
        for i in meal.items
    ]
    rows += [
        [None, s.typed, "skipped", None, None, *(None for _ in FORMS), None, None, None, s.reason, None]
        for s in meal.skipped
    ]
    rows.append(
        [
            "TOTAL (partial)" if meal.partial else "TOTAL",
            "",
            "",
            "",
            round(sum(i.grams for i in meal.items), 3),
            *(meal.forms[f] for f in FORMS),
            meal.k2,
            None,
            meal.vitamin_d3,
            "; ".join(meal.warnings),
            None,
        ]
    )
    return to_csv(headers, rows)


def profile_csv(food: FoodProfile) -> str:
    headers = [
        "food",
        "source",
        "locator",
        "source_food_name",
        "basis",
        *FORMS,
        "total_k2_published",
        "k2_total",
        "k1",
        "vitamin_d3",
        "coverage",
        "counted",
        "same_as",
        "flags",
        "match",
    ]
    reading = food.match_note or food.match
    rows = [
        [
            food.name,
            m.source,
            m.locator,
            m.source_food_name,
            m.basis,
            *(m.forms[f] for f in FORMS),
            m.total_k2_published,
            m.k2_total,
            m.k1,
            m.vitamin_d3,
            m.coverage,
            "yes" if m.counted else "no",
            m.same_as,
            m.flags,
            reading,  # how the name typed was read (a typo or generic reading says so here too)
        ]
        for m in food.measurements
    ]
    return to_csv(headers, rows)


def pair_tables(result: PairResult) -> tuple[list[Table], list[str]]:
    headers = ["Food", "Tag", "K2 µg/100 g", "Grams needed", "Household amount"]
    evidence = Evidence()
    rows = [
        [
            o.food.name,
            o.food.tag or DASH,
            evidence.mark(ug(o.food.k2_total), o.food.name, o.food.flags, o.food.coverage_note),
            grams(o.grams),
            o.household or DASH,
        ]
        for o in result.options
    ]
    notes = [
        f"{iu(result.d3_iu)} of vitamin D3 calls for {ug(result.k2_needed_ug)} µg K2 at "
        f"{fmt_number(result.ratio_ug_per_10000_iu)} µg K2 per 10,000 IU. Each row alone provides it.",
        *result.warnings,
        *([] if result.include_flagged else [FLAGGED_LEFT_OUT]),
        *evidence.footnotes(),
    ]
    return [("", headers, rows)], notes


def pair_csv(result: PairResult) -> str:
    headers = ["food", "tag", "k2_per_100g", "grams", "household", "coverage_note", "flags"]
    rows = [
        [o.food.name, o.food.tag, o.food.k2_total, o.grams, o.household, o.food.coverage_note, o.food.flags]
        for o in result.options
    ]
    return to_csv(headers, rows)
