"""Small USDA FoodData Central downloads in FDC's exact CSV layout, for tests and measurements.

FDC's files have these headers and quote every field, empty ones too ("" ); the three variants
differ where FDC's datasets differ: SR Legacy keeps a portion's unit in ``modifier`` (measure unit
9999), Foundation names real units from measure_unit.csv, Survey (FNDDS) writes the whole measure
in ``portion_description`` and a numeric code in ``modifier``. The figures are made up for tests;
they are not FDC's.
"""

from __future__ import annotations

import csv
import random
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HEADERS: dict[str, tuple[str, ...]] = {
    "food.csv": ("fdc_id", "data_type", "description", "food_category_id", "publication_date"),
    "nutrient.csv": ("id", "name", "unit_name", "nutrient_nbr", "rank"),
    "food_nutrient.csv": (
        "id",
        "fdc_id",
        "nutrient_id",
        "amount",
        "data_points",
        "derivation_id",
        "min",
        "max",
        "median",
        "footnote",
        "min_year_acquired",
    ),
    "food_portion.csv": (
        "id",
        "fdc_id",
        "seq_num",
        "amount",
        "measure_unit_id",
        "portion_description",
        "modifier",
        "gram_weight",
        "data_points",
        "footnote",
        "min_year_acquired",
    ),
    "measure_unit.csv": ("id", "name"),
    "food_category.csv": ("id", "code", "description"),
    "wweia_food_category.csv": ("wweia_food_category", "wweia_food_category_description"),
}

MK4, DIHYDRO, K1, D3, ENERGY, PROTEIN = 1183, 1184, 1185, 1112, 1008, 1003
NUTRIENTS = [
    (MK4, "Menaquinone-4", "UG", "428", "8950.0"),
    (DIHYDRO, "Dihydrophylloquinone", "UG", "429", "8900.0"),
    (K1, "Vitamin K (phylloquinone)", "UG", "430", "8800.0"),
    (D3, "Vitamin D3 (cholecalciferol)", "UG", "326", "8710.0"),
    (ENERGY, "Energy", "KCAL", "208", "300.0"),
    (PROTEIN, "Protein", "G", "203", "600.0"),
]
MEASURE_UNITS = [("1000", "cup"), ("1001", "tablespoon"), ("1002", "teaspoon"), ("9999", "undetermined")]
CATEGORIES = [
    ("1", "0100", "Dairy and Egg Products"),
    ("4", "0400", "Fats and Oils"),
    ("5", "0500", "Poultry Products"),
    ("11", "1100", "Vegetables and Vegetable Products"),
    ("16", "1600", "Legumes and Legume Products"),
]


@dataclass
class FdcFood:
    fdc_id: int
    data_type: str
    description: str
    category: str
    nutrients: dict[int, float | str]
    # (seq_num, amount, measure_unit_id, portion_description, modifier, gram_weight)
    portions: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)


SR_LEGACY = [
    FdcFood(
        171287,
        "sr_legacy_food",
        "Egg, whole, raw, fresh",
        "1",
        {MK4: 5.6, DIHYDRO: 0.1, K1: 0.3, D3: 2.0, ENERGY: 143, PROTEIN: 12.56},
        [
            ("1", "1.0", "9999", "", "large", "50.0"),
            ("2", "1.0", "9999", "", "extra large", "56.0"),
            ("3", "1.0", "9999", "", "cup (4.86 large eggs)", "243.0"),
            ("4", "1.0", "9999", "", "medium", "44.0"),
        ],
    ),
    FdcFood(
        173410,
        "sr_legacy_food",
        "Butter, salted",
        "4",
        {MK4: 15.0, K1: 7.0, ENERGY: 717},
        [
            ("1", "1.0", "9999", "", 'pat (1" sq, 1/3" high)', "5.0"),
            ("2", "1.0", "9999", "", "tbsp", "14.2"),
            ("3", "1.0", "9999", "", "cup", "227.0"),
        ],
    ),
    # 'Natto' is also a seed food: imported as 'Natto (FDC 172443)'.
    FdcFood(
        172443,
        "sr_legacy_food",
        "Natto",
        "16",
        {MK4: 0.0, K1: 23.1},
        [("1", "1.0", "9999", "", "cup", "175.0")],
    ),
    FdcFood(
        171060,
        "sr_legacy_food",
        "Chicken, broilers or fryers, liver, all classes, raw",
        "5",
        {MK4: 14.1, K1: 0.0, D3: 0.0, PROTEIN: 16.92},
        [("1", "1.0", "9999", "", "liver", "44.0"), ("2", "1.0", "9999", "", "oz", "28.35")],
    ),
    # No MK-4: left out.
    FdcFood(
        168462,
        "sr_legacy_food",
        "Spinach, raw",
        "11",
        {K1: 482.9, ENERGY: 23},
        [("1", "1.0", "9999", "", "cup", "30.0")],
    ),
]

FOUNDATION = [
    FdcFood(
        748967,
        "foundation_food",
        "Eggs, Grade A, Large, egg whole",
        "1",
        {MK4: 7.2, K1: 0.2, D3: 2.5, ENERGY: 148},
        [
            ("1", "1.0", "1000", "", "", "243.0"),
            ("2", "1.0", "1001", "", "beaten", "15.2"),
            ("3", "1.0", "9999", "1 large egg", "", "50.3"),
        ],
    ),
    # A laboratory sample behind the food above: skipped even though it has MK-4.
    FdcFood(749420, "sub_sample_food", "Eggs, Grade A, Large, egg whole", "1", {MK4: 6.9}),
    FdcFood(1750339, "foundation_food", "Cheese, cheddar", "1", {MK4: 8.0, K1: 1.9}),
    FdcFood(2346404, "foundation_food", "Broccoli, raw", "11", {K1: 101.6}),
]

