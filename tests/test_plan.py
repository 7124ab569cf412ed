"""`K2Database.plan`: every plan reaches the K2 needed or says by how much it falls short; every
amount is a half-step of a cited serving within 0.5–2 servings; only trusted figures unless asked;
diets, foods avoided and liked; the plans differ; a meal already eaten lowers the need by its K2.

Expected figures are computed here from data/*.csv (tests/published.py), never read from the
program's output."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from d3k2db import K2Database
from d3k2db.errors import UsageError
from d3k2db.plan.results import PlanItem, PlanResult
from tests import published

FOODS = {row["name"]: row for row in published.rows("foods.csv")}
FALLBACK_GRAMS = {
    (row["unit"], float(row["grams"])) for row in published.rows("unit_fallbacks.csv") if row["grams"]
}


def _names_in(rule: str) -> set[str]:
    """The shipped foods a data/plan_units.csv rule names: `food:a|b` exactly, `word:w|v` as a whole
    word (or its plural) of the name, `category:c!w|v` every food of c whose name holds none of w, v."""
    rule, _, unless = rule.partition("!")
    kind, _, value = rule.partition(":")

    def holds(name: str, words: str) -> bool:
        return any(re.search(rf"\b{re.escape(w)}s?\b", name) for w in words.split("|"))

    named = {
        name
        for name, row in FOODS.items()
        if (kind == "food" and name in value.split("|"))
        or (kind == "word" and holds(name, value))
        or (kind == "category" and row["category"] in value.split("|"))
    }
    return {name for name in named if not (unless and holds(name, unless))}


PLAN_UNITS = {
    name for row in published.rows("plan_units.csv") if row["unit"] for name in _names_in(row["applies_to"])
}
NOT_PLANNED = {
    name
    for row in published.rows("plan_units.csv")
    if not row["unit"]
    for name in _names_in(row["applies_to"])
}
ANIMAL_TISSUE = {"meat", "poultry", "organ", "egg", "fish", "fat"}
FERMENTED = {"cheese", "fermented_soy", "fermented_vegetable"}
FERMENTED_MILK = (
    "yogurt",
    "kefir",
    "quark",
    "sour cream",
    "crème fraîche",
    "buttermilk",
    "fermented",
    "ayran",
    "skyr",
)
# the categories each diet can never use (the independent check of the plans; test_plan_diet.py
# checks the classification of every food in depth)
DIET_LEAVES_OUT = {
    "vegan": {"cheese", "dairy", "egg", "meat", "poultry", "fish", "organ"},
    "vegetarian": {"meat", "poultry", "fish", "organ"},
    "pescatarian": {"meat", "poultry", "organ"},
    "no-dairy": {"cheese", "dairy"},
    "no-soy": {"fermented_soy"},
    "no-pork": set(),
    "no-offal": {"organ"},
}
# shellfish and molluscs: never counted in the cited piece of (fin)fish, a 136 g swordfish piece
SHELLFISH = ("mussel", "clam", "oyster", "scallop", "squid", "octopus", "cuttlefish", "crab", "shrimp",
             "prawn", "lobster", "crayfish")  # fmt: skip
DIET_WORDS = {
    "no-soy": ("soy", "tofu", "natto", "miso", "tempeh"),
    "no-pork": ("pork", "ham", "bacon", "lard"),
}


@pytest.fixture(scope="module")
def db(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[K2Database]:
    """One seeded SQLite copy for the module's many plans (each plan only reads)."""
    path = tmp_path_factory.mktemp("plan") / "k2.sqlite"
    shutil.copy(seeded_template, path)
    with K2Database(f"sqlite:///{path}") as database:
        yield database


def forms_measured(row: dict[str, str]) -> int:
    return sum(1 for form in published.FORMS if row[form].strip())


def trusted(row: dict[str, str]) -> bool:
    """Unflagged, and a headline standing for the whole K2 (README, 'The headline rule')."""
    if row["flags"]:
        return False
    if row["coverage"] in ("complete", "total"):
        return True
    category, name = row["category"], row["name"]
    fermented_milk = category == "dairy" and any(word in name for word in FERMENTED_MILK)
    if category in FERMENTED or fermented_milk:
        return forms_measured(row) >= 3
    if category in ANIMAL_TISSUE or category == "dairy":
        return bool(row["mk4"].strip())
    return False


