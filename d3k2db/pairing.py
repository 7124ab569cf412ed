"""`d3k2db pair`: how much of the richest foods gives the K2 a vitamin D3 dose calls for."""

from __future__ import annotations

import math

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .figures import DEFAULT_RATIO_UG_PER_10000_IU, fmt_number, k2_needed_ug, require_positive
from .models import Food, Portion
from .results import FoodSummary, PairOption, PairResult
from .search import top_foods


def household_amount(food: Food, grams: float) -> str | None:
    """The amount in the food's own portion whose count is nearest to one ('0.6 × 1 cup (175 g)')."""
    portions: list[Portion] = list(food.portions)
    if not portions:
        return None
    best = min(portions, key=lambda p: abs(math.log(grams / p.grams_per_unit)))
    count = grams / best.grams_per_unit
    return f"{fmt_number(round(count, 2))} × {best.unit} ({fmt_number(round(best.grams_per_unit, 1))} g)"


def pair_d3(
    session: Session,
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
    foods = [f for f in top_foods(session, form=form, category=category, limit=limit) if f.k2_total]
    # every listed food's portions in one query
    session.execute(
        select(Food).where(Food.id.in_([f.id for f in foods])).options(selectinload(Food.portions))
    )
    options = []
    for food in foods:
        grams = needed / food.k2_total * 100.0  # type: ignore[operator]
        options.append(PairOption(FoodSummary.of(food), grams, household_amount(food, grams)))
    return PairResult(d3_iu, ratio_ug_per_10000_iu, needed, options)
