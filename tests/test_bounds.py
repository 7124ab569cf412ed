"""Bounded figures (issue 20, item 6): every figure is at most records.MAX_FIGURE_UG µg per 100 g
and a serving at most records.MAX_SERVING_G g, on every path that writes a food (add, import,
import-fdc, the seed, the web); so no sum overflows, and no JSON the CLI or the web writes holds
NaN or Infinity (every one is parsed here by a parser that refuses them)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from d3k2db.cli import app
from d3k2db.domain.records import (
    FIGURE_NAMES,
    MAX_FIGURE_UG,
    MAX_SERVING_G,
    Invalid,
    build_spec,
    check_figure,
    figure_from_text,
)
from d3k2db.errors import SeedError
from d3k2db.exchange.seed import read_seed
from d3k2db.output import render
from tests.dbdump import dump
from tests.fdc_fixtures import MK4, SR_LEGACY, FdcFood, write_download
from tests.web_client import TEST_HOSTS, get_each, web

# every figure option of `add`, and the column it is reported under
FIGURE_OPTIONS = [
    *[(f"--mk{n}", f"mk{n}") for n in range(4, 11)],
    ("--total", "total_k2"),
    ("--k1", "k1"),
    ("--vitamin-d3", "vitamin_d3"),
]


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"not JSON: {name}")


def strict(text: str) -> Any:
    """json.loads that refuses NaN, Infinity and -Infinity (Python's own parser accepts them)."""
    return json.loads(text, parse_constant=_refuse_constant)


def ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def ok_json(runner: CliRunner, *args: str) -> Any:
    text = ok(runner, *args)
    assert "Infinity" not in text and "NaN" not in text
    return strict(text)


def one_line_error(result: Any, column: str) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert column in lines[0] and "Traceback" not in result.stderr
    return str(lines[0])


# --- the exact commands of the issue ------------------------------------------------------------


def test_add_huge_mk7_is_refused_so_the_meal_json_cannot_hold_infinity(
    runner: CliRunner, db_url: str
) -> None:
    before = dump(db_url)
    added = runner.invoke(app, ["add", "huge food", "--mk7", "1e308"])
    assert added.exit_code == 2
    assert one_line_error(added, "mk7") == "error: mk7: 1e+308: at most 100,000 µg/100 g"
    assert dump(db_url) == before  # nothing written
    meal = runner.invoke(app, ["meal", "5 kg huge food", "--format", "json"])
    assert meal.exit_code == 1 and "Infinity" not in meal.stdout  # no such food


@pytest.mark.parametrize(("option", "column"), FIGURE_OPTIONS)
@pytest.mark.parametrize("value", ["1e308", "100000.5", "1e6"])
def test_add_refuses_every_figure_above_the_bound(
    runner: CliRunner, db_url: str, option: str, column: str, value: str
) -> None:
    before = dump(db_url)
    extra = [] if column in ("mk7", "total_k2") else ["--mk7", "1"]  # a K2 figure, so only the bound fails
    result = runner.invoke(app, ["add", "huge food", option, value, *extra])
    assert result.exit_code == 2
    assert "at most 100,000 µg/100 g" in one_line_error(result, column)
    assert dump(db_url) == before


def test_forms_within_the_bound_may_not_add_up_beyond_it(runner: CliRunner, db_url: str) -> None:
    before = dump(db_url)
    result = runner.invoke(app, ["add", "huge food", "--mk4", "60000", "--mk7", "60000"])
    assert result.exit_code == 2
    assert one_line_error(result, "total_k2") == "error: total_k2: 120000.0: at most 100,000 µg/100 g"
    assert dump(db_url) == before
    ok(runner, "add", "rich food", "--mk4", "50000", "--mk7", "50000")  # exactly the bound


def test_add_refuses_a_serving_above_the_bound(runner: CliRunner, db_url: str) -> None:
    before = dump(db_url)
    result = runner.invoke(app, ["add", "huge food", "--mk7", "1", "--serving-g", "1e308"])
    assert result.exit_code == 2
    assert one_line_error(result, "serving_g") == "error: serving_g: 1e+308: at most 100,000 g"
    assert dump(db_url) == before


def test_a_food_at_the_bound_gives_finite_json_everywhere(runner: CliRunner, db_url: str) -> None:
    """The largest food allowed, eaten in the largest meal item allowed, stays finite."""
    ok(runner, "add", "huge food", "--mk7", "100000", "--total", "100000", "--k1", "100000",
       "--vitamin-d3", "100000", "--serving-g", "100000")  # fmt: skip
    meal = ok_json(runner, "meal", "5 kg huge food", "--format", "json")
    assert meal["items"][0]["forms"]["mk7"] == 5_000_000  # 100,000 µg/100 g × 5,000 g
    shown = ok_json(runner, "show", "huge food", "--format", "json")
    assert shown["name"] == "huge food"
    top = ok_json(runner, "top", "--per", "serving", "--format", "json")
    assert top["foods"][0]["name"] == "huge food"
    assert "huge food" in ok(runner, "meal", "5 kg huge food")  # the table too
    with web(db_url) as client:
        paths = ("/api/meal?q=5 kg huge food", "/api/foods/huge food", "/api/top?per=serving",
                 "/api/search?q=huge", "/meal?q=5 kg huge food", "/food/huge food", "/top?per=serving",
                 "/?q=huge")  # fmt: skip
        answers = get_each(client, paths)
    for path, response in answers.items():
        if path.startswith("/api/"):
            strict(response.text)


# --- one set of rules: records, the seed, import, import-fdc, the web -----------------------------


@pytest.mark.parametrize("column", FIGURE_NAMES)
def test_records_bound_every_figure(column: str) -> None:
    assert check_figure(column, MAX_FIGURE_UG) == MAX_FIGURE_UG  # the bound itself is allowed
    with pytest.raises(Invalid) as error:
        check_figure(column, MAX_FIGURE_UG * 1.000001)
    assert error.value.column == column
    shown = "total_k2" if column == "total_k2_published" else column
    assert figure_from_text(shown, "100000") == MAX_FIGURE_UG
    with pytest.raises(Invalid, match="at most 100,000 µg/100 g"):
        figure_from_text(shown, "1e308")
    figures: dict[str, object] = {"mk7": 1.0, column: 1e308}
    with pytest.raises(Invalid, match="at most"):
        build_spec("huge food", figures)


def test_records_bound_the_serving_but_not_other_numbers() -> None:
    assert build_spec("big food", {"mk7": 1}, serving_g=MAX_SERVING_G).serving_g == MAX_SERVING_G
    with pytest.raises(Invalid, match="serving_g") as error:
        build_spec("big food", {"mk7": 1}, serving_g=MAX_SERVING_G + 1)
    assert "at most 100,000 g" in error.value.problem
    assert figure_from_text("grams", "1e6") == 1e6  # only figure columns have the µg bound


@pytest.mark.parametrize(
    ("file", "column"),
    [
        ("foods.csv", "mk4"),
        ("foods.csv", "total_k2"),
        ("foods.csv", "vitamin_d3"),
        ("measurements.csv", "k1"),
    ],
)
def test_the_seed_obeys_the_bound(seed_copy: Path, file: str, column: str) -> None:
    path = seed_copy / file
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0][column] = "1e308"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(
        SeedError, match=rf"{file} line 2, column {column}: '1e308': at most 100,000 µg/100 g"
    ):
        read_seed(seed_copy)


