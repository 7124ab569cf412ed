"""A plan from start to end: the K2 needed, the foods that may be used, the amounts, the results."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Connection

from ..domain.figures import check_meal_options, dose_warnings, k2_needed_ug
from ..domain.results import MealResult, split_flags
from ..errors import UsageError
from ..i18n import _
from ..lookup.names import display_names
from .candidates import select_candidates
from .diet import DIETS, UnknownDiet, parse_diets
from .preferences import read_preferences
from .results import Plan, PlanItem, PlanResult
from .solve import Chosen, alternatives

MAX_ITEMS = 10  # foods in one plan
MAX_COUNT = 20  # alternatives


def _need(d3_iu: float | None, target_ug: float | None, ratio: float) -> float:
    if (d3_iu is None) == (target_ug is None):
        raise UsageError(_("a plan needs a D3 dose or a daily K2 target (one of them)"))
    check_meal_options(ratio, d3_iu, target_ug)
    return k2_needed_ug(d3_iu, ratio) if d3_iu is not None else float(target_ug or 0.0)


def _check_sizes(max_items: int, count: int) -> None:
    if not 1 <= max_items <= MAX_ITEMS:
        raise UsageError(
            _("foods per plan must be 1–{limit}, not {value}").format(limit=MAX_ITEMS, value=max_items)
        )
    if not 1 <= count <= MAX_COUNT:
        raise UsageError(_("plans must be 1–{limit}, not {value}").format(limit=MAX_COUNT, value=count))


def diets_of(values: Sequence[str]) -> tuple[str, ...]:
    try:
        return parse_diets(values)
    except UnknownDiet as exc:
        raise UsageError(
            _("unknown diet {value}; diets: {diets}").format(value=repr(str(exc)), diets=_(", ").join(DIETS))
        ) from None


def _item(chosen: Chosen, shown: dict[str, str]) -> PlanItem:
    food, serving = chosen.candidate.food, chosen.candidate.serving
    return PlanItem(
        food=food.name,
        category=food.category,
        tag=food.tag or None,
        main_form=food.main_form,
        is_custom=bool(food.is_custom),
        count=chosen.count,
        unit=serving.unit,
        grams_per_unit=serving.grams,
        grams=chosen.count * serving.grams,
        amount_source=serving.source,
        k2_per_100g=float(food.k2_total),
        k2=chosen.k2,
        fallback=serving.fallback,
        flags=split_flags(food.flags),
        coverage_note=chosen.candidate.coverage_note,
        liked=chosen.candidate.liked,
        display_name=shown.get(food.name, ""),
    )


def make_plan(
    connection: Connection,
    *,
    d3_iu: float | None,
    target_ug: float | None,
    ratio: float,
    eaten: MealResult | None,
    diets: Sequence[str],
    like: Sequence[str],
    avoid: Sequence[str],
    max_items: int,
    count: int,
    include_doubtful: bool,
) -> PlanResult:
    """Up to ``count`` plans for the K2 a dose or a target calls for, less what ``eaten`` gave."""
    needed = _need(d3_iu, target_ug, ratio)
    _check_sizes(max_items, count)
    chosen_diets = diets_of(diets)
    liked, avoided = read_preferences(connection, like), read_preferences(connection, avoid)
    to_plan = max(0.0, needed - (eaten.k2 if eaten is not None else 0.0))
    plans: list[list[Chosen]] = []
    considered, unused = 0, []
    if to_plan > 1e-9:
        selection = select_candidates(
            connection,
            to_plan,
            diets=chosen_diets,
            like=liked,
            avoid=avoided,
            include_doubtful=include_doubtful,
        )
        considered, unused = len(selection.candidates), selection.like_unused
        plans = alternatives(selection.candidates, to_plan, max_items, count)
    shown = display_names(connection, [c.candidate.food.name for plan in plans for c in plan])
    eaten_k2 = eaten.k2 if eaten is not None else 0.0
    return PlanResult(
        k2_needed_ug=needed,
        ratio_ug_per_10000_iu=ratio,
        d3_iu=d3_iu,
        target_ug=target_ug,
        eaten=eaten,
        plans=[Plan([_item(c, shown) for c in plan], to_plan, eaten_k2, ratio) for plan in plans],
        diets=list(chosen_diets),
        like=[p.typed for p in liked],
        avoid=[p.typed for p in avoided],
        max_items=max_items,
        count=count,
        include_doubtful=include_doubtful,
        foods_considered=considered,
        like_unused=unused,
        warnings=dose_warnings(d3_iu),
    )
