"""The meal language's words as data (data/lexicon/*.csv): every file well formed, and every word
read by the parser as its class says. Expected values come from the files, never from the program."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from d3k2db.domain import lexicon as lexicon_module
from d3k2db.domain.lexicon import CLASSES, LANGUAGES, UNIT_KINDS, lexicon
from d3k2db.domain.units import MASS_G, VOLUME_ML, canonical_unit, unit_kind
from d3k2db.meal.parser import parse_meal, parse_meal_with_problems

REPO = Path(__file__).resolve().parent.parent
FOLDER = REPO / "data" / "lexicon"


def rows(lang: str) -> list[dict[str, str]]:
    with (FOLDER / f"{lang}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def is_food(phrase: str) -> bool:
    return phrase in {"natto", "eggs", "納豆", "雞蛋", "butter"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_file_is_well_formed(lang: str) -> None:
    text = (FOLDER / f"{lang}.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "word,class,value,kind"
    seen = set()
    for row in rows(lang):
        word, kind = row["word"], row["class"]
        assert word and word == word.strip() and word == word.lower(), row
        assert "  " not in word, row
        assert kind in CLASSES, row
        key = (word, kind, row["value"], row["kind"]) if kind == "equivalent" else (word, kind)
        assert key not in seen, row  # a unit may have several equivalents ('slice': piece, fillet)
        seen.add(key)
        if kind in ("number", "half", "quarter", "dozen", "couple", "article", "cjk_digit", "cjk_power"):
            assert math.isfinite(float(row["value"])) and float(row["value"]) >= 0, row
        if kind == "unit":
            assert row["kind"] in UNIT_KINDS, row
            assert row["value"], row
        elif kind == "equivalent":
            assert row["kind"].partition(":")[0] in ("any", "category", "food"), row
        else:
            assert row["kind"] == "", row


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_unit_spelling_names_its_unit_and_kind(lang: str) -> None:
    for row in rows(lang):
        if row["class"] != "unit":
            continue
        assert canonical_unit(row["word"]) == row["value"], row
        assert unit_kind(row["value"]) == row["kind"], row
        if row["kind"] == "mass":
            assert row["value"] in MASS_G
        if row["kind"] == "volume":
            assert row["value"] in VOLUME_ML


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_number_word_is_read_as_its_value(lang: str) -> None:
    for row in rows(lang):
        if row["class"] == "number":
            (item,) = parse_meal([f"{row['word']} eggs"], is_food)
            assert item.quantity == pytest.approx(float(row["value"])), row


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_filler_is_dropped(lang: str) -> None:
    for row in rows(lang):
        if row["class"] != "filler":
            continue
        typed = row["word"].replace("' ", "'")  # an elided article is stored apart: "j' ai" is j'ai
        glue = "" if typed.endswith("'") else " "  # French elision: "de l'huile"
        items, problems = parse_meal_with_problems([f"{typed}{glue}natto"], is_food)
        assert not problems and [item.food for item in items] == ["natto"], row
        assert typed in " ".join(items[0].dropped).lower().replace("' ", "'"), row


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_separator_starts_a_new_item(lang: str) -> None:
    for row in rows(lang):
        if row["class"] == "separator":
            spaced = "" if len(row["word"]) == 1 and not row["word"].isascii() else " "
            phrase = f"natto{spaced}{row['word']}{spaced}butter"
            assert [item.food for item in parse_meal([phrase], is_food)] == ["natto", "butter"], row


def test_chinese_numerals_and_measure_words() -> None:
    digits = {row["word"]: int(row["value"]) for row in rows("zh") if row["class"] == "cjk_digit"}
    for word, value in digits.items():
        if value:
            (item,) = parse_meal([f"{word}個雞蛋"], is_food)
            assert item.quantity == value, word
    packs = [row["word"] for row in rows("zh") if row["class"] == "unit" and row["value"] == "package"]
    assert {"盒", "包", "盒裝"} <= set(packs)
    for word in packs:
        (item,) = parse_meal([f"納豆兩{word}"], is_food)
        assert (item.quantity, item.unit, item.typed_unit) == (2, "package", word)


def test_adding_a_word_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "lexicon"
    folder.mkdir()
    for lang in LANGUAGES:
        (folder / f"{lang}.csv").write_text((FOLDER / f"{lang}.csv").read_text(encoding="utf-8"), "utf-8")
    with (folder / "en.csv").open("a", encoding="utf-8") as handle:
        handle.write("scoop,unit,cup,volume\n")
    monkeypatch.setattr(lexicon_module, "data_dir", lambda: tmp_path)
    lexicon.cache_clear()
    try:
        assert lexicon().units["scoop"] == "cup"
    finally:
        lexicon.cache_clear()


def test_the_wheel_carries_the_lexicon() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    mapping = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert mapping["data"] == "d3k2db/_data"  # the whole folder, data/lexicon/ with it
    assert {path.stem for path in FOLDER.glob("*.csv")} == set(LANGUAGES)


def test_unit_equivalents_name_known_units() -> None:
    table = [row for lang in LANGUAGES for row in rows(lang) if row["class"] == "equivalent"]
    assert table
    for row in table:
        assert canonical_unit(row["word"]) == row["word"], row
        assert canonical_unit(row["value"]) == row["value"] != row["word"], row
        kind, _sep, value = row["kind"].partition(":")
        assert kind in ("any", "category", "food") and (kind == "any") == (value == ""), row
    assert [(r.unit, r.applies_to, r.equivalent) for r in lexicon_module.unit_equivalents()] == [
        (r["word"], r["kind"], r["value"]) for r in table
    ]


@pytest.mark.parametrize(
    ("rule", "category", "name", "applies"),
    [
        ("any", "plant", "kale", True),
        ("category:fish", "fish", "blue mussels", True),
        ("category:cheese|dairy", "dairy", "kefir", True),
        ("category:cheese", "dairy", "kefir", False),
        ("food:kefir|ayran", "dairy", "ayran", True),
        ("food:kefir", "dairy", "kefir, plain", False),  # a whole name, not a part of one
        ("word:uncooked", "plant", "quinoa, uncooked", True),
        ("word:baby food", "meat", "baby food, beef", True),  # a phrase, whole
        ("word:baby food", "dish", "food for a baby", False),
        ("category:fish!mussel|crab", "fish", "blue mussels", False),  # plural of an excepted word
        ("category:fish!mussel|crab", "fish", "grapsid crab, pachygrapsus", False),
        ("category:fish!mussel|crab", "fish", "hilsa", True),
        ("category:fish!crab", "fish", "crabapple fish", True),  # whole words only
        ("category:fat!butter", "fat", "Butter, whipped", False),  # any case
        ("category:fat!butter", "fat", "lard", True),
    ],
)
def test_one_grammar_says_which_foods_a_data_row_applies_to(
    rule: str, category: str, name: str, applies: bool
) -> None:
    assert lexicon_module.applies_to(rule, category, name) is applies


def test_every_dish_is_one_item() -> None:
    dishes = [row["word"] for lang in LANGUAGES for row in rows(lang) if row["class"] == "dish"]
    assert "mac and cheese" in dishes

    def known(phrase: str) -> bool:
        return is_food(phrase) or phrase in {"mac", "macaroni", "cheese", *dishes}

    for dish in dishes:
        (item,) = parse_meal([dish], known)
        assert item.food == dish


def test_meal_help_lists_every_unit_of_the_lexicon_with_its_chinese_words() -> None:
    """The help's units are written from data/lexicon (the one list), not by hand: every canonical
    unit and every Chinese unit word of the files is in `meal --help`, in both scripts."""
    from typer.testing import CliRunner

    from d3k2db.cli import app
    from d3k2db.files.reading import read_table
    from d3k2db.resources import data_dir

    shown = CliRunner().invoke(app, ["meal", "--help"], env={"COLUMNS": "200"}).output
    rows = [
        row
        for _line, row in read_table(data_dir() / "lexicon" / "zh.csv", ("word", "class", "value", "kind"))
    ]
    units = [row for row in rows if row["class"] == "unit"]
    assert units
    for row in units:
        assert f" {row['word']}" in shown or f"({row['word']}" in shown, row["word"]
        assert row["value"] in shown, row["value"]
