"""Unit spellings and conversions (d3k2db.domain.units)."""

from __future__ import annotations

import math

import pytest

from d3k2db.domain.units import (
    EGG_SIZES,
    HOUSEHOLD_UNITS,
    MASS_G,
    VOLUME_ML,
    canonical_unit,
    is_mass,
    is_volume,
    portion_unit_matches,
    to_grams,
    to_millilitres,
)

SPELLINGS: dict[str, list[str]] = {
    "g": ["g", "G", "gram", "grams", "Grams", "gramme", "grammes", "gr", "gm", "g.", "克"],
    "kg": ["kg", "KG", "kilo", "kilos", "kilogram", "kilograms", "kgs", "公斤"],
    "mg": ["mg", "milligram", "milligrams", "MG"],
    "oz": ["oz", "oz.", "ounce", "ounces", "OZ"],
    "lb": ["lb", "lbs", "pound", "pounds", "LB"],
    "tsp": ["tsp", "tsps", "teaspoon", "teaspoons", "Tsp", "tsp."],
    "tbsp": [
        "tbsp",
        "Tbsp",
        "TBSP",
        "tbs",
        "tbl",
        "tablespoon",
        "tablespoons",
        "tbsp.",
        "湯匙",
        "汤匙",
        "cuillère à soupe",
        "eetlepel",
        "eetlepels",
    ],
    "cup": ["cup", "cups", "Cup", "杯", "tasse", "kopje"],
    "ml": ["ml", "mL", "ML", "millilitre", "millilitres", "milliliter", "milliliters"],
    "l": ["l", "L", "litre", "litres", "liter", "liters"],
    "dl": ["dl", "dL", "decilitre", "deciliters"],
    "fl oz": ["fl oz", "fl. oz.", "FL OZ", "fl  oz", "fluid ounce", "fluid ounces", "floz"],
    "slice": ["slice", "slices", "Slices", "片", "tranche", "tranches", "plak", "plakjes", "snee"],
    "piece": ["piece", "pieces", "pc", "pcs"],
    "clove": ["clove", "cloves"],
    "pat": ["pat", "pats"],
    "serving": ["serving", "servings", "portion", "portions"],
    "stick": ["stick", "sticks"],
    "wedge": ["wedge", "wedges"],
    "cube": ["cube", "cubes"],
    "yolk": ["yolk", "yolks"],
    "small": ["small", "Small"],
    "medium": ["medium", "MEDIUM"],
    "large": ["large", "Large"],
    "extra large": ["extra large", "extra-large", "Extra Large", "XL"],
    "jumbo": ["jumbo"],
    "pint": ["pint", "pints"],
    "link": ["link", "links"],
    "fillet": ["fillet", "fillets", "filet"],
    # issue 19: a tub, pot or container of yogurt is its package (SR28's 'container' is the package),
    # and 盒裝 (boxed), carton, strip and rasher are read too
    "package": [
        *["pack", "packs", "packet", "packets", "package", "pkg", "盒", "包", "盒裝", "paquet", "pakje"],
        *["tub", "tubs", "pot", "container", "bakje", "carton"],
    ],
    "bottle": ["bottle", "bottles", "瓶"],
    "block": ["block", "blocks"],
    "can": ["can", "cans", "tin", "blik"],
    "jar": ["jar", "jars"],
    "glass": ["glass", "glasses", "verre", "glas", "glazen"],
    "bowl": ["bowl", "bowls", "碗", "bol", "kom"],
    "mug": ["mug", "mugs", "beker", "mok"],
    "handful": ["handful", "handfuls", "handvol"],
}

SPELLINGS["slice"] += ["strip", "strips", "rasher", "rashers"]  # issue 19: bacon

CASES = [(spelling, unit) for unit, spellings in SPELLINGS.items() for spelling in spellings]


@pytest.mark.parametrize(("spelling", "unit"), CASES)
def test_canonical_unit_spellings(spelling: str, unit: str) -> None:
    assert canonical_unit(spelling) == unit


@pytest.mark.parametrize(
    "word",
    # "t" and "c" are ambiguous abbreviations; the rest are not units at all.
    [
        "t",
        "T",
        "c",
        "C",
        "",
        " ",
        "egg",
        "eggs",
        "whole",
        "bucket",
        "buckets",
        "x",
        "of",
        "2",
        "butter",
        "x-large",
    ],
)
def test_non_units_are_none(word: str) -> None:
    assert canonical_unit(word) is None


def test_canonical_unit_rejects_non_text() -> None:
    assert canonical_unit(None) is None  # type: ignore[arg-type]
    assert canonical_unit(3) is None  # type: ignore[arg-type]


