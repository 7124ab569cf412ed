"""`d3k2db meal` end to end: grams and K2 computed by hand from data/*.csv."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from d3k2db import K2Database
from d3k2db.cli import app
from d3k2db.errors import MealError
from tests import published

EGG = published.alias_food("egg")


def k2_of(food_name: str, grams: float) -> float:
    return published.k2_per_100g(published.food(food_name)) * grams / 100


def serving(food_name: str) -> float:
    return float(published.food(food_name)["serving_g"])


def meal_json(runner: CliRunner, *words: str) -> dict:
    result = runner.invoke(app, ["meal", *words, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_default_servings(runner: CliRunner, db_url: str) -> None:
    data = meal_json(runner, "butter", "eggs")
    grams = {item["food"]: item["grams"] for item in data["items"]}
    assert grams == {"butter": pytest.approx(serving("butter")), EGG: pytest.approx(serving(EGG))}
    expected = k2_of("butter", serving("butter")) + k2_of(EGG, serving(EGG))
    assert data["total"]["k2"] == pytest.approx(expected)


def test_one_phrase_with_quantities_and_units(runner: CliRunner, db_url: str) -> None:
    data = meal_json(runner, "2 eggs, 1 tbsp butter, 30 g gouda")
    egg_g = 2 * published.portion_grams(EGG, "large")
    butter_g = published.portion_grams("butter", "tbsp")
    assert [item["grams"] for item in data["items"]] == pytest.approx([egg_g, butter_g, 30])
    expected = k2_of(EGG, egg_g) + k2_of("butter", butter_g) + k2_of("gouda", 30)
    assert data["total"]["k2"] == pytest.approx(expected)
    assert data["pairs_with_d3_iu"] == pytest.approx(expected * 100)  # 100 µg K2 : 10,000 IU
    assert "2 eggs → 2 × large" in data["items"][0]["interpretation"]


def test_shell_words_and_glued_units(runner: CliRunner, db_url: str) -> None:
    data = meal_json(runner, "2", "eggs", "100g", "natto", "butter")
    assert [item["food"] for item in data["items"]] == [EGG, "natto", "butter"]
    natto = data["items"][1]
    assert natto["grams"] == 100
    assert natto["forms"]["mk7"] == pytest.approx(published.number(published.food("natto")["mk7"]))


def test_multi_word_foods_match_longest_first(runner: CliRunner, db_url: str) -> None:
    liver = published.alias_food("chicken liver")
    data = meal_json(runner, "chicken", "liver", "sauerkraut")
    assert [item["food"] for item in data["items"]] == [liver, "sauerkraut"]


def test_ratio_option_scales_the_d3_pairing(runner: CliRunner, db_url: str) -> None:
    data = meal_json(runner, "100 g natto", "--ratio", "200")
    assert data["ratio_ug_k2_per_10000_iu_d3"] == 200
    assert data["pairs_with_d3_iu"] == pytest.approx(data["total"]["k2"] / 200 * 10_000)


def test_unknown_food_fails_whole_meal_with_suggestion_and_no_total(runner: CliRunner, db_url: str) -> None:
    """With --strict: the meal is all or nothing (README, "meal")."""
    result = runner.invoke(app, ["meal", "2 eggs, 100 g qqqqzzzz, 1 tbsp butter", "--strict"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "qqqqzzzz" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_refused_item_leaves_the_others_counted_and_exits_3(runner: CliRunner, db_url: str) -> None:
    """Issue 19, item 8: one rule with the web page. An unknown food and a unit the food has no
    weight for are each refused with their reason; the other items are counted; the total is partial."""
    result = runner.invoke(
        app, ["meal", "2 eggs, 100 g qqqqzzzz, 2 slices natto, 30 g gouda", "--format", "json"]
    )
    assert result.exit_code == 3, result.stderr
    data = json.loads(result.stdout)
    assert [item["food"] for item in data["items"]] == [EGG, "gouda"]
    assert data["items"][0]["grams"] == pytest.approx(2 * published.portion_grams(EGG, "large"))
    assert data["items"][1]["grams"] == pytest.approx(30)
    assert data["total"]["k2"] == pytest.approx(sum(item["k2"] for item in data["items"]))
    assert data["partial"] is True and data["total"]["partial"] is True
    assert sorted(s["typed"] for s in data["skipped"]) == ["100 g qqqqzzzz", "2 slices natto"]
    assert all(len(s["reason"]) > 10 for s in data["skipped"])
    table = runner.invoke(app, ["meal", "2 eggs, 100 g qqqqzzzz, 2 slices natto, 30 g gouda"])
    assert table.exit_code == 3
    assert "'2 slices natto': refused, not counted" in table.stdout
    assert "Total (partial: refused items not counted)" in table.stdout
    assert "Refused '2 slices natto': natto has no weight for" in table.stdout


def test_nothing_countable_is_refused_as_a_whole(runner: CliRunner, db_url: str) -> None:
    unit_only = runner.invoke(app, ["meal", "2 slices natto"])
    assert unit_only.exit_code == 2 and unit_only.stdout == ""
    both = runner.invoke(app, ["meal", "2 slices natto, 100 g qqqqzzzz"])
    assert both.exit_code == 1 and "qqqqzzzz" in both.stderr and "2 slices natto" in both.stderr


def test_help_and_readme_list_every_unit_and_pack_word(runner: CliRunner) -> None:
    """The words of data/lexicon/*.csv (engineer A's files): every canonical unit and every
    English and Chinese pack word is listed in `meal --help` and in the README's meal section."""
    import csv
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    units: set[str] = set()
    packs: set[str] = set()
    for path in sorted((root / "data" / "lexicon").glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["class"] == "unit":
                    units.add(row["value"])
                    if row["kind"] == "pack" and path.stem in ("en", "zh") and row["value"] == "package":
                        packs.add(row["word"])
    assert units and packs, "data/lexicon/*.csv has no units"
    help_text = " ".join(runner.invoke(app, ["meal", "--help"], terminal_width=200).stdout.split())
    readme = (root / "README.md").read_text(encoding="utf-8")
    meal_section = readme[readme.index("- **A count means pieces**") : readme.index("- **Filler words**")]
    for word in sorted(
        units
        | (
            packs
            - {"packages", "packs", "packets", "pkg", "pkgs", "containers", "tubs", "pots", "cartons", "盒装"}
        )
    ):
        assert word in help_text, f"{word!r} not in meal --help"
        assert word in meal_section, f"{word!r} not in the README's meal section"
    assert "no_k2_expected" in meal_section and "Booth" in meal_section and "Booth" in help_text


def test_every_bad_item_is_reported_at_once(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(app, ["meal", "100 g qqqqzzzz, 2 slices natto, 3 bowls natto"])
    assert result.exit_code == 1  # an unknown food is among the problems
    for fragment in ("qqqqzzzz", "slice", "bowls"):
        assert fragment in result.stderr
    assert result.stdout == ""


def test_a_unit_the_food_has_no_weight_for_lists_its_units(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(app, ["meal", "2 slices natto"])
    assert result.exit_code == 2
    assert "natto has no weight for '" in result.stderr
    assert "cup" in result.stderr  # natto's own SR28 portion


@pytest.mark.parametrize("words", [[], [""], [",,,"]])
def test_empty_meals_are_usage_errors(runner: CliRunner, db_url: str, words: list[str]) -> None:
    result = runner.invoke(app, ["meal", *words])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_repeated_foods_are_combined(runner: CliRunner, db_url: str) -> None:
    data = meal_json(runner, "1 egg, butter, 1 egg")
    eggs = [item for item in data["items"] if item["food"] == EGG]
    assert len(eggs) == 1 and eggs[0]["grams"] == pytest.approx(2 * serving(EGG))


def test_meal_csv_has_items_and_a_total_row(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(app, ["meal", "butter", "eggs", "--format", "csv"])
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("food,name_en,typed,match,interpretation,grams") and lines[-1].startswith(
        "TOTAL,"
    )
    assert len(lines) == 4


def test_library_meal_raises_its_own_error(db_url: str) -> None:
    with K2Database(db_url) as db, pytest.raises(MealError) as error:
        db.meal(["qqqqzzzz"])
    assert error.value.exit_code == 1


def test_the_comma_hint_only_when_every_word_is_a_food(runner: CliRunner, db_url: str) -> None:
    """'natto buter' may be two foods typed without a comma; 'old gouda' is one food not in d3k2db."""
    several = runner.invoke(app, ["meal", "natto buter"])
    assert several.exit_code == 1 and "separate them with commas" in several.stderr
    one = runner.invoke(app, ["meal", "3 slices of old gouda"])
    assert one.exit_code == 1 and "separate them with commas" not in one.stderr
