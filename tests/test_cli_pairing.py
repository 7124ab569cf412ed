"""D3 pairing: `meal --d3/--target/--ratio` and `pair --d3`, computed by hand from data/*.csv."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from d3k2db.cli import app
from tests import published


def run_json(runner: CliRunner, *args: str) -> dict:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def natto_k2(grams: float) -> float:
    return published.k2_per_100g(published.food("natto")) * grams / 100


def test_meal_d3_not_covered_says_how_much_more_k2(runner: CliRunner, db_url: str) -> None:
    data = run_json(runner, "meal", "2 g natto", "--d3", "5000")
    assert data["d3"]["k2_needed_ug"] == pytest.approx(50)  # 5,000 IU × 100 µg / 10,000 IU
    assert data["d3"]["covered"] is False
    assert data["d3"]["k2_missing_ug"] == pytest.approx(50 - natto_k2(2))
    table = runner.invoke(app, ["meal", "2 g natto", "--d3", "5000"]).stdout
    assert "not covered" in table and "more K2 needed" in table


def test_meal_d3_covered(runner: CliRunner, db_url: str) -> None:
    data = run_json(runner, "meal", "100 g natto", "--d3", "5000")
    assert data["d3"]["covered"] is True and data["d3"]["k2_missing_ug"] == 0


def test_ratio_changes_the_k2_a_dose_needs(runner: CliRunner, db_url: str) -> None:
    data = run_json(runner, "meal", "2 g natto", "--d3", "5000", "--ratio", "200")
    assert data["d3"]["k2_needed_ug"] == pytest.approx(100)


def test_target_share_and_missing(runner: CliRunner, db_url: str) -> None:
    data = run_json(runner, "meal", "10 g natto", "--target", "200")
    assert data["target"]["share"] == pytest.approx(natto_k2(10) / 200)
    assert data["target"]["missing_ug"] == pytest.approx(max(0, 200 - natto_k2(10)))
    assert "% met" in runner.invoke(app, ["meal", "10 g natto", "--target", "200"]).stdout


@pytest.mark.parametrize("option", ["--d3", "--target", "--ratio"])
@pytest.mark.parametrize("value", ["0", "-5", "nan", "inf"])
def test_non_positive_numbers_are_usage_errors(
    runner: CliRunner, db_url: str, option: str, value: str
) -> None:
    result = runner.invoke(app, ["meal", "natto", option, value])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_pair_gives_grams_of_each_richest_food(runner: CliRunner, db_url: str) -> None:
    data = run_json(runner, "pair", "--d3", "5000", "--limit", "5")
    assert data["k2_needed_ug"] == pytest.approx(50)
    assert len(data["foods"]) == 5
    for option in data["foods"]:
        per_100g = published.k2_per_100g(published.food(option["food"]))
        assert option["grams"] == pytest.approx(50 / per_100g * 100)
    natto = run_json(runner, "pair", "--d3", "5000", "--form", "mk7", "--limit", "50")["foods"]
    row = next(o for o in natto if o["food"] == "natto")
    # small amounts are offered in teaspoons and tablespoons by the cup's weight, whichever count is
    # nearest to one (or a published portion, if nearer)
    grams = 50 / published.k2_per_100g(published.food("natto")) * 100
    cup = published.portion_grams("natto", "cup")
    units = {"tsp": 4.92892159375 * cup / 236.5882365, "tbsp": 14.78676478125 * cup / 236.5882365}
    units |= {
        r["unit"]: published.portion_grams("natto", r["unit"])
        for r in published.rows("portions.csv")
        if r["food"] == "natto"
    }
    unit, per_unit = min(units.items(), key=lambda item: abs(math.log(grams / item[1])))
    assert row["household"].startswith(f"{round(grams / per_unit, 2):g} × {unit}")


def test_pair_requires_a_dose(runner: CliRunner, db_url: str) -> None:
    assert runner.invoke(app, ["pair"]).exit_code == 2
    assert runner.invoke(app, ["pair", "--d3", "-1"]).exit_code == 2


def test_help_states_the_default_ratio_and_its_origin(runner: CliRunner) -> None:
    text = runner.invoke(app, ["meal", "--help"]).stdout
    assert "100 µg K2 (MK-7)" in text and "10,000 IU" in text
