"""Diets (data/diet.csv, d3k2db.plan.diet): every food of the shipped data gets a definite answer for
every diet, and each diet leaves out what it must — checked over all foods against word lists
written here by hand, not read from the program."""

from __future__ import annotations

import csv
import re

import pytest

from d3k2db.plan.diet import (
    DIETS,
    TAGS,
    Known,
    UnknownDiet,
    composition,
    excluded_categories,
    fits,
    parse_diets,
    verdict,
)
from tests import published

FOODS = published.rows("foods.csv")
CATEGORIES = {row["category"] for row in FOODS}
NAMES = {row["name"] for row in FOODS}


CHINESE: dict[str, list[str]] = {}  # each food's Chinese names (the other languages' words differ)
for _row in published.rows("aliases.csv"):
    if _row["lang"].startswith("zh"):
        CHINESE.setdefault(_row["food"], []).append(_row["alias"])


def allowed(diet: str) -> list[dict[str, str]]:
    return [row for row in FOODS if fits(row["category"], row["name"], [diet]).fits]


def words_of(row: dict[str, str]) -> str:
    """The food's English name and its Chinese names, lower case, for the word checks below."""
    return " | ".join([row["name"], *CHINESE.get(row["name"], [])]).lower()


def holds(text: str, words: tuple[str, ...]) -> str | None:
    """The first of ``words`` in ``text``: an English word whole (or its plural), Chinese anywhere."""
    for word in words:
        pattern = word if not word.isascii() else rf"\b{re.escape(word)}(e?s)?\b"
        if re.search(pattern, text):
            return word
    return None


def exempt(row: dict[str, str], names: tuple[str, ...]) -> bool:
    return any(name in row["name"] for name in names)


# ------------------------------------------------------------------------------ the data file


