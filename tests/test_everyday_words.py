"""Everyday words find a food: the names people type in Hong Kong, Taiwan and on the mainland (both
scripts), and the English, French and Dutch words for the same things.

A word is either an alias (it names one food: data/aliases.csv, built from tools/curation/aliases.csv)
or a generic word (data/generic_foods.csv: it stands for a documented default food, and every answer
says it is a reading and names the alternatives). See docs/data.md, "Aliases".

Every expectation below is written by hand from what the word means, not copied from the program's
output: if a food is renamed, or a word stops finding its food (an alias added for another food, a term
listed as not in the database), this file says which word broke.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from d3k2db import K2Database
from d3k2db.domain.text import search_key
from d3k2db.errors import FoodNotFound
from tests import published

ALIAS, GENERIC, EXACT = "alias", "generic", "exact"

# The default foods, named once.
BUTTER = "butter"
CREAM = "cream, liquid"
CANNED_TUNA = "tuna, canned in brine"
CHICKEN_LEG = "chicken leg, bone-in, raw"
BEEF = "beef, lean and fat, raw"
SAUSAGE = "pork sausage, raw"
KIMCHI = "kimchi"
GOUDA = "gouda"
SUFU = "sufu"
CHICKEN_FEET = "chicken feet, raw"
BOILED_EGG = "whole egg, boiled"
SHREDDED = "mozzarella, low-moisture part-skim"
STEAK = "beef steak, raw"
PIZZA = "pizza, margherita"
CHEESEBURGER = "cheeseburger, fast food"
HAMBURGER = "hamburger, 2-4 oz"
SANDWICH = "sandwich, ham and cheese, wholemeal bread, prepacked"
LASAGNE = "lasagne, bolognese, chilled ready meal"
QUICHE = "quiche lorraine"
CARBONARA = "pasta carbonara, homemade"
BREAD = "bread, wheat"
RICE = "rice, white, cooked"
BROWN_RICE = "rice, brown, cooked"
PASTA = "pasta, 51% whole-grain, enriched, cooked"
NOODLES = "noodles, instant, prepared"
POTATO = "potato, russet, peeled, raw"
MASHED = "potato, mashed, with whole milk and margarine"
FRIES = "french fries, restaurant"
COFFEE = "coffee, brewed, breakfast blend"
BLACK_TEA = "tea, black, brewed"
GREEN_TEA = "tea, green, brewed"
APPLE = "apple, with skin"
BANANA = "banana, raw"
ORANGE = "orange"
SALAD = "lettuce, raw"
SOUP = "soup, thickened, without filling"

# (word as typed, its language, how it is matched, the food it finds)
WORDS: list[tuple[str, str, str, str]] = [
    # --- Hong Kong and Taiwan first -------------------------------------------------------------
    ("牛油", "zh-Hant", GENERIC, BUTTER),  # Hong Kong butter; beef tallow on the mainland
    ("忌廉", "zh", GENERIC, CREAM),
    ("吞拿魚", "zh-Hant", GENERIC, CANNED_TUNA),
    ("吞拿鱼", "zh-Hans", GENERIC, CANNED_TUNA),
    ("雞髀", "zh-Hant", GENERIC, CHICKEN_LEG),
    ("鸡髀", "zh-Hans", GENERIC, CHICKEN_LEG),
    ("雞腿", "zh-Hant", GENERIC, CHICKEN_LEG),
    ("鸡腿", "zh-Hans", GENERIC, CHICKEN_LEG),
    ("牛肉", "zh", GENERIC, BEEF),
    ("beef", "en", GENERIC, BEEF),
    ("bœuf", "fr", GENERIC, BEEF),
    ("rundvlees", "nl", GENERIC, BEEF),
    ("香腸", "zh-Hant", GENERIC, SAUSAGE),
    ("香肠", "zh-Hans", GENERIC, SAUSAGE),
    ("泡菜", "zh", GENERIC, KIMCHI),
    ("起士", "zh-Hant", GENERIC, GOUDA),
    ("起司", "zh-Hant", GENERIC, GOUDA),
    ("乳酪", "zh-Hant", GENERIC, GOUDA),
    ("豆腐乳", "zh", ALIAS, SUFU),
    ("腐乳", "zh", ALIAS, SUFU),
    ("鳳爪", "zh-Hant", ALIAS, CHICKEN_FEET),
    ("凤爪", "zh-Hans", ALIAS, CHICKEN_FEET),
    ("滷蛋", "zh-Hant", GENERIC, BOILED_EGG),
    ("卤蛋", "zh-Hans", GENERIC, BOILED_EGG),
    ("茶葉蛋", "zh-Hant", GENERIC, BOILED_EGG),
    ("茶叶蛋", "zh-Hans", GENERIC, BOILED_EGG),
    ("乳酪絲", "zh-Hant", GENERIC, SHREDDED),
    ("起司絲", "zh-Hant", GENERIC, SHREDDED),
    ("起士絲", "zh-Hant", GENERIC, SHREDDED),
    ("芝士絲", "zh-Hant", GENERIC, SHREDDED),
    ("芝士丝", "zh-Hans", GENERIC, SHREDDED),
    ("奶酪丝", "zh-Hans", GENERIC, SHREDDED),
    ("shredded cheese", "en", GENERIC, SHREDDED),
    # --- steak ------------------------------------------------------------------------------------
    ("steak", "en", GENERIC, STEAK),
    ("beef steak", "en", ALIAS, STEAK),
    ("ribeye", "en", GENERIC, STEAK),
    ("rib-eye", "en", GENERIC, STEAK),
    ("rib eye", "en", GENERIC, STEAK),
    ("牛排", "zh", GENERIC, STEAK),
    ("牛扒", "zh", GENERIC, STEAK),
    ("肉眼扒", "zh", GENERIC, STEAK),
    ("肉眼牛排", "zh", GENERIC, STEAK),
    # --- pizza, burgers, sandwiches, dishes --------------------------------------------------------
    ("pizza", "en", GENERIC, PIZZA),
    ("margherita", "en", ALIAS, PIZZA),
    ("披薩", "zh-Hant", GENERIC, PIZZA),
    ("比薩", "zh-Hant", GENERIC, PIZZA),
    ("披萨", "zh-Hans", GENERIC, PIZZA),
    ("比萨", "zh-Hans", GENERIC, PIZZA),
    ("薄餅", "zh-Hant", GENERIC, PIZZA),
    ("cheeseburger", "en", ALIAS, CHEESEBURGER),
    ("芝士漢堡", "zh-Hant", ALIAS, CHEESEBURGER),
    ("起司漢堡", "zh-Hant", ALIAS, CHEESEBURGER),
    ("芝士汉堡", "zh-Hans", ALIAS, CHEESEBURGER),
    ("hamburger", "en", GENERIC, HAMBURGER),
    ("burger", "en", GENERIC, HAMBURGER),
    ("漢堡", "zh-Hant", GENERIC, HAMBURGER),
    ("漢堡包", "zh-Hant", GENERIC, HAMBURGER),
    ("汉堡", "zh-Hans", GENERIC, HAMBURGER),
    ("汉堡包", "zh-Hans", GENERIC, HAMBURGER),
    ("sandwich", "en", GENERIC, SANDWICH),
    ("三明治", "zh", GENERIC, SANDWICH),
    ("三文治", "zh", GENERIC, SANDWICH),
    ("lasagne", "en", GENERIC, LASAGNE),
    ("lasagna", "en", GENERIC, LASAGNE),
    ("千層麵", "zh-Hant", GENERIC, LASAGNE),
    ("千层面", "zh-Hans", GENERIC, LASAGNE),
    ("quiche", "en", GENERIC, QUICHE),
    ("鹹派", "zh-Hant", GENERIC, QUICHE),
    ("咸派", "zh-Hans", GENERIC, QUICHE),
    ("carbonara", "en", ALIAS, CARBONARA),
    # --- bread and toast ---------------------------------------------------------------------------
    ("bread", "en", GENERIC, BREAD),
    ("pain", "fr", GENERIC, BREAD),
    ("brood", "nl", GENERIC, BREAD),
    ("麵包", "zh-Hant", GENERIC, BREAD),
    ("面包", "zh-Hans", GENERIC, BREAD),
    ("toast", "en", GENERIC, BREAD),
    ("pain grillé", "fr", GENERIC, BREAD),
    ("吐司", "zh", GENERIC, BREAD),
    ("多士", "zh", GENERIC, BREAD),
    # --- rice ----------------------------------------------------------------------------------------
    ("rice", "en", GENERIC, RICE),
    ("riz", "fr", GENERIC, RICE),
    ("rijst", "nl", GENERIC, RICE),
    ("飯", "zh-Hant", GENERIC, RICE),
    ("饭", "zh-Hans", GENERIC, RICE),
    ("white rice", "en", ALIAS, RICE),
    ("riz blanc", "fr", ALIAS, RICE),
    ("witte rijst", "nl", ALIAS, RICE),
    ("白飯", "zh-Hant", ALIAS, RICE),
    ("白饭", "zh-Hans", ALIAS, RICE),
    ("米飯", "zh-Hant", ALIAS, RICE),
    ("米饭", "zh-Hans", ALIAS, RICE),
    ("brown rice", "en", ALIAS, BROWN_RICE),
    ("riz complet", "fr", ALIAS, BROWN_RICE),
    ("zilvervliesrijst", "nl", ALIAS, BROWN_RICE),
    ("糙米飯", "zh-Hant", ALIAS, BROWN_RICE),
    ("糙米饭", "zh-Hans", ALIAS, BROWN_RICE),
    # --- pasta and noodles ---------------------------------------------------------------------------
    ("pasta", "en", GENERIC, PASTA),
    ("spaghetti", "en", GENERIC, PASTA),
    ("macaroni", "en", GENERIC, PASTA),
    ("spaghettis", "fr", GENERIC, PASTA),
    ("意粉", "zh", GENERIC, PASTA),
    ("意大利麵", "zh-Hant", GENERIC, PASTA),
    ("義大利麵", "zh-Hant", GENERIC, PASTA),
    ("意大利面", "zh-Hans", GENERIC, PASTA),
    ("意面", "zh-Hans", GENERIC, PASTA),
    ("通心粉", "zh", GENERIC, PASTA),
    ("noodles", "en", GENERIC, NOODLES),
    ("noodle", "en", GENERIC, NOODLES),
    ("noedels", "nl", GENERIC, NOODLES),
    ("mie", "nl", GENERIC, NOODLES),
    ("麵", "zh-Hant", GENERIC, NOODLES),
    ("麵條", "zh-Hant", GENERIC, NOODLES),
    ("面", "zh-Hans", GENERIC, NOODLES),
    ("面条", "zh-Hans", GENERIC, NOODLES),
    ("泡麵", "zh-Hant", ALIAS, NOODLES),
    ("泡面", "zh-Hans", ALIAS, NOODLES),
    ("方便面", "zh-Hans", ALIAS, NOODLES),
    # --- potatoes --------------------------------------------------------------------------------------
    ("potato", "en", GENERIC, POTATO),
    ("potatoes", "en", GENERIC, POTATO),
    ("pomme de terre", "fr", GENERIC, POTATO),
    ("aardappel", "nl", GENERIC, POTATO),
    ("aardappelen", "nl", GENERIC, POTATO),
    ("馬鈴薯", "zh-Hant", ALIAS, POTATO),
    ("马铃薯", "zh-Hans", ALIAS, POTATO),
    ("土豆", "zh-Hans", ALIAS, POTATO),
    ("薯仔", "zh-Hant", ALIAS, POTATO),
    ("mashed potatoes", "en", ALIAS, MASHED),
    ("aardappelpuree", "nl", ALIAS, MASHED),
    ("薯蓉", "zh-Hant", ALIAS, MASHED),
    ("馬鈴薯泥", "zh-Hant", ALIAS, MASHED),
    ("马铃薯泥", "zh-Hans", ALIAS, MASHED),
    ("土豆泥", "zh-Hans", ALIAS, MASHED),
    ("fries", "en", GENERIC, FRIES),
    ("french fries", "en", GENERIC, FRIES),
    ("frites", "fr", GENERIC, FRIES),
    ("patat", "nl", GENERIC, FRIES),
    ("friet", "nl", GENERIC, FRIES),
    ("frietjes", "nl", GENERIC, FRIES),
    ("patatje", "nl", GENERIC, FRIES),
    ("薯條", "zh-Hant", GENERIC, FRIES),
    ("炸薯條", "zh-Hant", GENERIC, FRIES),
    ("薯条", "zh-Hans", GENERIC, FRIES),
    ("炸薯条", "zh-Hans", GENERIC, FRIES),
    # --- drinks ------------------------------------------------------------------------------------------
    ("coffee", "en", GENERIC, COFFEE),
    ("café", "fr", GENERIC, COFFEE),
    ("koffie", "nl", GENERIC, COFFEE),
    ("咖啡", "zh", GENERIC, COFFEE),
    ("black coffee", "en", ALIAS, COFFEE),
    ("zwarte koffie", "nl", ALIAS, COFFEE),
    ("黑咖啡", "zh", ALIAS, COFFEE),
    ("tea", "en", GENERIC, BLACK_TEA),
    ("thee", "nl", GENERIC, BLACK_TEA),
    ("茶", "zh", GENERIC, GREEN_TEA),  # 茶 alone: green tea, the tea most drunk in China
    ("black tea", "en", ALIAS, BLACK_TEA),
    ("thé noir", "fr", ALIAS, BLACK_TEA),
    ("zwarte thee", "nl", ALIAS, BLACK_TEA),
    ("紅茶", "zh-Hant", ALIAS, BLACK_TEA),
    ("红茶", "zh-Hans", ALIAS, BLACK_TEA),
    ("green tea", "en", ALIAS, GREEN_TEA),
    ("thé vert", "fr", ALIAS, GREEN_TEA),
    ("groene thee", "nl", ALIAS, GREEN_TEA),
    ("綠茶", "zh-Hant", ALIAS, GREEN_TEA),
    ("绿茶", "zh-Hans", ALIAS, GREEN_TEA),
    # --- fruit -----------------------------------------------------------------------------------------
    ("apple", "en", ALIAS, APPLE),
    ("pomme", "fr", ALIAS, APPLE),
    ("appel", "nl", ALIAS, APPLE),
    ("蘋果", "zh-Hant", ALIAS, APPLE),
    ("苹果", "zh-Hans", ALIAS, APPLE),
    ("banana", "en", ALIAS, BANANA),
    ("bananas", "en", ALIAS, BANANA),
    ("banane", "fr", ALIAS, BANANA),
    ("banaan", "nl", ALIAS, BANANA),
    ("bananen", "nl", ALIAS, BANANA),
    ("香蕉", "zh", ALIAS, BANANA),
    ("orange", "en", EXACT, ORANGE),
    ("sinaasappel", "nl", ALIAS, ORANGE),
    ("橙", "zh", ALIAS, ORANGE),
    ("橙子", "zh-Hans", ALIAS, ORANGE),
    ("柳橙", "zh-Hant", ALIAS, ORANGE),
    ("柳丁", "zh-Hant", ALIAS, ORANGE),
    # --- salad and soup ----------------------------------------------------------------------------------
    ("salad", "en", GENERIC, SALAD),
    ("salade", "fr", GENERIC, SALAD),
    ("salade verte", "fr", GENERIC, SALAD),
    ("sla", "nl", GENERIC, SALAD),
    ("沙拉", "zh", GENERIC, SALAD),
    ("沙律", "zh", GENERIC, SALAD),
    ("色拉", "zh-Hans", GENERIC, SALAD),
    ("soup", "en", GENERIC, SOUP),
    ("soupe", "fr", GENERIC, SOUP),
    ("potage", "fr", GENERIC, SOUP),
    ("soep", "nl", GENERIC, SOUP),
    ("湯", "zh-Hant", GENERIC, SOUP),
    ("汤", "zh-Hans", GENERIC, SOUP),
]

# Words with no food here: refused as not in d3k2db, never matched to a look-alike (duck liver is not
# measured by any table used; beer and wine have no K2 figure in them).
NOT_IN_DATABASE: list[str] = ["鴨肝", "鸭肝", "duck liver", "beer", "wine", "啤酒", "葡萄酒", "紅酒", "红酒"]

# Traditional and Simplified spellings of the same word: OpenCC's plain character conversion (t2s) of
# the first must give the second.
SCRIPT_PAIRS: list[tuple[str, str]] = [
    ("吞拿魚", "吞拿鱼"),
    ("雞髀", "鸡髀"),
    ("雞腿", "鸡腿"),
    ("香腸", "香肠"),
    ("鳳爪", "凤爪"),
    ("滷蛋", "卤蛋"),
    ("茶葉蛋", "茶叶蛋"),
    ("鴨肝", "鸭肝"),
    ("芝士絲", "芝士丝"),
    ("披薩", "披萨"),
    ("比薩", "比萨"),
    ("芝士漢堡", "芝士汉堡"),
    ("漢堡", "汉堡"),
    ("漢堡包", "汉堡包"),
    ("千層麵", "千层面"),
    ("鹹派", "咸派"),
    ("麵包", "面包"),
    ("飯", "饭"),
    ("白飯", "白饭"),
    ("米飯", "米饭"),
    ("糙米飯", "糙米饭"),
    ("意大利麵", "意大利面"),
    ("麵", "面"),
    ("麵條", "面条"),
    ("泡麵", "泡面"),
    ("馬鈴薯", "马铃薯"),
    ("馬鈴薯泥", "马铃薯泥"),
    ("薯條", "薯条"),
    ("炸薯條", "炸薯条"),
    ("紅茶", "红茶"),
    ("綠茶", "绿茶"),
    ("蘋果", "苹果"),
    ("湯", "汤"),
]


def _t2s() -> Any:
    opencc = pytest.importorskip("opencc", reason="opencc is in the `test` extra")
    return opencc.OpenCC("t2s")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> Iterator[K2Database]:
    """One seeded SQLite database, read only, for the whole module."""
    path = tmp_path_factory.mktemp("everyday") / "k2.sqlite"
    shutil.copy(seeded_template, path)
    with K2Database(f"sqlite:///{path}") as database:
        yield database


def _generic_row(word: str) -> dict[str, str] | None:
    return next(
        (r for r in published.rows("generic_foods.csv") if search_key(r["term"]) == search_key(word)), None
    )


@pytest.mark.parametrize(("word", "lang", "kind", "food"), WORDS, ids=[w for w, *_ in WORDS])
def test_the_word_finds_its_food(db: K2Database, word: str, lang: str, kind: str, food: str) -> None:
    profile = db.show(word)
    assert (profile.name, profile.match) == (food, kind), word
    if kind == GENERIC:
        row = _generic_row(word)
        assert row is not None, word
        assert profile.alternatives == row["alternatives"].split("|"), word
        assert profile.alternatives and food not in profile.alternatives, word
        assert profile.match_note and "generic" in profile.match_note, word
    else:
        assert profile.alternatives == [] and profile.match_note is None, word


@pytest.mark.parametrize(("word", "lang", "kind", "food"), WORDS, ids=[w for w, *_ in WORDS])
def test_the_word_is_written_down_in_its_language(word: str, lang: str, kind: str, food: str) -> None:
    """The row that makes the word work is in the data with the word's language."""
    key = search_key(word)
    if kind == EXACT:
        assert any(search_key(r["name"]) == key for r in published.rows("foods.csv")), word
    elif kind == ALIAS:
        rows = [r for r in published.rows("aliases.csv") if search_key(r["alias"]) == key]
        assert [(r["food"], r["lang"]) for r in rows] == [(food, lang)], word
    else:
        row = _generic_row(word)
        assert row is not None and (row["food"], row["lang"]) == (food, lang), word


