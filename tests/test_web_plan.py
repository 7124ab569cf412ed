"""The plan on the web: the /plan page (a form whose address keeps the choices), /api/plan (the
JSON of `d3k2db plan --format json`, described in OpenAPI), and the meal page's plans for the gap."""

from __future__ import annotations

import json
import re
from html import unescape

from typer.testing import CliRunner

from d3k2db.cli import app
from d3k2db.domain.figures import WARFARIN_NOTE
from tests import published
from tests.test_web_pages import Elements, row_text
from tests.web_client import web

VEGAN_TICKED = {"id": "diet-vegan", "name": "diet", "type": "checkbox", "value": "vegan", "checked": ""}
DIETS = ("vegan", "vegetarian", "pescatarian", "no-dairy", "no-soy", "no-pork", "no-offal")


def text_of(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(ul|ol|p|section)>', page, flags=re.S)
    assert found, element_id
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))).strip()


def test_the_plan_page_is_a_form_that_works_without_a_script(db_url: str) -> None:
    with web(db_url) as client:
        empty = client.get("/plan")
        assert empty.status_code == 200
        form = Elements(empty.text)
        assert form.one("form", id="plan-form")["action"] == "/plan"
        assert form.one("form", id="plan-form")["method"] == "get"
        names = {attrs.get("name") for attrs in form.find("input")}
        assert {"d3", "target", "with", "diet", "avoid", "like", "include_doubtful"} <= names
        assert [box["value"] for box in form.find("input", cls=None) if box.get("name") == "diet"] == list(
            DIETS
        )
        assert not form.find("section", cls="plan")

        page = client.get("/plan", params={"d3": "5000", "diet": "vegan"})
    assert page.status_code == 200
    found = Elements(page.text)
    assert VEGAN_TICKED in found.find("input")
    plans = found.find("section", cls="plan")
    assert plans and float(plans[0]["data-k2"]) >= 50.0  # the first reaches the 50 µg 5,000 IU calls for
    natto = published.food("natto")
    assert f"{0.5 * 50 * published.k2_per_100g(natto) / 100:.1f}‡" in page.text  # ½ pack, marked partial
    items = row_text(page.text, "plan-item")
    pack = published.portion_grams("natto", "package")
    assert items[0].startswith("natto") and f"½ × package ({0.5 * pack:g} g)" in items[0]  # half a pack
    safety = text_of(page.text, "plan-safety")
    assert WARFARIN_NOTE in safety and "rule of thumb" in safety
    notes = text_of(page.text, "plan-notes")
    assert "tolerable upper intake level" in notes
    assert "‡ A partial figure is a lower bound" in notes and "whole K2" not in notes  # natto is ‡


def test_a_bad_number_or_word_says_why_on_the_page(db_url: str) -> None:
    with web(db_url) as client:
        bad = client.get("/plan", params={"d3": "lots"})
        assert bad.status_code == 400 and "lots" in text_of(bad.text, "plan-error")
        unknown = client.get("/plan", params={"d3": "2000", "avoid": "xyzzy"})
        assert unknown.status_code == 400 and "xyzzy" in text_of(unknown.text, "plan-error")


def test_the_api_answers_the_json_the_command_prints(db_url: str, runner: CliRunner) -> None:
    args = {"d3": "4000", "diet": "no-soy,no-pork", "avoid": "liver", "with": "2 eggs"}
    with web(db_url) as client:
        api = client.get("/api/plan", params=args)
    assert api.status_code == 200 and api.headers["content-type"] == "application/json"
    cli = runner.invoke(
        app,
        [
            "plan",
            "--d3",
            "4000",
            "--diet",
            "no-soy,no-pork",
            "--avoid",
            "liver",
            "--with",
            "2 eggs",
            "-f",
            "json",
        ],
    )
    assert cli.exit_code == 0, cli.stderr
    assert api.json() == json.loads(cli.stdout)


def test_the_api_is_described_in_openapi_and_refuses_like_the_others(db_url: str) -> None:
    with web(db_url) as client:
        spec = client.get("/api/openapi.json").json()
        operation = spec["paths"]["/api/plan"]["get"]
        names = {parameter["name"] for parameter in operation["parameters"]}
        assert {"d3", "target", "ratio", "with", "diet", "like", "avoid", "max_items", "count"} <= names
        assert {"400", "422"} <= set(operation["responses"])
        refused = client.get("/api/plan", params={"d3": "2000", "diet": "keto"})
        assert refused.status_code == 400 and refused.json()["code"] == "bad_input"
        assert "keto" in refused.json()["error"]
        partly = client.get("/api/plan", params={"d3": "2000", "with": "2 eggs, a muffin"}).json()
        assert [item["typed"] for item in partly["eaten"]["skipped"]] == ["a muffin"]
        assert partly["eaten"]["partial"] is True


def test_the_plan_page_speaks_chinese(db_url: str) -> None:
    with web(db_url) as client:
        page = client.get("/plan", params={"d3": "2000", "diet": "vegetarian", "lang": "zh-Hant"}).text
    assert "方案 1" in page and "Plan 1" not in page
    assert "蛋奶素" in page  # the diet's name
    assert "不構成醫療建議" in text_of(page, "plan-safety")


def test_the_meal_page_plans_the_gap_with_the_diet_chosen(db_url: str) -> None:
    with web(db_url) as client:
        page = client.get("/meal", params={"q": "1 tbsp butter", "d3": "5000", "diet": "vegan"}).text
    found = Elements(page)
    assert VEGAN_TICKED in found.find("input")
    items = row_text(page, "plan-item")
    assert items and items[0].startswith("natto")  # the only vegan food that reaches it
    assert WARFARIN_NOTE in text_of(page, "plan-safety") and "rule of thumb" in text_of(page, "plan-safety")
    link = found.one("a", id="plan-link")["href"]
    assert link.startswith("/plan?") and "diet=vegan" in link and "with=1+tbsp+butter" in link
