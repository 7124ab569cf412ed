"""From FDC rows to foods: which foods of a download are imported, and each one's values (figures,
category, serving), measurement and household portions, built a batch at a time."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ...domain.evidence import own_measurement
from ...domain.figures import fmt_number
from ...domain.records import FIGURE_NAMES, MAX_LABEL, FoodSpec, Invalid, build_spec
from ...domain.text import not_text
from ...i18n import _
from ..frames import records
from .parse import Tables, portions_by_food

CITATION_PREFIX = "USDA FoodData Central — "  # + the dataset: the citation of its Source
# The data types that are foods. The full download also holds the laboratory samples behind the
# Foundation foods (sub_sample_food, market_acquisition, …): importing them would list one food
# many times, so they are skipped and counted.
DATASETS = {
    "sr_legacy_food": "SR Legacy",
    "foundation_food": "Foundation Foods",
    "survey_fndds_food": "Survey (FNDDS)",
    "branded_food": "Branded Foods",
}
UNDETERMINED_UNIT = "9999"  # measure_unit_id FDC gives SR Legacy and Survey portions
_LEADING_AMOUNT = re.compile(r"^(\d+(?:\.\d+)?)\s+(\S.*)$")


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40].rstrip("_")


def _order(row: dict[str, str]) -> tuple[float, float]:
    """FDC's order of portions: seq_num (none last), then id."""
    seq = _float(row.get("seq_num", ""))
    return (seq if seq is not None else math.inf, _float(row.get("id", "")) or 0.0)


def _measure(row: dict[str, str], units: dict[str, str]) -> tuple[str, float | None] | None:
    """A portion row's unit and amount (None when it names no unit).

    SR Legacy keeps the unit text in ``modifier`` (measure unit 9999: 'cup, chopped', 'large');
    Foundation names a real unit in measure_unit.csv ('cup'), with an optional modifier; Survey
    (FNDDS) writes the whole measure in ``portion_description`` ('1 cup', 'Quantity not
    specified') and keeps a numeric code in ``modifier``.
    """
    amount = _float(row.get("amount", ""))
    amount = amount if amount is not None and amount > 0 else None
    modifier = row.get("modifier", "").strip()
    modifier = "" if modifier.isdigit() else modifier  # FNDDS: a code, not a word
    unit_id = row.get("measure_unit_id", "").strip()
    unit_name = units.get(unit_id, "") if unit_id not in ("", UNDETERMINED_UNIT) else ""
    if unit_name and unit_name.lower() != "undetermined":
        return (f"{unit_name}, {modifier}" if modifier else unit_name), amount
    if modifier:
        return modifier, amount
    description = row.get("portion_description", "").strip()
    match = _LEADING_AMOUNT.match(description)
    if match:  # the description holds the whole measure: '2 slices' → 2 × slices
        return match.group(2), float(match.group(1))
    return (description, amount) if description else None


def _portion(row: dict[str, str], units: dict[str, str], fdc_id: int, citation: str) -> dict[str, Any] | None:
    """One household portion, or None for a row left out: no positive weight, no unit, or a unit
    that does not fit or is not plain text (never cut: records)."""
    grams = _float(row.get("gram_weight", ""))
    measure = _measure(row, units) if grams is not None and grams > 0 else None
    if measure is None:
        return None
    unit, amount = measure
    description = row.get("portion_description", "").strip() or row.get("modifier", "").strip()
    if len(unit) > MAX_LABEL or not_text(unit) or not_text(description):
        return None
    return {
        "unit": unit,
        "amount": amount or 1.0,
        "grams": grams,
        "description": description or None,
        "source": citation,
        "locator": f"fdc_id {fdc_id}, food_portion id {row.get('id', '').strip() or '?'}",
    }


def _portion_list(
    rows: list[dict[str, str]], units: dict[str, str], fdc_id: int, citation: str
) -> list[dict[str, Any]]:
    """Household portions in FDC's order (seq_num, then id), one per unit (see _measure)."""
    portions: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=_order):
        portion = _portion(row, units, fdc_id, citation)
        if portion is not None:
            portions.setdefault(portion["unit"].lower(), portion)
    return list(portions.values())


@dataclass
class Food:
    fdc_id: int
    description: str
    spec: FoodSpec  # the food's values, checked by the rules every writer uses (records.build_spec)
    notes: str | None
    portions: list[dict[str, Any]]
    measurement: dict[str, Any]  # measurements columns but food_id and source_id

    @property
    def citation(self) -> str:
        return self.spec.source

    def values(self, source_id: int) -> dict[str, Any]:
        """The ``foods`` columns but id; the writer replaces name and search_key when the name is taken."""
        return {**self.spec.food_values(source_id), "notes": self.notes, "vitamin_d3_source": None}


