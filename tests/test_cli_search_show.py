"""`d3k2db search` and `d3k2db show` through the CLI runner, checked against data/*.csv."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from d3k2db.cli import app
from tests import published


def run_json(runner: CliRunner, *args: str) -> object:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_search_natto_shows_published_figures_per_100g_and_per_serving(
    runner: CliRunner, db_url: str
) -> None:
    data = run_json(runner, "search", "natto")
    first = data["foods"][0]
    row = published.food("natto")
    assert first["name"] == "natto"
    assert first["mk7"] == pytest.approx(published.number(row["mk7"]))
    assert first["k2_total"] == pytest.approx(published.k2_per_100g(row))
    assert first["serving_g"] == pytest.approx(float(row["serving_g"]))
    assert first["k2_per_serving"] == pytest.approx(
        published.k2_per_100g(row) * float(row["serving_g"]) / 100
    )
    assert first["serving_label"] == row["serving_label"]


@pytest.mark.parametrize("term", ["nato", "NATTO", "Natto", "natt", "納豆", "纳豆"])
def test_search_forgives_case_typos_and_finds_chinese_names(
    runner: CliRunner, db_url: str, term: str
) -> None:
    data = run_json(runner, "search", term)
    assert data["foods"][0]["name"] == "natto"


def test_search_plural_and_singular_find_the_same_food_first(runner: CliRunner, db_url: str) -> None:
    plural = run_json(runner, "search", "eggs")["foods"][0]["name"]
    singular = run_json(runner, "search", "egg")["foods"][0]["name"]
    assert plural == singular == published.alias_food("egg")


def test_search_without_term_lists_every_food_richest_first(runner: CliRunner, db_url: str) -> None:
    foods = run_json(runner, "search")["foods"]
    assert len(foods) == len(published.rows("foods.csv"))
    totals = [food["k2_total"] for food in foods]
    assert totals == sorted(totals, reverse=True)


def test_search_filters_by_form_category_and_limit(runner: CliRunner, db_url: str) -> None:
    mk7 = run_json(runner, "search", "--form", "mk7")["foods"]
    assert mk7 and {food["tag"] for food in mk7} == {"MK-7"}
    mk4 = run_json(runner, "search", "--form", "MK-4")["foods"]
    assert mk4 and {food["tag"] for food in mk4} == {"MK-4"}
    cheeses = run_json(runner, "search", "--category", "Cheeses")["foods"]
    expected = {row["name"] for row in published.rows("foods.csv") if row["category"] == "cheese"}
    assert {food["name"] for food in cheeses} == expected
    assert len(run_json(runner, "search", "--limit", "3")["foods"]) == 3


def test_search_no_match_names_the_term_and_exits_1(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(app, ["search", "qqqqzzzz"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: no food matches 'qqqqzzzz'")
    assert len(result.stderr.strip().splitlines()) == 1


def test_search_no_match_suggests_closest_names(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(app, ["search", "buttermilk pancakes"])
    assert result.exit_code == 1
    assert "did you mean" in result.stderr and "butter" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--form", "mk5"], "unknown form 'mk5'"),
        (["--category", "spaceship"], "unknown category 'spaceship'"),
        (["--limit", "0"], "--limit"),
        (["--format", "xml"], "--format"),
    ],
)
def test_search_bad_options_exit_2(runner: CliRunner, db_url: str, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["search", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_search_csv_output_is_parseable(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(app, ["search", "cheese", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {"name", "mk4", "mk7", "k2_total", "k2_per_serving"} <= set(rows[0])
    for row in rows:
        assert float(row["k2_total"]) >= 0


def test_search_table_is_plain_text_when_piped(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(app, ["search", "natto"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["Food", "Category", "Tag"]
    assert "natto" in result.stdout
    assert "\x1b[" not in result.stdout  # no terminal colour codes in a pipe


def test_unpublished_figures_are_shown_as_dash_not_zero(runner: CliRunner, db_url: str) -> None:
    only_totals = [r for r in published.rows("foods.csv") if not any(r[f] for f in published.FORMS)]
    assert only_totals, "the seed has foods published as totals only"
    name = only_totals[0]["name"]
    data = run_json(runner, "show", name)
    assert data["forms"]["mk4"] is None and data["forms"]["mk7"] is None
    table = runner.invoke(app, ["show", name]).stdout
    assert "—" in table


def test_show_lists_every_measurement_with_its_source_and_the_range(runner: CliRunner, db_url: str) -> None:
    data = run_json(runner, "show", "egg yolk")
    name = published.alias_food("egg yolk") if data["name"] != "egg yolk" else "egg yolk"
    measured = [r for r in published.rows("measurements.csv") if r["food"] == name]
    assert len(data["measurements"]) == len(measured)
    assert {(m["source"], m["locator"]) for m in data["measurements"]} == {
        (r["source"], r["locator"]) for r in measured
    }
    totals = [published.k2_per_100g(r) for r in measured]
    if len(totals) > 1:
        assert data["k2_range"] == pytest.approx([min(totals), max(totals)])
    assert data["source"] and data["portions"] and data["aliases"]


def test_show_unknown_food_suggests_and_exits_1(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(app, ["show", "buter"])
    # a typo close to exactly one food is accepted; a word matching nothing is not
    assert result.exit_code == 0
    result = runner.invoke(app, ["show", "qqqqzzzz"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no food matches 'qqqqzzzz'")
    # a phrase near real names is refused with those names as suggestions
    result = runner.invoke(app, ["show", "goose liver pate"])
    assert result.exit_code == 1
    assert "closest: 'goose liver, raw'" in result.stderr


def test_show_csv_has_one_row_per_measurement(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(app, ["show", "natto", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len([r for r in published.rows("measurements.csv") if r["food"] == "natto"])


def test_sources_counts_every_measurement(runner: CliRunner, db_url: str) -> None:
    data = run_json(runner, "sources")
    assert sum(item["measurements"] for item in data) == len(published.rows("measurements.csv"))


@pytest.mark.parametrize("term", ["ghee", "Ghee", "酥油", "jarlsberg", "cheonggukjang"])
def test_search_says_when_a_food_has_no_published_figure(runner: CliRunner, db_url: str, term: str) -> None:
    result = runner.invoke(app, ["search", term])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no published K2 figure for ")
    assert "no food matches" not in result.stderr


def test_show_names_the_publisher_and_the_copy_read(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(app, ["show", "cheddar"])
    assert result.exit_code == 0
    assert "Publisher's page" in result.stdout and "https://www.rivm.nl/" in result.stdout
    assert "Read from" in result.stdout


def test_show_explains_the_headline(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(app, ["show", "cheddar", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["coverage"] == "total" and data["independent"] >= 3
    assert "partial" in data["headline_reason"]
    repeats = [m for m in data["measurements"] if not m["counted"]]
    assert repeats and all(m["same_as"] for m in repeats)


FLAGGED = "brown tiger prawn"


def _flags_in_data() -> list[str]:
    row = next(r for r in published.rows("measurements.csv") if r["food"] == FLAGGED)
    return [flag.split(":", 1)[1].strip() for flag in row["flags"].split(" | ")]


@pytest.mark.parametrize(
    "command",
    [
        ["search", FLAGGED],
        ["show", FLAGGED],
        ["meal", f"100 g {FLAGGED}"],
        ["top", "-c", "fish", "--include-flagged"],
        ["pair", "--d3", "1000", "-c", "fish", "--include-flagged"],
    ],
    ids=["search", "show", "meal", "top", "pair"],
)
def test_a_flag_and_its_reasons_reach_every_output(
    runner: CliRunner, db_url: str, command: list[str]
) -> None:
    reasons = _flags_in_data()
    table = runner.invoke(app, command)
    assert table.exit_code == 0, table.stderr
    assert "!" in table.stdout and all(reason in table.stdout for reason in reasons)
    data = json.loads(runner.invoke(app, [*command, "--format", "json"]).stdout)
    text = json.dumps(data, ensure_ascii=False)
    assert all(reason in text for reason in reasons)
    csv_out = runner.invoke(app, [*command, "--format", "csv"]).stdout
    assert all(reason in csv_out for reason in reasons)


def test_a_partial_figure_says_which_forms_it_lacks(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(app, ["search", "parmesan, grated"])
    assert (
        "‡" in result.stdout
        and "MK-4 only; MK-5, MK-6, MK-7, MK-8, MK-9, MK-10 not measured" in result.stdout
    )
    data = json.loads(runner.invoke(app, ["search", "parmesan, grated", "--format", "json"]).stdout)
    assert data["foods"][0]["coverage"] == "partial" and data["foods"][0]["coverage_note"].startswith(
        "MK-4 only"
    )


def test_equally_good_matches_put_doubtful_figures_last(runner: CliRunner, db_url: str) -> None:
    data = json.loads(runner.invoke(app, ["search", "prawn", "--format", "json"]).stdout)
    flags = [bool(food["flags"]) for food in data["foods"]]
    assert True in flags and flags == sorted(flags)  # unflagged first, the 297 prawn after them