def test_the_words_are_never_refused_as_unknown() -> None:
    refused = {search_key(r["term"]) for r in published.rows("not_in_database.csv")}
    refused |= {search_key(r["term"]) for r in published.rows("no_k2_figure.csv")}
    assert not [word for word, *_ in WORDS if search_key(word) in refused]


def test_a_generic_word_is_no_name_nor_alias() -> None:
    """An alias or a food name is matched first, so a generic word that is also one never works."""
    names = {search_key(r["name"]) for r in published.rows("foods.csv")}
    names |= {search_key(r["alias"]) for r in published.rows("aliases.csv")}
    shadowed = [r["term"] for r in published.rows("generic_foods.csv") if search_key(r["term"]) in names]
    assert not shadowed


def test_no_generic_word_folds_to_a_little_word_or_another_food(db: K2Database) -> None:
    """French thé folds to 'the' and pâtes to 'pate' (pâté): as generic words they would read
    'the cheese' as tea and pâté as pasta, so they are not generic words."""
    little = {"the", "a", "an", "of", "and", "with", "in", "on", "or", "to", "no", "pate"}
    assert not [r["term"] for r in published.rows("generic_foods.csv") if search_key(r["term"]) in little]
    assert [(item.food, item.match) for item in db.meal(["the cheese"]).items] == [(GOUDA, GENERIC)]


