"""The one set of value rules (d3k2db.domain.records), and the seed, add and import applying the same rule."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from d3k2db.domain.records import (
    FoodSpec,
    Invalid,
    check_figure,
    check_figures,
    check_serving_g,
    check_text,
    figure_from_text,
    normalize_tag,
)
from d3k2db.errors import SeedError
from d3k2db.exchange.custom import add_food
from d3k2db.exchange.seed import read_seed
from d3k2db.exchange.transfer import import_csv
from d3k2db.storage.engine import make_engine
from tests.test_seed import edit_csv


@pytest.mark.parametrize(
    ("value", "tag"),
    [("MK-4", "MK-4"), ("mk4", "MK-4"), ("MK 7", "MK-7"), ("mk_7", "MK-7"), ("", ""), (None, "")],
)
def test_a_tag_is_normalised_the_same_way_everywhere(value: str | None, tag: str) -> None:
    assert normalize_tag(value) == tag


def test_the_figure_rules() -> None:
    assert check_figure("mk4", None) is None
    assert check_figure("mk4", 0) == 0.0
    assert figure_from_text("mk4", " ") is None
    assert figure_from_text("mk4", "2.5") == 2.5
    for bad in (-1.0, math.nan, math.inf):
        with pytest.raises(Invalid, match="must be a finite number ≥ 0"):
            check_figure("mk4", bad)
    with pytest.raises(Invalid, match="'-1' must be a finite number ≥ 0"):
        figure_from_text("mk4", "-1")
    with pytest.raises(Invalid, match="'x' is not a number"):
        figure_from_text("mk4", "x")


def test_a_food_needs_a_k2_figure_a_positive_serving_and_text_that_fits() -> None:
    with pytest.raises(Invalid, match="no K2 figure"):
        check_figures({"k1": 3.0})
    check_figures({"total_k2_published": 3.0})
    with pytest.raises(Invalid, match="must be greater than 0"):
        check_serving_g(0.0)
    assert check_serving_g(30.0) == 30.0
    with pytest.raises(Invalid, match="is longer than 5 characters"):
        check_text("category", "abcdef", 5)
    assert check_text("category", "  ", 5) is None


# One bad value, and the rule each path must report: (seed cell, add keyword, message).
BAD_VALUES = [
    ("mk4", "-1", "mk4: '-1' must be a finite number ≥ 0"),
    ("tag", "MK-9", "tag: 'MK-9' is not MK-4, MK-7 or empty"),
    ("serving_g", "0", "serving_g: must be greater than 0"),
]


@pytest.mark.parametrize(("column", "value", "message"), BAD_VALUES)
def test_seed_add_and_import_refuse_the_same_bad_value_alike(
    seed_copy: Path, db_url: str, tmp_path: Path, column: str, value: str, message: str
) -> None:
    edit_csv(seed_copy / "foods.csv", 2, column, value)
    with pytest.raises(SeedError) as seed_error:
        read_seed(seed_copy)
    assert f"foods.csv line 2, column {message}" in str(seed_error.value)

    engine = make_engine(db_url)
    try:
        typed: object = value if column == "tag" else float(value)
        figures = {"mk7": 1.0} if column == "mk4" else {"mk4": 1.0}
        with pytest.raises(Invalid) as add_error:
            add_food(engine, FoodSpec.of("test food", **figures, **{column: typed}))  # type: ignore[arg-type]
        # add is given a number, not text, so the value is shown as a number
        assert str(add_error.value) == message.replace("'-1'", "-1.0")

        path = tmp_path / "mine.csv"
        other = "mk7" if column == "mk4" else "mk4"
        path.write_text(f"name,{other},{column}\ntest food,1,{value}\n", encoding="utf-8")
        with pytest.raises(SeedError) as import_error:
            import_csv(engine, path)
        assert f"mine.csv line 2, column {message}" in str(import_error.value)
    finally:
        engine.dispose()


def test_the_seed_accepts_a_tag_spelled_as_add_accepts_it(seed_copy: Path) -> None:
    edit_csv(seed_copy / "foods.csv", 2, "tag", "mk7")
    assert read_seed(seed_copy)["foods"][0]["tag"] == "MK-7"
