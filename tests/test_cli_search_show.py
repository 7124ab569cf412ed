"""`d3k2db search` and `d3k2db show` through the CLI runner, checked against data/*.csv."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from d3k2db.cli import app
from d3k2db.domain.records import FoodSpec
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
    flagged = [bool(food["flags"]) for food in foods]
    assert True in flagged and flagged == sorted(flagged)  # unflagged figures lead, flagged ones after
    for group in (False, True):
        totals = [food["k2_total"] for food in foods if bool(food["flags"]) is group]
        assert totals == sorted(totals, key=lambda k2: -1.0 if k2 is None else k2, reverse=True)


def test_search_filters_by_form_category_and_limit(runner: CliRunner, db_url: str) -> None:
    mk7 = run_json(runner, "search", "--form", "mk7")["foods"]
    assert mk7 and {food["tag"] for food in mk7} == {"MK-7"}
    mk4 = run_json(runner, "search", "--form", "MK-4")["foods"]
    assert mk4 and {food["tag"] for food in mk4} == {"MK-4"}
    cheeses = run_json(runner, "search", "--category", "Cheeses")["foods"]
    expected = {row["name"] for row in published.rows("foods.csv") if row["category"] == "cheese"}
    assert {food["name"] for food in cheeses} == expected
    assert len(run_json(runner, "search", "--limit", "3")["foods"]) == 3


@pytest.mark.parametrize("word", ["toast", "cheese"])
def test_a_generic_word_lists_its_default_food_first_and_every_food_once(
    runner: CliRunner, db_url: str, word: str
) -> None:
    """'toast' stands for wheat bread (data/generic_foods.csv): search lists that default, then the
    alternatives, then the other names holding the word — 'french toast', an alternative, once."""
    row = next(r for r in published.rows("generic_foods.csv") if r["term"] == word)
    stands_for = [row["food"], *row["alternatives"].split("|")]
    names = [food["name"] for food in run_json(runner, "search", word, "--limit", "100")["foods"]]
    # some of them hold the word in a name of theirs, so they are found by name too
    named = {r["food"] for r in published.rows("aliases.csv") if word in r["alias"].lower()}
    assert {name for name in stands_for if word in name} | (named & set(stands_for))
    assert names[: len(stands_for)] == stands_for
    assert len(names) == len(set(names)) > len(stands_for)


def test_search_no_match_names_the_term_and_exits_1(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(app, ["search", "qqqqzzzz"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: no food matches 'qqqqzzzz'")
    assert len(result.stderr.strip().splitlines()) == 1


def test_search_no_match_suggests_closest_names(runner: CliRunner, db_url: str) -> None:
    # no name holds both words (there are waffles, and buttermilk, but no buttermilk waffles)
    names = [row["name"] for row in published.rows("foods.csv")]
    assert not any("buttermilk" in name and "waffle" in name for name in names)
    assert any("waffle" in name for name in names) and "buttermilk" in names
    result = runner.invoke(app, ["search", "buttermilk waffles"])
    assert result.exit_code == 1
    assert "did you mean" in result.stderr and "'buttermilk'" in result.stderr and "'butter'" in result.stderr


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
    assert not any("old gouda" in row["name"] for row in published.rows("foods.csv"))
    assert not any(row["alias"].lower() == "old gouda" for row in published.rows("aliases.csv"))
    result = runner.invoke(app, ["show", "old gouda"])
    assert result.exit_code == 1
    assert "did you mean 'gouda'" in result.stderr


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
    row = published.food("cheddar")
    source = next(s for s in published.rows("sources.csv") if s["citation"] == row["source"])
    assert source["publisher_url"] and source["publisher_url"] != row["url"]
    result = runner.invoke(app, ["show", "cheddar"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    publisher = next(line for line in lines if line.startswith("Publisher's page"))
    copy = next(line for line in lines if line.startswith("Read from"))
    assert source["publisher_url"] in publisher and row["url"] in copy


def test_show_explains_the_headline(runner: CliRunner, db_url: str) -> None:
    # cheddar: a fermented food, so the measurement resolving the most forms (K2viewer's MK-4 …
    # MK-10) is its figure, before NEVO's total and the MK-4-only figures (README, the headline rule)
    row = published.food("cheddar")
    measured = [
        r for r in published.rows("measurements.csv") if r["food"] == "cheddar" and r["counted"] == "yes"
    ]
    resolved = [sum(bool(r[form]) for form in published.FORMS) for r in measured]
    assert resolved.count(max(resolved)) == 1 and len(measured) >= 3
    best = measured[resolved.index(max(resolved))]
    result = runner.invoke(app, ["show", "cheddar", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["k2_total"] == pytest.approx(published.k2_per_100g(best))
    assert data["coverage"] == row["coverage"] == "complete" and data["independent"] >= 3
    assert "resolving the most forms" in data["headline_reason"]
    assert f"{len(measured) - 1} resolving fewer forms not used" in data["headline_reason"]
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


def _how_well(term: str, food: str) -> int:
    """How well the food's name or best alias holds the word ``term`` (or its plural), as the README
    ranks matches: 3 the whole name, 2 its first word, 1 another word, 0 inside a word."""
    names = [food, *(row["alias"] for row in published.rows("aliases.csv") if row["food"] == food)]
    best = -1
    for name in names:
        words = [w[:-1] if w == term + "s" else w for w in re.sub(r"[^\w]+", " ", name.lower()).split()]
        if words == [term]:
            best = max(best, 3)
        elif words[:1] == [term]:
            best = max(best, 2)
        elif term in words:
            best = max(best, 1)
        elif term in " ".join(words):
            best = max(best, 0)
    return best


def test_equally_good_matches_put_doubtful_figures_last(runner: CliRunner, db_url: str) -> None:
    """A better match comes first; among equally good ones a doubtful figure comes after the others,
    however rich: the 297 µg IFCT 'brown tiger prawn' after the poorer prawns named like it."""
    data = json.loads(runner.invoke(app, ["search", "prawn", "--format", "json"]).stdout)
    found = [(_how_well("prawn", food["name"]), bool(food["flags"]), food["name"]) for food in data["foods"]]
    assert [how for how, _flagged, _name in found] == sorted((how for how, _f, _n in found), reverse=True)
    for level in {how for how, _flagged, _name in found}:
        flags = [flagged for how, flagged, _name in found if how == level]
        assert flags == sorted(flags), (level, found)  # unflagged first within each level
    tiger = next(entry for entry in found if entry[2] == FLAGGED)
    assert tiger[1] and published.k2_per_100g(published.food(FLAGGED)) == max(
        published.k2_per_100g(published.food(name)) for _how, _flagged, name in found
    )
    beside = [name for how, flagged, name in found if how == tiger[0] and not flagged]
    assert beside and all(found.index(tiger) > [e[2] for e in found].index(name) for name in beside)


# ------------------------------------------------------------------------ what the reader sees


def _set(db_url: str, table_name: str, where_name: str, **values: str) -> None:
    """Write stored text the library never takes from a user (curation notes, flags), as the seed
    build does: on ``table_name`` rows of the food named ``where_name``."""
    from sqlalchemy import select, update

    from d3k2db import K2Database
    from d3k2db.storage.tables import foods, measurements

    table = {"foods": foods, "measurements": measurements}[table_name]
    with K2Database(db_url) as db, db.engine.begin() as connection:
        food_id = connection.execute(select(foods.c.id).where(foods.c.name == where_name)).scalar_one()
        key = table.c.id if table is foods else table.c.food_id
        connection.execute(update(table).where(key == food_id).values(**values))


def _column(table: str, header: str) -> dict[str, str]:
    """{first cell: the cell under ``header``} of a plain table, its columns found by its dashes
    (in display columns: a Chinese character takes two)."""
    import unicodedata

    def spread(line: str) -> str:  # one character per display column ('\0' after a wide one)
        return "".join(ch + "\0" if unicodedata.east_asian_width(ch) in "WF" else ch for ch in line)

    lines = [spread(line) for line in table.splitlines()]
    dashes = next(i for i, line in enumerate(lines) if line.startswith("-"))
    starts = [
        i for i, ch in enumerate(lines[dashes]) if ch == "-" and (i == 0 or lines[dashes][i - 1] == " ")
    ]
    ends = [*(s - 2 for s in starts[1:]), None]
    at = next(i for i, s in enumerate(starts) if lines[dashes - 1][s:].replace("\0", "").startswith(header))
    rows = [  # a table row has two spaces before every column; a note after the table does not
        line
        for line in lines[dashes + 1 :]
        if all(line[s - 2 : s] == "  " for s in starts[1:] if len(line) > s)
    ]
    return {
        row[: ends[0]].replace("\0", "").strip(): row[starts[at] : ends[at]].replace("\0", "").strip()
        for row in rows
        if len(row) > starts[at]
    }


def _tagged_foods(db_url: str) -> None:
    from d3k2db import K2Database

    with K2Database(db_url) as db:
        db.add_food(
            FoodSpec.of("zq aged cheese", mk4=2.0, mk7=1.0, mk9=20.0, category="cheese")
        )  # main form MK-9
        db.add_food(
            FoodSpec.of("zq plain cheese", total_k2=6000.0, category="cheese")
        )  # a total: forms unknown
        db.add_food(FoodSpec.of("zq game meat", total_k2=10.0, category="meat"))


def test_a_tag_is_shown_with_its_main_form_or_what_it_stands_for(runner: CliRunner, db_url: str) -> None:
    _tagged_foods(db_url)
    tags = _column(runner.invoke(app, ["search", "zq"]).stdout, "Tag")
    assert tags == {
        "zq plain cheese (custom)": "long-chain (MK-7…MK-10)",
        "zq aged cheese (custom)": "MK-7 · main MK-9",
        "zq game meat (custom)": "MK-4",
    }
    shown = _column(runner.invoke(app, ["show", "zq aged cheese"]).stdout, "Value")
    assert shown["Tag"] == "MK-7 · main MK-9"
    paired = _column(runner.invoke(app, ["pair", "--d3", "1000", "-c", "cheese", "-n", "1"]).stdout, "Tag")
    assert paired == {"zq plain cheese (custom)": "long-chain (MK-7…MK-10)"}
    hant = _column(runner.invoke(app, ["search", "zq", "--lang", "zh-Hant"]).stdout, "標記")
    assert sorted(hant.values()) == ["MK-4", "MK-7 · 主要形式 MK-9", "長鏈型（MK-7…MK-10）"]
    hans = _column(runner.invoke(app, ["search", "zq", "--lang", "zh-Hans"]).stdout, "标记")
    assert sorted(hans.values()) == ["MK-4", "MK-7 · 主要形式 MK-9", "长链型（MK-7…MK-10）"]


def test_no_cheese_is_shown_as_a_bare_mk7_food(runner: CliRunner, db_url: str) -> None:
    tags = _column(runner.invoke(app, ["search", "--category", "cheese", "-n", "1000"]).stdout, "Tag")
    assert tags and all(
        tag.startswith("MK-7 · main MK-") or tag == "long-chain (MK-7…MK-10)" for tag in tags.values()
    )


def test_json_and_csv_say_what_the_tag_means_in_every_language(runner: CliRunner, db_url: str) -> None:
    _tagged_foods(db_url)
    expected = {
        "zq aged cheese": ("MK-7", "MK-9", "bacterial long-chain MK-7…MK-10"),
        "zq plain cheese": ("MK-7", None, "bacterial long-chain MK-7…MK-10"),
        "zq game meat": ("MK-4", None, "animal MK-4"),
    }
    for lang in ("en", "zh-Hant", "zh-Hans"):
        foods = run_json(runner, "search", "zq", "--lang", lang)["foods"]  # type: ignore[index]
        assert {f["name_en"]: (f["tag"], f["main_form"], f["tag_meaning"]) for f in foods} == expected
        rows = csv.DictReader(
            io.StringIO(runner.invoke(app, ["search", "zq", "-f", "csv", "--lang", lang]).stdout)
        )
        assert {r["name_en"]: (r["tag"], r["main_form"] or None, r["tag_meaning"]) for r in rows} == expected
    shown = run_json(runner, "show", "zq game meat")
    assert shown["tag_meaning"] == "animal MK-4"  # type: ignore[index]
    meal = run_json(runner, "meal", "100 g zq aged cheese")
    item = meal["items"][0]  # type: ignore[index]
    assert (item["tag"], item["main_form"], item["tag_meaning"]) == expected["zq aged cheese"]
    paired = run_json(runner, "pair", "--d3", "1000", "-c", "cheese", "-n", "1")["foods"][0]  # type: ignore[index]
    assert (paired["tag"], paired["main_form"], paired["tag_meaning"]) == expected["zq plain cheese"]
    pair_csv = next(
        csv.DictReader(
            io.StringIO(
                runner.invoke(app, ["pair", "--d3", "1000", "-c", "cheese", "-n", "1", "-f", "csv"]).stdout
            )
        )
    )
    assert (pair_csv["tag_meaning"], pair_csv["main_form"]) == ("bacterial long-chain MK-7…MK-10", "")


CURATION = (
    "app/page.tsx: row read by hand; full tables NOT accessible via tool; verify against the primary paper"
)
CURATION_WORDS = ("app/page.tsx", "NOT accessible via tool", "verify against the primary paper")


@pytest.mark.parametrize(
    "command",
    [
        ["show", "natto"],
        ["search", "natto"],
        ["meal", "100 g natto"],
        ["top", "-c", "fermented soy", "-n", "1000", "--include-flagged"],
        ["pair", "--d3", "5000", "-c", "fermented_soy", "-n", "1000", "--include-flagged"],
    ],
    ids=["show", "search", "meal", "top", "pair"],
)
@pytest.mark.parametrize("output", ["table", "json", "csv"])
def test_curation_notes_reach_no_output(
    runner: CliRunner, db_url: str, command: list[str], output: str
) -> None:
    _set(db_url, "measurements", "natto", notes=CURATION)
    _set(db_url, "foods", "natto", notes=CURATION)
    result = runner.invoke(app, [*command, "--format", output])
    assert result.exit_code == 0, result.stderr
    assert "natto" in result.stdout  # the food is there …
    assert [word for word in CURATION_WORDS if word in result.stdout + result.stderr] == []  # … its notes not


def test_your_own_food_keeps_its_note_in_show(runner: CliRunner, db_url: str) -> None:
    """A note of your own food (an FDC import's dihydrophylloquinone) is yours to see, not curation."""
    from d3k2db import K2Database

    with K2Database(db_url) as db:
        db.add_food(FoodSpec.of("zq imported egg", mk4=5.0, category="egg"))
    _set(db_url, "foods", "zq imported egg", notes="dihydrophylloquinone 0.1 µg/100 g (FDC nutrient 429)")
    assert run_json(runner, "show", "zq imported egg")["notes"] == (  # type: ignore[index]
        "dihydrophylloquinone 0.1 µg/100 g (FDC nutrient 429)"
    )
    assert "dihydrophylloquinone" in runner.invoke(app, ["show", "zq imported egg"]).stdout


def test_categories_are_shown_by_their_names_and_stay_codes_in_json(runner: CliRunner, db_url: str) -> None:
    from d3k2db import K2Database

    with K2Database(db_url) as db:
        for name, category in (("zq stew", "dish"), ("zq kale", "plant"), ("zq kefir drink", "drink")):
            db.add_food(FoodSpec.of(name, total_k2=1.0, category=category))
        db.add_food(
            FoodSpec.of("zq imported", total_k2=1.0, category="dairy_and_egg_products")
        )  # an FDC category
    categories = _column(runner.invoke(app, ["search", "natto"]).stdout, "Category")
    assert categories == {"natto": "fermented soy"}
    assert _column(runner.invoke(app, ["show", "natto"]).stdout, "Value")["Category"] == "fermented soy"
    assert run_json(runner, "search", "natto")["foods"][0]["category"] == "fermented_soy"  # type: ignore[index]
    assert (
        next(csv.DictReader(io.StringIO(runner.invoke(app, ["search", "natto", "-f", "csv"]).stdout)))[
            "category"
        ]
        == "fermented_soy"
    )
    assert _column(runner.invoke(app, ["search", "zq"]).stdout, "Category") == {
        "zq stew (custom)": "dish",
        "zq kale (custom)": "plant",
        "zq kefir drink (custom)": "drink",
        "zq imported (custom)": "dairy and egg products",
    }
    for lang, names in (
        ("zh-Hant", {"菜餚", "植物性食物", "飲料", "dairy and egg products"}),
        ("zh-Hans", {"菜肴", "植物性食物", "饮料", "dairy and egg products"}),
    ):
        header = "類別" if lang == "zh-Hant" else "类别"
        shown = _column(runner.invoke(app, ["search", "zq", "--lang", lang]).stdout, header)
        assert set(shown.values()) == names
    # a category is also asked for by its name
    assert run_json(runner, "search", "natto", "--category", "fermented soy")["count"] == 1  # type: ignore[index]


UNCERTAIN = "uncertain: measurements of this food range from 10.78 to 120.5 µg/100 g (11-fold)"


def test_an_uncertain_food_says_so_in_every_language(runner: CliRunner, db_url: str) -> None:
    from d3k2db import K2Database

    with K2Database(db_url) as db:
        db.add_food(FoodSpec.of("zq tempeh", total_k2=50.0, category="fermented_soy"))
    _set(db_url, "foods", "zq tempeh", flags=UNCERTAIN)
    english = runner.invoke(app, ["search", "zq tempeh"]).stdout
    assert "50.0!" in english
    assert f"! zq tempeh — uncertain figure: {UNCERTAIN}." in english
    hant = runner.invoke(app, ["search", "zq tempeh", "--lang", "zh-Hant"]).stdout
    assert "——不確定的數值：不確定：這種食物的測量值從 10.78 到 120.5 微克/100公克（相差 11 倍）。" in hant
    hans = runner.invoke(app, ["search", "zq tempeh", "--lang", "zh-Hans"]).stdout
    assert "——不确定的数值：不确定：这种食物的测量值从 10.78 到 120.5 微克/100克（相差 11 倍）。" in hans
    assert run_json(runner, "search", "zq tempeh", "--lang", "zh-Hant")["foods"][0]["flags"] == [UNCERTAIN]  # type: ignore[index]
    # doubted and uncertain at once
    _set(db_url, "foods", "zq tempeh", flags=f"doubtful: a reason | {UNCERTAIN}")
    assert (
        "— doubtful and uncertain figure: doubtful: a reason; uncertain: "
        in runner.invoke(app, ["search", "zq tempeh"]).stdout
    )


def test_a_search_hit_found_through_an_alias_says_which(runner: CliRunner, db_url: str) -> None:
    from d3k2db import K2Database

    with K2Database(db_url) as db:
        db.add_food(
            FoodSpec.of("zq sharp cheese", total_k2=30.0, category="cheese", aliases=["qxbrine cheddar"])
        )
    table = runner.invoke(app, ["search", "qxbrine"]).stdout
    assert table.splitlines()[2].startswith("zq sharp cheese (custom) (alias: qxbrine cheddar)  ")
    found = run_json(runner, "search", "qxbrine")["foods"][0]  # type: ignore[index]
    assert (found["name"], found["matched_alias"]) == ("zq sharp cheese", "qxbrine cheddar")
    by_name = run_json(runner, "search", "zq sharp")["foods"][0]  # type: ignore[index]
    assert (
        by_name["matched_alias"] is None
        and "(alias:" not in runner.invoke(app, ["search", "zq sharp"]).stdout
    )
    row = next(csv.DictReader(io.StringIO(runner.invoke(app, ["search", "qxbrine", "-f", "csv"]).stdout)))
    assert row["matched_alias"] == "qxbrine cheddar"
    assert all(f["matched_alias"] is None for f in run_json(runner, "search", "-n", "5")["foods"])  # type: ignore[index]
    # a food shown by the very name that matched (納豆 in Chinese) needs no note
    hant = runner.invoke(app, ["search", "納豆", "--lang", "zh-Hant"]).stdout
    assert "別名" not in hant and "納豆" in hant
    assert run_json(runner, "search", "納豆")["foods"][0]["matched_alias"] == "納豆"  # type: ignore[index]
    assert "natto (alias: 納豆)" in runner.invoke(app, ["search", "納豆"]).stdout


def test_the_richest_foods_lead_with_unflagged_figures(runner: CliRunner, db_url: str) -> None:
    from d3k2db import K2Database

    with K2Database(db_url) as db:
        db.add_food(FoodSpec.of("zq doubtful paste", total_k2=90000.0, category="fermented_soy"))
    _set(db_url, "foods", "zq doubtful paste", flags="doubtful: an unidentified study")
    listed = run_json(runner, "search", "-n", "10")["foods"]  # type: ignore[index]
    assert all(not food["flags"] for food in listed) and "zq doubtful paste" not in {
        f["name"] for f in listed
    }
    everything = run_json(runner, "search")["foods"]  # type: ignore[index]
    first_flagged = next(i for i, food in enumerate(everything) if food["flags"])
    assert all(food["flags"] for food in everything[first_flagged:])  # still listed, after the unflagged
    assert everything[first_flagged]["name"] == "zq doubtful paste"  # the richest of the flagged
    asked = run_json(runner, "top", "-n", "3", "--include-flagged")["foods"]  # type: ignore[index]
    assert asked[0]["name"] == "zq doubtful paste"  # on request
    unasked = run_json(runner, "top", "-n", "3")["foods"]  # type: ignore[index]
    assert "zq doubtful paste" not in {food["name"] for food in unasked}
