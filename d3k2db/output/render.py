"""Output: rich tables on a terminal, aligned plain text in a pipe, JSON and CSV for scripts.

Rich is imported only when a table is drawn on a terminal.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from ..errors import MealError
from ..figures import FORMS, IU_PER_UG_D3, LONG_CHAIN_FORMS, fmt_number
from ..i18n import N_, _
from ..results import (
    FoodProfile,
    FoodSummary,
    MealItem,
    MealResult,
    MeasurementView,
    PairResult,
    SkippedItem,
    SourceSummary,
)
from ..text import json_safe, printable, search_key
from ..vocabulary import category, flag, g, label, stored_note, tag_text, with_weight, word

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


def serving(label_text_: str, weight_g: float) -> str:
    """'1 large (50 g)'; a serving already given in grams is not repeated ('100 g')."""
    shown = label(label_text_)
    return shown if label_text_.endswith(" g") else with_weight(shown, g(grams(weight_g)))


def iu(value: float) -> str:
    return _("{amount} IU").format(amount=f"{round(value):,}")


# ---------------------------------------------------------------------------- tables and text


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


def _food_label(name: str, is_custom: bool) -> str:
    return _("{name} (custom)").format(name=name) if is_custom else name


def found_alias(food: FoodSummary) -> str | None:
    """The alias a search hit was found through, unless it is the name shown (納豆 in Chinese)."""
    alias = food.matched_alias
    return alias if alias and search_key(alias) != search_key(food.shown) else None


def _found_as(food: FoodSummary) -> str:
    """A search hit's name, with the alias it was found through when that is not the name shown:
    'dutch cheese 48+, low-sodium (alias: natriumarme kaas)'."""
    label_ = _food_label(food.shown, food.is_custom)
    alias = found_alias(food)
    return _("{name} (alias: {alias})").format(name=label_, alias=alias) if alias else label_


def tag_cell(tag: str | None, main_form: str | None) -> str:
    """The tag as a reader must read it (vocabulary.tag_text): 'MK-7 · main MK-9', 'long-chain
    (MK-7…MK-10)', 'MK-4'; '—' for none."""
    return tag_text(tag, main_form) or DASH


MARK_FLAG, MARK_PARTIAL = "!", "‡"
FLAGGED_LEFT_OUT = N_(
    "Foods whose only figures are flagged as doubtful or uncertain are left out (--include-flagged shows "
    "them, marked !)."
)
UNCERTAIN = "uncertain"  # the flag kind of a food whose measurements disagree (d3k2db.evidence)


def doubt(flags: Sequence[str]) -> str:
    """What the '!' of these flags means: 'doubtful figure', 'uncertain figure' (measurements that
    disagree), or both."""
    kinds = {text.partition(": ")[0] for text in flags}
    if kinds == {UNCERTAIN}:
        return _("uncertain figure")
    return _("doubtful and uncertain figure") if UNCERTAIN in kinds else _("doubtful figure")


class Evidence:
    """Marks on K2 figures and their footnotes: '!' a flagged (doubtful or uncertain) figure, '‡' a
    partial one."""

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
            _("{mark} {names} — {doubt}: {flags}.").format(
                mark=MARK_FLAG,
                names=" · ".join(names),
                doubt=doubt(flags),
                flags=_("; ").join(flag(f) for f in flags),
            )
            for flags, names in self.flagged.items()
        ]
        lines += [
            _("{mark} partial figure, {note}: {names}.").format(
                mark=MARK_PARTIAL, note=note, names=_(", ").join(names)
            )
            for note, names in self.partial.items()
        ]
        return lines


