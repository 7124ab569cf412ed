"""`d3k2db pair`: how much of the richest foods gives the K2 a vitamin D3 dose calls for."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..domain.figures import (
    DEFAULT_RATIO_UG_PER_10000_IU,
    check_pairing_options,
    dose_warnings,
    fmt_number,
    k2_needed_ug,
)
from ..domain.results import FoodSummary, PairOption, PairResult, PortionView
from ..domain.units import VOLUME_ML
from ..domain.vocabulary import g, word
from ..i18n import _
from ..lookup.search import top_foods
from .amounts import density, portions_of

if TYPE_CHECKING:
    from ..storage.reads import Reader


def household_amount(own: Sequence[PortionView], grams: float) -> str | None:
    """The amount in the household unit whose count is nearest to one ('0.6 × tsp (3.7 g)').

    Besides the food's own portions, a food with a volume portion (a cup of natto) is offered in
    teaspoons and tablespoons through that portion's weight, so small amounts read naturally.
    """
    units_g = {p.unit: p.grams_per_unit for p in own}
    by_volume = density(own)
    if by_volume is not None:
        for unit in ("tsp", "tbsp"):
            units_g.setdefault(unit, VOLUME_ML[unit] * by_volume[0])
    if not units_g:
        return None
    unit, per_unit = min(units_g.items(), key=lambda item: abs(math.log(grams / item[1])))
    return _("{count} × {unit} ({per_unit})").format(
        count=fmt_number(round(grams / per_unit, 2)),
        unit=word(unit),
        per_unit=g(fmt_number(round(per_unit, 1))),
    )


def pair_d3(
    connection: Reader,
    d3_iu: float,
    ratio_ug_per_10000_iu: float = DEFAULT_RATIO_UG_PER_10000_IU,
    *,
    form: str | None = None,
    category: str | None = None,
    limit: int = 10,
    include_flagged: bool = False,
) -> PairResult:
    check_pairing_options(ratio_ug_per_10000_iu, d3_iu)
    needed = k2_needed_ug(d3_iu, ratio_ug_per_10000_iu)
    options = []
    ranked = top_foods(connection, form=form, category=category, limit=limit, include_flagged=include_flagged)
    for food in ranked:
        if not food.k2_total:
            continue
        grams = needed / food.k2_total * 100.0
        options.append(
            PairOption(FoodSummary.of(food), grams, household_amount(portions_of(connection, food.id), grams))
        )
    return PairResult(d3_iu, ratio_ug_per_10000_iu, needed, options, dose_warnings(d3_iu), include_flagged)
