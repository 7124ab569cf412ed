"""Dozens of ways people write a meal, each with the grams it must mean.

Gram weights come from data/portions.csv (USDA SR28) read independently; the arithmetic is written
out here by hand, never taken from the program.
"""

from __future__ import annotations

import pytest

from d3k2db import K2Database
from tests import published

EGG = published.alias_food("egg")
LIVER = published.alias_food("chicken liver")
OZ, LB = 28.349523125, 453.59237
TSP, TBSP, CUP = 4.92892159375, 14.78676478125, 236.5882365


def w(food: str, unit: str) -> float:
    return published.portion_grams(food, unit)


def serving(food: str) -> float:
    return float(published.food(food)["serving_g"])


# (phrase words, [(food, grams), ...]) — repeated foods are combined into one row.
CASES: list[tuple[list[str], list[tuple[str, float]]]] = [
    (["butter"], [("butter", serving("butter"))]),
    (["butter", "eggs"], [("butter", serving("butter")), (EGG, serving(EGG))]),
    (["2 eggs"], [(EGG, 2 * serving(EGG))]),
    (["2", "eggs"], [(EGG, 2 * serving(EGG))]),
    (["two eggs"], [(EGG, 2 * serving(EGG))]),
    (["an egg"], [(EGG, serving(EGG))]),
    (["a dozen eggs"], [(EGG, 12 * serving(EGG))]),
    (["half a dozen eggs"], [(EGG, 6 * serving(EGG))]),
    (["twelve eggs"], [(EGG, 12 * serving(EGG))]),
    (["3 large eggs"], [(EGG, 3 * w(EGG, "large"))]),
    (["2 medium eggs"], [(EGG, 2 * w(EGG, "medium"))]),
    (["1 small egg"], [(EGG, w(EGG, "small"))]),
    (["2 extra large eggs"], [(EGG, 2 * w(EGG, "extra large"))]),
    (["1 jumbo egg"], [(EGG, w(EGG, "jumbo"))]),
    (["eggs x2"], [(EGG, 2 * serving(EGG))]),
    (["2x eggs"], [(EGG, 2 * serving(EGG))]),
    (["x3 eggs"], [(EGG, 3 * serving(EGG))]),
    (["100g natto"], [("natto", 100)]),
    (["100 g natto"], [("natto", 100)]),
    (["100 grams natto"], [("natto", 100)]),
    (["100 g of natto"], [("natto", 100)]),
    (["0.1 kg natto"], [("natto", 100)]),
    (["1.5kg natto"], [("natto", 1500)]),
    (["2500 mg natto"], [("natto", 2.5)]),
    (["3 oz gouda"], [("gouda", 3 * OZ)]),
    (["3oz gouda"], [("gouda", 3 * OZ)]),
    (["1 ounce gouda"], [("gouda", OZ)]),
    (["0.5 lb gouda"], [("gouda", 0.5 * LB)]),
    (["1/2 lb gouda"], [("gouda", 0.5 * LB)]),
    (["½ lb gouda"], [("gouda", 0.5 * LB)]),
    (["1 tbsp butter"], [("butter", w("butter", "tbsp"))]),
    (["1 tablespoon butter"], [("butter", w("butter", "tbsp"))]),
    (["2 tablespoons of butter"], [("butter", 2 * w("butter", "tbsp"))]),
    (["1 1/2 tbsp butter"], [("butter", 1.5 * w("butter", "tbsp"))]),
    (["1½ tbsp butter"], [("butter", 1.5 * w("butter", "tbsp"))]),
    (["a pat of butter"], [("butter", w("butter", "pat"))]),
    (["2 pats butter"], [("butter", 2 * w("butter", "pat"))]),
    (["half a stick of butter"], [("butter", 0.5 * w("butter", "stick"))]),
    (["1 stick butter"], [("butter", w("butter", "stick"))]),
    # tsp is not an SR28 butter portion: converted through the food's own tbsp weight
    (["1 tsp butter"], [("butter", TSP * w("butter", "tbsp") / TBSP)]),
    (["10 ml butter"], [("butter", 10 * w("butter", "tbsp") / TBSP)]),
    (["a cup of sauerkraut"], [("sauerkraut", w("sauerkraut", "cup"))]),
    (["1/2 cup sauerkraut"], [("sauerkraut", 0.5 * w("sauerkraut", "cup"))]),
    (["2 cups sauerkraut"], [("sauerkraut", 2 * w("sauerkraut", "cup"))]),
    (["cup of natto"], [("natto", w("natto", "cup"))]),
    (["1 slice cheddar"], [("cheddar", w("cheddar", "slice"))]),
    (["2 slices of cheddar"], [("cheddar", 2 * w("cheddar", "slice"))]),
    (["a wedge of camembert"], [("camembert", w("camembert", "wedge"))]),
    (["1 serving natto"], [("natto", serving("natto"))]),
    (["2 servings natto"], [("natto", 2 * serving("natto"))]),
    (["chicken liver"], [(LIVER, serving(LIVER))]),
    (["chicken", "liver", "sauerkraut"], [(LIVER, serving(LIVER)), ("sauerkraut", serving("sauerkraut"))]),
    (["2 eggs, 1 tbsp butter"], [(EGG, 2 * serving(EGG)), ("butter", w("butter", "tbsp"))]),
    (
        ["2 eggs", "100g", "natto", "butter"],
        [(EGG, 2 * serving(EGG)), ("natto", 100), ("butter", serving("butter"))],
    ),
    (["2 eggs and 1 tbsp butter"], [(EGG, 2 * serving(EGG)), ("butter", w("butter", "tbsp"))]),
    (["eggs with butter"], [(EGG, serving(EGG)), ("butter", serving("butter"))]),
    (["2 eggs; 30 g gouda"], [(EGG, 2 * serving(EGG)), ("gouda", 30)]),
    (["2 eggs + 30 g gouda"], [(EGG, 2 * serving(EGG)), ("gouda", 30)]),
    (["1 egg, butter, 1 egg"], [(EGG, 2 * serving(EGG)), ("butter", serving("butter"))]),
    (["100 g natto, 50 g natto"], [("natto", 150)]),
    (["2 EGGS, 1 TBSP BUTTER"], [(EGG, 2 * serving(EGG)), ("butter", w("butter", "tbsp"))]),
    (["雞蛋", "奶油"], [(EGG, serving(EGG)), ("butter", serving("butter"))]),
    (["100g 納豆"], [("natto", 100)]),
    (["2 雞蛋"], [(EGG, 2 * serving(EGG))]),
    (["１００ｇ natto"], [("natto", 100)]),  # full-width digits
    (["1.5 oz parmesan"], [("parmesan", 1.5 * OZ)]),
    (["1,5 oz parmesan"], [("parmesan", 1.5 * OZ)]),  # decimal comma
    (["a couple of eggs"], [(EGG, 2 * serving(EGG))]),
    (["3 egg yolks"], [(published.alias_food("egg yolk"), 3 * serving(published.alias_food("egg yolk")))]),
    (["nato"], [("natto", serving("natto"))]),  # a typo close to one food
    # how people say when they ate, in four languages: left out, never read as a food
    (["ik heb 2 eieren en 1 el boter gegeten"], [(EGG, 2 * serving(EGG)), ("butter", w("butter", "tbsp"))]),
    (["1 tl boter"], [("butter", w("butter", "tbsp") / 3)]),  # Dutch recipes' el / tl
    (["vanochtend 2 eieren"], [(EGG, 2 * serving(EGG))]),
    (["j'ai mangé 2 oeufs ce matin"], [(EGG, 2 * serving(EGG))]),
    (["I had 2 eggs this afternoon"], [(EGG, 2 * serving(EGG))]),
    (["我今天吃了一份納豆"], [("natto", serving("natto"))]),
    (["我早餐吃了兩個蛋"], [(EGG, 2 * serving(EGG))]),
    (["我昨天晚上吃了2個雞蛋"], [(EGG, 2 * serving(EGG))]),
    # an amount after the food, with an article: as "a cup of sauerkraut"
    (["sauerkraut a cup"], [("sauerkraut", w("sauerkraut", "cup"))]),
    (["natto 50g, sauerkraut a cup"], [("natto", 50), ("sauerkraut", w("sauerkraut", "cup"))]),
    (["milk a glass"], [("whole milk", w("whole milk", "cup") * 240 / CUP)]),  # the cited 240 ml glass
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, seeded_template) -> K2Database:  # type: ignore[no-untyped-def]
    import shutil

    path = tmp_path_factory.mktemp("phrasings") / "k2.sqlite"
    shutil.copy(seeded_template, path)
    return K2Database(f"sqlite:///{path}")


@pytest.mark.parametrize(("words", "expected"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_phrasing_means_these_grams(
    db: K2Database, words: list[str], expected: list[tuple[str, float]]
) -> None:
    meal = db.meal(words)
    assert [(item.food, pytest.approx(item.grams)) for item in meal.items] == [
        (food, pytest.approx(grams)) for food, grams in expected
    ]
    k2 = sum(published.k2_per_100g(published.food(food)) * grams / 100 for food, grams in expected)
    assert meal.k2 == pytest.approx(k2)


def test_there_are_at_least_sixty_phrasings() -> None:
    assert len(CASES) >= 60