def test_generic_foods_name_foods_that_exist() -> None:
    foods = {r["name"] for r in published.rows("foods.csv")}
    missing = [
        (r["term"], name)
        for r in published.rows("generic_foods.csv")
        for name in [r["food"], *r["alternatives"].split("|")]
        if name not in foods
    ]
    assert not missing


@pytest.mark.parametrize("word", NOT_IN_DATABASE)
def test_words_with_no_food_are_refused_as_not_in_d3k2db(db: K2Database, word: str) -> None:
    with pytest.raises(FoodNotFound, match="not a food in d3k2db"):
        db.show(word)


def test_ruyao_names_both_readings() -> None:
    """乳酪 is cheese in Taiwan but mostly yogurt in Hong Kong: the reason says so, and plain yogurt is
    among the alternatives, shown first."""
    from d3k2db.lookup.wordlists import generics

    row = _generic_row("乳酪")
    assert row is not None and row["food"] == GOUDA
    for needed in ("Taiwan", "Hong Kong", "cheese", "yogurt"):
        assert needed in row["reason"], needed
    assert row["alternatives"].split("|")[0] == "yogurt, plain"
    assert generics()[search_key("乳酪")].reason == row["reason"]


@pytest.mark.parametrize(
    ("word", "said"),
    [
        ("牛油", ("Hong Kong", "beef tallow")),
        ("泡菜", ("kimchi", "台式泡菜", "not bacterially fermented")),
        ("滷蛋", ("hard-boiled egg", "soy sauce", "no table measures it")),
        ("茶葉蛋", ("hard-boiled egg", "tea", "no table measures it")),
        ("薄餅", ("Hong Kong", "pizza")),
        ("ribeye", ("rib-eye", "beef steak")),
    ],
)
def test_the_reason_says_what_the_word_may_also_mean(word: str, said: tuple[str, ...]) -> None:
    row = _generic_row(word)
    assert row is not None
    for needed in said:
        assert needed in row["reason"], (word, needed)


