"""One renderer for the page (issue 22, item 4): the parts the script swaps in as you type
(/fragments/search, /fragments/meal) are the very HTML of the whole page's parts, rendered by the
same templates; app.js formats nothing; the page's own changes answer in HTML too, and name a food
exactly as stored (an old hostile name, a 250-character name)."""

from __future__ import annotations

import re
import shutil
import urllib.parse
from html import unescape
from pathlib import Path

import pytest

from d3k2db import K2Database
from d3k2db.domain.records import FoodSpec
from d3k2db.storage.tables import foods
from tests.test_names_text import OLD_NAME, SHOWN_NAME, _raw_characters, write_old_food
from tests.web_client import HOSTILE, REPO, web

APP_JS = REPO / "d3k2db" / "web" / "static" / "app.js"
SEARCH_PART = re.compile(r'<div id="search-answer" class="answer">(.*?)</div>\n<template', re.DOTALL)
MEAL_PART = re.compile(r'<div id="meal-answer" class="answer">(.*?)</div>\n</section>', re.DOTALL)
MEAL = "2 eggs, 1 tbsp butter, 30 g gouda"


def part_of(pattern: re.Pattern[str], page: str) -> str:
    found = pattern.search(page)
    assert found is not None, page[:400]
    return found.group(1).strip()


@pytest.mark.parametrize("lang", ["en", "zh-Hant", "zh-Hans"])
def test_the_parts_the_script_swaps_in_are_the_pages_own(db_url: str, lang: str) -> None:
    searches = [{"q": "nat"}, {"q": "qqqzzzx"}, {"q": "乳酪"}, {"q": "cheese", "form": "MK-7"}, {"q": ""}]
    meals = [
        {"q": MEAL, "d3": "5000"},
        {"q": MEAL, "d3": "5000", "diet": "vegan"},
        {"q": "2 eggs, 2 slices natto"},  # a unit natto publishes no weight for: refused, the rest counted
        {"q": "2 slices natto"},  # refused as a whole
        {"q": "100 g natto", "d3": "lots"},  # a dose that is no number
        {"q": ""},
    ]
    with web(db_url) as client:
        for query in searches:
            page = client.get("/", params={**query, "lang": lang})
            part = client.get("/fragments/search", params={**query, "lang": lang})
            assert part.status_code == 200 and part.headers["content-type"].startswith("text/html")
            assert part.text.strip() == part_of(SEARCH_PART, page.text), query
        for query in meals:
            page = client.get("/meal", params={**query, "lang": lang})
            part = client.get("/fragments/meal", params={**query, "lang": lang})
            assert part.status_code == 200, query  # an answer while typing, even a refusal
            assert part.text.strip() == part_of(MEAL_PART, page.text), query
            assert "<html" not in part.text and "<body" not in part.text


def test_the_meal_part_carries_the_figures_marks_and_plans(db_url: str) -> None:
    with web(db_url) as client:
        part = client.get("/fragments/meal", params={"q": MEAL, "d3": "5000", "lang": "en"}).text
    assert len(re.findall(r'<tr class="meal-item"', part)) == 3
    assert re.search(r'<p id="meal-total" data-ug="[\d.]+">K2 in this meal: <strong>[\d.]+</strong> µg', part)
    assert 'class="not-covered"' in part and '<li class="plan' in part  # the gap, and plans that close it
    assert "pairs with" in part and '<svg id="share-chart"' in part
    link = re.search(r'<a id="plan-link" href="([^"]+)"', part)
    assert link is not None
    assert dict(urllib.parse.parse_qsl(unescape(link.group(1)).split("?", 1)[1]))["with"] == MEAL


def test_app_js_formats_no_figure_unit_or_flag() -> None:
    """Every number, unit and mark is written by the templates; the script only asks and swaps."""
    script = APP_JS.read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/", "", script, flags=re.DOTALL)  # its comments may name what it does not do
    for forbidden in (
        r"toFixed",
        r"toPrecision",
        r"toLocaleString",
        r"\bIntl\b",
        r"NumberFormat",
        r"µg|微克|\bIU\b",
        r"[‡†]",
        r"MK-\d",
        r"\(\?<",  # a Python pattern rewritten for the browser
        r"textContent\s*=\s*[^;]*\+",  # text put together in the script
    ):
        assert not re.search(forbidden, code), forbidden
    assert "/fragments/search?" in code and "/fragments/meal?" in code
    assert "/api/" not in code