SURVEY = [
    FdcFood(
        2705385,
        "survey_fndds_food",
        "Cheese, Gouda",
        "1008",
        {MK4: 5.1, K1: 2.3, D3: 0.1},
        [
            ("1", "", "9999", "1 slice", "10205", "28.0"),
            ("2", "", "9999", "1 cup, diced", "10206", "132.0"),
            ("3", "", "9999", "Quantity not specified", "90000", "28.0"),
        ],
    ),
]

WWEIA = [("1008", "Cheese")]


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """FDC's CSV dialect: every field quoted, empty ones as ""."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_download(folder: Path, foods: Sequence[FdcFood], *, nutrients: Sequence[tuple] = NUTRIENTS) -> Path:
    """Write a download's CSV files for ``foods`` into ``folder`` (created); returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(
        folder / "food.csv",
        HEADERS["food.csv"],
        [(f.fdc_id, f.data_type, f.description, f.category, "2019-04-01") for f in foods],
    )
    write_csv(folder / "nutrient.csv", HEADERS["nutrient.csv"], nutrients)
    ids = {row[3]: row[0] for row in nutrients}  # nutrient_nbr → id, as this download numbers them
    default_nbr = {row[0]: row[3] for row in NUTRIENTS}
    nutrient_rows, portion_rows = [], []
    for food in foods:  # row ids derived from the food: they stay put when a test edits another food
        for nutrient_id, amount in food.nutrients.items():
            renumbered = ids.get(default_nbr.get(nutrient_id, ""), nutrient_id)
            row_id = food.fdc_id * 10_000 + nutrient_id
            nutrient_rows.append((row_id, food.fdc_id, renumbered, amount, "3", "1", "", "", "", "", ""))
        for seq, amount, unit, description, modifier, grams in food.portions:
            row_id = food.fdc_id * 100 + int(seq)
            portion_rows.append(
                (row_id, food.fdc_id, seq, amount, unit, description, modifier, grams, "", "", "")
            )
    write_csv(folder / "food_nutrient.csv", HEADERS["food_nutrient.csv"], nutrient_rows)
    write_csv(folder / "food_portion.csv", HEADERS["food_portion.csv"], portion_rows)
    write_csv(folder / "measure_unit.csv", HEADERS["measure_unit.csv"], MEASURE_UNITS)
    write_csv(folder / "food_category.csv", HEADERS["food_category.csv"], CATEGORIES)
    write_csv(folder / "wweia_food_category.csv", HEADERS["wweia_food_category.csv"], WWEIA)
    return folder


def zip_download(folder: Path, target: Path, *, inner: str = "FoodData_Central_csv_2024-04-18") -> Path:
    """Zip ``folder``'s CSV files under one inner folder, as FDC's own zips are laid out."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, f"{inner}/{path.name}")
    return target


def write_synthetic(folder: Path, n_foods: int, n_rows: int, *, seed: int = 1) -> Path:
    """A download with ``n_rows`` food_nutrient rows over ``n_foods`` SR Legacy foods, for timing
    and memory measurements (not run by the test suite). Every third food has MK-4."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(
        folder / "food.csv",
        HEADERS["food.csv"],
        (
            (100000 + i, "sr_legacy_food", f"Synthetic food {i}, raw", "1", "2019-04-01")
            for i in range(n_foods)
        ),
    )
    write_csv(folder / "nutrient.csv", HEADERS["nutrient.csv"], NUTRIENTS)
    other = [ENERGY, PROTEIN, *range(1004, 1100)]

    def nutrient_rows() -> Iterable[tuple]:
        per_food = max(1, n_rows // n_foods)
        written = 0
        for i in range(n_foods):
            fdc_id = 100000 + i
            for j in range(per_food if i < n_foods - 1 else n_rows - written):
                if j == 0 and i % 3 == 0:
                    nutrient = MK4
                elif j == 1:
                    nutrient = K1
                elif j == 2:
                    nutrient = D3
                else:
                    nutrient = other[j % len(other)]
                written += 1
                yield (
                    written,
                    fdc_id,
                    nutrient,
                    f"{rng.random() * 50:.3f}",
                    "3",
                    "1",
                    "",
                    "",
                    "",
                    "a footnote",
                    "2001",
                )

    write_csv(folder / "food_nutrient.csv", HEADERS["food_nutrient.csv"], nutrient_rows())
    write_csv(
        folder / "food_portion.csv",
        HEADERS["food_portion.csv"],
        (
            (i * 2 + k, 100000 + i, str(k + 1), "1.0", "9999", "", unit, grams, "", "", "")
            for i in range(n_foods)
            for k, (unit, grams) in enumerate((("cup", "150.0"), ("tbsp", "9.5")))
        ),
    )
    write_csv(folder / "measure_unit.csv", HEADERS["measure_unit.csv"], MEASURE_UNITS)
    write_csv(folder / "food_category.csv", HEADERS["food_category.csv"], CATEGORIES)
    return folder