def _serving(listed: list[dict[str, Any]]) -> tuple[float, str]:
    """The first household portion as the serving, else 100 g."""
    if not listed:
        return 100.0, "100 g"
    first = listed[0]
    unit = first["unit"]
    label = unit if unit[:1].isdigit() else f"{fmt_number(first['amount'])} {unit}"
    return first["grams"], label


def _build(
    fdc_id: int,
    food: dict[str, str],
    figures: dict[str, float],
    portions: list[dict[str, str]],
    units: dict[str, str],
    categories: dict[str, str],
) -> Food:
    """One FDC food; raises Invalid when a value breaks a rule (records), e.g. an over-long name."""
    citation = CITATION_PREFIX + DATASETS[food["data_type"].strip()]
    description = " ".join(str(food.get("description", "")).split())
    category_id = str(food.get("food_category_id", "")).strip()
    category = _slug(categories.get(category_id, "")) or "fdc"
    values: dict[str, float | None] = dict.fromkeys(FIGURE_NAMES)
    values.update(mk4=figures["mk4"], k1=figures.get("k1"), vitamin_d3=figures.get("vitamin_d3"))
    # Dihydrophylloquinone (K1 made in hydrogenated fats) is neither K1 nor K2: kept as a note.
    dihydro = figures.get("dihydrophylloquinone")
    notes = (
        None if dihydro is None else f"dihydrophylloquinone {fmt_number(dihydro)} µg/100 g (FDC nutrient 429)"
    )
    listed = _portion_list(portions, units, fdc_id, citation)
    serving_g, serving_label = _serving(listed)
    spec = build_spec(
        description or f"FDC {fdc_id}",
        values,
        tag="MK-4",
        category=category,
        serving_g=serving_g,
        serving_label=serving_label,
        source=citation,
        locator=f"fdc_id {fdc_id}",
        is_custom=True,
    )
    return Food(
        fdc_id=fdc_id,
        description=description,
        spec=spec,
        notes=notes,
        portions=listed,
        measurement={
            "locator": f"fdc_id {fdc_id}",
            "source_food_name": description,
            "basis": None,
            "notes": notes,
            **spec.figures,
            **own_measurement(spec.figures),
        },
    )


def _figures_of(row: Any, fields: list[str]) -> dict[str, float]:
    return {f: float(v) for f, v in zip(fields, row, strict=True) if not math.isnan(v)}


def importable(tables: Tables) -> tuple[pd.Index, list[str]]:
    """The fdc_ids to import (sorted), and why the other foods with MK-4 are left out."""
    figures, foods = tables.figures, tables.foods
    skipped: list[str] = []
    missing = figures.index.difference(foods.index)
    if len(missing):
        skipped.append(
            _("{count} fdc_id(s) with MK-4 but not in food.csv (e.g. {example})").format(
                count=len(missing), example=missing[0]
            )
        )
    data_types = foods["data_type"].str.strip()
    other_types = data_types[~data_types.isin(list(DATASETS))].replace("", "(none)").value_counts()
    for data_type, count in sorted(other_types.items()):
        skipped.append(
            _("{count} food(s) of data type {kind} (samples behind other foods, not foods)").format(
                count=count, kind=data_type
            )
        )
    return foods.index[data_types.isin(list(DATASETS)).to_numpy()].sort_values(), skipped


def batch(tables: Tables, ids: pd.Index, skipped: list[str]) -> list[Food]:
    """The foods of ``ids`` (sorted fdc_ids, all importable), built from the tables; a food whose
    values break a rule is left out and said in ``skipped`` (never cut to fit)."""
    fields = list(tables.figures.columns)
    food_rows = records(tables.foods.loc[ids].reset_index())
    figure_rows = tables.figures.loc[ids].itertuples(index=False, name=None)
    portion_rows = portions_by_food(tables.portions, int(ids[0]), int(ids[-1]))
    foods: list[Food] = []
    for row, figure_row in zip(food_rows, figure_rows, strict=True):
        fdc_id = int(row["_fdc"])
        try:
            foods.append(
                _build(
                    fdc_id,
                    row,
                    _figures_of(figure_row, fields),
                    portion_rows.get(fdc_id, []),
                    tables.units,
                    tables.categories,
                )
            )
        except Invalid as error:
            skipped.append(f"fdc_id {fdc_id}: {error.column} {error.problem}")
    return foods
