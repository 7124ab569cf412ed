"""FDC household portions, row by row: which unit each dataset's layout names, which rows are left
out, and the order and uniqueness of what is kept (d3k2db.exchange.fdc.build._portion_list)."""

from __future__ import annotations

import pytest

from d3k2db.exchange.fdc.build import UNDETERMINED_UNIT, _portion_list

UNITS = {"1000": "cup", "1001": "tbsp", "1002": "undetermined"}
CITATION = "USDA FoodData Central — test"


def row(**cells: str) -> dict[str, str]:
    base = {"id": "1", "seq_num": "1", "amount": "1", "gram_weight": "10", "modifier": ""}
    base.update({"measure_unit_id": UNDETERMINED_UNIT, "portion_description": ""})
    return {**base, **cells}


@pytest.mark.parametrize(
    ("cells", "unit", "amount", "description"),
    [
        # SR Legacy: measure unit 9999, the unit text in modifier
        ({"modifier": "cup, chopped"}, "cup, chopped", 1.0, "cup, chopped"),
        # Foundation: a real unit, with its modifier
        ({"measure_unit_id": "1000", "modifier": "sliced", "amount": "0.5"}, "cup, sliced", 0.5, "sliced"),
        ({"measure_unit_id": "1001"}, "tbsp", 1.0, None),
        # a unit FDC names 'undetermined' is no unit: the modifier is
        ({"measure_unit_id": "1002", "modifier": "large"}, "large", 1.0, "large"),
        # Survey (FNDDS): a numeric code in modifier, the measure in the description
        ({"modifier": "10205", "portion_description": "2 slices"}, "slices", 2.0, "2 slices"),
        (
            {"modifier": "10205", "portion_description": "Quantity not specified"},
            "Quantity not specified",
            1.0,
            "Quantity not specified",
        ),
        # no amount, or not a positive one: one of the unit
        ({"modifier": "large", "amount": ""}, "large", 1.0, "large"),
        ({"modifier": "large", "amount": "-2"}, "large", 1.0, "large"),
    ],
)
def test_each_layout_names_its_unit(
    cells: dict[str, str], unit: str, amount: float, description: str | None
) -> None:
    [portion] = _portion_list([row(**cells)], UNITS, 7, CITATION)
    assert (portion["unit"], portion["amount"], portion["description"]) == (unit, amount, description)
    assert portion["grams"] == 10.0 and portion["source"] == CITATION
    assert portion["locator"] == "fdc_id 7, food_portion id 1"


@pytest.mark.parametrize(
    "cells",
    [
        {"modifier": "large", "gram_weight": "0"},  # no weight
        {"modifier": "large", "gram_weight": "nan"},
        {"modifier": "large", "gram_weight": ""},
        {"modifier": "123"},  # a code and no description: no unit at all
        {"modifier": "x" * 400},  # a unit longer than a label may be is left out, never cut
        {"modifier": "large\x1b[2J"},  # not plain text
    ],
)
def test_rows_without_a_usable_unit_or_weight_are_left_out(cells: dict[str, str]) -> None:
    assert _portion_list([row(**cells)], UNITS, 7, CITATION) == []


def test_portions_keep_fdc_order_and_one_per_unit() -> None:
    rows = [
        row(id="3", seq_num="2", modifier="slice", gram_weight="20"),
        row(id="4", seq_num="", modifier="pat", gram_weight="5"),  # no seq_num: last
        row(id="2", seq_num="1", modifier="Large", gram_weight="50"),
        row(id="1", seq_num="1", modifier="large", gram_weight="0"),  # left out: it does not take the unit
        row(id="5", seq_num="3", modifier="LARGE", gram_weight="60"),  # a unit already listed
    ]
    listed = _portion_list(rows, UNITS, 7, CITATION)
    assert [(p["unit"], p["grams"]) for p in listed] == [("Large", 50.0), ("slice", 20.0), ("pat", 5.0)]
