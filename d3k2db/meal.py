"""A meal: parse the phrase, find each food, turn each amount into grams and grams into µg.

Every problem (unknown food, unknown unit, unparseable item) is collected and raised together,
so a user fixes a meal in one go and never sees a partial total.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from sqlalchemy import Row, select
from sqlalchemy.engine import Connection

from . import units
from .errors import FoodNotFound, MealError, UnknownUnit
from .figures import (
    DEFAULT_RATIO_UG_PER_10000_IU,
    d3_pairing_iu,
    fmt_number,
    k2_needed_ug,
    k2_total,
    require_positive,
    scale,
)
from .meal_parser import ItemSpec, parse_meal_with_problems
from .results import D3Check, MealItem, MealResult, PortionView, TargetCheck
from .search import resolve_food
from .tables import FORMS, aliases, foods, measurements, portions
from .text import search_key


def _food_checker(connection: Connection):  # type: ignore[no-untyped-def]
    @lru_cache(maxsize=512)
    def is_food(phrase: str) -> bool:
        key = search_key(phrase)
        if not key:
            return False
        statement = (
            select(foods.c.id)
            .where(foods.c.search_key == key)
            .union_all(select(aliases.c.food_id).where(aliases.c.search_key == key))
        )
        return connection.execute(statement.limit(1)).first() is not None

    return is_food


def portions_of(connection: Connection, food_id: int) -> list[PortionView]:
    rows = connection.execute(select(portions).where(portions.c.food_id == food_id).order_by(portions.c.id))
    return [PortionView(p.unit, p.amount, p.grams, p.description, p.source, p.locator) for p in rows]


def _unit_label(label: str) -> str:
    """'1 large' → 'large': the serving as a unit, for '2 × large (50 g)'."""
    return label[2:] if label.startswith("1 ") else label


def grams_for(food: Row, own: Sequence[PortionView], spec: ItemSpec) -> tuple[float, str]:
    """The grams ``spec`` means for ``food`` (with its portions ``own``) and how it was understood."""
    quantity = spec.quantity if spec.quantity is not None else 1.0
    count = fmt_number(quantity)
    unit = spec.unit
    if unit is None or unit == "serving":
        grams = quantity * food.serving_g
        how = f"{count} × {_unit_label(food.serving_label)} ({fmt_number(food.serving_g)} g)"
    elif units.is_mass(unit):
        grams = quantity * units.MASS_G[unit]
        how = f"{count} {unit}"
    else:
        portion = _portion(own, unit)
        if portion is not None:
            grams = quantity * portion.grams_per_unit
            how = f"{count} × {portion.unit} ({fmt_number(portion.grams_per_unit)} g)"
        elif units.is_volume(unit) and (by_volume := density(own)) is not None:
            grams_per_ml, via = by_volume
            grams = quantity * units.VOLUME_ML[unit] * grams_per_ml
            how = f"{count} {unit} (by the {via} weight)"
        else:
            raise UnknownUnit(f"{food.name} has no weight for '{unit}'; its units: {_unit_list(own)}")
    if unit == "g":
        return grams, f"{spec.text} → {how}"
    return grams, f"{spec.text} → {how} = {fmt_number(round(grams, 1))} g"


def _portion(own: Sequence[PortionView], unit: str) -> PortionView | None:
    for portion in own:
        if units.portion_unit_matches(unit, portion.unit):
            return portion
    return None


def density(own: Sequence[PortionView]) -> tuple[float, str] | None:
    """Grams per millilitre from the food's own volume portion (cup, tbsp…), if it has one."""
    for portion in own:
        unit = units.canonical_unit(portion.unit)
        if unit is not None and units.is_volume(unit):
            return portion.grams_per_unit / units.VOLUME_ML[unit], portion.unit
    return None


def _unit_list(own: Sequence[PortionView]) -> str:
    listed = [f"{p.unit} ({fmt_number(p.grams_per_unit)} g)" for p in own]
    volume = ["tsp", "tbsp", "cup", "ml", "l"] if density(own) else []
    return ", ".join(
        [*listed, *(u for u in volume if not _portion(own, u)), "serving", "g", "kg", "oz", "lb"]
    )


