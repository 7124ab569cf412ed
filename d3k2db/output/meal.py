"""A meal as both edges read it (README, "meal": one rule for the command line and the web page).

Every item that can be counted is counted; an item refused (a food not in d3k2db, a unit the food
has no weight for, an amount out of bounds) is listed refused with its reason, and the total is
marked partial. Only a meal with nothing countable is refused as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from ..domain.figures import IU_PER_UG_D3, fmt_number
from ..domain.results import MealItem, MealResult, Problem, SkippedItem
from ..errors import MealError
from ..i18n import _
from ..storage.forms import FORMS, LONG_CHAIN_FORMS
from .cells import DASH, Table, food_label, grams, iu, quoted, ug
from .data import to_csv
from .marks import MARK_FALLBACK, MARK_READING, Evidence, fallback_note


def split_problem(problem: str) -> tuple[str, str]:
    """What was typed, and why it was refused: "'2 slices natto': natto has no weight …" gives
    ('2 slices natto', 'natto has no weight …'), "'toast' is not a food …" ('toast', all of it);
    in Chinese the typed words are in 「」 and the colon is a full-width '：'. (The page's list of
    a meal's problems; a MealError's ``details`` hold the same as data: Problem.typed, .reason.)"""
    match = re.match(r"(?:'([^']+)'|「([^」]+)」)(: |：)?", problem)
    if match is None:
        return "", problem
    return match.group(1) or match.group(2), problem[match.end() :] if match.group(3) else problem


def _refused_items(error: MealError) -> list[Problem] | None:
    """The items a refused meal can do without: each problem is one item's (Problem.reason), so
    the item can be listed refused and the rest counted. None when one is not (a phrase not
    understood): then the meal is refused as a whole."""
    problems = [problem for problem in error.details if isinstance(problem, Problem)]
    if not problems or not all(problem.reason for problem in problems):
        return None
    return problems


def _without(words: Sequence[str], refused: list[Problem]) -> str | None:
    """The meal with the refused items taken out (None when one is not found as typed)."""
    rest = " ".join(words)
    for problem in refused:
        for typed in problem.details.get("items", [problem.typed]):
            if typed not in rest:
                return None
            rest = rest.replace(typed, " , ", 1)
    return rest


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
        refused = _refused_items(exc)
        rest = None if refused is None else _without(words, refused)
        if refused is None or rest is None:
            raise
        try:
            if not rest.strip(" ,;"):
                raise exc from None
            result = run([rest], True)
        except MealError:
            run(words, False)  # raises, naming every problem of the meal
            raise
    skipped = [SkippedItem(problem.typed, problem.reason, problem=problem) for problem in refused]
    return replace(result, skipped=[*skipped, *result.skipped])


def _item_cell(item: MealItem, marks: dict[str, list[str]]) -> str:
    """'gouda: 30 g cheese → 30 g [generic; also: cheddar, edam …]*' — how the item was read."""
    cell = _("{food}: {interpretation}").format(
        food=food_label(item.shown, item.is_custom), interpretation=item.interpretation
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


def _other_mk(forms: dict[str, float | None]) -> str:
    """The long-chain forms but MK-7, summed ('—' when none is published)."""
    other = [v for f in LONG_CHAIN_FORMS if f != "mk7" and (v := forms[f]) is not None]
    return ug(sum(other)) if other else DASH


def _headers() -> list[str]:
    return [_("Item"), _("Grams"), "MK-4", "MK-7", _("Other MK"), _("K2 µg"), _("Range µg")]


def _item_row(item: MealItem, marks: dict[str, list[str]], evidence: Evidence) -> list[str]:
    return [
        _item_cell(item, marks),
        grams(item.grams),
        ug(item.forms["mk4"]),
        ug(item.forms["mk7"]),
        _other_mk(item.forms),
        evidence.mark(ug(item.k2), item.shown, item.flags, item.coverage_note),
        f"{ug(item.k2_range[0])}–{ug(item.k2_range[1])}" if item.k2_range else DASH,
    ]


def _refused_row(skipped: SkippedItem) -> list[str]:
    """A refused item's row: its reason is below the table."""
    cell = _("{typed}: refused, not counted (see below)").format(typed=quoted(skipped.typed))
    return [cell, *[DASH] * (len(_headers()) - 2), ""]


