"""A meal counted as far as it can be (output.meal.meal_counting_what_it_can): the items refused are
found from the library's problems as data (Problem.typed, .reason, .details), never by reading its
sentences, so the rule is the same in every language. Bounds from issue 10: 5,000 g per item."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from d3k2db import K2Database
from d3k2db.domain.results import MealResult, ProblemCode
from d3k2db.errors import MealError
from d3k2db.i18n import set_language
from d3k2db.output.meal import meal_counting_what_it_can, meal_tables
from tests import published

EGG = published.alias_food("egg")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> Iterator[K2Database]:
    path = tmp_path_factory.mktemp("refusals") / "k2.sqlite"
    shutil.copy(seeded_template, path)
    with K2Database(f"sqlite:///{path}") as database:
        yield database


def counted(db: K2Database, meal: str) -> MealResult:
    return meal_counting_what_it_can(lambda words, skip: db.meal(words, skip_unknown=skip), [meal])


def test_an_item_with_a_unit_its_food_has_no_weight_for_is_refused_with_its_problem(db: K2Database) -> None:
    result = counted(db, "2 eggs, 2 slices natto")
    assert [item.food for item in result.items] == [EGG]
    [refused] = result.skipped
    assert refused.typed == "2 slices natto"
    assert refused.problem is not None and refused.problem.kind is ProblemCode.UNIT_NOT_PUBLISHED
    assert refused.problem.details["food"] == "natto"  # data/foods.csv
    assert not refused.reason.startswith("'")  # the reason alone: the table quotes what was typed
    _tables, notes = meal_tables(result)
    assert f"Refused '2 slices natto': {refused.reason}." in notes


def test_amounts_of_one_food_too_large_only_together_refuse_both_items(db: K2Database) -> None:
    """3,000 g of natto twice is 6,000 g of one food, over the 5,000 g of one item: neither amount
    alone is wrong, so both are refused and the egg is still counted."""
    result = counted(db, "3000 g natto, 2 eggs, 3000 g natto")
    assert [item.food for item in result.items] == [EGG]
    [refused] = result.skipped
    assert refused.problem is not None and refused.problem.kind is ProblemCode.BAD_AMOUNT
    assert refused.problem.details["items"] == ["3000 g natto", "3000 g natto"]
    assert result.partial


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_a_phrase_not_understood_refuses_the_meal_in_every_language(db: K2Database, lang: str) -> None:
    """A range given as a quantity is not one item the meal can do without: the meal is refused as a whole,
    in Chinese as in English (the refusal is read from the problem's data, not from its sentence)."""
    set_language(lang)
    with pytest.raises(MealError) as refused:
        counted(db, "2 eggs, 1-2 cups milk")
    assert refused.value.exit_code == 2
    assert [problem.kind for problem in refused.value.details] == [ProblemCode.AMBIGUOUS]


def test_nothing_countable_is_refused_as_a_whole(db: K2Database) -> None:
    with pytest.raises(MealError) as refused:
        counted(db, "2 slices natto")
    assert refused.value.exit_code == 2
