"""The seed files read with the csv module, independently of the program, for expected values."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
FORMS = ("mk4", "mk5", "mk6", "mk7", "mk8", "mk9", "mk10")


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    with (DATA / name).open(encoding="utf-8-sig", newline="") as handle:
        return tuple(csv.DictReader(handle))


def food(name: str) -> dict[str, str]:
    return next(row for row in rows("foods.csv") if row["name"] == name)


def number(cell: str) -> float | None:
    return float(cell) if cell.strip() else None


def k2_per_100g(row: dict[str, str]) -> float:
    """Sum of published forms, else the published total (the rule stated in the README)."""
    forms = [number(row[form]) for form in FORMS]
    known = [value for value in forms if value is not None]
    if known:
        return sum(known)
    total = number(row["total_k2"])
    assert total is not None
    return total


def alias_food(alias: str) -> str:
    return next(row["food"] for row in rows("aliases.csv") if row["alias"] == alias)


def portion_grams(food_name: str, unit: str) -> float:
    row = next(r for r in rows("portions.csv") if r["food"] == food_name and r["unit"] == unit)
    return float(row["grams"]) / float(row["amount"])
