"""The plan in a real headless Chromium: the /plan form, whose address keeps every choice, and the
meal page's plans for the gap, redrawn by the script when a diet is ticked. The expected figures
come from data/*.csv."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.conftest import Server
from tests.browser.pages import UG_K2_PER_10000_IU, elements, k2_of, one, screenshot, settle, wait_for

pytestmark = pytest.mark.slow


def plan_titles(driver: WebDriver) -> list[str]:
    return [title.text for title in elements(driver, "section.plan .plan-title")]


def test_the_plan_form_plans_and_its_address_keeps_the_choices(
    browser: WebDriver, server: Server, screenshots: Path
) -> None:
    browser.get(server.base + "/plan")
    one(browser, "input#plan-d3").send_keys("5000")
    one(browser, "input#diet-vegan").click()
    one(browser, "#plan-form button[type=submit]").click()
    wait_for(browser, lambda d: elements(d, "section.plan"), "the plans")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(browser.current_url).query))
    assert query["d3"] == "5000" and query["diet"] == "vegan"
    plans = elements(browser, "section.plan")
    needed = 5000 / 10_000 * UG_K2_PER_10000_IU
    first = plans[0]
    assert float(first.get_attribute("data-k2") or 0) >= needed
    item = first.find_element("css selector", "tr.plan-item")
    assert item.text.startswith("natto") and "½ × package (25 g)" in item.text  # the item's weight
    assert f"{k2_of('natto', 25):.1f}" in item.text  # half a 50 g pack
    safety = one(browser, "#plan-safety").text
    assert "warfarin" in safety and "rule of thumb" in safety
    assert one(browser, "input#diet-vegan").is_selected()
    titles = plan_titles(browser)
    screenshot(browser, screenshots, "plan")

    browser.get(browser.current_url)  # the address, shared: the same plans
    wait_for(browser, lambda d: elements(d, "section.plan"), "the plans again")
    assert plan_titles(browser) == titles


def test_the_meal_page_redraws_its_plans_when_a_diet_is_ticked(browser: WebDriver, server: Server) -> None:
    query = urllib.parse.urlencode({"q": "1 tbsp butter", "d3": "5000"})
    browser.get(f"{server.base}/meal?{query}")
    wait_for(browser, lambda d: elements(d, "ol#close-gap li.plan"), "the plans for the gap")
    one(browser, "input#diet-vegan").click()
    settle(browser, "/fragments/meal", "#close-gap", "the vegan plans", diet="vegan")
    first = elements(browser, "ol#close-gap li.plan li.plan-item")[0]
    assert first.text.startswith("natto"), first.text  # the one vegan food that reaches it
    assert "diet=vegan" in browser.current_url
    assert "diet=vegan" in (one(browser, "a#plan-link").get_attribute("href") or "")