def test_canonical_units_are_their_own_canonical_form() -> None:
    every = [*MASS_G, *VOLUME_ML, *HOUSEHOLD_UNITS, *EGG_SIZES]
    for unit in every:
        assert canonical_unit(unit) == unit
    assert set(SPELLINGS) == set(every)


def test_mass_table() -> None:
    assert MASS_G == {"g": 1.0, "kg": 1000.0, "mg": 0.001, "oz": 28.349523125, "lb": 453.59237}


def test_volume_table() -> None:
    assert VOLUME_ML == {
        "tsp": 4.92892159375,
        "tbsp": 14.78676478125,
        "cup": 236.5882365,
        "fl oz": 29.5735295625,
        "pint": 473.176473,
        "ml": 1.0,
        "l": 1000.0,
        "dl": 100.0,
    }


@pytest.mark.parametrize(
    ("big", "count", "small", "table"),
    [
        ("lb", 16, "oz", MASS_G),
        ("kg", 1000, "g", MASS_G),
        ("g", 1000, "mg", MASS_G),
        ("tbsp", 3, "tsp", VOLUME_ML),
        ("fl oz", 2, "tbsp", VOLUME_ML),
        ("cup", 8, "fl oz", VOLUME_ML),
        ("cup", 16, "tbsp", VOLUME_ML),
        ("cup", 48, "tsp", VOLUME_ML),
        ("pint", 2, "cup", VOLUME_ML),
        ("l", 10, "dl", VOLUME_ML),
        ("dl", 100, "ml", VOLUME_ML),
    ],
)
def test_unit_relations(big: str, count: int, small: str, table: dict[str, float]) -> None:
    assert math.isclose(table[big], count * table[small], rel_tol=1e-12)


def test_conversions() -> None:
    assert to_grams(2, "oz") == pytest.approx(56.69904625)
    assert to_grams(1.5, "kg") == pytest.approx(1500)
    assert to_grams(1, "pounds") == pytest.approx(453.59237)
    assert to_grams(1, "tbsp") is None
    assert to_grams(1, "slice") is None
    assert to_millilitres(2, "tbsp") == pytest.approx(29.5735295625)
    assert to_millilitres(1, "cups") == pytest.approx(236.5882365)
    assert to_millilitres(0.5, "l") == pytest.approx(500)
    assert to_millilitres(1, "g") is None
    assert to_millilitres(1, "bowl") is None  # a bowl has no published volume: per food only


def test_is_mass_and_is_volume_take_canonical_units() -> None:
    assert all(is_mass(unit) for unit in MASS_G)
    assert all(is_volume(unit) for unit in VOLUME_ML)
    assert not any(is_volume(unit) for unit in MASS_G)
    assert not any(is_mass(unit) for unit in VOLUME_ML)
    for unit in [*HOUSEHOLD_UNITS, *EGG_SIZES, "bowl", ""]:
        assert not is_mass(unit)
        assert not is_volume(unit)
    assert not is_mass(None)
    assert not is_volume(None)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("pat", "pat"),
        ("tbsp", "tbsp"),
        ("tbsp", "Tablespoon"),
        ("cup", "cup"),
        ("cup", "cups"),
        ("cup", "cup, chopped"),
        ("stick", "stick"),
        ("large", "large"),
        ("medium", "Medium"),
        ("extra large", "extra large"),
        ("extra large", "extra-large"),
        ("slice", "slice"),
        ("slice", "slice (1 oz)"),
        ("large", "1 large"),
        ("cup", "1/2 cup"),
        ("oz", "oz"),
        ("oz", "ounce"),
        ("piece", "piece"),
        ("wedge", "wedge"),
        ("yolk", "yolk"),
        ("serving", "serving"),
        ("serving", "portion"),
        ("fl oz", "fl oz"),
        ("bowl", "bowl"),
    ],
)
def test_portion_unit_matches(typed: str, stored: str) -> None:
    assert portion_unit_matches(typed, stored)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("large", "medium"),
        ("large", "extra large"),
        ("extra large", "large"),
        ("small", "large"),
        ("tbsp", "tsp"),
        ("cup", "pat"),
        ("slice", "stick"),
        ("oz", "fl oz"),
        ("fl oz", "oz"),
        ("yolk", "large"),
        ("serving", "slice"),
        ("pat", ""),
        ("", ""),
        ("bowl", "cup"),
    ],
)
def test_portion_unit_does_not_match(typed: str, stored: str) -> None:
    assert not portion_unit_matches(typed, stored)