def test_a_part_sets_no_language_cookie(db_url: str) -> None:
    with web(db_url) as client:
        part = client.get("/fragments/search", params={"q": "natto", "lang": "zh-Hant"})
        page = client.get("/", params={"q": "natto", "lang": "zh-Hant"})
    assert "納豆" in part.text and "set-cookie" not in part.headers
    assert "lang=zh-Hant" in page.headers["set-cookie"]


def test_an_html_name_is_text_in_the_parts(db_url: str) -> None:
    with K2Database(db_url) as db:
        db.add_food(FoodSpec.of(HOSTILE, mk7=100.0, serving_g=30.0))
    with web(db_url) as client:
        found = client.get("/fragments/search", params={"q": "onerror"}).text
        meal = client.get("/fragments/meal", params={"q": f"30 g {HOSTILE}"}).text
    for part in (found, meal):
        assert "<img" not in part and "&lt;img src=x onerror=alert(1)&gt;" in part


def test_a_change_refused_answers_why_as_a_part(db_url: str) -> None:
    with web(db_url, allow_edits=True) as client:
        seed = client.delete("/fragments/foods/natto")
        unknown = client.delete("/fragments/foods/nattoo")
        invalid = client.post("/fragments/foods", json={"name": "zq nothing"})  # no figure at all
    assert seed.status_code == 403 and 'id="error-message"' in seed.text and "seed food" in seed.text
    assert unknown.status_code == 404 and "nattoo" in unknown.text
    assert invalid.status_code in (400, 422) and 'id="error-message"' in invalid.text
    for answer in (seed, unknown, invalid):
        assert answer.headers["content-type"].startswith("text/html") and "<html" not in answer.text


def test_the_page_adds_a_food_and_says_where_to_go(db_url: str) -> None:
    with web(db_url, allow_edits=True) as client:
        added = client.post("/fragments/foods", json={"name": "zq farm brie", "mk7": 12.5})
    assert added.status_code == 201
    assert 'data-go="/food/zq%20farm%20brie"' in added.text
    with K2Database(db_url) as db:
        assert db.show("zq farm brie").forms["mk7"] == 12.5


def remove_address(page: str) -> str:
    found = re.search(r'<button type="button" id="remove-food" data-remove="([^"]+)"', page)
    assert found is not None, "no remove button"
    return unescape(found.group(1))


def test_an_old_hostile_name_is_removed_by_the_button(seeded_template: Path, tmp_path: Path) -> None:
    """A name stored with ESC and U+202E by an old release is shown escaped ('\\x1b'); the button
    names it as stored, percent-encoded, so the removal finds it (the text shown would not). On a
    SQLite file: PostgreSQL cannot hold the name's NUL, so no old PostgreSQL database has it."""
    path = tmp_path / "old.sqlite"
    shutil.copy(seeded_template, path)
    db_url = f"sqlite:///{path}"
    write_old_food(db_url)
    with web(db_url, allow_edits=True) as client:
        page = client.get("/food/zqplain")
        assert SHOWN_NAME in page.text and not _raw_characters(page.content)
        address = remove_address(page.text)
        assert urllib.parse.unquote(address) == f"/fragments/foods/{OLD_NAME}"
        removed = client.delete(address)
        assert removed.status_code == 200, removed.text
        assert 'data-go="/"' in removed.text
    with K2Database(db_url) as db:
        assert all(food.name != OLD_NAME for food in db.search("zqevil"))


def test_a_250_character_name_is_shown_whole_and_removed(db_url: str) -> None:
    name = "zq " + "long aged mountain cheese " * 9 + "x" * 13
    assert len(name) == 250
    with K2Database(db_url) as db:
        db.add_food(FoodSpec.of(name, mk7=40.0))
    with web(db_url, allow_edits=True) as client:
        form = client.get("/foods/new").text
        maxlength = re.search(r'<input id="new-name" name="name" required maxlength="(\d+)"', form)
        assert maxlength is not None and int(maxlength.group(1)) == foods.c.name.type.length >= 250
        page = client.get("/food/" + urllib.parse.quote(name))
        assert page.status_code == 200
        assert f'<h1 id="food-name">{name} <span class="custom">' in page.text
        part = client.get("/fragments/search", params={"q": name[:40]}).text
        assert f">{name}</a>" in part
        assert urllib.parse.unquote(remove_address(page.text)) == f"/fragments/foods/{name}"
        assert client.get("/api/foods/" + urllib.parse.quote(name)).json()["name"] == name  # the API's too
        assert client.delete(remove_address(page.text)).status_code == 200
    with K2Database(db_url) as db:
        assert all(food.name != name for food in db.search("zq long aged"))
