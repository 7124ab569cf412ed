"""Can `meal` and `show` be trusted? Every seeded name typed back, hostile custom names, arbitrary
text, and the CLI's edges. Expected values come from data/*.csv (tests/published.py) and the spec
of issue 10 (fillers, units, bounds: 5,000 g and 100 pieces per item; the 4,000 IU upper intake
level of the Institute of Medicine, 2011), never from the program's own output."""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from d3k2db import K2Database
from d3k2db.cli import app
from d3k2db.domain.records import MAX_NAME, FoodSpec, Invalid
from d3k2db.domain.results import MealResult
from d3k2db.errors import D3k2dbError
from tests import published

FOODS = published.rows("foods.csv")
ALIASES = published.rows("aliases.csv")
GENERICS = published.rows("generic_foods.csv")
NOT_IN_DATABASE = published.rows("not_in_database.csv")
SERVING_G = {row["name"]: float(row["serving_g"]) for row in FOODS}
MATCH_KINDS = ("exact", "alias", "generic", "typo")
UPPER_LIMIT_IU = 4_000  # adult tolerable upper intake level of vitamin D (IOM 2011)
IU_PER_UG_K2 = 10_000 / 100  # the default ratio: 100 µg K2 per 10,000 IU D3


def sqlite_copy(template: Path, folder: Path) -> str:
    path = folder / "k2.sqlite"
    shutil.copy(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def db(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[K2Database]:
    """One seeded SQLite database for the read-only tests of this module."""
    database = K2Database(sqlite_copy(seeded_template, tmp_path_factory.mktemp("trust")))
    yield database
    database.close()


@pytest.fixture
def own_db(seeded_template: Path, tmp_path: Path) -> Iterator[K2Database]:
    """A seeded SQLite database a test may add foods and aliases to."""
    database = K2Database(sqlite_copy(seeded_template, tmp_path))
    yield database
    database.close()


# ---------------------------------------------------------------------------------------------
# 1. Every seeded name and alias, typed verbatim


def meal_problem(db: K2Database, typed: str, food: str, kind: str) -> str | None:
    """Why ``db.meal([typed])`` is not one default serving of ``food`` matched as ``kind``."""
    try:
        result = db.meal([typed])
    except D3k2dbError as exc:
        return f"{typed!r}: refused: {exc}"
    got = [(item.food, item.match, item.grams) for item in result.items]
    if got != [(food, kind, pytest.approx(SERVING_G[food]))] or result.skipped:
        return f"{typed!r}: expected [({food!r}, {kind!r}, {SERVING_G[food]})], got {got}"
    return None


def show_problem(db: K2Database, typed: str, food: str, kind: str) -> str | None:
    try:
        profile = db.show(typed)
    except D3k2dbError as exc:
        return f"{typed!r}: refused: {exc}"
    if (profile.name, profile.match) != (food, kind):
        return f"{typed!r}: expected {food!r} ({kind}), got {profile.name!r} ({profile.match})"
    return None


def test_the_data_files_are_read() -> None:
    assert len(FOODS) > 300 and len(ALIASES) > 1000
    # names that begin with a number, carry "+", full-width parentheses or 和 (also "and")
    assert {"20+ cheese", "0% yogurt", "荷蘭乳酪（35+）", "牛和尚頭側排（生）"} <= {
        row["alias"] for row in ALIASES
    }


def test_every_food_name_is_one_exact_meal_item(db: K2Database) -> None:
    problems = [p for row in FOODS if (p := meal_problem(db, row["name"], row["name"], "exact"))]
    assert problems == []


def test_every_food_name_shows_that_food(db: K2Database) -> None:
    problems = [p for row in FOODS if (p := show_problem(db, row["name"], row["name"], "exact"))]
    assert problems == []


def test_every_alias_is_one_alias_meal_item(db: K2Database) -> None:
    problems = [p for row in ALIASES if (p := meal_problem(db, row["alias"], row["food"], "alias"))]
    assert problems == []


def test_every_alias_shows_its_food(db: K2Database) -> None:
    problems = [p for row in ALIASES if (p := show_problem(db, row["alias"], row["food"], "alias"))]
    assert problems == []


def test_names_and_aliases_in_upper_case_are_the_same_food(db: K2Database) -> None:
    """Case aside (spec: exact is the food's own name, case … aside): a sample in capitals."""
    sample = [row["name"] for row in FOODS if row["name"].isascii()][::10]
    problems = [p for name in sample if (p := meal_problem(db, name.upper(), name, "exact"))]
    assert problems == []


# -- through the CLI, for a sample

PRINTED_NAMES = ["ground beef, 10% fat, raw", "dutch cheese 35+", "whole egg, raw"]


def invoke(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def as_json(runner: CliRunner, *args: str) -> dict:
    result = invoke(runner, *args, "--format", "json")
    assert result.exit_code == 0, (args, result.stderr)
    return json.loads(result.stdout)


def test_the_printed_sample_names_are_seed_foods() -> None:
    assert set(PRINTED_NAMES) <= set(SERVING_G)


@pytest.mark.parametrize("name", PRINTED_NAMES)
def test_cli_takes_printed_names_back(runner: CliRunner, db_url: str, name: str) -> None:
    data = as_json(runner, "meal", name)
    assert [(i["food"], i["match"], i["grams"]) for i in data["items"]] == [
        (name, "exact", pytest.approx(SERVING_G[name]))
    ]
    profile = as_json(runner, "show", name)
    assert (profile["name"], profile["match"]) == (name, "exact")

    alias = f"my usual {name.split(',')[0].split()[-1]} pick"
    added = invoke(runner, "alias", "add", name, alias)
    assert added.exit_code == 0, added.stderr
    data = as_json(runner, "meal", alias)
    assert [(i["food"], i["match"]) for i in data["items"]] == [(name, "alias")]
    assert as_json(runner, "show", alias)["name"] == name


CLI_ALIAS_SAMPLE = ALIASES[::150]


@pytest.mark.parametrize("row", CLI_ALIAS_SAMPLE, ids=lambda row: row["alias"])
def test_cli_takes_seed_aliases_back(runner: CliRunner, db_url: str, row: dict[str, str]) -> None:
    data = as_json(runner, "meal", row["alias"])
    assert [(i["food"], i["match"]) for i in data["items"]] == [(row["food"], "alias")]
    profile = as_json(runner, "show", row["alias"])
    assert (profile["name"], profile["match"]) == (row["food"], "alias")


# -- custom foods with hostile but valid names

LONGEST_NAME = ("farmhouse gouda " * 19)[:MAX_NAME]
HOSTILE_NAMES = [
    "my beef, 12% fat, smoked",
    "farm cheese 40+",
    "kefir 2% fat, homemade",
    "cheese (aged 24 months)",
    "crème fraîche de la ferme",
    "自製納豆",
    "和牛",
    "natto 2",
    "cheese and butter spread",
    "7 layer cheese",
    "2% kefir, homemade",
    "eggs x2 bake",
    "1/2 cheese",
    " ".join(["k2"] * 99) + " k2z",
    LONGEST_NAME,
]
DIGIT_FIRST_NAMES = ["7 layer cheese", "2% kefir, homemade"]


def test_the_longest_name_is_exactly_the_limit() -> None:
    assert len(LONGEST_NAME) == MAX_NAME == 300 and LONGEST_NAME.strip() == LONGEST_NAME


def test_a_name_over_the_limit_is_refused(own_db: K2Database) -> None:
    with pytest.raises(Invalid, match="name: is longer than"):
        own_db.add_food(FoodSpec.of(LONGEST_NAME + "x", total_k2=10.0))


def test_hostile_custom_names_are_taken_back_verbatim(own_db: K2Database) -> None:
    for name in HOSTILE_NAMES:
        own_db.add_food(FoodSpec.of(name, total_k2=10.0, serving_g=42.0))
    problems = []
    for number, name in enumerate(HOSTILE_NAMES):
        result = own_db.meal([name])
        got = [(item.food, item.match, item.grams, item.k2) for item in result.items]
        if got != [(name, "exact", 42.0, pytest.approx(10.0 * 42 / 100))]:
            problems.append((name, got))
        if (own_db.show(name).name, own_db.show(name).match) != (name, "exact"):
            problems.append((name, "show"))
        alias = f"house pick {'abcdefghijklmnopqrstuvwxyz'[number]}"
        assert own_db.add_alias(name, alias) == name
        if [(i.food, i.match) for i in own_db.meal([alias]).items] != [(name, "alias")]:
            problems.append((name, "meal of its alias"))
        if own_db.show(alias).name != name:
            problems.append((name, "show of its alias"))
    assert problems == []


def test_digit_first_names_are_shown_and_take_aliases(own_db: K2Database) -> None:
    for number, name in enumerate(DIGIT_FIRST_NAMES):
        own_db.add_food(FoodSpec.of(name, total_k2=10.0))
        profile = own_db.show(name)
        assert (profile.name, profile.match) == (name, "exact")
        assert own_db.add_alias(name, f"digit pick {'abc'[number]}") == name
        assert [i.food for i in own_db.meal([f"digit pick {'abc'[number]}"]).items] == [name]


@pytest.mark.parametrize("name", ["my beef, 12% fat, smoked", "farm cheese 40+", "自製納豆", LONGEST_NAME])
def test_cli_add_then_meal_show_and_alias_add(runner: CliRunner, db_url: str, name: str) -> None:
    added = invoke(runner, "add", name, "--total", "10", "--serving-g", "42")
    assert added.exit_code == 0, added.stderr
    data = as_json(runner, "meal", name)
    assert [(i["food"], i["match"], i["grams"]) for i in data["items"]] == [(name, "exact", 42.0)]
    assert data["total"]["k2"] == pytest.approx(10.0 * 42 / 100)
    profile = as_json(runner, "show", name)
    assert (profile["name"], profile["match"], profile["is_custom"]) == (name, "exact", True)
    aliased = invoke(runner, "alias", "add", name, "our house pick")
    assert aliased.exit_code == 0, aliased.stderr
    data = as_json(runner, "meal", "our house pick")
    assert [(i["food"], i["match"]) for i in data["items"]] == [(name, "alias")]


@pytest.mark.parametrize("name", DIGIT_FIRST_NAMES)
def test_cli_digit_first_names_show_and_take_an_alias(runner: CliRunner, db_url: str, name: str) -> None:
    assert invoke(runner, "add", name, "--total", "10").exit_code == 0
    assert as_json(runner, "show", name)["name"] == name
    aliased = invoke(runner, "alias", "add", name, "the digit pick")
    assert aliased.exit_code == 0, aliased.stderr


# ---------------------------------------------------------------------------------------------
# 2. Properties of the meal over arbitrary text

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

NUMBERS = ["1", "2", "3", "0", "-2", "1.5", ".5", "1,5", "1/2", "1 1/2", "½", "10", "100", "250", "4999",
           "5000", "5001", "1e3", "1e400", "1e-400", "nan", "inf", "2-3", "1.000", "a", "an", "half",
           "a couple of", "a dozen", "two", "two and a half", "deux", "un", "une", "twee", "een", "x2", "2x",
           "101", "一", "兩", "两", "三", "十", "半", "一個半", "两个", "三顆"]  # fmt: skip
UNITS = ["g", "kg", "mg", "oz", "lb", "tsp", "tbsp", "cup", "cups", "fl oz", "pint", "ml", "dl", "l",
         "slice", "slices", "piece", "serving", "glass", "bowl", "mug", "handful", "pack", "can", "jar",
         "large", "medium", "tranche", "verre", "tasse", "bol", "plakje", "glas", "kopje", "eetlepel",
         "克", "公克", "公斤", "毫升", "杯", "碗", "片", "塊", "份", "盒", "包", "湯匙", "茶匙", "個", "颗",
         "of", "de", "d'", "du"]  # fmt: skip
FILLERS = ["I had", "breakfast", "some", "about", "a bit of", "in oil", "for lunch", "我吃了", "早餐",
           "j'ai mangé", "ik heb", "ongeveer", "today", "the", "maybe"]  # fmt: skip
SEPARATORS = [", ", "; ", " + ", " & ", " / ", "、", " and ", " with ", " plus ", " et ", " avec ", " en ",
              " met ", "和", "跟", "與", "加", "還有", " ", ""]  # fmt: skip
GARBAGE = ["toast", "qqqq", "old gouda", "goose liver pâté", "🧀", "x", "--d3", "-", "%", "'", '"', "\t"]


def _typos(word: str) -> list[str]:
    """Deletions, doubled letters and neighbour swaps of ``word``."""
    out = [word[:i] + word[i + 1 :] for i in range(len(word))]
    out += [word[:i] + word[i] + word[i:] for i in range(len(word))]
    out += [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]
    return out


# (text, the food it names or the text itself): one entry per food in a generated meal, because
# repeats of a food are added up into one item (see the report: a sum may pass 5,000 g).
FOOD_WORDS: list[tuple[str, str]] = [
    *((row["name"], row["name"]) for row in FOODS),
    *((row["alias"], row["food"]) for row in ALIASES),
    *((row["term"], row["food"]) for row in GENERICS),
    *((row["term"], row["term"]) for row in NOT_IN_DATABASE[::10]),
    *((word, word) for word in GARBAGE),
]
ONE_WORD_ALIASES = [
    (row["alias"], row["food"]) for row in ALIASES if row["alias"].isascii() and row["alias"].isalpha()
]
TYPO_BASES = [
    ("natto", "natto"),
    ("butter", "butter"),
    ("cheese", "gouda"),
    ("sauerkraut", "sauerkraut"),
    *ONE_WORD_ALIASES[::7],
]
TYPO_WORDS: list[tuple[str, str]] = [(typo, food) for word, food in TYPO_BASES for typo in _typos(word)]


def maybe(words: list[str]) -> st.SearchStrategy[str]:
    """Nothing half of the time, else one of ``words``."""
    return st.one_of(st.just(""), st.sampled_from(words))


@st.composite
def meal_like(draw: st.DrawFn) -> str:
    foods = draw(
        st.lists(
            st.one_of(st.sampled_from(FOOD_WORDS), st.sampled_from(TYPO_WORDS)),
            min_size=1,
            max_size=4,
            unique_by=lambda entry: entry[1],
        )
    )
    parts = []
    for food, _ in foods:
        words = [
            draw(maybe(FILLERS)),
            draw(maybe(NUMBERS)),
            draw(maybe(UNITS)),
            food,
            draw(maybe(["x2", "2", "1 cup", "200ml", "2x", "in oil", "for breakfast"])),
        ]
        glue = draw(st.sampled_from([" ", " ", " ", ""]))
        parts.append(glue.join(word for word in words if word))
    text = parts[0]
    for part in parts[1:]:
        text += draw(st.sampled_from(SEPARATORS)) + part
    return text


@st.composite
def plain_meal(draw: st.DrawFn) -> str:
    """Known foods with a mass, a count or nothing: most of these meals are counted."""
    foods = draw(st.lists(st.sampled_from(FOOD_WORDS[: len(FOODS) + len(ALIASES)]), min_size=1, max_size=4,
                          unique_by=lambda entry: entry[1]))  # fmt: skip
    parts = []
    for food, _ in foods:
        amount = draw(
            st.one_of(
                st.just(""),
                st.builds("{} {} ".format, st.integers(1, 6000), st.sampled_from(["g", "kg", "oz", "克"])),
                st.builds("{} ".format, st.integers(1, 120)),
            )
        )
        parts.append(amount + food)
    return draw(st.sampled_from(["; ", " and ", " + "])).join(parts)


def check_meal(db: K2Database, text: str, skip_unknown: bool) -> None:
    try:
        result = db.meal([text], skip_unknown=skip_unknown)
    except D3k2dbError:
        return
    assert isinstance(result, MealResult)
    assert result.items
    for item in result.items:
        assert item.match in (*MATCH_KINDS, "no_k2_expected"), item  # issue 19: the rule
        if item.match not in ("exact", "alias"):
            assert item.match_note, item
        if item.match == "generic":
            assert item.alternatives, item
        assert math.isfinite(item.grams) and 0 < item.grams <= 5000, item
    assert result.partial == bool(result.skipped)
    if not skip_unknown:
        assert not result.skipped


@PROPERTY_SETTINGS
@given(text=st.text(max_size=60))
def test_arbitrary_text_is_a_meal_or_a_clean_error(db: K2Database, text: str) -> None:
    check_meal(db, text, skip_unknown=False)
    check_meal(db, text, skip_unknown=True)


@PROPERTY_SETTINGS
@given(text=st.one_of(meal_like(), plain_meal()))
def test_meal_like_text_is_a_meal_or_a_clean_error(db: K2Database, text: str) -> None:
    check_meal(db, text, skip_unknown=False)
    check_meal(db, text, skip_unknown=True)


@PROPERTY_SETTINGS
@given(
    text=st.lists(
        st.sampled_from([*NUMBERS, *UNITS, *FILLERS, *SEPARATORS, "natto", "eggs", "cheese", "牛奶", "雞蛋"]),
        max_size=8,
    ).map("".join)
)
def test_glued_meal_words_are_a_meal_or_a_clean_error(db: K2Database, text: str) -> None:
    check_meal(db, text, skip_unknown=False)
    check_meal(db, text, skip_unknown=True)


# ---------------------------------------------------------------------------------------------
# 3. CLI edges


def refused(result, code: int = 2) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    return str(result.stderr)


@pytest.mark.parametrize(
    "args", [["-5 g butter"], ["--", "-5 g butter"], ["--", "-5", "g", "butter"]], ids=str
)
def test_a_negative_quantity_is_a_quantity_error(runner: CliRunner, db_url: str, args: list[str]) -> None:
    message = refused(invoke(runner, "meal", *args))
    assert "quantity" in message
    assert "no such option" not in message.lower()


@pytest.mark.parametrize("phrase", ["20 kg natto", "5001 g natto", "200 eggs", "101 eggs"])
def test_items_over_the_bounds_are_refused(runner: CliRunner, db_url: str, phrase: str) -> None:
    refused(invoke(runner, "meal", phrase))


@pytest.mark.parametrize("phrase", ["5000 g natto", "100 eggs"])
def test_items_at_the_bounds_are_counted(runner: CliRunner, db_url: str, phrase: str) -> None:
    assert invoke(runner, "meal", phrase).exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["meal", "eggs", "--d3", "150000"],
        ["meal", "eggs", "--ratio", "0.5"],
        ["meal", "eggs", "--ratio", "5000"],
        ["pair", "--d3", "150000"],
    ],
    ids=" ".join,
)
def test_options_out_of_range_are_usage_errors(runner: CliRunner, db_url: str, args: list[str]) -> None:
    refused(invoke(runner, *args))


def cites_upper_limit(text: str) -> bool:
    return "4,000 IU" in text and "Institute of Medicine" in text and "2011" in text


def test_a_meal_pairing_with_more_than_the_upper_limit_warns(runner: CliRunner, db_url: str) -> None:
    assert published.k2_per_100g(published.food("natto")) * IU_PER_UG_K2 > UPPER_LIMIT_IU
    table = invoke(runner, "meal", "100 g natto")
    assert table.exit_code == 0 and cites_upper_limit(table.stdout)
    warnings = as_json(runner, "meal", "100 g natto")["warnings"]
    assert any(cites_upper_limit(warning) for warning in warnings)


def test_one_egg_does_not_warn(runner: CliRunner, db_url: str) -> None:
    egg = published.alias_food("egg")
    assert published.food(egg)["serving_label"] == "1 large"  # a bare count: that many servings
    grams = SERVING_G[egg]
    assert published.k2_per_100g(published.food(egg)) * grams / 100 * IU_PER_UG_K2 < UPPER_LIMIT_IU
    table = invoke(runner, "meal", "1 egg")
    assert table.exit_code == 0 and "Institute of Medicine" not in table.stdout
    assert as_json(runner, "meal", "1 egg")["warnings"] == []


def test_pair_warns_above_the_upper_limit_only(runner: CliRunner, db_url: str) -> None:
    high = invoke(runner, "pair", "--d3", "5000")
    assert high.exit_code == 0 and cites_upper_limit(high.stdout)
    assert any(cites_upper_limit(w) for w in as_json(runner, "pair", "--d3", "5000")["warnings"])
    low = invoke(runner, "pair", "--d3", "2000")
    assert low.exit_code == 0 and "Institute of Medicine" not in low.stdout
    assert as_json(runner, "pair", "--d3", "2000")["warnings"] == []


def test_a_count_of_a_food_without_pieces_lists_the_units_that_work(runner: CliRunner, db_url: str) -> None:
    """A count means pieces — or packs, for a food whose default serving is its package (issue 19:
    natto's is '1 package', so '2 natto' is two packs); a food with neither is refused."""
    natto_units = {row["unit"] for row in published.rows("portions.csv") if row["food"] == "natto"}
    assert "package" in natto_units  # no piece is published for natto
    assert published.food("natto")["serving_label"] == "1 package"
    pack = published.portion_grams("natto", "package")
    for phrase in ("2 natto", "natto x2", "2 packs of natto", "兩盒納豆"):
        data = as_json(runner, "meal", phrase)
        items = [(i["food"], i["grams"]) for i in data["items"]]
        assert items == [("natto", pytest.approx(2 * pack))], phrase
    # duck meat: a 100 g serving and no piece-like portion
    message = refused(invoke(runner, "meal", "2 duck"))
    assert "count needs a piece" in message


def test_meal_help_names_units_examples_and_exit_codes(runner: CliRunner) -> None:
    result = invoke(runner, "meal", "--help")
    assert result.exit_code == 0
    for unit in ("glass", "bowl", "slice", "杯"):
        assert unit in result.stdout
    assert "Examples" in result.stdout and "d3k2db meal" in result.stdout
    assert "Exit codes" in result.stdout
    for code in ("0", "1", "2", "3"):
        assert code in result.stdout.split("Exit codes", 1)[1]


def test_show_a_typo_says_it_is_a_typo(runner: CliRunner, db_url: str) -> None:
    table = invoke(runner, "show", "natoo")
    assert table.exit_code == 0 and "typo" in table.stdout and "natto" in table.stdout
    profile = as_json(runner, "show", "natoo")
    assert (profile["name"], profile["match"], profile["matched"]) == ("natto", "typo", "natto")
    assert profile["match_note"]


def test_show_a_generic_word_says_it_is_generic(runner: CliRunner, db_url: str) -> None:
    cheese = next(row for row in GENERICS if row["term"] == "cheese")
    table = invoke(runner, "show", "cheese")
    assert table.exit_code == 0 and "generic" in table.stdout and cheese["food"] in table.stdout
    profile = as_json(runner, "show", "cheese")
    assert (profile["name"], profile["match"]) == (cheese["food"], "generic")
    assert profile["alternatives"] == cheese["alternatives"].split("|")


def test_show_an_exact_name_says_exact(runner: CliRunner, db_url: str) -> None:
    profile = as_json(runner, "show", "whole egg, raw")
    assert (profile["name"], profile["match"]) == ("whole egg, raw", "exact")
    assert profile["match_note"] is None
    table = invoke(runner, "show", "whole egg, raw")
    assert "typo" not in table.stdout and "generic" not in table.stdout