def check_amount(item: PlanItem) -> None:
    """A half-step of a cited serving, 0.5–2 servings, and the K2 of that many grams."""
    row = FOODS[item.food]
    assert item.food not in NOT_PLANNED, item  # lard, an uncooked grain, a baby food …
    assert row["category"] != "fat" or re.search(r"butter|margarine", item.food), item  # spreads only
    assert item.count > 0 and item.count * 2 == round(item.count * 2), item
    assert item.grams == pytest.approx(item.count * item.grams_per_unit)
    label, serving_g = row["serving_label"], float(row["serving_g"])
    if item.amount_source == "serving":
        assert label != "100 g" and item.grams_per_unit == pytest.approx(serving_g), item
        assert label in (f"1 {item.unit}", item.unit), item
    elif item.amount_source == "portion":
        assert item.grams_per_unit == pytest.approx(published.portion_grams(item.food, item.unit)), item
    else:
        assert item.amount_source == "fallback" and item.fallback, item
        assert (item.unit, item.grams_per_unit) in FALLBACK_GRAMS, item
        assert not any(word in item.food for word in SHELLFISH), item  # no fish piece of mussels
    cited_serving = label != "100 g" and item.food not in PLAN_UNITS
    reference = serving_g if cited_serving else item.grams_per_unit
    assert 0.5 * reference - 1e-6 <= item.grams <= 2 * reference + 1e-6, item
    assert item.k2 == pytest.approx(published.k2_per_100g(row) * item.grams / 100)
    assert not item.amount.startswith("0"), item.amount  # '½ × …', never '0.5 g' of a food


def check_result(result: PlanResult, diets: tuple[str, ...] = (), include_doubtful: bool = False) -> None:
    need = result.k2_to_plan_ug
    mains: list[str] = []
    for number, plan in enumerate(result.plans, 1):
        assert 1 <= len(plan.items) <= result.max_items
        assert len({item.food for item in plan.items}) == len(plan.items)
        assert plan.k2 == pytest.approx(sum(item.k2 for item in plan.items))
        if plan.k2 >= need - 1e-9:
            assert plan.reaches and plan.shortfall_ug == 0
        else:  # says by how much, and is the last plan
            assert not plan.reaches and plan.shortfall_ug == pytest.approx(need - plan.k2)
            assert number == len(result.plans)
        main = max(plan.items, key=lambda item: item.k2)
        mains.append(FOODS[main.food]["category"])
        for item in plan.items:
            check_amount(item)
            row = FOODS[item.food]
            assert include_doubtful or trusted(row), item.food
            assert item.flags == ([f for f in row["flags"].split(" | ") if f] if row["flags"] else [])
            for diet in diets:
                assert row["category"] not in DIET_LEAVES_OUT[diet], (diet, item.food)
                assert not any(word in item.food for word in DIET_WORDS.get(diet, ())), (diet, item.food)
    assert len(mains) == len(set(mains)), mains  # each plan's main food of another category


DIETS = [(), ("vegan",), ("vegetarian",), ("pescatarian",), ("no-dairy",), ("no-soy",), ("no-pork",),
         ("no-offal",), ("no-soy", "no-pork", "no-offal")]  # fmt: skip


@pytest.mark.parametrize("diets", DIETS, ids=lambda d: "+".join(d) or "any")
def test_every_plan_reaches_its_target_or_states_the_shortfall(
    db: K2Database, diets: tuple[str, ...]
) -> None:
    for d3 in (1_000, 2_000, 5_000, 10_000):
        result = db.plan(d3, diets=diets)
        assert result.k2_needed_ug == pytest.approx(d3 / 10_000 * 100)
        assert result.plans and result.plans[0].reaches  # the shipped data covers every diet once
        check_result(result, diets)
    result = db.plan(target_ug=300, diets=diets, max_items=2, count=3)
    assert result.k2_needed_ug == 300 and len(result.plans) <= 3
    check_result(result, diets)


def test_plans_overshoot_little_where_the_data_allows(db: K2Database) -> None:
    for d3 in (1_000, 2_000, 3_000, 4_000):
        first = db.plan(d3).plans[0]
        assert first.reaches and first.overshoot_ug <= 0.1 * first.k2_to_plan_ug, (d3, first.to_dict())


def test_a_vegan_plan_without_natto_says_by_how_much_it_falls_short(db: K2Database) -> None:
    with_natto = db.plan(5_000, diets=["vegan"])
    assert with_natto.plans[0].items[0].food == "natto" and with_natto.plans[0].reaches
    without = db.plan(5_000, diets=["vegan"], avoid=["natto"])
    check_result(without, ("vegan",))
    assert len(without.plans) == 1  # the best that can be done; nothing shorter after it
    short = without.plans[0]
    assert not short.reaches and short.shortfall_ug == pytest.approx(50 - short.k2) and short.k2 > 0


def test_alternatives_differ_in_their_main_food(db: K2Database) -> None:
    result = db.plan(3_000, count=5)
    assert len(result.plans) == 5
    mains = [plan.main.food for plan in result.plans]
    assert len(set(mains)) == 5
    for earlier, later in zip(result.plans, result.plans[1:], strict=False):
        left_out = FOODS[earlier.main.food]["category"]
        assert all(FOODS[item.food]["category"] != left_out for item in later.items)