def test_the_diet_file_names_only_what_exists() -> None:
    with (published.DATA / "diet.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        assert row["rule"] in ("category", "word", "food"), row
        for tag in TAGS:
            assert row[tag] in ("", "yes", "no", "?"), row
        if row["rule"] == "category":
            assert row["value"] in CATEGORIES, row
        if row["rule"] == "food":
            assert row["value"] in NAMES, row
        for category in row["scope"].lstrip("!").split("|"):
            assert not category or category in CATEGORIES, row
    assert {row["value"] for row in rows if row["rule"] == "category"} == CATEGORIES  # each one said


def test_every_food_gets_a_definite_answer_for_every_diet() -> None:
    for row in FOODS:
        tags = composition(row["category"], row["name"])
        assert set(tags) == set(TAGS) and all(isinstance(value, Known) for value in tags.values())
        for diet, forbidden in DIETS.items():
            answer = verdict(tags, diet)
            if answer.fits:
                assert all(tags[tag] is Known.NO for tag in forbidden), (row["name"], diet)
            else:  # it holds a forbidden thing, or it is not known not to: left out either way
                assert answer.tag in forbidden, (row["name"], diet)
                assert (tags[answer.tag] is Known.YES) == answer.known


def test_a_food_of_unknown_make_fits_no_diet() -> None:
    """Your own foods (category custom) and anything no row speaks of: never vegan by default."""
    for diet in DIETS:
        answer = fits("custom", "my own spread", [diet])
        assert not answer.fits and not answer.known


# ------------------------------------------------------------------------------ what each diet leaves out

ANIMAL_CATEGORIES = {"cheese", "dairy", "egg", "meat", "poultry", "fish", "organ"}
ANIMAL_WORDS = (
    "milk", "cheese", "butter", "cream", "yogurt", "yoghurt", "kefir", "whey", "egg", "omelette",
    "mayonnaise", "meat", "beef", "pork", "ham", "bacon", "lard", "chicken", "turkey", "duck", "goose",
    "fish", "tuna", "salmon", "shrimp", "prawn", "crab", "liver", "gelatin", "honey", "anchovy",
    "牛奶", "乳酪", "起司", "奶油", "雞蛋", "鴨蛋", "豬肉", "牛肉",
    "雞肉", "羊肉", "火腿", "培根", "雞肝", "豬肝",
)  # fmt: skip
# foods whose names hold an animal word: milks of plants, farina, cheese substitutes, sweet pickles
# (bread-and-butter pickles), a fish called butter catfish
PLANT_DESPITE_THE_NAME = (
    "almond milk", "oat milk", "soy milk", "cream of wheat", "vegan cheese", "vegan slices", "soy yogurt",
    "coconut", "pickles", "butter catfish",
)  # fmt: skip


def test_vegan_leaves_out_every_animal_food() -> None:
    kept = allowed("vegan")
    assert {"natto", "sauerkraut", "miso"} <= {row["name"] for row in kept}  # it does allow some
    for row in kept:
        assert row["category"] not in ANIMAL_CATEGORIES, row["name"]
        if exempt(row, PLANT_DESPITE_THE_NAME):
            continue
        assert holds(words_of(row), ANIMAL_WORDS) is None, (row["name"], holds(words_of(row), ANIMAL_WORDS))


FLESH_CATEGORIES = {"meat", "poultry", "fish", "organ"}
FLESH_WORDS = (
    "meat", "beef", "pork", "ham", "bacon", "lard", "chicken", "turkey", "duck", "goose", "fish", "tuna",
    "salmon", "shrimp", "prawn", "crab", "mussel", "oyster", "liver", "sausage", "salami", "gelatin",
)  # fmt: skip


SEAFOOD_WORDS = ("fish", "tuna", "salmon", "shrimp", "prawn", "crab", "mussel", "oyster")
# an egg is no meat (duck eggs); a bombay duck is a fish, the meat of a crab's leg seafood; an
# oyster mushroom a plant
FLESH_EXEMPT = ("egg", "bombay duck", "crab leg meat", "mushroom")


@pytest.mark.parametrize("diet", ["vegetarian", "pescatarian"])
def test_vegetarian_and_pescatarian_leave_out_meat_and_poultry(diet: str) -> None:
    kept = allowed(diet)
    assert any(row["category"] == "egg" for row in kept) and any(row["category"] == "cheese" for row in kept)
    flesh = FLESH_CATEGORIES if diet == "vegetarian" else {"meat", "poultry", "organ"}
    words = FLESH_WORDS if diet == "vegetarian" else tuple(w for w in FLESH_WORDS if w not in SEAFOOD_WORDS)
    for row in kept:
        assert row["category"] not in flesh, row["name"]
        if not exempt(row, FLESH_EXEMPT):
            assert holds(row["name"].lower(), words) is None, row["name"]
    if diet == "pescatarian":
        assert any(row["category"] == "fish" for row in kept)


SOY_WORDS = (
    "soy",
    "soya",
    "tofu",
    "natto",
    "tempeh",
    "miso",
    "douchi",
    "sufu",
    "edamame",
    "納豆",
    "味噌",
    "豆豉",
    "腐乳",
    "豆腐",
    "醬油",
)


def test_no_soy_leaves_out_natto_tempeh_miso_douchi_sufu_and_every_soy_food() -> None:
    kept = allowed("no-soy")
    names = {row["name"] for row in kept}
    for food in ("natto", "tempeh", "miso", "douchi", "sufu", "soy sauce", "tofu, firm", "edamame, cooked"):
        assert food in NAMES and food not in names, food
    for row in kept:
        assert row["category"] != "fermented_soy", row["name"]
        if row["category"] != "fish":  # 豆腐魚, "tofu fish", is the Chinese name of bombay duck
            assert holds(words_of(row), SOY_WORDS) is None, row["name"]


PORK_WORDS = (
    "pork",
    "ham",
    "bacon",
    "lard",
    "salami",
    "chorizo",
    "pepperoni",
    "pancetta",
    "prosciutto",
    "豬",
)


def test_no_pork_leaves_out_every_pork_food() -> None:
    kept = allowed("no-pork")
    assert {"chicken leg, skinless, raw", "gouda", "natto"} <= {row["name"] for row in kept}
    for row in kept:
        assert holds(words_of(row), PORK_WORDS) is None, row["name"]


OFFAL_WORDS = (
    "liver",
    "kidney",
    "gizzard",
    "tongue",
    "tripe",
    "brain",
    "spleen",
    "lung",
    "pâté",
    "pate",
    "heart",
)


def test_no_offal_leaves_out_organs_and_pates() -> None:
    kept = allowed("no-offal")
    for row in kept:
        assert row["category"] != "organ", row["name"]
        if exempt(row, ("artichoke", "kidney beans")):  # plants named after organs
            continue
        assert holds(row["name"].lower(), OFFAL_WORDS) is None, row["name"]


DAIRY_WORDS = (
    "milk",
    "cheese",
    "butter",
    "cream",
    "yogurt",
    "kefir",
    "whey",
    "quark",
    "skyr",
    "乳酪",
    "牛奶",
)


def test_no_dairy_leaves_out_milk_cheese_butter_and_cream() -> None:
    kept = allowed("no-dairy")
    assert {"whole egg, raw", "chicken leg, skinless, raw", "natto"} <= {row["name"] for row in kept}
    for row in kept:
        assert row["category"] not in ("cheese", "dairy"), row["name"]
        if not exempt(row, PLANT_DESPITE_THE_NAME):
            assert holds(row["name"].lower(), DAIRY_WORDS) is None, row["name"]


def test_a_category_no_food_of_which_fits_is_left_out_by_the_query() -> None:
    for diet in DIETS:
        left_out = excluded_categories([diet])
        assert not any(row["category"] in left_out for row in allowed(diet)), diet
    assert {"cheese", "meat", "fish", "egg"} <= excluded_categories(["vegan"])
    assert "fermented_soy" in excluded_categories(["no-soy"])


def test_diet_names_are_read_in_any_spelling_and_a_wrong_one_is_refused() -> None:
    assert parse_diets(["Vegan", "no_soy,no-pork", " no soy "]) == ("vegan", "no-soy", "no-pork")
    with pytest.raises(UnknownDiet):
        parse_diets(["keto"])
