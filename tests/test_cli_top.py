"""`d3k2db top`: rankings per 100 g and per serving, checked against data/foods.csv."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from d3k2db.cli import app
from tests import published


def top_json(runner: CliRunner, *args: str) -> list[dict]:
    result = runner.invoke(app, ["top", *args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["foods"]


def expected_order(key, include_flagged: bool = False) -> list[str]:  # type: ignore[no-untyped-def]
    """foods.csv ranked; foods whose figure is flagged as doubtful only when asked for."""
    rows = [r for r in published.rows("foods.csv") if include_flagged or not r["flags"]]
    rows.sort(key=lambda r: (-round(key(r), 6), r["name"]))  # 2.7 + … + 0.1 is 8.9, as 8.9 is
    return [r["name"] for r in rows]


def test_top_per_100g_is_the_richest_foods_in_order(runner: CliRunner, db_url: str) -> None:
    foods = top_json(runner, "--limit", "10")
    assert [f["name"] for f in foods] == expected_order(published.k2_per_100g)[:10]


def test_top_leaves_flagged_foods_out_unless_asked(runner: CliRunner, db_url: str) -> None:
    flagged = {r["name"] for r in published.rows("foods.csv") if r["flags"]}
    assert "brown tiger prawn" in flagged and "goose liver pâté (foie gras)" in flagged
    every = str(len(published.rows("foods.csv")))
    shown = top_json(runner, "--limit", every)
    assert not flagged & {f["name"] for f in shown}
    assert [f["name"] for f in shown] == expected_order(published.k2_per_100g)  # every unflagged food
    everything = top_json(runner, "--limit", "10", "--include-flagged")
    assert [f["name"] for f in everything] == expected_order(published.k2_per_100g, include_flagged=True)[:10]
    prawn = next(
        f for f in top_json(runner, "--limit", every, "--include-flagged") if f["name"] == "brown tiger prawn"
    )
    assert any(flag.startswith("other product:") for flag in prawn["flags"])
    table = runner.invoke(app, ["top", "--category", "fish", "--limit", "3", "--include-flagged"])
    assert "!" in table.stdout and "doubtful figure" in table.stdout


def test_top_per_serving_ranks_by_k2_in_the_default_serving(runner: CliRunner, db_url: str) -> None:
    foods = top_json(runner, "--per", "serving", "--limit", "10")
    per_serving = lambda r: published.k2_per_100g(r) * float(r["serving_g"]) / 100  # noqa: E731
    assert [f["name"] for f in foods] == expected_order(per_serving)[:10]
    assert foods[0]["k2_per_serving"] == pytest.approx(per_serving(published.food(foods[0]["name"])))


@pytest.mark.parametrize(("form", "tag"), [("mk4", "MK-4"), ("mk7", "MK-7")])
def test_top_by_form_shows_only_that_kind(runner: CliRunner, db_url: str, form: str, tag: str) -> None:
    foods = top_json(runner, "--form", form, "--limit", "50")
    assert foods and {f["tag"] for f in foods} == {tag}
    kind = {r["name"] for r in published.rows("foods.csv") if r["tag"] == tag}
    assert len(kind) > 50
    assert [f["name"] for f in foods] == [n for n in expected_order(published.k2_per_100g) if n in kind][:50]


def test_top_by_category(runner: CliRunner, db_url: str) -> None:
    foods = top_json(runner, "--category", "cheese", "--limit", "100")
    cheeses = [r for r in published.rows("foods.csv") if r["category"] == "cheese" and not r["flags"]]
    assert len(foods) == len(cheeses)


def test_top_with_nothing_left_exits_1(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(app, ["top", "--form", "mk4", "--category", "fermented_soy"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no food")


def test_top_table_shows_dash_for_unmeasured_forms(runner: CliRunner, db_url: str) -> None:
    ranked = expected_order(published.k2_per_100g)
    # down to the richest food with MK-4 or MK-7 not published (a national table's total)
    first = next(
        i for i, name in enumerate(ranked) if not all(published.food(name)[f] for f in ("mk4", "mk7"))
    )
    result = runner.invoke(app, ["top", "--limit", str(first + 1)])
    assert result.exit_code == 0
    header, rule, *rows = result.stdout.splitlines()
    columns = [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]  # the plain table's column spans
    cells = [{header[a:b].strip(): row[a:b].strip() for a, b in columns} for row in rows[: first + 1]]
    assert [cell["Food"] for cell in cells] == ranked[: first + 1]
    published_row = published.food(ranked[first])
    for form in ("mk4", "mk7"):
        shown = cells[first][form.upper().replace("MK", "MK-")]
        assert (shown == "—") == (not published_row[form]), (form, shown)  # a dash, never 0, when unpublished
