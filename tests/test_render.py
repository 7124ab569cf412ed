"""Output fit for reading: CJK display width, whole URLs, one boolean spelling, rounded numbers."""

from __future__ import annotations

import csv
import io
import json
import re

from typer.testing import CliRunner

from d3k2db.cli import app
from d3k2db.output.render import display_width, plain_table


def test_display_width_counts_wide_characters_twice() -> None:
    assert display_width("egg") == 3
    assert display_width("雞蛋") == 4
    assert display_width("ＮＡＴＴＯ") == 10  # full-width letters
    assert display_width("crème") == 5


def test_a_plain_table_with_chinese_names_lines_up() -> None:
    table = plain_table("", ["Item", "K2 µg"], [["雞蛋 2 個", "5.6"], ["natto", "387.5"], ["牛奶", "2.2"]])
    lines = table.splitlines()
    # every line's second column ends at the same display column
    ends = [display_width(line) for line in lines]
    assert len(set(ends)) == 1  # the right-aligned number column ends in one place
    assert lines[2].startswith("雞蛋 2 個  ")


def test_meal_with_chinese_items_is_aligned_in_a_pipe(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(app, ["meal", "兩個雞蛋", "一杯牛奶"])
    assert result.exit_code == 0
    rows = [
        line for line in result.stdout.splitlines() if line.startswith(("whole egg", "whole milk", "Item"))
    ]
    assert len(rows) == 3
    # the Grams column (the cell after the item, cells being two or more spaces apart) ends at the
    # same display column on the header and on every row, whatever the cells after it hold
    grams_ends, grams = set(), []
    for line in rows:
        cell = re.match(r"(.*?\S)\s{2,}(\S+)", line)
        assert cell is not None, line
        grams.append(cell.group(2))
        grams_ends.add(display_width(line[: cell.end(2)]))
    assert grams[0] == "Grams" and all(value.replace(".", "").isdigit() for value in grams[1:]), grams
    assert len(grams_ends) == 1


def test_csv_booleans_are_yes_or_no_and_numbers_rounded(runner: CliRunner, db_url: str) -> None:
    found = list(csv.DictReader(io.StringIO(runner.invoke(app, ["search", "natto", "-f", "csv"]).stdout)))
    assert found[0]["is_custom"] == "no"
    paired = list(
        csv.DictReader(io.StringIO(runner.invoke(app, ["pair", "--d3", "5000", "-f", "csv"]).stdout))
    )
    assert all(len(row["grams"].partition(".")[2]) <= 6 for row in paired)
    data = json.loads(runner.invoke(app, ["pair", "--d3", "5000", "-f", "json"]).stdout)
    assert all(isinstance(food["is_custom"], bool) for food in data["foods"])


def test_urls_fold_instead_of_being_cut_on_a_narrow_terminal(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import sys

    from d3k2db.output import render

    url = "https://www.ars.usda.gov/northeast-area/beltsville-md-bhnrc/beltsville-human-nutrition-research-center/"
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    render.emit([("", ["Field", "Value"], [["Read from", url]])])
    text = capsys.readouterr().out
    assert "…" not in text
    folded = "".join(part.strip("│┃|") for line in text.splitlines() for part in line.split())
    assert "beltsville-human-nutrition" in folded


def test_a_terminal_table_prints_brackets_as_typed(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """Rich would read '[generic; …]' or a food named '[bold]x' as markup and drop it."""
    import sys

    from d3k2db.output import render

    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    render.emit(
        [("", ["Item"], [["gouda: 30 g cheese → 30 g [generic; also: cheddar]*"], ["[bold]my food[/bold]"]])]
    )
    out = capsys.readouterr().out
    assert "[generic; also: cheddar]" in out and "[bold]my food[/bold]" in out