def search_table(foods: Sequence[FoodSummary], evidence: Evidence | None = None) -> Table:
    evidence = evidence if evidence is not None else Evidence()
    headers = [
        _("Food"),
        _("Category"),
        _("Tag"),
        "MK-4",
        "MK-7",
        _("K2 µg/100 g"),
        _("Serving"),
        _("K2 µg/serving"),
    ]
    rows = [
        [
            _found_as(f),
            category(f.category),
            tag_cell(f.tag, f.main_form),
            ug(f.mk4),
            ug(f.mk7),
            evidence.mark(ug(f.k2_total), f.shown, f.flags, f.coverage_note),
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


# ---------------------------------------------------------------------------------------------
# A meal as both edges read it (README, "meal": one rule for the command line and the web page)
#
# Every item that can be counted is counted; an item refused (a food not in d3k2db, a unit the food
# has no weight for, an amount out of bounds) is listed refused with its reason, and the total is
# marked partial. Only a meal with nothing countable is refused as a whole.


def split_problem(problem: str) -> tuple[str, str]:
    """What was typed, and why it was refused: "'2 slices natto': natto has no weight …" gives
    ('2 slices natto', 'natto has no weight …'), "'toast' is not a food …" ('toast', all of it);
    in Chinese the typed words are in 「」 and the colon is a full-width '：'."""
    match = re.match(r"(?:'([^']+)'|「([^」]+)」)(: |：)?", problem)
    if match is None:
        return "", problem
    return match.group(1) or match.group(2), problem[match.end() :] if match.group(3) else problem


def meal_counting_what_it_can(
    run: Callable[[Sequence[str], bool], MealResult], words: Sequence[str]
) -> MealResult:
    """The meal ``words`` as the CLI and the page read it. ``run(words, skip_unknown)`` computes a
    meal; with unknown foods skipped, when the library still refuses the whole meal for an item it
    could not weigh, that item is taken out, listed in ``skipped`` with its reason, and the rest is
    computed.

    When nothing can be counted the meal is refused as a whole, every problem listed (the library's
    MealError: exit 1 when a food is not known, else 2)."""
    try:
        return run(words, True)
    except MealError as exc:
        refused = [split_problem(problem) for problem in exc.problems]
        rest = " ".join(words)
        for typed, _reason in refused:
            if not typed or typed not in rest:
                raise
            rest = rest.replace(typed, " , ", 1)
        try:
            if not rest.strip(" ,;"):
                raise exc from None
            result = run([rest], True)
        except MealError:
            run(words, False)  # raises, naming every problem of the meal
            raise
    skipped = [SkippedItem(typed, reason) for typed, reason in refused]
    return replace(result, skipped=[*skipped, *result.skipped])


def _meal_item_cell(item: MealItem, marks: dict[str, list[str]]) -> str:
    """'gouda: 30 g cheese → 30 g [generic; also: cheddar, edam …]*' — how the item was read."""
    cell = _("{food}: {interpretation}").format(
        food=_food_label(item.shown, item.is_custom), interpretation=item.interpretation
    )
    if item.match_note:
        cell += f" [{item.match_note}]{MARK_READING}"
        marks[MARK_READING].append(item.shown)
    if item.fallback:
        cell += MARK_FALLBACK
        marks[MARK_FALLBACK].append(
            _("{food}: {interpretation}").format(food=item.shown, interpretation=item.fallback)
        )
    return cell


def _meal_footnotes(meal: MealResult, marks: dict[str, list[str]]) -> list[str]:
    notes = []
    if marks[MARK_READING]:
        notes.append(
            MARK_READING
            + " "
            + _(
                "A reading, not a name: a generic word (cheese, milk, liver …) stands for a "
                "documented default food, a typo for the one name it is closest to. Name the food to be "
                "sure (`d3k2db search WORD`)."
            )
        )
    for text in marks[MARK_FALLBACK]:
        notes.append(
            _("{mark} No published weight of this unit for the food; {text}.").format(
                mark=MARK_FALLBACK, text=text
            )
        )
    dropped = [w for item in meal.items for w in item.dropped]
    dropped += [w for item in meal.skipped for w in item.dropped]
    if dropped:
        listed = _(", ").join(_("'{text}'").format(text=w) for w in dict.fromkeys(dropped))  # 「…」
        notes.append(_("Words left out: {words}.").format(words=listed))
    for item in meal.skipped:
        typed, reason = split_problem(item.reason)
        if typed == item.typed:  # the reason names the item already: "'toast' is not a food …"
            reason = item.reason
        notes.append(_("Refused {typed}: {reason}.").format(typed=quoted(item.typed), reason=reason))
    return notes


def quoted(text: str) -> str:
    """What the user typed, quoted as the chosen language quotes: 'natto' / 「納豆」."""
    return _("'{text}'").format(text=text)


def _d3_verdict(meal: MealResult) -> str:
    check = meal.d3_check
    assert check is not None
    template = (
        _("Your D3 dose of {dose} calls for {needed} µg K2; this meal has {k2} µg — covered.")
        if check.covered
        else _(
            "Your D3 dose of {dose} calls for {needed} µg K2; this meal has {k2} µg — not covered: "
            "{missing} µg more K2 needed (see `d3k2db pair --d3 {number}`)."
        )
    )
    return template.format(
        dose=iu(check.dose_iu),
        needed=ug(check.k2_needed_ug),
        k2=ug(check.k2_ug),
        missing=ug(check.k2_missing_ug),
        number=fmt_number(check.dose_iu),
    )


def meal_tables(meal: MealResult) -> tuple[list[Table], list[str]]:
    headers = [_("Item"), _("Grams"), "MK-4", "MK-7", _("Other MK"), _("K2 µg"), _("Range µg")]
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
                evidence.mark(ug(item.k2), item.shown, item.flags, item.coverage_note),
                f"{ug(item.k2_range[0])}–{ug(item.k2_range[1])}" if item.k2_range else DASH,
            ]
        )
    for skipped in meal.skipped:  # refused, with the reason below the table
        rows.append([_("{typed}: refused, not counted (see below)").format(typed=quoted(skipped.typed))])
        rows[-1] += [DASH] * (len(headers) - 2) + [""]
    other_total = [v for f in LONG_CHAIN_FORMS if f != "mk7" and (v := meal.forms[f]) is not None]
    rows.append(
        [
            _("Total (partial: refused items not counted)") if meal.partial else _("Total"),
            grams(sum(item.grams for item in meal.items)),
            ug(meal.forms["mk4"]),
            ug(meal.forms["mk7"]),
            ug(sum(other_total)) if other_total else DASH,
            ug(meal.k2),
            "",
        ]
    )
    total = (
        _(
            "K2 total of the items counted (partial: refused items below): {k2} µg. At {ratio} µg K2 per "
            "10,000 IU, this pairs with {d3} of vitamin D3."
        )
        if meal.partial
        else _("K2 total: {k2} µg. At {ratio} µg K2 per 10,000 IU, this pairs with {d3} of vitamin D3.")
    )
    notes = [
        total.format(
            k2=ug(meal.k2), ratio=fmt_number(meal.ratio_ug_per_10000_iu), d3=iu(meal.pairs_with_d3_iu)
        )
    ]
    if meal.d3_check is not None:
        notes.append(_d3_verdict(meal))
    if meal.target_check is not None:
        target = meal.target_check
        met = (
            _("Daily K2 target {target} µg: {share} met, {missing} µg missing.")
            if target.missing_ug > 0
            else _("Daily K2 target {target} µg: {share} met.")
        )
        notes.append(
            met.format(
                target=ug(target.target_ug), share=f"{target.share:.0%}", missing=ug(target.missing_ug)
            )
        )
    notes += meal.warnings
    if meal.vitamin_d3 is not None:
        notes.append(
            _("Vitamin D3 in these foods: {ug} µg ({iu}).").format(
                ug=f"{meal.vitamin_d3:.2f}", iu=iu(meal.vitamin_d3 * IU_PER_UG_D3)
            )
        )
    if any(item.k2 is not None and all(item.forms[f] is None for f in FORMS) for item in meal.items):
        notes.append(
            _("MK columns show published forms only; K2 µg includes totals published without forms.")
        )
    notes += _meal_footnotes(meal, marks)
    notes += evidence.footnotes()
    return [("", headers, rows)], notes


