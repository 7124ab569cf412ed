"""`d3k2db pair`: how much of the richest foods gives the K2 a vitamin D3 dose calls for."""

from __future__ import annotations

import math
from collections.abc import Sequence

from sqlalchemy.engine import Connection

from .figures import DEFAULT_RATIO_UG_PER_10000_IU, fmt_number, k2_needed_ug, require_positive
from .meal import portions_of
from .results import FoodSummary, PairOption, PairResult, PortionView
from .search import top_foods


def household_amount(own: Sequence[PortionView], grams: float) -> str | None:
    """The amount in the food's own portion whose count is nearest to one ('0.6 × 1 cup (175 g)')."""
    if not own:
        return None
    best = min(own, key=lambda p: abs(math.log(grams / p.grams_per_unit)))
    count = grams / best.grams_per_unit
    return f"{fmt_number(round(count, 2))} × {best.unit} ({fmt_number(round(best.grams_per_unit, 1))} g)"


def pair_d3(
    connection: Connection,
    d3_iu: float,
    ratio_ug_per_10000_iu: float = DEFAULT_RATIO_UG_PER_10000_IU,
    *,
    form: str | None = None,
    category: str | None = None,
    limit: int = 10,
) -> PairResult:
    require_positive("--d3", d3_iu)
    require_positive("--ratio", ratio_ug_per_10000_iu)
    needed = k2_needed_ug(d3_iu, ratio_ug_per_10000_iu)
    options = []
    for food in top_foods(connection, form=form, category=category, limit=limit):
        if not food.k2_total:
            continue
        grams = needed / food.k2_total * 100.0
        options.append(
            PairOption(FoodSummary.of(food), grams, household_amount(portions_of(connection, food.id), grams))
        )
    return PairResult(d3_iu, ratio_ug_per_10000_iu, needed, options)