def test_a_meal_already_eaten_lowers_the_need_by_exactly_its_k2(db: K2Database) -> None:
    egg, gouda = FOODS["whole egg, raw"], FOODS["gouda"]
    meal_k2 = (
        2 * float(egg["serving_g"]) * published.k2_per_100g(egg) / 100
        + 30 * published.k2_per_100g(gouda) / 100
    )
    result = db.plan(5_000, with_meal=["2 eggs, 30 g gouda"])
    assert result.eaten_k2_ug == pytest.approx(meal_k2)
    assert result.k2_to_plan_ug == pytest.approx(50 - meal_k2)
    check_result(result)
    for plan in result.plans:
        assert plan.total_k2_ug == pytest.approx(meal_k2 + plan.k2)
        assert plan.pairs_with_d3_iu == pytest.approx((meal_k2 + plan.k2) * 100)
    covered = db.plan(2_000, with_meal=["100 g natto"])
    assert covered.covered and covered.plans == [] and covered.k2_to_plan_ug == 0


def test_doubtful_figures_only_when_asked_and_then_marked(db: K2Database) -> None:
    doubtful = "omelette, country hen egg"
    assert FOODS[doubtful]["flags"]
    refused = db.plan(2_000, like=[doubtful])
    assert refused.like_unused == [doubtful]
    assert all(item.food != doubtful for plan in refused.plans for item in plan.items)
    admitted = db.plan(2_000, like=[doubtful], include_doubtful=True)
    check_result(admitted, include_doubtful=True)
    items = [item for item in admitted.plans[0].items if item.food == doubtful]
    assert items and items[0].flags and items[0].liked  # carries its flags: the tables mark it !
    assert not db.plan(2_000).include_doubtful


def test_foods_and_categories_to_avoid_in_any_language(db: K2Database) -> None:
    in_english = db.plan(2_000, avoid=["cheese", "chicken"])
    in_chinese = db.plan(2_000, avoid=["起司", "雞肉"])  # the category's Traditional name, chicken meat
    for result in (in_english, in_chinese):
        check_result(result)
        assert not any(FOODS[i.food]["category"] == "cheese" for plan in result.plans for i in plan.items)
    assert not any("chicken" in i.food for plan in in_english.plans for i in plan.items)
    livers = db.plan(2_000, avoid=["liver"])
    assert not any("liver" in i.food for plan in livers.plans for i in plan.items)


@pytest.mark.parametrize(
    "question",
    [
        {"target_ug": 100, "diets": ["no-soy"]},  # these plans held 2 × 136 g of mussels
        {"d3_iu": 4_000, "diets": ["pescatarian"], "avoid": ["cheese"]},
        {"d3_iu": 3_000, "diets": ["no-dairy", "no-pork"]},
    ],
)
def test_shellfish_are_planned_by_their_cited_serving_or_not_at_all(
    db: K2Database, question: dict[str, object]
) -> None:
    result = db.plan(**question)  # type: ignore[arg-type]
    check_result(result, tuple(question.get("diets", ())))  # type: ignore[arg-type]
    # blue mussels publish no serving and no portion (foods.csv: 100 g; portions.csv: none)
    assert FOODS["blue mussels"]["serving_label"] == "100 g"
    assert not [r for r in published.rows("portions.csv") if r["food"] == "blue mussels"]
    mussels = db.plan(4_000, diets=["pescatarian"], like=["blue mussels"])
    assert mussels.like_unused == ["blue mussels"]  # no unit to count them in: not planned
    oysters = db.plan(4_000, diets=["pescatarian"], like=["oyster, cooked"])  # a cited 3 oz serving
    (oyster,) = [i for plan in oysters.plans for i in plan.items if i.food == "oyster, cooked"][:1]
    assert (oyster.amount_source, oyster.unit) == ("serving", FOODS["oyster, cooked"]["serving_label"])


def test_what_one_does_not_eat_as_such_is_never_planned(db: K2Database) -> None:
    # lard (foods.csv: 1 tbsp, MK-4 45.6) was planned as '2 × tbsp' to eat; quinoa as 2 cups uncooked
    for food in ("lard", "ham fat, cured, unheated", "quinoa, uncooked", "millet flour", "baby food, turkey"):
        assert food in NOT_PLANNED, food
        result = db.plan(2_000, like=[food])
        assert result.like_unused == [food], food
        check_result(result)
    assert db.plan(2_000, like=["butter, whipped"]).like_unused == []  # a spread is planned