def measurement_totals(connection: Connection, food_ids: Sequence[int]) -> dict[int, list[float]]:
    """Each food's measured K2 totals (µg/100 g), for the lowest–highest range."""
    columns = [measurements.c[f] for f in (*FORMS, "total_k2_published")]
    totals: dict[int, list[float]] = {food_id: [] for food_id in food_ids}
    rows = connection.execute(
        select(measurements.c.food_id, *columns).where(measurements.c.food_id.in_(list(food_ids)))
    )
    for row in rows:
        total = k2_total(row._mapping)
        if total is not None:
            totals[row.food_id].append(total)
    return totals


def _item(food: Row, totals: list[float], spec_texts: list[str], grams: float, how: list[str]) -> MealItem:
    forms = {form: scale(getattr(food, form), grams) for form in FORMS}
    k2_range = (scale(min(totals), grams), scale(max(totals), grams)) if len(totals) > 1 else None
    return MealItem(
        typed=", ".join(spec_texts),
        food=food.name,
        tag=food.tag,
        is_custom=bool(food.is_custom),
        grams=grams,
        interpretation="; ".join(how),
        forms=forms,
        k2=scale(food.k2_total, grams),
        k2_range=k2_range,  # type: ignore[arg-type]
        k1=scale(food.k1, grams),
        vitamin_d3=scale(food.vitamin_d3, grams),
    )


def _sum(values: Sequence[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def compute_meal(
    connection: Connection,
    words: Sequence[str],
    ratio_ug_per_10000_iu: float = DEFAULT_RATIO_UG_PER_10000_IU,
    *,
    d3_iu: float | None = None,
    target_ug: float | None = None,
) -> MealResult:
    """Parse ``words`` (shell words or one phrase) and add up the K2 of every item.

    With ``d3_iu``, also check whether the K2 covers that D3 dose at the ratio; with ``target_ug``,
    how much of a daily K2 target the meal meets.
    """
    require_positive("--ratio", ratio_ug_per_10000_iu)
    if d3_iu is not None:
        require_positive("--d3", d3_iu)
    if target_ug is not None:
        require_positive("--target", target_ug)
    # Parse problems and lookup problems are reported together, so one run shows every mistake.
    specs, parse_problems = parse_meal_with_problems(words, _food_checker(connection))
    problems: list[str] = list(parse_problems)
    unknown_food = False
    # Repeated foods are combined into one row, in the order first named.
    combined: dict[int, tuple[Row, list[str], float, list[str]]] = {}
    own_portions: dict[int, list[PortionView]] = {}
    for spec in specs:
        try:
            food = resolve_food(connection, spec.food)
            if food.id not in own_portions:
                own_portions[food.id] = portions_of(connection, food.id)
            grams, how = grams_for(food, own_portions[food.id], spec)
        except FoodNotFound as exc:
            problems.append(str(exc))
            unknown_food = True
            continue
        except UnknownUnit as exc:
            problems.append(f"'{spec.text}': {exc}")
            continue
        if food.id in combined:
            _, texts, total, hows = combined[food.id]
            combined[food.id] = (food, [*texts, spec.text], total + grams, [*hows, how])
        else:
            combined[food.id] = (food, [spec.text], grams, [how])
    if problems:
        raise MealError(problems, unknown_food=unknown_food)

    totals = measurement_totals(connection, list(combined))
    items = [
        _item(food, totals[food.id], texts, grams, hows) for food, texts, grams, hows in combined.values()
    ]
    k2 = sum(item.k2 or 0.0 for item in items)
    return MealResult(
        items=items,
        forms={form: _sum([item.forms[form] for item in items]) for form in FORMS},
        k2=k2,
        vitamin_d3=_sum([item.vitamin_d3 for item in items]),
        ratio_ug_per_10000_iu=ratio_ug_per_10000_iu,
        pairs_with_d3_iu=d3_pairing_iu(k2, ratio_ug_per_10000_iu),
        d3_check=None if d3_iu is None else D3Check(d3_iu, k2_needed_ug(d3_iu, ratio_ug_per_10000_iu), k2),
        target_check=None if target_ug is None else TargetCheck(target_ug, k2),
    )
