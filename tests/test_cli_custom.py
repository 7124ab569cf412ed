"""The CLI for your own foods, import and export (the library behind it: test_custom/test_transfer)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from d3k2db.cli import app
from tests.dbdump import dump
from tests.fdc_fixtures import SR_LEGACY, write_download


def ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_add_then_every_output_marks_the_food_custom(runner: CliRunner, db_url: str) -> None:
    ok(runner, "add", "farm gouda", "--total", "70", "--tag", "MK-7", "--serving-g", "30", "--serving-label",
       "1 slice", "--alias", "my gouda", "--source", "my label", "--url", "https://example.org")  # fmt: skip
    found = json.loads(ok(runner, "search", "my gouda", "--format", "json"))["foods"][0]
    assert found["name"] == "farm gouda" and found["is_custom"] is True
    assert found["k2_total"] == 70 and found["k2_per_serving"] == 21  # 70 µg/100 g × 30 g
    assert "farm gouda (custom)" in ok(runner, "search", "farm gouda")
    assert "farm gouda (custom)" in ok(runner, "show", "farm gouda")
    meal = json.loads(ok(runner, "meal", "2 slices farm gouda", "--format", "json"))
    assert meal["items"][0]["grams"] == 60 and meal["items"][0]["is_custom"] is True
    assert "farm gouda (custom)" in ok(runner, "meal", "2 slices farm gouda")
    assert "farm gouda (custom)" in ok(runner, "top", "--category", "custom")


def test_add_refuses_taken_names_and_bad_values(runner: CliRunner, db_url: str) -> None:
    before = dump(db_url)
    taken = runner.invoke(app, ["add", "natto", "--mk7", "5"])
    assert taken.exit_code == 1 and "'natto' is taken" in taken.stderr
    negative = runner.invoke(app, ["add", "thing", "--mk7", "-5"])
    assert negative.exit_code == 2 and "Traceback" not in negative.stderr
    nothing = runner.invoke(app, ["add", "thing"])
    assert nothing.exit_code == 2
    assert dump(db_url) == before


def test_remove_only_your_own_foods(runner: CliRunner, db_url: str) -> None:
    seed = runner.invoke(app, ["remove", "natto"])
    assert seed.exit_code == 1 and "seed food" in seed.stderr
    ok(runner, "add", "my natto", "--mk7", "1000")
    assert "removed 'my natto'" in ok(runner, "remove", "my natto")
    assert runner.invoke(app, ["show", "my natto"]).exit_code == 1


def test_alias_add_and_remove(runner: CliRunner, db_url: str) -> None:
    ok(runner, "alias", "add", "natto", "sticky beans", "--alias-lang", "en")
    assert json.loads(ok(runner, "show", "sticky beans", "--format", "json"))["name"] == "natto"
    ok(runner, "alias", "remove", "sticky beans")
    assert runner.invoke(app, ["show", "sticky beans"]).exit_code == 1
    seed_alias = runner.invoke(app, ["alias", "remove", "納豆"])
    assert seed_alias.exit_code == 1


def test_export_import_round_trip_through_the_cli(runner: CliRunner, db_url: str, tmp_path: Path) -> None:
    ok(runner, "add", "farm gouda", "--total", "70", "--tag", "MK-7", "--alias", "my gouda")
    exported = tmp_path / "mine.csv"
    ok(runner, "export", "--custom-only", "-o", str(exported))
    rows = list(csv.DictReader(exported.open(encoding="utf-8")))
    assert [r["name"] for r in rows] == ["farm gouda"] and rows[0]["custom"] == "yes"
    ok(runner, "remove", "farm gouda")
    dry = ok(runner, "import", str(exported), "--dry-run")
    assert "would add 1" in dry and "nothing written" in dry
    assert runner.invoke(app, ["show", "farm gouda"]).exit_code == 1
    report = json.loads(ok(runner, "import", str(exported), "--format", "json"))
    assert report["added"] == ["farm gouda"]
    assert json.loads(ok(runner, "import", str(exported), "--format", "json"))["unchanged"] == ["farm gouda"]
    assert json.loads(ok(runner, "show", "my gouda", "--format", "json"))["name"] == "farm gouda"


def test_export_to_stdout_csv_json_and_excel(runner: CliRunner, db_url: str) -> None:
    everything = list(csv.DictReader(io.StringIO(ok(runner, "export"))))
    assert len(everything) > 300 and {r["custom"] for r in everything} == {"no"}
    as_json = json.loads(ok(runner, "export", "--format", "json"))
    assert as_json["count"] == len(everything)
    excel = runner.invoke(app, ["export", "--excel"])
    assert excel.exit_code == 0 and excel.stdout.splitlines()[0].lstrip("\ufeff").startswith("name;category")


def test_import_errors_name_line_and_column_and_change_nothing(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,mk7,tag\ngood food,12,MK-7\nbad food,lots,MK-7\n", encoding="utf-8")
    before = dump(db_url)
    result = runner.invoke(app, ["import", str(bad)])
    assert result.exit_code == 1
    assert "line 3" in result.stderr and "mk7" in result.stderr
    assert dump(db_url) == before
    missing = runner.invoke(app, ["import", str(tmp_path / "nope.csv")])
    assert missing.exit_code in (1, 2) and "Traceback" not in missing.stderr


def test_import_fdc_through_the_cli(runner: CliRunner, db_url: str, tmp_path: Path) -> None:
    folder = write_download(tmp_path / "fdc", SR_LEGACY)
    report = json.loads(ok(runner, "import-fdc", str(folder), "--no-progress", "--format", "json"))
    assert report["added"] and report["foods_with_mk4"] == len(report["added"])
    again = json.loads(ok(runner, "import-fdc", str(folder), "--no-progress", "--format", "json"))
    assert again["added"] == [] and len(again["unchanged"]) == len(report["added"])
    name = report["added"][0]
    assert json.loads(ok(runner, "show", name, "--format", "json"))["is_custom"] is True