def test_traditional_and_simplified_spellings_convert_into_each_other() -> None:
    cc = _t2s()
    wrong = [(hant, cc.convert(hant), hans) for hant, hans in SCRIPT_PAIRS if cc.convert(hant) != hans]
    assert not wrong


def test_zh_words_are_the_same_in_both_scripts() -> None:
    cc = _t2s()
    words = [word for word, lang, *_ in WORDS if lang == "zh"]
    words += [r["term"] for r in published.rows("generic_foods.csv") if r["lang"] == "zh"]
    assert not [(w, cc.convert(w)) for w in words if cc.convert(w) != w]


def test_the_two_scripts_of_a_word_find_the_same_food() -> None:
    """Any Traditional alias or generic word whose Simplified form (OpenCC t2s) is also an alias,
    a food name or a generic word finds the same food in both scripts."""
    cc = _t2s()
    found: dict[str, str] = {search_key(r["name"]): r["name"] for r in published.rows("foods.csv")}
    found |= {search_key(r["alias"]): r["food"] for r in published.rows("aliases.csv")}
    for r in published.rows("generic_foods.csv"):
        found.setdefault(search_key(r["term"]), r["food"])
    traditional = [(r["alias"], r["food"]) for r in published.rows("aliases.csv") if r["lang"] == "zh-Hant"]
    traditional += [
        (r["term"], r["food"]) for r in published.rows("generic_foods.csv") if r["lang"] == "zh-Hant"
    ]
    drifted = []
    for word, food in traditional:
        other = found.get(search_key(cc.convert(word)))
        if other is not None and other != food:
            drifted.append(f"{word} -> {food}, but {cc.convert(word)} -> {other}")
    assert not drifted, "\n".join(drifted)


