"""Each rule written once and obeyed everywhere it applies: the longest name, the spelling of the
MK-4/MK-7 tag, the note on a D3 dose above the upper intake level and the "did you mean" message.
Each test goes through every door the rule guards, so a second copy that drifts makes it fail."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

from d3k2db import K2Database
from d3k2db.domain.records import MAX_NAME, FoodSpec, Invalid, normalize_tag
from d3k2db.errors import D3k2dbError, FoodNotFound, UsageError
from d3k2db.exchange.custom import remove_food
from d3k2db.lookup.search import normalize_form
from d3k2db.storage.engine import make_engine
from d3k2db.web.pages import _choice as page_form_choice

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


@pytest.fixture
def sqlite_db(tmp_path: Path, seeded_template: Path) -> Iterator[K2Database]:
    path = tmp_path / "k2.sqlite"
    shutil.copy(seeded_template, path)
    with K2Database(f"sqlite:///{path}") as db:
        yield db


def _name(length: int) -> str:
    """A name of ``length`` characters made of short words, unlike any seed food."""
    return ("zq kefirish " * length)[: length - 1] + "z"


# --- the longest name: the schema's, and so the parser's, the search's and add's ------------------


def test_the_longest_name_is_the_width_the_migrations_give_a_name(db_url: str) -> None:
    first = (MIGRATIONS / "0001_initial_schema.py").read_text(encoding="utf-8")
    declared = re.search(r'sa\.Column\("name", sa\.String\(length=(\d+)\)', first)
    assert declared is not None and MAX_NAME == int(declared.group(1)) == 300
    engine = make_engine(db_url)
    try:  # the database as migrated (on PostgreSQL a longer name would be refused by the column)
        columns = {c["name"]: c["type"] for c in inspect(engine).get_columns("foods")}
        aliases = {c["name"]: c["type"] for c in inspect(engine).get_columns("aliases")}
    finally:
        engine.dispose()
    if engine.dialect.name == "postgresql":
        assert columns["name"].length == aliases["alias"].length == MAX_NAME


def test_a_name_of_exactly_the_longest_length_passes_every_door(db_url: str) -> None:
    name = _name(MAX_NAME)
    assert len(name) == MAX_NAME and name == name.strip()
    with K2Database(db_url) as db:
        db.add_food(FoodSpec.of(name, total_k2=12.0, serving_g=50.0))
        assert [f.name for f in db.search(name)][:1] == [name]
        assert db.show(name).name == name
        meal = db.meal([name])
        assert [(item.food, item.grams) for item in meal.items] == [(name, 50.0)]
        assert remove_food(db.engine, name) == name


def test_a_name_one_longer_is_refused_in_one_line(sqlite_db: K2Database) -> None:
    name = _name(MAX_NAME + 1)
    with pytest.raises(Invalid) as added:
        sqlite_db.add_food(FoodSpec.of(name, total_k2=12.0))
    assert f"longer than {MAX_NAME} characters" in str(added.value)
    with pytest.raises(UsageError) as searched:
        sqlite_db.search(name)
    assert f"at most {MAX_NAME}" in str(searched.value)
    for error in (added.value, searched.value):
        assert "\n" not in str(error)
    with pytest.raises(D3k2dbError) as eaten:
        sqlite_db.meal([name])
    assert "\n" not in str(eaten.value) and not sqlite_db.search("zq kefirish")


# --- the MK-4 / MK-7 tag: one spelling rule for add, import, search and the page -----------------


@pytest.mark.parametrize(
    ("typed", "tag"),
    [
        ("MK-4", "MK-4"),
        ("mk4", "MK-4"),
        ("MK 4", "MK-4"),
        ("mk_4", "MK-4"),
        ("Mk-7", "MK-7"),
        ("mk7", "MK-7"),
    ],
)
def test_every_door_reads_a_tag_spelling_alike(typed: str, tag: str) -> None:
    assert normalize_tag(typed) == normalize_form(typed) == page_form_choice(typed) == tag


@pytest.mark.parametrize("typed", ["mk5", "K2", "MK-47", "vitamin k"])
def test_every_door_refuses_what_spells_no_tag(typed: str) -> None:
    with pytest.raises(D3k2dbError):  # UsageError
        normalize_form(typed)
    with pytest.raises(Exception, match="is not MK-4, MK-7 or empty"):  # records.Invalid
        normalize_tag(typed)
    assert page_form_choice(typed) == typed  # the page keeps it for the library to refuse


def test_searching_by_any_spelling_of_a_form_finds_the_same_foods(sqlite_db: K2Database) -> None:
    found = {
        typed: [f.name for f in sqlite_db.search("cheese", form=typed)] for typed in ("MK-7", "mk7", "mk 7")
    }
    assert found["MK-7"] and found["mk7"] == found["MK-7"] == found["mk 7"]


# --- the D3 upper intake level: one note, whichever command meets the dose -----------------------


def test_pair_plan_and_meal_give_the_same_note_above_the_upper_level(sqlite_db: K2Database) -> None:
    pair = sqlite_db.pair(5000).warnings
    plan = sqlite_db.plan(5000).warnings
    meal = sqlite_db.meal(["1 egg"], d3_iu=5000).warnings
    assert len(pair) == 1 and "5,000 IU is above 4,000 IU a day" in pair[0] and "2011" in pair[0]
    assert plan == pair and pair[0] in meal
    assert sqlite_db.pair(4000).warnings == [] and sqlite_db.meal(["1 egg"], d3_iu=4000).warnings == []


# --- "did you mean": one message, wherever a name is not found ------------------------------------

DID_YOU_MEAN = re.compile(r"^no food matches '(?P<typed>[^']+)' — did you mean '(?P<name>[^']+)'")


def test_show_search_and_remove_word_a_near_miss_alike(sqlite_db: K2Database) -> None:
    sqlite_db.add_food(FoodSpec.of("my kefir", total_k2=5.0))
    with pytest.raises(FoodNotFound) as shown:
        sqlite_db.show("nattto gouda")
    with pytest.raises(FoodNotFound) as removed:
        remove_food(sqlite_db.engine, "my kefri")
    messages = [str(shown.value), sqlite_db.explain_no_match("qqq natto"), str(removed.value)]
    matches = [DID_YOU_MEAN.match(message) for message in messages]
    assert all(matches), messages
    assert [m.group("typed") for m in matches if m] == ["nattto gouda", "qqq natto", "my kefri"]
    assert [m.group("name") for m in matches if m][2] == "my kefir"
