"""The foods that pair with a vitamin D3 dose, as a table and as CSV."""

from __future__ import annotations

from ..domain.figures import fmt_number
from ..domain.results import PairResult
from ..i18n import _
from .cells import DASH, Table, food_label, grams, iu, tag_cell, ug
from .data import to_csv
from .marks import FLAGGED_LEFT_OUT, Evidence


def pair_tables(result: PairResult) -> tuple[list[Table], list[str]]:
    headers = [_("Food"), _("Tag"), _("K2 µg/100 g"), _("Grams needed"), _("Household amount")]
    evidence = Evidence()
    rows = [
        [
            food_label(o.food.shown, o.food.is_custom),
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