def _profile_facts(food: FoodProfile, evidence: Evidence) -> list[list[str]]:
    facts = [[_("Food"), _food_label(food.shown, food.is_custom)]]
    if food.display_name and food.display_name != food.name:
        facts.append([_("English name"), food.name])
    if food.match_note:
        facts.append([_("Matched"), f"'{food.typed}' → {food.shown} [{food.match_note}]{MARK_READING}"])
    facts += [
        [_("Category"), category(food.category)],
        [
            _("Tag"),
            tag_cell(food.tag, food.main_form)
            + (f" ({stored_note(food.tag_note)})" if food.tag_note else ""),
        ],
        *([FORM_LABELS[f], ug(v)] for f, v in food.forms.items() if v is not None),
        [
            _("K2 total µg/100 g"),
            evidence.mark(ug(food.k2_total), food.shown, food.flags, food.coverage_note),
        ],
    ]
    if food.headline_reason:
        reason = stored_note(food.headline_reason)
        if food.independent and food.independent > 1:
            reason += _(
                "; {independent} independent measurements, {agreeing} within a factor of 2 of it"
            ).format(independent=food.independent, agreeing=food.agreeing)
        facts.append([_("Why this figure"), reason])
    if food.k2_range and food.k2_range[0] != food.k2_range[1]:
        low, high = food.k2_range
        facts.append(
            [
                _("K2 range µg/100 g"),
                _("{low}–{high} over {count} measurements").format(
                    low=ug(low), high=ug(high), count=len(food.measurements)
                ),
            ]
        )
    d3_source = f" ({food.vitamin_d3_source})" if food.vitamin_d3_source else ""
    facts += [
        [_("K1 µg/100 g"), ug(food.k1)],
        [_("Vitamin D3 µg/100 g"), ug(food.vitamin_d3) + d3_source],
        [
            _("Serving"),
            _("{serving}: {k2} µg K2").format(
                serving=serving(food.serving_label, food.serving_g), k2=ug(food.k2_per_serving)
            ),
        ],
        [_("Source"), " ".join(x for x in (food.source, food.locator and f"[{food.locator}]") if x) or DASH],
        [_("Publisher's page"), food.publisher_url or DASH],
        [_("Read from"), food.url or DASH],
    ]
    if food.aliases:
        facts.append([_("Also called"), _(", ").join(food.aliases)])
    if food.notes:  # your own food's (an import's); a seed food's notes are curation, never shown
        facts.append([_("Notes"), food.notes])
    return facts