def _total_row(meal: MealResult) -> list[str]:
    return [
        _("Total (partial: refused items not counted)") if meal.partial else _("Total"),
        grams(sum(item.grams for item in meal.items)),
        ug(meal.forms["mk4"]),
        ug(meal.forms["mk7"]),
        _other_mk(meal.forms),
        ug(meal.k2),
        "",
    ]


def meal_tables(meal: MealResult) -> tuple[list[Table], list[str]]:
    marks: dict[str, list[str]] = {MARK_READING: [], MARK_FALLBACK: []}
    evidence = Evidence()
    rows = [_item_row(item, marks, evidence) for item in meal.items]
    rows += [_refused_row(skipped) for skipped in meal.skipped]
    rows.append(_total_row(meal))
    notes = [
        _total_note(meal),
        *(note for note in (_d3_verdict(meal), _target_note(meal)) if note),
        *meal.warnings,
        *(note for note in (_d3_content_note(meal), _forms_note(meal)) if note),
        *_footnotes(meal, marks),
        *evidence.footnotes(),
    ]
    return [("", _headers(), rows)], notes


def _total_note(meal: MealResult) -> str:
    total = (
        _(
            "K2 total of the items counted (partial: refused items below): {k2} µg. At {ratio} µg K2 per "
            "10,000 IU, this pairs with {d3} of vitamin D3."
        )
        if meal.partial
        else _("K2 total: {k2} µg. At {ratio} µg K2 per 10,000 IU, this pairs with {d3} of vitamin D3.")
    )
    return total.format(
        k2=ug(meal.k2), ratio=fmt_number(meal.ratio_ug_per_10000_iu), d3=iu(meal.pairs_with_d3_iu)
    )


def _d3_verdict(meal: MealResult) -> str | None:
    check = meal.d3_check
    if check is None:
        return None
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


def _target_note(meal: MealResult) -> str | None:
    target = meal.target_check
    if target is None:
        return None
    met = (
        _("Daily K2 target {target} µg: {share} met, {missing} µg missing.")
        if target.missing_ug > 0
        else _("Daily K2 target {target} µg: {share} met.")
    )
    return met.format(target=ug(target.target_ug), share=f"{target.share:.0%}", missing=ug(target.missing_ug))


def _d3_content_note(meal: MealResult) -> str | None:
    if meal.vitamin_d3 is None:
        return None
    return _("Vitamin D3 in these foods: {ug} µg ({iu}).").format(
        ug=f"{meal.vitamin_d3:.2f}", iu=iu(meal.vitamin_d3 * IU_PER_UG_D3)
    )


def _forms_note(meal: MealResult) -> str | None:
    """Said when an item's K2 is a total published without forms (its MK cells are '—')."""
    if any(item.k2 is not None and all(item.forms[f] is None for f in FORMS) for item in meal.items):
        return _("MK columns show published forms only; K2 µg includes totals published without forms.")
    return None


def _footnotes(meal: MealResult, marks: dict[str, list[str]]) -> list[str]:
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
    notes += [fallback_note(text) for text in marks[MARK_FALLBACK]]
    dropped = [w for item in meal.items for w in item.dropped]
    dropped += [w for item in meal.skipped for w in item.dropped]
    if dropped:
        listed = _(", ").join(quoted(w) for w in dict.fromkeys(dropped))  # 「…」
        notes.append(_("Words left out: {words}.").format(words=listed))
    for item in meal.skipped:  # the reason without what was typed (Problem.reason, FoodNotFound)
        notes.append(_("Refused {typed}: {reason}.").format(typed=quoted(item.typed), reason=item.reason))
    return notes


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