def test_import_refuses_a_figure_above_the_bound(runner: CliRunner, db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "huge.csv"
    bad.write_text("name,mk7,vitamin_d3\ngood food,12,\nhuge food,1e308,\n", encoding="utf-8")
    before = dump(db_url)
    result = runner.invoke(app, ["import", str(bad)])
    assert result.exit_code == 1
    assert "line 3, column mk7: '1e308': at most 100,000 µg/100 g" in one_line_error(result, "mk7")
    bad.write_text("name,mk7,vitamin_d3\nhuge d3,1,100001\n", encoding="utf-8")
    d3 = runner.invoke(app, ["import", str(bad)])
    assert d3.exit_code == 1 and "column vitamin_d3" in one_line_error(d3, "vitamin_d3")
    assert dump(db_url) == before


def test_import_fdc_skips_a_food_above_the_bound(runner: CliRunner, db_url: str, tmp_path: Path) -> None:
    huge = FdcFood(999001, "sr_legacy_food", "Huge food", "1", {MK4: 1e308})
    folder = write_download(tmp_path / "fdc", [*SR_LEGACY, huge])
    report = ok_json(runner, "import-fdc", str(folder), "--no-progress", "--format", "json")
    assert any("fdc_id 999001" in line and "at most 100,000" in line for line in report["skipped"])
    assert "Huge food" not in report["added"] and report["added"]


def test_the_web_refuses_a_figure_above_the_bound(db_url: str) -> None:
    before = dump(db_url)
    with web(db_url, allow_edits=True) as client:
        response = client.post(
            "/api/foods", json={"name": "huge food", "mk7": 1e308}, headers={"Origin": "http://testserver"}
        )
        assert response.status_code == 400, response.text
        assert strict(response.text)["error"] == "mk7: 1e+308: at most 100,000 µg/100 g"
    assert dump(db_url) == before


# --- every JSON written is strict JSON ---------------------------------------------------------------


def test_every_command_writes_strict_json_on_the_shipped_data(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    everything = ok_json(runner, "search", "--format", "json")
    names = [food["name"] for food in everything["foods"]]
    assert len(names) > 300
    for name in names[:: max(1, len(names) // 40)]:  # 40 foods across the list, all by name
        assert ok_json(runner, "show", name, "--format", "json")["name"] == name
    for per in ("100g", "serving"):
        for form in ("mk4", "mk7"):
            ok_json(runner, "top", "--per", per, "--form", form, "--format", "json")
    ok_json(runner, "top", "--per", "serving", "--include-flagged", "--limit", "1000", "--format", "json")
    ok_json(
        runner, "meal", "2 eggs, 1 tbsp butter, 30 g gouda, 100 g natto", "--d3", "5000", "--format", "json"
    )
    ok_json(runner, "pair", "--d3", "5000", "--format", "json")
    ok_json(runner, "sources", "--format", "json")
    exported = ok_json(runner, "export", "--format", "json")
    assert exported["count"] == len(exported["foods"]) > 300
    mine = tmp_path / "mine.csv"
    mine.write_text("name,mk7\nmy food,12\n", encoding="utf-8")
    ok_json(runner, "import", str(mine), "--dry-run", "--format", "json")
    folder = write_download(tmp_path / "fdc", SR_LEGACY)
    ok_json(runner, "import-fdc", str(folder), "--no-progress", "--format", "json")
    with web(db_url) as client:  # refusals too (422 without q=, 404 for no such food): strict JSON
        paths = ("/api/search?q=natto", "/api/search", "/api/foods/natto", "/api/meal?q=2 eggs",
                 "/api/pair?d3=5000", "/api/top", "/api/top?per=serving", "/api/sources",
                 "/api/foods/no such food", "/api/openapi.json")  # fmt: skip
        answers = get_each(client, paths, (200, 404, 422))
    for response in answers.values():
        strict(response.text)


def test_json_writers_refuse_nan_and_infinity() -> None:
    for bad in (math.inf, -math.inf, math.nan):
        with pytest.raises(OverflowError):  # the CLI's 'error: a number is too large'
            render.to_json({"k2": bad})
    assert strict(render.to_json({"k2": 1e8})) == {"k2": 1e8}


# A database written before the bound existed may hold any figure: 1e308 makes every sum infinite.
OLD_HUGE = (
    "UPDATE foods SET mk7 = 1e308, k2_total = 1e308 WHERE name = 'natto'",
    "UPDATE foods SET mk4 = 1e300, k2_total = 1e300, vitamin_d3 = 1e308, k1 = 1e308 WHERE name = 'butter'",
)


@pytest.fixture
def old_huge_db(tmp_path: Path, seeded_template: Path) -> str:
    import shutil
    import sqlite3

    path = tmp_path / "old.sqlite"
    shutil.copy(seeded_template, path)
    with sqlite3.connect(path) as connection:
        for statement in OLD_HUGE:
            connection.execute(statement)
    return f"sqlite:///{path}"


PAGES = [
    "/",
    "/?q=natto",
    "/?q=butter",
    "/?q=b",
    "/?category=fat",
    "/food/natto",
    "/food/butter",
    "/meal?q=a+pack+of+natto&d3=2000",
    "/meal?q=5+kg+butter",
    "/meal?q=natto+and+butter",
    "/top",
    "/sources",
    "/api/search?q=natto",
    "/api/search?q=butter",
    "/api/foods/natto",
    "/api/foods/butter",
    "/api/meal?q=5+kg+natto",
    "/api/top",
    "/api/sources",
]


def test_no_page_fails_on_a_huge_figure_stored_by_an_old_release(old_huge_db: str) -> None:
    from fastapi.testclient import TestClient

    from d3k2db.web.app import create_app

    with TestClient(
        create_app(old_huge_db, allowed_hosts=TEST_HOSTS), raise_server_exceptions=False
    ) as client:
        answers = get_each(client, PAGES, (200, 422))
        for path, response in answers.items():
            if path.startswith("/api/"):
                answer = strict(response.text)
                if response.status_code == 422:
                    assert answer["code"] == "number_too_large"
                    assert "beyond 100,000 µg per 100 g" in answer["error"]
            elif response.status_code == 422:
                assert "beyond 100,000 µg per 100 g" in response.text


@pytest.mark.parametrize(
    "args",
    [
        ("search", "natto", "--format", "json"),
        ("meal", "5 kg natto", "--format", "json"),
        ("meal", "a pack of natto"),
        ("top", "--format", "json"),
        ("show", "butter", "--format", "json"),
    ],
)
def test_every_command_on_a_huge_stored_figure_is_strict_json_or_one_line(
    runner: CliRunner, old_huge_db: str, args: tuple[str, ...]
) -> None:
    result = runner.invoke(app, [*args, "--db", old_huge_db])
    if result.exit_code == 0:
        if "json" in args:
            strict(result.stdout)
        return
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: a number is too large: a figure stored in this database is beyond 100,000 µg per 100 g "
        "(it was written before d3k2db 0.4.0 bounded the figures); correct that food or remove it"
    ]