def _measurement_row(food: FoodProfile, m: MeasurementView, evidence: Evidence) -> list[str]:
    return [
        m.source,
        m.locator or DASH,
        m.source_food_name or DASH,
        ug(m.forms["mk4"]),
        ug(m.forms["mk7"]),
        _other_forms(m.forms),
        evidence.mark(
            ug(m.k2_total),
            food.shown if m.flags == food.flags else f"{m.source}, {m.locator or '—'}",
            m.flags,
            None,
        ),
        ug(m.k1),
        word(m.coverage) or DASH,
        _("yes") if m.counted else _("no: same as {other}").format(other=m.same_as),
    ]


def profile_tables(food: FoodProfile) -> tuple[list[Table], list[str]]:
    evidence = Evidence()
    tables: list[Table] = [("", [_("Field"), _("Value")], _profile_facts(food, evidence))]
    if food.portions:
        tables.append(
            (
                _("Portions"),
                [_("Unit"), _("Grams"), _("As published"), _("Source")],
                [
                    [
                        f"{fmt_number(p.amount)} {word(p.unit)}",
                        grams(p.grams),
                        p.description or DASH,
                        " ".join(x for x in (p.source, p.locator) if x) or DASH,
                    ]
                    for p in food.portions
                ],
            )
        )
    if food.measurements:
        headers = [
            _("Source"),
            _("Code"),
            _("As named there"),
            "MK-4",
            "MK-7",
            _("Other MK"),
            _("Total"),
            "K1",
        ]
        headers += [_("Covers"), _("Counted")]
        rows = [_measurement_row(food, m, evidence) for m in food.measurements]
        tables.append((_("Measurements (µg/100 g)"), headers, rows))
    notes = evidence.footnotes()
    if food.match_note:
        template = (
            _(
                "{mark} '{typed}' is not a name of this food: it was read as a generic word. "
                "Name the food to be sure."
            )
            if food.match == "generic"
            else _(
                "{mark} '{typed}' is not a name of this food: it was read as a typo. "
                "Name the food to be sure."
            )
        )
        notes.append(template.format(mark=MARK_READING, typed=food.typed))
    return tables, notes