def test_a_food_served_by_weight_is_counted_in_its_published_pieces(db: K2Database) -> None:
    meatballs = "meatballs, italian style, frozen"
    assert FOODS[meatballs]["serving_label"] == "3 oz"  # was planned as '6 oz (170 g)'
    piece = published.portion_grams(meatballs, "piece")  # portions.csv: 3 pieces = 56 g
    result = db.plan(2_000, like=[meatballs])
    check_result(result)
    (item,) = [i for i in result.plans[0].items if i.food == meatballs]
    assert (item.unit, item.grams_per_unit) == ("piece", pytest.approx(piece))
    assert item.amount.endswith(f" × piece ({round(item.count * piece, 1):g} g)")  # the pieces' weight
    assert 0.5 * 85 <= item.grams <= 2 * 85  # half to two 3 oz servings, in pieces


def test_evaporated_milk_is_counted_in_fluid_ounces(db: K2Database) -> None:
    food = "evaporated milk, full-fat"
    assert FOODS[food]["serving_label"] == "1 cup" and food in PLAN_UNITS
    result = db.plan(target_ug=1, like=[food])
    check_result(result)
    (item,) = [i for plan in result.plans for i in plan.items if i.food == food][:1]
    assert (item.unit, item.grams_per_unit) == ("fl oz", published.portion_grams(food, "fl oz"))
    assert item.grams <= 2 * published.portion_grams(food, "fl oz")  # a splash, never 2 cups (504 g)


def test_a_liked_food_is_in_the_first_plan(db: K2Database) -> None:
    result = db.plan(2_000, like=["納豆"])
    first = result.plans[0]
    assert any(item.food == "natto" and item.liked for item in first.items)
    check_result(result)


def test_words_that_name_nothing_and_bad_options_are_refused(db: K2Database) -> None:
    with pytest.raises(UsageError, match="xyzzy"):
        db.plan(2_000, avoid=["xyzzy"])
    with pytest.raises(UsageError, match="keto"):
        db.plan(2_000, diets=["keto"])
    with pytest.raises(UsageError):
        db.plan()
    with pytest.raises(UsageError):
        db.plan(2_000, target_ug=20)
    for options in ({"max_items": 0}, {"count": 0}, {"count": 21}, {"max_items": 11}):
        with pytest.raises(UsageError):
            db.plan(2_000, **options)  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        db.plan(200_000)  # above the dose any person means


def test_plans_are_the_same_on_sqlite_and_postgresql(
    seeded_template: Path, postgres: object, postgres_template: str, tmp_path: Path
) -> None:
    from tests.pg import PostgresServer

    server = postgres
    assert isinstance(server, PostgresServer)
    pg_url = server.create_database(template=postgres_template)
    path = tmp_path / "k2.sqlite"
    shutil.copy(seeded_template, path)
    try:
        questions = [
            {"d3_iu": 2_000},
            {"d3_iu": 5_000, "diets": ["vegan"]},
            {"target_ug": 100, "diets": ["no-soy"], "avoid": ["liver"]},
            {"d3_iu": 4_000, "with_meal": ["2 eggs"], "like": ["cheese"], "include_doubtful": True},
        ]
        with K2Database(f"sqlite:///{path}") as lite, K2Database(pg_url) as pg:
            for question in questions:
                assert lite.plan(**question).to_dict() == pg.plan(**question).to_dict(), question  # type: ignore[arg-type]
    finally:
        server.drop_database(pg_url)


def _item(count: float, unit: str, grams_per_unit: float) -> PlanItem:
    return PlanItem(
        food="natto", category="fermented_soy", tag=None, main_form=None, is_custom=False, count=count,
        unit=unit, grams_per_unit=grams_per_unit, grams=count * grams_per_unit, amount_source="serving",
        k2_per_100g=1.0, k2=1.0,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("count", "unit", "per_unit", "lang", "said"),
    [
        (0.5, "package", 50, "en", "½ × package (25 g)"),  # half a pack weighs 25 g, not 50
        (3, "patty", 30, "en", "3 × patty (90 g)"),
        (2, "large", 50, "en", "2 × large (100 g)"),
        (1.5, "oz", 28.35, "en", "1½ oz (42.5 g)"),  # ounces counted as ounces, the same rule
        (1.5, "3 oz", 85, "en", "4½ oz (127.5 g)"),
        (0.5, "package", 50, "zh-Hant", "½ × 包（25 公克）"),
        (2, "large", 50, "zh-Hans", "2 × 大（100 克）"),
    ],
)
def test_an_amount_gives_the_items_total_weight(
    count: float, unit: str, per_unit: float, lang: str, said: str
) -> None:
    from d3k2db import i18n

    i18n.set_language(lang)
    item = _item(count, unit, per_unit)
    assert item.amount == said
    assert item.to_dict()["amount"] == said and item.to_dict()["grams_per_unit"] == per_unit
