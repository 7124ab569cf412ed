"""`d3k2db plan` on the command line: the table, JSON and CSV, the safety words, exit codes, and
the whole output in Chinese."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from d3k2db.cli import app
from tests import published

WARFARIN = "Vitamin K counteracts warfarin-type anticoagulants"
RULE_OF_THUMB = "is a rule of thumb from supplement practice, not a dose"
UPPER_LEVEL = "tolerable upper intake level"


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["plan", *args])
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result.stdout


def test_the_table_has_each_plan_and_the_safety_words(runner: CliRunner, db_url: str) -> None:
    out = run(runner, "--d3", "2000")
    assert re.search(r"^Plan 1: [\d.]+ µg K2 of the 20\.0 µg needed \(pairs with [\d,]+ IU D3\)$", out, re.M)
    assert "Food" in out and "Amount" in out and "Grams" in out and "K2 µg" in out
    assert "2,000 IU of vitamin D3 calls for 20.0 µg K2 at 100 µg K2 per 10,000 IU." in out
    assert WARFARIN in out and RULE_OF_THUMB in out
    assert UPPER_LEVEL not in out  # 2,000 IU is below the upper level
    assert UPPER_LEVEL in run(runner, "--d3", "5000")  # as `pair` says it
    assert " g natto" not in out  # amounts are servings, never grams of natto


LOWER_BOUND = "‡ A partial figure is a lower bound: the forms not measured can only add K2"


@pytest.mark.parametrize("args", [["--d3", "5000", "--diet", "vegan"], ["--d3", "2000"], ["--target", "60"]])
def test_the_notes_say_a_partial_figure_is_a_lower_bound(
    runner: CliRunner, db_url: str, args: list[str]
) -> None:
    out = run(runner, *args)
    marked = any(line.rstrip().endswith("‡") for line in out.splitlines() if not line.startswith("‡"))
    assert (LOWER_BOUND in out) == marked, out  # said once there is a ‡ to explain, not otherwise
    assert "whole K2" not in out  # the trust note no longer claims what ‡ contradicts
    assert "Only trusted figures are planned" in out


def test_json_is_the_library_result(runner: CliRunner, db_url: str) -> None:
    data = json.loads(run(runner, "--d3", "5000", "--diet", "vegan", "--format", "json"))
    assert data["k2_needed_ug"] == pytest.approx(50) and data["options"]["diets"] == ["vegan"]
    assert data["safety"] and any(WARFARIN in line for line in data["safety"])
    first = data["plans"][0]
    assert first["reaches_target"] and first["items"][0]["name_en"] == "natto"
    natto = published.food("natto")
    assert first["items"][0]["k2"] == pytest.approx(0.5 * 50 * published.k2_per_100g(natto) / 100)
    pack = published.portion_grams("natto", "package")
    assert first["items"][0]["amount"] == f"½ × package ({0.5 * pack:g} g)"  # the item's weight, not a pack's
    assert data["warnings"]  # 5,000 IU: above the upper level


def test_csv_has_one_row_per_item(runner: CliRunner, db_url: str) -> None:
    data = json.loads(run(runner, "--d3", "3000", "--format", "json"))
    rows = list(csv.DictReader(io.StringIO(run(runner, "--d3", "3000", "--format", "csv"))))
    assert len(rows) == sum(len(plan["items"]) for plan in data["plans"])
    assert {"plan", "food", "name_en", "count", "unit", "grams", "k2", "flags"} <= set(rows[0])
    assert [r["name_en"] for r in rows] == [i["name_en"] for plan in data["plans"] for i in plan["items"]]


def test_options_repeat_or_take_commas(runner: CliRunner, db_url: str) -> None:
    one = json.loads(
        run(runner, "--d3", "3000", "--diet", "no-soy,no-pork", "--avoid", "liver,cheese", "-f", "json")
    )
    two = json.loads(
        run(runner, "--d3", "3000", "--diet", "no-soy", "--diet", "no-pork", "--avoid", "liver", "--avoid",
            "cheese", "-f", "json")
    )  # fmt: skip
    assert one["plans"] == two["plans"] and one["options"]["diets"] == ["no-soy", "no-pork"]


def test_with_a_meal_partly_refused_plans_the_rest_and_exits_3(runner: CliRunner, db_url: str) -> None:
    out = run(runner, "--d3", "2000", "--with", "2 eggs, a muffin", code=3)
    assert "The meal already eaten gives" in out and "partial" in out
    assert "Refused 'a muffin'" in out and "Plan 1" in out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--diet", "keto", "--d3", "2000"], 2, "unknown diet 'keto'"),
        (["--avoid", "xyzzy", "--d3", "2000"], 2, "no food matches 'xyzzy'"),
        ([], 2, "a plan needs a D3 dose or a daily K2 target"),
        (["--d3", "2000", "--target", "30"], 2, "a plan needs a D3 dose or a daily K2 target"),
        (["--d3", "-5"], 2, "must be a number greater than 0"),
        (["--d3", "2000", "--count", "0"], 2, ""),
        (["--d3", "2000", "--with", "qqqq"], 1, "qqqq"),
    ],
)
def test_bad_options_are_one_line_and_an_exit_code(
    runner: CliRunner, db_url: str, args: list[str], code: int, message: str
) -> None:
    result = runner.invoke(app, ["plan", *args])
    assert result.exit_code == code, result.stdout
    assert message in result.stderr and "Traceback" not in result.stderr


ENGLISH_LABELS = (
    "Plan", "Food", "Amount", "Grams", "Total", "needed", "pairs with", "short", "Diet", "calls for",
    "Each plan", "Only trusted", "Not medical advice", "rule of thumb", "partial figure", "package",
    "slice", "large", "Avoiding", "Preferring", "vegan", "no soy", "lower bound",
)  # fmt: skip


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans"])
def test_the_chinese_output_has_no_english_label(runner: CliRunner, db_url: str, lang: str) -> None:
    out = run(runner, "--target", "100", "--diet", "no-soy", "--avoid", "liver", "--lang", lang)
    out += run(runner, "--d3", "5000", "--diet", "vegan", "--lang", lang)
    # a cited fallback's source and the upper level's citation stay as published (English)
    lines = [line for line in out.splitlines() if "USDA" not in line and "Institute of Medicine" not in line]
    text = "\n".join(lines)
    for label in ENGLISH_LABELS:
        assert not re.search(rf"\b{label}\b", text), (label, text)
    assert "方案 1" in text and ("飲食" in text if lang == "zh-Hant" else "饮食" in text)
    names = [
        row["alias"]
        for row in published.rows("aliases.csv")
        if row["food"] == "natto" and row["lang"] == lang
    ]
    assert any(name in text for name in names)  # food names from the data, in the script asked for