def test_every_script_pair_of_the_table_finds_the_same_food() -> None:
    table = {word: food for word, _lang, _kind, food in WORDS}
    pairs = [(hant, hans) for hant, hans in SCRIPT_PAIRS if hant in table and hans in table]
    assert len(pairs) >= 25
    assert not [(hant, hans) for hant, hans in pairs if table[hant] != table[hans]]


COFFEE = "coffee, brewed, breakfast blend"


@pytest.mark.parametrize(("typed", "cups"), [("a coffee", 1), ("2 coffees", 2), ("一杯咖啡", 1)])
def test_a_count_of_a_drink_is_its_cited_cup(db: K2Database, typed: str, cups: int) -> None:
    from tests.web_client import seed_portion

    (item,) = db.meal([typed]).items
    assert item.food == COFFEE
    assert item.grams == pytest.approx(cups * seed_portion(COFFEE, "cup"))


def test_a_count_of_a_drink_whose_cup_is_only_a_fallback_is_still_refused(db: K2Database) -> None:
    from d3k2db.errors import MealError

    with pytest.raises(MealError, match="a count needs a piece, and kefir is not counted in pieces"):
        db.meal(["a kefir"])


@pytest.mark.parametrize(
    ("typed", "food", "unit"),
    [
        ("cottage cheese half a cup", "cottage cheese", "cup"),
        ("natto half a pack", "natto", "package"),
        ("milk half a glass", "whole milk", None),  # a fallback glass: the same as typed before the food
    ],
)
def test_half_an_amount_after_the_food_is_read_as_before_it(
    db: K2Database, typed: str, food: str, unit: str | None
) -> None:
    """'cottage cheese half a cup' is what 'half a cup of cottage cheese' is: half of the food's own
    published unit, not a second item 'half a cup' with no food."""
    after = db.meal([typed]).items
    name, _, amount = typed.partition(" half ")
    before = db.meal([f"half {amount} of {name}"]).items
    assert [i.food for i in after] == [food] == [i.food for i in before]
    assert after[0].grams == pytest.approx(before[0].grams)
    if unit is not None:
        assert after[0].grams == pytest.approx(published.portion_grams(food, unit) / 2)
