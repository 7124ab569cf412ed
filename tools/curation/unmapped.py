#!/usr/bin/env python3
"""List the research rows with a K2 figure that tools/curation/ neither maps nor excludes.

    python tools/curation/unmapped.py [OUT.csv]

One line per row: its source code, locator and name (the keys measurements.csv and excluded.csv use),
the figures, and a rough food group (from the table's own category or food group) to split the work.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import build_data as b

SR28_GROUPS = {
    "Dairy and Egg Products": "dairy_egg_fat",
    "Fats and Oils": "dairy_egg_fat",
    "Pork Products": "meat",
    "Beef Products": "meat",
    "Lamb, Veal, and Game Products": "meat",
    "Poultry Products": "meat",
    "Sausages and Luncheon Meats": "meat",
    "Finfish and Shellfish Products": "fish_plant_drink",
    "Vegetables and Vegetable Products": "fish_plant_drink",
    "Fruits and Fruit Juices": "fish_plant_drink",
    "Cereal Grains and Pasta": "fish_plant_drink",
    "Nut and Seed Products": "fish_plant_drink",
    "Legumes and Legume Products": "fish_plant_drink",
    "Spices and Herbs": "fish_plant_drink",
    "Beverages": "fish_plant_drink",
    "Breakfast Cereals": "fish_plant_drink",
}
NATIONAL_GROUPS = {
    "dairy": "dairy_egg_fat",
    "cheese": "dairy_egg_fat",
    "egg": "dairy_egg_fat",
    "fat": "dairy_egg_fat",
    "meat": "meat",
    "poultry": "meat",
    "organ": "meat",
    "fish": "fish_plant_drink",
    "fermented_vegetable": "dishes_other",
    "fermented_soy": "dishes_other",
    "fast_food": "dishes_other",
}


def group_of(row: dict, national_category: dict) -> str:
    if row["code"] == "SR28":
        food_group = re.search(r"USDA food group: (.*)$", row["notes"])
        return SR28_GROUPS.get(food_group.group(1) if food_group else "", "dishes_other")
    category = national_category.get((row["source"], row["locator"], row["source_food_name"]), "")
    if category in NATIONAL_GROUPS:
        return NATIONAL_GROUPS[category]
    text = (row["notes"] + " " + row["source_food_name"]).lower()
    if re.search(r"categor(y|ies): (dairy|cheese|egg|fats?)|food category: dairy", text):
        return "dairy_egg_fat"
    if re.search(r"categor(y|ies): (meat|poultry|sausage)", text):
        return "meat"
    plants = "fish|seafood|vegetable|fruit|grain|cereal|nut|legume|drink|beverage"
    if re.search(rf"categor(y|ies): ({plants})", text):
        return "fish_plant_drink"
    groups = "vegetables|fruit|potatoes|cereal|nuts|legumes|non-alcoholic|alcoholic|bread"
    if re.search(rf"food group: ({groups})", text):
        return "fish_plant_drink"
    if re.search(r"food group: (milk|cheese|eggs|fats)", text):
        return "dairy_egg_fat"
    if re.search(r"food group: (meat|fish)", text):
        return "meat" if "meat" in text.split("food group:")[1][:20] else "fish_plant_drink"
    return "dishes_other"


def main(argv: list[str]) -> int:
    research = (b.REPO.parent / "shared" / "research").resolve()
    rows = b.load_research(research)
    national = list(csv.DictReader((research / "k2_national_tables.csv").open(encoding="utf-8")))
    national_category = {(r["source"], r["locator"], r["source_food_name"]): r["category"] for r in national}
    taken: set[int] = set()
    for name in ("measurements.csv", "excluded.csv"):
        for m in b.read_csv(b.CURATION / name):
            taken |= {id(r) for r in b.match_rows(rows, m["src"], m["locator"], m["source_food_name"])}
    with open(argv[1] if len(argv) > 1 else "/dev/stdout", "w", encoding="utf-8", newline="") as out:
        write_rows(csv.writer(out, lineterminator="\n"), rows, taken, national_category)
    return 0


def write_rows(writer, rows: list[dict], taken: set[int], national_category: dict) -> None:
    header = ["group", "src", "locator", "source_food_name", "research_food", "basis", "k2", "forms"]
    writer.writerow([*header, "notes"])
    for r in rows:
        if r["k2"] is None or id(r) in taken:
            continue
        forms = " ".join(f"{f}={r[f]}" for f in [*b.FORMS, "total_k2"] if r[f] != "")
        writer.writerow(
            [
                group_of(r, national_category),
                r["code"],
                r["locator"],
                r["source_food_name"],
                r["research_food"],
                r["basis"],
                b.fmt(round(r["k2"], 6)),
                forms,
                r["notes"][:300],
            ]
        )


if __name__ == "__main__":
    sys.exit(main(sys.argv))