def _other_forms(forms: dict[str, float | None]) -> str:
    parts = [
        f"{FORM_LABELS[f]} {ug(forms[f])}" for f in FORMS if f not in ("mk4", "mk7") and forms[f] is not None
    ]
    return ", ".join(parts) if parts else DASH


def sources_table(rows: Sequence[SourceSummary]) -> Table:
    return (
        "",
        [_("Source"), _("Figures"), _("Publisher's page"), _("Read from")],
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


def search_csv(foods: Sequence[FoodSummary]) -> str:
    fields = [f for f in FoodSummary.__dataclass_fields__ if f not in ("name", "display_name")]
    at = fields.index("main_form") + 1
    fields = [*fields[:at], "tag_meaning", *fields[at:]]
    headers = ["name", "name_en", *fields]  # the same columns in every language
    return to_csv(headers, [[row[h] for h in headers] for row in (f.to_dict() for f in foods)])


def meal_csv(meal: MealResult) -> str:
    headers = [
        "food",
        "name_en",
        "typed",
        "match",
        "interpretation",
        "grams",
        *FORMS,
        "k2",
        "k1",
        "vitamin_d3",
    ]
    headers += ["note", "flags"]
    rows: list[list[Any]] = [
        [
            i.shown,
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
        [None, None, s.typed, "skipped", None, None, *(None for _ in FORMS), None, None, None, s.reason, None]
        for s in meal.skipped
    ]
    rows.append(
        [
            "TOTAL (partial)" if meal.partial else "TOTAL",
            "",
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
        "name_en",
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
            food.shown,
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
    headers = [_("Food"), _("Tag"), _("K2 µg/100 g"), _("Grams needed"), _("Household amount")]
    evidence = Evidence()
    rows = [
        [
            _food_label(o.food.shown, o.food.is_custom),
            tag_cell(o.food.tag, o.food.main_form),
            evidence.mark(ug(o.food.k2_total), o.food.shown, o.food.flags, o.food.coverage_note),
            grams(o.grams),
            o.household or DASH,
        ]
        for o in result.options
    ]
    notes = [
        _(
            "{d3} of vitamin D3 calls for {k2} µg K2 at {ratio} µg K2 per 10,000 IU. "
            "Each row alone provides it."
        ).format(
            d3=iu(result.d3_iu), k2=ug(result.k2_needed_ug), ratio=fmt_number(result.ratio_ug_per_10000_iu)
        ),
        *result.warnings,
        *([] if result.include_flagged else [_(FLAGGED_LEFT_OUT)]),
        *evidence.footnotes(),
    ]
    return [("", headers, rows)], notes


def pair_csv(result: PairResult) -> str:
    headers = [
        "food",
        "name_en",
        "tag",
        "main_form",
        "tag_meaning",
        "k2_per_100g",
        "grams",
        "household",
        "coverage_note",
        "flags",
    ]
    rows = [
        [
            o.food.shown,
            o.food.name,
            o.food.tag,
            o.food.main_form,
            o.food.tag_meaning,
            o.food.k2_total,
            o.grams,
            o.household,
            o.food.coverage_note,
            o.food.flags,
        ]
        for o in result.options
    ]
    return to_csv(headers, rows)
